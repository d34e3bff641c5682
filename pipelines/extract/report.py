"""Assemble one report from a `Layout`: metadata, the three modern tables, sum checks."""

from __future__ import annotations

import re

from pipelines.extract.document import read_metadata
from pipelines.extract.genre import blank_form, recognise_genre
from pipelines.extract.labels import core, normalize
from pipelines.extract.layout import Layout
from pipelines.extract.legacy import has_legacy_markers, parse_legacy
from pipelines.extract.legacy.checks import req_prose_match
from pipelines.extract.legacy.forms import ExtraRow
from pipelines.extract.model import Cell, Era, ExtractResult, Reason
from pipelines.extract.prose_settle import find_statements
from pipelines.extract.readers import UNREADABLE_SHARE, unreadable_share
from pipelines.extract.sum_checks import run_checks
from pipelines.extract.tables.proactive import CAPTION, parse_proactive
from pipelines.extract.tables.requests import parse_requests
from pipelines.extract.tables.review_litigation import parse_review_litigation
from pipelines.extract.tokens import Token, line_to_tokens

_T4_START = frozenset({"行政复议", "行政诉讼"})
# A T4 header run together into one label (`行政复议行政诉讼结果维持…`, `行政复议 行政诉讼`).
_T4_RUN_TOGETHER = re.compile(r"行政复议.{0,8}行政诉讼.{0,6}结果维持|^行政复议.{0,3}行政诉讼$")
_T4_INCLUDES_CARRIED = re.compile(r"(复议|诉讼)[^。]{0,20}含上一?年度?结转")
_NEXT_SECTION = re.compile(r"^[五六七][、.．]")
_T3_HEADER = ("勾稽关系", "申请人情况")


def _first(labels: list[list[str]], start: int, test: object) -> int | None:
    """Return the index of the first line at or after `start` with a label passing `test`
    (`labels`: each line's normalised labels)."""
    for index in range(start, len(labels)):
        if any(test(label) for label in labels[index]):  # type: ignore[operator]
            return index
    return None


def find_regions(token_lines: list[list[Token]]) -> dict[str, tuple[int, int]]:
    """Return the line ranges of the T2, T3 and T4 tables, located by their own labels (never by
    section numbers, which some reports restart): T2 from its first `第二十条` caption, T3 from
    its header or `本年新收` row, T4 from a bare `行政复议` header cell; each ends where the next
    begins, and T4 at the next section heading (五/六)."""
    regions: dict[str, tuple[int, int]] = {}
    labels = [[normalize(tok.text) for tok in line if tok.is_label] for line in token_lines]
    t2_start = _first(labels, 0, lambda t: bool(CAPTION.search(t)))
    # Prose in section 一 may mention 本年新收 before the tables: look after T2 when there is one.
    t3_row = _first(labels, t2_start or 0, lambda t: "本年新收" in t)
    t3_start = None
    if t3_row is not None:
        header = _first(labels, max(0, t3_row - 12), lambda t: any(h in t for h in _T3_HEADER))
        t3_start = header if header is not None and header <= t3_row else t3_row
    after_t3 = t3_row if t3_row is not None else 0
    t4_start = _first(
        labels, after_t3, lambda t: core(t) in _T4_START or _T4_RUN_TOGETHER.search(t)
    )
    end = len(labels)
    if t4_start is not None:
        t4_end = _first(labels, t4_start + 1, lambda t: bool(_NEXT_SECTION.match(t)))
        regions["review_litigation"] = (t4_start, t4_end if t4_end is not None else end)
    if t3_start is not None:
        regions["requests"] = (t3_start, t4_start if t4_start is not None else end)
    if t2_start is not None and (t3_start is None or t2_start < t3_start):
        regions["proactive"] = (t2_start, t3_start if t3_start is not None else end)
    return regions


def parse_report(layout: Layout, result: ExtractResult, file_name: str) -> ExtractResult:
    """Given a document layout and a result holding its source facts, fill in and return it.

    Quarantines: no text → `empty`; not an annual report (another genre, a blank template, a
    list page: `genre.recognise_genre`) → `not_a_report`; several reports in one file →
    `multiple_reports`; a 2019+ report without any of tables 二/三/四 → `no_tables_found`.
    """
    text = layout.source_text if layout.source_text is not None else layout.text
    if not text.strip():
        return result.quarantine(Reason.EMPTY, "the document has no text")
    if unreadable_share(text) > UNREADABLE_SHARE:
        return result.quarantine(
            Reason.IMAGE_ONLY,
            "the text layer is unreadable (glyphs without a Unicode mapping); it needs OCR",
        )
    meta = read_metadata(text, file_name)
    result.document.agency = meta.agency
    result.document.year = meta.year
    result.document.flags.extend(layout.flags + meta.flags)
    token_lines = [line_to_tokens(line) for line in layout.lines]
    regions = find_regions(token_lines)
    genre = recognise_genre(text, layout.lines, has_tables=bool(regions))
    if genre is not None:
        return result.quarantine(genre.reason, genre.detail)
    eras: dict[str, Era] = {}
    review_fields = None
    statements = find_statements(layout.lines, meta.year, layout.source_text) if regions else []
    if "proactive" in regions:
        start, end = regions["proactive"]
        proactive = parse_proactive(token_lines[start:end], statements)
        if proactive:
            result.cells.extend(proactive.cells)
            if proactive.era:
                eras["proactive"] = proactive.era
    if "requests" in regions:
        start, end = regions["requests"]
        requests = parse_requests(token_lines[start:end], statements)
        if requests:
            result.cells.extend(requests.cells)
            eras["requests"] = requests.era
            if requests.missing_rows:
                result.document.flags.append(
                    "requests_rows_missing:" + ",".join(requests.missing_rows)
                )
    if "review_litigation" in regions:
        start, end = regions["review_litigation"]
        review = parse_review_litigation(token_lines[start:end])
        if _T4_INCLUDES_CARRIED.search(normalize(text)):
            # `注：行政复议、行政诉讼数量含上年度结转数量` changes what the counts mean (§4.9).
            result.document.flags.append("review_counts_include_carried_over")
            for cell in review.cells:
                cell.flags.append("includes_carried_over")
        result.cells.extend(review.cells)
        review_fields = review.printed_fields
    if blank := blank_form(text, result.cells):
        result.cells = []  # blank cells of a template are no facts, not even zeros
        return result.quarantine(blank.reason, blank.detail)
    if not meta.is_report and not result.cells:
        return result.quarantine(
            Reason.NOT_A_REPORT,
            f"no annual-report title and no disclosure tables (title: {meta.title!r})",
        )
    if eras:
        result.document.era = eras.get("proactive", eras.get("requests"))
        # §1.2: the era is decided per table; a report may mix templates (2021 T2, 2019 T3).
        result.document.flags.extend(f"{table}_era={era}" for table, era in sorted(eras.items()))
        if len(set(eras.values())) > 1:
            result.document.flags.append("mixed_templates")
        if meta.year and _year_era(meta.year) != result.document.era:
            result.document.flags.append("era_mismatch")
        extra_checks = req_prose_match(result.cells, text)
    elif meta.year is not None and meta.year >= 2019 and not has_legacy_markers(text):
        return result.quarantine(
            Reason.NO_TABLES_FOUND, f"a {meta.year} report without tables 二/三/四"
        )
    elif meta.year is None:
        # Prose facts need the year they are about; a text naming no year anywhere (title,
        # statistics period, file name) and holding no tables is about reports, not one.
        return result.quarantine(
            Reason.NOT_A_REPORT,
            f"no report year in the title, the text or the file name, and no disclosure tables"
            f" (title: {meta.title!r})",
        )
    else:
        result.document.era = Era.LEGACY
        legacy = parse_legacy(layout, text)
        if layout.source_text is None:
            _locate_text_lines(legacy.cells, layout)
        result.cells.extend(legacy.cells)
        result.cells.extend(extra_row_cells(legacy.extra_rows))
        extra_checks = legacy.checks
    result.checks = run_checks(result.cells, review_fields) + extra_checks
    return result


def _locate_text_lines(cells: list[Cell], layout: Layout) -> None:
    """Give cells located by a line of `layout.text` (`line 12`, prose facts) that line's page and
    field reference, for formats whose text is built from the layout (PDF, HTML, DOCX)."""
    for cell in cells:
        match = re.fullmatch(r"line (\d+)", cell.ref or "")
        index = int(match.group(1)) - 1 if match else -1
        if 0 <= index < len(layout.lines) and layout.lines[index].fields:
            source = layout.lines[index].fields[0]
            cell.page = cell.page or source.page or layout.lines[index].page
            cell.bbox = cell.bbox or source.bbox
            cell.ref = source.ref


def extra_row_cells(rows: list[ExtraRow]) -> list[Cell]:
    """Return legacy form rows that have no `leg_*` twin as cells of table `legacy_extra`,
    keyed by their printed label (§4.10: kept, never forced into another row's key)."""
    cells: list[Cell] = []
    for row in rows:
        flags = [row.kind] + (
            [f"cumulative={row.cumulative:g}"] if row.cumulative is not None else []
        )
        cells.append(
            Cell("legacy_extra", row.label, None, row.label, row.value, ref=row.ref,
                 unit=row.unit, flags=flags)
        )  # fmt: skip
    return cells


def _year_era(year: int) -> Era:
    """Return the era a report year suggests (a prior only: the layout decides)."""
    return Era.LEGACY if year <= 2018 else Era.T2019 if year <= 2020 else Era.T2021
