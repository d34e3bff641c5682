"""A synthetic corpus for the scale bench (issue 13): N reports with known truth, fixed seed.

Usage: .venv/bin/python bench/synthetic.py OUT_FOLDER [-n 1000] [--seed 13]

Every report is made from a hand-checked truth of ../shared/corpus, its numbers changed
consistently so that every sum of report-formats.md §3 still holds as it did:

* modern reports (2019 and 2021 templates): `d` (unique per report) is added to the
  自然人 and 总计 columns of rows 一 (new_received), （一）予以公开 (granted) and （七）总计
  (outcome_total): every row total, the outcome total and the balance still add up;
* legacy reports (the national L1 form, tests/fixtures/legacy_forms.py): every value times
  `k` (1 to 599, see `legacy_factor`), which keeps every linear relation of the form.

Formats, about as in reality: 7 in 10 are PDF (`render_report_pdf`, Word and browser looks,
6–15 pages with filler prose; legacy PDFs by `render_l1_pdf`), the rest text, HTML and DOCX
(the corpus files with the same cells rewritten in place, or the L1 form as HTML/DOCX). Each
report `NNNNN-<base>.<ext>` gets `NNNNN-<base>.truth.json` in the contract shape beside it.
The same seed and N write the same bytes.

About one report in 400 is a scan, read by OCR: reports 57, 457, 857, … (`is_scan`, PDF
slots), so 1 in 100 and in 300 reports, 3 in 1,000. A scan is a PDF of page images without any
text (tests/fixtures/scans.py `scan150`: 150 dpi, noise, JPEG artefacts; noise seeded by the
seed and the index) made from one of the corpus's short text-layer renderings (`SCAN_SOURCES`:
4 pages, 3–4 of them read by OCR), with that rendering's truth. The synthetic PDFs themselves
cannot be scanned here: their test renderer prints CJK text in a non-embedded font, which pdfium
draws as nothing without a CJK font on the machine. The tilted and skewed scan kinds lose cells
on these renderings now and then, so the corpus, whose accuracy the bench reports, keeps to
`scan150`. A scan takes its report's place after that report's draws are made, so every other
report is the same as without scans.
"""

from __future__ import annotations

import argparse
import copy
import functools
import hashlib
import io
import json
import random
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pipelines.extract import extract_document  # noqa: E402
from tests.fixtures.defects import _edit_docx, _edit_html, _edit_text, _rewrite  # noqa: E402
from tests.fixtures.legacy_forms import (  # noqa: E402
    FILLER,
    L1_VALUES,
    PdfLook,
    render_l1_html,
    render_l1_pdf,
    write_l1_docx,
)
from tests.fixtures.render import render_report_pdf  # noqa: E402
from tests.fixtures.scans import RENDERED, make_scan  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_N = 1000
DEFAULT_SEED = 13
# The format of report i is SLOTS[i % 10]: 7 PDF, 1 each of txt, html, docx (all four appear
# in any 10 consecutive reports).
SLOTS = ("pdf", "txt", "pdf", "html", "pdf", "docx", "pdf", "pdf", "pdf", "pdf")
# Rows and columns that take the modern variation (every §3 sum keeps holding).
DELTA_ROWS = ("new_received", "granted", "outcome_total")
DELTA_COLS = ("natural_person", "total")
# The agency the legacy L1 renderings print in their title, per format.
L1_AGENCY = {"html": "某县人民政府", "docx": "某市交通运输局", "pdf": "某市交通运输局"}
LEGACY_YEARS = (2013, 2014, 2015, 2016, 2017)
LEGACY_SHARE = 0.2
LEGACY_FACTORS = 599
# Report i is a scan when i % SCAN_EVERY == SCAN_AT (a PDF slot, as SCAN_EVERY is a multiple of
# the 10 slots). The corpus renderings scans are made from: 4 pages each, read fully by OCR.
SCAN_EVERY = 400
SCAN_AT = 57
SCAN_SOURCES = (
    "003_yuhang-drc-2020-word",
    "004_district-finance-2020-word",
    "004_district-finance-2020-browser",
)
SCAN_KIND = "scan150"


@dataclass(frozen=True)
class Source:
    """A corpus file (or, for PDFs, just a truth) a synthetic report is made from."""

    name: str
    truth: dict[str, Any]
    path: Path | None = None  # the file to rewrite (txt, html, docx); None: rendered


def _truth(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _variable(truth: dict[str, Any]) -> bool:
    """Return whether a modern truth has every cell the variation edits, as a number."""
    requests = truth.get("requests") or {}
    return truth.get("status") == "extracted" and all(
        isinstance((requests.get(row) or {}).get(col), int)
        for row in DELTA_ROWS
        for col in DELTA_COLS
    )


@functools.cache
def modern_sources(corpus: Path = CORPUS) -> dict[str, list[Source]]:
    """Return the modern sources by format: `pdf` (truths, rendered) and txt/html/docx files."""
    by_format: dict[str, list[Source]] = {"pdf": [], "txt": [], "html": [], "docx": []}
    for folder in ("seeds", "real"):
        for truth_path in sorted((corpus / folder).glob("*.truth.json")):
            truth = _truth(truth_path)
            if truth["document"].get("era") == "legacy" or not _variable(truth):
                continue
            name = truth_path.name.removesuffix(".truth.json")
            by_format["pdf"].append(Source(name, truth))
            report = truth_path.with_name(f"{name}.txt")
            if report.exists():
                by_format["txt"].append(Source(name, truth, report))
    for fmt in ("html", "docx"):
        for report in sorted((corpus / "rendered").glob(f"*.{fmt}")):
            truth = _truth(report.with_name(f"{report.stem}.truth.json"))
            if _variable(truth):
                by_format[fmt].append(Source(report.stem, truth, report))
    return by_format


def vary_modern(truth: dict[str, Any], delta: int) -> dict[str, Any]:
    """Return a copy of a modern truth with `delta` added where every sum keeps holding."""
    varied = copy.deepcopy(truth)
    for row in DELTA_ROWS:
        for col in DELTA_COLS:
            varied["requests"][row][col] += delta
    return varied


def legacy_factor(index: int) -> int:
    """Return the factor of legacy report `index`: below 600, so no count reaches a million
    (the extractor takes 7-digit counts for no count), and never the same for two reports of
    one format among the first 5,990 (599 is no multiple of the 10 format slots)."""
    return 1 + index % LEGACY_FACTORS


def vary_legacy(factor: int) -> dict[str, int | float]:
    """Return the L1 form's values times `factor` (money rounded to 0.01 万元)."""
    return {
        key: value * factor if isinstance(value, int) else round(value * factor, 2)
        for key, value in L1_VALUES.items()
    }


@functools.cache
def _clean_cells(path: Path) -> dict[tuple[str, str, str | None], dict[str, Any]]:
    """Return the cells of a corpus file's clean extraction, by (table, row, col)."""
    cells = extract_document(path).to_dict()["cells"]
    return {(c["table"], c["row"], c["col"]): c for c in cells}


def rewrite_file(source: Source, delta: int) -> bytes | None:
    """Return the source file with the varied cells' digits rewritten in place, or None when
    one of them is not a printed number where a clean extraction found it."""
    assert source.path is not None
    data = source.path.read_bytes()
    editor = {".txt": _edit_text, ".html": _edit_html, ".docx": _edit_docx}[source.path.suffix]
    cells = _clean_cells(source.path)
    for row in DELTA_ROWS:
        for col in DELTA_COLS:
            cell = cells.get(("requests", row, col))
            if cell is None or cell["value"] is None or not cell.get("ref"):
                return None
            new_raw = _rewrite(cell["raw"], cell["value"] + delta)
            edited = None if new_raw is None else editor(data, cell["ref"], cell["raw"], new_raw)
            if edited is None:
                return None
            data = edited
    return data


def _contract_truth(
    truth: dict[str, Any], name: str, fmt: str, data: bytes, generator: str
) -> dict[str, Any]:
    out = copy.deepcopy(truth)
    out["source"] = {
        "path": name,
        "format": fmt,
        "sha256": hashlib.sha256(data).hexdigest(),
        "generator": generator,
    }
    out.pop("notes", None)
    return out


def _legacy_truth(values: dict[str, int | float], year: int, fmt: str) -> dict[str, Any]:
    return {
        "status": "extracted",
        "document": {"agency": L1_AGENCY[fmt], "year": year, "era": "legacy"},
        "requests": {},
        "review_litigation": {},
        "proactive": {},
        "legacy": values,
        "source_defects": [],
    }


def fixed_zip_times(data: bytes) -> bytes:
    """Given a zip (a DOCX), return it with every entry dated 1980-01-01: python-docx stamps the
    time of writing, which would make the same seed write other bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


@functools.cache
def usable_sources(fmt: str) -> list[Source]:
    """Return the modern sources of a format whose varied cells can be rewritten (all PDF
    truths; the txt/html/docx files whose cells a clean extraction locates by line or grid)."""
    sources = modern_sources()[fmt]
    if fmt == "pdf":
        return sources
    return [source for source in sources if rewrite_file(source, 1) is not None]


def make_report(index: int, rng: random.Random, folder: Path) -> tuple[bytes, str, dict[str, Any]]:
    """Return (bytes, file name, truth) of synthetic report `index`."""
    fmt = SLOTS[index % len(SLOTS)]
    number = f"{index:05d}"
    if fmt != "txt" and rng.random() < LEGACY_SHARE:
        factor = legacy_factor(index)
        values = vary_legacy(factor)
        year = rng.choice(LEGACY_YEARS)
        name = f"{number}-legacy-l1-{year}.{fmt}"
        if fmt == "html":
            data = render_l1_html(values, year).encode("utf-8")
        elif fmt == "docx":
            data = fixed_zip_times(write_l1_docx(values, folder / name, year).read_bytes())
        else:
            style = rng.choice(("word", "browser"))  # browser: a print-stamp header line
            look = PdfLook(style=style, preamble=rng.randint(40, 110))
            data = render_l1_pdf(values, folder / name, look, year).read_bytes()
        truth = _legacy_truth(values, year, fmt)
        return data, name, _contract_truth(truth, name, fmt, data, f"L1 form × {factor}")
    sources = usable_sources(fmt)
    if not sources:
        msg = f"no {fmt} source of the corpus can be varied"
        raise RuntimeError(msg)
    delta = index + 1
    source = rng.choice(sources)
    varied = vary_modern(source.truth, delta)
    if fmt == "pdf":
        look = rng.choice(("word", "browser"))
        prose = (FILLER,) * rng.randint(60, 160)
        data = render_report_pdf(varied, look, prose=prose)
        name = f"{number}-{source.name}-{look}.pdf"
    else:
        edited = rewrite_file(source, delta)
        assert edited is not None  # usable_sources tried this source
        data = edited
        name = f"{number}-{source.name}.{fmt}"
    generator = f"{source.name} + {delta} on {'/'.join(DELTA_ROWS)}"
    return data, name, _contract_truth(varied, name, fmt, data, generator)


def is_scan(index: int) -> bool:
    """Return whether synthetic report `index` is a scan (about one in 400)."""
    return index % SCAN_EVERY == SCAN_AT


def make_scan_report(index: int, seed: int, folder: Path) -> tuple[bytes, str, dict[str, Any]]:
    """Return (bytes, file name, truth) of scan `index`: a corpus rendering of `SCAN_SOURCES`
    as page images (`make_scan`), with the rendering's truth; its draws come from its own
    generator (seed and index), not from the corpus's."""
    rng = random.Random(seed * 1_000_003 + index)
    source = rng.choice(SCAN_SOURCES)
    name = f"{index:05d}-{source}-{SCAN_KIND}.pdf"
    rendering = RENDERED / f"{source}.pdf"
    data = make_scan(rendering, SCAN_KIND, folder / name, seed=rng.randrange(2**32)).read_bytes()
    truth = _truth(rendering.with_name(f"{source}.truth.json"))
    generator = f"{SCAN_KIND} scan of rendered/{source}.pdf"
    return data, name, _contract_truth(truth, name, "pdf", data, generator)


def generate(folder: Path, n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write N synthetic reports with their truth files into `folder`; return the reports."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        for index in range(n):
            data, name, truth = make_report(index, rng, Path(scratch))
            if is_scan(index):  # in place of the report just drawn: the draws go on the same
                data, name, truth = make_scan_report(index, seed, Path(scratch))
            path = folder / name
            path.write_bytes(data)
            truth_text = json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True)
            path.with_name(f"{path.stem}.truth.json").write_text(truth_text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    reports = generate(args.folder, args.n, args.seed)
    print(f"{len(reports)} reports with truth in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
