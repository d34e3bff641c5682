"""The single DuckDB writer of extraction: `extract.reports/cells/checks` from the plan, the rows
reused from the last build and the Parquet the extraction steps wrote.

Everything happens inside DuckDB (reused rows are copied table to table, new rows are streamed
from `read_parquet`), in one transaction: a killed load leaves the last build's tables intact.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.extract import EXTRACTOR_VERSION
from pipelines.extract.staging import results_to_frames
from pipelines.extraction_plan import DUPLICATE, REUSE
from pipelines.staging_store import StagingStore

TABLES = ("reports", "cells", "checks")
# The pipeline's own quarantine reason (beside the contract's): same bytes as another file.
DUPLICATE_REASON = "duplicate"


def shard_folder(shard: int) -> str:
    """Return the store folder of one extraction step's files."""
    return f"shard-{shard}"


def batch_name(shard: int, batch: int, table: str) -> str:
    """Return the store name of one extraction step's batch of one table."""
    return f"{shard_folder(shard)}/batch-{batch:05d}.{table}.parquet"


def summary_name(shard: int) -> str:
    """Return the store name of the summary an extraction step writes when it is done."""
    return f"{shard_folder(shard)}/done.json"


def reusable_reports(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame | None:
    """Return the last build's report keys (source_path, sha256, extractor_version,
    duplicate_of), or None when its tables are missing or have another schema than today's."""
    expected = results_to_frames([], EXTRACTOR_VERSION)
    for name in TABLES:
        columns = [
            row[0]
            for row in conn.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'extract' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
        ]
        if columns != expected[name].columns:
            return None
    return conn.sql(
        "select source_path, sha256, extractor_version, duplicate_of from extract.reports"
    ).pl()


def duplicate_reports(reports: pl.DataFrame, duplicates: dict[str, str]) -> pl.DataFrame:
    """Given the extracted report rows and {duplicate: original}, return one report row per
    duplicate, with `duplicate_of` set and no facts of its own.

    A duplicate of an extracted report is quarantined as `duplicate`; a duplicate of a
    quarantined file (two empty files, one scan under two names) keeps that file's reason.
    """
    if not duplicates:
        return reports.clear()
    links = pl.DataFrame(
        {"source_path": list(duplicates), "duplicate_of": list(duplicates.values())}
    )
    originals = reports.drop("duplicate_of").rename({"source_path": "duplicate_of"})
    same_bytes = pl.format("the same bytes (sha256) as {}", "duplicate_of")
    was_extracted = pl.col("status") == "extracted"
    return (
        links.join(originals, on="duplicate_of", how="inner")
        .with_columns(
            report_id=pl.col("source_path"),
            reason=pl.when(was_extracted)
            .then(pl.lit(DUPLICATE_REASON))
            .otherwise(pl.col("reason")),
            detail=pl.when(was_extracted)
            .then(pl.format("{}, which is extracted once", same_bytes))
            .otherwise(pl.format("{} ({})", pl.col("detail"), same_bytes)),
        )
        .with_columns(status=pl.lit("quarantined"))
        .select(reports.columns)
    )


def load_staging(
    conn: duckdb.DuckDBPyConnection, store: StagingStore, plan: pl.DataFrame
) -> dict[str, int]:
    """Given the build database, the staging store and the build's plan, replace
    `extract.reports/cells/checks` with the reused rows, the new batches and one row per
    duplicate; return the row count of each table."""
    empty = results_to_frames([], EXTRACTOR_VERSION)
    reused = plan.filter(pl.col("action") == REUSE).select(report_id="relative_path")
    duplicates = dict(
        plan.filter(pl.col("action") == DUPLICATE).select("relative_path", "duplicate_of").rows()
    )
    conn.execute("create schema if not exists extract")
    conn.execute("begin transaction")
    try:
        conn.register("reused_reports", reused.to_arrow())
        for name in TABLES:
            target = f"extract.{name}__next"
            conn.register("empty_frame", empty[name].to_arrow())
            conn.execute(f"create or replace table {target} as select * from empty_frame")
            conn.unregister("empty_frame")
            if reused.height:
                conn.execute(
                    f"insert into {target} by name select * from extract.{name}"
                    " where report_id in (select report_id from reused_reports)"
                )
            batches = store.glob(f"shard-*/batch-*.{name}.parquet")
            if batches:
                conn.execute(
                    f"insert into {target} by name select * from read_parquet(?)",
                    [store.duckdb_urls(conn, batches)],
                )
        conn.register(
            "originals",
            pl.DataFrame(
                {"path": sorted(set(duplicates.values()))}, schema={"path": pl.String()}
            ).to_arrow(),
        )
        reports = conn.sql(
            "select * from extract.reports__next where source_path in (select path from originals)"
        ).pl()
        conn.register("duplicate_rows", duplicate_reports(reports, duplicates).to_arrow())
        conn.execute("insert into extract.reports__next by name select * from duplicate_rows")
        counts: dict[str, int] = {}
        for name in TABLES:
            conn.execute(f"drop table if exists extract.{name}")
            conn.execute(f"alter table extract.{name}__next rename to {name}")
            counts[name] = conn.sql(f"select count(*) from extract.{name}").fetchall()[0][0]
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    finally:
        for view in ("reused_reports", "originals", "duplicate_rows"):
            conn.unregister(view)
    return counts
