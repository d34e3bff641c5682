"""Python asset checks on the staging tables: invariants the pipeline itself guarantees."""

import dagster as dg
from dagster_duckdb import DuckDBResource


@dg.asset_check(
    asset=dg.AssetKey(["extract", "reports"]),
    blocking=True,
    description="Every file in the raw inventory has a row in extract.reports.",
)
def every_raw_file_has_report(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    """Return a failing result listing raw files the extractor produced no row for."""
    with duckdb.get_connection() as conn:
        missing = [
            row[0]
            for row in conn.execute(
                "select relative_path from extract.raw_reports"
                " anti join extract.reports on reports.source_path = raw_reports.relative_path"
                " order by relative_path"
            ).fetchall()
        ]
    return dg.AssetCheckResult(
        passed=not missing,
        metadata={"missing": len(missing), "examples": ", ".join(missing[:10])},
    )


@dg.asset_check(
    asset=dg.AssetKey(["extract", "cells"]),
    blocking=True,
    description="Every extracted value carries provenance: a page or a cell ref.",
)
def cells_have_provenance(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    """Return a failing result counting cells with neither a page nor a cell ref."""
    with duckdb.get_connection() as conn:
        row = conn.execute(
            "select count(*), string_agg(distinct report_id, ', ') from extract.cells"
            " where page is null and cell_ref is null"
        ).fetchall()[0]
    orphans, reports = row
    return dg.AssetCheckResult(
        passed=orphans == 0,
        metadata={"cells_without_provenance": orphans, "reports": reports or ""},
    )
