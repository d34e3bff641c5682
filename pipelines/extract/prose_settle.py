"""Glued digits settled by the report's own words (report-formats.md §4.12).

A web-text rendering may run a row's cells together (`规范性文件5530`); when several splits are
possible the row is null and `ambiguous_alignment` (§4.10). The report often states the same
facts in a sentence (`本年制发规范性文件5件`, `共收到政府信息公开申请7件`). `find_statements`
reads such sentences into (table, row, col, value) facts with where they were printed;
`settle` keeps the candidate splits of a row that agree with every statement about its cells.

Only sentences in the families below count, each tied to one cell by its verb, its object and
its unit. A sentence naming another year (`2020年制发…` in a 2021 report, `上年`, `去年`), or
about another quantity (`规范性文件类信息5条`, `清理规范性文件…`) says nothing about the cell.
Two statements of one cell that disagree cancel each other. The table is never overridden: only
rows the table leaves undecided are settled, and only when the surviving splits agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.extract.layout import Line
from pipelines.extract.numbers import chinese_to_int

FLAG = "settled_by_prose"

# A number as prose prints it: digits (ASCII or full-width) or a Chinese numeral.
_NUM = r"(?P<num>[0-9０-９]+|[零〇一二两三四五六七八九十百千]+)"
# Filler between a cell's words and its number: no digits, no clause or cell boundary.
_GAP = r"[^0-9０-９，,。；;：:\t（）()、]{0,%d}?"
_DOCS = {"normative_docs": r"(?:行政)?规范性文件", "rules": r"规章"}
_THIS_YEAR = r"(?:本年度?|全年|今年|年内|当年)?"

# (row, col) → sentence patterns; `{doc}` is the row's document word.
_DOC_PATTERNS: dict[str, tuple[str, ...]] = {
    "issued_this_year": (
        r"(?:制发|印发|出台|新制定|制定)了?(?:共)?{doc}" + _GAP % 2 + r"共?" + _NUM + r"件",
        r"{doc}" + _GAP % 2 + r"(?:制发|印发|出台)" + _GAP % 2 + _NUM + r"件",
    ),
    "repealed_this_year": (
        r"废止了?{doc}" + _GAP % 2 + r"共?" + _NUM + r"件",
        r"{doc}" + _GAP % 2 + r"废止" + _GAP % 2 + _NUM + r"件",
    ),
    "in_force": (
        r"现行有效的?{doc}" + _GAP % 3 + r"共?" + _NUM + r"件",
        r"{doc}现行有效" + _GAP % 3 + _NUM + r"件",
    ),
    "made_this_year": (r"(?:新制作|制作|制发|印发)了?{doc}" + _GAP % 2 + r"共?" + _NUM + r"件",),
    "published_this_year": (r"新?公开{doc}" + _GAP % 2 + r"共?" + _NUM + r"件",),
    "published_total": (
        r"对外公开{doc}总数量?" + _GAP % 3 + _NUM + r"件",
        r"累计公开{doc}" + _GAP % 3 + _NUM + r"件",
    ),
}
_DECISIONS = {
    "admin_license": "行政许可",
    "admin_penalty": "行政处罚",
    "admin_coercion": "行政强制",
}
_DECISION_PATTERNS = (
    r"(?:作出|办理|办结|处理)" + _GAP % 4 + r"{kw}" + r"(?:处理)?(?:决定|事项|案件)?" + _GAP % 3
    + _NUM + r"(?:件|宗|个|起)",
    r"{kw}(?:处理)?决定" + _GAP % 4 + _NUM + r"(?:件|宗|个|起)",
    r"{kw}(?:事项|案件)?" + _GAP % 6 + r"(?:作出|办理|办结)(?:处理)?(?:决定)?" + _GAP % 3
    + _NUM + r"(?:件|宗|个|起)",
)  # fmt: skip
_REQUEST_PATTERNS = {
    ("new_received", "total"): (
        r"(?:共|累计|总共)?(?:收到|受理|新收)" + _GAP % 12 + r"申请" + _GAP % 3 + r"共?" + _NUM
        + r"件",
        r"(?:共|总共)?(?:收到|受理|新收)了?" + _NUM + r"件" + _GAP % 10 + r"申请",
    ),
    ("carried_out", "total"): (
        _NUM + r"件" + _GAP % 6 + r"结转(?:至|到)?下一?年度?",
        r"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?(?:申请)?" + _GAP % 2 + _NUM + r"件",
    ),
}  # fmt: skip
_OTHER_YEAR_WORDS = ("上年", "上一年", "去年", "前年", "历年", "往年", "以前年度", "同比")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_CLAUSE = re.compile(r"[^。；;！!？?\n\t]+")
# Chinese numerals a clause needs (or a digit) to state a count.
_NUMERALS = frozenset("一二两三四五六七八九十")
# Words that make a statement about another quantity than the cell's.
_OTHER_QUANTITY = ("类信息", "清理", "解读", "备案", "审查", "征求意见")


@dataclass(frozen=True)
class Statement:
    """One fact a sentence states about a table cell, and where the sentence was printed."""

    table: str
    row: str
    col: str
    value: int
    raw: str
    ref: str


def _patterns() -> list[tuple[str, str, str, re.Pattern[str]]]:
    out: list[tuple[str, str, str, re.Pattern[str]]] = []
    for row, doc in _DOCS.items():
        for col, patterns in _DOC_PATTERNS.items():
            out.extend(
                ("proactive", row, col, re.compile(p.replace("{doc}", doc))) for p in patterns
            )
    for row, kw in _DECISIONS.items():
        out.extend(
            ("proactive", row, "decisions", re.compile(p.replace("{kw}", kw)))
            for p in _DECISION_PATTERNS
        )
    for (row, col), patterns in _REQUEST_PATTERNS.items():
        out.extend(("requests", row, col, re.compile(p)) for p in patterns)
    return out


_PATTERNS = _patterns()
# Any of the patterns, as one search: a clause it finds nothing in states no cell.
_ANY_STATEMENT = re.compile(
    "|".join(f"(?:{pattern.pattern.replace('(?P<num>', '(?:')})" for *_, pattern in _PATTERNS)
)


def _number(text: str) -> int | None:
    digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(digits) if digits.isdigit() else chinese_to_int(text)


def _about_this_year(clause: str, start: int, year: int | None) -> bool:
    """Return False when the clause, up to the statement's end, names another year."""
    head = clause[:start]
    if any(word in head for word in _OTHER_YEAR_WORDS):
        return False
    years = {int(y) for y in _YEAR.findall(head)}
    return not years or (year is not None and years == {year})


def _located_texts(lines: Sequence[Line], source_text: str | None) -> list[tuple[str, str]]:
    """Return (text, location) per printed line: the file's own lines for plain text (the reader
    cuts digits from words into fields there), else each layout line, cells apart by tabs."""
    if source_text is not None:
        return [(text, f"line {n}") for n, text in enumerate(source_text.splitlines(), start=1)]
    out = []
    for line in lines:
        if line.fields:
            ref = re.sub(r" (?:field|piece|col) \d+$", "", line.fields[0].ref)
            if line.page is not None and "page" not in ref:
                ref = f"page {line.page} {ref}"
            out.append((line.text, ref))
    return out


def find_statements(
    lines: Sequence[Line], year: int | None, source_text: str | None = None
) -> list[Statement]:
    """Return the statements of the document's sentences about table cells, each located by
    the line it was printed on (`line 12`; page and field reference in other formats)."""
    statements: list[Statement] = []
    for text, ref in _located_texts(lines, source_text):
        for clause_match in _CLAUSE.finditer(text):
            clause = clause_match.group()
            if not any(map(str.isdigit, clause)) and _NUMERALS.isdisjoint(clause):
                continue
            if not _ANY_STATEMENT.search(clause):
                continue
            for table, row, col, pattern in _PATTERNS:
                for match in pattern.finditer(clause):
                    if any(word in match.group() for word in _OTHER_QUANTITY):
                        continue
                    if table == "proactive" and "信息" in match.group():
                        continue  # items of information published, not documents or decisions
                    if not _about_this_year(clause, match.end(), year):
                        continue
                    value = _number(match.group("num"))
                    if value is not None:
                        statements.append(Statement(table, row, col, value, match.group(), ref))
    return _consistent(statements)


def _consistent(statements: list[Statement]) -> list[Statement]:
    """Drop cells stated with two different values (they settle nothing), keep one of each."""
    values: dict[tuple[str, str, str], set[int]] = {}
    for s in statements:
        values.setdefault((s.table, s.row, s.col), set()).add(s.value)
    seen: set[tuple[str, str, str]] = set()
    out = []
    for s in statements:
        key = (s.table, s.row, s.col)
        if len(values[key]) == 1 and key not in seen:
            seen.add(key)
            out.append(s)
    return out


@dataclass
class Settlement:
    """What the prose settles in one undecided row: the surviving candidate readings' common
    values per column (None where they still differ), the statements used, and values stated
    that no candidate reads (`prose_disagrees`)."""

    values: list[int | float | None]
    index: int | None  # the one surviving candidate, when it is one
    used: list[Statement]
    disagrees: dict[str, int]


def settle(
    table: str,
    row: str,
    columns: Sequence[str],
    candidates: Sequence[Sequence[int | float | None]],
    statements: Sequence[Statement],
) -> Settlement | None:
    """Given an undecided row's candidate readings (one value per column each), return what the
    statements about its cells settle, or None when no statement concerns the row."""
    about = [s for s in statements if s.table == table and s.row == row and s.col in columns]
    if not about or not candidates:
        return None
    survivors = list(range(len(candidates)))
    disagrees: dict[str, int] = {}
    for statement in about:
        at = list(columns).index(statement.col)
        agreeing = [i for i in survivors if candidates[i][at] == statement.value]
        if not agreeing:
            disagrees[statement.col] = statement.value
            continue
        survivors = agreeing
    if disagrees:
        return Settlement([None] * len(columns), None, [], disagrees)
    distinct = {tuple(candidates[i]) for i in survivors}
    index = survivors[0] if len(distinct) == 1 else None
    stated = {s.col for s in about}
    common: list[int | float | None] = []
    for at, col in enumerate(columns):
        seen = {candidates[i][at] for i in survivors}
        # A cell is settled when one split is left, or when it is itself stated (every split
        # left reads the stated value there); the others stay undecided.
        common.append(
            seen.pop() if len(seen) == 1 and (index is not None or col in stated) else None
        )
    return Settlement(common, index, about, {})


def ref_flags(used: Sequence[Statement]) -> list[str]:
    """Return the flags of a settled cell: `settled_by_prose` and the sentences' locations."""
    refs = sorted({s.ref for s in used})
    return [FLAG, *(f"prose_ref={ref}" for ref in refs)]
