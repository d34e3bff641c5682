"""Progress over the files of one extraction: a live bar on a terminal, plain lines elsewhere.

On a terminal (`make run` by hand) a rich progress bar shows files done, quarantined files and
the ETA. Anywhere else (CI, the Dagster daemon's run logs, a pipe) the same facts are printed as
a short line every `every_seconds`, so long runs stay legible without flooding the log.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

_terminal: TextIO | None = None


def attach_terminal() -> None:
    """Keep a handle on this process's stderr as it is now, for progress shown during a run.

    Called by `make run` before Dagster starts: Dagster captures a step's stdout and stderr for
    its compute logs, and a captured stream is no terminal, so the bar would fall back to lines.
    """
    global _terminal
    if _terminal is None and sys.stderr.isatty():
        _terminal = os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1, encoding="utf-8")


def format_seconds(seconds: float) -> str:
    """Return a duration as `1h02m`, `3m05s` or `42s`."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class FileProgress:
    """Count files as they finish; show the bar (terminal) or periodic lines (elsewhere)."""

    def __init__(
        self, total: int, label: str = "extracting", stream: TextIO | None = None,
        every_seconds: float = 10.0,
    ) -> None:  # fmt: skip
        self.total = total
        self.done = 0
        self.quarantined = 0
        self.label = label
        self.every_seconds = every_seconds
        self._stream = stream if stream is not None else (_terminal or sys.stderr)
        self._console = Console(file=self._stream)
        self._started = time.monotonic()
        self._last_line = self._started
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> FileProgress:
        if self._console.is_terminal and self.total:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("[yellow]{task.fields[quarantined]} quarantined"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self._console,
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=self.total, quarantined=0)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:  # fmt: skip
        if self._progress is not None:
            self._progress.stop()
        elif self.total:
            self._print_line()

    def advance(self, path: str, quarantined_detail: str | None = None) -> None:
        """Count one finished file; a quarantined one is named with its reason."""
        self.done += 1
        if quarantined_detail is not None:
            self.quarantined += 1
            detail = escape(quarantined_detail)
            self._console.print(f"  [yellow]quarantined[/] {escape(path)}: {detail}")
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, quarantined=self.quarantined)
        elif time.monotonic() - self._last_line >= self.every_seconds:
            self._print_line()

    def eta_seconds(self) -> float | None:
        """Return the estimated seconds left, from the mean time per finished file."""
        if not self.done:
            return None
        elapsed = time.monotonic() - self._started
        return elapsed / self.done * (self.total - self.done)

    def _print_line(self) -> None:
        """Print one plain progress line: done/total, share, quarantined, elapsed and ETA."""
        self._last_line = time.monotonic()
        share = self.done / self.total if self.total else 1.0
        eta = self.eta_seconds()
        left = f", ETA {format_seconds(eta)}" if eta is not None and self.done < self.total else ""
        elapsed = format_seconds(self._last_line - self._started)
        self._console.print(
            f"  {self.label}: {self.done}/{self.total} files ({share:.0%}), "
            f"{self.quarantined} quarantined, {elapsed} elapsed{left}",
            highlight=False,
        )
