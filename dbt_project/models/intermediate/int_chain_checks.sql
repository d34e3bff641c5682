-- The cross-report checks of report-formats.md §3.2/§3.4, for every pair of reports of the same
-- resolved agency in consecutive years: req_carry_chain (per column), act_items_chain and
-- act_in_force_chain (per row). The check belongs to the later report; the earlier one is
-- `compared_report_id`.
with

agencies as (

    select * from {{ ref('int_report_agencies') }}
    where is_agency_resolved and report_year is not null

),

cells as (

    select * from {{ ref('int_check_cells') }}

),

pairs as (

    select
        later.report_id,
        earlier.report_id as compared_report_id
    from agencies as later
    inner join agencies as earlier
        on earlier.agency_key = later.agency_key
       and earlier.report_year = later.report_year - 1

),

cell_struct as (

    select
        *,
        {{ check_cell("'left'") }} as left_cell,
        {{ check_cell("'right'") }} as right_cell
    from cells

),

carry as (

    select
        pairs.report_id,
        'req_carry_chain' as check_id,
        carried_in.col_key as check_scope,
        pairs.compared_report_id,
        carried_in.value as left_value,
        carried_out.value as right_value,
        [carried_in.left_cell, carried_out.right_cell] as cells
    from pairs
    inner join cell_struct as carried_in
        on carried_in.report_id = pairs.report_id
       and carried_in.table_name = 'requests'
       and carried_in.row_key = 'carried_in'
    inner join cell_struct as carried_out
        on carried_out.report_id = pairs.compared_report_id
       and carried_out.table_name = 'requests'
       and carried_out.row_key = 'carried_out'
       and carried_out.col_key = carried_in.col_key

),

items as (

    select
        pairs.report_id,
        'act_items_chain' as check_id,
        prev_now.row_key as check_scope,
        pairs.compared_report_id,
        prev_now.value as left_value,
        prev_before.value + change_before.value as right_value,
        [
            prev_now.left_cell,
            prev_before.right_cell,
            change_before.right_cell
        ] as cells
    from pairs
    inner join cell_struct as prev_now
        on prev_now.report_id = pairs.report_id
       and prev_now.table_name = 'proactive'
       and prev_now.col_key = 'items_prev_year'
    inner join cell_struct as prev_before
        on prev_before.report_id = pairs.compared_report_id
       and prev_before.table_name = 'proactive'
       and prev_before.row_key = prev_now.row_key
       and prev_before.col_key = 'items_prev_year'
    inner join cell_struct as change_before
        on change_before.report_id = pairs.compared_report_id
       and change_before.table_name = 'proactive'
       and change_before.row_key = prev_now.row_key
       and change_before.col_key = 'items_change'

),

in_force as (

    select
        pairs.report_id,
        'act_in_force_chain' as check_id,
        now_in_force.row_key as check_scope,
        pairs.compared_report_id,
        now_in_force.value as left_value,
        before_in_force.value + issued.value - repealed.value as right_value,
        [
            now_in_force.left_cell,
            before_in_force.right_cell,
            issued.right_cell,
            struct_update(repealed.right_cell, side := 'right_subtracted')
        ] as cells
    from pairs
    inner join cell_struct as now_in_force
        on now_in_force.report_id = pairs.report_id
       and now_in_force.table_name = 'proactive'
       and now_in_force.col_key = 'in_force'
    inner join cell_struct as before_in_force
        on before_in_force.report_id = pairs.compared_report_id
       and before_in_force.table_name = 'proactive'
       and before_in_force.row_key = now_in_force.row_key
       and before_in_force.col_key = 'in_force'
    inner join cell_struct as issued
        on issued.report_id = pairs.report_id
       and issued.table_name = 'proactive'
       and issued.row_key = now_in_force.row_key
       and issued.col_key = 'issued_this_year'
    inner join cell_struct as repealed
        on repealed.report_id = pairs.report_id
       and repealed.table_name = 'proactive'
       and repealed.row_key = now_in_force.row_key
       and repealed.col_key = 'repealed_this_year'

),

unioned as (

    select * from carry
    union all
    select * from items
    union all
    select * from in_force

)

select
    report_id,
    check_id,
    check_scope,
    compared_report_id,
    case
        when left_value is null or right_value is null then 'not_evaluable'
        when abs(left_value - right_value) > 1e-9 then 'fail'
        else 'pass'
    end as status,
    '=' as comparison,
    left_value,
    right_value,
    coalesce(printf('%g', left_value), '?') || ' = ' || coalesce(printf('%g', right_value), '?')
        || ' (vs ' || compared_report_id || ')' as detail,
    cells
from unioned
