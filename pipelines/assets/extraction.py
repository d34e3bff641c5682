"""Stage 2: run the extractor core on every distinct raw file, reusing unchanged results."""

import time
from collections.abc import Iterator
from functools import partial

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.assets.tables import read_table, write_table
from pipelines.build_log import record_extraction
from pipelines.extract import EXTRACTOR_VERSION, ExtractResult, extract_document
from pipelines.extract.staging import results_to_frames
from pipelines.progress import FileProgress
from pipelines.settings import Settings
from pipelines.workers import Job, Limits, extract_files

TABLES = ("reports", "cells", "checks")
# The pipeline's own quarantine reason (beside the contract's): same bytes as another file.
DUPLICATE_REASON = "duplicate"
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

    A report is reusable when its path, sha256 and extractor version are unchanged and it was
    extracted, not recorded as a duplicate; tables that are missing or were written with another
    schema are ignored.
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
        # A duplicate's row is rebuilt each time from its original, never reused.
        .filter(
            (pl.col("extractor_version") == EXTRACTOR_VERSION) & pl.col("duplicate_of").is_null()
        )
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


def find_duplicates(inventory: pl.DataFrame, known: set[str] | None = None) -> dict[str, str]:
    """Given the inventory, return {duplicate path: original path} for files of equal bytes.

    Of each set of equal files one is the original, extracted once: a path already extracted
    by an earlier build (in `known`) first, so a copy added later never takes the facts away
    from the file that had them; else the first path in sort order. The others are recorded as
    its duplicates and carry no facts of their own.
    """
    known = known or set()
    duplicates: dict[str, str] = {}
    for _sha, group in inventory.group_by("sha256"):
        paths = sorted(group["relative_path"].to_list(), key=lambda p: (p not in known, p))
        duplicates.update({path: paths[0] for path in paths[1:]})
    return duplicates


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
    """Extract every raw file (reusing unchanged ones, once per distinct content) in worker
    processes under per-file limits, into `extract.reports/cells/checks`."""
    settings = Settings.from_env()
    empty = results_to_frames([], EXTRACTOR_VERSION)
    with duckdb.get_connection() as conn:
        inventory = conn.sql("select relative_path, sha256 from extract.raw_reports").pl()
        previous = {name: read_table(conn, f"extract.{name}") for name in TABLES}
    earlier = previous["reports"]
    known = (
        set()
        if earlier is None or "duplicate_of" not in earlier.columns
        else set(earlier.filter(pl.col("duplicate_of").is_null())["source_path"].to_list())
    )
    duplicates = find_duplicates(inventory, known)
    originals = inventory.filter(~pl.col("relative_path").is_in(list(duplicates)))
    cached = cached_frames(previous, originals, empty)
    reused = set(cached["reports"]["source_path"].to_list())

    started = time.monotonic()
    jobs = [
        Job(settings.raw_dir / rel, rel)
        for rel in sorted(originals["relative_path"].to_list())
        if rel not in reused
    ]
    limits = Limits(
        settings.workers, settings.file_seconds, settings.file_memory_mb, settings.scan_seconds
    )
    extract = partial(extract_document, ocr_cache=settings.ocr_cache_dir)
    context.log.info(
        f"{len(jobs)} files to extract ({len(reused)} reused, {len(duplicates)} duplicates) "
        f"on {min(limits.workers, max(1, len(jobs)))} workers, "
        f"limits {limits.seconds:g} s and {limits.memory_mb} MB per file"
    )
    fresh: list[ExtractResult] = []
    with FileProgress(total=len(jobs)) as progress:
        for result in extract_files(jobs, limits, extract):
            fresh.append(result)
            progress.advance(
                result.path, f"{result.reason}: {result.detail}" if result.reason else None
            )
            context.log.info(f"[{len(fresh)}/{len(jobs)}] {result.path}: {describe(result)}")

    frames = results_to_frames(fresh, EXTRACTOR_VERSION)
    combined = {name: pl.concat([cached[name], frames[name]]) for name in TABLES}
    combined["reports"] = pl.concat(
        [combined["reports"], duplicate_reports(combined["reports"], duplicates)]
    )
    with duckdb.get_connection() as conn:
        for name in TABLES:
            write_table(conn, f"extract.{name}", combined[name])
        record_extraction(
            conn,
            extracted=len(fresh),
            reused=len(reused),
            seconds=time.monotonic() - started,
        )

    reports = combined["reports"]
    quarantined = reports.filter(pl.col("status") == "quarantined").height
    context.log.info(
        f"extraction done in {time.monotonic() - started:.1f}s: {len(fresh)} read, "
        f"{len(reused)} reused, {len(duplicates)} duplicates, {quarantined} quarantined, "
        f"{combined['cells'].height} cells"
    )
    yield dg.MaterializeResult(
        asset_key=["extract", "reports"],
        metadata={
            "rows": reports.height,
            "quarantined": quarantined,
            "duplicates": len(duplicates),
            "extracted_now": len(fresh),
            "reused": len(reused),
            "extractor_version": EXTRACTOR_VERSION,
        },
    )
    for name in ("cells", "checks"):
        yield dg.MaterializeResult(
            asset_key=["extract", name], metadata={"rows": combined[name].height}
        )
