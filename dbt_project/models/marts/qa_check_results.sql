-- Every check of report-formats.md §3 on every report: the extractor's evaluation and the
-- warehouse's own re-derivation from the cells side by side, plus the cross-report chains. Each
-- row says whether it holds, both sides as numbers, and every cell involved with its provenance.
with

extractor as (

    select * from {{ ref('stg_extract__checks') }}

),

rederived as (

    select *, cast(null as varchar) as compared_report_id
    from {{ ref('int_checks_rederived') }}

    union all by name

    select * from {{ ref('int_chain_checks') }}

),

catalog as (

    select * from {{ ref('check_catalog') }}

),

cells as (

    select * from {{ ref('int_check_cells') }}

),

reports as (

    select report_id, agency, report_year from {{ ref('dim_report') }}

),

-- The row checks that a re-aligned row was fitted under (§4.7, §4.10): when it holds, the
-- re-alignment is the one reading of the row, and a failure elsewhere survives it.
row_checks as (

    select report_id, check_scope as row_key, status as row_check_status
    from {{ ref('int_checks_rederived') }}
    where check_id in ('req_row_total', 'lit_review_total', 'lit_direct_total', 'lit_after_review_total')

),

joined as (

    select
        coalesce(rederived.report_id, extractor.report_id) as report_id,
        coalesce(rederived.check_id, extractor.check_id) as check_id,
        coalesce(rederived.check_scope, extractor.check_scope) as check_scope,
        rederived.compared_report_id,
        extractor.check_status as extractor_status,
        extractor.check_severity as extractor_severity,
        extractor.check_detail as extractor_detail,
        rederived.status as rederived_status,
        rederived.detail as rederived_detail,
        rederived.comparison,
        rederived.left_value,
        rederived.right_value,
        rederived.cells
    from rederived
    full outer join extractor
        on extractor.report_id = rederived.report_id
       and extractor.check_id = rederived.check_id
       and extractor.check_scope is not distinct from rederived.check_scope
       and rederived.compared_report_id is null

),

-- Checks only the extractor evaluates (leg_*, prose_*, req_prose_match) flow through; their
-- sides are read back from the detail (`25 = 0+0+0+0+23+2 (25 ≠ 25)`, `3 ≤ 7`) when it has that shape.
sides as (

    select
        *,
        regexp_extract(extractor_detail, '^\s*([-+0-9.*?]+)\s*(=|≤|≥)\s*([-+0-9.*?]+)(\s*\(.*\))?\s*$', ['lhs', 'op', 'rhs']) as parsed
    from joined

),

resolved as (

    select
        report_id,
        check_id,
        check_scope,
        compared_report_id,
        extractor_status,
        extractor_severity,
        extractor_detail,
        rederived_status,
        rederived_detail,
        coalesce(comparison, nullif(parsed.op, '')) as comparison,
        coalesce(
            left_value,
            case when nullif(parsed.lhs, '') is not null and parsed.lhs not like '%?%'
                then list_sum(list_transform(regexp_extract_all(parsed.lhs, '[-+]?[0-9.]+'), lambda term: cast(term as double)))
            end
        ) as left_value,
        coalesce(
            right_value,
            case when nullif(parsed.rhs, '') is not null and parsed.rhs not like '%?%'
                then list_sum(list_transform(regexp_extract_all(parsed.rhs, '[-+]?[0-9.]+'), lambda term: cast(term as double)))
            end
        ) as right_value,
        coalesce(cells, []) as cells
    from sides

),

-- A failure is never hidden: if either evaluation fails, the check fails.
statused as (

    select
        *,
        case
            when 'fail' in (rederived_status, extractor_status) then 'fail'
            else coalesce(rederived_status, extractor_status)
        end as check_status,
        case
            when rederived_status is null or extractor_status is null then null
            else rederived_status = extractor_status
        end as agrees_with_extractor
    from resolved

),

-- Which involved cells make a failure suspect: read with low confidence, unreadable, or re-aligned
-- in a row whose own check does not hold.
involved as (

    select
        statused.report_id,
        statused.check_id,
        statused.check_scope,
        statused.compared_report_id,
        count(*) filter (
            where cells.is_low_confidence
               or cells.is_unreadable
               or (cells.is_realigned and row_checks.row_check_status not in ('pass', 'pass_derived'))
        ) as suspect_cells
    from statused
    cross join unnest(statused.cells) as involved_cell(cell)
    left join cells
        on cells.report_id = involved_cell.cell.report_id
       and cells.table_name = involved_cell.cell.table_name
       and cells.row_key = involved_cell.cell.row_key
       and cells.col_key is not distinct from involved_cell.cell.col_key
    left join row_checks
        on row_checks.report_id = cells.report_id
       and row_checks.row_key = case
               when cells.table_name = 'review_litigation'
                   then regexp_extract(cells.row_key, '^(suit_after_review|suit_direct|review)_', 1)
               else cells.row_key
           end
    where statused.check_status = 'fail'
    group by all

),

final as (

    select
        ---------- grain: report × check × scope (× the earlier report, for chains)
        statused.report_id,
        statused.check_id,
        statused.check_scope,
        statused.compared_report_id,

        ---------- what the check is
        coalesce(catalog.check_family, split_part(statused.check_id, '_', 1)) as check_family,
        coalesce(catalog.severity, statused.extractor_severity, 'hard') as check_severity,
        coalesce(catalog.check_kind, 'arithmetic') as check_kind,

        ---------- result
        statused.check_status,
        statused.check_status = 'fail' as is_failure,
        case
            when statused.check_status <> 'fail' then null
            when coalesce(catalog.check_kind, 'arithmetic') = 'structural' then 'extraction_suspect'
            when coalesce(involved.suspect_cells, 0) > 0 then 'extraction_suspect'
            else 'source_defect'
        end as failure_class,
        statused.comparison,
        statused.left_value,
        statused.right_value,
        statused.left_value - statused.right_value as difference,
        coalesce(statused.rederived_detail, statused.extractor_detail) as check_detail,

        ---------- the cells involved, with provenance
        statused.cells,
        len(statused.cells) as cell_count,
        coalesce(involved.suspect_cells, 0) as suspect_cell_count,

        ---------- cross-check against the extractor's own evaluation
        statused.extractor_status,
        statused.extractor_detail,
        statused.rederived_status,
        statused.agrees_with_extractor,

        ---------- context
        reports.agency,
        reports.report_year

    from statused
    left join catalog on catalog.check_id = statused.check_id
    left join involved
        on involved.report_id = statused.report_id
       and involved.check_id = statused.check_id
       and involved.check_scope is not distinct from statused.check_scope
       and involved.compared_report_id is not distinct from statused.compared_report_id
    left join reports on reports.report_id = statused.report_id

)

select * from final
