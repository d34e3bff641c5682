with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name = 'review_litigation'

),

keyed as (

    select
        *,
        regexp_extract(
            row_key,
            '^(suit_after_review|suit_direct|review)_(upheld|corrected|other|pending|total)$',
            ['proceeding', 'result']
        ) as parts
    from cells

),

final as (

    select
        ---------- grain: report × proceeding × result
        report_id,
        parts.proceeding as proceeding,
        parts.result as result,
        row_key as source_key,

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

    from keyed

)

select * from final
