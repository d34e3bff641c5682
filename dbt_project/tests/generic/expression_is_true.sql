{#
    Row-level invariant (jaffle-shop's `expression_is_true` idea, without dbt_utils): returns the
    rows for which `expression` is not true. Use the test's own `config: where:` to narrow it.
#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
