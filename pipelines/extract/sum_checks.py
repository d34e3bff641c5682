"""The arithmetic relations of report-formats.md §3 evaluated on one report's cells.

Each check yields `pass`, `fail`, `not_evaluable` (an operand unreadable) or `pass_derived`
(a blank total was derived from its parts: the derived value lives here, never in the cells).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.extract.labels import (
    APPLICANT_COLUMNS,
    OTHER_2021,
    REQUEST_COLUMNS,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    ROWS_2019,
    ROWS_2021,
)
from pipelines.extract.model import Cell, CheckResult, CheckStatus

Number = int | float


@dataclass
class Operand:
    """A check operand: its value (None if unreadable) and whether it was derived."""

    value: Number | None
    derived: bool = False


def _compare(
    check: str, scope: str, left: list[Operand], right: list[Operand], severity: str = "hard"
) -> CheckResult:
    """Return the result of Σ left = Σ right with a readable detail."""

    def show(ops: list[Operand]) -> str:
        return "+".join(
            "?" if o.value is None else f"{o.value:g}" + ("*" if o.derived else "") for o in ops
        )

    detail = f"{show(left)} = {show(right)}"
    if any(o.value is None for o in left + right):
        return CheckResult(check, scope, CheckStatus.NOT_EVALUABLE, detail, severity)
    lhs = sum(o.value for o in left if o.value is not None)
    rhs = sum(o.value for o in right if o.value is not None)
    if abs(lhs - rhs) > 1e-9:
        return CheckResult(
            check, scope, CheckStatus.FAIL, f"{detail} ({lhs:g} ≠ {rhs:g})", severity
        )
    derived = any(o.derived for o in left + right)
    status = CheckStatus.PASS_DERIVED if derived else CheckStatus.PASS
    return CheckResult(check, scope, status, detail + (" (* derived)" if derived else ""), severity)


def _group_checks(
    cells: dict[tuple[str, str | None], Cell],
    groups: dict[tuple[str, str | None], Cell],
    leaves: tuple[str, ...],
) -> list[CheckResult]:
    """Return `req_group_subtotal` for every printed parent-row subtotal: it equals the sum of
    its children in its column (scope `group.column`); a printed 2021 （六） is checked as
    `req_other_split`."""
    prefixes = {"deny": "deny_", "unable": "unable_", "reject": "reject_", "other": "other_"}
    results: list[CheckResult] = []
    for (group, col), subtotal in sorted(groups.items(), key=lambda item: str(item[0])):
        children = [
            Operand(cells[(leaf, col)].value)
            for leaf in leaves
            if leaf.startswith(prefixes[group]) and (leaf, col) in cells
        ]
        check = "req_other_split" if group == "other" else "req_group_subtotal"
        scope = str(col) if group == "other" else f"{group}.{col}"
        results.append(_compare(check, scope, [Operand(subtotal.value)], children))
    return results


def _request_checks(
    cells: dict[tuple[str, str | None], Cell],
    subtotals: dict[str, Cell],
    groups: dict[tuple[str, str | None], Cell],
) -> list[CheckResult]:
    """Return the T3 checks of §3.2 for a report whose cells are keyed by (row, col); rows
    with a printed 法人或其他组织 subtotal (§4.6) also get `req_org_subtotal`."""
    rows = {row for row, _ in cells}
    era_rows = ROWS_2021 if rows & set(OTHER_2021) else ROWS_2019
    leaves = era_rows[era_rows.index("carried_in") + 1 : era_rows.index("outcome_total")]

    def raw(row: str, col: str) -> Operand:
        cell = cells.get((row, col))
        return Operand(None if cell is None else cell.value)

    def get(row: str, col: str) -> Operand:
        """Return a cell, deriving a blank total from its parts (row sum, then column sum)."""
        cell = cells.get((row, col))
        if cell is not None and (cell.value is not None or "total_blank" not in cell.flags):
            return Operand(cell.value)
        if cell is None:
            return Operand(None)
        candidates: list[list[Operand]] = []
        if col == "total":
            candidates.append([raw(row, c) for c in APPLICANT_COLUMNS])
        if row == "outcome_total":
            candidates.append([raw(leaf, col) for leaf in leaves])
        for parts in candidates:
            if all(p.value is not None for p in parts):
                return Operand(sum(p.value for p in parts if p.value is not None), derived=True)
        return Operand(None)

    results: list[CheckResult] = []
    for col in REQUEST_COLUMNS:
        results.append(
            _compare(
                "req_balance",
                col,
                [get("new_received", col), get("carried_in", col)],
                [get("outcome_total", col), get("carried_out", col)],
            )
        )
        total = get("outcome_total", col)
        parts = [raw(leaf, col) for leaf in leaves]
        results.append(_compare("req_outcome_total", col, [total], parts))
    for row in era_rows:
        if (row, "total") in cells:
            applicants = [get(row, c) for c in APPLICANT_COLUMNS]
            results.append(_compare("req_row_total", row, [get(row, "total")], applicants))
    if era_rows is ROWS_2021:
        for col in REQUEST_COLUMNS:
            if ("other", col) in groups:
                continue  # a printed （六） total is checked against its rows instead
            results.append(
                _compare(
                    "req_other_split",
                    col,
                    [raw("other_handling", col)],
                    [raw(r, col) for r in OTHER_2021],
                )
            )
    results.append(_nonneg("req_nonneg_int", "requests", cells.values(), allow=lambda c: False))
    results.extend(_group_checks(cells, groups, leaves))
    for row, subtotal in sorted(subtotals.items()):
        orgs = [raw(row, c) for c in APPLICANT_COLUMNS[1:]]
        results.append(_compare("req_org_subtotal", row, [Operand(subtotal.value)], orgs))
    located = sum(1 for row in era_rows for col in REQUEST_COLUMNS if (row, col) in cells)
    expected = len(era_rows) * len(REQUEST_COLUMNS)
    unreadable = [c for c in cells.values() if c.value is None and "total_blank" not in c.flags]
    status = CheckStatus.PASS if located == expected and not unreadable else CheckStatus.FAIL
    detail = f"{located}/{expected} cells located, {len(unreadable)} unreadable"
    results.append(CheckResult("req_cell_count", "requests", status, detail))
    return results


def _nonneg(
    check: str, scope: str, cells: object, allow: Callable[[Cell], bool], severity: str = "hard"
) -> CheckResult:
    """Return whether every readable cell is a non-negative integer (unless `allow`ed)."""
    bad = [
        f"{c.row}.{c.col}={c.value}" if c.col else f"{c.row}={c.value}"
        for c in cells  # type: ignore[attr-defined]
        if c.value is not None and not allow(c) and (c.value < 0 or float(c.value) != int(c.value))
    ]
    status = CheckStatus.FAIL if bad else CheckStatus.PASS
    return CheckResult(check, scope, status, ", ".join(bad) or "all cells ≥ 0", severity)


def _review_checks(
    cells: dict[tuple[str, str | None], Cell], printed: int | None
) -> list[CheckResult]:
    """Return the T4 checks of §3.3."""
    ids = {"review": "lit_review_total", "suit_direct": "lit_direct_total",
           "suit_after_review": "lit_after_review_total"}  # fmt: skip
    results: list[CheckResult] = []
    for group in REVIEW_GROUPS:
        ops = [Operand(cells[(f"{group}_{r}", None)].value) for r in REVIEW_RESULTS]
        results.append(_compare(ids[group], group, [ops[-1]], ops[:-1]))
    results.append(_nonneg("lit_nonneg_int", "review_litigation", cells.values(), lambda c: False))
    realigned = any("realigned" in c.flags for c in cells.values())
    ambiguous = any("ambiguous_alignment" in c.flags for c in cells.values())
    detail = f"{printed} value fields printed for 15 columns"
    if realigned and not ambiguous:
        detail += (
            "; cells placed by the header's own columns or by the one fit under which the sums"
            " hold (flagged realigned)"
        )
    status = CheckStatus.FAIL if ambiguous else CheckStatus.PASS
    results.append(CheckResult("lit_cell_count", "review_litigation", status, detail))
    return results


def _proactive_checks(cells: dict[tuple[str, str | None], Cell]) -> list[CheckResult]:
    """Return the T2 checks of §3.4 that need only this report."""
    results = [
        _nonneg("act_nonneg", "proactive", cells.values(), allow=lambda c: c.col == "items_change"
                or c.col in {"procurement_amount", "fee_amount_wan"}),
    ]  # fmt: skip
    for row in ("rules", "normative_docs"):
        if (row, "published_total") in cells and (row, "published_this_year") in cells:
            this_year = cells[(row, "published_this_year")].value
            total = cells[(row, "published_total")].value
            if this_year is None or total is None:
                status = CheckStatus.NOT_EVALUABLE
            else:
                status = CheckStatus.PASS if this_year <= total else CheckStatus.FAIL
            results.append(
                CheckResult("act_published_le_total", row, status, f"{this_year} ≤ {total}", "soft")
            )
    for (row, col), cell in cells.items():
        if col == "items_change" and (row, "items_prev_year") in cells:
            prev = cells[(row, "items_prev_year")].value
            if prev is not None and cell.value is not None:
                ok = prev + cell.value >= 0
                results.append(
                    CheckResult(
                        "act_items_nonneg",
                        row,
                        CheckStatus.PASS if ok else CheckStatus.FAIL,
                        f"{prev:g}{cell.value:+g} ≥ 0",
                        "soft",
                    )
                )
        if col in {"procurement_amount", "fee_amount_wan"}:
            unresolved = "amount_unit_unknown" in cell.flags
            status = CheckStatus.FAIL if unresolved else CheckStatus.PASS
            if cell.value is None and not unresolved:
                status = CheckStatus.NOT_EVALUABLE
            results.append(
                CheckResult(
                    "act_amount_unit_resolved",
                    row,
                    status,
                    f"{cell.raw.strip() or 'blank'} → {cell.value} 万元",
                )
            )
    return results


def run_checks(cells: list[Cell], review_fields_printed: int | None = None) -> list[CheckResult]:
    """Given one report's cells, return every §3 check that applies to the tables it has."""
    results: list[CheckResult] = []
    subtotals = {c.row: c for c in cells if c.table == "requests_org_subtotal"}
    groups = {(c.row, c.col): c for c in cells if c.table == "requests_group_subtotal"}
    for table, run in (
        ("requests", lambda c: _request_checks(c, subtotals, groups)),
        ("review_litigation", lambda c: _review_checks(c, review_fields_printed)),
        ("proactive", _proactive_checks),
    ):
        keyed = {(c.row, c.col): c for c in cells if c.table == table}
        if keyed:
            results.extend(run(keyed))
    return results
