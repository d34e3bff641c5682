"""The Dagster instance folder (DAGSTER_HOME) and the project's `dagster.yaml` in it.

The project writes `dagster.yaml` with a marker on its first line and rewrites it when a newer
version of this module says something else. A file without the marker (a user's own, or one
whose marker line the user deleted to keep their edits) is never touched.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.settings import Settings

MARKER = "# written by disclosure-warehouse"

DAGSTER_YAML = f"""\
{MARKER}: rewritten on upgrade while this line is here; delete it to keep your edits.
telemetry:
  enabled: false
# One run at a time: DuckDB has a single writer, and the schedule and the sensor may both fire.
concurrency:
  runs:
    max_concurrent_runs: 1
# A run that hangs in STARTING or CANCELING, or whose process died with the whole service (or a
# `make run` killed with -9) and so is still STARTED, is marked failed and frees the one run slot.
# The default run launcher cannot resume runs, so max_resume_run_attempts must stay 0.
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  cancel_timeout_seconds: 180
  max_runtime_seconds: 21600
  max_resume_run_attempts: 0
  poll_interval_seconds: 60
"""


def write_dagster_yaml(config: Path) -> bool:
    """Given the path of dagster.yaml, write the project's version unless a user owns the file.

    Return whether the file was written: it is when missing, or when it starts with the
    project's marker and differs from the current version; a file without the marker is kept.
    """
    if config.exists():
        current = config.read_text(encoding="utf-8")
        if not current.startswith(MARKER) or current == DAGSTER_YAML:
            return False
    partial = config.with_name(f".{config.name}.tmp")
    partial.write_text(DAGSTER_YAML, encoding="utf-8")
    partial.replace(config)
    return True


def prepare_dagster_home(settings: Settings) -> None:
    """Given settings, export the environment and create or upgrade DAGSTER_HOME's config."""
    settings.export_env()
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    write_dagster_yaml(settings.dagster_home / "dagster.yaml")
