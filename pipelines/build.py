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

from pipelines.instance import prepare_dagster_home
from pipelines.inventory import stat_signature
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
    """Given a published warehouse, return a few lines an analyst wants to see after a build."""
    from duckdb import connect

    with connect(str(warehouse), read_only=True) as conn:
        reports = conn.execute(
            "select count(*), count(*) filter (where status = 'extracted') from dim_report"
        ).fetchall()[0]
        counts = {
            table: conn.execute(f"select count(*) from {table}").fetchall()[0][0]
            for table in ("fct_requests", "fct_review_litigation", "fct_procurement")
        }
        failures = conn.execute("select count(*) from qa_check_results where is_failure")
        failed = failures.fetchall()[0][0]
    facts = ", ".join(f"{table} {rows}" for table, rows in counts.items())
    return (
        f"  reports: {reports[0]} ({reports[0] - reports[1]} quarantined, see qa_quarantine)\n"
        f"  rows: {facts}\n"
        f"  failed sum checks: {failed} (see qa_check_results)"
    )


def run(settings: Settings, force: bool) -> int:
    """Given settings, build and publish the warehouse unless nothing changed; return exit code."""
    if not settings.raw_dir.is_dir():
        print(f"raw folder {settings.raw_dir} does not exist (set RAW=/path/to/reports)")
        return 2
    digest = fingerprint(settings)
    if not force and is_up_to_date(settings, digest):
        print(f"warehouse up to date: {settings.warehouse_path}")
        return 0
    files = len(stat_signature(settings.raw_dir))
    print(f"building the warehouse from {settings.raw_dir} ({files} files)", flush=True)
    started = time.monotonic()

    prepare_dagster_home(settings)
    import dagster as dg

    from pipelines.definitions import defs

    result = defs.resolve_job_def("build_warehouse").execute_in_process(
        instance=dg.DagsterInstance.get(),
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        raise_on_error=False,
    )
    elapsed = time.monotonic() - started
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        print(f"build FAILED after {elapsed:.0f}s in {', '.join(failed)}; nothing was published")
        for check in result.get_asset_check_evaluations():
            if not check.passed:
                target = check.asset_key.to_user_string()
                details = ", ".join(f"{key}={value.value}" for key, value in check.metadata.items())
                print(f"  failed check {check.check_name} on {target}: {details}")
        return 1
    settings.run_stamp_path.write_text(json.dumps({"fingerprint": digest}))
    print(f"published {settings.warehouse_path} in {elapsed:.0f}s")
    print(summarize(settings.warehouse_path))
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
