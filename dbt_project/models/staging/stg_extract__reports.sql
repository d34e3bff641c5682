with

source as (

    select * from {{ source('extract', 'reports') }}

),

renamed as (

    select
        ---------- ids
        report_id,
        source_path,
        sha256,

        ---------- extraction outcome
        format as source_format,
        status as extraction_status,
        reason as quarantine_reason,
        detail as status_detail,

        ---------- document metadata
        agency,
        cast(year as integer) as report_year,
        era as template_era,
        document_flags,

        ---------- duplicates: the file with the same bytes that was extracted instead
        duplicate_of,

        ---------- lineage
        extractor_version

    from source

)

select * from renamed
