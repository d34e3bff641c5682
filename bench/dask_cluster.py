"""A real Dask cluster on 127.0.0.1 for the Dask test and `make bench DASK=1`: `dask scheduler`
and N `dask worker` processes, started as separate processes and stopped on exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dask.distributed import Client

DASK = Path(sys.executable).parent / "dask"
REPO = Path(__file__).resolve().parents[1]
# Imported by each worker at start: Dagster and the build's definitions are loaded once, not
# on the worker's first step (which would delay the first extraction step there by seconds).
PRELOAD = "pipelines.dask_build"
# The published tables a Dask build must give row for row as the local build does.
MARTS = (
    "dim_report",
    "dim_agency",
    "mart_agency_year",
    "qa_quarantine",
    "fct_requests",
    "fct_review_litigation",
    "fct_procurement",
    "fct_proactive",
    "fct_fees",
    "fct_legacy_facts",
    "fct_outcomes_cross_era",
    "qa_check_results",
    "qa_report_quality",
)
# Columns that name the build, not the data.
BUILD_COLUMNS = {"build_id", "built_at", "published_at"}


def worker_env(env: Mapping[str, str], scheduler: str) -> dict[str, str]:
    """Given a build's environment, return it for a Dask worker (and the submitting build) of
    the scheduler at `scheduler`."""
    return {
        **env,
        "DISCLOSURE_DASK_SCHEDULER": scheduler,
        # Extraction steps start their own worker processes: a Dask worker must not be a daemon
        # process to have children.
        "DASK_DISTRIBUTED__WORKER__DAEMON": "False",
        "PYTHONPATH": str(REPO),
    }


@contextmanager
def local_cluster(
    env: Mapping[str, str], logs: Path, workers: int = 2
) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """Start a scheduler and `workers` single-threaded workers (environment `env`, logs in the
    folder `logs`); yield the scheduler address and the processes, then stop them all."""
    logs.mkdir(parents=True, exist_ok=True)
    scheduler_file = logs / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, args: list[str], process_env: Mapping[str, str]) -> None:
        log = (logs / f"{name}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [str(DASK), *args], cwd=REPO, env=dict(process_env), stdout=log, stderr=log
            )
        )

    try:
        start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            os.environ,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for index in range(workers):
            start(
                f"worker{index}",
                ["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                 "--no-dashboard", "--name", f"w{index}", "--preload", PRELOAD],
                worker_env(env, address),
            )  # fmt: skip
        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address, processes
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def mart_rows(warehouse: Path, table: str) -> list[tuple[object, ...]]:
    """Return a published table's rows, sorted, without the columns that name the build."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        columns = [
            name
            for (name,) in conn.execute(
                "select column_name from information_schema.columns where table_name = ?"
                " and table_schema = 'main' order by ordinal_position",
                [table],
            ).fetchall()
            if name not in BUILD_COLUMNS
        ]
        select = ", ".join(f'"{name}"' for name in columns)
        return conn.execute(f"select {select} from {table} order by all").fetchall()


def differing_marts(one: Path, other: Path) -> list[str]:
    """Given two published warehouses, return the marts whose rows differ."""
    return [table for table in MARTS if mart_rows(one, table) != mart_rows(other, table)]
