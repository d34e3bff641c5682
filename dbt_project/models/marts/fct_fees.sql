-- Every fee amount a report states, one row per report × fee item, with its unit resolved and
-- the amount in both 万元 and 元 (report-formats.md §3.4 act_amount_unit_resolved, §4.4):
--   * `admin_fees_collected`: 2021 T2 第二十条第（八）项 行政事业性收费·本年收费金额 (万元 by the header);
--   * `disclosure_fees`: legacy L1 七、依申请公开信息收取的费用 (万元), from the form or prose;
--   * any legacy extra form row printed in 元 or 万元 (e.g. 政府信息公开收费减免金额), under its label.
with

modern as (

    select
        report_id,
        template_era,
        'admin_fees_collected' as fee_item,
        item_label_zh || '·' || measure_label_zh as fee_label_zh,
        amount_wan,
        amount_yuan,
        amount_unit_source,
        raw_text,
        raw_unit,
        false as is_from_prose,
        page,
        cell_ref,
        flags
    from {{ ref('fct_proactive') }}
    where source_family = 'modern' and measure = 'fee_amount_wan'

),

legacy as (

    select
        report_id,
        'legacy' as template_era,
        case
            when fact_key = 'leg_fees_wan' then 'disclosure_fees'
            when fact_key = 'leg_budget_wan' then 'disclosure_budget'
            else fact_key
        end as fee_item,
        fact_label_zh as fee_label_zh,
        amount_wan,
        amount_yuan,
        case
            when raw_text like '%元%' and not is_from_prose then 'cell'
            when is_from_prose and amount_wan = 0 then 'zero_statement'
            when raw_unit is not null then 'form_unit'
        end as amount_unit_source,
        raw_text,
        raw_unit,
        is_from_prose,
        page,
        cell_ref,
        flags
    from {{ ref('fct_legacy_facts') }}
    where value_kind = 'money'

),

unioned as (

    select * from modern
    union all by name
    select * from legacy

),

reports as (

    select report_id, agency, report_year from {{ ref('dim_report') }}

)

select
    ---------- grain: report × fee item
    unioned.report_id,
    unioned.fee_item,
    unioned.fee_label_zh,
    unioned.template_era,
    reports.agency,
    reports.report_year,

    ---------- amount, unit resolved
    unioned.amount_wan,
    unioned.amount_yuan,
    unioned.amount_unit_source,

    ---------- provenance
    unioned.raw_text,
    unioned.raw_unit,
    unioned.is_from_prose,
    unioned.page,
    unioned.cell_ref,
    unioned.flags

from unioned
left join reports on reports.report_id = unioned.report_id
