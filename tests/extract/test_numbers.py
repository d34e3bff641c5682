"""Cell value parsing (report-formats.md §4.3, §4.4)."""

from __future__ import annotations

import pytest

from pipelines.extract.numbers import chinese_to_int, parse_value


@pytest.mark.parametrize(
    ("raw", "value", "flag"),
    [
        ("0", 0, None),
        ("\u3000\u30000", 0, None),
        ("\u00a03", 3, None),
        (" -", 0, "dash_zero"),
        ("－", 0, "dash_zero"),
        ("—", 0, "dash_zero"),
        ("无", 0, "dash_zero"),
        ("１２３", 123, "fullwidth_digit"),
        ("1,234", 1234, "thousands_separator"),
        ("1，234", 1234, "thousands_separator"),
        ("增加7", 7, "change_word"),
        ("增加 2 个", 2, "change_word"),
        ("减少3", -3, "change_word"),
        ("-18", -18, None),
        ("+1036", 1036, None),
        ("持平", 0, "change_word"),
        ("二十三", 23, "chinese_numeral"),
        ("两件", 2, "chinese_numeral"),
    ],
)
def test_parse_value(raw: str, value: int, flag: str | None) -> None:
    parsed = parse_value(raw)
    assert parsed.value == value
    if flag:
        assert flag in parsed.flags


def test_money_units_are_kept() -> None:
    assert parse_value("76.2 万元").unit == "万元"
    assert parse_value("76.2 万元").value == pytest.approx(76.2)
    assert parse_value("984361元").unit == "元"


def test_blank_and_unreadable_are_distinct() -> None:
    assert parse_value("\u00a0 ").blank
    unreadable = parse_value("见附件")
    assert unreadable.value is None
    assert not unreadable.blank
    assert "unreadable" in unreadable.flags


@pytest.mark.parametrize(
    ("text", "value"), [("十", 10), ("十二", 12), ("一百零五", 105), ("三万", 30000)]
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_int(text) == value
