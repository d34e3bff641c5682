"""One build at a time, and what the next build clears after a killed one."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.automation import fail_dead_build_runs
from pipelines.recovery import build_lock_is_free, database_opens, recover
from pipelines.settings import Settings
from tests.conftest import REPO
from tests.pipelines.test_automation import add_build_run


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {
            "DISCLOSURE_RAW": str(tmp_path / "raw"),
            "DISCLOSURE_WAREHOUSE": str(tmp_path / "warehouse" / "disclosure.duckdb"),
            "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        }
    )


def test_a_second_process_cannot_take_the_build_lock(settings: Settings) -> None:
    settings.build_lock_path.parent.mkdir(parents=True)
    holder = settings.build_lock_path.open("a+")
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    holder.write("4242")
    holder.flush()
    assert not build_lock_is_free(settings)
    code = (
        "from pipelines.recovery import hold_build_lock, BuildRunningError\n"
        "from pipelines.settings import Settings\n"
        f"s = Settings.from_env({{'DISCLOSURE_WAREHOUSE': {str(settings.warehouse_path)!r}}})\n"
        "try:\n    hold_build_lock(s)\nexcept BuildRunningError as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "another build" in done.stdout
    assert "4242" in done.stdout
    holder.close()  # as when the holding process dies, however it dies
    assert build_lock_is_free(settings)


def test_a_broken_build_database_is_moved_aside_and_restarted_from_the_published_one(
    settings: Settings,
) -> None:
    folder = settings.warehouse_path.parent
    folder.mkdir(parents=True)
    with duckdb.connect(str(settings.warehouse_path)) as conn:
        conn.execute("create table meta_builds as select 'b1' as build_id")
    settings.build_path.write_bytes(b"DUCK" + bytes(5000))  # a torn file that will not open
    stale = folder / f".{settings.warehouse_path.name}.abc123.tmp"
    stale.write_bytes(b"half a copy")

    notes = recover(settings)

    assert any("moved aside" in note for note in notes)
    assert any("published warehouse" in note for note in notes)
    assert not stale.exists()
    assert list(folder.glob("disclosure.build.duckdb.broken-*"))
    assert database_opens(settings.build_path)
    with duckdb.connect(str(settings.build_path), read_only=True) as conn:
        assert conn.execute("select build_id from meta_builds").fetchall() == [("b1",)]
    assert recover(settings) == []  # nothing left to do


def test_a_started_run_with_nobody_holding_the_lock_is_failed(settings: Settings) -> None:
    instance = dg.DagsterInstance.ephemeral()
    dead = add_build_run(instance, dg.DagsterRunStatus.STARTED)
    assert fail_dead_build_runs(instance, settings) == []  # too young: it may be loading
    assert fail_dead_build_runs(instance, settings, grace_seconds=0) == [dead.run_id]
    run = instance.get_run_by_id(dead.run_id)
    assert run is not None
    assert run.status == dg.DagsterRunStatus.FAILURE


def test_a_started_run_is_left_alone_while_a_build_holds_the_lock(settings: Settings) -> None:
    instance = dg.DagsterInstance.ephemeral()
    live = add_build_run(instance, dg.DagsterRunStatus.STARTED)
    settings.build_lock_path.parent.mkdir(parents=True)
    with settings.build_lock_path.open("a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert fail_dead_build_runs(instance, settings, grace_seconds=0) == []
    # The build holding the lock spares its own run and fails the others.
    current = add_build_run(instance, dg.DagsterRunStatus.STARTED)
    failed = fail_dead_build_runs(instance, settings, current.run_id, grace_seconds=0)
    assert failed == [live.run_id]
