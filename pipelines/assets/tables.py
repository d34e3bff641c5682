"""Read and write whole warehouse tables as Polars frames."""

from __future__ import annotations

import duckdb
import polars as pl


def write_table(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Given a `schema.table` name and a frame, replace that table with the frame's rows."""
    schema = table.split(".")[0]
    conn.execute(f"create schema if not exists {schema}")
    conn.register("incoming_frame", frame.to_arrow())
    try:
        conn.execute(f"create or replace table {table} as select * from incoming_frame")
    finally:
        conn.unregister("incoming_frame")


def read_table(conn: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame | None:
    """Given a `schema.table` name, return its rows as a frame, or None if it does not exist."""
    schema, name = table.split(".")
    matches = conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()[0][0]
    if matches == 0:
        return None
    return conn.sql(f"select * from {table}").pl()
