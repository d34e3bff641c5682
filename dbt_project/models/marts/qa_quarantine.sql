with

reports as (

    select * from {{ ref('dim_report') }}

),

final as (

    select
        report_id,
        source_path,
        sha256,
        size_bytes,
        file_suffix,
        source_format,
        coalesce(quarantine_reason, 'not_extracted') as quarantine_reason,
        coalesce(status_detail, 'the extractor produced no row for this file') as status_detail,
        duplicate_of

    from reports
    where status is distinct from 'extracted'

)

select * from final
