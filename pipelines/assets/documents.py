"""Stage 1: the inventory of the raw folder."""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.assets.tables import read_table, write_table
from pipelines.automation import fail_dead_build_runs
from pipelines.build_log import LAST_INVENTORY, start_build
from pipelines.extract import file_sha256
from pipelines.inventory import list_raw_files
from pipelines.recovery import hold_build_lock, recover
from pipelines.settings import Settings

RAW_REPORTS_SCHEMA: dict[str, pl.DataType] = {
    "relative_path": pl.String(),
    "sha256": pl.String(),
    "size_bytes": pl.Int64(),
    "suffix": pl.String(),
}


@dg.asset(
    key=["extract", "raw_reports"],
    group_name="documents",
    kinds={"polars", "duckdb"},
    description="One row per report file in the raw folder: relative path, sha256, size, suffix.",
)
def raw_reports(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """Walk the raw folder recursively and write its inventory to `extract.raw_reports`."""
    settings = Settings.from_env()
    raw_dir = settings.raw_dir
    # One build per warehouse at a time; then clear what a killed build may have left behind.
    # On a Dask worker the build process that submitted the run holds the lock and recovered.
    if not settings.dask_scheduler:
        hold_build_lock(settings)
        for note in recover(settings):
            context.log.warning(f"recovery: {note}")
        for run_id in fail_dead_build_runs(context.instance, settings, context.run.run_id, 0.0):
            context.log.warning(
                f"recovery: marked build run {run_id} failed (its process was killed)"
            )
    if not raw_dir.is_dir():
        # An empty inventory would publish an empty warehouse over the last good one.
        raise dg.Failure(description=f"raw folder {raw_dir} does not exist")
    rows = []
    for rel in list_raw_files(raw_dir):
        path = raw_dir / rel
        rows.append((rel.as_posix(), file_sha256(path), path.stat().st_size, path.suffix.lower()))
    frame = pl.DataFrame(rows, schema=RAW_REPORTS_SCHEMA, orient="row")
    with duckdb.get_connection() as conn:
        previous = read_table(conn, LAST_INVENTORY)
        changes = start_build(conn, context.run.run_id, raw_dir, frame, previous)
        write_table(conn, "extract.raw_reports", frame)
    context.log.info(
        f"{len(frame)} report files in {raw_dir}: {changes['files_added']} added, "
        f"{changes['files_changed']} changed, {changes['files_removed']} removed"
    )
    return dg.MaterializeResult(metadata={**changes, "rows": len(frame), "raw_dir": str(raw_dir)})
