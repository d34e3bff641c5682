"""Reuse of last run's extraction rows."""

import polars as pl

from pipelines.assets.extraction import cached_frames
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.extract.model import Cell, ExtractResult
from pipelines.extract.staging import results_to_frames


def frames_for(paths: dict[str, str], version: str) -> dict[str, pl.DataFrame]:
    results = []
    for path, sha in paths.items():
        result = ExtractResult(path=path, sha256=sha, format="txt")
        result.cells.append(Cell("requests", "new_received", "total", "1", 1, ref="line 1"))
        results.append(result)
    return results_to_frames(results, version)


def inventory(paths: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"relative_path": list(paths), "sha256": list(paths.values())})


def test_unchanged_files_are_reused_and_changed_ones_are_not() -> None:
    previous = frames_for({"a.txt": "1", "b.txt": "2", "gone.txt": "3"}, EXTRACTOR_VERSION)
    empty = results_to_frames([], EXTRACTOR_VERSION)
    cached = cached_frames(dict(previous), inventory({"a.txt": "1", "b.txt": "changed"}), empty)
    assert cached["reports"]["report_id"].to_list() == ["a.txt"]
    assert cached["cells"]["report_id"].to_list() == ["a.txt"]


def test_a_new_extractor_version_reuses_nothing() -> None:
    previous = frames_for({"a.txt": "1"}, "old-version")
    empty = results_to_frames([], EXTRACTOR_VERSION)
    cached = cached_frames(dict(previous), inventory({"a.txt": "1"}), empty)
    assert cached["reports"].is_empty()


def test_missing_or_reshaped_tables_reuse_nothing() -> None:
    previous: dict[str, pl.DataFrame | None] = dict(frames_for({"a.txt": "1"}, EXTRACTOR_VERSION))
    empty = results_to_frames([], EXTRACTOR_VERSION)
    assert cached_frames({**previous, "checks": None}, inventory({"a.txt": "1"}), empty) is empty
    reshaped = {**previous, "cells": pl.DataFrame({"report_id": ["a.txt"]})}
    assert cached_frames(reshaped, inventory({"a.txt": "1"}), empty) is empty
