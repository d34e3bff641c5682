"""The extraction plan (reuse, duplicates, shards) and the load of Parquet batches into DuckDB."""

import uuid
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.extract import EXTRACTOR_VERSION
from pipelines.extract.model import Cell, ExtractResult, Reason
from pipelines.extract.staging import results_to_frames
from pipelines.extraction_plan import find_duplicates, plan_extraction
from pipelines.staging_load import (
    TABLES,
    batch_name,
    duplicate_reports,
    load_staging,
    reusable_reports,
)
from pipelines.staging_store import StagingStore


def result_for(path: str, sha: str, value: int = 1) -> ExtractResult:
    result = ExtractResult(path=path, sha256=sha, format="txt")
    result.cells.append(Cell("requests", "new_received", "total", str(value), value, ref="line 1"))
    return result


def frames_for(paths: dict[str, str], version: str) -> dict[str, pl.DataFrame]:
    return results_to_frames([result_for(path, sha) for path, sha in paths.items()], version)


def inventory(paths: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "relative_path": list(paths),
            "sha256": list(paths.values()),
            "size_bytes": [len(path) for path in paths],
        }
    )


def previous_keys(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return frames["reports"].select("source_path", "sha256", "extractor_version", "duplicate_of")


def actions(plan: pl.DataFrame) -> dict[str, str]:
    return dict(plan.select("relative_path", "action").rows())


def test_unchanged_files_are_reused_and_changed_or_new_ones_extracted() -> None:
    previous = frames_for({"a.txt": "1", "b.txt": "2", "gone.txt": "3"}, EXTRACTOR_VERSION)
    today = inventory({"a.txt": "1", "b.txt": "changed", "new.txt": "4"})
    plan = plan_extraction(today, previous_keys(previous))
    assert actions(plan) == {"a.txt": "reuse", "b.txt": "extract", "new.txt": "extract"}


def test_a_new_extractor_version_or_unusable_tables_reuse_nothing() -> None:
    old = frames_for({"a.txt": "1"}, "old-version")
    assert actions(plan_extraction(inventory({"a.txt": "1"}), previous_keys(old))) == {
        "a.txt": "extract"
    }
    assert actions(plan_extraction(inventory({"a.txt": "1"}), None)) == {"a.txt": "extract"}


def test_reshaped_or_missing_tables_are_not_reusable() -> None:
    conn = duckdb.connect()
    conn.execute("create schema extract")
    for name, frame in frames_for({"a.txt": "1"}, EXTRACTOR_VERSION).items():
        conn.register("frame", frame.to_arrow())
        conn.execute(f"create table extract.{name} as select * from frame")
    keys = reusable_reports(conn)
    assert keys is not None and keys["source_path"].to_list() == ["a.txt"]
    conn.execute("alter table extract.cells drop column unit")
    assert reusable_reports(conn) is None
    conn.execute("drop table extract.cells")
    assert reusable_reports(conn) is None


def test_files_to_extract_are_dealt_to_every_shard_largest_first() -> None:
    files = {f"{'x' * size}.txt": str(size) for size in range(1, 8)}
    plan = plan_extraction(inventory(files), None, shards=3)
    shards = plan.sort("size_bytes", descending=True)["shard"].to_list()
    assert shards == [0, 1, 2, 0, 1, 2, 0]


def test_the_first_path_of_equal_bytes_is_the_original() -> None:
    files = {"b/copy.pdf": "x", "a/report.pdf": "x", "c/other.pdf": "y", "z.pdf": "x"}
    assert find_duplicates(inventory(files)) == {
        "b/copy.pdf": "a/report.pdf",
        "z.pdf": "a/report.pdf",
    }


def test_a_file_extracted_by_an_earlier_build_stays_the_original() -> None:
    files = {"corpus/report.pdf": "x", "corpus-copy/report.pdf": "x"}
    assert find_duplicates(inventory(files), known={"corpus/report.pdf"}) == {
        "corpus-copy/report.pdf": "corpus/report.pdf"
    }


def test_a_duplicate_of_a_report_is_quarantined_and_one_of_a_bad_file_keeps_its_reason() -> None:
    bad = ExtractResult(path="e.pdf", sha256="0", format="pdf").quarantine(
        Reason.EMPTY, "the file has no bytes"
    )
    reports = results_to_frames([result_for("a.txt", "1"), bad], EXTRACTOR_VERSION)["reports"]
    rows = duplicate_reports(reports, {"a2.txt": "a.txt", "e2.docx": "e.pdf"})
    by_id = {row["report_id"]: row for row in rows.iter_rows(named=True)}
    assert by_id["a2.txt"]["status"] == "quarantined"
    assert by_id["a2.txt"]["reason"] == "duplicate"
    assert by_id["a2.txt"]["duplicate_of"] == "a.txt"
    assert by_id["e2.docx"]["reason"] == "empty"
    assert by_id["e2.docx"]["detail"] == "the file has no bytes (the same bytes (sha256) as e.pdf)"
    assert rows.columns == reports.columns


def test_a_former_duplicate_is_extracted_when_its_original_is_gone() -> None:
    previous = frames_for({"a.txt": "1"}, EXTRACTOR_VERSION)
    previous["reports"] = pl.concat(
        [previous["reports"], duplicate_reports(previous["reports"], {"b.txt": "a.txt"})]
    )
    plan = plan_extraction(inventory({"b.txt": "1"}), previous_keys(previous))
    assert actions(plan) == {"b.txt": "extract"}


def write_batches(store: StagingStore, shard: int, results: list[ExtractResult]) -> None:
    for name, frame in results_to_frames(results, EXTRACTOR_VERSION).items():
        store.write_frame(batch_name(shard, 0, name), frame)


def rows(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return conn.sql(f"select * from extract.{table} order by all").fetchall()


@pytest.mark.parametrize("where", ["folder", "memory"])
def test_load_keeps_reused_rows_adds_every_shards_batches_and_duplicates(
    tmp_path: Path, where: str
) -> None:
    """The load gives the same tables as writing all results at once, from a local folder or
    another fsspec filesystem (memory://, standing in for object storage)."""
    url = str(tmp_path) if where == "folder" else f"memory://staging-{uuid.uuid4().hex}"
    store = StagingStore(url)
    store.reset()
    conn = duckdb.connect()
    conn.execute("create schema extract")
    earlier = frames_for({"a.txt": "1", "b.txt": "2"}, EXTRACTOR_VERSION)
    for name, frame in earlier.items():
        conn.register("frame", frame.to_arrow())
        conn.execute(f"create table extract.{name} as select * from frame")

    files = {"a.txt": "1", "b.txt": "22", "c.txt": "3", "d.txt": "4", "a-copy.txt": "1"}
    plan = plan_extraction(inventory(files), reusable_reports(conn), shards=2)
    assert actions(plan)["a.txt"] == "reuse" and actions(plan)["a-copy.txt"] == "duplicate"
    fresh = {"b.txt": result_for("b.txt", "22", 5), "c.txt": result_for("c.txt", "3", 6)}
    fresh["d.txt"] = ExtractResult(path="d.txt", sha256="4", format="txt").quarantine(
        Reason.NOT_A_REPORT, "no year"
    )
    for shard in (0, 1):
        mine = plan.filter((pl.col("action") == "extract") & (pl.col("shard") == shard))
        write_batches(store, shard, [fresh[path] for path in mine["relative_path"]])

    counts = load_staging(conn, store, plan)

    expected = results_to_frames([result_for("a.txt", "1"), *fresh.values()], EXTRACTOR_VERSION)
    expected["reports"] = pl.concat(
        [expected["reports"], duplicate_reports(expected["reports"], {"a-copy.txt": "a.txt"})]
    )
    want = duckdb.connect()
    want.execute("create schema extract")
    for name, frame in expected.items():
        want.register("frame", frame.to_arrow())
        want.execute(f"create table extract.{name} as select * from frame")
    for name in TABLES:
        assert rows(conn, name) == rows(want, name)
        assert counts[name] == expected[name].height
    assert (
        conn.sql("describe extract.cells").fetchall()
        == want.sql("describe extract.cells").fetchall()
    )


def test_a_failed_load_leaves_the_last_tables(tmp_path: Path) -> None:
    store = StagingStore(str(tmp_path))
    store.reset()
    store.write_frame(batch_name(0, 0, "cells"), pl.DataFrame({"nonsense": [1]}))
    conn = duckdb.connect()
    conn.execute("create schema extract")
    for name, frame in frames_for({"a.txt": "1"}, EXTRACTOR_VERSION).items():
        conn.register("frame", frame.to_arrow())
        conn.execute(f"create table extract.{name} as select * from frame")
    before = {name: rows(conn, name) for name in TABLES}
    plan = plan_extraction(inventory({"a.txt": "1", "b.txt": "2"}), reusable_reports(conn))
    with pytest.raises(duckdb.Error):
        load_staging(conn, store, plan)
    assert {name: rows(conn, name) for name in TABLES} == before
