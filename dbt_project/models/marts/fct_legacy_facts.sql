-- Every legacy (≤2018) fact as stated, in its own units: the L1/L2 statistics-form rows and the
-- facts read from prose (`leg_*`), plus form rows that have no leg_* key (`legacy_extra`, kept
-- under their printed label). Categories without a modern twin live here, never in modern columns.
with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where table_name in ('legacy', 'legacy_extra')

),

mapping as (

    select source_key, measure, comparability from {{ ref('cross_era_measures') }}
    where source_family = 'legacy'

),

final as (

    select
        ---------- grain: report × fact
        cells.report_id,
        cells.row_key as fact_key,
        cells.table_name = 'legacy_extra' as is_extra_row,

        ---------- value
        cells.value,
        cells.raw_unit,
        cells.raw_text,

        ---------- cross-era mapping
        mapping.measure as cross_era_measure,
        coalesce(mapping.comparability, 'not_comparable') as comparability,

        ---------- provenance
        list_contains(cells.flags, 'prose') or list_contains(cells.flags, 'prose_zero') as is_from_prose,
        cells.page,
        cells.cell_ref,
        cells.flags

    from cells
    left join mapping
        on mapping.source_key = cells.row_key and cells.table_name = 'legacy'

)

select * from final
