"""mart_agency_year's rates against values computed by hand from two corpus reports' truth
files, plus the types and labels analysts rely on (issue 12)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytestmark = pytest.mark.slow


def row(warehouse: Path, agency: str, year: int) -> dict[str, Any]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        cursor = conn.execute(
            "select * from mart_agency_year where agency_name = ? and report_year = ?",
            [agency, year],
        )
        names = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def rate(found: dict[str, Any], name: str, numerator: int, denominator: int) -> None:
    assert (found[f"{name}_numerator"], found[f"{name}_denominator"]) == (numerator, denominator)
    assert found[name] == pytest.approx(numerator / denominator, abs=1e-6)


def test_pingtan_2021_rates_match_the_hand_computed_values(corpus_warehouse: Path) -> None:
    # real/112 truth, T3 总计 column: handled (七) 69; 予以公开 30; 部分公开 5;
    # 不予公开 5.内部事务 1, 7.行政执法案卷 6, 8.行政查询事项 1 (8 in all);
    # 无法提供 1.本机关不掌握 25.
    # T4: 行政复议 3 (维持 1, 其他 2, 纠正 0, 未审结 0); 直接起诉 12 (维持 12), 复议后起诉 0.
    found = row(corpus_warehouse, "平潭综合实验区", 2021)
    assert found["grade"] == "clean"
    rate(found, "grant_rate", 30, 69)
    rate(found, "full_or_partial_grant_rate", 35, 69)
    rate(found, "refusal_rate", 8, 69)
    rate(found, "refusal_rate_internal_process", 1, 69)
    rate(found, "refusal_rate_enforcement_query", 7, 69)
    rate(found, "refusal_rate_secret_law", 0, 69)
    rate(found, "unable_rate", 25, 69)
    rate(found, "review_correction_rate", 0, 3)
    rate(found, "litigation_loss_rate", 0, 12)
    assert found["received"] == 70
    assert all(found[f"{name}_flag"] is None for name in ("grant_rate", "refusal_rate"))


def test_pingtan_natural_resources_2020_rates_are_flagged_by_the_failed_check(
    corpus_warehouse: Path,
) -> None:
    # real/106 truth: handled (七) printed 9 while its leaves add up to 10 (the source defect
    # req_outcome_total on `total`); 予以公开 2; 部分公开 4; 无法提供 2; nothing refused.
    found = row(corpus_warehouse, "平潭综合实验区自然资源与生态环境局", 2020)
    assert found["grade"] == "source_defect"
    rate(found, "grant_rate", 2, 9)
    rate(found, "full_or_partial_grant_rate", 6, 9)
    rate(found, "refusal_rate", 0, 9)
    rate(found, "unable_rate", 2, 9)
    assert found["grant_rate_flag"] == "failed check"
    assert found["unable_rate_flag"] == "failed check"
    # No review or suit concluded: no rate, and nothing to flag.
    assert found["review_correction_rate_denominator"] == 0
    assert found["review_correction_rate"] is None
    assert found["review_correction_rate_flag"] is None
    assert found["report_files"] == 3


def test_a_derived_total_flags_the_rate(corpus_warehouse: Path) -> None:
    with duckdb.connect(str(corpus_warehouse), read_only=True) as conn:
        flags = conn.execute(
            "select grant_rate_flag from int_report_measures m"
            " join mart_agency_year y using (report_id) where y.grade = 'derived_totals'"
        ).fetchall()
        derived = conn.execute(
            "select count(*) from int_report_measures"
            " where report_id like '%004_district-finance-2020%' and measure = 'outcome_total'"
            " and uses_derived and value = 17"
        ).fetchone()
    # Seed 004's agency is partial (区财政局): it has no agency row, but its measure says derived.
    assert flags == []
    assert derived == (5,)


def test_counts_are_bigint_money_decimal_keys_varchar(corpus_warehouse: Path) -> None:
    with duckdb.connect(str(corpus_warehouse), read_only=True) as conn:
        types = dict(
            conn.execute(
                "select table_name || '.' || column_name, data_type from information_schema.columns"
                " where table_schema = 'main'"
            ).fetchall()
        )
        amount = conn.execute(
            "select amount_wan, amount_yuan from fct_procurement"
            " where report_id = 'seeds/000_hangzhou-finance-2019.txt'"
        ).fetchone()
    for column in (
        "fct_requests.value",
        "fct_review_litigation.value",
        "fct_procurement.procurement_items",
        "fct_proactive.value",
        "fct_legacy_facts.value",
        "mart_agency_year.received",
        "mart_agency_year.grant_rate_numerator",
    ):
        assert types[column] == "BIGINT", column
    for column in ("fct_procurement.amount_wan", "fct_proactive.amount_wan", "fct_fees.amount_wan"):
        assert types[column] == "DECIMAL(18,6)", column
    for column in (
        "fct_procurement.amount_yuan",
        "fct_fees.amount_yuan",
        "fct_legacy_facts.amount_yuan",
    ):
        assert types[column] == "DECIMAL(18,2)", column
    for column in ("fct_requests.report_id", "dim_agency.agency_id", "dim_report.agency_id"):
        assert types[column] == "VARCHAR", column
    assert amount == (Decimal("76.2"), Decimal("762000.00"))


def test_every_key_has_its_printed_label(corpus_warehouse: Path) -> None:
    checks = {
        "fct_requests": "outcome_label_zh is null or applicant_type_label_zh is null",
        "fct_review_litigation": "proceeding_label_zh is null or result_label_zh is null",
        "fct_proactive": "item_label_zh is null or measure_label_zh is null",
        "fct_legacy_facts": "fact_label_zh is null",
        "fct_procurement": "item_label_zh is null or amount_label_zh is null",
    }
    with duckdb.connect(str(corpus_warehouse), read_only=True) as conn:
        for table, missing in checks.items():
            assert conn.execute(f"select count(*) from {table} where {missing}").fetchone() == (0,)
        labels = conn.execute(
            "select outcome_label_zh, applicant_type_label_zh, outcome_group_label_zh"
            " from fct_requests"
            " where outcome = 'deny_third_party' and applicant_type = 'org_commercial' limit 1"
        ).fetchone()
        normative = conn.execute(
            "select distinct template_era, item_label_zh from fct_proactive"
            " where item = 'normative_docs' and source_family = 'modern' order by 1"
        ).fetchall()
    assert labels == ("4.保护第三方合法权益", "商业企业", "（三）不予公开")
    assert normative == [("2019", "规范性文件"), ("2021", "行政规范性文件")]


def test_reports_join_dim_agency_through_agency_id(corpus_warehouse: Path) -> None:
    with duckdb.connect(str(corpus_warehouse), read_only=True) as conn:
        yuhang = conn.execute(
            "select a.agency_name, a.admin_level, a.region, a.parent_region, a.agency_kind,"
            " count(*) from dim_report d join dim_agency a using (agency_id)"
            " where d.report_id like '%003_yuhang%' group by all"
        ).fetchall()
        partial = conn.execute(
            "select count(*) from dim_report"
            " where report_id like '%004_district%' and agency_id is null"
        ).fetchone()
    assert yuhang == [("杭州市余杭区发展和改革局", "区县", "杭州市余杭区", "杭州市", "部门", 5)]
    assert partial == (5,)
