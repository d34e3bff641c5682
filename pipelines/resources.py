"""The resources every asset uses, built from settings and nowhere else."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from pipelines.dbt_project import dbt_project
from pipelines.settings import Settings


def build_resources(settings: Settings) -> dict[str, object]:
    """Given settings, return the resource dict of the Definitions."""
    settings.build_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        # The build database: every asset and dbt write here; published_warehouse copies it.
        "duckdb": DuckDBResource(database=str(settings.build_path)),
        # dbt, run from this venv (the bare `dbt` is rejected outside an activated venv).
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            dbt_executable=str(Path(sys.executable).parent / "dbt"),
        ),
    }
