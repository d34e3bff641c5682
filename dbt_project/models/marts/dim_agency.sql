-- One row per agency (resolved names only, after normalisation and the agency_aliases seed):
-- its normalised name, every name reports printed for it, and what its name says about it: the
-- administrative level, the region and parent region, and its kind. Nothing is guessed: a part
-- the name does not state stays NULL (`level_basis` says how the level was read).
with

agencies as (

    select * from {{ ref('int_report_agencies') }}
    where is_agency_resolved

),

aliases as (

    select
        {{ normalise_agency('canonical_agency') }} as agency_key,
        any_value(canonical_agency) as canonical_agency,
        list(distinct alias order by alias) as seed_aliases
    from {{ ref('agency_aliases') }}
    group by 1

),

printed as (

    select
        agency_key,
        regexp_replace(agency, '[\s\x{3000}\x{00a0}]+', '', 'g') as printed_name,
        count(*) as report_count
    from agencies
    group by 1, 2

),

per_agency as (

    select
        agency_key,
        -- the name printed by most reports (ties: the longest, then alphabetical)
        arg_max(printed_name, report_count * 1000 + length(printed_name)) as most_printed_name,
        list(printed_name order by printed_name) as names_seen
    from printed
    group by agency_key

),

years as (

    select
        agency_key,
        count(distinct report_id) as report_count,
        min(report_year) as first_year,
        max(report_year) as last_year
    from agencies
    group by agency_key

),

named as (

    select
        per_agency.agency_key,
        coalesce(
            regexp_replace(aliases.canonical_agency, '[\s\x{3000}\x{00a0}]+', '', 'g'),
            per_agency.most_printed_name
        ) as agency_name,
        per_agency.names_seen,
        coalesce(aliases.seed_aliases, []) as seed_aliases,
        years.report_count,
        years.first_year,
        years.last_year
    from per_agency
    inner join years on years.agency_key = per_agency.agency_key
    left join aliases on aliases.agency_key = per_agency.agency_key

),

-- The place parts a name starts with: 省/自治区, then 市/自治州/盟, then 区/县/旗 (including
-- 开发区 and 综合实验区 style zones), then a 镇/乡/街道 that the name's own government is of.
parsed as (

    select
        *,
        regexp_extract(
            agency_name,
            '^((?:[^省]{2,6}省|[^区]{2,6}自治区)?)((?:[^区县省]{1,8}?(?:市|自治州|盟))?)((?:[^区县]{1,10}?(?:区|县|旗))?)(?:(.{1,8}?(?:镇|乡|街道))(?:人民政府|政府|办事处))?',
            ['province', 'city', 'county', 'town']
        ) as place
    from named

),

placed as (

    select
        *,
        nullif(place.province, '') as province,
        nullif(place.city, '') as city,
        nullif(place.county, '') as county,
        nullif(place.town, '') as town,
        regexp_matches(agency_name, '^(国务院|国家|中华人民共和国|中国|海关总署|.{2,8}总局$)')
            and place.province = '' and place.city = '' and place.county = '' as is_central,
        place.city in ('北京市', '天津市', '上海市', '重庆市') as is_municipality,
        regexp_matches(coalesce(nullif(place.county, ''), ''),
                       '(开发区|高新区|新区|实验区|示范区|片区|园区|自贸区|试验区)$') as is_zone
    from parsed

),

final as (

    select
        ---------- ids
        {{ agency_id('agency_key') }} as agency_id,
        agency_key,

        ---------- names
        agency_name,
        names_seen,
        seed_aliases,

        ---------- what the name says
        case
            when is_central then 'ministry'
            when town is not null then '乡镇街道'
            when county is not null then '区县'
            when city is not null and is_municipality then '省'
            when city is not null then '市'
            when province is not null then '省'
        end as admin_level,
        case
            when is_central then 'name: a central (国务院/国家…) body'
            when county is not null and is_zone then 'name: a zone (' || county || '), taken as county level'
            when coalesce(town, county, city, province) is not null then 'name: ' || coalesce(town, county, city, province)
            else 'not stated in the name'
        end as level_basis,
        nullif(concat(coalesce(province, ''), coalesce(city, ''), coalesce(county, ''), coalesce(town, '')), '')
            as region,
        case
            when town is not null then nullif(concat(coalesce(province, ''), coalesce(city, ''), coalesce(county, '')), '')
            when county is not null then nullif(concat(coalesce(province, ''), coalesce(city, '')), '')
            when city is not null and not is_municipality then province
        end as parent_region,
        province,
        city,
        county,
        town,
        case
            when regexp_matches(agency_name, '(政府办公室|政府办公厅|政府办)$') then '办公室'
            when town is not null then '人民政府'
            when regexp_matches(agency_name, '^.{0,20}?(人民政府|政府)$') then '人民政府'
            when regexp_matches(agency_name, '(管委会|管理委员会|开发区|高新区|新区|实验区|示范区|片区|园区|试验区)$')
                then '片区·开发区'
            else '部门'
        end as agency_kind,

        ---------- reports
        report_count,
        first_year,
        last_year

    from placed

)

select * from final
