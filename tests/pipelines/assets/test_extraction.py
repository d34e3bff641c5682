"""Reuse of last run's extraction rows."""

import polars as pl

from pipelines.assets.extraction import cached_frames, duplicate_reports, find_duplicates
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.extract.model import Cell, ExtractResult, Reason
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


def test_the_first_path_of_equal_bytes_is_the_original() -> None:
    files = {"b/copy.pdf": "x", "a/report.pdf": "x", "c/other.pdf": "y", "z.pdf": "x"}
    assert find_duplicates(inventory(files)) == {
        "b/copy.pdf": "a/report.pdf",
        "z.pdf": "a/report.pdf",
    }


def test_a_duplicate_of_a_report_is_quarantined_and_one_of_a_bad_file_keeps_its_reason() -> None:
    good = ExtractResult(path="a.txt", sha256="1", format="txt")
    good.cells.append(Cell("requests", "new_received", "total", "1", 1, ref="line 1"))
    bad = ExtractResult(path="e.pdf", sha256="0", format="pdf").quarantine(
        Reason.EMPTY, "the file has no bytes"
    )
    reports = results_to_frames([good, bad], EXTRACTOR_VERSION)["reports"]
    rows = duplicate_reports(reports, {"a2.txt": "a.txt", "e2.docx": "e.pdf"})
    by_id = {row["report_id"]: row for row in rows.iter_rows(named=True)}
    assert by_id["a2.txt"]["status"] == "quarantined"
    assert by_id["a2.txt"]["reason"] == "duplicate"
    assert by_id["a2.txt"]["duplicate_of"] == "a.txt"
    assert by_id["e2.docx"]["reason"] == "empty"
    assert by_id["e2.docx"]["detail"] == "the file has no bytes (the same bytes (sha256) as e.pdf)"
    assert rows.columns == reports.columns


def test_a_file_extracted_by_an_earlier_build_stays_the_original() -> None:
    files = {"corpus/report.pdf": "x", "corpus-copy/report.pdf": "x"}
    assert find_duplicates(inventory(files), known={"corpus/report.pdf"}) == {
        "corpus-copy/report.pdf": "corpus/report.pdf"
    }


def test_a_former_duplicate_is_extracted_when_its_original_is_gone() -> None:
    previous = frames_for({"a.txt": "1"}, EXTRACTOR_VERSION)
    previous["reports"] = pl.concat(
        [previous["reports"], duplicate_reports(previous["reports"], {"b.txt": "a.txt"})]
    )
    empty = results_to_frames([], EXTRACTOR_VERSION)
    cached = cached_frames(dict(previous), inventory({"b.txt": "1"}), empty)
    assert cached["reports"].is_empty()
