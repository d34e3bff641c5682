"""Section 四 (T4): administrative review and litigation, 15 cells under fixed headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.alignment import Fit, fit_row
from pipelines.extract.cells import leaf_number, make_cell, token_value
from pipelines.extract.labels import REVIEW_GROUPS, REVIEW_KEYS, REVIEW_RESULTS, core
from pipelines.extract.model import Cell
from pipelines.extract.tokens import Token

TABLE = "review_litigation"
WIDTH = len(REVIEW_KEYS)
GROUP = len(REVIEW_RESULTS)


@dataclass
class ReviewTable:
    """The parsed T4 and how many value fields the source printed."""

    cells: list[Cell]
    printed_fields: int
    realigned: bool
    ambiguous: bool


def value_tokens(token_lines: list[list[Token]]) -> list[Token]:
    """Given the lines of a T4 region, return its value fields in order.

    Header lines (any label) give only their non-blank values (a space-separated rendering
    runs the values on after the last header label). If every value line holds at most one
    value, the rendering is one cell per line and only the non-blank fields count; otherwise
    each value line is a printed row and its blank fields are cells too (seed 000).
    """
    value_lines = [
        [t for t in toks if not t.is_label and not (t.blank and any(x.is_label for x in toks))]
        for toks in token_lines
    ]
    value_lines = [toks for toks in value_lines if any(not t.blank for t in toks)]
    if all(sum(not t.blank for t in toks) <= 1 for toks in value_lines):
        return [t for toks in value_lines for t in toks if not t.blank]
    return [t for toks in value_lines for t in toks]


def _groups_hold(cells: list[Token | None]) -> bool:
    """Return True when each group's total equals its four results (blank totals pass)."""
    numbers = [leaf_number(c) for c in cells]
    for g in range(len(REVIEW_GROUPS)):
        part = numbers[g * GROUP : (g + 1) * GROUP]
        if token_value(cells[(g + 1) * GROUP - 1]).blank or any(n is None for n in part):
            continue
        if sum(n for n in part[:-1] if n is not None) != part[-1]:
            return False
    return True


RESULT_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_POSITION = re.compile(r"(?:\bfield|\bcol) (\d+)$")


def _position(token: Token) -> int | None:
    """Return a field's place across its printed row: the tab field of a text line or the grid
    column of a table (`line 12 field 6`, `table 3 row 4 col 6`); None when the format has none."""
    match = _POSITION.search(token.field.ref)
    return int(match.group(1)) if match else None


def fit_by_header(token_lines: list[list[Token]], tokens: list[Token]) -> Fit | None:
    """Return the cells of a one-row T4 placed under its header's own columns, or None when the
    header does not settle them.

    A rendering that keeps every table cell as a field (tab-separated text, grids) prints the
    15 result labels (`结果维持` … `总计`, three times) at 15 distinct places; the value under
    each is its cell, whatever the count of fields. Taken only when the places read the five
    results in order three times, all values come from one printed row, and any field outside
    the header's columns is blank or a printed zero (a surplus separator cell, seed 000)."""
    places: dict[int, str] = {}
    for line in token_lines:
        for tok in line:
            word = core(tok.text) if tok.is_label else None
            at = _position(tok)
            if word in RESULT_WORDS and at is not None:
                places[at] = word  # a lower header row wins over the row above it
    columns = sorted(places)
    if [places[at] for at in columns] != list(RESULT_WORDS) * len(REVIEW_GROUPS):
        return None
    refs = {tok.field.ref.rsplit(" ", 2)[0] for tok in tokens}
    positions = [_position(tok) for tok in tokens]
    if len(refs) != 1 or None in positions or len(set(positions)) != len(positions):
        return None
    cells: list[Token | None] = [None] * len(columns)
    surplus = False
    for tok, at in zip(tokens, positions, strict=True):
        if at in places:
            cells[columns.index(at)] = tok
        elif not tok.blank:
            if token_value(tok).value != 0:
                return None
            surplus = True
    if all(cell is None for cell in cells):
        return None
    return Fit(cells, realigned=surplus, ambiguous=False)


def parse_review_litigation(token_lines: list[list[Token]]) -> ReviewTable:
    """Given the token lines of a T4 region, return its 15 cells.

    A table with no values at all is all 0 (`table_all_blank`, §4.3); a blank group total is
    0 when its parts are blank or zero, else missing (`total_blank`).
    """
    tokens = value_tokens(token_lines)
    header = next((t for toks in token_lines for t in toks if t.is_label), None)
    fit = None
    if len(tokens) != WIDTH and sum(not t.blank for t in tokens) != WIDTH:
        # The count is in doubt: the header's own columns settle it where the format keeps them.
        fit = fit_by_header(token_lines, tokens)
    if fit is None:
        fit = fit_row(
            tokens, WIDTH, _groups_hold, lambda cells: tuple(map(leaf_number, cells)), False
        )
    cells: list[Cell] = []
    all_blank = all(t.blank for t in tokens)
    for index, key in enumerate(REVIEW_KEYS):
        tok = fit.cells[index]
        value = token_value(tok)
        cell = make_cell(TABLE, key, None, tok, value, anchor=header)
        if fit.ambiguous:
            cell.value = None
            cell.flags.append("ambiguous_alignment")
        elif value.blank:
            group = index // GROUP
            parts = [token_value(fit.cells[group * GROUP + i]) for i in range(GROUP - 1)]
            if key.endswith("_total") and any(not p.blank and p.value != 0 for p in parts):
                cell.flags.append("total_blank")
            else:
                cell.value = 0
                cell.flags.append("table_all_blank" if all_blank else "blank_zero")
        if fit.realigned and not fit.ambiguous and tokens:
            cell.flags.append("split_by_sums" if fit.split else "realigned")
        cells.append(cell)
    return ReviewTable(cells, len(tokens), fit.realigned, fit.ambiguous)
