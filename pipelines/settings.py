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
WORKERS_ENV = "DISCLOSURE_WORKERS"
FILE_SECONDS_ENV = "DISCLOSURE_FILE_SECONDS"
FILE_MEMORY_ENV = "DISCLOSURE_FILE_MEMORY_MB"
SCAN_SECONDS_ENV = "DISCLOSURE_SCAN_SECONDS"
OCR_WORKERS_ENV = "DISCLOSURE_OCR_WORKERS"
OCR_CACHE_ENV = "DISCLOSURE_OCR_CACHE"
DBT_LOG_ENV = "DBT_LOG_PATH"
# Opt-in (issue 13): run the build's steps on this Dask scheduler (pipelines/dask_build.py).
DASK_SCHEDULER_ENV = "DISCLOSURE_DASK_SCHEDULER"
# Where extraction steps leave their Parquet (a folder or fsspec URL; pipelines/staging_store.py).
STAGING_ENV = "DISCLOSURE_STAGING"
# How many extraction steps share the files (1 in one process; one or more per Dask worker).
EXTRACT_SHARDS_ENV = "DISCLOSURE_EXTRACT_SHARDS"


@dataclass(frozen=True)
class Settings:
    """Absolute paths of the repo, the raw folder, the warehouse files, dbt and Dagster."""

    root: Path
    raw_dir: Path
    warehouse_path: Path
    dagster_home: Path
    workers: int = max(1, os.cpu_count() or 1)
    file_seconds: float = 180.0
    file_memory_mb: int = 3072
    # Time limit per scanned file (read by OCR, seconds per page instead of pages per second).
    scan_seconds: float = 900.0
    # Scans read at once, each in its own process (~0.9 GB each while it runs).
    ocr_workers: int = 1
    # Folder of cached OCR results (default: `ocr_cache/` beside the warehouse).
    ocr_cache: Path | None = None
    # Address of a Dask scheduler to run the build's steps on (default: none, in-process).
    dask_scheduler: str | None = None
    # Folder or fsspec URL of the staging Parquet (default: `<warehouse>.staging/` beside it).
    staging: str | None = None
    # Number of extraction steps (`extract/shard_<k>`), each over its share of the files.
    extract_shards: int = 1

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
            workers=int(env.get(WORKERS_ENV) or max(1, os.cpu_count() or 1)),
            file_seconds=float(env.get(FILE_SECONDS_ENV) or 180.0),
            file_memory_mb=int(env.get(FILE_MEMORY_ENV) or 3072),
            scan_seconds=float(env.get(SCAN_SECONDS_ENV) or 900.0),
            ocr_workers=max(1, int(env.get(OCR_WORKERS_ENV) or 1)),
            ocr_cache=_absolute(cache, Path()) if (cache := env.get(OCR_CACHE_ENV)) else None,
            dask_scheduler=env.get(DASK_SCHEDULER_ENV) or None,
            staging=_url_or_path(env.get(STAGING_ENV)),
            extract_shards=max(1, int(env.get(EXTRACT_SHARDS_ENV) or 1)),
        )

    @property
    def build_path(self) -> Path:
        """Return the build database every asset and dbt write to (published by copying)."""
        return self.warehouse_path.with_name(f"{self.warehouse_path.stem}.build.duckdb")

    @property
    def ocr_cache_dir(self) -> Path:
        """Return the folder of cached OCR results, keyed by file sha256 and extractor version
        (`DISCLOSURE_OCR_CACHE`, default `ocr_cache/` beside the warehouse)."""
        return self.ocr_cache or self.warehouse_path.parent / "ocr_cache"

    @property
    def staging_url(self) -> str:
        """Return the folder or fsspec URL where extraction steps write their Parquet
        (`DISCLOSURE_STAGING`, default `<warehouse stem>.staging/` beside the warehouse)."""
        return self.staging or str(self.warehouse_path.with_suffix(".staging"))

    @property
    def dbt_project_dir(self) -> Path:
        """Return the dbt project folder."""
        return self.root / "dbt_project"

    @property
    def run_stamp_path(self) -> Path:
        """Return the file recording the fingerprint of the last successful build."""
        return self.build_path.with_suffix(".last_run.json")

    @property
    def logs_dir(self) -> Path:
        """Return the folder of the build logs (dbt's `dbt.log` with every test's line)."""
        return self.warehouse_path.parent / "logs"

    @property
    def dbt_build_log(self) -> Path:
        """Return the file that gets dbt's line per model and test of the latest build."""
        return self.logs_dir / "dbt-build.log"

    @property
    def dbt_target_dir(self) -> Path:
        """Return the folder dbt writes its per-run artefacts to (beside the warehouse)."""
        return self.warehouse_path.parent / "dbt_target"

    @property
    def build_lock_path(self) -> Path:
        """Return the lock file a running build holds (one build at a time per warehouse)."""
        return self.warehouse_path.with_name(f".{self.warehouse_path.name}.build.lock")

    def export_env(self) -> None:
        """Export the build database path (for dbt), dbt's log folder and DAGSTER_HOME to
        child processes."""
        os.environ[BUILD_DB_ENV] = str(self.build_path)
        os.environ[DBT_LOG_ENV] = str(self.logs_dir)
        # No network at run time: no usage tracking by dbt (also set in dbt_project.yml).
        os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
        os.environ["DO_NOT_TRACK"] = "1"
        os.environ[DAGSTER_HOME_ENV] = str(self.dagster_home)


def _url_or_path(value: str | None) -> str | None:
    """Given an optional folder or URL from the environment, return a URL as given and a
    folder as an absolute path."""
    if not value:
        return None
    return value if "://" in value else str(_absolute(value, Path()))


def _absolute(value: str | None, default: Path) -> Path:
    """Given an optional path from the environment, return it (or the default) as absolute."""
    return Path(value).expanduser().resolve() if value else default
