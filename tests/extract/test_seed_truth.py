"""The extractor on the seed reports against their hand-checked truth, cell for cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_document
from tests.conftest import CORPUS, truth_for

SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))
MODERN = [p for p in SEEDS if truth_for(p)["document"]["era"] != "legacy"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_document_metadata_matches_truth(seed: Path) -> None:
    truth = truth_for(seed)
    result = extract_document(seed).to_dict()
    assert result["status"] == truth["status"]
    assert result["document"]["agency"] == truth["document"]["agency"]
    assert result["document"]["year"] == truth["document"]["year"]
    assert result["document"]["era"] == truth["document"]["era"]
    assert result["source"]["sha256"] == truth["source"]["sha256"]


@pytest.mark.parametrize("seed", MODERN, ids=lambda p: p.stem)
@pytest.mark.parametrize("table", ["requests", "review_litigation", "proactive"])
def test_modern_tables_match_truth_cell_for_cell(seed: Path, table: str) -> None:
    truth = truth_for(seed)[table]
    assert truth, "a modern truth file has every table"
    assert extract_document(seed).to_dict()[table] == truth


@pytest.mark.parametrize("seed", MODERN, ids=lambda p: p.stem)
def test_failing_checks_are_exactly_the_source_defects(seed: Path) -> None:
    truth = truth_for(seed)
    checks = extract_document(seed).to_dict()["checks"]
    failing = sorted((c["check"], c["scope"]) for c in checks if c["status"] == "fail")
    assert failing == sorted((d["check"], d["scope"]) for d in truth["source_defects"])


def test_blank_total_row_is_null_and_derived_in_checks() -> None:
    """Seed 004 leaves its （七）总计 row blank: the totals are missing, the checks derive them."""
    result = extract_document(CORPUS / "seeds" / "004_district-finance-2020.txt")
    cell = next(c for c in result.cells if (c.row, c.col) == ("outcome_total", "natural_person"))
    assert cell.value is None
    assert "total_blank" in cell.flags
    balance = next(
        c for c in result.checks if (c.check, c.scope) == ("req_balance", "natural_person")
    )
    assert balance.status == "pass_derived"
    assert "17*" in balance.detail


def test_every_cell_has_provenance() -> None:
    result = extract_document(CORPUS / "seeds" / "003_yuhang-drc-2020.txt")
    assert result.cells
    assert all(
        c.ref and c.ref.startswith("line ") for c in result.cells if "derived" not in c.flags
    )
    new_total = next(c for c in result.cells if (c.row, c.col) == ("new_received", "total"))
    assert new_total.value == 29
    assert new_total.raw.strip() == "29"


def test_surplus_review_field_is_realigned_by_the_sums() -> None:
    """Seed 000 prints 16 fields under the 15 T4 columns; the only fit that adds up is taken."""
    result = extract_document(CORPUS / "seeds" / "000_hangzhou-finance-2019.txt")
    count = next(c for c in result.checks if c.check == "lit_cell_count")
    assert "16 value fields" in count.detail
    direct = next(c for c in result.cells if c.row == "suit_direct_total")
    assert direct.value == 2
    assert "realigned" in direct.flags
