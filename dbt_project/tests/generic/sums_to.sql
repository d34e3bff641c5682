{#
    Sum check in the shape of report-formats.md §3: within each group, the values whose key is in
    `total` add up to the values whose key is in `parts` (default: every other key). Groups with a
    missing value are skipped, because the extractor already reports them as not_evaluable.
    Returns one row per group that does not add up.
#}
{% test sums_to(model, group_by, key_column, value_column, total, parts=none) %}

{%- set quoted_total -%}
    {%- for key in total %}'{{ key }}'{{ ", " if not loop.last }}{% endfor -%}
{%- endset -%}

with

keyed as (

    select
        {{ group_by | join(", ") }},
        {{ value_column }} as sum_value,
        {{ key_column }} in ({{ quoted_total }}) as is_total
    from {{ model }}
    {%- if parts %}
    where {{ key_column }} in (
        {{ quoted_total }},
        {%- for key in parts %} '{{ key }}'{{ "," if not loop.last }}{% endfor %}
    )
    {%- endif %}

),

grouped as (

    select
        {{ group_by | join(", ") }},
        sum(sum_value) filter (where is_total) as total_value,
        sum(sum_value) filter (where not is_total) as parts_value,
        count(*) filter (where is_total) as total_count,
        count(*) - count(sum_value) as missing_count
    from keyed
    group by {{ group_by | join(", ") }}

)

select *
from grouped
where missing_count = 0
  and total_count = {{ total | length }}
  and total_value <> parts_value

{% endtest %}
