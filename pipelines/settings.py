"""THE configuration of the pipeline: every path, resolved once from the environment.

No other module reads `os.environ`; dbt's `profiles.yml` reads the build database path from the
variable that `Settings.export_env()` sets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RAW_ENV = "DISCLOSURE_RAW"
WAREHOUSE_ENV = "DISCLOSURE_WAREHOUSE"
BUILD_DB_ENV = "DISCLOSURE_BUILD_DB"
DAGSTER_HOME_ENV = "DAGSTER_HOME"


@dataclass(frozen=True)
class Settings:
    """Absolute paths of the repo, the raw folder, the warehouse files, dbt and Dagster."""

    root: Path
    raw_dir: Path
    warehouse_path: Path
    dagster_home: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Given an environment (default `os.environ`), return the settings it selects."""
        env = os.environ if environ is None else environ
        return cls(
            root=ROOT,
            raw_dir=_absolute(env.get(RAW_ENV), ROOT / "raw"),
            warehouse_path=_absolute(
                env.get(WAREHOUSE_ENV), ROOT / "warehouse" / "disclosure.duckdb"
            ),
            dagster_home=_absolute(env.get(DAGSTER_HOME_ENV), ROOT / ".dagster_home"),
        )

    @property
    def build_path(self) -> Path:
        """Return the build database every asset and dbt write to (published by copying)."""
        return self.warehouse_path.with_name(f"{self.warehouse_path.stem}.build.duckdb")

    @property
    def dbt_project_dir(self) -> Path:
        """Return the dbt project folder."""
        return self.root / "dbt_project"

    @property
    def run_stamp_path(self) -> Path:
        """Return the file recording the fingerprint of the last successful build."""
        return self.build_path.with_suffix(".last_run.json")

    def export_env(self) -> None:
        """Export the build database path (for dbt) and DAGSTER_HOME to child processes."""
        os.environ[BUILD_DB_ENV] = str(self.build_path)
        os.environ[DAGSTER_HOME_ENV] = str(self.dagster_home)


def _absolute(value: str | None, default: Path) -> Path:
    """Given an optional path from the environment, return it (or the default) as absolute."""
    return Path(value).expanduser().resolve() if value else default
