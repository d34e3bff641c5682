with

source as (

    select * from {{ source('extract', 'raw_reports') }}

),

renamed as (

    select
        ---------- ids
        relative_path as report_id,
        relative_path as source_path,
        sha256,

        ---------- file facts
        cast(size_bytes as bigint) as size_bytes,
        lower(suffix) as file_suffix

    from source

)

select * from renamed
