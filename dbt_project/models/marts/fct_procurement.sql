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

final as (

    select
        report_id,

        ---------- items
        max(value) filter (where col_key = 'procurement_items') as procurement_items,
        max(raw_text) filter (where col_key = 'procurement_items') as items_raw_text,

        ---------- amount (extractor values are in 万元)
        max(value) filter (where col_key = 'procurement_amount') as amount_wan,
        cast(
            round(max(value) filter (where col_key = 'procurement_amount') * 10000, 2)
            as decimal(18, 2)
        ) as amount_yuan,
        max(raw_text) filter (where col_key = 'procurement_amount') as amount_raw_text,
        max(raw_unit) filter (where col_key = 'procurement_amount') as amount_raw_unit,
        max(flags) filter (where col_key = 'procurement_amount') as amount_flags,

        ---------- provenance
        max(cell_count) filter (where col_key = 'procurement_amount') as amount_cell_count,
        min(page) as page,
        min(cell_ref) as cell_ref

    from per_column
    group by report_id

)

select * from final
