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

from dask.distributed import Client

DASK = Path(sys.executable).parent / "dask"
REPO = Path(__file__).resolve().parents[1]
# Imported by each worker at start: Dagster and the build's definitions are loaded once, not
# on the worker's first step (which would delay the first extraction step there by seconds).
PRELOAD = "pipelines.dask_build"


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
