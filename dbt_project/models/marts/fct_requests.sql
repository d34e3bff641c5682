with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name = 'requests'

),

final as (

    select
        ---------- grain: report × outcome × applicant type
        report_id,
        row_key as outcome,
        col_key as applicant_type,
        case
            when row_key like 'deny\_%' escape '\' then 'denied'
            when row_key like 'unable\_%' escape '\' then 'unable_to_provide'
            when row_key like 'reject\_%' escape '\' then 'not_processed'
            when row_key like 'other\_%' escape '\' then 'other'
            else row_key
        end as outcome_group,

        ---------- value
        value,

        ---------- provenance
        raw_text,
        page,
        bbox_x0,
        bbox_top,
        bbox_x1,
        bbox_bottom,
        cell_ref,
        flags

    from cells

)

select * from final
