-- Every extracted cell with what the sum checks need: the value a check uses (a blank total
-- derived from its parts, report-formats.md §4.3), the T3 layout, and how cleanly it was read.
with

cells as (

    select * from {{ ref('stg_extract__cells') }}

),

request_layouts as (

    select
        report_id,
        case
            when bool_or(row_key in {{ sql_string_tuple(req_other_2021()) }})
                then '2021'
            else '2019'
        end as req_layout
    from cells
    where table_name = 'requests'
    group by report_id

),

requests as (

    select cells.*, request_layouts.req_layout
    from cells
    inner join request_layouts on request_layouts.report_id = cells.report_id
    where cells.table_name = 'requests'

),

-- A blank total is derived from its row (the six applicant columns) first, then, for the
-- （七）总计 row, from its column's leaves; only when every part was read (as the extractor does).
row_sums as (

    select
        report_id,
        row_key,
        case when count(value) = {{ req_applicant_columns() | length }} then sum(value) end as applicant_sum
    from requests
    where col_key in {{ sql_string_tuple(req_applicant_columns()) }}
    group by report_id, row_key

),

leaf_sums as (

    select
        report_id,
        col_key,
        case
            when count(value) = (case any_value(req_layout)
                                     when '2021' then {{ req_leaf_rows('2021') | length }}
                                     else {{ req_leaf_rows('2019') | length }} end)
                then sum(value)
        end as leaf_sum
    from requests
    where (req_layout = '2019' and row_key in {{ sql_string_tuple(req_leaf_rows('2019')) }})
       or (req_layout = '2021' and row_key in {{ sql_string_tuple(req_leaf_rows('2021')) }})
    group by report_id, col_key

),

final as (

    select
        ---------- keys
        cells.report_id,
        cells.table_name,
        cells.row_key,
        cells.col_key,
        request_layouts.req_layout,

        ---------- values
        cells.value,
        case
            when cells.table_name = 'requests'
                 and cells.value is null
                 and list_contains(cells.flags, 'total_blank')
                then coalesce(
                    case when cells.col_key = 'total' then row_sums.applicant_sum end,
                    case when cells.row_key = 'outcome_total' then leaf_sums.leaf_sum end
                )
            else cells.value
        end as check_value,

        ---------- reading quality
        cells.value is null
            and not list_contains(cells.flags, 'total_blank')
            and not list_contains(cells.flags, 'derived') as is_unreadable,
        list_has_any(cells.flags, {{ sql_string_list(var('qa_low_confidence_flags')) }}) as is_low_confidence,
        list_has_any(cells.flags, {{ sql_string_list(var('qa_realignment_flags')) }}) as is_realigned,

        ---------- provenance
        cells.raw_text,
        cells.raw_unit,
        cells.page,
        case
            when cells.bbox_x0 is not null
                then [cells.bbox_x0, cells.bbox_top, cells.bbox_x1, cells.bbox_bottom]
        end as bbox,
        cells.cell_ref,
        cells.flags

    from cells
    left join request_layouts on request_layouts.report_id = cells.report_id
    left join row_sums
        on row_sums.report_id = cells.report_id and row_sums.row_key = cells.row_key
    left join leaf_sums
        on leaf_sums.report_id = cells.report_id and leaf_sums.col_key = cells.col_key

)

select
    *,
    value is null and check_value is not null as is_derived
from final
