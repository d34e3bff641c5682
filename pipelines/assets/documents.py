"""Stage 1: the inventory of the raw folder."""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.assets.tables import write_table
from pipelines.extract import file_sha256
from pipelines.inventory import list_raw_files
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
    raw_dir = Settings.from_env().raw_dir
    if not raw_dir.is_dir():
        # An empty inventory would publish an empty warehouse over the last good one.
        raise dg.Failure(description=f"raw folder {raw_dir} does not exist")
    rows = []
    for rel in list_raw_files(raw_dir):
        path = raw_dir / rel
        rows.append((rel.as_posix(), file_sha256(path), path.stat().st_size, path.suffix.lower()))
    frame = pl.DataFrame(rows, schema=RAW_REPORTS_SCHEMA, orient="row")
    with duckdb.get_connection() as conn:
        write_table(conn, "extract.raw_reports", frame)
    context.log.info(f"{len(frame)} report files in {raw_dir}")
    return dg.MaterializeResult(metadata={"rows": len(frame), "raw_dir": str(raw_dir)})
