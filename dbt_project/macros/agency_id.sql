{#
    Given a SQL expression holding an agency's matching key (int_report_agencies.agency_key),
    return its stable VARCHAR id: `ag_` and the first 12 hex digits of the key's md5.
#}
{% macro agency_id(agency_key) -%}
case when {{ agency_key }} is not null then 'ag_' || left(md5({{ agency_key }}), 12) end
{%- endmacro %}
