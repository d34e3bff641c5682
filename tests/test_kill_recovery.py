"""A build killed with `kill -9` mid-extraction and mid-dbt leaves the published warehouse
intact and readable, and the next `make run` succeeds without any manual cleanup."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import psutil
import pytest

from tests.conftest import CORPUS, REPO

pytestmark = pytest.mark.slow


def environment(raw: Path, folder: Path) -> dict[str, str]:
    """Return the environment of a build of `raw` into `folder` (one worker: a slower build)."""
    return {
        **os.environ,
        "DISCLOSURE_RAW": str(raw),
        "DISCLOSURE_WAREHOUSE": str(folder / "disclosure.duckdb"),
        "DAGSTER_HOME": str(folder / "dagster_home"),
        "DISCLOSURE_WORKERS": "1",
    }


def start_build(env: dict[str, str]) -> subprocess.Popen[str]:
    """Start `python -m pipelines.build run --force` in the background."""
    command = [sys.executable, "-m", "pipelines.build", "run", "--force"]
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip


def kill_when(build: subprocess.Popen[str], seen: Callable[[str], bool], limit: float) -> str:
    """Wait for a descendant process whose command line passes `seen`, then `kill -9` the build
    (only the build's own process, as a crash would); return that command line."""
    parent = psutil.Process(build.pid)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert build.poll() is None, "the build ended before the moment to kill it"
        for child in parent.children(recursive=True):
            try:
                command = " ".join(child.cmdline())
            except psutil.Error:
                continue
            if seen(command):
                os.kill(build.pid, signal.SIGKILL)
                build.wait()
                return command
        time.sleep(0.05)
    build.kill()
    pytest.fail("the moment to kill never came")


def published_state(warehouse: Path) -> tuple[object, ...]:
    """Return what an analyst sees in the published warehouse: reports and the build log."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        reports = conn.execute("select report_id, status from dim_report order by 1").fetchall()
        builds = conn.execute("select build_id from meta_builds order by 1").fetchall()
        requests = conn.execute("select count(*) from fct_requests").fetchall()
    return (reports, builds, requests)


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Publish a warehouse of the seed reports, then add the rendered corpus to the raw folder."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    root = tmp_path_factory.mktemp("kill")
    raw, folder = root / "raw", root / "warehouse"
    shutil.copytree(REPO / "raw", raw)
    env = environment(raw, folder)
    command = [sys.executable, "-m", "pipelines.build", "run"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    warehouse = folder / "disclosure.duckdb"
    before = published_state(warehouse)
    shutil.copytree(CORPUS / "rendered", raw / "rendered")
    return {"env": env, "warehouse": warehouse, "before": before}


def is_extraction_worker(command: str) -> bool:
    return "spawn_main" in command


def is_dbt(command: str) -> bool:
    return "dbt" in command and "build" in command


@pytest.mark.parametrize(
    ("moment", "seen"), [("mid-extraction", is_extraction_worker), ("mid-dbt", is_dbt)]
)
def test_a_killed_build_leaves_the_published_warehouse_intact(
    first_build: dict[str, object], moment: str, seen: Callable[[str], bool]
) -> None:
    env, warehouse = first_build["env"], first_build["warehouse"]
    assert isinstance(env, dict)
    assert isinstance(warehouse, Path)
    build = start_build(env)
    kill_when(build, seen, limit=300)
    # Right after the kill (orphaned workers or dbt may still run): the old warehouse opens
    # read-only with exactly its old contents, and no half-written copy is left beside it.
    assert published_state(warehouse) == first_build["before"], moment


def test_the_next_build_recovers_without_manual_cleanup(
    first_build: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    env, warehouse = first_build["env"], first_build["warehouse"]
    assert isinstance(env, dict)
    assert isinstance(warehouse, Path)
    command = [sys.executable, "-m", "pipelines.build", "run"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "recovered from a killed build" in done.stdout
    reports, builds, _ = published_state(warehouse)
    before_reports, before_builds, _ = first_build["before"]  # type: ignore[misc]
    assert len(reports) > len(before_reports)
    assert any(report_id.startswith("rendered/") for report_id, _ in reports)
    assert len(builds) == len(before_builds) + 1
    assert not list(warehouse.parent.glob(".*.tmp"))
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        grades = conn.execute(
            "select count(*) from qa_report_quality where report_id like 'rendered/%'"
        ).fetchall()
    assert grades[0][0] == len([r for r, _ in reports if r.startswith("rendered/")])
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        added = conn.execute(
            "select files_added from meta_builds order by finished_at desc limit 1"
        ).fetchall()
    rendered = [p for p in (CORPUS / "rendered").iterdir() if not p.name.endswith(".truth.json")]
    assert added[0][0] == len(rendered)
    # The killed runs are not left STARTED in the Dagster instance (they would hold its
    # one-run slot and make the sensor wait).
    monkeypatch.setenv("DAGSTER_HOME", env["DAGSTER_HOME"])
    instance = dg.DagsterInstance.get()
    statuses = [run.status for run in instance.get_runs()]
    assert dg.DagsterRunStatus.STARTED not in statuses
    assert statuses.count(dg.DagsterRunStatus.FAILURE) >= 2
