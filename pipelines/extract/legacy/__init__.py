"""Legacy-era (2008–2018) facts: statistics forms and sentences → `leg_*` cells and checks.

`parse_legacy(layout, text)` reads the report's statistics form if it has one (forms.py), then
the facts its sentences state (prose.py, with the form's text cut out); a form figure outranks
the same fact in prose. Values are `Cell`s with `table="legacy"`, `row="leg_…"`, `col=None`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.extract.layout import Layout
from pipelines.extract.legacy.checks import legacy_checks
from pipelines.extract.legacy.forms import FORM_MARKERS, ExtraRow, parse_form
from pipelines.extract.legacy.prose import parse_prose, prose_cells
from pipelines.extract.model import Cell, CheckResult

__all__ = ["LegacyResult", "has_legacy_markers", "parse_legacy"]

# Prose headings of legacy reports (report-formats.md §1.2, §2.2).
_PROSE_MARKERS = re.compile(r"依申请公开政府信息情况|收费及减免")


@dataclass
class LegacyResult:
    """The legacy facts of one report: cells, checks, and form rows with no `leg_*` twin."""

    cells: list[Cell] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    extra_rows: list[ExtraRow] = field(default_factory=list)
    form: str | None = None


def has_legacy_markers(text: str) -> bool:
    """Return True when a text carries a legacy statistics form's labels (§1.2)."""
    return bool(FORM_MARKERS.search(re.sub(r"\s+", "", text)))


def parse_legacy(layout: Layout, text: str) -> LegacyResult:
    """Given a legacy report's layout and text, return its `leg_*` cells, checks and extra rows."""
    prose_all = parse_prose(text)
    anchors = {key: fact.value for key, fact in prose_all.facts.items()}
    form = parse_form(layout, text, anchors)
    prose_text = text
    if form.span is not None:
        start, end = form.span
        prose_text = text[:start] + " " * (end - start) + text[end:]
    prose = parse_prose(prose_text) if form.span is not None else prose_all
    cells = list(form.cells)
    in_form = {c.row: c for c in cells}
    for cell in prose_cells(prose, text):
        form_cell = in_form.get(cell.row)
        if form_cell is None:
            cells.append(cell)
        elif form_cell.value != cell.value:
            form_cell.flags.append(f"prose_disagrees={cell.value:g}")
    checks = legacy_checks(cells, form.l2_rows, prose)
    return LegacyResult(cells, checks, form.extra_rows, form.variant)
