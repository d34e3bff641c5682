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

        ---------- document
        reports.agency,
        reports.report_year,
        reports.template_era,
        reports.document_flags,

        ---------- content
        coalesce(cell_counts.cell_count, 0) as cell_count,
        coalesce(failed_checks.failed_check_count, 0) as failed_check_count,
        reports.extractor_version

    from raw_files
    left join reports on reports.report_id = raw_files.report_id
    left join cell_counts on cell_counts.report_id = raw_files.report_id
    left join failed_checks on failed_checks.report_id = raw_files.report_id

)

select * from final
