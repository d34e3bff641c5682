"""Time the extractor on PDFs against its floor: bare pdfplumber on the same pages.

Usage: .venv/bin/python bench/bench_pdf.py [pdf ...]   (default: ../shared/corpus/rendered/*.pdf)

Prints, per file and in total: pages/s of pypdfium2's text layer on every page, pages/s of bare
pdfplumber `extract_tables()` on every page and on just the pages `read_pdf` parses for tables,
the pages/s of `read_pdf` itself, and of the whole extractor (`extract_document`: hashing,
reading, table parsing and sum checks). The goal: the extractor's time within 1.3× of bare
`extract_tables()` on the pages it parses for tables.

Then OCR (issue 11): one scan per kind made from the corpus (tests/fixtures/scans.py), read
without a cache: pages OCRed and skipped, OCR seconds per page read, and the whole extraction's
seconds per page. `--no-ocr` skips this part.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from pipelines.extract import extract_document
from pipelines.extract.readers.pdf import pdfium_page_texts, read_pdf, table_pages

REPO = Path(__file__).resolve().parents[1]
RENDERED = REPO / ".." / "shared" / "corpus" / "rendered"
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


def main(paths: list[Path]) -> None:
    """Given PDF paths, print the timing table."""
    header = f"{'file':44} {'pages':>5} {'tbl':>4} {'pdfium':>8} {'plumb all':>10} "
    print(header + f"{'plumb tbl':>10} {'read_pdf':>9} {'extract':>8}   (ms)")
    totals = [0, 0, 0.0, 0.0, 0.0, 0.0, 0.0]
    for path in paths:
        pages = table_pages(pdfium_page_texts(path))
        text_s = pdfium_text_seconds(path)
        all_s = plumber_tables_seconds(path)
        tbl_s = plumber_tables_seconds(path, pages)
        start = time.perf_counter()
        layout = read_pdf(path)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        extract_document(path)
        extract_s = time.perf_counter() - start
        count = layout.pages or 0
        print(
            f"{path.name:44} {count:5d} {len(pages):4d} {text_s * 1e3:8.0f} {all_s * 1e3:10.0f} "
            f"{tbl_s * 1e3:10.0f} {read_s * 1e3:9.0f} {extract_s * 1e3:8.0f}"
        )
        for i, value in enumerate((count, len(pages), text_s, all_s, tbl_s, read_s, extract_s)):
            totals[i] += value
    pages_total = totals[0]
    print(
        f"\n{len(paths)} files, {pages_total} pages ({totals[1]} parsed for tables)\n"
        f"pypdfium2 text, all pages:          {pages_total / totals[2]:8.1f} pages/s\n"
        f"pdfplumber extract_tables, all:     {pages_total / totals[3]:8.1f} pages/s\n"
        f"pdfplumber extract_tables, tables:  {totals[1] / totals[4]:8.1f} table pages/s "
        f"({totals[4]:.2f} s)\n"
        f"read_pdf:                           {pages_total / totals[5]:8.1f} pages/s "
        f"({totals[5]:.2f} s, {totals[5] / len(paths) * 1e3:.0f} ms/file)\n"
        f"extract_document:                   {pages_total / totals[6]:8.1f} pages/s "
        f"({totals[6]:.2f} s, {totals[6] / len(paths) * 1e3:.0f} ms/file)\n"
        f"extractor / bare extract_tables on the same pages: {totals[6] / totals[4]:.2f}x "
        "(goal ≤ 1.30x)"
    )


def ocr_bench() -> None:
    """Print OCR seconds per page on one scan of each kind (no cache)."""
    sys.path.insert(0, str(REPO))
    from pipelines.extract.readers import ocr
    from tests.fixtures.scans import SCANS, make_scan

    print(f"\n{'scan':52} {'read':>4} {'skip':>4} {'ocr s':>7} {'s/page':>7} {'extract s':>9}")
    seen: set[str] = set()
    pages_total, ocr_total = 0, 0.0
    with tempfile.TemporaryDirectory() as folder:
        for kind, name in SCANS:
            if kind in seen:
                continue
            seen.add(kind)
            scan = make_scan(RENDERED / f"{name}.pdf", kind, Path(folder) / f"{name}-{kind}.pdf")
            start = time.perf_counter()
            extract_document(scan)
            total = time.perf_counter() - start
            stats = ocr.LAST_STATS
            read = len(stats.pages_read)
            pages_total += read
            ocr_total += stats.ocr_seconds
            print(
                f"{scan.name:52} {read:4d} {len(stats.pages_skipped):4d} "
                f"{stats.ocr_seconds:7.1f} {stats.ocr_seconds / max(read, 1):7.1f} {total:9.1f}"
            )
    print(f"OCR: {ocr_total / max(pages_total, 1):.1f} s per page read ({pages_total} pages)")


if __name__ == "__main__":
    flags = {arg for arg in sys.argv[1:] if arg.startswith("--")}
    args = [Path(arg) for arg in sys.argv[1:] if not arg.startswith("--")]
    main(args or sorted(RENDERED.glob("*.pdf")))
    if "--no-ocr" not in flags:
        ocr_bench()
