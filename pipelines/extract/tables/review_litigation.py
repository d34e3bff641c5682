"""Section 四 (T4): administrative review and litigation, 15 cells under fixed headers."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.extract.alignment import fit_row
from pipelines.extract.cells import leaf_number, make_cell, token_value
from pipelines.extract.labels import REVIEW_GROUPS, REVIEW_KEYS, REVIEW_RESULTS
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


def parse_review_litigation(token_lines: list[list[Token]]) -> ReviewTable:
    """Given the token lines of a T4 region, return its 15 cells.

    A table with no values at all is all 0 (`table_all_blank`, §4.3); a blank group total is
    0 when its parts are blank or zero, else missing (`total_blank`).
    """
    tokens = value_tokens(token_lines)
    header = next((t for toks in token_lines for t in toks if t.is_label), None)
    fit = fit_row(tokens, WIDTH, _groups_hold, lambda cells: tuple(map(leaf_number, cells)), False)
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
