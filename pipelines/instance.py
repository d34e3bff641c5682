"""The Dagster instance folder (DAGSTER_HOME): created once with the project's `dagster.yaml`."""

from __future__ import annotations

from pipelines.settings import Settings

# One run at a time: DuckDB has a single writer, and the schedule and the sensor may both fire.
DAGSTER_YAML = "telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\n"


def prepare_dagster_home(settings: Settings) -> None:
    """Given settings, export the environment and create DAGSTER_HOME with a minimal config."""
    settings.export_env()
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    config = settings.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
