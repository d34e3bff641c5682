"""`make export`: every mart of the published warehouse as Parquet and as CSV (UTF-8 with a
byte-order mark, so Excel opens the Chinese text) in `warehouse/export/`."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb

from pipelines.settings import Settings

MART_PREFIXES = ("dim_", "fct_", "mart_", "qa_")
BOM = "\ufeff".encode()


def mart_names(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Given a warehouse connection, return the marts (dim_/fct_/mart_/qa_ tables of `main`)."""
    rows = conn.execute(
        "select table_name from information_schema.tables"
        " where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
    ).fetchall()
    return [name for (name,) in rows if name.startswith(MART_PREFIXES)]


def export_table(conn: duckdb.DuckDBPyConnection, table: str, out_dir: Path) -> tuple[Path, Path]:
    """Given a table, write `<table>.parquet` and `<table>.csv` (UTF-8 with BOM) to `out_dir`
    and return both paths."""
    parquet, csv = out_dir / f"{table}.parquet", out_dir / f"{table}.csv"
    plain = out_dir / f".{table}.csv.tmp"
    conn.execute(f"copy (select * from {table}) to '{parquet}' (format parquet)")
    conn.execute(f"copy (select * from {table}) to '{plain}' (format csv, header true)")
    with csv.open("wb") as target, plain.open("rb") as source:
        target.write(BOM)
        shutil.copyfileobj(source, target)
    plain.unlink()
    return parquet, csv


def export_marts(warehouse: Path, out_dir: Path) -> list[str]:
    """Given the published warehouse, export every mart into `out_dir`; return the mart names.
    Raises FileNotFoundError when there is no warehouse yet."""
    if not warehouse.exists():
        msg = f"no warehouse at {warehouse}: run `make run` first"
        raise FileNotFoundError(msg)
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = mart_names(conn)
        for table in tables:
            export_table(conn, table, out_dir)
    return tables


def main(argv: list[str] | None = None) -> None:
    """Export the marts of the configured warehouse (or `--warehouse`) to `--out`."""
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse_path)
    parser.add_argument("--out", type=Path, default=None, help="default: export/ beside it")
    args = parser.parse_args(argv)
    out_dir = args.out or args.warehouse.parent / "export"
    tables = export_marts(args.warehouse, out_dir)
    print(f"exported {len(tables)} marts as Parquet and CSV (UTF-8 with BOM) to {out_dir}")


if __name__ == "__main__":
    main()
