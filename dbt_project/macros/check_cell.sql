{#
    Given a side expression and a column prefix (a table alias with its dot, or empty), return
    the struct that qa_check_results lists for each cell involved in a check: where it was printed
    (report, table/row/col, page, bbox, cell ref), what was read (raw text, value) and its flags.
#}
{% macro check_cell(side, prefix="", value=none, is_derived="false") -%}
{
    'side': {{ side }},
    'report_id': {{ prefix }}report_id,
    'table_name': {{ prefix }}table_name,
    'row_key': {{ prefix }}row_key,
    'col_key': {{ prefix }}col_key,
    'value': {{ value if value else prefix ~ "value" }},
    'is_derived': {{ is_derived }},
    'raw_text': {{ prefix }}raw_text,
    'page': {{ prefix }}page,
    'bbox': {{ prefix }}bbox,
    'cell_ref': {{ prefix }}cell_ref,
    'flags': {{ prefix }}flags
}
{%- endmacro %}
