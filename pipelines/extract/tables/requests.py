"""Section 三 (T3): requests received and handled, by applicant type and outcome."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product

from pipelines.extract.alignment import fit_row
from pipelines.extract.cells import leaf_number, make_cell, token_value
from pipelines.extract.labels import (
    APPLICANT_COLUMNS,
    OTHER_2021,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    ROWS_2019,
    ROWS_2021,
    core,
    label_holds_digits,
    match_label,
    normalize,
    numbering,
)
from pipelines.extract.model import Cell, Era
from pipelines.extract.prose_settle import Statement, ref_flags, settle
from pipelines.extract.tokens import Token

TABLE = "requests"
# The optional 法人或其他组织 subtotal column (§4.6) lives apart from the seven contract columns,
# so that summing `requests` over applicant types never counts organisations twice.
SUBTOTAL_TABLE = "requests_org_subtotal"
# Numbers printed on a parent row (`（三）不予公开 5 0 0 0 0 0 5`) are group subtotals (§4.6,
# `req_group_subtotal`), kept apart for the same reason.
GROUP_TABLE = "requests_group_subtotal"
GROUP_PARENTS = {"不予公开": "deny", "无法提供": "unable", "不予处理": "reject"}
GROUP_PREFIX = "group:"
WIDTH = len(REQUEST_COLUMNS)


@dataclass
class RawRow:
    """A labelled row as printed: its label token and the value tokens that followed it."""

    key: str
    label: Token
    values: list[Token] = field(default_factory=list)
    fuzzy: bool = False
    # The label stood alone on its line right after a line of values (`follows_values`), taken
    # by `claimant` in a one-cell-per-line layout or by no row (None).
    follows_values: bool = False
    claimant: RawRow | None = None
    # Set by `mark_values_before`: that line of values belongs to no row kept, so values may
    # come BEFORE their labels here (converted PDFs). Which values are this row's is in
    # doubt, and its having no cells is no evidence of a blank row.
    values_before: bool = False


@dataclass
class RequestTable:
    """The parsed T3: cells, its layout era, and which template rows were not found."""

    cells: list[Cell]
    era: Era
    missing_rows: list[str]
    extra_labels: list[str]


def _row_key(token: Token, previous: str | None, started: bool) -> tuple[str | None, bool]:
    """Return (row key, flagged) for a label token, or (None, False) for a non-row label;
    flagged when the label was matched fuzzily or only by its first part."""
    text_core = core(token.text)
    if text_core == "其他" and previous in {"other_no_correction", "other_fee_unpaid"}:
        return "other_other", False
    if text_core == "其他" and numbering(token.text) == "(六)":
        return "other_handling", True  # `(六) 其他` for `（六）其他处理` (§4.9)
    if not started and text_core == "总计":
        return None, False
    if text_core in GROUP_PARENTS:
        return GROUP_PREFIX + GROUP_PARENTS[text_core], False
    match = match_label(token.text, REQUEST_ROWS)
    return (match.key, match.fuzzy or match.partial) if match else (None, False)


_COL_REF = re.compile(r"\bcol (\d+)$")
_ORG_HEADERS = ("商业企业", "科研机构", "社会公益组织", "社会组织", "法律服务机构")


def _column_of(token: Token) -> float | None:
    """Return where a header cell sits across the table: its bbox centre (PDFs) or its grid
    column (`… col 7` refs of HTML, DOCX and PDF tables); None for plain text."""
    if token.field.bbox is not None:
        return (token.field.bbox[0] + token.field.bbox[2]) / 2
    match = _COL_REF.search(token.field.ref)
    return float(match.group(1)) if match else None


def subtotal_header(token_lines: list[list[Token]]) -> tuple[bool, int | None]:
    """Return whether the T3 header has a `法人或其他组织（小计）` subtotal column (§4.6), and
    where the header puts it among the printed value columns (1 = before the five organisation
    types, 6 = after them; None when the header does not tell).

    The position comes from the cells' geometry when the format has it (a `小计` cell spanning
    two header rows sits on the line above the organisation types, so their text order says
    nothing), else from the order of the labels on one header line."""
    subtotal: Token | None = None
    orgs: list[Token] = []
    order: int | None = None
    for tokens in token_lines:
        labels = [tok for tok in tokens if tok.is_label]
        texts = [normalize(tok.text) for tok in labels]
        if any("本年新收" in text for text in texts):
            break
        for index, text in enumerate(texts):
            if "小计" in text and subtotal is None:
                subtotal = labels[index]
                # Organisation labels on the same line (or run into the same cell) tell the order.
                before = "".join(texts[:index]) + text[: text.find("小计")]
                after = text[text.find("小计") :] + "".join(texts[index + 1 :])
                if any(h in after for h in _ORG_HEADERS):
                    order = 1
                elif any(h in before for h in _ORG_HEADERS):
                    order = 6
            elif any(h in text for h in _ORG_HEADERS):
                orgs.append(labels[index])
    if subtotal is None:
        return False, None
    at = _column_of(subtotal)
    places = [x for x in (_column_of(tok) for tok in orgs) if x is not None]
    if at is not None and places:
        if at < min(places):
            return True, 1
        if at > max(places):
            return True, 6
    return True, order


def subtotal_position(token_lines: list[list[Token]]) -> int | None:
    """Return where a subtotal column sits (§4.6: 1 or 6), 6 when the header does not tell,
    or None when there is none (the sums decide in `parse_requests` when the header is mute)."""
    present, at = subtotal_header(token_lines)
    return (at or 6) if present else None


def _prints_eight(rows: list[RawRow]) -> bool:
    """Return True when most rows that print values print exactly 8 (one more than the
    template's 7 columns): a subtotal column without a `小计` header to say so."""
    counts = [sum(not t.blank for t in row.values) for row in rows]
    printed = [c for c in counts if c]
    return bool(printed) and sum(c == WIDTH + 1 for c in printed) * 2 > len(printed)


def _position_by_sums(rows: list[RawRow], width: int) -> int | None:
    """Return the subtotal position (1 or 6) under which strictly more fully printed rows hold
    `req_row_total` and `req_org_subtotal` (either, when both read the same values), or None
    when the sums do not tell apart two different readings."""
    scores = {}
    for at in (1, 6):
        holds = _subtotal_holds(at)
        scores[at] = sum(
            1
            for row in rows
            if sum(not t.blank for t in row.values) == width
            and any(not token_value(t).blank and token_value(t).value for t in row.values)
            and holds([t for t in row.values if not t.blank])
        )
    if scores[1] != scores[6]:
        return 1 if scores[1] > scores[6] else 6
    # Both placements hold equally often: harmless only when they read the same values.
    for row in rows:
        filled: list[Token | None] = [t for t in row.values if not t.blank]
        if len(filled) == width and _subtotal_reading(1)(filled) != _subtotal_reading(6)(filled):
            return None
    return 6


def collect_rows(
    token_lines: list[list[Token]], width: int = WIDTH
) -> tuple[list[RawRow], list[str]]:
    """Given the token lines of a T3 region, return its labelled rows and unknown labels.

    Values printed on the label's own line belong to it (tab- or space-separated renderings);
    a label alone on its line takes the values of the following lines, one cell per line,
    until the next label or a full row (seed 003's rendering). Rows start at `new_received`.
    """
    rows: list[RawRow] = []
    unknown: list[str] = []
    current: RawRow | None = None
    vertical = False
    # The last line that printed anything: ("values", claimant row or None) or ("label", None).
    last: tuple[str, RawRow | None] = ("label", None)
    for tokens in token_lines:
        if not any(t.is_label for t in tokens):
            if current is not None and vertical:
                for tok in tokens:
                    if not tok.blank and len(current.values) < width:
                        current.values.append(tok)
            if any(not t.blank for t in tokens):
                last = ("values", current if vertical else None)
            continue
        before = last
        last = ("label", None)
        # A row still waiting for its values keeps them through label fragments that are no row
        # of their own: the wrapped rest of a label or a parent cell's text (borderless tables).
        pending = current if current is not None and not current.values else None
        current, vertical = None, False
        for tok in tokens:
            if tok.is_label:
                key, fuzzy = _row_key(tok, rows[-1].key if rows else None, bool(rows))
                if key is None or (not rows and key != "new_received"):
                    if rows:
                        unknown.append(tok.text)
                    current = pending
                    continue
                current, pending = RawRow(key, tok, fuzzy=fuzzy), None
                rows.append(current)
            elif current is not None:
                current.values.append(tok)
        vertical = current is not None and not current.values
        if vertical and current is not None and before[0] == "values":
            current.follows_values, current.claimant = True, before[1]
    return rows, unknown


def mark_values_before(rows: list[RawRow], kept: list[RawRow]) -> None:
    """Set `values_before` on the rows whose label follows a line of values that no kept row
    took (none took it, or a row dropped as a duplicate, or a row itself in doubt)."""
    kept_ids = {id(row) for row in kept}
    for row in rows:
        if row.follows_values:
            claimant = row.claimant
            row.values_before = (
                claimant is None or id(claimant) not in kept_ids or claimant.values_before
            )


def _row_holds(cells: list[Token | None]) -> bool:
    """Return True when the placed applicant cells add up to the placed total (or it is blank)."""
    numbers = [leaf_number(c) for c in cells]
    if token_value(cells[-1]).blank or any(n is None for n in numbers):
        return True
    return sum(n for n in numbers[:-1] if n is not None) == numbers[-1]


def _group_cells(groups: dict[str, RawRow]) -> list[Cell]:
    """Return the cells of parent rows that print numbers (group subtotals); parents printed
    without numbers, as the template has them, give none."""
    cells: list[Cell] = []
    for group, row in sorted(groups.items()):
        if all(tok.blank for tok in row.values):
            continue
        fit = fit_row(row.values, WIDTH, _row_holds, _reading)
        for index, col in enumerate(REQUEST_COLUMNS):
            tok = fit.cells[index]
            cell = make_cell(GROUP_TABLE, group, col, tok, token_value(tok), anchor=row.label)
            if fit.ambiguous:
                cell.value = None
                cell.flags.append("ambiguous_alignment")
            elif token_value(tok).blank:
                cell.value = 0
                cell.flags.append("blank_zero")
            cells.append(cell)
    return cells


def _subtotal_holds(at: int) -> Callable[[list[Token | None]], bool]:
    """Return a row test for layouts with a subtotal column at `at`: the row total and the
    subtotal (= the five organisation types) must both hold."""

    def holds(cells: list[Token | None]) -> bool:
        rest = cells[:at] + cells[at + 1 :]
        if not _row_holds(rest):
            return False
        subtotal, orgs = token_value(cells[at]), [leaf_number(c) for c in rest[1:-1]]
        if subtotal.blank or subtotal.value is None or None in orgs:
            return True
        return sum(n for n in orgs if n is not None) == subtotal.value

    return holds


def _subtotal_reading(at: int) -> Callable[[list[Token | None]], tuple[object, ...]]:
    """Return the reading function for layouts with a subtotal column at `at`."""
    return lambda cells: (*_reading(cells[:at] + cells[at + 1 :]), leaf_number(cells[at]))


def _reading(cells: list[Token | None]) -> tuple[object, ...]:
    """Return what a placement reads as: leaf numbers, blank totals kept distinct."""
    total = token_value(cells[-1])
    return (*(leaf_number(c) for c in cells[:-1]), None if total.blank else total.value)


def parse_requests(
    token_lines: list[list[Token]], statements: Sequence[Statement] = ()
) -> RequestTable | None:
    """Given the token lines of a T3 region, return its cells (None when no T3 row is found).

    Rows whose run-together digits neither their own sum nor the column sums decide may be
    settled by `statements` the report's sentences make about T3 totals (§4.12)."""
    has_subtotal, subtotal_at = subtotal_header(token_lines)
    width = WIDTH + has_subtotal
    raw_rows, unknown = collect_rows(token_lines, width)
    if not raw_rows:
        return None
    if not has_subtotal and _prints_eight(raw_rows):
        # An unlabelled 8th column (§4.6): a subtotal only where the sums say where it is.
        rows8, unknown8 = collect_rows(token_lines, WIDTH + 1)
        subtotal_at = _position_by_sums(rows8, WIDTH + 1)
        if subtotal_at is not None:
            has_subtotal, width, raw_rows, unknown = True, WIDTH + 1, rows8, unknown8
    elif has_subtotal and subtotal_at is None:
        subtotal_at = _position_by_sums(raw_rows, width) or 6
    # A key printed twice (a prose sentence, a wrapped label's second half) is the occurrence
    # with the most values: the table row, not the sentence before it.
    by_key: dict[str, RawRow] = {}
    for row in raw_rows:
        if row.key not in by_key or len(row.values) > len(by_key[row.key].values):
            by_key[row.key] = row
    mark_values_before(raw_rows, list(by_key.values()))
    era = Era.T2021 if any(k in by_key for k in OTHER_2021) else Era.T2019
    expected = ROWS_2021 if era == Era.T2021 else ROWS_2019
    groups = {
        k.removeprefix(GROUP_PREFIX): r for k, r in by_key.items() if k.startswith(GROUP_PREFIX)
    }
    if era == Era.T2021 and "other_handling" in by_key:
        groups["other"] = by_key["other_handling"]  # the （六） parent of the three 2021 rows
    placed: dict[str, list[Token | None]] = {}
    row_flags: dict[str, list[str]] = {}
    undecided: dict[str, list[list[Token | None]]] = {}
    subtotals: dict[str, Token | None] = {}
    for key in expected:
        if key not in by_key:
            continue
        row = by_key[key]
        if row.values_before:
            placed[key] = [None] * WIDTH
            if subtotal_at is not None:
                subtotals[key] = None
            row_flags[key] = ["ambiguous_alignment", "values_before_label"]
            continue
        if subtotal_at is None:
            fit = fit_row(row.values, WIDTH, _row_holds, _reading)
        else:
            fit = fit_row(
                row.values, width, _subtotal_holds(subtotal_at), _subtotal_reading(subtotal_at)
            )
            subtotals[key] = fit.cells.pop(subtotal_at)
            fit.candidates = []
        placed[key] = fit.cells
        flags = ["fuzzy_label"] if row.fuzzy else []
        if fit.ambiguous:
            flags.append("ambiguous_alignment")
            if fit.candidates:
                undecided[key] = fit.candidates
        elif fit.split:
            flags.append("split_by_sums")
        elif fit.realigned:
            flags.append("realigned")
        if not row.values:
            flags.append("row_without_cells")
            if label_holds_digits(row.label.text):
                flags.append("ambiguous_alignment")
        row_flags[key] = flags
    _decide_by_column_sums(placed, row_flags, undecided, expected)
    if statements:
        _settle_by_prose(placed, row_flags, undecided, expected, statements)
    labels = {key: by_key[key].label for key in placed}
    cells = _to_cells(placed, row_flags, expected, labels)
    if era == Era.T2021:
        cells.extend(_derived_other_handling(cells))
    cells.extend(_group_cells(groups))
    for key, tok in subtotals.items():
        cell = make_cell(
            SUBTOTAL_TABLE, key, "org_subtotal", tok, token_value(tok), by_key[key].label
        )
        cell.flags.extend(row_flags[key])
        if "ambiguous_alignment" in row_flags[key]:
            cell.value = None
        cells.append(cell)
    missing = [k for k in expected if k not in placed]
    return RequestTable(cells=cells, era=era, missing_rows=missing, extra_labels=unknown)


# Past this many combinations of row readings, column sums are not searched.
MAX_COMBINATIONS = 4096


def _columns_hold(numbers: dict[str, list[int | float | None]], leaves: tuple[str, ...]) -> bool:
    """Return True when `req_balance` and `req_outcome_total` hold in every column where all
    their operands are printed (blank totals are skipped, they cannot decide)."""
    for index in range(WIDTH):

        def at(row: str, i: int = index) -> int | float | None:
            return numbers[row][i] if row in numbers else 0

        total = at("outcome_total")
        parts = [at(leaf) for leaf in leaves]
        if total is not None and None not in parts and total != sum(p for p in parts if p):
            return False
        balance = [at("new_received"), at("carried_in"), total, at("carried_out")]
        if None not in balance and balance[0] + balance[1] != balance[2] + balance[3]:  # type: ignore[operator]
            return False
    return True


def _decide_by_column_sums(
    placed: dict[str, list[Token | None]],
    row_flags: dict[str, list[str]],
    undecided: dict[str, list[list[Token | None]]],
    expected: tuple[str, ...],
) -> None:
    """Resolve rows whose own sum admits several readings (`270020130`, §4.10) by the column
    sums of the whole table: when exactly one combination of readings makes them hold, take it
    (flag `split_by_sums`); otherwise the rows stay null and `ambiguous_alignment`."""
    if not undecided:
        return
    keys = list(undecided)
    count = 1
    for key in keys:
        count *= len(undecided[key])
    if count > MAX_COMBINATIONS:
        return
    leaves = _leaf_rows(expected)

    def numbers_of(cells: list[Token | None]) -> list[int | float | None]:
        total = token_value(cells[-1])
        return [*(leaf_number(c) for c in cells[:-1]), None if total.blank else total.value]

    fixed = {k: numbers_of(v) for k, v in placed.items() if k not in undecided}
    if any(None in fixed[k][:-1] for k in fixed):
        return
    passing: list[tuple[list[Token | None], ...]] = []
    for combo in product(*(undecided[k] for k in keys)):
        numbers = dict(fixed)
        numbers.update({k: numbers_of(cells) for k, cells in zip(keys, combo, strict=True)})
        if _columns_hold(numbers, leaves):
            passing.append(combo)
    if len(passing) != 1:
        return
    for key, cells in zip(keys, passing[0], strict=True):
        placed[key] = cells
        row_flags[key] = [f for f in row_flags[key] if f != "ambiguous_alignment"]
        row_flags[key].append("split_by_sums")


def _settle_by_prose(
    placed: dict[str, list[Token | None]],
    row_flags: dict[str, list[str]],
    undecided: dict[str, list[list[Token | None]]],
    expected: tuple[str, ...],
    statements: Sequence[Statement],
) -> None:
    """Keep, in rows the sums left undecided, the readings that agree with what the report's
    sentences state about their cells; when the column sums then admit exactly one combination,
    take it (`settled_by_prose` with the sentences' locations, §4.12)."""
    still = {k: v for k, v in undecided.items() if "ambiguous_alignment" in row_flags[k]}
    narrowed: dict[str, list[list[Token | None]]] = {}
    used: dict[str, list[str]] = {}
    for key, candidates in still.items():
        values = [[leaf_number(c) for c in cells[:-1]] + [token_value(cells[-1]).value]
                  for cells in candidates]  # fmt: skip
        settled = settle(TABLE, key, REQUEST_COLUMNS, values, statements)
        if settled is None or settled.disagrees:
            continue
        stated = [(REQUEST_COLUMNS.index(s.col), s.value) for s in settled.used]
        keep = [
            cells
            for cells, v in zip(candidates, values, strict=True)
            if all(v[at] == value for at, value in stated)
        ]
        if len(keep) < len(candidates):
            narrowed[key], used[key] = keep, ref_flags(settled.used)
    if not narrowed:
        return
    trial = {**still, **narrowed}
    flags = {k: list(row_flags[k]) for k in trial}
    cells = dict(placed)
    _decide_by_column_sums(cells, flags, trial, expected)
    if any("ambiguous_alignment" in flags[k] for k in trial):
        return  # the sums still admit several combinations, or none: nothing is settled
    for key in trial:
        placed[key] = cells[key]
        row_flags[key] = flags[key] + used.get(key, [])


def _leaf_rows(expected: tuple[str, ...]) -> tuple[str, ...]:
    """Return the outcome leaf rows of a layout (between carried_in and outcome_total)."""
    return expected[expected.index("carried_in") + 1 : expected.index("outcome_total")]


def _to_cells(
    placed: dict[str, list[Token | None]],
    row_flags: dict[str, list[str]],
    expected: tuple[str, ...],
    labels: dict[str, Token],
) -> list[Cell]:
    """Apply the blank rules of §4.3: blank leaves are 0; a blank total is 0 only when all of
    its parts are blank or zero too, else missing (None, `total_blank`)."""
    leaves = _leaf_rows(expected)
    parsed = {key: [token_value(tok) for tok in toks] for key, toks in placed.items()}

    def part_is_zero(key: str, index: int) -> bool:
        value = parsed[key][index]
        return value.blank or value.value == 0

    cells: list[Cell] = []
    for key, toks in placed.items():
        ambiguous = "ambiguous_alignment" in row_flags[key]
        for index, col in enumerate(REQUEST_COLUMNS):
            value = parsed[key][index]
            cell = make_cell(TABLE, key, col, toks[index], value, anchor=labels[key])
            cell.flags.extend(row_flags[key])
            if ambiguous:
                cell.value = None
            elif value.blank:
                parts: list[tuple[str, int]] = []
                if col == "total":
                    parts += [(key, i) for i in range(len(APPLICANT_COLUMNS))]
                if key == "outcome_total":
                    parts += [(leaf, index) for leaf in leaves if leaf in parsed]
                if all(part_is_zero(k, i) for k, i in parts):
                    cell.value = 0
                    cell.flags.append("blank_zero")
                else:
                    cell.flags.append("total_blank")
            cells.append(cell)
    return cells


def _derived_other_handling(cells: list[Cell]) -> list[Cell]:
    """Return the cross-era `other_handling` row: the sum of the three 2021 `（六）` rows."""
    out: list[Cell] = []
    for col in REQUEST_COLUMNS:
        parts = [c for c in cells if c.row in OTHER_2021 and c.col == col]
        values = [c.value for c in parts if c.value is not None]
        total = sum(values) if len(parts) == 3 and len(values) == 3 else None
        ref = "derived: " + " + ".join(f"{row}.{col}" for row in OTHER_2021)
        flags = ["derived"]
        if total is None and any("total_blank" in c.flags for c in parts):
            flags.append("total_blank")  # a part's blank 总计 is missing, not unreadable (§4.3)
        out.append(Cell(TABLE, "other_handling", col, "", total, ref=ref, flags=flags))
    return out
