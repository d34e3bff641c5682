-- Every per-report check of report-formats.md §3.2–3.4, re-derived from the cells independently
-- of the extractor's own evaluation: one row per report × check × scope with both sides as
-- numbers, the status, and the cells involved with their provenance.
with

operands as (

    select * from {{ ref('int_sum_check_operands') }}

),

cells as (

    select * from {{ ref('int_check_cells') }}

),

---------- Σ-equalities (req_balance, req_outcome_total, req_row_total, req_other_split,
---------- req_org_subtotal, lit_*_total)

sums as (

    select
        report_id,
        check_id,
        check_scope,
        '=' as comparison,
        sum(operand_value) filter (where side = 'left') as left_value,
        sum(operand_value) filter (where side = 'right') as right_value,
        count(*) filter (where operand_value is null) as missing_operands,
        bool_or(is_derived) as uses_derived,
        string_agg(coalesce(printf('%g', operand_value), '?') || case when is_derived then '*' else '' end, '+'
                   order by operand_order) filter (where side = 'left')
            || ' = '
            || string_agg(coalesce(printf('%g', operand_value), '?') || case when is_derived then '*' else '' end, '+'
                          order by operand_order) filter (where side = 'right') as detail,
        list({{ check_cell('side', value='operand_value', is_derived='is_derived') }}
             order by side, operand_order) as cells
    from operands
    group by report_id, check_id, check_scope

),

sum_results as (

    select
        * exclude (missing_operands, uses_derived),
        case
            when missing_operands > 0 then 'not_evaluable'
            when abs(left_value - right_value) > 1e-9 then 'fail'
            when uses_derived then 'pass_derived'
            else 'pass'
        end as status
    from sums

),

---------- cell-level checks (non-negative integers, §3.2–3.4): left = offending cells, right = 0

cell_rules as (

    select
        *,
        case table_name
            when 'requests' then 'req_nonneg_int'
            when 'review_litigation' then 'lit_nonneg_int'
            when 'proactive' then 'act_nonneg'
        end as check_id,
        table_name as check_scope,
        case
            when value is null then false
            -- §3.4: items_change is signed; amounts need not be whole numbers.
            when table_name = 'proactive' and col_key = 'items_change' then false
            when table_name = 'proactive' and col_key in ('procurement_amount', 'fee_amount_wan')
                then value < 0
            else value < 0 or value <> floor(value)
        end as is_offending
    from cells
    where table_name in ('requests', 'review_litigation', 'proactive')

),

nonneg_results as (

    select
        report_id,
        check_id,
        check_scope,
        '=' as comparison,
        cast(count(*) filter (where is_offending) as double) as left_value,
        0.0 as right_value,
        count(*) filter (where is_offending) || ' offending of ' || count(*) || ' cells' as detail,
        coalesce(list({{ check_cell("'left'") }}) filter (where is_offending), []) as cells,
        case when bool_or(is_offending) then 'fail' else 'pass' end as status
    from cell_rules
    group by report_id, check_id, check_scope

),

---------- structural checks: cells located (left) against the layout's expectation (right)

request_layout_cells as (

    select *
    from cells
    where table_name = 'requests'
      and (
          (req_layout = '2019' and row_key in {{ sql_string_tuple(req_rows('2019')) }})
          or (req_layout = '2021' and row_key in {{ sql_string_tuple(req_rows('2021')) }})
      )

),

req_cell_count as (

    select
        report_id,
        'req_cell_count' as check_id,
        'requests' as check_scope,
        '=' as comparison,
        cast(count(*) as double) as left_value,
        cast(case any_value(req_layout)
                 when '2021' then {{ req_rows('2021') | length * req_columns() | length }}
                 else {{ req_rows('2019') | length * req_columns() | length }} end as double) as right_value,
        count(*) || ' cells located, ' || count(*) filter (where is_unreadable) || ' unreadable' as detail,
        coalesce(list({{ check_cell("'left'") }}) filter (where is_unreadable), []) as cells,
        count(*) filter (where is_unreadable) as unreadable
    from request_layout_cells
    group by report_id

),

lit_cell_count as (

    select
        report_id,
        'lit_cell_count' as check_id,
        'review_litigation' as check_scope,
        '=' as comparison,
        cast(count(*) filter (where not list_contains(flags, 'ambiguous_alignment')) as double) as left_value,
        15.0 as right_value,
        count(*) || ' cells located, '
            || count(*) filter (where list_contains(flags, 'ambiguous_alignment')) || ' ambiguous' as detail,
        coalesce(list({{ check_cell("'left'") }}) filter (where list_contains(flags, 'ambiguous_alignment')), []) as cells
    from cells
    where table_name = 'review_litigation'
    group by report_id

),

structural_results as (

    select
        * exclude (unreadable),
        case when left_value = right_value and unreadable = 0 then 'pass' else 'fail' end as status
    from req_cell_count

    union all by name

    select
        *,
        case when left_value = right_value then 'pass' else 'fail' end as status
    from lit_cell_count

),

---------- T2 plausibility (§3.4), per row

proactive as (

    select * from cells where table_name = 'proactive'

),

proactive_rows as (

    select
        report_id,
        row_key,
        any_value(value) filter (where col_key = 'published_this_year') as published_this_year,
        any_value(value) filter (where col_key = 'published_total') as published_total,
        any_value(value) filter (where col_key = 'items_prev_year') as items_prev_year,
        any_value(value) filter (where col_key = 'items_change') as items_change,
        bool_or(col_key = 'published_this_year') and bool_or(col_key = 'published_total') as has_published,
        bool_or(col_key = 'items_prev_year') and bool_or(col_key = 'items_change') as has_items,
        list({{ check_cell("case when col_key = 'published_total' then 'right' else 'left' end") }} order by col_key) filter (where col_key in ('published_this_year', 'published_total')) as published_cells,
        list({{ check_cell("'left'") }} order by col_key desc) filter (where col_key in ('items_prev_year', 'items_change')) as items_cells
    from proactive
    where row_key in ('rules', 'normative_docs')
       or col_key in ('items_prev_year', 'items_change')
    group by report_id, row_key

),

plausibility_results as (

    select
        report_id,
        'act_published_le_total' as check_id,
        row_key as check_scope,
        '≤' as comparison,
        published_this_year as left_value,
        published_total as right_value,
        coalesce(printf('%g', published_this_year), '?') || ' ≤ ' || coalesce(printf('%g', published_total), '?') as detail,
        published_cells as cells,
        case
            when published_this_year is null or published_total is null then 'not_evaluable'
            when published_this_year <= published_total then 'pass'
            else 'fail'
        end as status
    from proactive_rows
    where has_published

    union all

    select
        report_id,
        'act_items_nonneg' as check_id,
        row_key as check_scope,
        '≥' as comparison,
        items_prev_year + items_change as left_value,
        0.0 as right_value,
        coalesce(printf('%g', items_prev_year), '?') || coalesce(printf('%+g', items_change), '+?') || ' ≥ 0' as detail,
        items_cells as cells,
        case
            when items_prev_year is null or items_change is null then 'not_evaluable'
            when items_prev_year + items_change >= 0 then 'pass'
            else 'fail'
        end as status
    from proactive_rows
    where has_items

),

---------- money units (§3.4 act_amount_unit_resolved, §4.4), per row

unit_results as (

    select
        report_id,
        'act_amount_unit_resolved' as check_id,
        row_key as check_scope,
        '=' as comparison,
        sum(value) as left_value,
        cast(null as double) as right_value,
        string_agg(coalesce(nullif(trim(raw_text), ''), 'blank') || ' → ' || coalesce(printf('%g', value), '?') || ' 万元', '; ') as detail,
        list({{ check_cell("'left'") }}) as cells,
        case
            when bool_or(list_contains(flags, 'amount_unit_unknown')) then 'fail'
            when bool_or(value is null) then 'not_evaluable'
            else 'pass'
        end as status
    from proactive
    where col_key in ('procurement_amount', 'fee_amount_wan')
    group by report_id, row_key

),

unioned as (

    select * from sum_results
    union all by name
    select * from nonneg_results
    union all by name
    select * from structural_results
    union all by name
    select * from plausibility_results
    union all by name
    select * from unit_results

)

select
    report_id,
    check_id,
    check_scope,
    status,
    comparison,
    left_value,
    right_value,
    detail,
    cells
from unioned
