"""Every legacy report in the corpus against its hand-checked truth: the `legacy` object exactly
(no extra keys, no missing keys), era `legacy`, and failing checks equal to `source_defects`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_document
from tests.conftest import CORPUS, truth_for

LEGACY = [
    p
    for p in sorted(CORPUS.glob("*/*.txt"))
    if p.with_name(p.stem + ".truth.json").exists() and truth_for(p)["document"]["era"] == "legacy"
]


def test_the_corpus_has_legacy_reports() -> None:
    assert len(LEGACY) >= 6


@pytest.mark.parametrize("report", LEGACY, ids=lambda p: p.stem)
def test_legacy_facts_equal_truth(report: Path) -> None:
    truth = truth_for(report)
    result = extract_document(report).to_dict()
    assert result["status"] == truth["status"]
    assert result["document"]["era"] == "legacy"
    assert result["legacy"] == truth["legacy"]


@pytest.mark.parametrize("report", LEGACY, ids=lambda p: p.stem)
def test_failing_checks_are_the_source_defects(report: Path) -> None:
    checks = extract_document(report).to_dict()["checks"]
    failing = sorted((c["check"], c["scope"]) for c in checks if c["status"] == "fail")
    expected = sorted((d["check"], d["scope"]) for d in truth_for(report)["source_defects"])
    assert failing == expected


@pytest.mark.parametrize("report", LEGACY, ids=lambda p: p.stem)
def test_every_legacy_cell_has_provenance(report: Path) -> None:
    cells = [c for c in extract_document(report).cells if c.table == "legacy"]
    assert all(c.ref and c.ref.startswith("line ") and c.col is None for c in cells)
    assert all({"prose", "form"} & set(c.flags) for c in cells)
    review = [
        c for c in cells if c.row.startswith(("leg_review", "leg_suit")) and "prose" in c.flags
    ]
    assert all("semantics_uncertain" in c.flags for c in review)


def test_fujian_form_keeps_cumulative_and_extra_rows() -> None:
    result = extract_document(CORPUS / "real" / "102_pingtan-shichang-2017.txt")
    active = next(c for c in result.cells if c.row == "leg_active_total")
    assert "cumulative=837" in active.flags
    extras = {c.row: c for c in result.cells if c.table == "legacy_extra"}
    assert extras["3.信函、传真申请数"].value == 2
    assert extras["3.信函、传真申请数"].ref
    assert any("接受行政申诉、举报数" in label for label in extras)
    assert not any(c.table == "legacy" and "信函、传真" in c.raw for c in result.cells)


def test_prose_zero_is_zero_with_provenance() -> None:
    result = extract_document(CORPUS / "seeds" / "001_xiacheng-finance-2018.txt")
    received = next(c for c in result.cells if c.row == "leg_req_received")
    assert received.value == 0
    assert "prose_zero" in received.flags
    assert "未受理依申请公开" in received.raw
