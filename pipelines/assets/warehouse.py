"""Stage 3: dbt builds the marts from the staging tables; the result is published atomically."""

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource
from duckdb import connect

from pipelines.build_log import finish_build
from pipelines.dbt_project import dbt_project
from pipelines.settings import Settings


class WarehouseTranslator(DagsterDbtTranslator):
    """Put every dbt model in the `warehouse` group; keys stay the model names."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Return the group of every dbt node."""
        return "warehouse"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Build and test every dbt model (tests become asset checks).

    dbt's line per model and test goes to `<warehouse folder>/logs/dbt-build.log` (replaced at
    each build), not to the terminal; dbt's own debug log is `dbt.log` beside it.
    """
    settings = Settings.from_env()
    log_path = settings.dbt_build_log
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # A stable target folder beside the warehouse keeps dbt's partial parse between builds.
    invocation = dbt.cli(["build"], context=context, target_path=settings.dbt_target_dir)
    with log_path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        yield from invocation.stream()
    context.log.info(f"dbt build finished; its test-by-test log is {log_path}")


def publish_database(build_path: Path, published_path: Path) -> int:
    """Given a closed build database, atomically replace the published file with a copy of it.

    The copy goes to a temporary file in the published file's folder, is checked by reading it,
    then renamed over it (atomic within one filesystem); return the relation count of `main`.
    """
    published_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{published_path.name}.", suffix=".tmp", dir=published_path.parent
    )
    os.close(handle)
    candidate = Path(temporary)
    try:
        shutil.copyfile(build_path, candidate)
        with connect(str(candidate), read_only=True) as conn:
            conn.execute("select count(*) from dim_report").fetchall()
            relations = conn.execute(
                "select count(*) from information_schema.tables where table_schema = 'main'"
            ).fetchall()[0][0]
        candidate.replace(published_path)
    finally:
        candidate.unlink(missing_ok=True)
    return int(relations)


@dg.asset(
    deps=list(warehouse_models.keys),
    group_name="warehouse",
    kinds={"duckdb"},
    description="The analysts' warehouse file, replaced atomically after a fully successful build.",
)
def published_warehouse(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Checkpoint the build database and publish a copy of it onto the warehouse path."""
    settings = Settings.from_env()
    with duckdb.get_connection() as conn:
        finish_build(conn, status="published")
        conn.execute("checkpoint")
    relations = publish_database(settings.build_path, settings.warehouse_path)
    context.log.info(f"published {relations} relations to {settings.warehouse_path}")
    return dg.MaterializeResult(
        metadata={
            "path": str(settings.warehouse_path),
            "relations": relations,
            "bytes": settings.warehouse_path.stat().st_size,
        }
    )
