"""The sums guard OCR (issue 11): suspects and a unique one-digit proposal, on truth cells."""

from __future__ import annotations

from pathlib import Path

from pipelines.extract.model import CheckStatus
from pipelines.extract.ocr_guard import guard_ocr_result
from pipelines.extract.sum_checks import run_checks
from tests.fixtures.truth import load_truth, truth_to_result


def _misread(corpus: Path, row: str, col: str, value: int, *, low: bool) -> tuple:
    result = truth_to_result("003", load_truth(corpus, "003_yuhang-drc-2020"))
    cell = next(c for c in result.cells if (c.table, c.row, c.col) == ("requests", row, col))
    original = cell.value
    cell.value, cell.raw = value, str(value)
    if low:
        cell.flags.append("low_confidence")
    result.checks = run_checks(result.cells, 15)
    guard_ocr_result(result, 0.9)
    return result, cell, original


def test_a_misread_cell_is_suspect_and_its_fix_proposed_but_not_applied(corpus: Path) -> None:
    result, cell, original = _misread(corpus, "new_received", "total", 39, low=True)
    assert cell.value == 39  # kept as read
    assert {"ocr", "suspect", "low_confidence"} <= set(cell.flags)
    failing = [c for c in result.checks if c.status == CheckStatus.FAIL]
    assert {(c.check, c.scope) for c in failing} >= {
        ("req_balance", "total"),
        ("req_row_total", "new_received"),
    }
    assert all(f"{original} would make every check hold" in c.detail for c in failing)


def test_no_proposal_for_a_confident_cell(corpus: Path) -> None:
    result, cell, _ = _misread(corpus, "new_received", "total", 39, low=False)
    assert "suspect" in cell.flags
    assert not any("proposal" in c.detail for c in result.checks)


def test_cells_outside_failing_checks_are_not_suspect(corpus: Path) -> None:
    result, _, _ = _misread(corpus, "new_received", "total", 39, low=True)
    granted = next(c for c in result.cells if (c.row, c.col) == ("granted", "org_other"))
    assert "suspect" not in granted.flags and "ocr" in granted.flags
