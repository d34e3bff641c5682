"""The nightly schedule and the raw-folder sensor."""

import json
import os
from pathlib import Path

import dagster as dg
import pytest

from pipelines.automation import nightly_build, raw_folder_sensor


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


def tick(cursor: str | None = None) -> dg.SensorResult:
    result = raw_folder_sensor(dg.build_sensor_context(cursor=cursor))
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
