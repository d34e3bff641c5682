with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name = 'requests'

),

row_labels as (

    select key, label_zh, parent_label_zh from {{ ref('template_labels') }}
    where table_name = 'requests' and key_kind = 'row'

),

col_labels as (

    select key, label_zh from {{ ref('template_labels') }}
    where table_name = 'requests' and key_kind = 'col'

),

final as (

    select
        ---------- grain: report × outcome × applicant type
        cells.report_id,
        cells.row_key as outcome,
        row_labels.label_zh as outcome_label_zh,
        cells.col_key as applicant_type,
        col_labels.label_zh as applicant_type_label_zh,
        case
            when cells.row_key like 'deny\_%' escape '\' then 'denied'
            when cells.row_key like 'unable\_%' escape '\' then 'unable_to_provide'
            when cells.row_key like 'reject\_%' escape '\' then 'not_processed'
            when cells.row_key like 'other\_%' escape '\' then 'other'
            else cells.row_key
        end as outcome_group,
        coalesce(nullif(row_labels.parent_label_zh, '三、本年度办理结果'), row_labels.label_zh)
            as outcome_group_label_zh,

        ---------- value
        {{ to_count('cells.value') }} as value,

        ---------- provenance
        cells.raw_text,
        cells.page,
        cells.bbox_x0,
        cells.bbox_top,
        cells.bbox_x1,
        cells.bbox_bottom,
        cells.cell_ref,
        {{ count_flags('cells.value', 'cells.flags') }} as flags

    from cells
    left join row_labels on row_labels.key = cells.row_key
    left join col_labels on col_labels.key = cells.col_key

)

select * from final
