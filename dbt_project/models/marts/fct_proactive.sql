-- Section 二 (T2) of both modern templates, one row per report × item (row) × measure (column),
-- in analyst types with the printed labels; plus the legacy L1 rows that have a modern twin
-- (report-formats.md §1.3.2 vs §1.4/§1.5), tagged `approximate` with the reason.
with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name = 'proactive'

),

-- The T2 era per report (§1.2: decided per table, not by year): the 2021 columns say 2021.
eras as (

    select
        report_id,
        case
            when bool_or(col_key in ('issued_this_year', 'repealed_this_year', 'in_force', 'fee_amount_wan'))
                then '2021'
            else '2019'
        end as proactive_era
    from cells
    group by report_id

),

labels as (

    select * from {{ ref('template_labels') }}
    where table_name = 'proactive'

),

modern as (

    select
        cells.report_id,
        eras.proactive_era as template_era,
        eras.proactive_era as label_era,
        'modern' as source_family,
        cells.row_key as item,
        cells.col_key as measure,
        case
            when cells.col_key in ('procurement_amount', 'fee_amount_wan') then 'money'
            when cells.col_key = 'items_change' then 'signed_change'
            else 'count'
        end as value_kind,
        cells.value,
        cells.raw_text,
        cells.raw_unit,
        'exact' as comparability,
        cast(null as varchar) as comparability_note,
        cells.page,
        cells.bbox_x0,
        cells.bbox_top,
        cells.bbox_x1,
        cells.bbox_bottom,
        cells.cell_ref,
        cells.flags
    from cells
    inner join eras on eras.report_id = cells.report_id

),

-- Legacy L1 rows comparable to a T2 cell (approximate: the legacy form counts differently).
legacy_twins (source_key, item, measure, label_era, note) as (

    values
        ('leg_active_normative', 'normative_docs', 'published_this_year', '2019',
         'L1 主动公开规范性文件数 (normative documents disclosed in the year) ≈ 2019 规范性文件·本年新公开数量'),
        ('leg_normative_issued', 'normative_docs', 'issued_this_year', '2021',
         'L1 制发规范性文件总数 (normative documents issued) ≈ 2021 行政规范性文件·本年制发件数')

),

legacy as (

    select
        cells.report_id,
        'legacy' as template_era,
        legacy_twins.label_era,
        'legacy' as source_family,
        legacy_twins.item,
        legacy_twins.measure,
        'count' as value_kind,
        cells.value,
        cells.raw_text,
        cells.raw_unit,
        'approximate' as comparability,
        legacy_twins.note as comparability_note,
        cells.page,
        cells.bbox_x0,
        cells.bbox_top,
        cells.bbox_x1,
        cells.bbox_bottom,
        cells.cell_ref,
        cells.flags
    from {{ ref('stg_extract__cells') }} as cells
    inner join legacy_twins on legacy_twins.source_key = cells.row_key
    where cells.table_name = 'legacy'

),

unioned as (

    select * from modern
    union all by name
    select * from legacy

),

final as (

    select
        ---------- grain: report × item × measure
        unioned.report_id,
        unioned.template_era,
        unioned.source_family,
        unioned.item,
        coalesce(item_era.label_zh, item_any.label_zh) as item_label_zh,
        coalesce(item_era.parent_label_zh, item_any.parent_label_zh) as block_label_zh,
        unioned.measure,
        coalesce(measure_era.label_zh, measure_any.label_zh) as measure_label_zh,
        unioned.value_kind,

        ---------- value (counts and signed changes) or amount (money)
        case when unioned.value_kind <> 'money' then {{ to_count('unioned.value') }} end as value,
        case when unioned.value_kind = 'money' then {{ to_wan('unioned.value') }} end as amount_wan,
        case when unioned.value_kind = 'money' then {{ wan_to_yuan('unioned.value') }} end as amount_yuan,
        case
            when unioned.value_kind <> 'money' then null
            when list_contains(coalesce(unioned.flags, []), 'amount_unit_unknown') then 'unknown'
            when unioned.raw_text like '%元%' then 'cell'
            when unioned.raw_unit is not null then 'header'
            when unioned.value = 0 then 'zero_without_unit'
        end as amount_unit_source,

        ---------- comparability (legacy twins)
        unioned.comparability,
        unioned.comparability_note,

        ---------- provenance
        unioned.raw_text,
        unioned.raw_unit,
        unioned.page,
        unioned.bbox_x0,
        unioned.bbox_top,
        unioned.bbox_x1,
        unioned.bbox_bottom,
        unioned.cell_ref,
        case
            when unioned.value_kind <> 'money' then {{ count_flags('unioned.value', 'unioned.flags') }}
            else unioned.flags
        end as flags

    from unioned
    left join labels as item_era
        on item_era.key_kind = 'row' and item_era.key = unioned.item
       and item_era.template_era = unioned.label_era
    left join labels as item_any
        on item_any.key_kind = 'row' and item_any.key = unioned.item and item_any.template_era = 'any'
    left join labels as measure_era
        on measure_era.key_kind = 'col' and measure_era.key = unioned.measure
       and measure_era.template_era = unioned.label_era
    left join labels as measure_any
        on measure_any.key_kind = 'col' and measure_any.key = unioned.measure
       and measure_any.template_era = 'any'

)

select * from final
