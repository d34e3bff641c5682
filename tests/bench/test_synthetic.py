"""The synthetic bench corpus (bench/synthetic.py): deterministic, every format and era, and
every report read back exactly as its truth says; about one report in 400 a scan read by OCR."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import bench.synthetic as synthetic
from bench.synthetic import SCAN_AT, generate, is_scan, legacy_factor
from pipelines.extract import extract_document
from pipelines.extract.readers.pdf import pdfium_page_texts
from pipelines.scoring import compare
from tests.fixtures.legacy_forms import L1_VALUES
from tests.fixtures.scans import RENDERED

N = 12


@pytest.fixture(scope="module")
def reports(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("synthetic"), N)


def test_same_seed_same_bytes(reports: list[Path], tmp_path: Path) -> None:
    again = generate(tmp_path, N)
    assert [p.name for p in again] == [p.name for p in reports]
    for first, second in zip(reports, again, strict=True):
        assert first.read_bytes() == second.read_bytes()
        truth = f"{first.stem}.truth.json"
        assert (first.parent / truth).read_text() == (second.parent / truth).read_text()
    other = generate(tmp_path / "other", N, seed=14)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in reports]


def test_every_format_and_era_mostly_pdf(reports: list[Path]) -> None:
    formats = [p.suffix for p in reports]
    assert set(formats) == {".pdf", ".txt", ".html", ".docx"}
    assert formats.count(".pdf") >= N // 2
    eras = {
        json.loads(p.with_name(f"{p.stem}.truth.json").read_text())["document"]["era"]
        for p in reports
    }
    assert eras == {"legacy", "2019", "2021"}
    assert len({p.read_bytes() for p in reports}) == N


def test_every_report_scores_fully_against_its_truth(reports: list[Path]) -> None:
    for report in reports:
        truth = json.loads(report.with_name(f"{report.stem}.truth.json").read_text())
        assert truth["source"]["path"] == report.name
        score = compare(extract_document(report).to_dict(), truth, report.name)
        assert score.correct == score.total > 0, (report.name, score.problems)
        assert score.meta_ok, (report.name, score.problems)
        assert score.false_alarms == 0, (report.name, score.problems)


def test_legacy_counts_stay_below_a_million() -> None:
    factors = {legacy_factor(index) for index in range(5990)}
    assert max(factors) * max(L1_VALUES.values()) < 1_000_000


@pytest.fixture(scope="module")
def with_scan(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("with_scan"), SCAN_AT + 2)


def _truth(report: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(report.with_name(f"{report.stem}.truth.json").read_text())
    return data


def test_about_one_report_in_400_is_a_scan() -> None:
    assert [i for i in range(1000) if is_scan(i)] == [57, 457, 857]
    assert sum(map(is_scan, range(100))) == sum(map(is_scan, range(300))) == 1
    assert all(
        synthetic.SLOTS[i % len(synthetic.SLOTS)] == "pdf" for i in range(6000) if is_scan(i)
    )


def test_the_scan_is_image_only_with_its_renderings_truth(with_scan: list[Path]) -> None:
    scans = [p for p in with_scan if p.name.endswith(f"-{synthetic.SCAN_KIND}.pdf")]
    assert scans == [with_scan[SCAN_AT]]
    scan = scans[0]
    assert scan.name.startswith(f"{SCAN_AT:05d}-") and scan.suffix == ".pdf"
    texts = pdfium_page_texts(scan)
    assert len(texts) >= 2 and not any(text.strip() for text in texts)
    truth = _truth(scan)
    source = truth.pop("source")
    assert isinstance(source, dict)
    assert source["path"] == scan.name
    assert source["sha256"] == hashlib.sha256(scan.read_bytes()).hexdigest()
    rendering = next(
        name for name in synthetic.SCAN_SOURCES if scan.name.startswith(f"{SCAN_AT:05d}-{name}-")
    )
    expected = json.loads((RENDERED / f"{rendering}.truth.json").read_text(encoding="utf-8"))
    expected.pop("source", None)
    expected.pop("notes", None)
    assert truth == expected
    assert truth["status"] == "extracted" and truth["requests"]


def test_a_scan_changes_no_other_report(
    with_scan: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    again = generate(tmp_path / "again", SCAN_AT + 2)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in with_scan]
    monkeypatch.setattr(synthetic, "SCAN_AT", -1)  # no scans
    plain = generate(tmp_path / "plain", SCAN_AT + 2)
    for index, (report, other) in enumerate(zip(with_scan, plain, strict=True)):
        assert (report.read_bytes() == other.read_bytes()) == (index != SCAN_AT), report.name
    assert plain[SCAN_AT].suffix == ".pdf"


@pytest.mark.slow
def test_the_scan_is_read_right_by_ocr(with_scan: list[Path], tmp_path: Path) -> None:
    scan = with_scan[SCAN_AT]
    out = extract_document(scan, ocr_cache=tmp_path).to_dict()
    assert "ocr" in out["document"]["flags"]
    score = compare(out, _truth(scan), scan.name)
    assert score.correct == score.total > 0, score.problems
    assert score.meta_ok, score.problems
    assert score.false_alarms == 0, score.problems
