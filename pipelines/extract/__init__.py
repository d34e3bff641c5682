"""The extractor core: `extract_document(path)` → `ExtractResult` (no Dagster, DuckDB or dbt).

Callers: the `disclosure extract` CLI, the Dagster extraction assets and the tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pipelines.extract.layout import Layout
from pipelines.extract.model import ExtractResult, Reason
from pipelines.extract.ocr_options import OcrOptions
from pipelines.extract.readers import ReaderError
from pipelines.extract.readers.sniff import sniff
from pipelines.extract.readers.text import read_text
from pipelines.extract.report import parse_report

__all__ = ["EXTRACTOR_VERSION", "SUPPORTED_SUFFIXES", "ExtractResult", "extract_document"]


# The format a file's name claims, by suffix.
SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".md": "md",
    ".markdown": "md",
}
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp"})
SUPPORTED_SUFFIXES = frozenset(SUFFIX_FORMATS)
# Images read by OCR (what `sniff` calls them); others stay `image_only`.
OCR_IMAGES = frozenset({"a PNG image", "a JPEG image", "a TIFF image", "a BMP image"})
_FORMAT_NAMES = {
    "txt": "a text file",
    "pdf": "a PDF",
    "html": "an HTML page",
    "docx": "a .docx",
    "md": "a Markdown file",
}


def _reader(kind: str, ocr: OcrOptions | None = None) -> Callable[[Path], Layout]:
    """Return the reader for a real format, importing heavy readers lazily (`ocr`: how scans
    and images are read; None reads none)."""
    if kind == "pdf":
        from pipelines.extract.readers.pdf import read_pdf

        return partial(read_pdf, ocr=ocr)
    if kind == "image" and ocr is not None:
        from pipelines.extract.readers.ocr import read_image

        return partial(read_image, options=ocr)
    if kind == "html":
        from pipelines.extract.readers.html import read_html

        return read_html
    if kind == "docx":
        from pipelines.extract.readers.docx import read_docx

        return read_docx
    if kind == "md":
        from pipelines.extract.readers.markdown import read_markdown

        return read_markdown
    return read_text


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


def extract_document(
    path: Path,
    display_path: str | None = None,
    *,
    ocr: bool = True,
    ocr_cache: Path | None = None,
) -> ExtractResult:
    """Given a report file, return everything extracted from it; never raises on bad input.

    Unreadable, empty or unrelated files come back with `status="quarantined"` and a reason.
    The file is read as what its bytes say it is (`readers.sniff`); when that differs from its
    name, the document is flagged `format_mismatch:<suffix>→<format>`.
    `display_path` is the path recorded in the result (defaults to `path` as given).
    Scans (PDFs without a usable text layer) and page images are read by OCR unless `ocr` is
    False (then `image_only`); `ocr_cache` is a folder for OCR results (None: no cache).
    """
    shown = display_path if display_path is not None else str(path)
    suffix = path.suffix.lower()
    result = ExtractResult(
        path=shown, sha256="", format=SUFFIX_FORMATS.get(suffix, suffix.lstrip(".") or "?")
    )
    try:
        result.sha256 = file_sha256(path)
        options = (
            OcrOptions(cache_dir=ocr_cache, sha256=result.sha256, version=EXTRACTOR_VERSION)
            if ocr
            else None
        )
        return _extract(path, suffix, result, options)
    except Exception as err:  # the contract: one bad file never stops a run
        fresh = ExtractResult(path=shown, sha256=result.sha256, format=result.format)
        fresh.document.flags = [*result.document.flags, "extractor_error"]
        detail = f"unexpected {err.__class__.__name__} while reading the file: {err}"
        return fresh.quarantine(Reason.CORRUPT, detail[:500])


def _extract(
    path: Path, suffix: str, result: ExtractResult, ocr: OcrOptions | None
) -> ExtractResult:
    """Sniff, read and parse one file (see `extract_document`)."""
    claimed = SUFFIX_FORMATS.get(suffix)
    if path.stat().st_size == 0:
        return result.quarantine(Reason.EMPTY, "the file has no bytes")
    found = sniff(path)
    named = f" named '{suffix}'" if suffix else " without a suffix"
    expected = _FORMAT_NAMES.get(claimed or "", "")
    if found.kind == "image":
        if suffix not in IMAGE_SUFFIXES:
            result.document.flags.append(f"format_mismatch:{suffix.lstrip('.')}→image")
        if ocr is None or found.what not in OCR_IMAGES:
            return result.quarantine(Reason.IMAGE_ONLY, f"{found.what}{named}, no OCR here")
        result.format = "image"
        return _read_and_parse(path, "image", result, ocr)
    if found.kind == "encrypted":
        return result.quarantine(Reason.ENCRYPTED, f"{found.what}{named}")
    if found.kind == "corrupt":
        return result.quarantine(Reason.CORRUPT, f"{found.what}{named}")
    if found.kind == "data":
        if claimed is None and suffix not in IMAGE_SUFFIXES:
            return result.quarantine(
                Reason.UNSUPPORTED_FORMAT, f"no reader for '{suffix}' files ({found.what})"
            )
        what = expected or "an image"
        return result.quarantine(Reason.CORRUPT, f"{found.what}{named}: not {what}")
    if not found.readable:
        return result.quarantine(Reason.UNSUPPORTED_FORMAT, f"{found.what}{named}")
    real = found.kind
    if claimed == "md" and real == "txt":
        real = "md"  # Markdown without pipe tables near its start is still Markdown
    if claimed is None and (real in {"txt", "md"} or suffix in IMAGE_SUFFIXES):
        if suffix in IMAGE_SUFFIXES:
            return result.quarantine(Reason.CORRUPT, f"{found.what}{named}: not an image")
        return result.quarantine(Reason.UNSUPPORTED_FORMAT, f"no reader for '{suffix}' files")
    if claimed != real and (claimed, real) != ("txt", "md"):  # pipe tables in a .txt (§4.13)
        result.document.flags.append(f"format_mismatch:{suffix.lstrip('.')}→{real}")
    result.format = real
    return _read_and_parse(path, real, result, ocr)


def _read_and_parse(
    path: Path, kind: str, result: ExtractResult, ocr: OcrOptions | None
) -> ExtractResult:
    """Read a file of a known kind into a layout and parse the report from it; OCR layouts get
    every cell flagged `ocr` and their failed sums guarded (`ocr_guard`)."""
    try:
        layout = _reader(kind, ocr)(path)
    except ReaderError as err:
        return result.quarantine(Reason(err.reason), str(err) or err.__class__.__name__)
    parsed = parse_report(layout, result, file_name=path.name)
    if "ocr" in layout.flags and ocr is not None:
        from pipelines.extract.ocr_guard import guard_ocr_result

        guard_ocr_result(parsed, ocr.low_confidence)
    return parsed
