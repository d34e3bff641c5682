"""The QA marts on staging tables built from hand-checked truth: re-derived checks, grades,
chains across years, and one edited cell that makes the matching check fail."""

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.extract.model import ExtractResult, Reason
from tests.fixtures.truth import load_truth, truth_to_result
from tests.fixtures.warehouse import dbt_build, stage_results

pytestmark = pytest.mark.slow

SEEDS = ("000_hangzhou-finance-2019", "003_yuhang-drc-2020", "004_district-finance-2020")
YUHANG = "003_yuhang-drc-2020.txt"
# Seed 003 a year earlier, under the agency's full name (seed agency_aliases maps the two).
YUHANG_2019 = "yuhang-drc-2019.txt"


def staged_results(corpus: Path) -> list[ExtractResult]:
    """Return the seeds, real report 106 (a source defect), a year-earlier 003 and a scan."""
    results = [truth_to_result(f"{seed}.txt", load_truth(corpus, seed)) for seed in SEEDS]
    results.append(truth_to_result("106.txt", load_truth(corpus, "106_pingtan-ziranziyuan-2020")))
    earlier_truth = load_truth(corpus, "003_yuhang-drc-2020")
    earlier_truth["document"] = {"agency": "杭州市余杭区发展和改革局", "year": 2019, "era": "2019"}
    earlier = truth_to_result(YUHANG_2019, earlier_truth)
    scan = ExtractResult(path="scan.pdf", sha256="0" * 64, format="pdf")
    scan.quarantine(Reason.IMAGE_ONLY, "no text layer")
    return [*results, earlier, scan]


@pytest.fixture(scope="module")
def staged(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write truth-derived staging tables into a fresh database and return it (not built)."""
    database = tmp_path_factory.mktemp("staged") / "staged.duckdb"
    stage_results(staged_results(corpus), database)
    return database


def build_copy(staged: Path, folder: Path, edit: str | None = None) -> Path:
    """Copy the staged database, apply an optional SQL edit to it, build it, return it."""
    database = folder / "disclosure.build.duckdb"
    shutil.copyfile(staged, database)
    if edit:
        with duckdb.connect(str(database)) as conn:
            conn.execute(edit)
    completed = dbt_build(database, folder)
    # Source arithmetic warns: the build finishes whatever the reports say.
    assert completed.returncode == 0, completed.stdout[-4000:]
    return database


@pytest.fixture(scope="module")
def built(staged: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the built warehouse of the unedited staging tables."""
    return build_copy(staged, tmp_path_factory.mktemp("built"))


@pytest.fixture(scope="module")
def edited(staged: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the warehouse built after one staged cell of seed 003 was edited (29 → 30)."""
    edit = (
        "update extract.cells set value = 30, raw_text = '30'"
        f" where report_id = '{YUHANG}' and table_name = 'requests'"
        " and row_key = 'new_received' and col_key = 'total'"
    )
    return build_copy(staged, tmp_path_factory.mktemp("edited"), edit)


def query(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def failures(database: Path) -> set[tuple[str, str, str]]:
    rows = query(database, "select report_id, check_id, check_scope from qa_check_results")
    failed = query(
        database,
        "select report_id, check_id, check_scope from qa_check_results"
        " where is_failure and check_family <> 'cross_report'",
    )
    assert rows, "qa_check_results is empty"
    return set(failed)


def test_failures_are_exactly_the_truth_source_defects(built: Path, corpus: Path) -> None:
    defects = load_truth(corpus, "106_pingtan-ziranziyuan-2020")["source_defects"]
    assert failures(built) == {("106.txt", d["check"], d["scope"]) for d in defects}


def test_rederived_checks_agree_with_the_extractor(built: Path) -> None:
    assert query(
        built, "select count(*) from qa_check_results where agrees_with_extractor = false"
    ) == [(0,)]


def test_a_failure_has_both_sides_and_its_cells(built: Path) -> None:
    rows = query(
        built,
        "select left_value, right_value, difference, failure_class, len(cells),"
        " list_filter(cells, lambda c: c.value > 0 and c.side = 'right')[1].cell_ref"
        " from qa_check_results where report_id = '106.txt'"
        " and check_id = 'req_outcome_total' and check_scope = 'total'",
    )
    assert rows == [(9.0, 10.0, -1.0, "source_defect", 20, rows[0][5])]
    assert rows[0][5].startswith("truth ")


def test_seed_004_blank_total_is_pass_derived(built: Path) -> None:
    rows = query(
        built,
        "select check_status, check_detail from qa_check_results"
        " where report_id = '004_district-finance-2020.txt'"
        " and check_id = 'req_balance' and check_scope = 'total'",
    )
    assert rows == [("pass_derived", "17+0 = 17*+0")]


def test_grades(built: Path) -> None:
    grades = dict(query(built, "select report_id, grade from qa_report_quality"))
    assert grades == {
        "000_hangzhou-finance-2019.txt": "clean",
        YUHANG: "clean",
        "004_district-finance-2020.txt": "derived_totals",
        "106.txt": "source_defect",
        YUHANG_2019: "clean",
        "scan.pdf": "quarantined",
    }
    reason = query(built, "select reason from qa_report_quality where report_id = '106.txt'")
    assert "req_outcome_total fails on org_legal_service (0 ≠ 1), total (9 ≠ 10)" in reason[0][0]


def test_carry_chain_follows_a_renamed_agency(built: Path) -> None:
    rows = query(
        built,
        "select check_scope, check_status, compared_report_id, left_value from qa_check_results"
        f" where check_id = 'req_carry_chain' and report_id = '{YUHANG}' order by check_scope",
    )
    # 2020 carried in 1 (natural person) where 2019, as printed, carried out 3: a re-count.
    assert len(rows) == 7
    assert {compared for _, _, compared, _ in rows} == {YUHANG_2019}
    failed = {scope for scope, status, _, _ in rows if status == "fail"}
    assert failed == {"natural_person", "total"}
    # The same report a year on: its items changed (增加7/增加17), so act_items_chain breaks too.
    items = query(
        built,
        "select check_scope from qa_check_results where check_id = 'act_items_chain'"
        f" and report_id = '{YUHANG}' and is_failure order by check_scope",
    )
    assert items == [("admin_penalty",), ("other_mgmt_services",)]
    chains = (
        f"select failed_chain_checks, grade from qa_report_quality where report_id = '{YUHANG}'"
    )
    assert query(built, chains) == [(4, "clean")]


def test_edited_cell_fails_the_matching_check(edited: Path) -> None:
    assert failures(edited) - failures_of_106(edited) == {
        (YUHANG, "req_row_total", "new_received"),
        (YUHANG, "req_balance", "total"),
    }
    row = query(
        edited,
        "select left_value, right_value, rederived_status, extractor_status, failure_class"
        f" from qa_check_results where report_id = '{YUHANG}' and check_id = 'req_row_total'"
        " and check_scope = 'new_received'",
    )
    assert row == [(30.0, 29.0, "fail", "pass", "source_defect")]
    stored = query(
        edited,
        "select report_id, check_scope from main_dbt_test__audit.qa_check_results_req_row_total",
    )
    assert stored == [(YUHANG, "new_received")]
    grade = query(edited, f"select grade from qa_report_quality where report_id = '{YUHANG}'")
    assert grade == [("source_defect",)]


def failures_of_106(database: Path) -> set[tuple[str, str, str]]:
    return {row for row in failures(database) if row[0] == "106.txt"}
