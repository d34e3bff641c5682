"""`make serve`: the Dagster daemon and webserver as one long-running service.

Usage: `python -m pipelines.serve [--port 3000]`. Prepares DAGSTER_HOME (pipelines/instance.py),
then runs `dagster-daemon run` (schedule, sensor, run queue, run monitoring) and
`dagster-webserver` (the UI, on 127.0.0.1 only) as two child processes. SIGTERM or SIGINT is
passed on to both; when either child exits by itself the other is stopped and the service exits
non-zero, so a supervisor such as systemd can restart it. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from pipelines.instance import prepare_dagster_home
from pipelines.settings import Settings

HOST = "127.0.0.1"
DEFAULT_PORT = 3000
DEFINITIONS_MODULE = "pipelines.definitions"
STOP_SECONDS = 30.0
POLL_SECONDS = 0.5
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass(frozen=True)
class Service:
    """One supervised child: a name for messages and the command line that starts it."""

    name: str
    command: list[str]


def service_commands(settings: Settings, port: int = DEFAULT_PORT) -> list[Service]:
    """Given settings and a port, return the daemon and webserver commands, loopback only."""
    bin_dir = Path(sys.executable).parent
    location = ["-m", DEFINITIONS_MODULE, "-d", str(settings.root)]
    return [
        Service("dagster-daemon", [str(bin_dir / "dagster-daemon"), "run", *location]),
        Service(
            "dagster-webserver",
            [str(bin_dir / "dagster-webserver"), "-h", HOST, "-p", str(port), *location],
        ),
    ]


def service_env(settings: Settings) -> dict[str, str]:
    """Given settings, return the children's environment: ours, DAGSTER_HOME, venv on PATH."""
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(settings.dagster_home)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    return env


def create_storage() -> None:
    """Open the instance in DAGSTER_HOME once, creating its storage before two processes race.

    Two processes starting on a new DAGSTER_HOME both try to create the SQLite tables, and the
    loser exits (`table alembic_version already exists`); a bad dagster.yaml fails here too.
    """
    import dagster as dg

    with dg.DagsterInstance.get():
        pass


def _die_with_parent() -> None:
    """In the forked child, ask Linux to SIGTERM it when the supervisor dies (even by kill -9)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    """Runs the services, forwards stop signals to them and reports how they ended."""

    def __init__(self, services: Sequence[Service], env: dict[str, str], cwd: Path) -> None:
        """Given the services, their environment and working folder, prepare (not start) them."""
        self.services = list(services)
        self.env = env
        self.cwd = cwd
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.stop_signal: int | None = None

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """Remember the first stop signal; the loop in `run` passes it on."""
        if self.stop_signal is None:
            self.stop_signal = signum

    def start(self) -> None:
        """Start every service in its own session (a terminal's Ctrl-C reaches only us)."""
        for service in self.services:
            process = subprocess.Popen(
                service.command,
                cwd=self.cwd,
                env=self.env,
                start_new_session=True,
                # preexec_fn is unsafe only with threads, and the supervisor starts none.
                preexec_fn=_die_with_parent,
            )
            self.processes[service.name] = process
            print(f"started {service.name} (pid {process.pid})", flush=True)

    def stop(self, signum: int = signal.SIGTERM) -> None:
        """Send a signal to the services still running, then kill any left after STOP_SECONDS."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signum)
        deadline = time.monotonic() + STOP_SECONDS
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop in {STOP_SECONDS:.0f}s; killing it", flush=True)
                process.kill()
                process.wait()

    def run(self) -> int:
        """Start the services and wait; return 0 after a stop signal, non-zero if one died."""
        previous = {signum: signal.signal(signum, self._on_signal) for signum in STOP_SIGNALS}
        try:
            self.start()
            return self._wait()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _wait(self) -> int:
        """Poll the services until a stop signal or until one exits; stop all; return the code."""
        while self.stop_signal is None:
            for name, process in self.processes.items():
                code = process.poll()
                if code is not None:
                    print(f"{name} exited with {code}; stopping the service", flush=True)
                    self.stop()
                    return code if code > 0 else 1
            time.sleep(POLL_SECONDS)
        print(f"received {signal.Signals(self.stop_signal).name}; stopping", flush=True)
        self.stop(self.stop_signal)
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, prepare DAGSTER_HOME and supervise the services; return exit code."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="webserver port")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    prepare_dagster_home(settings)
    create_storage()
    print(
        f"Dagster UI on http://{HOST}:{args.port}, DAGSTER_HOME={settings.dagster_home}, "
        f"raw folder {settings.raw_dir}",
        flush=True,
    )
    services = service_commands(settings, args.port)
    return Supervisor(services, service_env(settings), settings.root).run()


if __name__ == "__main__":
    sys.exit(main())
