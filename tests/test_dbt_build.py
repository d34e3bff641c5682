"""The dbt marts, tested on staging tables built from hand-checked truth (no extractor involved)."""

from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.extract.model import (
    CheckResult,
    CheckStatus,
    ExtractResult,
    Reason,
)
from tests.fixtures.truth import load_truth, truth_to_result
from tests.fixtures.warehouse import dbt_build, stage_results

pytestmark = pytest.mark.slow

SEEDS = ("000_hangzhou-finance-2019", "003_yuhang-drc-2020", "004_district-finance-2020")


def staged_results(corpus: Path) -> list[ExtractResult]:
    """Return the seeds' truth, a copy of seed 003 whose total does not add up, and a scan."""
    results = [truth_to_result(f"{seed}.txt", load_truth(corpus, seed)) for seed in SEEDS]
    defect = truth_to_result("defect.txt", load_truth(corpus, "003_yuhang-drc-2020"))
    for cell in defect.cells:
        if (cell.table, cell.row, cell.col) == ("requests", "new_received", "total"):
            cell.value = 30
    defect.checks = [CheckResult("req_row_total", "new_received", CheckStatus.FAIL, "30 ≠ 29")]
    scan = ExtractResult(path="scans/scan.pdf", sha256="0" * 64, format="pdf")
    scan.quarantine(Reason.IMAGE_ONLY, "no text layer")
    return [*results, defect, scan]


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write truth-derived staging tables into a fresh database, run `dbt build`, return it."""
    folder = tmp_path_factory.mktemp("dbt")
    database = folder / "disclosure.build.duckdb"
    stage_results(staged_results(corpus), database)
    completed = dbt_build(database, folder)
    assert completed.returncode == 0, completed.stdout[-4000:]
    return database


def query(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_dim_report_has_every_file_including_quarantined(built: Path) -> None:
    rows = query(built, "select report_id, status from dim_report order by report_id")
    assert len(rows) == 5
    assert ("scans/scan.pdf", "quarantined") in rows
    assert query(built, "select report_id, quarantine_reason from qa_quarantine") == [
        ("scans/scan.pdf", "image_only")
    ]


def test_fct_requests_keeps_values_and_provenance(built: Path) -> None:
    rows = query(
        built,
        "select value, raw_text, cell_ref, outcome_group from fct_requests"
        " where report_id = '003_yuhang-drc-2020.txt'"
        " and outcome = 'new_received' and applicant_type = 'total'",
    )
    assert rows == [(29.0, "29", "truth new_received.total", "new_received")]
    count = "select count(*) from fct_requests where report_id = '003_yuhang-drc-2020.txt'"
    assert query(built, count) == [(23 * 7,)]


def test_blank_totals_stay_missing(built: Path) -> None:
    rows = query(
        built,
        "select value from fct_requests where report_id = '004_district-finance-2020.txt'"
        " and outcome = 'outcome_total' and applicant_type = 'total'",
    )
    assert rows == [(None,)]


def test_fct_review_litigation_splits_the_key(built: Path) -> None:
    rows = query(
        built,
        "select proceeding, count(*) from fct_review_litigation"
        " where report_id = '003_yuhang-drc-2020.txt' group by proceeding order by proceeding",
    )
    assert rows == [("review", 5), ("suit_after_review", 5), ("suit_direct", 5)]


def test_fct_procurement_converts_wan_to_yuan(built: Path) -> None:
    rows = query(
        built,
        "select report_id, procurement_items, amount_wan, amount_yuan, amount_raw_unit"
        " from fct_procurement order by report_id",
    )
    by_report = {row[0]: row[1:] for row in rows}
    # Counts are BIGINT and money DECIMAL (issue 12): compare as numbers.
    assert tuple(map(float, by_report["000_hangzhou-finance-2019.txt"][:2])) == (26.0, 76.2)
    assert float(by_report["000_hangzhou-finance-2019.txt"][2]) == 762000.0
    assert float(by_report["004_district-finance-2020.txt"][2]) == 261589700.0
    assert by_report["004_district-finance-2020.txt"][3] == "万元"


def test_source_defects_warn_and_are_stored(built: Path) -> None:
    failures = query(
        built,
        "select report_id, total_value, parts_value"
        " from main_dbt_test__audit.fct_requests_req_row_total",
    )
    assert failures == [("defect.txt", 30.0, 29.0)]
    # The warehouse re-derives every check from the cells: the edited total breaks the row sum
    # and the balance of its column.
    checks = (
        "select report_id, check_id from qa_check_results"
        " where is_failure and report_id = 'defect.txt' order by check_id"
    )
    assert query(built, checks) == [("defect.txt", "req_balance"), ("defect.txt", "req_row_total")]
