{#
    One statutory check (report-formats.md §3) as a test on qa_check_results: returns every
    report × scope on which `check_id` fails, with both sides, the difference and the cells
    involved (page, bbox, cell ref), so that stored failures say which source does not add up,
    where, and by how much.
#}
{% test check_holds(model, check_id) %}

select
    report_id,
    check_scope,
    compared_report_id,
    failure_class,
    left_value,
    comparison,
    right_value,
    difference,
    check_detail,
    cells
from {{ model }}
where check_id = '{{ check_id }}'
  and check_status = 'fail'

{% endtest %}
