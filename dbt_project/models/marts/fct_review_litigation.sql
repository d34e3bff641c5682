with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name = 'review_litigation'

),

labels as (

    select key_kind, key, label_zh, parent_label_zh from {{ ref('template_labels') }}
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
        keyed.report_id,
        keyed.parts.proceeding as proceeding,
        concat_ws('·', nullif(proceedings.parent_label_zh, ''), proceedings.label_zh)
            as proceeding_label_zh,
        keyed.parts.result as result,
        results.label_zh as result_label_zh,
        keyed.row_key as source_key,

        ---------- value
        {{ to_count('keyed.value') }} as value,

        ---------- provenance
        keyed.raw_text,
        keyed.page,
        keyed.bbox_x0,
        keyed.bbox_top,
        keyed.bbox_x1,
        keyed.bbox_bottom,
        keyed.cell_ref,
        {{ count_flags('keyed.value', 'keyed.flags') }} as flags

    from keyed
    left join labels as proceedings
        on proceedings.key_kind = 'proceeding' and proceedings.key = keyed.parts.proceeding
    left join labels as results
        on results.key_kind = 'result' and results.key = keyed.parts.result

)

select * from final
