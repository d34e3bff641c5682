-- One row per agency × report year: the headline numbers of the agency's report for that year,
-- rates each with their numerator and denominator, the report's grade, and a flag on every rate
-- that uses a derived cell, a cell not read cleanly, or a cell of a failed check.
-- When several files hold the agency's report for a year (the same report in several formats, or
-- a re-issue), the best-graded one is used and the others are listed.
{%- set measures = ["received", "carried_in", "outcome_total", "carried_out", "granted",
                    "partially_granted", "refused", "refused_secret_law", "refused_security",
                    "refused_third_party", "refused_internal_process", "refused_enforcement_query",
                    "unable", "rejected", "other", "review_total", "review_corrected",
                    "review_pending", "suit_total", "suit_corrected", "suit_pending"] %}
{#- rate: (numerator measures, denominator measure, subtracted from the denominator) -#}
{%- set rates = {
    "grant_rate": (["granted"], "outcome_total", none),
    "full_or_partial_grant_rate": (["granted", "partially_granted"], "outcome_total", none),
    "refusal_rate": (["refused"], "outcome_total", none),
    "refusal_rate_secret_law": (["refused_secret_law"], "outcome_total", none),
    "refusal_rate_security": (["refused_security"], "outcome_total", none),
    "refusal_rate_third_party": (["refused_third_party"], "outcome_total", none),
    "refusal_rate_internal_process": (["refused_internal_process"], "outcome_total", none),
    "refusal_rate_enforcement_query": (["refused_enforcement_query"], "outcome_total", none),
    "unable_rate": (["unable"], "outcome_total", none),
    "review_correction_rate": (["review_corrected"], "review_total", "review_pending"),
    "litigation_loss_rate": (["suit_corrected"], "suit_total", "suit_pending"),
} %}
with

reports as (

    select * from {{ ref('dim_report') }}
    where status = 'extracted' and agency_id is not null and report_year is not null

),

grades as (

    select report_id, grade, reason as grade_reason from {{ ref('qa_report_quality') }}

),

ranked as (

    select
        reports.agency_id,
        reports.report_year,
        reports.report_id,
        reports.template_era,
        grades.grade,
        grades.grade_reason,
        row_number() over (
            partition by reports.agency_id, reports.report_year
            order by
                case grades.grade
                    when 'clean' then 1 when 'derived_totals' then 2
                    when 'source_defect' then 3 else 4 end,
                reports.cell_count desc,
                reports.report_id
        ) as preference,
        list(reports.report_id) over (
            partition by reports.agency_id, reports.report_year
        ) as files
    from reports
    left join grades on grades.report_id = reports.report_id

),

chosen as (

    select * exclude (preference) from ranked where preference = 1

),

measures as (

    select * from {{ ref('int_report_measures') }}

),

pivoted as (

    select
        chosen.agency_id,
        chosen.report_year,
        {%- for m in measures %}
        any_value(measures.value) filter (where measures.measure = '{{ m }}') as {{ m }},
        coalesce(any_value(
            concat_ws(', ',
                case when measures.uses_failed then 'failed check' end,
                case when measures.uses_derived then 'derived cell' end,
                case when measures.uses_unclean then 'cell not read cleanly' end)
        ) filter (where measures.measure = '{{ m }}'), '') as {{ m }}__flag,
        {%- endfor %}
        bool_or(measures.comparability = 'approximate') as has_approximate
    from chosen
    left join measures on measures.report_id = chosen.report_id
    group by chosen.agency_id, chosen.report_year

),

agencies as (

    select * from {{ ref('dim_agency') }}

),

final as (

    select
        ---------- grain: agency × report year
        chosen.agency_id,
        chosen.report_year,

        ---------- who
        agencies.agency_name,
        agencies.admin_level,
        agencies.agency_kind,
        agencies.region,
        agencies.parent_region,

        ---------- which report, and how good it is
        chosen.report_id,
        chosen.template_era,
        chosen.grade,
        chosen.grade_reason,
        len(chosen.files) as report_files,
        list_sort(list_filter(chosen.files, lambda f: f <> chosen.report_id)) as other_report_ids,
        case
            when chosen.template_era = 'legacy' then 'approximate'
            else 'exact'
        end as era_comparability,

        ---------- headline numbers (BIGINT; NULL when the report does not state them)
        {%- for m in measures %}
        pivoted.{{ m }},
        {%- endfor %}

        ---------- rates: numerator, denominator, rate, flag
        {%- for name, spec in rates.items() %}
        {%- set numerator = spec[0] | join(" + pivoted.") %}
        {%- set denominator = "pivoted." ~ spec[1] ~ (" - pivoted." ~ spec[2] if spec[2] else "") %}
        pivoted.{{ numerator }} as {{ name }}_numerator,
        {{ denominator }} as {{ name }}_denominator,
        case when {{ denominator }} > 0
             then round(cast(pivoted.{{ numerator }} as double) / ({{ denominator }}), 6) end as {{ name }},
        nullif(array_to_string(list_sort(list_distinct(list_filter(
            string_split(concat_ws(', '
                {%- for m in spec[0] + [spec[1]] + ([spec[2]] if spec[2] else []) %},
                pivoted.{{ m }}__flag
                {%- endfor %}), ', '),
            lambda f: f <> ''))), ', '), '') as {{ name }}_flag{{ "," if not loop.last }}
        {%- endfor %}

    from chosen
    inner join pivoted
        on pivoted.agency_id = chosen.agency_id and pivoted.report_year = chosen.report_year
    left join agencies on agencies.agency_id = chosen.agency_id

)

select * from final
