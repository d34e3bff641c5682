"""PDF tables printed without rules (generated from the rendered corpus by stripping them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_document
from tests.conftest import CORPUS, truth_for
from tests.fixtures.borderless import strip_rules

RENDERED = CORPUS / "rendered"


@pytest.mark.parametrize(
    "name",
    ["003_yuhang-drc-2020-word", "004_district-finance-2020-word", "104_pingtan-caijin-2020-word"],
)
def test_borderless_tables_match_truth(tmp_path: Path, name: str) -> None:
    source = RENDERED / f"{name}.pdf"
    result = extract_document(strip_rules(source, tmp_path / "borderless.pdf")).to_dict()
    truth = truth_for(source)
    for table in ("requests", "review_litigation", "proactive"):
        assert result[table] == truth[table], table


@pytest.mark.parametrize("source", sorted(RENDERED.glob("*-word.pdf")), ids=lambda p: p.stem)
def test_borderless_tables_never_read_a_wrong_value(tmp_path: Path, source: Path) -> None:
    """Where the rows cannot be rebuilt, cells are missing and flagged, never wrong."""
    result = extract_document(strip_rules(source, tmp_path / "borderless.pdf")).to_dict()
    truth = truth_for(source)
    for table in ("requests", "review_litigation", "proactive"):
        for row, cols in truth[table].items():
            got = result[table].get(row)
            pairs = cols.items() if isinstance(cols, dict) else [(None, cols)]
            for col, expected in pairs:
                value = got.get(col) if isinstance(got, dict) else got
                assert value is None or value == pytest.approx(expected), (table, row, col)
