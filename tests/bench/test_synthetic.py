"""The synthetic bench corpus (bench/synthetic.py): deterministic, every format and era, and
every report read back exactly as its truth says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.synthetic import generate, legacy_factor
from pipelines.extract import extract_document
from pipelines.scoring import compare
from tests.fixtures.legacy_forms import L1_VALUES

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
