-- Every legacy (≤2018) fact as stated, in its own units: the L1/L2 statistics-form rows and the
-- facts read from prose (`leg_*`), plus form rows that have no leg_* key (`legacy_extra`, kept
-- under their printed label). Categories without a modern twin live here, never in modern columns.
-- Counts are BIGINT; money facts (`*_wan` keys, or an extra row printed in 元/万元) are DECIMAL.
with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name in ('legacy', 'legacy_extra')

),

mapping as (

    select source_key, measure, comparability from {{ ref('cross_era_measures') }}
    where source_family = 'legacy'

),

labels as (

    select key, label_zh, parent_label_zh from {{ ref('template_labels') }}
    where table_name = 'legacy' and key_kind = 'row'

),

typed as (

    select
        cells.*,
        case
            when cells.table_name = 'legacy' and cells.row_key like '%\_wan' escape '\' then 'wan'
            when cells.table_name = 'legacy_extra' and cells.raw_unit = '万元' then 'wan'
            when cells.table_name = 'legacy_extra' and cells.raw_unit = '元' then 'yuan'
        end as money_unit
    from cells

),

final as (

    select
        ---------- grain: report × fact
        typed.report_id,
        typed.row_key as fact_key,
        -- the form's printed label (§1.3.2); an extra row's key is its own printed label
        case when typed.table_name = 'legacy_extra' then typed.row_key else labels.label_zh end
            as fact_label_zh,
        labels.parent_label_zh as fact_group_label_zh,
        typed.table_name = 'legacy_extra' as is_extra_row,
        case when typed.money_unit is null then 'count' else 'money' end as value_kind,

        ---------- value (counts) or amount (money), in analyst types
        case when typed.money_unit is null then {{ to_count('typed.value') }} end as value,
        case
            when typed.money_unit = 'wan' then {{ to_wan('typed.value') }}
            when typed.money_unit = 'yuan' then {{ to_wan('typed.value / 10000') }}
        end as amount_wan,
        case
            when typed.money_unit = 'wan' then {{ wan_to_yuan('typed.value') }}
            when typed.money_unit = 'yuan' then cast(round(typed.value, 2) as decimal(18, 2))
        end as amount_yuan,
        typed.raw_unit,
        typed.raw_text,

        ---------- cross-era mapping
        mapping.measure as cross_era_measure,
        coalesce(mapping.comparability, 'not_comparable') as comparability,

        ---------- provenance
        list_contains(typed.flags, 'prose') or list_contains(typed.flags, 'prose_zero') as is_from_prose,
        typed.page,
        typed.cell_ref,
        case
            when typed.money_unit is null then {{ count_flags('typed.value', 'typed.flags') }}
            else typed.flags
        end as flags

    from typed
    left join mapping
        on mapping.source_key = typed.row_key and typed.table_name = 'legacy'
    left join labels
        on labels.key = typed.row_key and typed.table_name = 'legacy'

)

select * from final
