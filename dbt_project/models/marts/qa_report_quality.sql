-- One grade per report file: quarantined, extraction_suspect, source_defect, derived_totals or
-- clean (in that order of precedence), with the reason in words and the counts behind it.
with

reports as (

    select * from {{ ref('dim_report') }}

),

checks as (

    -- Cross-report chains compare two reports and are often broken by re-counting (§3.2): they
    -- are counted below but do not grade a report.
    select * from {{ ref('qa_check_results') }}
    where check_family <> 'cross_report'

),

chains as (

    select report_id, count(*) filter (where is_failure) as failed_chain_checks
    from {{ ref('qa_check_results') }}
    where check_family = 'cross_report'
    group by report_id

),

unreadable_cells as (

    select * from {{ ref('int_check_cells') }}
    where is_unreadable

),

unreadable as (

    select
        report_id,
        count(*) as unreadable_cells,
        string_agg(distinct table_name, ', ' order by table_name) as unreadable_tables,
        list_sort(list_distinct(list_filter(
            flatten(list(flags)),
            lambda flag: list_contains({{ sql_string_list(var('qa_low_confidence_flags')) }}, flag)
        ))) as unreadable_flags
    from unreadable_cells
    group by report_id

),

-- An extractor invariant a document broke: a value with neither a page nor a cell ref.
unprovenanced as (

    select report_id, count(*) as cells_without_provenance
    from {{ ref('stg_extract__cells') }}
    where page is null and cell_ref is null
    group by report_id

),

per_check as (

    select
        report_id,
        check_id,
        failure_class,
        string_agg(
            check_scope || coalesce(
                ' (' || printf('%g', left_value)
                || case when check_status = 'fail' then ' ≠ ' else ' = ' end
                || printf('%g', right_value) || ')', ''),
            ', ' order by check_scope
        ) as scopes,
        check_status
    from checks
    where check_status in ('fail', 'pass_derived')
    group by report_id, check_id, failure_class, check_status

),

summary as (

    select
        report_id,
        count(*) as check_count,
        count(*) filter (where check_status = 'pass') as passed,
        count(*) filter (where check_status = 'pass_derived') as passed_derived,
        count(*) filter (where check_status = 'fail') as failed,
        count(*) filter (where check_status = 'not_evaluable') as not_evaluable,
        count(*) filter (where failure_class = 'source_defect') as source_defects,
        count(*) filter (where failure_class = 'extraction_suspect') as suspect_failures
    from checks
    group by report_id

),

reasons as (

    select
        report_id,
        string_agg(check_id || ' fails on ' || scopes, '; ' order by check_id)
            filter (where failure_class = 'source_defect') as defect_reason,
        string_agg(check_id || ' fails on ' || scopes, '; ' order by check_id)
            filter (where failure_class = 'extraction_suspect') as suspect_reason,
        string_agg(check_id || ' on ' || scopes, '; ' order by check_id)
            filter (where check_status = 'pass_derived') as derived_reason
    from per_check
    group by report_id

),

graded as (

    select
        reports.report_id,
        reports.agency,
        reports.report_year,
        reports.template_era,
        case
            when reports.status is distinct from 'extracted' then 'quarantined'
            when coalesce(summary.suspect_failures, 0) > 0
                 or coalesce(unreadable.unreadable_cells, 0) > 0
                 or coalesce(unprovenanced.cells_without_provenance, 0) > 0
                then 'extraction_suspect'
            when coalesce(summary.source_defects, 0) > 0 then 'source_defect'
            when coalesce(summary.passed_derived, 0) > 0 then 'derived_totals'
            else 'clean'
        end as grade,
        reports.status,
        reports.quarantine_reason,
        reports.status_detail,
        summary,
        unreadable,
        unprovenanced,
        reasons,
        coalesce(chains.failed_chain_checks, 0) as failed_chain_checks
    from reports
    left join summary on summary.report_id = reports.report_id
    left join unreadable on unreadable.report_id = reports.report_id
    left join unprovenanced on unprovenanced.report_id = reports.report_id
    left join reasons on reasons.report_id = reports.report_id
    left join chains on chains.report_id = reports.report_id

),

final as (

    select
        ---------- grain: report file
        report_id,
        agency,
        report_year,
        template_era,

        ---------- grade
        grade,
        case
            when grade = 'quarantined' then
                'not ingested: ' || coalesce(quarantine_reason, 'no extractor row')
                || coalesce(' (' || status_detail || ')', '')
            when grade = 'extraction_suspect' then
                concat_ws('; ',
                    case when unreadable.unreadable_cells > 0 then
                        unreadable.unreadable_cells || ' cells not read cleanly in '
                        || unreadable.unreadable_tables
                        || coalesce(' (' || nullif(array_to_string(unreadable.unreadable_flags, ', '), '') || ')', '')
                    end,
                    case when unprovenanced.cells_without_provenance > 0 then
                        unprovenanced.cells_without_provenance
                        || ' values without a page or cell ref (an extractor invariant broken)'
                    end,
                    case when reasons.suspect_reason is not null then
                        'failures involving low-confidence cells or the layout: ' || reasons.suspect_reason
                    end,
                    case when reasons.defect_reason is not null then
                        'source defects with cleanly read cells: ' || reasons.defect_reason
                    end)
            when grade = 'source_defect' then
                'the source does not add up (cells read cleanly): ' || reasons.defect_reason
            when grade = 'derived_totals' then
                'blank totals derived from their parts: ' || reasons.derived_reason
            when coalesce(summary.check_count, 0) = 0 then 'no statutory table or stated figure to check'
            else 'all ' || summary.check_count || ' checks evaluated pass'
                || case when coalesce(summary.not_evaluable, 0) > 0
                        then ' (' || summary.not_evaluable || ' not evaluable)' else '' end
        end as reason,

        ---------- counts behind the grade
        coalesce(summary.check_count, 0) as check_count,
        coalesce(summary.passed, 0) as passed_checks,
        coalesce(summary.passed_derived, 0) as pass_derived_checks,
        coalesce(summary.failed, 0) as failed_checks,
        coalesce(summary.not_evaluable, 0) as not_evaluable_checks,
        coalesce(summary.source_defects, 0) as source_defect_checks,
        coalesce(summary.suspect_failures, 0) as suspect_failed_checks,
        coalesce(unreadable.unreadable_cells, 0) as unreadable_cells,
        coalesce(unprovenanced.cells_without_provenance, 0) as cells_without_provenance,
        failed_chain_checks

    from graded

)

select * from final
