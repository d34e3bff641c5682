"""One build at a time, and a clean start after a build that was killed (`kill -9`, power loss).

The published warehouse is only ever replaced by an atomic rename of a complete copy, so a
killed build cannot damage it. What a killed build can leave behind is cleared here before the
next build touches anything:
- a dbt process it started, still running and holding the build database's lock;
- orphaned extraction workers;
- a half-written publish copy (`.disclosure.duckdb.*.tmp`);
- a build database that no longer opens: it is moved aside and the build starts from the last
  published warehouse (which carries the extraction cache and the build log).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import time
from pathlib import Path
from typing import IO

import psutil
from duckdb import connect

from pipelines.settings import BUILD_DB_ENV, Settings

_held: dict[Path, IO[str]] = {}


class BuildRunningError(RuntimeError):
    """Another live build holds the build lock of this warehouse."""


def hold_build_lock(settings: Settings) -> None:
    """Take this warehouse's build lock for the rest of this process (idempotent).

    The lock is released by the kernel when the process ends, however it ends; a killed build
    therefore never blocks the next one. Raises `BuildRunningError` when another process holds it.
    """
    path = settings.build_lock_path
    if path in _held:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        message = f"another build of {settings.warehouse_path} is running (pid {holder})"
        raise BuildRunningError(message) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    _held[path] = handle


def build_lock_is_free(settings: Settings) -> bool:
    """Return whether no process holds this warehouse's build lock (no build is alive)."""
    if settings.build_lock_path in _held:
        return False
    if not settings.build_lock_path.exists():
        return True
    with settings.build_lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
    return True


def orphaned_build_processes(settings: Settings) -> list[psutil.Process]:
    """Return processes a dead build left running: dbt or extraction workers started with this
    warehouse's build database in their environment (only call while holding the build lock)."""
    mine = {os.getpid(), *(child.pid for child in psutil.Process().children(recursive=True))}
    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        if process.pid in mine:
            continue
        try:
            command = " ".join(process.info["cmdline"] or [])
            if "dbt" not in command and "spawn_main" not in command:
                continue
            if process.environ().get(BUILD_DB_ENV) == str(settings.build_path):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def database_opens(path: Path) -> bool:
    """Return whether a DuckDB file opens and answers a query (replaying its WAL if any)."""
    try:
        with connect(str(path)) as conn:
            conn.execute("select count(*) from information_schema.tables").fetchall()
    except Exception:  # a damaged file raises several duckdb error types
        return False
    return True


def recover(settings: Settings) -> list[str]:
    """Clear what a killed build left behind; return one line per thing done (for the log).

    Call while holding the build lock, before the build opens its database.
    """
    notes: list[str] = []
    orphans = orphaned_build_processes(settings)
    for process in orphans:
        notes.append(f"stopped pid {process.pid} left running by a killed build")
        process.send_signal(signal.SIGKILL)
    psutil.wait_procs(orphans, timeout=10)
    for stale in settings.warehouse_path.parent.glob(f".{settings.warehouse_path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
        notes.append(f"removed the half-written copy {stale.name}")
    build = settings.build_path
    if build.exists() and not database_opens(build):
        aside = build.with_name(f"{build.name}.broken-{time.strftime('%Y%m%dT%H%M%S')}")
        build.rename(aside)
        wal = build.with_name(build.name + ".wal")
        if wal.exists():
            wal.rename(aside.with_name(aside.name + ".wal"))
        notes.append(f"the build database did not open; moved aside to {aside.name}")
    if not build.exists() and settings.warehouse_path.exists():
        shutil.copyfile(settings.warehouse_path, build)
        notes.append("started the build database from the published warehouse")
    return notes
