"""The build log `meta_builds`: one row per build, kept in the warehouse across builds.

A build's row is assembled as it goes: the inventory step opens it in `extract.current_build`
(files added, changed, removed since the last build), the extraction step adds what it read and
reused, and publishing adds the grades and check counts and appends it to `main.meta_builds`
just before the database is copied out. A build that fails is appended with status `failed`
(and its error) by `make run`, so it shows in the next published warehouse.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.extract import EXTRACTOR_VERSION

CURRENT = "extract.current_build"
LOG = "main.meta_builds"
LAST_INVENTORY = "extract.published_inventory"

LOG_COLUMNS = """
    build_id varchar primary key,
    status varchar not null,
    started_at timestamptz,
    finished_at timestamptz,
    seconds double,
    raw_dir varchar,
    files bigint,
    files_added bigint,
    files_changed bigint,
    files_removed bigint,
    files_reused bigint,
    files_extracted bigint,
    files_quarantined bigint,
    duplicates bigint,
    extract_seconds double,
    extractor_version varchar,
    checks_evaluated bigint,
    checks_failed bigint,
    grade_clean bigint,
    grade_derived_totals bigint,
    grade_source_defect bigint,
    grade_extraction_suspect bigint,
    grade_quarantined bigint,
    error varchar
"""


def _now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def start_build(
    conn: duckdb.DuckDBPyConnection,
    build_id: str,
    raw_dir: Path,
    inventory: pl.DataFrame,
    previous: pl.DataFrame | None,
) -> dict[str, int]:
    """Given this build's inventory and that of the last published build (or None), open the
    build's row and return the counts of files added, changed (new bytes) and removed."""
    before = {} if previous is None else dict(previous.select("relative_path", "sha256").rows())
    now = dict(inventory.select("relative_path", "sha256").rows())
    changes = {
        "files": len(now),
        "files_added": len(now.keys() - before.keys()),
        "files_changed": sum(1 for path in now.keys() & before.keys() if now[path] != before[path]),
        "files_removed": len(before.keys() - now.keys()),
    }
    conn.execute("create schema if not exists extract")
    conn.execute(f"create or replace table {CURRENT} ({LOG_COLUMNS})")
    conn.execute(
        f"insert into {CURRENT} (build_id, status, started_at, raw_dir, files, files_added,"
        " files_changed, files_removed, extractor_version)"
        " values (?, 'running', ?, ?, ?, ?, ?, ?, ?)",
        [build_id, _now(), str(raw_dir), *changes.values(), EXTRACTOR_VERSION],
    )
    return changes


def record_extraction(
    conn: duckdb.DuckDBPyConnection, extracted: int, reused: int, seconds: float
) -> None:
    """Add the extraction step's counts to the current build's row (if one is open)."""
    if not _exists(conn, CURRENT):
        return
    conn.execute(
        f"""update {CURRENT} set
            files_extracted = ?, files_reused = ?, extract_seconds = ?,
            files_quarantined = (select count(*) from extract.reports where status = 'quarantined'),
            duplicates = (select count(*) from extract.reports where duplicate_of is not null)""",
        [extracted, reused, seconds],
    )


def finish_build(conn: duckdb.DuckDBPyConnection, status: str, error: str | None = None) -> None:
    """Close the current build's row with its status, grades and checks; append it to the log.

    Grades and checks are read from the marts when they exist (a build that failed before dbt
    has none). The row is then deleted from `extract.current_build`.
    """
    conn.execute(f"create table if not exists {LOG} ({LOG_COLUMNS})")
    if not _exists(conn, CURRENT) or not _count(conn, f"select count(*) from {CURRENT}"):
        return
    conn.execute(
        f"update {CURRENT} set status = ?, error = ?, finished_at = ?,"
        " seconds = epoch(? - started_at)",
        [status, error, _now(), _now()],
    )
    if _exists(conn, "main.qa_report_quality"):
        conn.execute(
            f"""update {CURRENT} set
                grade_clean = (select count(*) from main.qa_report_quality where grade = 'clean'),
                grade_derived_totals = (select count(*) from main.qa_report_quality
                                        where grade = 'derived_totals'),
                grade_source_defect = (select count(*) from main.qa_report_quality
                                       where grade = 'source_defect'),
                grade_extraction_suspect = (select count(*) from main.qa_report_quality
                                            where grade = 'extraction_suspect'),
                grade_quarantined = (select count(*) from main.qa_report_quality
                                     where grade = 'quarantined')"""
        )
    if _exists(conn, "main.qa_check_results"):
        conn.execute(
            f"""update {CURRENT} set
                checks_evaluated = (select count(*) from main.qa_check_results),
                checks_failed = (select count(*) from main.qa_check_results where is_failure)"""
        )
    conn.execute(f"insert or replace into {LOG} select * from {CURRENT}")
    conn.execute(f"delete from {CURRENT}")
    if status == "published" and _exists(conn, "extract.raw_reports"):
        # The next build counts files added, changed and removed against this inventory.
        conn.execute(
            f"create or replace table {LAST_INVENTORY} as select * from extract.raw_reports"
        )


def _count(conn: duckdb.DuckDBPyConnection, query: str) -> int:
    """Return the single integer a `select count(*)` query gives."""
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def _exists(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Given `schema.table`, return whether that table or view exists."""
    schema, name = table.split(".")
    found = conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])
