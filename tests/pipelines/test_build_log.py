"""The build log: a row per build, with files added/changed/removed against the last published
build, what extraction read and reused, and the grades."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from pipelines.build_log import finish_build, record_extraction, start_build


def inventory(files: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"relative_path": list(files), "sha256": list(files.values())})


def test_a_build_row_counts_changes_extraction_and_grades(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "build.duckdb")) as conn:
        now = inventory({"a.txt": "1", "b.txt": "2-new", "c.txt": "3"})
        changes = start_build(
            conn, "run-1", tmp_path, now, inventory({"b.txt": "2", "gone.txt": "9", "c.txt": "3"})
        )
        assert changes == {"files": 3, "files_added": 1, "files_changed": 1, "files_removed": 1}
        conn.execute(
            "create table extract.reports as select * from (values"
            " ('a.txt', 'extracted', null), ('b.txt', 'quarantined', null),"
            " ('c.txt', 'quarantined', 'a.txt')) t(source_path, status, duplicate_of)"
        )
        conn.execute("create table extract.raw_reports as select * from (values ('a.txt'))")
        record_extraction(conn, extracted=2, reused=1, seconds=1.5)
        conn.execute(
            "create table main.qa_report_quality as select * from (values"
            " ('a.txt', 'clean'), ('b.txt', 'quarantined'), ('c.txt', 'quarantined'))"
            " t(report_id, grade)"
        )
        finish_build(conn, status="published")
        row = conn.execute(
            "select build_id, status, files_extracted, files_reused, files_quarantined,"
            " duplicates, grade_clean, grade_quarantined, seconds >= 0, checks_evaluated"
            " from meta_builds"
        ).fetchall()
        assert row == [("run-1", "published", 2, 1, 2, 1, 1, 2, True, None)]
        assert conn.execute("select count(*) from extract.current_build").fetchall() == [(0,)]
        assert conn.execute("select * from extract.published_inventory").fetchall() == [("a.txt",)]

        start_build(conn, "run-2", tmp_path, now, None)
        finish_build(conn, status="failed", error="dbt: a test errored")
        log = conn.execute("select build_id, status, error from meta_builds order by 1").fetchall()
        assert log == [("run-1", "published", None), ("run-2", "failed", "dbt: a test errored")]
