"""Scanned reports read by OCR (issue 11), scored against the corpus truth.

Scans are made at test time from the corpus's text-layer PDFs (tests/fixtures/scans.py: 150–200
dpi, noise, blur, ±1° rotation, JPEG artefacts, one page skewed 2.5°, one page photographed with
perspective and shading) and read once per session (OCR results cached in a session folder).
Held: per scan kind ≥ 97 % of the truth cells, no silent error, every OCR cell flagged `ocr` with
its confidence; no wrong value that neither a failing check nor `low_confidence`/`suspect`
flags; a scan with one edited cell fails the matching checks with that cell marked suspect;
a text-layer PDF never goes through OCR.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from pipelines.extract import extract_document
from pipelines.extract.readers import ocr
from pipelines.extract.readers.sniff import looks_scanned
from pipelines.scoring import FileScore, compare
from tests.fixtures.scans import KINDS, RENDERED, make_scan, write_scans

pytestmark = pytest.mark.skipif(not RENDERED.is_dir(), reason="../shared/corpus is not available")


@dataclass
class Read:
    """One scan read: its output, score, time and pages OCRed."""

    kind: str
    path: Path
    out: dict[str, Any]
    score: FileScore
    seconds: float
    pages: int


@dataclass
class Kind:
    """The reads of one scan kind added up."""

    reads: list[Read] = field(default_factory=list)

    @property
    def share(self) -> float:
        total = sum(r.score.total for r in self.reads)
        return sum(r.score.correct for r in self.reads) / total if total else 1.0


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ocr_cache")


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory, ocr_cache: Path) -> dict[str, Kind]:
    folder = tmp_path_factory.mktemp("scans")
    kinds: dict[str, Kind] = {}
    for kind, path, truth in write_scans(folder):
        started = time.perf_counter()
        out = extract_document(path, ocr_cache=ocr_cache).to_dict()
        seconds = time.perf_counter() - started
        read = Read(kind, path, out, compare(out, truth, path.name), seconds, 0)
        read.pages = len(ocr.LAST_STATS.pages_read)
        kinds.setdefault(kind, Kind()).reads.append(read)
    for kind, found in kinds.items():
        pages = sum(r.pages for r in found.reads)
        seconds = sum(r.seconds for r in found.reads)
        print(
            f"\nOCR {kind}: {found.share:.1%} of cells, "
            f"{sum(r.score.wrong for r in found.reads)} wrong, "
            f"{sum(r.score.silent for r in found.reads)} silent, "
            f"{seconds / max(pages, 1):.1f} s/page over {pages} pages"
        )
    return kinds


def _unflagged_wrong(read: Read) -> list[str]:
    """Return wrong values that neither a failing hard check nor a cell-level doubt beyond the
    blanket `ocr` flag (`low_confidence`, `suspect`) points at."""
    failing = any(c["status"] == "fail" and c["severity"] == "hard" for c in read.out["checks"])
    doubted = {
        (c["table"], c["row"], c["col"])
        for c in read.out["cells"]
        if {"low_confidence", "suspect", "ambiguous_alignment"} & set(c["flags"])
    }
    wrong = []
    for problem in read.score.problems:
        if problem.startswith("WRONG") and not failing:
            key = problem.split()[1 if "silent" not in problem else 2].rstrip(":")
            table, row, col = [*key.split("."), None][:3]
            if (table, row, col) not in doubted:
                wrong.append(problem)
    return wrong


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_scans_read_against_truth(kind: str, scans: dict[str, Kind]) -> None:
    found = scans[kind]
    assert found.reads
    problems = [(r.path.name, r.score.problems[:6]) for r in found.reads if r.score.problems]
    assert found.share >= 0.97, problems
    for read in found.reads:
        assert read.out["status"] == "extracted"
        assert read.score.meta_ok, read.score.problems
        assert read.score.silent == 0
        assert not _unflagged_wrong(read)


@pytest.mark.slow
def test_every_ocr_cell_is_flagged_with_its_confidence(scans: dict[str, Kind]) -> None:
    for found in scans.values():
        for read in found.reads:
            cells = read.out["cells"]
            assert cells
            for cell in cells:
                assert "ocr" in cell["flags"], cell
                if cell["raw"]:
                    assert any(f.startswith("ocr_conf=") for f in cell["flags"]), cell
            assert "ocr" in read.out["document"]["flags"]
            assert all(c["page"] and c["bbox"] for c in cells if c["raw"])


@pytest.mark.slow
def test_source_defect_of_a_scan_is_found(scans: dict[str, Kind]) -> None:
    # 107 keeps its printed req_outcome_total defect; every cell of it is marked suspect.
    read = next(r for k in scans.values() for r in k.reads if r.path.name.startswith("107_"))
    assert read.score.defects_found == read.score.defects_expected > 0
    suspects = [c for c in read.out["cells"] if "suspect" in c["flags"]]
    assert {(c["row"], c["col"]) for c in suspects} >= {("outcome_total", "total")}


def _edited_scan(source: Path, out: Path) -> tuple[Path, dict[str, Any]]:
    """Return a scan of `source` in which requests.new_received.total is printed 10 higher
    (overprinted on the page before scanning), and that cell as the text layer gives it."""
    original = extract_document(source).to_dict()
    cell = next(c for c in original["cells"] if (c["row"], c["col"]) == ("new_received", "total"))

    def overprint(index: int, page: np.ndarray, scale: float) -> None:
        if index + 1 != cell["page"]:
            return
        x0, top, x1, bottom = (int(v * scale) for v in cell["bbox"])
        page[top + 3 : bottom - 2, x0 + 3 : x1 - 2] = 255
        text = str(int(cell["value"]) + 10)
        cx, cy = (x0 + x1) // 2, (top + bottom) // 2
        cv2.putText(page, text, (cx - 13, cy + 8), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)

    return make_scan(source, "scan150", out, edit=overprint), cell


@pytest.mark.slow
def test_a_scan_with_an_edited_cell_fails_the_matching_check(
    tmp_path: Path, ocr_cache: Path
) -> None:
    scan, cell = _edited_scan(RENDERED / "003_yuhang-drc-2020-word.pdf", tmp_path / "edited.pdf")
    out = extract_document(scan, ocr_cache=ocr_cache).to_dict()
    read = next(c for c in out["cells"] if (c["row"], c["col"]) == ("new_received", "total"))
    assert read["value"] == cell["value"] + 10
    failing = {(c["check"], c["scope"]) for c in out["checks"] if c["status"] == "fail"}
    assert ("req_balance", "total") in failing
    assert ("req_row_total", "new_received") in failing
    assert "suspect" in read["flags"] and "ocr" in read["flags"]


def test_a_text_layer_pdf_never_goes_through_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ocr(*args: object, **kwargs: object) -> None:
        msg = "OCR was called on a text-layer PDF"
        raise AssertionError(msg)

    monkeypatch.setattr(ocr, "engine", no_ocr)
    monkeypatch.setattr(ocr, "read_scanned_pdf", no_ocr)
    for name in ("003_yuhang-drc-2020-word.pdf", "110_pingtan-gongan-2022-browser.pdf"):
        path = RENDERED / name
        assert not looks_scanned(path)
        out = extract_document(path).to_dict()
        assert out["status"] == "extracted"
        assert "ocr" not in out["document"]["flags"]
        assert not any("ocr" in c["flags"] for c in out["cells"])


def test_scans_are_recognised_for_the_scan_time_limit(tmp_path: Path) -> None:
    from pipelines.workers import Limits

    scan = make_scan(RENDERED / "003_yuhang-drc-2020-word.pdf", "scan150", tmp_path / "s.pdf")
    limits = Limits(seconds=180, scan_seconds=900)
    # extract_files gives files looks_scanned finds the scan limit, the others `seconds`.
    assert looks_scanned(scan)
    assert limits.scan_limit == 900
    assert not looks_scanned(RENDERED / "003_yuhang-drc-2020-word.pdf")
    assert limits.seconds == 180


@pytest.mark.slow
def test_ocr_results_are_cached_by_file_and_version(
    scans: dict[str, Kind], ocr_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = scans["scan150"].reads[0]

    def no_ocr(*args: object, **kwargs: object) -> None:
        msg = "OCR ran again on a cached file"
        raise AssertionError(msg)

    monkeypatch.setattr(ocr, "engine", no_ocr)
    again = extract_document(read.path, ocr_cache=ocr_cache).to_dict()
    assert again["cells"] == read.out["cells"]
    assert list(ocr_cache.rglob(f"{again['source']['sha256']}-*.json"))


@pytest.mark.slow
def test_a_page_image_is_read_by_ocr(tmp_path: Path, ocr_cache: Path) -> None:
    pdf = pdfium.PdfDocument(RENDERED / "110_pingtan-gongan-2022-browser.pdf")
    image = pdf[4].render(scale=150 / 72).to_pil().convert("RGB")
    pdf.close()
    path = tmp_path / "page.png"
    image.save(path)
    layout = ocr.read_image(path, ocr.OcrOptions(cache_dir=ocr_cache, sha256="png-page-5"))
    rows = [[f.text for f in line.fields] for line in layout.lines if line.in_table]
    assert any("（一）予以公开" in row for row in rows)
    assert all(
        f.ref.endswith(("ocr",)) or " ocr" in f.ref for line in layout.lines for f in line.fields
    )
    out = extract_document(path, ocr_cache=ocr_cache).to_dict()
    assert out["source"]["format"] == "image"
    assert out["status"] in {"extracted", "quarantined"}
    assert all("ocr" in c["flags"] for c in out["cells"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1O", ("10", True)),
        ("l2", ("12", True)),
        ("O", ("0", True)),
        ("3。5", ("3.5", True)),
        ("一", ("-", True)),
        ("12", ("12", False)),
        ("予以公开", ("予以公开", False)),
        ("Ol公开", ("Ol公开", False)),
        ("", ("", False)),
    ],
)
def test_look_alikes_become_digits_only_in_numeric_cells(
    raw: str, expected: tuple[str, bool]
) -> None:
    assert ocr.normalise_numeric(raw) == expected
