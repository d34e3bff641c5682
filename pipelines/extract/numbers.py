"""Cell value parsing (report-formats.md §4.3, §4.4): raw text → number, unit and flags."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# Padding seen in real cells: NBSP, ideographic space, zero-width characters.
_PAD = "\u00a0\u3000\u200b\ufeff \t\r\n"
DASHES = frozenset({"-", "－", "—", "–", "―", "/", "／", "无", "空", "--", "——"})
_UNITS = ("万元", "元", "个", "项", "件", "笔", "条", "次", "人次", "人", "篇")
_NUMBER = re.compile(
    r"""^(?P<change>增加|减少|新增|增|减)?
        (?P<sign>[+\-])?
        (?P<num>\d+(?:\.\d+)?)
        (?P<unit>万元|元|人次|个|项|件|笔|条|次|人|篇)?$""",
    re.VERBOSE,
)
_ANNOTATED = re.compile(
    r"^([+\-]?\d+(?:\.\d+)?(?:万元|元|个|项|件|笔)?)\((?:其中|含|包括|注)[^()]*\)$"
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NO_CHANGE = frozenset({"持平", "无变化", "不变"})


@dataclass
class Parsed:
    """A parsed cell: `value` is None when the cell is blank or unreadable (see `blank`)."""

    raw: str
    value: int | float | None
    blank: bool = False
    unit: str | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """Return True when the cell is blank or holds a number we could read."""
        return self.blank or self.value is not None


def strip_padding(text: str) -> str:
    """Return text without surrounding spaces, NBSP, U+3000 or zero-width characters."""
    return text.strip(_PAD)


def chinese_to_int(text: str) -> int | None:
    """Given a Chinese numeral such as `二十三` or `两`, return its value, else None."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
            continue
        unit = _CN_UNITS[ch]
        if unit == 10000:
            if digit is None and not section:
                return None  # `万` with nothing to multiply is no numeral
            section = (section + (digit or 0)) * unit
            total, section = total + section, 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def _strip_unit(text: str) -> tuple[str, str | None]:
    """Return text without one trailing unit word, taken whole (`三万元` → `三`, `万元`;
    `一万` keeps its numeral 万), and the unit removed, or None."""
    for unit in sorted(_UNITS, key=len, reverse=True):
        if text.endswith(unit) and len(text) > len(unit):
            return text[: -len(unit)], unit
    return text, None


def parse_value(raw: str) -> Parsed:
    """Given a raw cell string, return its number, unit and flags; never raises.

    Dashes and `无` are 0 (`dash_zero`); an empty cell is `blank` (the caller decides whether a
    blank means 0 or missing); full-width digits are read (`fullwidth_digit`); `增加7`/`减少3`
    give signed changes (`change_word`); text that is no number gives value None (`unreadable`).
    """
    text = strip_padding(raw)
    if not text:
        return Parsed(raw=raw, value=None, blank=True)
    flags: list[str] = []
    normal = unicodedata.normalize("NFKC", text)
    if normal != text and any("０" <= ch <= "９" for ch in text):
        flags.append("fullwidth_digit")
    normal = re.sub(r"\s+", "", normal)
    if normal in DASHES:
        return Parsed(raw=raw, value=0, flags=["dash_zero"])
    if normal in NO_CHANGE:
        return Parsed(raw=raw, value=0, flags=["change_word"])
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?(万元|元)?", normal):
        normal = normal.replace(",", "")
        flags.append("thousands_separator")
    annotated = _ANNOTATED.match(normal)
    if annotated and _NUMBER.match(annotated.group(1)):
        # `22（其中修订16件）`: the count comes first, the remark stays in the raw text (§4.9).
        inner = parse_value(annotated.group(1))
        return Parsed(raw=raw, value=inner.value, unit=inner.unit,
                      flags=[*flags, *inner.flags, "annotated"])  # fmt: skip
    match = _NUMBER.match(normal)
    if match:
        number = float(match["num"]) if "." in match["num"] else int(match["num"])
        negative = match["sign"] == "-" or (match["change"] or "").startswith("减")
        if match["change"]:
            flags.append("change_word")
        unit = match["unit"]
        return Parsed(
            raw=raw,
            value=-number if negative else number,
            unit=unit if unit in {"万元", "元"} else None,
            flags=flags,
        )
    numeral, unit = _strip_unit(normal)
    cn = chinese_to_int(numeral)
    if cn is not None:
        return Parsed(raw=raw, value=cn, unit=unit if unit in {"万元", "元"} else None,
                      flags=[*flags, "chinese_numeral"])  # fmt: skip
    return Parsed(raw=raw, value=None, flags=[*flags, "unreadable"])


# Strings classified per process are remembered: the same cell and label texts recur.
VALUE_TEXT_CACHE_SIZE = 8192


@lru_cache(maxsize=VALUE_TEXT_CACHE_SIZE)
def is_value_text(text: str) -> bool:
    """Return True when a string reads as a cell value (number, dash, blank) rather than a label
    (a pure function of the string, so its answers are cached)."""
    parsed = parse_value(text)
    return parsed.blank or (parsed.value is not None and "chinese_numeral" not in parsed.flags)
