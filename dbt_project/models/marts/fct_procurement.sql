with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name = 'proactive'
      and row_key = 'central_procurement'

),

-- A report may print several 政府集中采购 rows (report-formats.md §4.4): add them up, and leave
-- the total missing when any of them could not be read (nothing is guessed).
per_column as (

    select
        report_id,
        col_key,
        case when count(value) = count(*) then sum(value) end as value,
        string_agg(raw_text, ' | ') as raw_text,
        string_agg(distinct raw_unit, ' | ') as raw_unit,
        list_distinct(flatten(list(flags))) as flags,
        min(page) as page,
        min(cell_ref) as cell_ref,
        count(*) as cell_count
    from cells
    group by report_id, col_key

),

labels as (

    select key_kind, key, label_zh, parent_label_zh from {{ ref('template_labels') }}
    where table_name = 'proactive'
      and (key = 'central_procurement' or key like 'procurement\_%' escape '\')

),

pivoted as (

    select
        report_id,
        max(value) filter (where col_key = 'procurement_items') as procurement_items,
        max(raw_text) filter (where col_key = 'procurement_items') as items_raw_text,
        max(flags) filter (where col_key = 'procurement_items') as items_flags,
        -- extractor values are in 万元 (a 元 cell is divided by 10000 and keeps its raw unit)
        max(value) filter (where col_key = 'procurement_amount') as amount_wan,
        max(raw_text) filter (where col_key = 'procurement_amount') as amount_raw_text,
        max(raw_unit) filter (where col_key = 'procurement_amount') as amount_raw_unit,
        max(flags) filter (where col_key = 'procurement_amount') as amount_flags,
        max(cell_count) filter (where col_key = 'procurement_amount') as amount_cell_count,
        min(page) as page,
        min(cell_ref) as cell_ref
    from per_column
    group by report_id

),

final as (

    select
        report_id,

        ---------- what the row is, as printed (report-formats.md §1.4, 第二十条第（九）项)
        'central_procurement' as item_key,
        (select label_zh from labels where key = 'central_procurement') as item_label_zh,
        (select parent_label_zh from labels where key = 'central_procurement') as block_label_zh,

        ---------- items
        (select label_zh from labels where key = 'procurement_items') as items_label_zh,
        {{ to_count('procurement_items') }} as procurement_items,
        items_raw_text,
        {{ count_flags('procurement_items', 'items_flags') }} as items_flags,

        ---------- amount
        (select label_zh from labels where key = 'procurement_amount') as amount_label_zh,
        {{ to_wan('amount_wan') }} as amount_wan,
        {{ wan_to_yuan('amount_wan') }} as amount_yuan,
        amount_raw_text,
        amount_raw_unit,
        -- §4.4: the unit comes from the cell, else the header; never guessed from magnitude.
        case
            when list_contains(coalesce(amount_flags, []), 'amount_unit_unknown') then 'unknown'
            when amount_raw_text like '%元%' then 'cell'
            when amount_raw_unit is not null then 'header'
            when amount_wan = 0 then 'zero_without_unit'
        end as amount_unit_source,
        amount_flags,

        ---------- provenance
        amount_cell_count,
        page,
        cell_ref

    from pivoted

)

select * from final
