-- One row per extracted report with its agency's matching key: the printed name normalised
-- (full-width → half-width, whitespace dropped, 人民政府 → 政府) and mapped through the seed of
-- known aliases, so that a renamed or abbreviated agency chains across years.
with

reports as (

    select * from {{ ref('stg_extract__reports') }}
    where extraction_status = 'extracted'

),

aliases as (

    select
        {{ normalise_agency('alias') }} as alias_key,
        {{ normalise_agency('canonical_agency') }} as canonical_key
    from {{ ref('agency_aliases') }}

),

normalised as (

    select
        report_id,
        agency,
        report_year,
        template_era,
        {{ normalise_agency('agency') }} as printed_key,
        -- §4.1: a partial or unresolved name (seed 004's 区财政局) must not be matched by guess.
        agency is not null
            and not list_has_any(
                coalesce(document_flags, []), ['agency_partial', 'agency_unresolved']
            ) as is_agency_resolved
    from reports

),

final as (

    select
        normalised.report_id,
        normalised.agency,
        normalised.report_year,
        normalised.template_era,
        coalesce(aliases.canonical_key, normalised.printed_key) as agency_key,
        aliases.canonical_key is not null as is_alias,
        normalised.is_agency_resolved
    from normalised
    left join aliases on aliases.alias_key = normalised.printed_key

)

select * from final
