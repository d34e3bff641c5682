"""The raw-folder inventory asset."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from pipelines.assets.documents import raw_reports


def materialize(tmp_path: Path) -> dg.ExecuteInProcessResult:
    database = DuckDBResource(database=str(tmp_path / "build.duckdb"))
    return dg.materialize([raw_reports], resources={"duckdb": database}, raise_on_error=False)


def test_inventory_walks_recursively_and_skips_truth_and_hidden_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    (raw / "2020").mkdir(parents=True)
    (raw / ".git").mkdir()
    (raw / "2020" / "Report.PDF").write_bytes(b"%PDF")
    (raw / "a.txt").write_text("a", encoding="utf-8")
    (raw / "a.truth.json").write_text("{}", encoding="utf-8")
    (raw / ".git" / "config").write_text("", encoding="utf-8")
    monkeypatch.setenv("DISCLOSURE_RAW", str(raw))

    assert materialize(tmp_path).success
    with duckdb.connect(str(tmp_path / "build.duckdb"), read_only=True) as conn:
        rows = conn.execute(
            "select relative_path, size_bytes, suffix from extract.raw_reports order by 1"
        ).fetchall()
    assert rows == [("2020/Report.PDF", 4, ".pdf"), ("a.txt", 1, ".txt")]


def test_a_missing_raw_folder_fails_instead_of_emptying_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCLOSURE_RAW", str(tmp_path / "missing"))
    assert not materialize(tmp_path).success
