"""Mutants of the corpus reports (truncated, bit-flipped, pages dropped, re-encoded, renamed):
every one comes back as a contract-valid result, and one that still extracts never holds a value
that differs from the hand-checked truth unless a hard check fails or the cell carries a doubt
flag (a wrong value nothing flags is a silent error)."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import ExtractResult, extract_document
from pipelines.extract.model import Reason, Status
from tests.bad_inputs.generate import bit_flipped, truncated
from tests.conftest import CORPUS, truth_for

RENDERED = CORPUS / "rendered"
SEEDS = CORPUS / "seeds"
REASONS = {str(reason) for reason in Reason}
DOUBT_FLAGS = (
    "ambiguous_alignment",
    "fuzzy_label",
    "realigned",
    "low_confidence",
    "ocr",
    "unreadable",
    "prose_disagrees",
    "semantics_uncertain",
)
PDFS = ("003_yuhang-drc-2020-word.pdf", "104_pingtan-caijin-2020-browser.pdf")
MORE_PDFS = ("000_hangzhou-finance-2019-browser.pdf", "112_pingtan-guanweihui-2021-word.pdf")
DOCXS = ("000_hangzhou-finance-2019-docx.docx", "004_district-finance-2020-docx.docx")
HTMLS = ("003_yuhang-drc-2020-html.html", "000_hangzhou-finance-2019-html.html")
TEXTS = (
    "003_yuhang-drc-2020.txt",
    "001_xiacheng-finance-2018.txt",
    "004_district-finance-2020.txt",
)

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not available")


def assert_contract(result: ExtractResult) -> dict[str, Any]:
    """Assert a result is a valid contract object and return it as JSON data."""
    data = result.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["status"] in {str(Status.EXTRACTED), str(Status.QUARANTINED)}
    if data["status"] == "quarantined":
        assert data["reason"] in REASONS
        assert data["detail"]
    else:
        assert data["reason"] is None
    # The safety net in `extract_document` catches reader crashes; none may need it.
    assert "extractor_error" not in data["document"]["flags"], data["detail"]
    return data


def wrong_unflagged(data: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """Return the cells whose value is present, differs from the truth, and is neither flagged
    with doubt nor in a report where a hard check fails."""
    if data["status"] != "extracted":
        return []
    if any(c["status"] == "fail" and c.get("severity", "hard") == "hard" for c in data["checks"]):
        return []
    problems = []
    for cell in data["cells"]:
        if cell["value"] is None:
            continue
        row = truth.get(cell["table"], {}).get(cell["row"])
        expected = row.get(cell["col"]) if isinstance(row, dict) else row
        if expected is None or (cell["col"] is None and isinstance(row, dict)):
            continue
        if abs(float(cell["value"]) - float(expected)) < 1e-9:
            continue
        if any(flag.startswith(DOUBT_FLAGS) for flag in cell["flags"]):
            continue
        problems.append(f"{cell['table']}.{cell['row']}.{cell['col']}={cell['value']}≠{expected}")
    return problems


def check_mutant(path: Path, source: Path) -> dict[str, Any]:
    """Extract a mutant, assert the contract and no silent error against the source's truth."""
    data = assert_contract(extract_document(path))
    assert wrong_unflagged(data, truth_for(source)) == [], path.name
    return data


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _mutate_all(
    tmp_path: Path, source: Path, mutants: dict[str, Callable[[bytes], bytes]]
) -> dict[str, dict[str, Any]]:
    original = source.read_bytes()
    return {
        name: check_mutant(_write(tmp_path, name, mutate(original)), source)
        for name, mutate in mutants.items()
    }


def _truncations(suffix: str, shares: tuple[float, ...]) -> dict[str, Callable[[bytes], bytes]]:
    def cut(share: float) -> Callable[[bytes], bytes]:
        return lambda data: truncated(data, int(len(data) * share))

    return {f"cut{int(share * 100)}{suffix}": cut(share) for share in shares}


def _flips(suffix: str, seeds: range, share: float) -> dict[str, Callable[[bytes], bytes]]:
    def flip(seed: int) -> Callable[[bytes], bytes]:
        return lambda data: bit_flipped(data, seed=seed, share=share)

    return {f"flip{seed}{suffix}": flip(seed) for seed in seeds}


def drop_pages(data: bytes, keep: Callable[[int, int], bool]) -> bytes:
    """Return a PDF without the pages for which `keep(index, count)` is False."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        count = len(document)
        for index in reversed(range(count)):
            if not keep(index, count):
                del document[index]
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


@pytest.mark.parametrize("name", PDFS)
def test_truncated_pdfs(tmp_path: Path, name: str) -> None:
    _mutate_all(tmp_path, RENDERED / name, _truncations(".pdf", (0.05, 0.5, 0.8, 0.97)))


@pytest.mark.parametrize("name", PDFS)
def test_bit_flipped_pdfs(tmp_path: Path, name: str) -> None:
    mutants = _flips(".pdf", range(4), share=0.0005) | _flips(".pdf", range(4, 6), share=0.01)
    _mutate_all(tmp_path, RENDERED / name, mutants)


@pytest.mark.slow
@pytest.mark.parametrize("name", MORE_PDFS)
def test_more_damaged_pdfs(tmp_path: Path, name: str) -> None:
    mutants = _truncations(".pdf", (0.3, 0.9)) | _flips(".pdf", range(10, 16), share=0.001)
    _mutate_all(tmp_path, RENDERED / name, mutants)


@pytest.mark.parametrize("name", PDFS + MORE_PDFS)
def test_pdfs_with_pages_dropped(tmp_path: Path, name: str) -> None:
    source = RENDERED / name
    full = extract_document(source).to_dict()
    mutants: dict[str, Callable[[bytes], bytes]] = {
        "first_dropped.pdf": lambda d: drop_pages(d, lambda i, n: i > 0),
        "last_dropped.pdf": lambda d: drop_pages(d, lambda i, n: i < n - 1),
        "odd_dropped.pdf": lambda d: drop_pages(d, lambda i, n: i % 2 == 0),
        "first_only.pdf": lambda d: drop_pages(d, lambda i, n: i == 0),
    }
    results = _mutate_all(tmp_path, source, mutants)
    # Without its last page a report loses no value it still prints: what remains stays equal.
    for table in ("requests", "review_litigation"):
        for row, cols in results["last_dropped.pdf"][table].items():
            if not isinstance(cols, dict):
                continue
            for col, value in cols.items():
                if value is not None and full[table].get(row, {}).get(col) is not None:
                    assert value == full[table][row][col] or results["last_dropped.pdf"]["checks"]


@pytest.mark.parametrize("name", DOCXS)
def test_damaged_docx(tmp_path: Path, name: str) -> None:
    results = _mutate_all(
        tmp_path,
        RENDERED / name,
        _truncations(".docx", (0.1, 0.6, 0.99)) | _flips(".docx", range(6), share=0.002),
    )
    assert results["cut10.docx"]["reason"] == "corrupt"


@pytest.mark.parametrize("name", HTMLS)
def test_damaged_html(tmp_path: Path, name: str) -> None:
    _mutate_all(
        tmp_path,
        RENDERED / name,
        _truncations(".html", (0.2, 0.5, 0.7, 0.9)) | _flips(".html", range(6), share=0.005),
    )


@pytest.mark.parametrize("name", TEXTS)
def test_damaged_text(tmp_path: Path, name: str) -> None:
    _mutate_all(
        tmp_path,
        SEEDS / name,
        _truncations(".txt", (0.3, 0.6, 0.9)) | _flips(".txt", range(4), share=0.002),
    )


def _misread(data: bytes) -> bytes:
    """UTF-8 bytes misread as Latin-1 and saved again as UTF-8 (classic mojibake)."""
    return data.decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")


@pytest.mark.parametrize("name", TEXTS)
def test_re_encoded_text(tmp_path: Path, name: str) -> None:
    source = SEEDS / name
    original = assert_contract(extract_document(source))
    text = source.read_text(encoding="utf-8")
    same = {
        "gb18030.txt": text.encode("gb18030"),
        "utf16.txt": text.encode("utf-16"),
        "utf16le_nobom.txt": text.encode("utf-16-le"),
        "utf16be_nobom.txt": text.encode("utf-16-be"),
        "utf8_bom.txt": text.encode("utf-8-sig"),
    }
    for mutant, data in same.items():
        got = check_mutant(_write(tmp_path, mutant, data), source)
        for table in ("requests", "review_litigation", "proactive", "legacy"):
            assert got[table] == original[table], (mutant, table)
    mojibake = check_mutant(_write(tmp_path, "mojibake.txt", _misread(source.read_bytes())), source)
    assert mojibake["status"] == "quarantined"
    # GB18030 bytes under an HTML page that declares UTF-8 (a wrong <meta> charset).
    page = f"<html><head><meta charset='utf-8'></head><body><pre>{text}</pre></body></html>"
    check_mutant(_write(tmp_path, "gb_declared_utf8.html", page.encode("gb18030")), source)


@pytest.mark.parametrize(
    ("name", "new_suffix"),
    [
        ("rendered/003_yuhang-drc-2020-word.pdf", ".txt"),
        ("rendered/003_yuhang-drc-2020-docx.docx", ".html"),
        ("rendered/003_yuhang-drc-2020-html.html", ".pdf"),
        ("rendered/004_district-finance-2020-html.html", ".docx"),
        ("seeds/003_yuhang-drc-2020.txt", ".html"),
        ("seeds/004_district-finance-2020.txt", ".pdf"),
    ],
)
def test_wrong_extension_reads_the_same(tmp_path: Path, name: str, new_suffix: str) -> None:
    source = CORPUS / name
    original = assert_contract(extract_document(source))
    renamed = check_mutant(_write(tmp_path, "renamed" + new_suffix, source.read_bytes()), source)
    assert renamed["source"]["format"] == original["source"]["format"]
    assert any(flag.startswith("format_mismatch:") for flag in renamed["document"]["flags"])
    for table in ("requests", "review_litigation", "proactive", "legacy"):
        assert renamed[table] == original[table], table


def test_random_slices_of_every_format(tmp_path: Path) -> None:
    """Seeded random slices and splices of real files under every supported name."""
    rng = random.Random(2024)
    sources = [RENDERED / PDFS[0], RENDERED / DOCXS[0], RENDERED / HTMLS[0], SEEDS / TEXTS[0]]
    blobs = [s.read_bytes() for s in sources]
    for index in range(24):
        a, b = rng.choice(blobs), rng.choice(blobs)
        start = rng.randrange(len(a))
        data = a[start : start + rng.randrange(1, 20000)] + b[: rng.randrange(0, 5000)]
        suffix = rng.choice([".pdf", ".docx", ".html", ".txt", ".htm", ".xhtml", ""])
        assert_contract(extract_document(_write(tmp_path, f"slice{index}{suffix}", data)))
