"""Legacy prose facts by wording family (report-formats.md §1.3.4), from generated sentences.

Every sentence of `tests/fixtures/legacy_prose.py` is put into a minimal legacy report and read
back: recall is measured per family, any fact the sentence does not state (or states with
another value) is a wrong value, and the decoy sentences (another year, a percentage, a date,
another agency, an approximate or cumulative figure, another unit) must state nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pipelines.extract.legacy import parse_legacy
from pipelines.extract.readers.text import text_to_layout
from tests.fixtures.legacy_prose import FAMILIES, Case, cases, chinese, decoys, report

CASES = cases()


def read(body: str) -> dict[str, tuple[int | float | None, list[str]]]:
    text = report(body)
    result = parse_legacy(text_to_layout(text), text)
    return {c.row: (c.value, c.flags) for c in result.cells}


def _compare(case: Case) -> tuple[int, list[str]]:
    """Return (facts read correctly, problems) for one sentence."""
    got = read(case.text)
    correct, problems = 0, []
    for key, expected in case.truth.items():
        if key in got and got[key][0] == expected:
            correct += 1
        elif key in got:
            problems.append(f"WRONG {key} = {got[key][0]} ≠ {expected}: {case.text}")
        else:
            problems.append(f"missing {key}: {case.text}")
    problems += [
        f"WRONG extra {k} = {v[0]}: {case.text}" for k, v in got.items() if k not in case.truth
    ]
    return correct, problems


def test_numerals() -> None:
    assert [chinese(n) for n in (0, 2, 10, 12, 45, 105, 1520)] == [
        "零", "二", "十", "十二", "四十五", "一百零五", "一千五百二十",
    ]  # fmt: skip


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_fact_of_a_family_is_read_and_nothing_else(family: str) -> None:
    total, correct, problems = 0, 0, []
    for case in (c for c in CASES if c.family == family):
        total += len(case.truth)
        ok, found = _compare(case)
        correct += ok
        problems += found
    assert problems == []
    assert correct == total


def test_recall_and_wrong_over_all_families() -> None:
    tally: Counter[str] = Counter()
    for case in CASES:
        ok, problems = _compare(case)
        tally["facts"] += len(case.truth)
        tally["correct"] += ok
        tally["wrong"] += sum(p.startswith("WRONG") for p in problems)
    assert tally["facts"] > 300
    assert tally["wrong"] == 0
    assert tally["correct"] == tally["facts"]


@pytest.mark.parametrize(("sentence", "keys"), decoys())
def test_a_sentence_about_another_quantity_states_no_fact(
    sentence: str, keys: tuple[str, ...]
) -> None:
    got = read(sentence)
    assert not set(keys) & set(got), got


def test_zero_statements_are_flagged_prose_zero() -> None:
    got = read("本年度未收到有关政府信息公开的投诉和举报。全年没有收取任何政府信息公开相关费用。")
    assert got["leg_complaints"] == (0, ["prose", "prose_zero"])
    assert got["leg_fees_wan"] == (0, ["prose", "prose_zero"])


def test_the_report_years_figures_are_kept_and_the_year_befores_are_not() -> None:
    got = read("2017年，我局主动公开政府信息1520条，2016年主动公开政府信息1320条。")
    assert got["leg_active_total"][0] == 1520
    assert not any(f.startswith("prose_conflict") for f in got["leg_active_total"][1])
