"""Time the extractor on PDFs against its floor: pypdfium2 text plus bare pdfplumber tables.

Usage: .venv/bin/python bench/bench_pdf.py [pdf ...]   (default: ../shared/corpus/rendered/*.pdf)
(`make bench-pdf`)

Prints, per file and in total: pages/s of pypdfium2's text layer on every page, pages/s of bare
pdfplumber `extract_tables()` on every page and on just the pages `read_pdf` parses for tables,
the pages/s of `read_pdf` itself, and of the whole extractor (`extract_document`: hashing,
reading, table parsing and sum checks). The goal (issue 13): the extractor's time within 1.3× of
its floor, pypdfium2 text of every page plus bare `extract_tables()` on the pages it parses for
tables (bench/floor.py, which `make bench` measures too).

Then OCR (issue 11): one scan per kind made from the corpus (tests/fixtures/scans.py), read
without a cache: pages OCRed and skipped, OCR seconds per page read, and the whole extraction's
seconds per page. `--no-ocr` skips this part.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.floor import file_floor, plumber_tables_seconds, total  # noqa: E402
from pipelines.extract import extract_document  # noqa: E402
from pipelines.extract.readers.pdf import read_pdf  # noqa: E402

RENDERED = REPO / ".." / "shared" / "corpus" / "rendered"


def main(paths: list[Path]) -> None:
    """Given PDF paths, print the timing table."""
    header = f"{'file':44} {'pages':>5} {'tbl':>4} {'pdfium':>8} {'plumb all':>10} "
    print(header + f"{'plumb tbl':>10} {'read_pdf':>9} {'extract':>8}   (ms)")
    reads = []
    all_total = read_total = 0.0
    for path in paths:
        read = file_floor(path)
        if read is None:
            print(f"{path.name:44} no text layer: left out")
            continue
        reads.append(read)
        all_s = plumber_tables_seconds(path)
        start = time.perf_counter()
        read_pdf(path)
        read_s = time.perf_counter() - start
        all_total += all_s
        read_total += read_s
        print(
            f"{path.name:44} {read.pages:5d} {len(read.table_pages):4d} {read.text_s * 1e3:8.0f} "
            f"{all_s * 1e3:10.0f} {read.tables_s * 1e3:10.0f} {read_s * 1e3:9.0f} "
            f"{read.extract_s * 1e3:8.0f}"
        )
    floor = total(reads, skipped=len(paths) - len(reads))
    if not reads:
        return
    pages, files = floor.pages, floor.files
    print(
        f"\n{files} files, {pages} pages ({floor.table_pages} parsed with pdfplumber)\n"
        f"pypdfium2 text, all pages:          {pages / floor.text_s:8.1f} pages/s\n"
        f"pdfplumber extract_tables, all:     {pages / all_total:8.1f} pages/s\n"
        f"pdfplumber extract_tables, tables:  {floor.table_pages / floor.tables_s:8.1f} "
        f"table pages/s ({floor.tables_s:.2f} s)\n"
        f"read_pdf:                           {pages / read_total:8.1f} pages/s "
        f"({read_total:.2f} s, {read_total / files * 1e3:.0f} ms/file)\n"
        f"extract_document:                   {pages / floor.extract_s:8.1f} pages/s "
        f"({floor.extract_s:.2f} s, {floor.extract_s / files * 1e3:.0f} ms/file)\n"
        f"extractor / bare extract_tables on the same pages: "
        f"{floor.extract_s / floor.tables_s:.2f}x\n"
        f"extractor / floor (pypdfium2 text + bare extract_tables): {floor.ratio:.2f}x "
        "(goal ≤ 1.30x)"
    )


def ocr_bench() -> None:
    """Print OCR seconds per page on one scan of each kind (no cache)."""
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
            seconds = time.perf_counter() - start
            stats = ocr.LAST_STATS
            read = len(stats.pages_read)
            pages_total += read
            ocr_total += stats.ocr_seconds
            print(
                f"{scan.name:52} {read:4d} {len(stats.pages_skipped):4d} "
                f"{stats.ocr_seconds:7.1f} {stats.ocr_seconds / max(read, 1):7.1f} {seconds:9.1f}"
            )
    print(f"OCR: {ocr_total / max(pages_total, 1):.1f} s per page read ({pages_total} pages)")


if __name__ == "__main__":
    flags = {arg for arg in sys.argv[1:] if arg.startswith("--")}
    args = [Path(arg) for arg in sys.argv[1:] if not arg.startswith("--")]
    main(args or sorted(RENDERED.glob("*.pdf")))
    if "--no-ocr" not in flags:
        ocr_bench()
