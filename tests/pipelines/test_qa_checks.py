"""The statutory-check asset checks sit next to the data they concern, and warn by report."""

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines.checks import extractor_sum_checks
from pipelines.definitions import defs


def test_sum_check_asset_checks_are_on_staging_and_qa_assets() -> None:
    keys = defs.resolve_asset_graph().asset_check_keys
    placed = {(key.asset_key, key.name) for key in keys}
    assert (dg.AssetKey(["extract", "checks"]), "extractor_sum_checks") in placed
    assert (dg.AssetKey(["qa_check_results"]), "statutory_checks_hold") in placed
    assert (dg.AssetKey(["qa_report_quality"]), "reports_are_clean") in placed


def test_every_statutory_dbt_test_is_an_asset_check_on_its_mart() -> None:
    names = {
        key.name
        for key in defs.resolve_asset_graph().asset_check_keys
        if key.asset_key == dg.AssetKey(["qa_check_results"])
    }
    for check_id in ("req_balance", "req_outcome_total", "lit_review_total", "req_carry_chain"):
        assert f"qa_check_results_{check_id}" in names


def test_extractor_failures_warn_and_name_the_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "build.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute("create schema extract")
        conn.execute(
            "create table extract.checks as select * from (values"
            " ('a.txt', 'req_balance', 'total', 'pass', 'hard', '1 = 1'),"
            " ('b.pdf', 'req_outcome_total', 'total', 'fail', 'hard', '9 = 10 (9 ≠ 10)'))"
            " as t(report_id, check_id, scope, status, severity, detail)"
        )
    context = dg.build_asset_check_context()
    result = extractor_sum_checks(context, DuckDBResource(database=str(database)))
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["failing_reports"].value == {
        "b.pdf": ["req_outcome_total[total]: 9 = 10 (9 ≠ 10)"]
    }
