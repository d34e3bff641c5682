"""`make export`: one Parquet and one CSV (UTF-8 with BOM) per mart, read back identical."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.analyst.export import BOM, export_marts
from tests.conftest import REPO

pytestmark = pytest.mark.slow

MARTS = {
    "dim_agency", "dim_report", "fct_fees", "fct_legacy_facts", "fct_outcomes_cross_era",
    "fct_proactive", "fct_procurement", "fct_requests", "fct_review_litigation",
    "mart_agency_year", "qa_check_results", "qa_quarantine", "qa_report_quality",
}  # fmt: skip


@pytest.fixture(scope="module")
def exported(corpus_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the export module as `make export` does, into a temporary folder; return it."""
    out = tmp_path_factory.mktemp("export")
    command = [sys.executable, "-m", "pipelines.analyst.export"]
    command += ["--warehouse", str(corpus_warehouse), "--out", str(out)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def test_one_parquet_and_one_csv_per_mart(exported: Path) -> None:
    assert {p.stem for p in exported.glob("*.parquet")} == MARTS
    assert {p.stem for p in exported.glob("*.csv")} == MARTS
    assert not list(exported.glob(".*"))


@pytest.mark.parametrize("mart", sorted(MARTS))
def test_parquet_reads_back_identical(corpus_warehouse: Path, exported: Path, mart: str) -> None:
    with duckdb.connect(str(corpus_warehouse), read_only=True) as conn:
        conn.execute(
            f"create temp view exported as select * from read_parquet('{exported}/{mart}.parquet')"
        )
        table_types = conn.execute(
            f"select column_name, column_type from (describe {mart})"
        ).fetchall()
        parquet_types = conn.execute(
            "select column_name, column_type from (describe exported)"
        ).fetchall()
        assert parquet_types == table_types
        count = conn.execute(f"select count(*) from {mart}").fetchone()
        assert count is not None and count[0] > 0
        for first, second in ((mart, "exported"), ("exported", mart)):
            missing = conn.execute(
                f"select count(*) from (select * from {first} except all select * from {second})"
            ).fetchone()
            assert missing == (0,), (first, second)


def test_csv_is_utf8_with_bom_and_keeps_the_chinese(exported: Path) -> None:
    data = (exported / "dim_agency.csv").read_bytes()
    assert data.startswith(BOM)
    text = data[len(BOM) :].decode("utf-8")
    assert text.splitlines()[0].startswith("agency_id,")
    assert "杭州市余杭区发展和改革局" in text


def test_no_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make run"):
        export_marts(tmp_path / "missing.duckdb", tmp_path / "out")
