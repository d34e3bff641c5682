"""Atomic publish of the build database."""

from pathlib import Path

import duckdb

from pipelines.assets.warehouse import publish_database


def build_database(path: Path, reports: int) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            f"create or replace table dim_report as select range as id from range({reports})"
        )
        conn.execute("create or replace view report_count as select count(*) as n from dim_report")


def test_publish_replaces_the_file_while_a_reader_keeps_the_old_one(tmp_path: Path) -> None:
    build = tmp_path / "disclosure.build.duckdb"
    published = tmp_path / "disclosure.duckdb"
    build_database(build, 2)
    assert publish_database(build, published) == 2

    with duckdb.connect(str(published), read_only=True) as reader:
        build_database(build, 5)
        publish_database(build, published)
        assert reader.execute("select n from report_count").fetchall() == [(2,)]

    with duckdb.connect(str(published), read_only=True) as fresh:
        assert fresh.execute("select n from report_count").fetchall() == [(5,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [build.name, published.name]
