"""The extractor's floor on text-layer PDFs (issue 13), shared by bench_pdf.py and bench_scale.py.

The floor of a PDF is what its reading cannot go below with these libraries: pypdfium2's text of
every page plus bare pdfplumber `extract_tables()` on the pages `read_pdf` parses with pdfplumber
(`plumber_pages(pdfium_page_texts(path))`: the disclosure tables' and the legacy form's). The
ratio is the extractor's time (`extract_document`: hashing, reading, table parsing and sum checks,
in this process) over the floor on the same files; the goal is ≤ 1.3×. PDFs without a text
layer (scans, read by OCR) have no such floor and are left out.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium

from pipelines.extract import extract_document
from pipelines.extract.readers.pdf import pdfium_page_texts, plumber_pages

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def pdfium_text_seconds(path: Path) -> float:
    """Given a PDF, return the seconds pypdfium2 takes to extract every page's text."""
    start = time.perf_counter()
    document = pdfium.PdfDocument(path)
    for index in range(len(document)):
        document[index].get_textpage().get_text_range()
    document.close()
    return time.perf_counter() - start


def plumber_tables_seconds(path: Path, pages: list[int] | None = None) -> float:
    """Given a PDF, return the seconds bare pdfplumber `extract_tables()` takes on the given
    0-based pages (all pages when None)."""
    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for index in range(len(pdf.pages)) if pages is None else pages:
            pdf.pages[index].extract_tables()
    return time.perf_counter() - start


def extract_seconds(path: Path) -> float:
    """Given a file, return the seconds `extract_document` takes on it (no OCR cache)."""
    start = time.perf_counter()
    extract_document(path)
    return time.perf_counter() - start


@dataclass(frozen=True)
class FileFloor:
    """One PDF's pages, the pages parsed with pdfplumber, and the seconds of the floor's two parts
    and of the extractor."""

    path: Path
    pages: int
    table_pages: list[int]
    text_s: float
    tables_s: float
    extract_s: float

    @property
    def floor_s(self) -> float:
        """Return the floor: pypdfium2 text of every page plus bare `extract_tables()`."""
        return self.text_s + self.tables_s


def file_floor(path: Path) -> FileFloor | None:
    """Given a PDF, time its floor and the extractor on it; None when it has no text layer."""
    texts = pdfium_page_texts(path)
    if not any(text.strip() for text in texts):
        return None
    pages = plumber_pages(texts)
    return FileFloor(
        path=path,
        pages=len(texts),
        table_pages=pages,
        text_s=pdfium_text_seconds(path),
        tables_s=plumber_tables_seconds(path, pages),
        extract_s=extract_seconds(path),
    )


@dataclass(frozen=True)
class Floor:
    """The floor and the extractor added up over several PDFs."""

    files: int
    pages: int
    table_pages: int
    text_s: float
    tables_s: float
    extract_s: float
    skipped: int  # PDFs without a text layer

    @property
    def floor_s(self) -> float:
        """Return the floor's seconds: pypdfium2 text plus bare `extract_tables()`."""
        return self.text_s + self.tables_s

    @property
    def ratio(self) -> float | None:
        """Return the extractor's seconds over the floor's (None when nothing was timed)."""
        return self.extract_s / self.floor_s if self.floor_s else None

    def to_dict(self) -> dict[str, Any]:
        """Return the measures as JSON-ready values, with the floor and the ratio."""
        return {**asdict(self), "floor_s": self.floor_s, "ratio": self.ratio}


def total(reads: list[FileFloor], skipped: int = 0) -> Floor:
    """Add up the per-file measures."""
    return Floor(
        files=len(reads),
        pages=sum(read.pages for read in reads),
        table_pages=sum(len(read.table_pages) for read in reads),
        text_s=sum(read.text_s for read in reads),
        tables_s=sum(read.tables_s for read in reads),
        extract_s=sum(read.extract_s for read in reads),
        skipped=skipped,
    )


def measure(paths: list[Path]) -> Floor:
    """Given PDFs, return their pages, the extractor's seconds (single process), the floor's
    seconds and the ratio. The first PDF is read once untimed first (imports, font caches)."""
    if paths:
        file_floor(paths[0])
    reads = [read for path in paths if (read := file_floor(path)) is not None]
    return total(reads, skipped=len(paths) - len(reads))
