"""Stage 2: extraction. A plan, extraction steps that write Parquet, and one DuckDB load.

* `extract/plan` decides, per raw file, whether it is extracted, reused from the last build or a
  duplicate (pipelines/extraction_plan.py), and deals the files to extract to the shards.
* `extract/shard_<k>` (one per `DISCLOSURE_EXTRACT_SHARDS`, default 1) extracts its files in a
  process pool under per-file limits (pipelines/workers.py) and writes the results in batches as
  Parquet to the staging store: memory holds one batch, and the step touches no database, so
  shards can run at the same time on several Dask workers.
* `extract/reports`, `cells`, `checks` are loaded by the single DuckDB writer
  (pipelines/staging_load.py).
"""

import time
from collections.abc import Iterator
from functools import partial

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.build_log import record_extraction
from pipelines.extract import EXTRACTOR_VERSION, ExtractResult, extract_document
from pipelines.extract.staging import results_to_frames
from pipelines.extraction_plan import DUPLICATE, EXTRACT, REUSE, action_counts, plan_extraction
from pipelines.progress import FileProgress
from pipelines.settings import Settings
from pipelines.staging_load import (
    TABLES,
    batch_name,
    load_staging,
    reusable_reports,
    shard_folder,
    summary_name,
)
from pipelines.staging_store import StagingStore
from pipelines.workers import Job, Limits, extract_files

PLAN_KEY = dg.AssetKey(["extract", "plan"])
PLAN_FILE = "plan.parquet"
# Files per Parquet batch: what an extraction step holds in memory at once.
BATCH_FILES = 64
# Op tag of steps that never open the DuckDB file (the Dask executor runs them side by side).
NO_DATABASE_TAG = "disclosure/no_database"
DESCRIPTIONS = {
    "reports": "One row per raw file: extracted or quarantined, with agency, year and era.",
    "cells": "One row per extracted value with raw text, page, bbox, cell ref, unit and flags.",
    "checks": "One row per sum check (report-formats.md §3) evaluated on a report.",
}


def describe(result: ExtractResult) -> str:
    """Given an extraction result, return a one-line summary for the run log."""
    if result.reason:
        return f"quarantined ({result.reason}: {result.detail})"
    failed = sum(1 for check in result.checks if str(check.status) == "fail")
    return f"extracted {len(result.cells)} cells, {len(result.checks)} checks ({failed} failed)"


def shard_key(index: int) -> dg.AssetKey:
    """Return the asset key of extraction step `index`."""
    return dg.AssetKey(["extract", f"shard_{index}"])


@dg.asset(
    key=PLAN_KEY,
    deps=[["extract", "raw_reports"]],
    group_name="extraction",
    kinds={"polars", "parquet"},
    description="Per raw file: extract, reuse (unchanged since the last build) or duplicate.",
)
def extraction_plan(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Decide what this build extracts and clear the staging store for the extraction steps."""
    settings = Settings.from_env()
    store = StagingStore(settings.staging_url)
    with duckdb.get_connection() as conn:
        inventory = conn.sql(
            "select relative_path, sha256, size_bytes from extract.raw_reports"
        ).pl()
        previous = reusable_reports(conn)
    plan = plan_extraction(inventory, previous, settings.extract_shards)
    store.reset()
    store.write_frame(PLAN_FILE, plan)
    counts = action_counts(plan)
    context.log.info(
        f"{counts[EXTRACT]} files to extract in {settings.extract_shards} step(s), "
        f"{counts[REUSE]} reused, {counts[DUPLICATE]} duplicates; staging {settings.staging_url}"
    )
    return dg.MaterializeResult(metadata={**counts, "staging": settings.staging_url})


def extraction_shard(index: int) -> dg.AssetsDefinition:
    """Return extraction step `index`: its share of the plan's files, as Parquet batches."""

    @dg.asset(
        key=shard_key(index),
        deps=[PLAN_KEY],
        group_name="extraction",
        kinds={"parquet"},
        op_tags={NO_DATABASE_TAG: "true"},
        description=f"Extraction step {index}: its files' results, as Parquet batches.",
    )
    def _shard(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        settings = Settings.from_env()
        store = StagingStore(settings.staging_url)
        plan = store.read_frame(PLAN_FILE)
        mine = plan.filter((plan["action"] == EXTRACT) & (plan["shard"] == index))
        store.reset(shard_folder(index))
        # In folder order, not largest first: the largest files are scans, and OCR on every
        # worker at once would add its models' memory up.
        paths = sorted(mine["relative_path"].to_list())
        jobs = [Job(settings.raw_dir / rel, rel) for rel in paths]
        limits = Limits(
            settings.workers,
            settings.file_seconds,
            settings.file_memory_mb,
            settings.scan_seconds,
            settings.ocr_workers,
        )
        context.log.info(
            f"{len(jobs)} files to extract on {min(limits.workers, max(1, len(jobs)))} workers, "
            f"limits {limits.seconds:g} s and {limits.memory_mb} MB per file"
        )
        started = time.time()
        batch: list[ExtractResult] = []
        batches = done = quarantined = 0

        def flush() -> None:
            nonlocal batch, batches
            for name, frame in results_to_frames(batch, EXTRACTOR_VERSION).items():
                store.write_frame(batch_name(index, batches, name), frame)
            batches += 1
            batch = []

        extract = partial(extract_document, ocr_cache=settings.ocr_cache_dir)
        with FileProgress(total=len(jobs)) as progress:
            for result in extract_files(jobs, limits, extract):
                done += 1
                quarantined += bool(result.reason)
                batch.append(result)
                progress.advance(
                    result.path, f"{result.reason}: {result.detail}" if result.reason else None
                )
                context.log.info(f"[{done}/{len(jobs)}] {result.path}: {describe(result)}")
                if len(batch) >= BATCH_FILES:
                    flush()
        if batch:
            flush()
        summary = {"files": done, "quarantined": quarantined, "batches": batches}
        store.write_json(
            summary_name(index), {**summary, "started": started, "finished": time.time()}
        )
        context.log.info(
            f"extraction step {index} done in {time.time() - started:.1f}s: {done} files, "
            f"{quarantined} quarantined, {batches} Parquet batches"
        )
        return dg.MaterializeResult(metadata=summary)

    return _shard


def staged_tables_asset(shards: int) -> dg.AssetsDefinition:
    """Return the single DuckDB writer of `extract.reports/cells/checks` after `shards` steps."""

    @dg.multi_asset(
        specs=[
            dg.AssetSpec(
                ["extract", name],
                deps=[shard_key(index) for index in range(shards)],
                description=DESCRIPTIONS[name],
                kinds={"duckdb"},
            )
            for name in TABLES
        ],
        group_name="extraction",
        name="staged_tables",
    )
    def staged_tables(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource
    ) -> Iterator[dg.MaterializeResult]:
        """Load the reused rows and the extraction steps' Parquet into the staging tables."""
        settings = Settings.from_env()
        store = StagingStore(settings.staging_url)
        plan = store.read_frame(PLAN_FILE)
        actions = action_counts(plan)
        steps = [store.read_json(summary_name(index)) for index in range(shards)]
        missing = [index for index, step in enumerate(steps) if step is None]
        if missing:
            raise dg.Failure(
                description=f"extraction step(s) {missing} left no results in {store.url}"
            )
        finished = [step for step in steps if step is not None]
        extracted = sum(step["files"] for step in finished)
        seconds = max(s["finished"] for s in finished) - min(s["started"] for s in finished)
        started = time.monotonic()
        with duckdb.get_connection() as conn:
            counts = load_staging(conn, store, plan)
            record_extraction(
                conn,
                extracted=extracted,
                reused=actions[REUSE],
                seconds=seconds,
            )
            quarantined = conn.sql(
                "select count(*) from extract.reports where status = 'quarantined'"
            ).fetchall()[0][0]
        context.log.info(
            f"staging tables loaded in {time.monotonic() - started:.1f}s: {counts['reports']} "
            f"reports ({extracted} extracted now, {quarantined} quarantined), "
            f"{counts['cells']} cells, {counts['checks']} checks"
        )
        yield dg.MaterializeResult(
            asset_key=["extract", "reports"],
            metadata={
                "rows": counts["reports"],
                "quarantined": quarantined,
                "duplicates": actions[DUPLICATE],
                "extracted_now": extracted,
                "reused": actions[REUSE],
                "extractor_version": EXTRACTOR_VERSION,
            },
        )
        for name in ("cells", "checks"):
            yield dg.MaterializeResult(asset_key=["extract", name], metadata={"rows": counts[name]})

    return staged_tables


def extraction_assets(settings: Settings) -> list[dg.AssetsDefinition]:
    """Return the extraction stage's assets for the settings' number of extraction steps."""
    shards = settings.extract_shards
    return [
        extraction_plan,
        *(extraction_shard(index) for index in range(shards)),
        staged_tables_asset(shards),
    ]
