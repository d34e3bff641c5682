"""`make serve`: the supervised daemon and webserver, and the project's dagster.yaml."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import psutil
import pytest

from pipelines.instance import DAGSTER_YAML, MARKER, prepare_dagster_home, write_dagster_yaml
from pipelines.serve import HOST, Service, Supervisor, service_commands, service_env
from pipelines.settings import ROOT, Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "raw").mkdir()
    return Settings.from_env(
        {
            "DISCLOSURE_RAW": str(tmp_path / "raw"),
            "DISCLOSURE_WAREHOUSE": str(tmp_path / "warehouse" / "disclosure.duckdb"),
            "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        }
    )


def test_supervisor_runs_the_daemon_and_a_loopback_webserver(settings: Settings) -> None:
    daemon, webserver = service_commands(settings, 3123)
    bin_dir = Path(sys.executable).parent

    assert daemon.command[:2] == [str(bin_dir / "dagster-daemon"), "run"]
    assert webserver.command[0] == str(bin_dir / "dagster-webserver")
    assert webserver.command[webserver.command.index("-h") + 1] == HOST == "127.0.0.1"
    assert webserver.command[webserver.command.index("-p") + 1] == "3123"
    for service in (daemon, webserver):
        assert service.command[service.command.index("-m") + 1] == "pipelines.definitions"
        assert service.command[service.command.index("-d") + 1] == str(ROOT)

    env = service_env(settings)
    assert env["DAGSTER_HOME"] == str(settings.dagster_home)
    assert env["PATH"].split(os.pathsep)[0] == str(bin_dir)


def test_supervisor_stops_the_other_service_and_fails_when_one_dies(tmp_path: Path) -> None:
    sleeper = Service("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    crasher = Service("crasher", [sys.executable, "-c", "import time; time.sleep(1); exit(3)"])
    supervisor = Supervisor([sleeper, crasher], dict(os.environ), tmp_path)
    started = time.monotonic()
    assert supervisor.run() == 3
    assert time.monotonic() - started < 30
    assert supervisor.processes["sleeper"].returncode == -signal.SIGTERM


def test_dagster_yaml_is_written_then_left_alone_when_current(tmp_path: Path) -> None:
    config = tmp_path / "dagster.yaml"
    assert write_dagster_yaml(config)
    assert config.read_text(encoding="utf-8") == DAGSTER_YAML
    assert DAGSTER_YAML.startswith(MARKER)
    assert not write_dagster_yaml(config)


def test_dagster_yaml_written_by_an_older_version_is_upgraded(tmp_path: Path) -> None:
    config = tmp_path / "dagster.yaml"
    config.write_text(f"{MARKER}\ntelemetry:\n  enabled: false\n", encoding="utf-8")
    assert write_dagster_yaml(config)
    assert config.read_text(encoding="utf-8") == DAGSTER_YAML
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    "users_file",
    [
        "storage:\n  postgres:\n    postgres_db:\n      username: dagster\n",
        # The marker further down (a copy pasted from the project's file) does not count.
        f"telemetry:\n  enabled: true\n{MARKER}\n",
    ],
)
def test_dagster_yaml_without_the_marker_is_never_overwritten(
    tmp_path: Path, users_file: str
) -> None:
    config = tmp_path / "dagster.yaml"
    config.write_text(users_file, encoding="utf-8")
    assert not write_dagster_yaml(config)
    assert config.read_text(encoding="utf-8") == users_file


def test_instance_runs_one_build_at_a_time_with_run_monitoring(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DAGSTER_HOME", "DISCLOSURE_BUILD_DB"):
        monkeypatch.delenv(name, raising=False)  # monkeypatch restores what export_env sets
    prepare_dagster_home(settings)
    with dg.DagsterInstance.get() as instance:
        assert instance.root_directory == str(settings.dagster_home)
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert instance.run_monitoring_enabled
        # The default run launcher cannot resume a run; the instance refuses a non-zero value.
        assert instance.run_monitoring_max_resume_run_attempts == 0
        assert 0 < instance.run_monitoring_max_runtime_seconds <= 24 * 3600
        assert "MONITORING" in instance.get_required_daemon_types()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def server_info(port: int) -> dict[str, str] | None:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/server_info", timeout=2) as response:
            return dict(json.load(response))
    except OSError:
        return None


@pytest.mark.slow
def test_serve_starts_daemon_and_webserver_and_stops_both_on_sigterm(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    env = dict(os.environ)
    env.update(
        DISCLOSURE_RAW=str(settings.raw_dir),
        DISCLOSURE_WAREHOUSE=str(settings.warehouse_path),
        DAGSTER_HOME=str(settings.dagster_home),
    )
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "pipelines.serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        children = wait_for_children(serve, 2)
        deadline = time.monotonic() + 50
        info = None
        while info is None and time.monotonic() < deadline and serve.poll() is None:
            info = server_info(port)
            time.sleep(0.5)
        assert info is not None, log_path.read_text(errors="replace")
        assert info["dagster_version"] == dg.__version__

        monkeypatch.setenv("DAGSTER_HOME", str(settings.dagster_home))
        with dg.DagsterInstance.get() as instance:
            heartbeats: dict[str, object] = {}
            while not heartbeats and time.monotonic() < deadline:
                heartbeats = dict(instance.get_daemon_heartbeats())
                time.sleep(0.5)
        assert {"SENSOR", "SCHEDULER", "MONITORING"} <= heartbeats.keys(), log_path.read_text(
            errors="replace"
        )

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=40) == 0, log_path.read_text(errors="replace")
        _, alive = psutil.wait_procs(children, timeout=5)
        assert not alive
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()


def wait_for_children(serve: subprocess.Popen[bytes], count: int) -> list[psutil.Process]:
    """Return the supervisor's `count` children once each runs its own dagster command."""
    supervisor = psutil.Process(serve.pid)
    deadline = time.monotonic() + 20
    names: list[str] = []
    while time.monotonic() < deadline:
        children = supervisor.children()
        # A child seen between fork and exec still shows the supervisor's command line.
        names = sorted(Path(arg).name for child in children for arg in child.cmdline()[:2])
        if len(children) == count and {"dagster-daemon", "dagster-webserver"} <= set(names):
            return children
        time.sleep(0.2)
    pytest.fail(f"the supervisor did not start its two services: {names}")
