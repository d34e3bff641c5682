"""HTML reports (saved web pages, Word "save as web page") → `Layout`, standard library only.

The page is parsed into a small element tree; data tables become grid lines (row/col spans
expanded), everything else becomes prose lines at block boundaries. A table that contains another
table is page layout, not data, so it is read as blocks.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.readers import (
    CorruptDocumentError,
    TooLargeError,
    check_file_size,
    check_text_size,
)
from pipelines.extract.readers.text import UndecodableTextError, check_gb18030_plausible

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
SKIPPED = frozenset({"script", "style", "head", "template", "noscript", "svg", "object"})
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Opening one of these closes an open element of the listed kinds (HTML's implied end tags).
IMPLIED_END = {
    "p": {"p"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "thead": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "tbody": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "tfoot": {"thead", "tbody", "tfoot", "tr", "td", "th"},
}
# Implied ends never reach past these (a <p> inside a cell does not close the outer <p>).
SCOPE = frozenset({"table", "td", "th", "body", "html"})
ROW_LEVEL = frozenset({"tr", "td", "th", "thead", "tbody", "tfoot"})
MAX_SPAN = 1000
# Elements nested deeper than this are attached to the deepest allowed one (the tree walks
# recurse; real pages nest under 40 levels).
MAX_DEPTH = 200
# Grid positions one table may span after row/col spans are expanded (real tables: < 1,000).
MAX_GRID_CELLS = 200_000
# Elements one page may hold: parsing costs ~30 µs an element, and a real report page, even a
# Word export with a span per run, holds under 20,000.
MAX_ELEMENTS = 60_000

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SPACE = re.compile(r"[ \t\r\n\f]+")


class UndecodableHtmlError(CorruptDocumentError):
    """The bytes are not valid text in the declared or any fallback encoding."""


def _codec(name: str) -> str | None:
    """Return Python's codec name for a declared charset (GB family → GB18030), or None."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in {"gbk", "gb2312", "hz"} else codec


def decode_html(data: bytes) -> tuple[str, str]:
    """Given an HTML file's bytes, return (text, encoding): by BOM, else the `<meta>` charset,
    else UTF-8, else GB18030; raise UndecodableHtmlError rather than return mojibake."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                msg = f"invalid {encoding} after a byte-order mark"
                raise UndecodableHtmlError(msg) from err
    candidates = []
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        codec = _codec(declared.group(1).decode("ascii"))
        # Valid UTF-8 is almost never GBK text by accident, so a wrong GB declaration loses.
        if codec == "gb18030":
            candidates.append("utf-8")
        if codec:
            candidates.append(codec)
    candidates += ["utf-8", "gb18030"]
    for encoding in dict.fromkeys(candidates):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030":
            try:
                check_gb18030_plausible(text)
            except UndecodableTextError as err:
                raise UndecodableHtmlError(str(err)) from err
        return text, encoding
    msg = "not valid text in the declared charset, UTF-8 or GB18030"
    raise UndecodableHtmlError(msg)


@dataclass
class Node:
    """A parsed element: tag, attributes, and children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Build a forgiving element tree (implied end tags, stray end tags ignored)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count()
        closes = IMPLIED_END.get(tag)
        if closes:
            barrier = SCOPE - {"td", "th"} if tag in ROW_LEVEL else SCOPE
            if tag in {"td", "th"}:
                barrier = barrier | {"tr"}
            cut = None
            # Close the outermost open match below the barrier: a new <tr> closes the open cell
            # and the open row.
            for depth in range(len(self.stack) - 1, 0, -1):
                open_tag = self.stack[depth].tag
                if open_tag in closes:
                    cut = depth
                elif open_tag in barrier:
                    break
            if cut is not None:
                del self.stack[cut:]
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def count(self) -> None:
        """Count one more element; raise TooLargeError past `MAX_ELEMENTS`."""
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            msg = f"the HTML page has more than {MAX_ELEMENTS:,} elements (real reports: < 20,000)"
            raise TooLargeError(msg)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count()
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _has_table(node: Node) -> bool:
    """Return whether a node has a table among its descendants."""
    return any(
        isinstance(child, Node) and (child.tag == "table" or _has_table(child))
        for child in node.children
    )


def _cell_text(node: Node) -> str:
    """Return a cell's text: `<br>` and inner blocks joined without a newline, spaces collapsed."""
    parts: list[str] = []

    def walk(current: Node) -> None:
        for child in current.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in SKIPPED:
                walk(child)

    walk(node)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _span(value: str | None) -> int:
    """Return a row/col span attribute as a sane positive integer."""
    try:
        return max(1, min(int(str(value).strip()), MAX_SPAN))
    except ValueError:
        return 1


def _rows(table: Node) -> list[Node]:
    """Return a table's own rows (through thead/tbody/tfoot, not nested tables)."""
    rows = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in {"thead", "tbody", "tfoot"}:
                rows.extend(c for c in child.children if isinstance(c, Node) and c.tag == "tr")
    return rows


def table_grid(table: Node) -> list[list[str]]:
    """Given a table node, return its cell grid with row/col spans expanded: the origin cell
    keeps the text and every position it spans gets ""."""
    grid: dict[tuple[int, int], str] = {}
    rows = _rows(table)
    for r, row in enumerate(rows):
        c = 0
        for cell in row.children:
            if not isinstance(cell, Node) or cell.tag not in {"td", "th"}:
                continue
            while (r, c) in grid:
                c += 1
            rowspan, colspan = _span(cell.attrs.get("rowspan")), _span(cell.attrs.get("colspan"))
            rowspan = min(rowspan, len(rows) - r)
            if len(grid) + rowspan * colspan > MAX_GRID_CELLS:
                msg = f"a table spans more than {MAX_GRID_CELLS:,} cells (row/col spans)"
                raise CorruptDocumentError(msg)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = _cell_text(cell)
            c += colspan
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


class _LayoutWriter:
    """Walk the tree and emit prose lines and table lines in document order."""

    def __init__(self) -> None:
        self.layout = Layout()
        self.buffer: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if text:
            number = len(self.layout.lines) + 1
            self.layout.lines.append(Line([Field(text, f"line {number}")]))

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buffer.append(child)
                continue
            tag = child.tag
            if tag in SKIPPED or tag == "title":
                continue
            if tag == "br":
                self.flush()
            elif tag == "table" and not _has_table(child):
                self.flush()
                self.emit_table(child)
            elif tag in BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def emit_table(self, table: Node) -> None:
        self.tables += 1
        for child in table.children:
            if isinstance(child, Node) and child.tag == "caption":
                self.buffer.append(_cell_text(child))
                self.flush()
        for r, row in enumerate(table_grid(table), start=1):
            fields = [
                Field(text, f"table {self.tables} row {r} col {c}")
                for c, text in enumerate(row, start=1)
            ]
            self.layout.lines.append(Line(fields, in_table=True))


def html_to_layout(text: str) -> Layout:
    """Given HTML source, return its layout (tables as grid lines, other text as prose lines)."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    if any(node.tag == "table" and not _has_table(node) for node in builder.stack):
        # Its last cells are missing, and blank leaf cells would read as 0: refuse, never guess.
        msg = "the page ends inside a data table (a truncated file)"
        raise CorruptDocumentError(msg)
    writer = _LayoutWriter()
    writer.walk(builder.root)
    writer.flush()
    return writer.layout


def read_html(path: Path) -> Layout:
    """Given an HTML file, return its layout; flags the encoding when it is not UTF-8."""
    check_file_size(path, "html", "an HTML file")
    text, encoding = decode_html(path.read_bytes())
    layout = html_to_layout(text)
    check_text_size(len(layout.text), "the HTML page")
    if encoding not in {"utf-8", "utf-8-sig"}:
        layout.flags.append(f"encoding_{encoding}")
    return layout
