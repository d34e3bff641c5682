-- One comparable series across the template eras: report × measure, with the agency's matching
-- key and the comparability of each value (exact / approximate with the reason / not_comparable).
with

mapped as (

    select * from {{ ref('int_outcomes_mapped') }}

),

agencies as (

    select * from {{ ref('int_report_agencies') }}

),

final as (

    select
        ---------- grain: report × measure
        mapped.report_id,
        mapped.measure,

        ---------- who and when
        agencies.agency,
        agencies.agency_key,
        agencies.is_agency_resolved,
        agencies.report_year,
        agencies.template_era,

        ---------- value and how comparable it is
        mapped.value,
        mapped.comparability,
        mapped.comparability_note,
        mapped.source_family,
        mapped.source_keys,
        mapped.flags

    from mapped
    inner join agencies on agencies.report_id = mapped.report_id

)

select * from final
