{#
    Structural grain test: every group of `group_by` has one of `allowed_counts` rows (a table of
    the template located in full). Returns each group with another count.
#}
{% test rows_per_group(model, group_by, allowed_counts) %}

select
    {{ group_by | join(", ") }},
    count(*) as row_count
from {{ model }}
group by {{ group_by | join(", ") }}
having count(*) not in ({{ allowed_counts | join(", ") }})

{% endtest %}
