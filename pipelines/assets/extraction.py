"""Stage 2: run the extractor core on every raw file, reusing unchanged results."""

import time
from collections.abc import Iterator

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.assets.tables import read_table, write_table
from pipelines.extract import EXTRACTOR_VERSION, ExtractResult, extract_document
from pipelines.extract.staging import results_to_frames
from pipelines.settings import Settings

TABLES = ("reports", "cells", "checks")
DESCRIPTIONS = {
    "reports": "One row per raw file: extracted or quarantined, with agency, year and era.",
    "cells": "One row per extracted value with raw text, page, bbox, cell ref, unit and flags.",
    "checks": "One row per sum check (report-formats.md §3) evaluated on a report.",
}


def cached_frames(
    previous: dict[str, pl.DataFrame | None],
    inventory: pl.DataFrame,
    empty: dict[str, pl.DataFrame],
) -> dict[str, pl.DataFrame]:
    """Given last run's tables and today's inventory, return the rows still valid to reuse.

    A report is reusable when its path, sha256 and extractor version are unchanged; tables that
    are missing or were written with another schema are ignored.
    """
    usable = {
        name: frame
        for name, frame in previous.items()
        if frame is not None and frame.columns == empty[name].columns
    }
    if usable.keys() != empty.keys():
        return empty
    reports = (
        usable["reports"]
        .filter(pl.col("extractor_version") == EXTRACTOR_VERSION)
        .join(
            inventory.rename({"relative_path": "source_path"}),
            on=["source_path", "sha256"],
            how="semi",
        )
    )
    keep = reports.select("report_id")
    return {
        name: frame.join(keep, on="report_id", how="semi").cast(empty[name].schema)
        for name, frame in usable.items()
    }


def describe(result: ExtractResult) -> str:
    """Given an extraction result, return a one-line summary for the run log."""
    if result.reason:
        return f"quarantined ({result.reason}: {result.detail})"
    failed = sum(1 for check in result.checks if str(check.status) == "fail")
    return f"extracted {len(result.cells)} cells, {len(result.checks)} checks ({failed} failed)"


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["extract", name],
            deps=[["extract", "raw_reports"]],
            description=DESCRIPTIONS[name],
            kinds={"polars", "duckdb"},
        )
        for name in TABLES
    ],
    group_name="extraction",
)
def extracted_tables(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource
) -> Iterator[dg.MaterializeResult]:
    """Extract every raw file (reusing unchanged ones) into `extract.reports/cells/checks`."""
    raw_dir = Settings.from_env().raw_dir
    empty = results_to_frames([], EXTRACTOR_VERSION)
    with duckdb.get_connection() as conn:
        inventory = conn.sql("select relative_path, sha256 from extract.raw_reports").pl()
        previous = {name: read_table(conn, f"extract.{name}") for name in TABLES}
    cached = cached_frames(previous, inventory, empty)
    reused = set(cached["reports"]["source_path"].to_list())

    started = time.monotonic()
    fresh: list[ExtractResult] = []
    paths = sorted(inventory["relative_path"].to_list())
    for number, rel in enumerate(paths, start=1):
        if rel in reused:
            context.log.info(f"[{number}/{len(paths)}] {rel}: unchanged, reused")
            continue
        result = extract_document(raw_dir / rel, display_path=rel)
        fresh.append(result)
        context.log.info(f"[{number}/{len(paths)}] {rel}: {describe(result)}")

    frames = results_to_frames(fresh, EXTRACTOR_VERSION)
    combined = {name: pl.concat([cached[name], frames[name]]) for name in TABLES}
    with duckdb.get_connection() as conn:
        for name in TABLES:
            write_table(conn, f"extract.{name}", combined[name])

    reports = combined["reports"]
    quarantined = reports.filter(pl.col("status") == "quarantined").height
    context.log.info(
        f"extraction done in {time.monotonic() - started:.1f}s: {len(fresh)} read, "
        f"{len(reused)} reused, {quarantined} quarantined, {combined['cells'].height} cells"
    )
    yield dg.MaterializeResult(
        asset_key=["extract", "reports"],
        metadata={
            "rows": reports.height,
            "quarantined": quarantined,
            "extracted_now": len(fresh),
            "reused": len(reused),
            "extractor_version": EXTRACTOR_VERSION,
        },
    )
    for name in ("cells", "checks"):
        yield dg.MaterializeResult(
            asset_key=["extract", name], metadata={"rows": combined[name].height}
        )
