{#
    The template layouts of report-formats.md §1.4/§1.5 that the §3 checks run over, as lists
    (keys as in the spec; kept in sync with pipelines/extract/labels.py).
#}

{% macro req_columns() %}
    {{ return(["natural_person", "org_commercial", "org_research", "org_public_interest",
               "org_legal_service", "org_other", "total"]) }}
{% endmacro %}

{% macro req_applicant_columns() %}
    {{ return(req_columns()[:-1]) }}
{% endmacro %}

{% macro req_other_2021() %}
    {{ return(["other_no_correction", "other_fee_unpaid", "other_other"]) }}
{% endmacro %}

{#- The outcome leaves (LEAVES of §3.2): rows 3–21 in 2019, rows 3–20 plus 21a–21c in 2021. -#}
{% macro req_leaf_rows(layout) %}
    {% set common = ["granted", "partial",
                     "deny_state_secret", "deny_law_forbidden", "deny_three_security",
                     "deny_third_party", "deny_internal_affairs", "deny_process_info",
                     "deny_enforcement_file", "deny_admin_query",
                     "unable_not_held", "unable_needs_creation", "unable_unclear_after_correction",
                     "reject_petition", "reject_duplicate", "reject_publication",
                     "reject_massive_repeat", "reject_reconfirm"] %}
    {% if layout == "2021" %}
        {{ return(common + req_other_2021()) }}
    {% else %}
        {{ return(common + ["other_handling"]) }}
    {% endif %}
{% endmacro %}

{#- Every data row of a T3 layout (23 rows in 2019, 25 in 2021; the derived other_handling of
    2021 is not a printed row). -#}
{% macro req_rows(layout) %}
    {{ return(["new_received", "carried_in"] + req_leaf_rows(layout) + ["outcome_total", "carried_out"]) }}
{% endmacro %}

{% macro lit_groups() %}
    {{ return({"review": "lit_review_total", "suit_direct": "lit_direct_total",
               "suit_after_review": "lit_after_review_total"}) }}
{% endmacro %}

{% macro lit_parts() %}
    {{ return(["upheld", "corrected", "other", "pending"]) }}
{% endmacro %}

{#- A SQL list literal of strings: ['a', 'b']. -#}
{% macro sql_string_list(values) -%}
    [{% for value in values %}'{{ value }}'{{ ", " if not loop.last }}{% endfor %}]
{%- endmacro %}

{#- A SQL tuple of strings for `in`: ('a', 'b'). -#}
{% macro sql_string_tuple(values) -%}
    ({% for value in values %}'{{ value }}'{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}
