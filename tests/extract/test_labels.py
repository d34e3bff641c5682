"""Label normalisation and matching against the official catalogues (§4.5, §4.9)."""

from __future__ import annotations

import pytest

from pipelines.extract.labels import REQUEST_ROWS, core, match_label


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("一、本年新收政府信息公开申请数量", "new_received"),
        ("(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)", "partial"),
        ("（二）部分公开", "partial"),
        ("1. 本机关不掌握相关信息", "unable_not_held"),
        ("2. 没有现成信息需要", "unable_needs_creation"),
        ('3.危及"三安全一稳定"', "deny_three_security"),
        ("5、要求行政机关确认或重新出具", "reject_reconfirm"),
        ("(七) 总计", "outcome_total"),
        ("结转下年度", "carried_out"),
        ("2.申请人逾期未缴费，行政机关不再处理其政府信息公开申请", "other_fee_unpaid"),
    ],
)
def test_variants_match(printed: str, key: str) -> None:
    match = match_label(printed, REQUEST_ROWS)
    assert match is not None
    assert match.key == key
    assert not match.fuzzy


def test_typo_matches_fuzzily() -> None:
    match = match_label("2.其他法律行政止公开", REQUEST_ROWS)
    assert match is not None
    assert (match.key, match.fuzzy) == ("deny_law_forbidden", True)


def test_unrelated_text_does_not_match() -> None:
    assert match_label("全年共收到群众来信", REQUEST_ROWS) is None


def test_core_strips_numbering_and_lookalikes() -> None:
    assert core("（三）不予公开") == "不予公开"
    assert core("⻘年") == "青年"
