"""The extractor core: `extract_document(path)` → `ExtractResult` (no Dagster, DuckDB or dbt).

Callers: the `disclosure extract` CLI, the Dagster extraction assets and the tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from pipelines.extract.layout import Layout
from pipelines.extract.model import ExtractResult, Reason
from pipelines.extract.readers import ReaderError
from pipelines.extract.readers.text import read_text
from pipelines.extract.report import parse_report

__all__ = ["EXTRACTOR_VERSION", "SUPPORTED_SUFFIXES", "ExtractResult", "extract_document"]


def _reader_for(suffix: str) -> tuple[str, Callable[[Path], Layout]] | None:
    """Return (format name, reader) for a file suffix, importing heavy readers lazily."""
    if suffix in {".txt", ".text"}:
        return "txt", read_text
    if suffix == ".pdf":
        from pipelines.extract.readers.pdf import read_pdf

        return "pdf", read_pdf
    if suffix in {".html", ".htm", ".shtml"}:
        from pipelines.extract.readers.html import read_html

        return "html", read_html
    if suffix == ".docx":
        from pipelines.extract.readers.docx import read_docx

        return "docx", read_docx
    return None


IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif"})
SUPPORTED_SUFFIXES = frozenset({".txt", ".text", ".pdf", ".html", ".htm", ".shtml", ".docx"})


def _source_digest() -> str:
    """Return a digest of the extractor's own source, so cached results follow code changes."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


EXTRACTOR_VERSION = _source_digest()


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract_document(path: Path, display_path: str | None = None) -> ExtractResult:
    """Given a report file, return everything extracted from it; never raises on bad input.

    Unreadable, empty or unrelated files come back with `status="quarantined"` and a reason.
    `display_path` is the path recorded in the result (defaults to `path` as given).
    """
    shown = display_path if display_path is not None else str(path)
    suffix = path.suffix.lower()
    entry = _reader_for(suffix)
    result = ExtractResult(path=shown, sha256=file_sha256(path), format=suffix.lstrip(".") or "?")
    if entry is None and suffix in IMAGE_SUFFIXES:
        return result.quarantine(Reason.IMAGE_ONLY, f"a scanned image ('{suffix}'), no OCR here")
    if entry is None:
        return result.quarantine(Reason.UNSUPPORTED_FORMAT, f"no reader for '{suffix}' files")
    result.format = entry[0]
    if path.stat().st_size == 0:
        return result.quarantine(Reason.EMPTY, "the file has no bytes")
    try:
        layout = entry[1](path)
    except ReaderError as err:
        return result.quarantine(Reason(err.reason), str(err) or err.__class__.__name__)
    return parse_report(layout, result, file_name=path.name)
