"""`make review`: an offline evidence site, `docs/review/index.html` plus one page per report,
showing each report's grade and its failing checks with both sides of each sum; for PDFs the
page region with the involved cells outlined, for text formats the printed lines."""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pypdfium2 as pdfium
from PIL import ImageDraw

from pipelines.settings import Settings

GRADE_ORDER = ("source_defect", "extraction_suspect", "derived_totals", "clean", "quarantined")
GRADE_WORDS = {
    "source_defect": "the report's own numbers do not add up",
    "extraction_suspect": "we may have misread the report",
    "derived_totals": "blank totals were derived from their parts",
    "clean": "every check evaluated passes",
    "quarantined": "the file was not ingested",
}
SIDE_COLOURS = {"left": (220, 30, 30), "right": (30, 80, 220), "right_subtracted": (30, 80, 220)}
RENDER_SCALE = 2.0
MARGIN_POINTS = 24.0
LONG_LINE = 300
STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}
body{max-width:70em}
table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left}
.grade{font-weight:bold;padding:.1em .4em;border-radius:.3em}
.source_defect{background:#fdd}.extraction_suspect{background:#fec}.derived_totals{background:#eef}
.clean{background:#dfd}.quarantined{background:#ddd}
.left{color:#c11}.right,.right_subtracted{color:#15c}mark{background:#ff6}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}img{max-width:100%;border:1px solid #999}
"""


@dataclass
class Report:
    """One report file as the review site shows it."""

    report_id: str
    agency: str | None
    report_year: int | None
    source_format: str | None
    grade: str
    reason: str
    checks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def page_name(self) -> str:
        """Return the file name of the report's page (readable and unique)."""
        stem = re.sub(r"[^A-Za-z0-9]+", "_", self.report_id).strip("_")[:60]
        digest = hashlib.md5(self.report_id.encode()).hexdigest()[:8]  # a file name, not security
        return f"{stem}_{digest}.html"


def load_reports(conn: duckdb.DuckDBPyConnection) -> list[Report]:
    """Given a warehouse connection, return every report with its grade and failing checks."""
    reports = {
        row[0]: Report(*row)
        for row in conn.execute(
            "select q.report_id, q.agency, q.report_year, d.source_format, q.grade, q.reason"
            " from qa_report_quality as q join dim_report as d using (report_id)"
            " order by q.report_id"
        ).fetchall()
    }
    cursor = conn.execute(
        "select report_id, check_id, check_scope, compared_report_id, check_family, comparison,"
        " left_value, right_value, difference, check_detail, failure_class, cells"
        " from qa_check_results where is_failure"
        " order by report_id, check_family = 'cross_report', check_id, check_scope"
    )
    names = [column[0] for column in cursor.description]
    for row in cursor.fetchall():
        check = dict(zip(names, row, strict=True))
        if check["report_id"] in reports:
            reports[check["report_id"]].checks.append(check)
    return list(reports.values())


def number_text(value: float | None) -> str:
    """Given a number (or None), return it as printed on the page: `29`, `76.2` or `?`."""
    if value is None:
        return "?"
    return f"{value:g}"


def cell_bbox(cell: dict[str, Any]) -> tuple[float, float, float, float] | None:
    """Given a check cell, return its bbox (x0, top, x1, bottom) in PDF points, or None."""
    bbox = cell.get("bbox")
    if not bbox or any(v is None for v in bbox):
        return None
    x0, top, x1, bottom = bbox
    return float(x0), float(top), float(x1), float(bottom)


def bboxes_to_region(
    boxes: list[tuple[float, float, float, float]], width: float, height: float
) -> tuple[float, float, float, float]:
    """Given cell bboxes on one page, return the page region around them: the page's full width
    (so the printed row labels show) and their height with a margin."""
    top = max(0.0, min(b[1] for b in boxes) - MARGIN_POINTS)
    bottom = min(height, max(b[3] for b in boxes) + MARGIN_POINTS)
    return 0.0, top, width, bottom


def render_check_region(
    pdf: pdfium.PdfDocument, page_number: int, cells: list[dict[str, Any]], target: Path
) -> bool:
    """Given an open PDF, a 1-based page and the check's cells on it, write a PNG of the page
    region with each cell outlined (red: left side, blue: right side); False if none has a bbox."""
    boxes = [(cell, box) for cell in cells if (box := cell_bbox(cell))]
    if not boxes or not 1 <= page_number <= len(pdf):
        return False
    page = pdf[page_number - 1]
    width, height = page.get_size()
    image = page.render(scale=RENDER_SCALE).to_pil().convert("RGB")
    draw = ImageDraw.Draw(image)
    for cell, (x0, top, x1, bottom) in boxes:
        colour = SIDE_COLOURS.get(cell.get("side") or "left", (220, 30, 30))
        draw.rectangle(
            [
                x0 * RENDER_SCALE - 2,
                top * RENDER_SCALE - 2,
                x1 * RENDER_SCALE + 2,
                bottom * RENDER_SCALE + 2,
            ],
            outline=colour,
            width=3,
        )
    region = bboxes_to_region([box for _, box in boxes], width, height)
    image.crop(tuple(int(v * RENDER_SCALE) for v in region)).save(target)
    return True


def line_number(cell_ref: str | None) -> int | None:
    """Given a text cell ref (`line 10 piece 2`, `line 212 field 3`), return its line number."""
    match = re.match(r"line (\d+)", cell_ref or "")
    return int(match.group(1)) if match else None


def line_excerpts(line: str, labels: list[str]) -> list[str]:
    """Given a printed line and the involved rows' labels, return the line (short) or the
    windows of it that start at each label (a long flowed line), as HTML with labels marked."""
    if len(line) <= LONG_LINE:
        excerpts = [line]
    else:
        excerpts = []
        for label in labels:
            core = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]?", "", label)[:8]
            position = line.find(core) if core else -1
            if position >= 0:
                excerpts.append("…" + line[max(0, position - 10) : position + 140] + "…")
        excerpts = list(dict.fromkeys(excerpts)) or [line[:LONG_LINE] + "…"]
    marked = []
    for excerpt in excerpts:
        text = html.escape(excerpt)
        for label in sorted(set(labels), key=len, reverse=True):
            if label:
                text = text.replace(html.escape(label), f"<mark>{html.escape(label)}</mark>")
        marked.append(text)
    return marked


def cells_table(cells: list[dict[str, Any]], labels: dict[tuple[str, str], str]) -> str:
    """Given a check's cells, return an HTML table: side, row, column, printed, value, where."""
    rows = []
    for cell in cells:
        side = cell.get("side") or ""
        row_label = labels.get(("row", cell.get("row_key") or ""), "")
        col_label = labels.get(("col", cell.get("col_key") or ""), "")
        where = f"page {cell['page']}" if cell.get("page") else (cell.get("cell_ref") or "")
        derived = " (derived)" if cell.get("is_derived") else ""
        rows.append(
            f"<tr class='{html.escape(side)}'><td>{html.escape(side)}</td>"
            f"<td>{html.escape(cell.get('row_key') or '')} {html.escape(row_label)}</td>"
            f"<td>{html.escape(cell.get('col_key') or '')} {html.escape(col_label)}</td>"
            f"<td>{html.escape(cell.get('raw_text') or '')}</td>"
            f"<td>{number_text(cell.get('value'))}{derived}</td>"
            f"<td>{html.escape(str(where))}</td></tr>"
        )
    names = ("side", "row", "column", "printed", "value", "where")
    head = "<tr>" + "".join(f"<th>{name}</th>" for name in names) + "</tr>"
    return f"<table class='cells'>{head}{''.join(rows)}</table>"


def side_sum(check: dict[str, Any], side: str) -> str:
    """Given a check, return one side of its relation as `a + b + … = total` text."""
    parts = [c for c in check["cells"] if (c.get("side") or "").startswith(side)]
    value = check["left_value"] if side == "left" else check["right_value"]
    terms = " + ".join(number_text(c.get("value")) for c in parts)
    return f"{terms} = {number_text(value)}" if len(parts) > 1 else number_text(value)


def check_section(
    report: Report,
    check: dict[str, Any],
    index: int,
    evidence: str,
    labels: dict[tuple[str, str], str],
) -> str:
    """Given a failing check and its rendered evidence, return its HTML section."""
    title = f"{check['check_id']} on {check['check_scope'] or '—'}"
    compared = (
        f"<p>compared with the earlier report {html.escape(check['compared_report_id'])}</p>"
        if check.get("compared_report_id")
        else ""
    )
    return (
        f"<section class='check' id='check-{index}'><h2>{html.escape(title)}</h2>{compared}"
        f"<p>class: <b>{html.escape(check.get('failure_class') or 'failed')}</b>; "
        f"{html.escape(check.get('check_detail') or '')}</p>"
        "<table class='sides'><tr><th>left side</th>"
        f"<td class='left-side'>{side_sum(check, 'left')}</td></tr>"
        f"<tr><th>{html.escape(check.get('comparison') or '=')} right side</th>"
        f"<td class='right-side'>{side_sum(check, 'right')}</td></tr>"
        f"<tr><th>difference</th><td>{number_text(check.get('difference'))}</td></tr></table>"
        f"{cells_table(check['cells'], labels)}{evidence}</section>"
    )


def pdf_evidence(
    pdf: pdfium.PdfDocument | None, report: Report, check: dict[str, Any], index: int, out_dir: Path
) -> str:
    """Given a PDF report's failing check, write one outlined image per page it touches and
    return the HTML that shows them."""
    if pdf is None:
        return "<p>(the PDF is not in the raw folder: no page image)</p>"
    by_page: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cell in check["cells"]:
        if cell.get("page") and cell.get("report_id", report.report_id) == report.report_id:
            by_page[int(cell["page"])].append(cell)
    parts = []
    for page_number, cells in sorted(by_page.items()):
        name = f"{report.page_name[:-5]}_c{index}_p{page_number}.png"
        if render_check_region(pdf, page_number, cells, out_dir / "img" / name):
            parts.append(
                f"<figure><img class='outlined' src='img/{name}'"
                " onload='this.dataset.loaded=this.naturalWidth'"
                f" alt='page {page_number} with the cells of {html.escape(check['check_id'])}"
                f" outlined'><figcaption>page {page_number}:"
                " red = left side, blue = right side</figcaption></figure>"
            )
    return "".join(parts) or "<p>(no cell of this check has a bounding box)</p>"


def text_evidence(
    lines: list[str] | None, check: dict[str, Any], labels: dict[tuple[str, str], str]
) -> str:
    """Given a text report's lines and a failing check, return the printed lines involved."""
    if lines is None:
        return ""
    wanted: dict[int, list[str]] = defaultdict(list)
    for cell in check["cells"]:
        number = line_number(cell.get("cell_ref"))
        if number and 1 <= number <= len(lines):
            wanted[number].append(labels.get(("row", cell.get("row_key") or ""), ""))
    blocks = [
        f"<pre class='line'>line {number}: {excerpt}</pre>"
        for number, row_labels in sorted(wanted.items())
        for excerpt in line_excerpts(lines[number - 1], row_labels)
    ]
    return "".join(blocks)


def page_html(title: str, body: str) -> str:
    """Given a title and body HTML, return a whole standalone page."""
    return (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body>{body}</body></html>"
    )


def report_page(
    report: Report, raw_dir: Path, out_dir: Path, labels: dict[tuple[str, str], str]
) -> str:
    """Given a report, write its evidence images and return its page's HTML."""
    source = raw_dir / report.report_id
    pdf = None
    lines = None
    if report.checks and source.is_file():
        if report.source_format == "pdf":
            pdf = pdfium.PdfDocument(source)
        elif report.source_format in ("txt", "md"):
            lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    sections = []
    for index, check in enumerate(report.checks, start=1):
        if report.source_format == "pdf":
            evidence = pdf_evidence(pdf, report, check, index, out_dir)
        else:
            evidence = text_evidence(lines, check, labels)
        sections.append(check_section(report, check, index, evidence, labels))
    if pdf is not None:
        pdf.close()
    heading = (
        "<p><a href='index.html'>← all reports</a></p>"
        f"<h1>{html.escape(report.agency or '(agency unresolved)')}"
        f" · {report.report_year or '?'}</h1><p>file: <code>{html.escape(report.report_id)}</code>"
        f" ({html.escape(report.source_format or '?')})</p>"
        f"<p>grade: <span class='grade {report.grade}'>{report.grade}</span>"
        f" ({GRADE_WORDS.get(report.grade, '')}): {html.escape(report.reason or '')}</p>"
    )
    body = (
        f"<h2>{len(report.checks)} failing checks</h2>{''.join(sections)}"
        if report.checks
        else "<p>No check fails on this report.</p>"
    )
    return page_html(
        f"{report.agency or report.report_id} {report.report_year or ''}", heading + body
    )


def index_html(reports: list[Report]) -> str:
    """Given every report, return the index page: by grade, then by agency and year."""
    rank = {grade: i for i, grade in enumerate(GRADE_ORDER)}

    def row(report: Report) -> str:
        return (
            f"<tr><td><span class='grade {report.grade}'>{report.grade}</span></td>"
            f"<td>{html.escape(report.agency or '')}</td><td>{report.report_year or ''}</td>"
            f"<td>{len(report.checks)}</td>"
            f"<td><a href='{report.page_name}'>{html.escape(report.report_id)}</a></td></tr>"
        )

    head = (
        "<tr><th>grade</th><th>agency</th><th>year</th><th>failing checks</th><th>report</th></tr>"
    )
    by_grade = sorted(
        reports,
        key=lambda r: (rank.get(r.grade, 99), r.agency or "", r.report_year or 0, r.report_id),
    )
    by_agency = sorted(reports, key=lambda r: (r.agency or "~", r.report_year or 0, r.report_id))
    counts = ", ".join(f"{grade} {sum(r.grade == grade for r in reports)}" for grade in GRADE_ORDER)
    body = (
        "<h1>Disclosure reports: evidence by grade</h1>"
        f"<p>{len(reports)} report files: {counts}.</p>"
        "<p>Each report's page shows its grade and every failing check with both sides of the sum;"
        " PDF pages are shown with the cells involved outlined.</p>"
        f"<h2 id='by-grade'>By grade</h2><table id='reports-by-grade'>{head}"
        f"{''.join(row(r) for r in by_grade)}</table>"
        f"<h2 id='by-agency'>By agency and year</h2><table id='reports-by-agency'>{head}"
        f"{''.join(row(r) for r in by_agency)}</table>"
    )
    return page_html("Disclosure reports: evidence", body)


def load_labels(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """Given a warehouse connection, return {(row|col, key): printed label} for T3/T4 keys."""
    rows = conn.execute(
        "select key_kind, key, label_zh from template_labels"
        " where key_kind in ('row', 'col') order by template_era desc"
    ).fetchall()
    return {(kind, key): label for kind, key, label in rows}


def build_review(warehouse: Path, raw_dir: Path, out_dir: Path) -> list[Report]:
    """Given the published warehouse and its raw folder, write the evidence site into `out_dir`
    (replacing it) and return the reports. Raises FileNotFoundError without a warehouse."""
    if not warehouse.exists():
        msg = f"no warehouse at {warehouse}: run `make run` first"
        raise FileNotFoundError(msg)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        reports = load_reports(conn)
        labels = load_labels(conn)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "img").mkdir(parents=True)
    for report in reports:
        page = report_page(report, raw_dir, out_dir, labels)
        (out_dir / report.page_name).write_text(page, encoding="utf-8")
    (out_dir / "index.html").write_text(index_html(reports), encoding="utf-8")
    return reports


def main(argv: list[str] | None = None) -> None:
    """Write the evidence site of the configured warehouse and raw folder."""
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse_path)
    parser.add_argument("--raw", type=Path, default=settings.raw_dir)
    parser.add_argument("--out", type=Path, default=settings.root / "docs" / "review")
    args = parser.parse_args(argv)
    reports = build_review(args.warehouse, args.raw, args.out)
    failing = sum(bool(r.checks) for r in reports)
    print(
        f"evidence site: {args.out / 'index.html'}"
        f" ({len(reports)} reports, {failing} with failing checks)"
    )


if __name__ == "__main__":
    main()
