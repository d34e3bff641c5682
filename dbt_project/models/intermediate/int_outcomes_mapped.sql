-- Legacy (leg_*) and modern (T3 total column, T4) facts of each report mapped onto one outcome
-- taxonomy through seed `cross_era_measures`. A measure built from several source keys (refused
-- = the eight 不予公开 rows; suits = direct + after review) is given only when every one of its
-- keys is present and readable: a partial sum would be a guess.
with

cells as (

    select * from {{ ref('stg_extract__cells') }}
    where (table_name = 'requests' and col_key = 'total')
        or table_name in ('review_litigation', 'legacy')

),

reports as (

    select report_id, template_era from {{ ref('stg_extract__reports') }}
    where extraction_status = 'extracted'

),

mapping as (

    select * from {{ ref('cross_era_measures') }}

),

expected as (

    select
        source_family,
        measure,
        count(*) as expected_keys,
        max(case when comparability = 'approximate' then 1 else 0 end) = 1 as is_approximate,
        string_agg(distinct comparability_note, '; ') as comparability_note,
        string_agg(source_key, ' + ' order by source_key) as source_keys
    from mapping
    group by source_family, measure

),

mapped as (

    select
        cells.report_id,
        mapping.source_family,
        mapping.measure,
        count(*) as found_keys,
        count(cells.value) as readable_keys,
        sum(cells.value) as value,
        list_distinct(flatten(list(cells.flags))) as flags
    from cells
    inner join reports on reports.report_id = cells.report_id
    inner join mapping
        on mapping.source_key = cells.row_key
        and mapping.source_family = case when cells.table_name = 'legacy' then 'legacy' else 'modern' end
    group by cells.report_id, mapping.source_family, mapping.measure

),

final as (

    select
        mapped.report_id,
        mapped.measure,
        case
            when mapped.found_keys = expected.expected_keys
                and mapped.readable_keys = expected.expected_keys
                then mapped.value
        end as value,
        case
            when mapped.found_keys < expected.expected_keys then 'not_comparable'
            when expected.is_approximate then 'approximate'
            else 'exact'
        end as comparability,
        case
            when mapped.found_keys < expected.expected_keys
                then 'only ' || mapped.found_keys || ' of ' || expected.expected_keys
                    || ' source rows stated: ' || expected.source_keys
            when mapped.readable_keys < expected.expected_keys
                then 'a source cell could not be read: ' || expected.source_keys
            else expected.comparability_note
        end as comparability_note,
        mapped.source_family,
        expected.source_keys,
        mapped.flags
    from mapped
    inner join expected
        on expected.source_family = mapped.source_family
        and expected.measure = mapped.measure

)

select * from final
