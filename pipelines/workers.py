"""Worker processes that run the extractor, one file per task, under a time and memory limit.

This is the one mechanism for both parallel extraction (every core) and containment: a file
that hangs is stopped at its time limit, one that allocates without bound hits the address-space
limit of its worker, and one that crashes its worker (segfault, kill) takes only that worker
down. Each of these comes back as a quarantined `corrupt` result with the cause's first line,
so the run goes on. The pool is `pebble.ProcessPool`, which restarts dead or timed-out workers.

Scans (read by OCR) go last, each in a process of its own, `ocr_workers` at a time: OCR's
models and page images take ~0.9 GB, which a worker would keep for the rest of the run, and
several at once would add up (ADR 0005).
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeoutError
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from pipelines.extract import ExtractResult, extract_document, file_sha256
from pipelines.extract.model import Reason
from pipelines.extract.readers.sniff import looks_scanned

Extractor = Callable[[Path, str], ExtractResult]


@dataclass(frozen=True)
class Limits:
    """How many workers extract at once, and what one file may cost before it is stopped."""

    workers: int = 2
    seconds: float = 180.0
    memory_mb: int = 3072
    # The time limit for a scan (a page image or a PDF without text, read by OCR).
    scan_seconds: float = 900.0
    # How many scans are read at once (each in its own process, ~0.9 GB while it runs).
    ocr_workers: int = 1

    @property
    def scan_limit(self) -> float:
        """Return the time limit of a scan (never below that of a text file)."""
        return max(self.seconds, self.scan_seconds)


@dataclass(frozen=True)
class Job:
    """One file to extract: its path on disk and the path recorded in the result."""

    path: Path
    display_path: str


def _limit_address_space(memory_mb: int) -> None:
    """Worker initializer: cap this process's address space so a runaway file fails alone."""
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _extract_in_worker(extract: Extractor, path: str, display_path: str) -> ExtractResult:
    """Run one extraction inside a worker (module level, so it pickles)."""
    return extract(Path(path), display_path)


def failed_result(job: Job, cause: str) -> ExtractResult:
    """Given a job whose extraction did not return, return its quarantined `corrupt` result."""
    try:
        sha256 = file_sha256(job.path)
    except OSError:
        sha256 = ""
    result = ExtractResult(
        path=job.display_path, sha256=sha256, format=job.path.suffix.lower().lstrip(".") or "?"
    )
    return result.quarantine(Reason.CORRUPT, cause)


def first_line(error: BaseException) -> str:
    """Return `ErrorType: first line of the message` for an exception raised in a worker."""
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}: {message[0]}" if message else type(error).__name__


def describe_failure(error: BaseException, limits: Limits, seconds: float | None = None) -> str:
    """Given what a worker's future raised, return the quarantine detail for the file
    (`seconds`: the file's own time limit, when not `limits.seconds`)."""
    if isinstance(error, FutureTimeoutError):
        return f"extraction stopped at the {seconds or limits.seconds:g} s time limit"
    if isinstance(error, MemoryError):
        return f"extraction stopped at the {limits.memory_mb} MB memory limit (MemoryError)"
    if isinstance(error, ProcessExpired):
        return f"the extraction process died (exit code {error.exitcode}); {first_line(error)}"
    return f"extraction crashed: {first_line(error)}"


def extract_files(
    jobs: Sequence[Job], limits: Limits, extract: Extractor = extract_document
) -> Iterator[ExtractResult]:
    """Given files to extract, yield one result per file, in completion order.

    Files with a text layer first, on `limits.workers` processes; then scans, each in a fresh
    process, `limits.ocr_workers` at a time. Never raises for a file's content: timeouts,
    crashes and memory exhaustion become quarantined `corrupt` results. `extract` must be a
    module-level function (it is pickled).
    """
    scanned = {job.path: looks_scanned(job.path) for job in jobs}
    text = [job for job in jobs if not scanned[job.path]]
    scans = [job for job in jobs if scanned[job.path]]
    yield from _run_pool(text, limits, extract, limits.workers, limits.seconds)
    yield from _run_pool(
        scans, limits, extract, limits.ocr_workers, limits.scan_limit, one_task=True
    )


def _run_pool(
    jobs: Sequence[Job],
    limits: Limits,
    extract: Extractor,
    workers: int,
    seconds: float,
    one_task: bool = False,
) -> Iterator[ExtractResult]:
    """Run `jobs` on a pool of `workers` processes, each file under `seconds` (a fresh process
    per file when `one_task`); yield the results in completion order."""
    if not jobs:
        return
    pool = ProcessPool(
        max_workers=max(1, min(workers, len(jobs))),
        max_tasks=1 if one_task else 0,
        initializer=_limit_address_space,
        initargs=(limits.memory_mb,),
        context=multiprocessing.get_context("spawn"),
    )
    finished = False
    try:
        futures = {
            pool.schedule(
                _extract_in_worker,
                args=(extract, str(job.path), job.display_path),
                timeout=seconds,
            ): job
            for job in jobs
        }
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as error:  # any failure of one file is that file's quarantine
                yield failed_result(job, describe_failure(error, limits, seconds))
        finished = True
    finally:
        # Every task done: let the workers exit. Stopped early: never leave workers running.
        if finished:
            pool.close()
        else:
            pool.stop()
        pool.join()
