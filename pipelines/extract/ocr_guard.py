"""The sums guard OCR (issue 11): what a scan's failing checks say about the cells read.

After a report read by OCR is parsed (`extract_document`):

* every cell is flagged `ocr` with its confidence (`readers.ocr.flag_ocr_cells`), and
  `low_confidence` below the threshold;
* a cell taking part in a hard check that fails is flagged `suspect` (which cells take part in
  which check is found by perturbation: changing the cell's value changes that check);
* where exactly one change of one digit of one `low_confidence` cell makes every failing check
  hold (and breaks none), that change is proposed in the failing checks' `detail`; the cell keeps
  what was read.

The warehouse grades a failure involving `ocr`/`low_confidence` cells `extraction_suspect`
(dbt var `qa_low_confidence_flags`), so a scan whose checks fail is never trusted silently.
"""

from __future__ import annotations

from dataclasses import replace

from pipelines.extract.model import Cell, CheckResult, CheckStatus, ExtractResult, Status
from pipelines.extract.sum_checks import run_checks

SUSPECT_FLAG = "suspect"
# At most this many low-confidence cells are tried for a one-digit proposal.
MAX_CANDIDATES = 40

CheckKey = tuple[str, str]


def _failing(checks: list[CheckResult]) -> set[CheckKey]:
    """Return the (check, scope) of the hard checks that fail."""
    return {
        (c.check, c.scope) for c in checks if c.status == CheckStatus.FAIL and c.severity == "hard"
    }


def _outcomes(checks: list[CheckResult]) -> dict[CheckKey, tuple[str, str]]:
    """Return each check's status and detail by (check, scope)."""
    return {(c.check, c.scope): (str(c.status), c.detail) for c in checks}


def _with_value(cells: list[Cell], index: int, value: int) -> list[Cell]:
    """Return the cells with one cell's value replaced."""
    changed = list(cells)
    changed[index] = replace(cells[index], value=value, flags=list(cells[index].flags))
    return changed


def involved_cells(cells: list[Cell], review_fields: int | None) -> dict[CheckKey, list[int]]:
    """Return, per (check, scope), the indexes of the numeric cells whose value it reads."""
    base = _outcomes(run_checks(cells, review_fields))
    involved: dict[CheckKey, list[int]] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell.value, int) or cell.table not in {
            "requests",
            "review_litigation",
            "requests_org_subtotal",
            "requests_group_subtotal",
        }:
            continue
        moved = _outcomes(run_checks(_with_value(cells, index, cell.value + 1), review_fields))
        for key, outcome in moved.items():
            if base.get(key) != outcome:
                involved.setdefault(key, []).append(index)
    return involved


def _digit_changes(raw: str, value: int) -> list[int]:
    """Return every value one digit change of a cell's printed digits gives (no leading zero)."""
    digits = str(value)
    if not raw or "".join(ch for ch in raw if ch.isdigit()) != digits:
        return []
    values = set()
    for position, old in enumerate(digits):
        for new in "0123456789":
            if new == old or (position == 0 and new == "0" and len(digits) > 1):
                continue
            values.add(int(digits[:position] + new + digits[position + 1 :]))
    return sorted(values)


def propose_digit_change(
    cells: list[Cell], review_fields: int | None, candidates: list[int]
) -> tuple[int, int] | None:
    """Return (cell index, value) when exactly one one-digit change of one candidate cell makes
    every hard check hold without breaking another; else None."""
    fixes: list[tuple[int, int]] = []
    for index in candidates[:MAX_CANDIDATES]:
        cell = cells[index]
        if not isinstance(cell.value, int):
            continue
        for value in _digit_changes(cell.raw, cell.value):
            if not _failing(run_checks(_with_value(cells, index, value), review_fields)):
                fixes.append((index, value))
                if len(fixes) > 1:
                    return None
    return fixes[0] if len(fixes) == 1 else None


def _review_fields(result: ExtractResult) -> int | None:
    """Return the T4 printed-field count the parser saw, as far as the checks show it."""
    count = sum(1 for c in result.cells if c.table == "review_litigation")
    return count or None


def guard_ocr_result(result: ExtractResult, low_confidence: float) -> None:
    """Flag an OCR report's cells (`ocr`, confidence, `low_confidence`), mark the cells of its
    failing hard checks `suspect` and propose a unique one-digit repair in those checks'
    details (module docstring). Changes `result` in place; values are never changed."""
    from pipelines.extract.readers.ocr import flag_ocr_cells

    if result.status != Status.EXTRACTED:
        return
    flag_ocr_cells(result.cells, low_confidence)
    failing = _failing(result.checks)
    if not failing:
        return
    review_fields = _review_fields(result)
    involved = involved_cells(result.cells, review_fields)
    suspects = sorted({i for key in failing for i in involved.get(key, [])})
    for index in suspects:
        if SUSPECT_FLAG not in result.cells[index].flags:
            result.cells[index].flags.append(SUSPECT_FLAG)
    candidates = [i for i in suspects if "low_confidence" in result.cells[i].flags]
    fix = propose_digit_change(result.cells, review_fields, candidates)
    if fix is None:
        return
    index, value = fix
    cell = result.cells[index]
    where = f"page {cell.page}" if cell.page else (cell.ref or "")
    note = (
        f"; OCR proposal: {cell.table}.{cell.row}.{cell.col} read {cell.raw!r} ({where}); "
        f"{value} would make every check hold (kept as read)"
    )
    for check in result.checks:
        if (check.check, check.scope) in failing:
            check.detail += note
