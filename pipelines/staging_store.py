"""Where extraction results wait as Parquet between the extraction steps and the DuckDB load.

The store is a folder given as a path or an fsspec URL (`DISCLOSURE_STAGING`: a local folder by
default, `s3://bucket/prefix` or any other fsspec filesystem past one machine), so extraction
steps on several machines write to one place and the single DuckDB writer reads it all with
`read_parquet`, which streams the files instead of holding them in memory.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import fsspec
import polars as pl
from fsspec.implementations.local import LocalFileSystem


class StagingStore:
    """A folder of Parquet and JSON files on any fsspec filesystem."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, self.root = fsspec.core.url_to_fs(url)

    def path(self, name: str) -> str:
        """Return the filesystem path of `name` (relative to the store's root)."""
        return f"{self.root.rstrip('/')}/{name}"

    def reset(self, name: str = "") -> None:
        """Remove `name` (a sub-folder; the whole store when empty) and everything in it."""
        target = self.path(name) if name else self.root
        if self.fs.exists(target):
            self.fs.rm(target, recursive=True)
        self.fs.makedirs(target, exist_ok=True)

    def write_frame(self, name: str, frame: pl.DataFrame) -> None:
        """Write a frame as the Parquet file `name`."""
        path = self.path(name)
        self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with self.fs.open(path, "wb") as handle:
            frame.write_parquet(handle)

    def read_frame(self, name: str) -> pl.DataFrame:
        """Read the Parquet file `name` as a frame."""
        with self.fs.open(self.path(name), "rb") as handle:
            return pl.read_parquet(handle)

    def write_json(self, name: str, value: dict[str, Any]) -> None:
        """Write a small JSON document as the file `name`."""
        with self.fs.open(self.path(name), "w", encoding="utf-8") as handle:
            json.dump(value, handle)

    def read_json(self, name: str) -> dict[str, Any] | None:
        """Read the JSON file `name`, or None when it does not exist."""
        path = self.path(name)
        if not self.fs.exists(path):
            return None
        with self.fs.open(path, "r", encoding="utf-8") as handle:
            loaded: dict[str, Any] = json.load(handle)
        return loaded

    def glob(self, pattern: str) -> list[str]:
        """Return the sorted filesystem paths matching `pattern` (relative to the root)."""
        return sorted(self.fs.glob(self.path(pattern)))

    def duckdb_urls(self, conn: duckdb.DuckDBPyConnection, paths: list[str]) -> list[str]:
        """Given paths from `glob`, return names DuckDB's `read_parquet` opens on `conn`: the
        paths themselves for a local folder, else URLs of this filesystem registered on it."""
        if isinstance(self.fs, LocalFileSystem):
            return paths
        protocol = self.fs.protocol
        name = protocol if isinstance(protocol, str) else protocol[0]
        if name not in conn.list_filesystems():
            conn.register_filesystem(self.fs)
        return [self.fs.unstrip_protocol(path) for path in paths]
