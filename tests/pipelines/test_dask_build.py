"""The build on a real Dask cluster (issue 13): a scheduler and two workers as separate
processes on 127.0.0.1, the same assets through dagster-dask, the same warehouse as a local
build."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dask.distributed import Client

from bench.dask_cluster import differing_marts, local_cluster, mart_rows, worker_env
from bench.synthetic import generate

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _env(raw: Path, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DISCLOSURE_RAW": str(raw),
        "DISCLOSURE_WAREHOUSE": str(folder / "warehouse" / "disclosure.duckdb"),
        "DAGSTER_HOME": str(folder / "dagster_home"),
        "DISCLOSURE_OCR_CACHE": str(folder / "ocr_cache"),
        # Two extraction steps, locally one after the other, on the cluster side by side.
        "DISCLOSURE_EXTRACT_SHARDS": "2",
        "PYTHONPATH": str(REPO),
    }


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
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """Start `dask scheduler` and two `dask worker` processes; yield the address."""
    env = _env(tmp_path / "raw", tmp_path / "dask")
    with local_cluster(env, tmp_path / "logs", workers=2) as running:
        yield running


def test_dask_cluster_builds_the_same_warehouse(
    tmp_path: Path, cluster: tuple[str, list[subprocess.Popen[bytes]]]
) -> None:
    address, processes = cluster
    raw = tmp_path / "raw"
    generate(raw, 10)
    local, remote = tmp_path / "local", tmp_path / "dask"

    _build(_env(raw, local))
    output = _build(worker_env(_env(raw, remote), address))
    assert f"Dask scheduler {address}" in output

    # Every step ran in a Dask worker process, none in the build process.
    with Client(address) as client:
        worker_pids = set(client.run(os.getpid).values())
    assert len(worker_pids) == 2
    with dg.DagsterInstance.from_config(str(remote / "dagster_home")) as instance:
        run = instance.get_runs(limit=1)[0]
        starts = {
            entry.step_key: (entry.dagster_event.pid, entry.timestamp)
            for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
            if entry.dagster_event is not None
        }
        ends = {
            entry.step_key: entry.timestamp
            for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
        }
    assert starts
    assert {pid for pid, _ in starts.values()} <= worker_pids
    # The two extraction steps ran at the same time, one on each worker.
    shards = ["extract__shard_0", "extract__shard_1"]
    assert starts[shards[0]][0] != starts[shards[1]][0]
    assert max(starts[key][1] for key in shards) < min(ends[key] for key in shards)
    staging = remote / "warehouse" / "disclosure.staging"
    assert sorted(path.name for path in staging.glob("shard-*/batch-*.cells.parquet"))
    assert all(process.poll() is None for process in processes)

    local_wh = local / "warehouse" / "disclosure.duckdb"
    remote_wh = remote / "warehouse" / "disclosure.duckdb"
    assert differing_marts(local_wh, remote_wh) == []
    assert mart_rows(local_wh, "fct_requests")
