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


def report_pid(path: Path, display_path: str) -> ExtractResult:
    """An extractor that records which process read the file."""
    return ExtractResult(path=display_path, sha256="", format=path.suffix, detail=str(os.getpid()))


def test_scans_go_last_each_in_a_process_of_its_own(tmp_path: Path) -> None:
    """OCR's memory stays with the process that read a scan: scans run after the text files,
    and every scan's process ends with it."""
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
        "3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082"
    )
    scans = []
    for index in range(3):
        scan = tmp_path / f"page{index}.png"
        scan.write_bytes(png)
        scans.append(Job(scan, scan.name))
    jobs = [*scans, *(Job(path, path.name) for path in SEEDS)]
    results = list(extract_files(jobs, Limits(workers=2, ocr_workers=1), extract=report_pid))

    order = [result.path for result in results]
    scan_names = {job.display_path for job in scans}
    assert set(order[-len(scans) :]) == scan_names
    pids = {result.path: result.detail for result in results}
    scan_pids = {pids[name] for name in scan_names}
    assert len(scan_pids) == len(scans)
    assert scan_pids.isdisjoint(pids[path.name] for path in SEEDS)
