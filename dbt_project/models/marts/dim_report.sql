with

raw_files as (

    select * from {{ ref('stg_extract__raw_reports') }}

),

reports as (

    select * from {{ ref('stg_extract__reports') }}

),

cell_counts as (

    select report_id, count(*) as cell_count
    from {{ ref('stg_extract__cells') }}
    group by report_id

),

agencies as (

    select * from {{ ref('int_report_agencies') }}

),

-- Two different files that claim the same agency and year are both kept, and flagged for a
-- person to decide (a re-issued report, a second format of it, or a mislabelled file).
same_agency_year as (

    select
        report_id,
        list(other_id order by other_id) as same_agency_year_reports
    from (
        select mine.report_id, theirs.report_id as other_id
        from agencies as mine
        join agencies as theirs
            on theirs.agency_key = mine.agency_key
            and theirs.report_year = mine.report_year
            and theirs.report_id <> mine.report_id
        where mine.is_agency_resolved and theirs.is_agency_resolved
    )
    group by report_id

),

failed_checks as (

    select report_id, count(*) as failed_check_count
    from {{ ref('stg_extract__checks') }}
    where check_status = 'fail'
    group by report_id

),

final as (

    select
        ---------- ids
        raw_files.report_id,
        raw_files.source_path,
        raw_files.sha256,

        ---------- file
        raw_files.size_bytes,
        raw_files.file_suffix,
        reports.source_format,

        ---------- extraction outcome
        reports.extraction_status as status,
        reports.quarantine_reason,
        reports.status_detail,
        reports.duplicate_of,

        ---------- document
        {{ agency_id('agencies.agency_key') }} as agency_id,
        reports.agency,
        reports.report_year,
        reports.template_era,
        reports.document_flags,

        ---------- content
        coalesce(cell_counts.cell_count, 0) as cell_count,
        coalesce(failed_checks.failed_check_count, 0) as failed_check_count,
        ---------- review: other files claiming the same agency and year
        coalesce(same_agency_year.same_agency_year_reports, []) as same_agency_year_reports,
        same_agency_year.report_id is not null as needs_review,

        reports.extractor_version

    from raw_files
    left join reports on reports.report_id = raw_files.report_id
    left join cell_counts on cell_counts.report_id = raw_files.report_id
    left join failed_checks on failed_checks.report_id = raw_files.report_id
    left join same_agency_year on same_agency_year.report_id = raw_files.report_id
    -- an agency id only for a resolved name (§4.1: a partial name is never matched by guess)
    left join agencies
        on agencies.report_id = raw_files.report_id and agencies.is_agency_resolved

)

select * from final
