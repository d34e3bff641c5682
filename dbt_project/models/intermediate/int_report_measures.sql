-- The headline measures of every extracted report on one taxonomy (seed cross_era_measures,
-- plus the 不予公开 reason groups of the modern T3), from the cells the checks use: a blank total
-- derived from its parts counts (and says so), and each measure says whether a cell behind it
-- was derived, not read cleanly, or involved in a failed check (report-formats.md §3).
{%- set reason_groups = {
    "refused_secret_law": ["deny_state_secret", "deny_law_forbidden"],
    "refused_security": ["deny_three_security"],
    "refused_third_party": ["deny_third_party"],
    "refused_internal_process": ["deny_internal_affairs", "deny_process_info"],
    "refused_enforcement_query": ["deny_enforcement_file", "deny_admin_query"],
} %}
with

mapping as (

    select source_family, source_key, measure, comparability from {{ ref('cross_era_measures') }}

    union all

    select * from (
        values
        {%- for group, keys in reason_groups.items() %}
            {%- set outer_last = loop.last %}
            {%- for key in keys %}
            ('modern', '{{ key }}', '{{ group }}', 'exact'){{ "," if not (outer_last and loop.last) }}
            {%- endfor %}
        {%- endfor %}
    ) as reason_groups (source_family, source_key, measure, comparability)

),

expected as (

    select source_family, measure, count(*) as expected_keys,
           bool_or(comparability = 'approximate') as is_approximate
    from mapping
    group by source_family, measure

),

cells as (

    select * from {{ ref('int_check_cells') }}
    where (table_name = 'requests' and col_key = 'total')
       or table_name in ('review_litigation', 'legacy')

),

-- Cells involved in a failed per-report check (chains compare two reports and do not count).
failed_cells as (

    select distinct
        involved.cell.report_id,
        involved.cell.table_name,
        involved.cell.row_key,
        involved.cell.col_key
    from {{ ref('int_checks_rederived') }} as checks
    cross join unnest(checks.cells) as involved(cell)
    where checks.status = 'fail'

    union

    select distinct
        involved.cell.report_id,
        involved.cell.table_name,
        involved.cell.row_key,
        involved.cell.col_key
    from {{ ref('int_checks_rederived') }} as checks
    inner join {{ ref('stg_extract__checks') }} as extractor
        on extractor.report_id = checks.report_id
       and extractor.check_id = checks.check_id
       and extractor.check_scope is not distinct from checks.check_scope
    cross join unnest(checks.cells) as involved(cell)
    where extractor.check_status = 'fail'

),

flagged as (

    select
        cells.*,
        case when cells.table_name = 'legacy' then 'legacy' else 'modern' end as source_family,
        failed_cells.report_id is not null as in_failed_check
    from cells
    left join failed_cells
        on failed_cells.report_id = cells.report_id
       and failed_cells.table_name = cells.table_name
       and failed_cells.row_key = cells.row_key
       and failed_cells.col_key is not distinct from cells.col_key

),

mapped as (

    select
        flagged.report_id,
        mapping.source_family,
        mapping.measure,
        count(*) as found_keys,
        count(flagged.check_value) as readable_keys,
        sum(flagged.check_value) as value,
        bool_or(flagged.is_derived) as uses_derived,
        bool_or(flagged.in_failed_check) as uses_failed,
        bool_or(flagged.is_low_confidence or flagged.is_unreadable) as uses_unclean
    from flagged
    inner join mapping
        on mapping.source_key = flagged.row_key
       and mapping.source_family = flagged.source_family
    group by all

)

select
    mapped.report_id,
    mapped.measure,
    mapped.source_family,
    -- a measure made of several rows is given only when every one is stated and readable
    case
        when mapped.found_keys = expected.expected_keys and mapped.readable_keys = expected.expected_keys
            then cast(mapped.value as bigint)
    end as value,
    case
        when mapped.found_keys < expected.expected_keys then 'not_comparable'
        when expected.is_approximate then 'approximate'
        else 'exact'
    end as comparability,
    mapped.uses_derived,
    mapped.uses_failed,
    mapped.uses_unclean or mapped.readable_keys < mapped.found_keys as uses_unclean
from mapped
inner join expected
    on expected.source_family = mapped.source_family and expected.measure = mapped.measure
