"""Text-layer PDF reports → `Layout`.

pypdfium2's text layer (fast) gives every page's prose and tells which pages hold the disclosure
tables (sections 二/三/四); only those pages, and the pages after them up to the `五、` heading, go
through pdfplumber's ruled-table finder (slow), which yields cells with bboxes.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import merge_edges

from pipelines.extract.geometry import (
    bbox_overlap,
    center_in_bbox,
    objects_to_bbox,
    words_to_rows,
    x_to_column,
)
from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.model import BBox
from pipelines.extract.ocr_options import OcrOptions
from pipelines.extract.readers import (
    MAX_FILE_BYTES,
    MAX_PDF_PAGES,
    UNREADABLE_SHARE,
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ImageOnlyDocumentError,
    TooLargeError,
    check_text_size,
    unreadable_share,
)

# pdfminer logs a warning per glyph for fonts without FontBBox (every Chromium print does).
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# Labels that only occur in the disclosure tables of sections 二/三/四 (whitespace removed).
TABLE_MARKERS = (
    "第二十条第",
    "本列数据的勾稽关系",
    "申请人情况",
    "结果维持",
    "本年新收政府信息公开申请数量",
    "情况统计表",
)
SECTION_FIVE = re.compile(r"^\s*五\s*[、.．]")

# CJK radical look-alikes that NFKC leaves alone (the Kangxi Radicals block is NFKC-mapped).
RADICAL_MAP = str.maketrans(
    {
        "⻘": "青",
        "⺠": "民",
        "⻓": "长",
        "⻔": "门",
        "⻢": "马",
        "⻜": "飞",
        "⻋": "车",
        "⻅": "见",
        "⻆": "角",
        "⻄": "西",
        "⻝": "食",
        "⻤": "鬼",
        "⻛": "风",
        "⻉": "贝",
        "⻚": "页",
        "⻰": "龙",
        "⻥": "鱼",
        "⻦": "鸟",
        "⻨": "麦",
        "⻩": "黄",
        "⻬": "齐",
        "⻭": "齿",
        "⻮": "龟",
        "⺟": "母",
        "⺁": "厂",
        "⺇": "几",
        "⺈": "刀",
        "⺍": "小",
        "⺮": "竹",
        "⻌": "辶",
        "⻖": "阝",
    }
)
_LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


def unusable_text_layer(texts: Sequence[str]) -> bool:
    """Return whether a PDF's text layer is glyphs without a Unicode mapping (U+FFFD or
    private-use code points for most visible characters); such a PDF is read by OCR when OCR
    is on."""
    return unreadable_share("\n".join(texts)) > UNREADABLE_SHARE


# Geometry tolerances in points.
EDGE_TOLERANCE = 1.5
MIN_EDGE = 3.0
SNAP = 3.0


def normalize_text(text: str) -> str:
    """Given extracted text, return it with CJK radical and compatibility look-alikes replaced
    by the ideographs they imitate (everything else is left as printed)."""
    if not _LOOKALIKE.search(text):
        return text
    return _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text).translate(
        RADICAL_MAP
    )


def _cell_text(raw: str | None) -> str:
    """Return a cell's text with wrapped lines joined (CJK labels wrap mid-word)."""
    if raw is None:
        return ""
    return normalize_text("".join(part.strip() for part in raw.splitlines()))


# A PDF without pages at all is empty, not damaged; pdfium refuses to load one, so a small file
# pdfium rejects is asked of pdfminer too.
EMPTY_PROBE_BYTES = 64 * 1024


def _says_encrypted(path: Path) -> bool:
    """Return whether the file names an /Encrypt dictionary (pdfium's last-error code can be
    left over from an earlier document, so its password error is checked against the bytes)."""
    with path.open("rb") as handle:
        return any(b"/Encrypt" in chunk for chunk in iter(lambda: handle.read(1 << 20), b""))


def _has_no_pages(path: Path) -> bool:
    """Return whether pdfminer opens a small file as a PDF with no pages."""
    if path.stat().st_size > EMPTY_PROBE_BYTES:
        return False
    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages) == 0
    except Exception:  # pdfminer raises many unrelated types on damaged files
        return False


def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    """Open a PDF with pypdfium2, mapping load failures onto reader errors."""
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD and _says_encrypted(path):
            msg = "the PDF is password-protected"
            raise EncryptedDocumentError(msg) from err
        if _has_no_pages(path):
            msg = "the PDF has no pages"
            raise EmptyDocumentError(msg) from err
        msg = f"pdfium cannot open the file: {err}"
        raise CorruptDocumentError(msg) from err


def pdfium_page_texts(path: Path, max_pages: int | None = None) -> list[str]:
    """Return the text layer of every page (of the first `max_pages` when given), normalised,
    via pypdfium2."""
    document = _open_pdfium(path)
    try:
        if len(document) > MAX_PDF_PAGES:
            msg = f"the PDF has {len(document):,} pages, over the {MAX_PDF_PAGES} page cap"
            raise TooLargeError(msg)
        texts: list[str] = []
        for index in range(min(len(document), max_pages or len(document))):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                texts.append("")  # a damaged page object: no text (flagged by `read_pdf`)
                continue
            textpage = page.get_textpage()
            texts.append(normalize_text(textpage.get_text_range().replace("\r\n", "\n")))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def table_pages(texts: Sequence[str]) -> list[int]:
    """Given each page's text, return the 0-based indexes of the pages to parse for tables: those
    with a table label, and the pages after them up to the one with the `五、` heading."""
    pages: list[int] = []
    carrying = False
    for index, text in enumerate(texts):
        compact = "".join(text.split())
        lines = [line for line in text.splitlines() if line.strip()]
        heading_at = next((i for i, line in enumerate(lines) if SECTION_FIVE.match(line)), None)
        # pdfium reads an upside-down page backwards.
        if any(marker in compact or marker in compact[::-1] for marker in TABLE_MARKERS):
            pages.append(index)
            carrying = True
        elif carrying and heading_at != 0:
            pages.append(index)
        if heading_at is not None:
            carrying = False
    return pages


# Row labels of the legacy L1 statistics form (report-formats.md §1.3.2), whitespace removed. Its
# rows `四、行政复议数量`/`五、行政诉讼数量` look like section headings, so the pages a long form
# runs on are found by its own labels, not by carrying on up to a `五、` heading.
LEGACY_FORM_LABELS = (
    "主动公开政府信息数", "政府网站公开政府信息数", "新闻发布会总次数", "政府网站在线访谈次数",
    "政策解读稿件发布数", "收到申请数", "申请办结数", "申请答复数", "同意公开答复数",
    "行政复议数量", "行政诉讼数量", "举报投诉数量", "依申请公开信息收取的费用", "专门机构数",
    "查阅点数", "从事政府信息公开工作人员数", "兼职人员数", "专项经费", "培训班数",
    "接受培训人员数",
)  # fmt: skip
LEGACY_FORM_MIN_LABELS = 3


def legacy_form_pages(texts: Sequence[str]) -> list[int]:
    """Given each page's text, return the 0-based indexes of the pages that print rows of a
    legacy L1 statistics form (at least three of its row labels), and of the page after each
    (its last rows may spill over)."""
    pages: set[int] = set()
    for index, text in enumerate(texts):
        compact = "".join(text.split())
        if sum(label in compact for label in LEGACY_FORM_LABELS) >= LEGACY_FORM_MIN_LABELS:
            pages.update(i for i in (index, index + 1) if i < len(texts))
    return sorted(pages)


def _prose_lines(text: str, page_number: int) -> list[Line]:
    """Return one prose `Line` per non-empty text line of a page."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            ref = f"page {page_number} line {number}"
            lines.append(Line([Field(raw.strip(), ref, page=page_number)], page=page_number))
    return lines


# The keys of an edge that merging rules reads and moves (pdfplumber copies every key of an edge
# each time it moves one, and page edges carry colours and other attributes besides).
EDGE_KEYS = ("orientation", "x0", "x1", "top", "bottom", "width", "height")


def _long_edges(page: Any, orientation: str) -> list[dict[str, Any]]:
    """Return the page's ruling edges of one orientation that are long enough to bound cells,
    with their position and size only."""
    size = "height" if orientation == "v" else "width"
    return [
        {key: edge[key] for key in EDGE_KEYS}
        for edge in page.edges
        if edge["orientation"] == orientation and float(edge[size]) >= MIN_EDGE
    ]


def _rule(x0: float, x1: float, y: float) -> dict[str, Any]:
    """Return a synthetic horizontal rule in pdfplumber's edge format."""
    return {
        "object_type": "explicit_edge",
        "orientation": "h",
        "x0": x0,
        "x1": x1,
        "top": y,
        "bottom": y,
        "width": x1 - x0,
        "height": 0.0,
    }


def missing_rules(page: Any) -> list[dict[str, Any]]:
    """Given a pdfplumber page, return synthetic horizontal rules where cell sides end without a
    rule (browser prints drop the top rule of the first row after a page break, and the bottom
    rule of a row-spanning cell cut by the break)."""
    # Cells are drawn as thin rectangles, one per row: join the segments into whole rules first.
    verticals = merge_edges(_long_edges(page, "v"), SNAP, SNAP, SNAP, SNAP)
    horizontals = merge_edges(_long_edges(page, "h"), SNAP, SNAP, SNAP, SNAP)

    def rules_at(y: float) -> list[Mapping[str, Any]]:
        return [h for h in horizontals if abs(float(h["top"]) - y) <= EDGE_TOLERANCE]

    rules = []
    for end in ("top", "bottom"):
        dangling: dict[float, list[float]] = {}
        for edge in verticals:
            y, x = float(edge[end]), float(edge["x0"])
            if not any(
                float(h["x0"]) - EDGE_TOLERANCE <= x <= float(h["x1"]) + EDGE_TOLERANCE
                for h in rules_at(y)
            ):
                key = next((k for k in dangling if abs(k - y) <= EDGE_TOLERANCE), round(y, 1))
                dangling.setdefault(key, []).append(x)
        for y, xs in dangling.items():
            # A row-spanning cell lacks the rule its neighbours have: extend theirs over it.
            sides = [float(v["x0"]) for v in verticals if abs(float(v[end]) - y) <= EDGE_TOLERANCE]
            beside = [
                h
                for h in rules_at(y)
                if float(h["x0"]) <= max(sides) + SNAP and float(h["x1"]) >= min(sides) - SNAP
            ]
            # Without a neighbouring rule, a lone dangling edge is a stray line, not a row.
            if not beside and len(xs) < 3:
                continue
            x0 = min([*xs, *(float(h["x0"]) for h in beside)])
            x1 = max([*xs, *(float(h["x1"]) for h in beside)])
            rules.append(_rule(x0, x1, y))
    return rules


def _rule_box(rule: Mapping[str, Any]) -> BBox:
    """Return a tall-enough box under a synthetic rule to test which table it belongs to."""
    return (float(rule["x0"]), float(rule["top"]), float(rule["x1"]), float(rule["top"]) + 2000.0)


def _column_edges(table: Any) -> list[float]:
    """Return the sorted x boundaries of a pdfplumber table's columns."""
    xs = sorted(
        {round(cell[0], 1) for cell in table.cells} | {round(cell[2], 1) for cell in table.cells}
    )
    merged: list[float] = []
    for x in xs:
        if not merged or x - merged[-1] > EDGE_TOLERANCE:
            merged.append(x)
    return merged


def _band_row(
    words: Sequence[Mapping[str, Any]], columns: Sequence[float], page_number: int, label: str
) -> tuple[float, Line]:
    """Return one table row rebuilt from word positions: words go to the column whose x-range
    holds their centre, and each cell's text lines (clustered by `top`) are joined in order."""
    cells: list[list[Mapping[str, Any]]] = [[] for _ in range(len(columns) - 1)]
    for word in words:
        column = x_to_column((float(word["x0"]) + float(word["x1"])) / 2, columns)
        if column is not None:
            cells[column].append(word)
    fields = []
    for col, cell_words in enumerate(cells, start=1):
        text = "".join(str(w["text"]) for row in words_to_rows(cell_words) for w in row)
        fields.append(
            Field(
                normalize_text(text),
                f"page {page_number} {label} word row col {col}",
                page=page_number,
                bbox=objects_to_bbox(cell_words),
            )
        )
    top = min(float(w["top"]) for w in words)
    return top, Line(fields, in_table=True, page=page_number)


def _table_page_lines(
    page: Any, page_number: int, layout: Layout, *, ruled_fix: bool = True
) -> list[Line]:
    """Return a table page's lines (prose lines and table rows) in top-to-bottom order."""
    rules = missing_rules(page)
    settings = {"explicit_horizontal_lines": rules} if rules and ruled_fix else {}
    tables = page.find_tables(table_settings=settings)
    if rules:
        layout.flags.append(f"page_{page_number}_row_without_top_rule")
    items: list[tuple[float, Line]] = []
    boxes: list[BBox] = []
    for table_number, table in enumerate(tables, start=1):
        boxes.append(tuple(table.bbox))
        label = f"table {table_number}"
        for row_number, (row, texts) in enumerate(
            zip(table.rows, table.extract(), strict=True), start=1
        ):
            fields = [
                Field(
                    _cell_text(text),
                    f"page {page_number} {label} row {row_number} col {col}",
                    page=page_number,
                    bbox=tuple(cell) if cell is not None else None,
                )
                for col, (cell, text) in enumerate(zip(row.cells, texts, strict=True), start=1)
            ]
            items.append((float(row.bbox[1]), Line(fields, in_table=True, page=page_number)))
    leftover = [
        word
        for word in page.extract_words(use_text_flow=False)
        if not any(center_in_bbox(word, box) for box in boxes)
    ]
    # If the ruled parse still left a borderless row out (its cell sides end above the table's
    # top), rebuild it from word positions with the table's column boundaries.
    claimed: set[int] = set()
    for rule in rules:
        below = [
            (box, table)
            for box, table in zip(boxes, tables, strict=True)
            if box[1] > rule["top"] - EDGE_TOLERANCE and bbox_overlap(box, _rule_box(rule))
        ]
        if not below:
            continue
        box, table = min(below, key=lambda pair: pair[0][1])
        if box[1] <= rule["top"] + SNAP:
            continue  # the ruled parse took the row in
        band = (rule["x0"], rule["top"], rule["x1"], box[1])
        inside = [w for w in leftover if id(w) not in claimed and center_in_bbox(w, band)]
        if inside:
            claimed.update(id(w) for w in inside)
            number = tables.index(table) + 1
            items.append(_band_row(inside, _column_edges(table), page_number, f"table {number}"))
    prose = [w for w in leftover if id(w) not in claimed]
    for number, row in enumerate(words_to_rows(prose), start=1):
        text = normalize_text(" ".join(str(w["text"]) for w in row))
        field = Field(
            text,
            f"page {page_number} text line {number}",
            page=page_number,
            bbox=objects_to_bbox(row),
        )
        items.append((float(row[0]["top"]), Line([field], page=page_number)))
    items.sort(key=lambda item: item[0])
    return [line for _, line in items]


def text_angle(page: Any) -> int:
    """Given a pdfplumber page, return the direction its text runs in as displayed (0, 90, 180
    or 270 degrees; 0 = left to right)."""
    angles: Counter[int] = Counter()
    for char in page.chars:
        a, b = float(char["matrix"][0]), float(char["matrix"][1])
        angles[round(math.degrees(math.atan2(b, a)) / 90) % 4 * 90] += 1
    return angles.most_common(1)[0][0] if angles else 0


def _upright_copy(path: Path, index: int, turn: int) -> Any:
    """Return a pdfplumber PDF holding only page `index`, turned so its text reads upright."""
    source = _open_pdfium(path)
    single = pdfium.PdfDocument.new()
    try:
        single.import_pages(source, [index])
        page = single[0]
        page.set_rotation((page.get_rotation() + turn) % 360)
        buffer = io.BytesIO()
        single.save(buffer)
    finally:
        single.close()
        source.close()
    buffer.seek(0)
    return pdfplumber.open(buffer)


def _table_page(path: Path, pdf: Any, index: int, layout: Layout) -> list[Line]:
    """Return the lines of a table page read by pdfplumber, turned upright first if sideways."""
    page_number = index + 1
    page = pdf.pages[index]
    turn = text_angle(page)
    if turn == 0:
        return _table_page_lines(page, page_number, layout)
    # Sideways text (a /Rotate page or a landscape table turned on a portrait page): the
    # ruled-table finder needs rows to run horizontally.
    layout.flags.append(f"page_{page_number}_rotated_{turn}")
    with _upright_copy(path, index, turn) as upright:
        return _table_page_lines(upright.pages[0], page_number, layout)


def plumber_pages(texts: Sequence[str]) -> list[int]:
    """Given every page's pypdfium2 text, return the 0-based pages `read_pdf` parses with
    pdfplumber: the disclosure tables' pages and the legacy national form's."""
    return sorted(set(table_pages(texts)) | set(legacy_form_pages(texts)))


def read_pdf(path: Path, ocr: OcrOptions | None = None) -> Layout:
    """Given a text-layer PDF report, return its layout: prose lines from pypdfium2 and the
    disclosure tables' rows (cells with page and bbox) from pdfplumber.

    A table page that pdfplumber cannot parse (a damaged page object) makes the file `corrupt`:
    its flat text would misplace the cells. A PDF without a usable text layer (no text, or
    glyphs without a Unicode mapping) is read by OCR with `ocr` (`readers/ocr.py`), else it is
    `image_only`."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES["pdf"]:
        msg = f"a PDF of {size >> 20} MB, over the {MAX_FILE_BYTES['pdf'] >> 20} MB cap"
        raise TooLargeError(msg)
    texts = pdfium_page_texts(path)
    if not texts:
        msg = "the PDF has no pages"
        raise EmptyDocumentError(msg)
    if not any(text.strip() for text in texts) or unusable_text_layer(texts):
        if ocr is not None:
            from pipelines.extract.readers.ocr import read_scanned_pdf

            return read_scanned_pdf(path, ocr)
        msg = f"none of the {len(texts)} pages has a text layer"
        raise ImageOnlyDocumentError(msg)
    check_text_size(sum(len(text) for text in texts), "the PDF")
    layout = Layout(pages=len(texts))
    wanted = set(plumber_pages(texts))
    try:
        pdf = pdfplumber.open(path)
    except Exception as err:  # pdfminer raises many unrelated types on damaged files
        msg = f"pdfplumber cannot open the file: {err}"
        raise CorruptDocumentError(msg) from err
    try:
        for index, text in enumerate(texts):
            page_number = index + 1
            if index in wanted:
                try:
                    lines = _table_page(path, pdf, index, layout)
                except Exception as err:  # pdfminer raises many unrelated types on damage
                    # The flat text of a table page misreads its cells: refuse, never guess.
                    msg = (
                        f"page {page_number} holds the disclosure tables but its content "
                        f"cannot be parsed ({err.__class__.__name__}: {err})"
                    )
                    raise CorruptDocumentError(msg[:400]) from err
                layout.lines.extend(lines)
            else:
                layout.lines.extend(_prose_lines(text, page_number))
    finally:
        # pdfplumber's close() walks every page again; a damaged page tree raises there too.
        with contextlib.suppress(Exception):
            pdf.close()
    empty = [str(i + 1) for i, text in enumerate(texts) if not text.strip()]
    if empty:
        layout.flags.append("pages_without_text:" + ",".join(empty))
    return layout
