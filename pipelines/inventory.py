"""The raw folder's file inventory, shared by the documents asset, the sensor and `make run`."""

from __future__ import annotations

from pathlib import Path

TRUTH_SUFFIX = ".truth.json"


def is_report_candidate(relative: Path) -> bool:
    """Given a path relative to the raw folder, return whether the pipeline should ingest it."""
    hidden = any(part.startswith(".") for part in relative.parts)
    return not hidden and not relative.name.endswith(TRUTH_SUFFIX)


def list_raw_files(raw_dir: Path) -> list[Path]:
    """Given the raw folder, return its report files (recursively, sorted, relative paths)."""
    if not raw_dir.is_dir():
        return []
    found = (p.relative_to(raw_dir) for p in raw_dir.rglob("*") if p.is_file())
    return sorted(rel for rel in found if is_report_candidate(rel))


def stat_signature(raw_dir: Path) -> dict[str, list[int]]:
    """Given the raw folder, return {relative path: [size, mtime_ns]} for every report file."""
    signature: dict[str, list[int]] = {}
    for rel in list_raw_files(raw_dir):
        stat = (raw_dir / rel).stat()
        signature[rel.as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return signature
