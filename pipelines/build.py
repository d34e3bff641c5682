"""`make run`, `make docs` and `make dev`: the commands around the Dagster definitions.

Usage: `python -m pipelines.build run|docs|dev`. `run` builds and publishes the warehouse unless
nothing changed since the last successful build; `docs` writes the static dbt docs; `dev` starts
the Dagster UI and daemon.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipelines.instance import prepare_dagster_home
from pipelines.inventory import stat_signature
from pipelines.recovery import BuildRunningError, hold_build_lock, recover
from pipelines.settings import Settings

CODE_FILES = ("pyproject.toml", "uv.lock")
CODE_FOLDERS = ("pipelines", "dbt_project")
GENERATED_PARTS = frozenset({"target", "logs", "__pycache__", ".user.yml"})
DEV_ADDRESS = ("127.0.0.1", "3000")


def code_files(root: Path) -> Iterator[Path]:
    """Given the repo root, yield every file whose change should trigger a rebuild."""
    for name in CODE_FILES:
        yield root / name
    for folder in CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and not GENERATED_PARTS.intersection(path.relative_to(root).parts):
                yield path


def fingerprint(settings: Settings) -> str:
    """Given settings, return a digest of the raw files (path, size, mtime), code and paths."""
    digest = hashlib.sha256()
    state = {
        "raw_dir": str(settings.raw_dir),
        "warehouse": str(settings.warehouse_path),
        "raw": stat_signature(settings.raw_dir),
    }
    digest.update(json.dumps(state, sort_keys=True).encode())
    for path in code_files(settings.root):
        digest.update(path.relative_to(settings.root).as_posix().encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def is_up_to_date(settings: Settings, digest: str) -> bool:
    """Given settings and the current fingerprint, return whether the last build still holds."""
    if not settings.warehouse_path.exists() or not settings.run_stamp_path.exists():
        return False
    return json.loads(settings.run_stamp_path.read_text()).get("fingerprint") == digest


def summarize(warehouse: Path) -> str:
    """Given a published warehouse, return the lines an analyst wants to see after a build:
    reports by status and reason, grades, failed checks and this build's log row."""
    from duckdb import connect

    with connect(str(warehouse), read_only=True) as conn:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return conn.execute(sql).fetchall()

        total, extracted = rows(
            "select count(*), count(*) filter (where status = 'extracted') from dim_report"
        )[0]
        reasons = rows(
            "select quarantine_reason, count(*) from qa_quarantine group by 1 order by 2 desc, 1"
        )
        grades = rows("select grade, count(*) from qa_report_quality group by 1 order by 2 desc")
        review = rows("select count(*) from dim_report where needs_review")[0][0]
        facts = {
            table: rows(f"select count(*) from {table}")[0][0]
            for table in ("fct_requests", "fct_review_litigation", "fct_procurement")
        }
        failed = rows("select count(*) from qa_check_results where is_failure")[0][0]
        build = rows(
            "select build_id, files_added, files_changed, files_removed, files_reused,"
            " files_extracted from meta_builds order by finished_at desc limit 1"
        )
    by_reason = ", ".join(f"{reason} {count}" for reason, count in reasons) or "none"
    lines = [
        f"  reports: {total} files, {extracted} extracted, {total - extracted} quarantined"
        f" ({by_reason}; see qa_quarantine)",
        "  grades: "
        + ", ".join(f"{grade} {count}" for grade, count in grades)
        + " (see qa_report_quality)",
        "  rows: " + ", ".join(f"{table} {count}" for table, count in facts.items()),
        f"  failed sum checks: {failed} (see qa_check_results)",
    ]
    if review:
        lines.append(
            f"  {review} files share an agency and year with another (dim_report.needs_review)"
        )
    if build:
        run_id, added, changed, removed, reused, read = build[0]
        lines.append(
            f"  build {run_id[:8]}: {added} added, {changed} changed, {removed} removed,"
            f" {read} read, {reused} reused (meta_builds)"
        )
    return "\n".join(lines)


def record_failure(settings: Settings, error: str) -> None:
    """Append the failed build's row to the build log of the build database (best effort)."""
    from duckdb import connect

    from pipelines.build_log import finish_build

    try:
        with connect(str(settings.build_path)) as conn:
            finish_build(conn, status="failed", error=error)
    except Exception as failure:  # the log must never hide the build's own error
        print(f"  (could not record the failed build in meta_builds: {failure})")


def run(settings: Settings, force: bool) -> int:
    """Given settings, build and publish the warehouse unless nothing changed; return exit code."""
    if not settings.raw_dir.is_dir():
        print(f"raw folder {settings.raw_dir} does not exist (set RAW=/path/to/reports)")
        return 2
    digest = fingerprint(settings)
    if not force and is_up_to_date(settings, digest):
        print(f"warehouse up to date: {settings.warehouse_path}")
        return 0
    try:
        hold_build_lock(settings)
    except BuildRunningError as busy:
        print(f"{busy}; not starting a second one")
        return 75
    for note in recover(settings):
        print(f"recovered from a killed build: {note}")
    files = len(stat_signature(settings.raw_dir))
    print(f"building the warehouse from {settings.raw_dir} ({files} files)", flush=True)
    started = time.monotonic()

    prepare_dagster_home(settings)
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.progress import attach_terminal

    attach_terminal()

    # The per-file and per-test lines go to the run's event log (make dev → Runs) and to
    # dbt.log; the terminal shows the progress bar, errors and the summary.
    run_config = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    result: dg.ExecutionResult
    if settings.dask_scheduler:
        from pipelines.dask_build import execute

        print(f"  steps run on the Dask scheduler {settings.dask_scheduler}", flush=True)
        result = execute(run_config)
    else:
        result = defs.resolve_job_def("build_warehouse").execute_in_process(
            instance=dg.DagsterInstance.get(), run_config=run_config, raise_on_error=False
        )
    elapsed = time.monotonic() - started
    dbt_log = settings.dbt_build_log
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        errors = [
            event.event_specific_data.error.message.strip().splitlines()[0]
            for event in result.all_events
            if event.is_step_failure and event.event_specific_data.error
        ]
        print(f"build FAILED after {elapsed:.0f}s in {', '.join(failed)}; nothing was published")
        for line in errors:
            print(f"  {line}")
        for check in result.get_asset_check_evaluations():
            if not check.passed and check.severity == dg.AssetCheckSeverity.ERROR:
                target = check.asset_key.to_user_string()
                details = ", ".join(f"{key}={value.value}" for key, value in check.metadata.items())
                print(f"  failed check {check.check_name} on {target}: {details}")
        record_failure(settings, "; ".join(errors) or "failed steps: " + ", ".join(failed))
        print(f"  dbt log: {dbt_log}; run {result.run_id} in {settings.dagster_home}")
        return 1
    settings.run_stamp_path.write_text(json.dumps({"fingerprint": digest}))
    print(f"published {settings.warehouse_path} in {elapsed:.0f}s")
    print(summarize(settings.warehouse_path))
    print(f"  dbt's test-by-test log: {dbt_log}")
    return 0


def docs(settings: Settings) -> int:
    """Given settings, generate the static dbt docs into docs/site/index.html; return exit code."""
    settings.export_env()
    target = settings.dbt_project_dir / "target" / "docs"
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(settings.dbt_project_dir),
        "--profiles-dir",
        str(settings.dbt_project_dir),
        "--target-path",
        str(target),
    ]
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0:
        return completed.returncode
    site = settings.root / "docs" / "site" / "index.html"
    site.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target / "static_index.html", site)
    print(f"dbt docs (lineage included) written to {site}; open it in a browser")
    return 0


def dev(settings: Settings) -> None:
    """Given settings, replace this process with `dagster dev` (UI and daemon) on localhost."""
    prepare_dagster_home(settings)
    dagster = str(Path(sys.executable).parent / "dagster")
    host, port = DEV_ADDRESS
    os.chdir(settings.root)
    os.execv(dagster, [dagster, "dev", "-m", "pipelines.definitions", "-h", host, "-p", port])


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run `run`, `docs` or `dev`; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.build", description=__doc__)
    parser.add_argument("command", choices=["run", "docs", "dev"])
    parser.add_argument("--force", action="store_true", help="build even if nothing changed")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "docs":
        return docs(settings)
    if args.command == "dev":
        dev(settings)
    return run(settings, force=args.force)


if __name__ == "__main__":
    sys.exit(main())
