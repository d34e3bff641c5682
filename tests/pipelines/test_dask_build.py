"""The build on a real Dask cluster (issue 13): a scheduler and two workers as separate
processes on 127.0.0.1, the same assets through dagster-dask, the same warehouse as a local
build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dask.distributed import Client

from bench.synthetic import generate

REPO = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).parent / "dask"
MARTS = (
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

pytestmark = pytest.mark.slow


def _env(raw: Path, folder: Path, scheduler: str | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DISCLOSURE_RAW": str(raw),
        "DISCLOSURE_WAREHOUSE": str(folder / "warehouse" / "disclosure.duckdb"),
        "DAGSTER_HOME": str(folder / "dagster_home"),
        "DISCLOSURE_OCR_CACHE": str(folder / "ocr_cache"),
        "PYTHONPATH": str(REPO),
    }
    if scheduler:
        env["DISCLOSURE_DASK_SCHEDULER"] = scheduler
        # The extraction step starts its own worker processes: a Dask worker must not be a
        # daemon process to have children.
        env["DASK_DISTRIBUTED__WORKER__DAEMON"] = "False"
    return env


def _build(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.build", "run"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, Path, list[subprocess.Popen[bytes]]]]:
    """Start `dask scheduler` and two `dask worker` processes; yield the address."""
    raw = tmp_path / "raw"
    folder = tmp_path / "dask"
    scheduler_file = tmp_path / "scheduler.json"
    logs = tmp_path / "logs"
    logs.mkdir()
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, args: list[str], env: dict[str, str]) -> None:
        log = (logs / f"{name}.log").open("wb")
        processes.append(
            subprocess.Popen([str(DASK), *args], cwd=REPO, env=env, stdout=log, stderr=log)
        )

    try:
        start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            dict(os.environ),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for index in range(2):
            start(
                f"worker{index}",
                ["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                 "--no-dashboard", "--name", f"w{index}"],
                _env(raw, folder, address),
            )  # fmt: skip
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, logs, processes
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _rows(warehouse: Path, table: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        columns = [
            c
            for (c,) in conn.execute(
                "select column_name from information_schema.columns where table_name = ?"
                " and table_schema = 'main' order by ordinal_position",
                [table],
            ).fetchall()
            if c not in {"build_id", "built_at", "published_at"}
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        return conn.execute(f"select {select} from {table} order by all").fetchall()


def test_dask_cluster_builds_the_same_warehouse(
    tmp_path: Path, cluster: tuple[str, Path, list[subprocess.Popen[bytes]]]
) -> None:
    address, _logs, processes = cluster
    raw = tmp_path / "raw"
    generate(raw, 10)
    local, remote = tmp_path / "local", tmp_path / "dask"

    _build(_env(raw, local))
    output = _build(_env(raw, remote, address))
    assert f"Dask scheduler {address}" in output

    # Every step ran in a Dask worker process, none in the build process.
    with Client(address) as client:
        worker_pids = set(client.run(os.getpid).values())
    assert len(worker_pids) == 2
    with dg.DagsterInstance.from_config(str(remote / "dagster_home")) as instance:
        run = instance.get_runs(limit=1)[0]
        step_pids = {
            entry.dagster_event.pid
            for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
            if entry.dagster_event is not None
        }
    assert step_pids
    assert step_pids <= worker_pids
    assert all(process.poll() is None for process in processes)

    local_wh = local / "warehouse" / "disclosure.duckdb"
    remote_wh = remote / "warehouse" / "disclosure.duckdb"
    for table in MARTS:
        assert _rows(remote_wh, table) == _rows(local_wh, table), table
    assert _rows(local_wh, "fct_requests")
