"""Real web-page text renderings (../shared/corpus/real): space-separated and run-together cells.

Cells whose digits run together ambiguously (§4.10) must come out null and flagged, never as a
guess; every other cell must equal the hand-checked truth.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_document
from tests.conftest import CORPUS, truth_for

REAL_MODERN = [
    p
    for p in sorted((CORPUS / "real").glob("*.txt"))
    if truth_for(p)["document"]["era"] in {"2019", "2021"}
]


@pytest.mark.parametrize("report", REAL_MODERN, ids=lambda p: p.stem)
def test_no_wrong_values_and_every_gap_is_flagged(report: Path) -> None:
    truth = truth_for(report)
    result = extract_document(report)
    cells = {(c.table, c.row, c.col): c for c in result.cells}
    assert result.to_dict()["document"]["era"] == truth["document"]["era"]
    for table in ("requests", "review_litigation", "proactive"):
        for row, cols in truth[table].items():
            pairs = cols.items() if isinstance(cols, dict) else [(None, cols)]
            for col, expected in pairs:
                cell = cells.get((table, row, col))
                assert cell is not None, f"{table}.{row}.{col} not located"
                if cell.value is None:
                    assert {"ambiguous_alignment", "derived"} & set(cell.flags), (row, col)
                else:
                    assert cell.value == pytest.approx(expected), (table, row, col)


@pytest.mark.parametrize(
    "name", ["104_pingtan-caijin-2020", "109_pingtan-jiaojian-2022", "110_pingtan-gongan-2022"]
)
def test_clean_renderings_are_complete(name: str) -> None:
    report = CORPUS / "real" / f"{name}.txt"
    truth = truth_for(report)
    result = extract_document(report).to_dict()
    for table in ("requests", "review_litigation", "proactive"):
        assert result[table] == truth[table]


def test_review_values_run_on_after_the_header_are_read() -> None:
    """112 prints `…尚未审结总计10203120001200000`: the values follow the last header label."""
    result = extract_document(CORPUS / "real" / "112_pingtan-guanweihui-2021.txt")
    review = result.to_dict()["review_litigation"]
    assert (review["review_upheld"], review["review_other"], review["review_total"]) == (1, 2, 3)
    assert review["suit_direct_total"] == 12
    assert not any("table_all_blank" in c.flags for c in result.cells)


def test_row_ambiguous_by_its_own_sum_is_decided_by_column_sums() -> None:
    """112 prints `（一）予以公开270020130`: two splits satisfy the row sum, only one keeps
    `req_balance` in every column (corpus README); it is taken and flagged."""
    report = CORPUS / "real" / "112_pingtan-guanweihui-2021.txt"
    result = extract_document(report)
    granted = {c.col: c for c in result.cells if c.table == "requests" and c.row == "granted"}
    assert {col: c.value for col, c in granted.items()} == truth_for(report)["requests"]["granted"]
    assert all("split_by_sums" in c.flags for c in granted.values())
