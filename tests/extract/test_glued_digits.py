"""Glued digits settled by the report's own words (report-formats.md §4.12), on reports generated
from corpus texts (`tests/fixtures/glued_digits.py`): a T2 row printed as one run of digits is
settled only by a sentence about its own cells, in this report's year and unit, that exactly
one split agrees with; every counter-case leaves it null and `ambiguous_alignment`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract_document
from pipelines.extract.layout import Field, Line
from pipelines.extract.prose_settle import find_statements, settle
from tests.fixtures.glued_digits import CORPUS, GluedCase, glued_cases

CASES = list(glued_cases()) if CORPUS.is_dir() else []


def _row(case: GluedCase, tmp_path: Path) -> dict[str, dict[str, Any]]:
    path = tmp_path / f"{case.name}.txt"
    path.write_text(case.text, encoding="utf-8")
    result = extract_document(path).to_dict()
    assert result["status"] == "extracted"
    return {
        c["col"]: c for c in result["cells"] if c["table"] == "proactive" and c["row"] == case.row
    }


def test_the_corpus_gives_settling_and_counter_cases() -> None:
    if not CASES:
        pytest.skip("../shared/corpus is not available")
    settling = [c for c in CASES if c.counter is None]
    counters = [c for c in CASES if c.counter is not None]
    assert len(settling) >= 6
    assert any(c.settles == set(c.columns) for c in settling)  # a whole row settled
    assert any(c.settles < set(c.columns) for c in settling)  # one stated cell only
    assert {c.counter for c in counters} >= {
        "other_year", "previous_year", "other_quantity", "cleanup", "disagrees", "contradicts",
        "unambiguous",
    }  # fmt: skip


@pytest.mark.parametrize("case", [c for c in CASES if c.counter is None], ids=lambda c: c.name)
def test_prose_settles_the_one_split_it_agrees_with(case: GluedCase, tmp_path: Path) -> None:
    cells = _row(case, tmp_path)
    for col in case.columns:
        cell = cells[col]
        if col in case.settles:
            assert cell["value"] == case.truth_row[col], (col, cell)
            assert "settled_by_prose" in cell["flags"]
            assert f"prose_ref=line {case.sentence_line}" in cell["flags"]
            assert "ambiguous_alignment" not in cell["flags"]
        else:
            assert cell["value"] is None
            assert "ambiguous_alignment" in cell["flags"]


@pytest.mark.parametrize("case", [c for c in CASES if c.counter], ids=lambda c: c.name)
def test_nothing_is_settled_by_prose_about_something_else(case: GluedCase, tmp_path: Path) -> None:
    cells = _row(case, tmp_path)
    for col in case.columns:
        cell = cells[col]
        assert "settled_by_prose" not in cell["flags"], (col, cell)
        if case.counter == "unambiguous":
            assert cell["value"] == case.truth_row[col]  # the table's own reading stands
        else:
            assert cell["value"] is None
            assert "ambiguous_alignment" in cell["flags"]
    if case.counter == "disagrees":
        assert any(f.startswith("prose_disagrees=") for f in cells[case.columns[0]]["flags"])


# ---- the sentence families, one by one ------------------------------------------------------


def _statements(sentence: str, year: int | None = 2021) -> set[tuple[str, str, int]]:
    line = Line([Field(sentence, "line 3")])
    return {(s.row, s.col, s.value) for s in find_statements([line], year)}


@pytest.mark.parametrize(
    ("sentence", "fact"),
    [
        ("本年制发行政规范性文件5件。", ("normative_docs", "issued_this_year", 5)),
        ("全年共印发规范性文件十二件。", ("normative_docs", "issued_this_year", 12)),
        ("废止规章2件。", ("rules", "repealed_this_year", 2)),
        ("现行有效规范性文件共51件。", ("normative_docs", "in_force", 51)),
        ("全年作出行政处罚决定887件。", ("admin_penalty", "decisions", 887)),
        ("办理行政许可事项568件。", ("admin_license", "decisions", 568)),
        ("本年度共收到政府信息公开申请7件。", ("new_received", "total", 7)),
        ("本年度全区共收到70件申请。", ("new_received", "total", 70)),
        ("1件结转下年度继续办理。", ("carried_out", "total", 1)),
        ("2021年制发规范性文件5件。", ("normative_docs", "issued_this_year", 5)),
    ],
)
def test_sentence_families(sentence: str, fact: tuple[str, str, int]) -> None:
    assert fact in _statements(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "2020年制发规范性文件5件。",  # another year
        "上年制发规范性文件5件。",  # the previous year
        "其中政策规范性文件类信息5条。",  # another quantity (条 of information)
        "行政许可类信息40条。",
        "对规范性文件进行4次专项清理。",
        "规范性文件5530第二十条",  # the table's own glued run
        "本年制发规范性文件5件。本年制发规范性文件6件。",  # two statements disagree
    ],
)
def test_sentences_about_something_else_state_nothing(sentence: str) -> None:
    assert not {f for f in _statements(sentence) if f[0] == "normative_docs"}


def test_settle_keeps_only_splits_that_agree() -> None:
    statements = find_statements([Line([Field("本年制发规范性文件5件", "line 1")])], 2021)
    columns = ["issued_this_year", "repealed_this_year", "in_force"]
    # `规范性文件5530`: 5|5|30, 5|53|0, 55|3|0 → the statement leaves two; only its cell settles.
    settled = settle("proactive", "normative_docs", columns, [[5, 5, 30], [5, 53, 0], [55, 3, 0]],
                     statements)  # fmt: skip
    assert settled is not None
    assert settled.values == [5, None, None]
    assert settled.index is None
    # A statement no split reads settles nothing and is reported.
    settled = settle("proactive", "normative_docs", columns, [[55, 3, 0], [5, 53, 0]][:1],
                     statements)  # fmt: skip
    assert settled is not None
    assert settled.values == [None, None, None]
    assert settled.disagrees == {"issued_this_year": 5}
