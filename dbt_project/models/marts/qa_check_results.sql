with

checks as (

    select * from {{ ref('stg_extract__checks') }}

),

reports as (

    select report_id, agency, report_year from {{ ref('dim_report') }}

),

final as (

    select
        ---------- grain: report × check × scope
        checks.report_id,
        checks.check_id,
        checks.check_scope,

        ---------- result
        checks.check_status,
        checks.check_severity,
        checks.check_status = 'fail' as is_failure,
        checks.check_detail,

        ---------- context
        reports.agency,
        reports.report_year

    from checks
    left join reports on reports.report_id = checks.report_id

)

select * from final
