"""The nightly schedule and the raw-folder sensor."""

import json
import os
from pathlib import Path

import dagster as dg
import pytest

# A queued run must name where its job lives; dagster exports no public constructor for that.
from dagster._core.remote_origin import (
    RegisteredCodeLocationOrigin,
    RemoteJobOrigin,
    RemoteRepositoryOrigin,
)

from pipelines.automation import BUILD_JOB, nightly_build, raw_folder_sensor


def test_nightly_build_runs_at_two_beijing_time() -> None:
    assert nightly_build.cron_schedule == "0 2 * * *"
    assert nightly_build.execution_timezone == "Asia/Shanghai"
    assert nightly_build.job_name == "build_warehouse"


@pytest.fixture
def raw_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    monkeypatch.setenv("DISCLOSURE_RAW", str(folder))
    return folder


def tick(cursor: str | None = None, instance: dg.DagsterInstance | None = None) -> dg.SensorResult:
    context = dg.build_sensor_context(
        instance=instance or dg.DagsterInstance.ephemeral(), cursor=cursor
    )
    result = raw_folder_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def test_sensor_requests_a_run_for_a_new_file_then_skips(raw_dir: Path) -> None:
    (raw_dir / "2020").mkdir()
    (raw_dir / "2020" / "report.txt").write_text("report", encoding="utf-8")

    first = tick()
    assert first.run_requests and len(first.run_requests) == 1
    assert json.loads(first.cursor or "{}").keys() == {"2020/report.txt"}

    second = tick(first.cursor)
    assert not second.run_requests
    assert second.skip_reason is not None


def test_sensor_ignores_truth_and_hidden_files(raw_dir: Path) -> None:
    (raw_dir / "report.truth.json").write_text("{}", encoding="utf-8")
    (raw_dir / ".DS_Store").write_text("", encoding="utf-8")
    assert not tick().run_requests


def test_sensor_run_key_follows_the_changed_set(raw_dir: Path) -> None:
    report = raw_dir / "report.txt"
    report.write_text("v1", encoding="utf-8")
    first = tick()
    os.utime(report, ns=(1, 1))
    changed = tick(first.cursor)
    assert first.run_requests and changed.run_requests
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key

    report.unlink()
    removed = tick(changed.cursor)
    assert removed.run_requests
    assert json.loads(removed.cursor or "") == {}


def add_build_run(instance: dg.DagsterInstance, status: dg.DagsterRunStatus) -> dg.DagsterRun:
    location = RegisteredCodeLocationOrigin("pipelines.definitions")
    origin = RemoteJobOrigin(RemoteRepositoryOrigin(location, "__repository__"), BUILD_JOB)
    run = dg.DagsterRun(job_name=BUILD_JOB, status=status, remote_job_origin=origin)
    return instance.add_run(run)


@pytest.mark.parametrize(
    "status",
    [
        dg.DagsterRunStatus.QUEUED,
        dg.DagsterRunStatus.NOT_STARTED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED,
    ],
)
def test_sensor_waits_for_an_unfinished_build_and_keeps_its_cursor(
    raw_dir: Path, status: dg.DagsterRunStatus
) -> None:
    (raw_dir / "old.txt").write_text("old", encoding="utf-8")
    instance = dg.DagsterInstance.ephemeral()
    seen = tick(instance=instance).cursor
    (raw_dir / "new.txt").write_text("new", encoding="utf-8")
    run = add_build_run(instance, status)

    waiting = tick(seen, instance)
    assert not waiting.run_requests
    assert waiting.skip_reason is not None
    assert run.run_id in str(waiting.skip_reason)
    assert waiting.cursor == seen

    instance.report_run_failed(run)
    after = tick(waiting.cursor, instance)
    assert after.run_requests and len(after.run_requests) == 1
    assert json.loads(after.cursor or "{}").keys() == {"old.txt", "new.txt"}


def test_sensor_ignores_finished_builds_and_other_jobs(raw_dir: Path) -> None:
    (raw_dir / "report.txt").write_text("report", encoding="utf-8")
    instance = dg.DagsterInstance.ephemeral()
    add_build_run(instance, dg.DagsterRunStatus.SUCCESS)
    add_build_run(instance, dg.DagsterRunStatus.FAILURE)
    instance.add_run(dg.DagsterRun(job_name="extract_reports", status=dg.DagsterRunStatus.STARTED))
    assert tick(instance=instance).run_requests
