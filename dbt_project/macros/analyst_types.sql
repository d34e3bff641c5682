{#
    Types an analyst expects (issue 12): counts as BIGINT, money as DECIMAL in 万元 and 元.
    A count that is not a whole number (a parse or alignment fault, flagged by req_nonneg_int and
    friends in qa_check_results) is never rounded: it becomes NULL and its flags say why.
#}
{% macro to_count(expression) -%}
case when {{ expression }} = floor({{ expression }}) then cast({{ expression }} as bigint) end
{%- endmacro %}

{% macro count_flags(expression, flags) -%}
case
    when {{ expression }} is not null and {{ expression }} <> floor({{ expression }})
        then list_append(coalesce({{ flags }}, []), 'not_a_whole_number')
    else {{ flags }}
end
{%- endmacro %}

{#- Given an amount in 万元, return it as DECIMAL(18, 6) 万元 (exact to the 分). -#}
{% macro to_wan(expression) -%}
cast(round({{ expression }}, 6) as decimal(18, 6))
{%- endmacro %}

{#- Given an amount in 万元, return it in 元 as DECIMAL(18, 2). -#}
{% macro wan_to_yuan(expression) -%}
cast(round({{ expression }} * 10000, 2) as decimal(18, 2))
{%- endmacro %}
