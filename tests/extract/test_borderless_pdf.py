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


# Truth cells read right from each borderless copy (measured when the floor was set; a
# floor may only rise). Empty tables would pass the never-wrong test: this one would not.
CELLS_READ_FLOOR = {
    "000_hangzhou-finance-2019-word": 183,
    "003_yuhang-drc-2020-word": 198,
    "004_district-finance-2020-word": 198,
    "104_pingtan-caijin-2020-word": 198,
    "105_pingtan-jingfa-2020-word": 15,
    "106_pingtan-ziranziyuan-2020-word": 198,
    "107_pingtan-guanweihui-2020-word": 43,
    "108_pingtan-jingfa-2021-word": 193,
    "109_pingtan-jiaojian-2022-word": 50,
    "110_pingtan-gongan-2022-word": 193,
    "111_pingtan-shichang-2022-word": 0,
    "112_pingtan-guanweihui-2021-word": 193,
}


@pytest.mark.parametrize("source", sorted(RENDERED.glob("*-word.pdf")), ids=lambda p: p.stem)
def test_borderless_tables_never_read_a_wrong_value(tmp_path: Path, source: Path) -> None:
    """Where the rows cannot be rebuilt, cells are missing and flagged, never wrong; and at
    least as many cells are read right as when the floor was set."""
    result = extract_document(strip_rules(source, tmp_path / "borderless.pdf")).to_dict()
    truth = truth_for(source)
    read = 0
    for table in ("requests", "review_litigation", "proactive"):
        for row, cols in truth[table].items():
            got = result[table].get(row)
            pairs = cols.items() if isinstance(cols, dict) else [(None, cols)]
            for col, expected in pairs:
                value = got.get(col) if isinstance(got, dict) else got
                if expected is None:  # a blank total: only null is right
                    assert value is None, (table, row, col)
                    read += 1
                    continue
                assert value is None or value == pytest.approx(expected), (table, row, col)
                read += value is not None
    assert read >= CELLS_READ_FLOOR[source.stem], f"{read} cells read right"


def test_every_borderless_copy_has_a_floor() -> None:
    assert {p.stem for p in RENDERED.glob("*-word.pdf")} == set(CELLS_READ_FLOOR)
