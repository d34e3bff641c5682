-- The operands of every Σ-equality check of report-formats.md §3.2–3.3, one row per report ×
-- check × scope × operand cell, with the cell (NULL when the report lacks it) and its provenance.
{%- set specs = [] -%}
{%- for layout in ["2019", "2021"] -%}
    {%- set leaves = req_leaf_rows(layout) -%}
    {%- for col in req_columns() -%}
        {#- req_balance: new_received + carried_in = outcome_total + carried_out; totals derived. -#}
        {%- for row, side in [("new_received", "left"), ("carried_in", "left"),
                              ("outcome_total", "right"), ("carried_out", "right")] -%}
            {%- do specs.append((layout, "req_balance", col, side, "requests", row, col, true, false, loop.index)) -%}
        {%- endfor -%}
        {#- req_outcome_total: outcome_total (derived if blank) = Σ leaves as printed. -#}
        {%- do specs.append((layout, "req_outcome_total", col, "left", "requests", "outcome_total", col, true, false, 0)) -%}
        {%- for leaf in leaves -%}
            {%- do specs.append((layout, "req_outcome_total", col, "right", "requests", leaf, col, false, false, loop.index)) -%}
        {%- endfor -%}
        {%- if layout == "2021" -%}
            {%- do specs.append((layout, "req_other_split", col, "left", "requests", "other_handling", col, false, false, 0)) -%}
            {%- for part in req_other_2021() -%}
                {%- do specs.append((layout, "req_other_split", col, "right", "requests", part, col, false, false, loop.index)) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for row in req_rows(layout) -%}
        {#- req_row_total: only for rows with a total cell; both sides derived if blank. -#}
        {%- do specs.append((layout, "req_row_total", row, "left", "requests", row, "total", true, true, 0)) -%}
        {#- req_org_subtotal: only for rows with a printed 法人或其他组织 subtotal (§4.6). -#}
        {%- do specs.append((layout, "req_org_subtotal", row, "left", "requests_org_subtotal", row, "org_subtotal", false, true, 0)) -%}
        {%- for col in req_applicant_columns() -%}
            {%- do specs.append((layout, "req_row_total", row, "right", "requests", row, col, true, true, loop.index)) -%}
            {%- if not loop.first -%}
                {%- do specs.append((layout, "req_org_subtotal", row, "right", "requests", row, col, false, true, loop.index)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor -%}
{%- for group, check_id in lit_groups().items() -%}
    {%- do specs.append(("any", check_id, group, "left", "review_litigation", group ~ "_total", none, false, false, 0)) -%}
    {%- for part in lit_parts() -%}
        {%- do specs.append(("any", check_id, group, "right", "review_litigation", group ~ "_" ~ part, none, false, false, loop.index)) -%}
    {%- endfor -%}
{%- endfor %}

with

specs (layout, check_id, check_scope, side, table_name, row_key, col_key, use_derived,
       requires_left_cell, operand_order) as (

    values
    {%- for s in specs %}
        ('{{ s[0] }}', '{{ s[1] }}', '{{ s[2] }}', '{{ s[3] }}', '{{ s[4] }}', '{{ s[5] }}',
         {{ "'" ~ s[6] ~ "'" if s[6] else "null" }}, {{ s[7] }}, {{ s[8] }}, {{ s[9] }}){{ "," if not loop.last }}
    {%- endfor %}

),

cells as (

    select * from {{ ref('int_check_cells') }}

),

-- Which reports carry T3 (and in which layout) and T4: the checks of a table run only on reports
-- that have it.
report_tables as (

    select distinct report_id, req_layout as layout
    from cells
    where table_name = 'requests'

    union all

    select distinct report_id, 'any' as layout
    from cells
    where table_name = 'review_litigation'

),

operands as (

    select
        report_tables.report_id,
        specs.check_id,
        specs.check_scope,
        specs.side,
        specs.operand_order,
        specs.requires_left_cell,
        specs.table_name,
        specs.row_key,
        specs.col_key,
        cells.report_id is not null as is_located,
        case when specs.use_derived then cells.check_value else cells.value end as operand_value,
        coalesce(specs.use_derived and cells.is_derived, false) as is_derived,
        cells.raw_text,
        cells.page,
        cells.bbox,
        cells.cell_ref,
        cells.flags

    from report_tables
    inner join specs on specs.layout = report_tables.layout
    left join cells
        on cells.report_id = report_tables.report_id
       and cells.table_name = specs.table_name
       and cells.row_key = specs.row_key
       and cells.col_key is not distinct from specs.col_key

),

-- Conditional checks (req_row_total, req_org_subtotal) run only where their left cell exists.
applicable as (

    select *
    from operands
    qualify not requires_left_cell
         or bool_or(side = 'left' and is_located)
                over (partition by report_id, check_id, check_scope)

)

select * exclude (requires_left_cell) from applicable
