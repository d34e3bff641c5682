"""The extraction workers: parallel results equal in-process ones, and a file that hangs,
crashes, kills its worker or exhausts memory is quarantined `corrupt` while the others finish."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from pipelines.extract import ExtractResult, extract_document
from pipelines.workers import Job, Limits, extract_files
from tests.conftest import REPO

SEEDS = sorted((REPO / "raw").glob("*.txt"))


def misbehave(path: Path, display_path: str) -> ExtractResult:
    """An extractor that fails in the way its file's name says, else extracts normally."""
    if "_HANG_" in path.name:
        time.sleep(3600)
    if "_CRASH_" in path.name:
        message = "cell parser broke on row 7\nsecond line of the message"
        raise ValueError(message)
    if "_SEGV_" in path.name:
        os.kill(os.getpid(), signal.SIGKILL)
    if "_HOG_" in path.name:
        hoard = bytearray(8 * 1024**3)  # 8 GB, far above the limit
        return ExtractResult(path=display_path, sha256=str(len(hoard)), format="txt")
    return extract_document(path, display_path)


def test_workers_give_the_same_results_as_in_process_extraction() -> None:
    jobs = [Job(path, path.name) for path in SEEDS]
    parallel = {result.path: result.to_dict() for result in extract_files(jobs, Limits(workers=2))}
    assert parallel == {path.name: extract_document(path, path.name).to_dict() for path in SEEDS}


@pytest.mark.slow
def test_each_misbehaving_file_is_quarantined_corrupt_and_the_others_finish(
    tmp_path: Path,
) -> None:
    bad = ("a_HANG_.txt", "b_CRASH_.txt", "c_SEGV_.txt", "d_HOG_.txt")
    for name in bad:
        (tmp_path / name).write_text("whatever", encoding="utf-8")
    jobs = [Job(tmp_path / name, name) for name in bad]
    jobs += [Job(path, path.name) for path in SEEDS]
    limits = Limits(workers=2, seconds=20, memory_mb=1500)
    results = {result.path: result for result in extract_files(jobs, limits, extract=misbehave)}

    assert len(results) == len(jobs)
    for path in SEEDS:
        assert results[path.name].status == "extracted"
        assert results[path.name].cells
    details = {name: results[name].detail or "" for name in bad}
    for name in bad:
        assert results[name].status == "quarantined", name
        assert results[name].reason == "corrupt", name
        assert results[name].sha256, name
    assert "20 s time limit" in details["a_HANG_.txt"]
    assert details["b_CRASH_.txt"] == "extraction crashed: ValueError: cell parser broke on row 7"
    assert "process died" in details["c_SEGV_.txt"]
    assert "1500 MB memory limit" in details["d_HOG_.txt"]
