with

source as (

    select * from {{ source('extract', 'checks') }}

),

renamed as (

    select
        report_id,
        check_id,
        scope as check_scope,
        status as check_status,
        severity as check_severity,
        detail as check_detail

    from source

)

select * from renamed
