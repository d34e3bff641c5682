"""Issue 9's nightly over a real, dirty folder: the corpus plus every bad input, every
not-a-report fixture and a duplicate. The build exits 0 and publishes; every bad or unrelated
file is in qa_quarantine with its expected reason; the fact marts of the good files are
identical to those of the build without them; the build log has a row per build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.bad_inputs.generate import write_bad_inputs
from tests.conftest import CORPUS, REPO
from tests.fixtures.not_reports import write_not_report_fixtures

pytestmark = pytest.mark.slow

FACT_MARTS = (
    "fct_requests",
    "fct_review_litigation",
    "fct_procurement",
    "fct_legacy_facts",
    "fct_outcomes_cross_era",
)
DUPLICATE = "corpus-copy/000_hangzhou-finance-2019-word-again.pdf"
ORIGINAL = "corpus/rendered/000_hangzhou-finance-2019-word.pdf"


def build(raw: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run `make run`'s build of `raw` into `folder`; return the finished process."""
    env = {
        **os.environ,
        "DISCLOSURE_RAW": str(raw),
        "DISCLOSURE_WAREHOUSE": str(folder / "disclosure.duckdb"),
        "DAGSTER_HOME": str(folder / "dagster_home"),
    }
    command = [sys.executable, "-m", "pipelines.build", "run"]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)


def outside_files(raw: Path) -> dict[str, int]:
    """Return {path: mtime_ns} of the files a build must never write: the raw folder and the
    repository's dbt project and seed reports."""
    files = {}
    for folder in (raw, REPO / "dbt_project", REPO / "raw"):
        for path in folder.rglob("*"):
            if path.is_file() and "target" not in path.relative_to(folder).parts:
                files[str(path)] = path.stat().st_mtime_ns
    return files


def table_rows(warehouse: Path, table: str) -> list[tuple[object, ...]]:
    """Return every row of a table in a stable order (all columns, sorted)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return sorted(conn.execute(f"select * from {table}").fetchall(), key=repr)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Build the corpus alone, keep a copy of that warehouse, then add the dirt and rebuild."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    root = tmp_path_factory.mktemp("dirty")
    raw, folder = root / "raw", root / "warehouse"
    shutil.copytree(CORPUS, raw / "corpus")
    clean = build(raw, folder)
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    shutil.copyfile(folder / "disclosure.duckdb", root / "clean.duckdb")

    expected = {f"bad/{name}": reason for name, reason in write_bad_inputs(raw / "bad").items()}
    expected |= {
        f"notreport/{name}": reason
        for name, reason in write_not_report_fixtures(raw / "notreport").items()
    }
    (raw / DUPLICATE).parent.mkdir()
    shutil.copyfile(raw / ORIGINAL, raw / DUPLICATE)
    expected[DUPLICATE] = "duplicate"
    # The corpus's own description and manifest are not reports either.
    expected |= {"corpus/README.md": "not_a_report", "corpus/manifest.tsv": "unsupported_format"}
    outside = outside_files(raw)
    dirty = build(raw, folder)
    return {
        "clean": root / "clean.duckdb",
        "dirty": folder / "disclosure.duckdb",
        "process": dirty,
        "expected": expected,
        "outside_before": outside,
        "outside_after": outside_files(raw),
    }


def test_the_dirty_build_exits_0_and_publishes(builds: dict[str, object]) -> None:
    process = builds["process"]
    assert isinstance(process, subprocess.CompletedProcess)
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    assert "published" in process.stdout
    assert "dbt-build.log" in process.stdout


def test_every_bad_or_unrelated_file_is_quarantined_with_its_reason(
    builds: dict[str, object],
) -> None:
    expected = builds["expected"]
    assert isinstance(expected, dict)
    assert len(expected) >= 20 + 9 + 1
    with duckdb.connect(str(builds["dirty"]), read_only=True) as conn:
        found = dict(
            conn.execute("select report_id, quarantine_reason from qa_quarantine").fetchall()
        )
    wrong = {
        name: (reason, found.get(name)) for name, reason in expected.items()
        if found.get(name) != reason
    }  # fmt: skip
    assert not wrong, wrong


def test_the_build_writes_only_under_the_warehouse_and_dagster_home(
    builds: dict[str, object],
) -> None:
    assert builds["outside_after"] == builds["outside_before"]


def test_every_quarantined_file_has_a_detail(builds: dict[str, object]) -> None:
    with duckdb.connect(str(builds["dirty"]), read_only=True) as conn:
        blank = conn.execute(
            "select report_id from qa_quarantine where coalesce(trim(status_detail), '') = ''"
        ).fetchall()
    assert blank == []


def test_the_fact_marts_equal_those_of_the_build_without_the_dirt(
    builds: dict[str, object],
) -> None:
    for table in FACT_MARTS:
        clean = table_rows(Path(str(builds["clean"])), table)
        dirty = table_rows(Path(str(builds["dirty"])), table)
        assert clean, table
        assert dirty == clean, table


def test_the_duplicate_is_recorded_and_extracted_once(builds: dict[str, object]) -> None:
    with duckdb.connect(str(builds["dirty"]), read_only=True) as conn:
        row = conn.execute(
            "select status, duplicate_of, cell_count from dim_report where report_id = ?",
            [DUPLICATE],
        ).fetchall()
        facts = conn.execute(
            "select count(*) from fct_requests where report_id = ?", [DUPLICATE]
        ).fetchall()
    assert row == [("quarantined", ORIGINAL, 0)]
    assert facts == [(0,)]


def test_files_claiming_the_same_agency_and_year_are_kept_and_flagged(
    builds: dict[str, object],
) -> None:
    with duckdb.connect(str(builds["dirty"]), read_only=True) as conn:
        rows = conn.execute(
            "select report_id, same_agency_year_reports from dim_report"
            " where report_id like 'corpus/rendered/003_yuhang-drc-2020-%' order by report_id"
        ).fetchall()
    assert len(rows) == 4  # the browser PDF, DOCX, HTML and Word PDF renderings
    for report_id, others in rows:
        assert report_id not in others
        assert len(others) >= 3


def test_the_build_log_has_one_row_per_build(builds: dict[str, object]) -> None:
    with duckdb.connect(str(builds["dirty"]), read_only=True) as conn:
        log = conn.execute(
            "select status, files_added, files_reused, files_extracted, duplicates,"
            " files_quarantined, grade_quarantined, checks_evaluated, extractor_version"
            " from meta_builds order by started_at"
        ).fetchall()
    expected = builds["expected"]
    assert isinstance(expected, dict)
    assert [row[0] for row in log] == ["published", "published"]
    first, second = log
    assert second[1] == len(expected) - 2  # every dirty file was added (not the corpus's two)
    assert second[2] == first[3]  # the corpus was reused, not read again
    with duckdb.connect(str(builds["dirty"]), read_only=True) as conn:
        duplicates = conn.execute(
            "select count(*) - count(distinct sha256) from dim_report"
        ).fetchall()[0][0]
    assert second[4] == duplicates >= 1
    assert second[5] == second[6] >= len(expected)
    assert second[7] > 0
    assert second[8]
