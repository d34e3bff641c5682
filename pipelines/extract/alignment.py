"""Fit a row's printed fields onto the template's columns (report-formats.md §4.7, §4.10).

Text and PDF renderings print too many fields (empty merged cells, trailing tabs) or too few
(dropped blank cells). We enumerate order-preserving fits, keep those under which the row's own
sums hold, and accept a fit only when all surviving fits give the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from pipelines.extract.numbers import parse_value
from pipelines.extract.tokens import Token

# Past this many candidate fits the row is reported ambiguous rather than searched.
MAX_FITS = 5000


# Digit runs longer than this are not split (the candidate count grows too fast).
MAX_RUN = 24


@dataclass
class Fit:
    """The chosen placement: one token (or None for a cell the rendering dropped) per column.

    `split` is True when printed digit runs were split into cells (`规范性文件9921`, §4.10).
    """

    cells: list[Token | None]
    realigned: bool
    ambiguous: bool
    split: bool = False
    candidates: list[list[Token | None]] = field(default_factory=list)


def _is_digit_run(token: Token) -> bool:
    """Return True for a value printed as bare ASCII digits (a possible run of several cells)."""
    return token.text.strip().isdigit() and token.text.strip().isascii()


def _run_parts(digits: str, parts: int) -> Iterator[list[str]]:
    """Yield the ways to cut a digit run into `parts` numbers without leading zeros."""
    if parts == 1:
        if digits == "0" or not digits.startswith("0"):
            yield [digits]
        return
    for cut in range(1, len(digits) - parts + 2):
        head = digits[:cut]
        if head != "0" and head.startswith("0"):
            break
        for rest in _run_parts(digits[cut:], parts - 1):
            yield [head, *rest]


def _split_fits(tokens: Sequence[Token], width: int) -> Iterator[list[Token | None]]:
    """Yield placements that cut each digit run into consecutive cells, `width` cells in all."""
    if not tokens:
        if width == 0:
            yield []
        return
    first, rest = tokens[0], tokens[1:]
    digits = first.text.strip()
    for count in range(1, min(len(digits), width - len(rest)) + 1):
        for parts in _run_parts(digits, count):
            cut = [Token(part, False, first.field) for part in parts]
            for tail in _split_fits(rest, width - count):
                yield [*cut, *tail]


def _drop_fits(
    tokens: Sequence[Token], width: int, blanks_only: bool = False
) -> Iterator[tuple[list[Token | None], int]]:
    """Yield fits that drop surplus tokens, cheapest first in spirit: blanks at the start (the
    empty merged label cells), then blanks at the end (trailing separators), then blanks at
    both edges, then blanks inside the row, then values (never with `blanks_only`)."""
    surplus = len(tokens) - width
    leading = tuple(range(surplus))
    trailing = tuple(range(len(tokens) - surplus, len(tokens)))
    for dropped in combinations(range(len(tokens)), surplus):
        kept: list[Token | None] = [t for i, t in enumerate(tokens) if i not in dropped]
        if not all(tokens[i].blank for i in dropped):
            if blanks_only:
                continue
            cost = 4
        elif dropped == leading:
            cost = 0
        elif dropped == trailing:
            cost = 1
        elif all(i in leading or i in trailing for i in dropped):
            cost = 2
        else:
            cost = 3
        yield kept, cost


def _insert_fits(
    tokens: Sequence[Token], width: int, pinned_ends: bool
) -> Iterator[tuple[list[Token | None], int]]:
    """Yield fits that place tokens in order into `width` slots, others left empty."""
    if pinned_ends and len(tokens) >= 2:
        middle = tokens[1:-1]
        for slots in combinations(range(1, width - 1), len(middle)):
            cells: list[Token | None] = [None] * width
            cells[0], cells[-1] = tokens[0], tokens[-1]
            for slot, tok in zip(slots, middle, strict=True):
                cells[slot] = tok
            yield cells, 1
        return
    for slots in combinations(range(width), len(tokens)):
        cells = [None] * width
        for slot, tok in zip(slots, tokens, strict=True):
            cells[slot] = tok
        yield cells, 1


def fit_row(
    tokens: Sequence[Token],
    width: int,
    holds: Callable[[list[Token | None]], bool],
    values: Callable[[list[Token | None]], tuple[object, ...]],
    pinned_ends: bool = True,
) -> Fit:
    """Given a row's value tokens, return their placement onto `width` columns.

    `holds(cells)` tells whether the row's sums hold under a placement, `values(cells)` what the
    placement reads as. Exactly `width` tokens are taken as printed. Otherwise the cheapest
    placements under which the sums hold are compared: one reading → accepted (`realigned`),
    several different readings or none → `ambiguous`.
    """
    if len(tokens) == width:
        return Fit(list(tokens), realigned=False, ambiguous=False)
    filled = [t for t in tokens if not t.blank]
    if len(tokens) > width and len(filled) == width:
        # Every column printed a value: the count is not in doubt, so the values are taken in
        # order, whatever the sums say (a printed total that disagrees stays as printed, and
        # its check fails). Only blank fields were dropped; inside the row that is unusual.
        first = next(i for i, t in enumerate(tokens) if not t.blank)
        last = max(i for i, t in enumerate(tokens) if not t.blank)
        inner_blank = any(t.blank for t in tokens[first : last + 1])
        return Fit(list(filled), realigned=inner_blank, ambiguous=False)
    runs = sum(len(t.text.strip()) for t in tokens)
    if tokens and len(tokens) < width <= runs <= MAX_RUN and all(_is_digit_run(t) for t in tokens):
        return _fit_split(tokens, width, holds, values)
    # A reading that drops a printed value only to make the sums hold loses to readings that
    # drop blanks alone: when enough blank fields exist to account for the surplus, the count
    # of values is not in doubt, and a printed total that disagrees must fail its check
    # rather than be dropped.
    blanks_only = len(tokens) > width and len(tokens) - len(filled) >= len(tokens) - width
    if len(tokens) > width:
        fits = _drop_fits(tokens, width, blanks_only)
    else:
        fits = _insert_fits(tokens, width, pinned_ends)
    best_cost: int | None = None
    readings: dict[tuple[object, ...], list[Token | None]] = {}
    for count, (cells, cost) in enumerate(fits):
        if count > MAX_FITS:
            return Fit([None] * width, realigned=True, ambiguous=True)
        if not holds(cells) or (best_cost is not None and cost > best_cost):
            continue
        if blanks_only and cost >= 2 and _vacuous(cells, holds):
            # Moving a value across columns is evidence only where a sum tests it: a reading
            # that holds because it emptied the total (say) tells nothing.
            continue
        if best_cost is None or cost < best_cost:
            best_cost, readings = cost, {}
        readings.setdefault(values(cells), cells)
    if not readings and blanks_only:
        edge = _edge_drop(tokens, width)
        if edge is not None:
            # No blank-only reading holds: a printed error. The row read in its ordinary shape
            # (surplus blanks at one edge) stands as printed, and its check fails.
            return Fit(edge, realigned=False, ambiguous=False)
    fit = _decide(readings, width, split=False)
    # Empty cells dropped at one edge only (merged label columns, trailing separators) are the
    # ordinary shape of a printed row, not a re-alignment worth flagging.
    fit.realigned = fit.ambiguous or best_cost is None or best_cost > 1 or len(tokens) < width
    return fit


def _vacuous(cells: list[Token | None], holds: Callable[[list[Token | None]], bool]) -> bool:
    """Return True when the sums hold under a placement whatever its printed numbers are: no
    printed value, changed by one, makes them fail (its total was left blank, say)."""
    for index, cell in enumerate(cells):
        if cell is None or cell.blank:
            continue
        value = parse_value(cell.text).value
        if not isinstance(value, int):
            continue
        bumped = Token(str(value + 1), False, cell.field)
        if not holds([*cells[:index], bumped, *cells[index + 1 :]]):
            return False
    return True


def _edge_drop(tokens: Sequence[Token], width: int) -> list[Token | None] | None:
    """Return the row without its surplus blank fields at the start (the empty merged label
    cells) or, failing that, at the end (trailing separators); None when neither edge is blank."""
    surplus = len(tokens) - width
    if all(t.blank for t in tokens[:surplus]):
        return list(tokens[surplus:])
    if all(t.blank for t in tokens[width:]):
        return list(tokens[:width])
    return None


def _decide(readings: dict[tuple[object, ...], list[Token | None]], width: int, split: bool) -> Fit:
    """Return the fit for the distinct readings found: one → taken; else ambiguous, keeping
    the candidates so that table-level sums (`req_balance`) may still decide between them."""
    if len(readings) == 1:
        return Fit(next(iter(readings.values())), realigned=True, ambiguous=False, split=split)
    return Fit(
        [None] * width, realigned=True, ambiguous=True, split=split,
        candidates=list(readings.values()),
    )  # fmt: skip


def _fit_split(
    tokens: Sequence[Token],
    width: int,
    holds: Callable[[list[Token | None]], bool],
    values: Callable[[list[Token | None]], tuple[object, ...]],
) -> Fit:
    """Return the one way to cut run-together digits into `width` cells under which the sums
    hold (`split`), or an ambiguous fit when there are several or none (never a guess)."""
    readings: dict[tuple[object, ...], list[Token | None]] = {}
    for count, cells in enumerate(_split_fits(tokens, width)):
        if count > MAX_FITS:
            return Fit([None] * width, realigned=True, ambiguous=True, split=True)
        if holds(cells):
            readings.setdefault(values(cells), cells)
    return _decide(readings, width, split=True)
