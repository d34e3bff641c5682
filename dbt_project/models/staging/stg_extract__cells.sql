with

source as (

    select * from {{ source('extract', 'cells') }}

),

renamed as (

    select
        ---------- keys
        report_id,
        table_name,
        row_key,
        col_key,

        ---------- value
        cast(value as double) as value,
        raw_text,
        unit as raw_unit,

        ---------- provenance
        cast(page as integer) as page,
        bbox_x0,
        bbox_top,
        bbox_x1,
        bbox_bottom,
        cell_ref,
        flags

    from source

)

select * from renamed
