"""Markdown reports (`.md`, or text holding pipe tables; report-formats.md §4.13) → `Layout`.

PDF/Word-to-Markdown converters turn the statutory tables into pipe tables (or HTML `<table>`
blocks inside the Markdown) and the rest into paragraphs with markup. This reader undoes what
they do so that the label-matching table parsers see the same lines as for any other format:

* pipe tables become table lines, one field per cell (`\\|` stays inside its cell); the rule
  row (`|---|`), placeholder headers (`Column1`, `Unnamed: 0`, `数据1`) and a pandas index
  column are dropped; `nan` cells are blank;
* a merged cell written into every position it spans (`| 行政复议 | 行政复议 |`, or the parent
  label repeated on each child row) keeps its text in the first position only, as the HTML
  reader's grids do;
* a label printed in a row of its own, its values in the next row (or in the next table, after
  a page break), is joined back into one line;
* HTML tables go through the HTML reader's own code (`readers.html`);
* markup leaves prose and cells alike: heading markers, emphasis, links, images, inline HTML,
  `<br>`, backslash escapes and entities; so the title line the metadata reads is plain text.

Every field keeps the line number in the Markdown file as its provenance (`line 12 col 3`), and
`Layout.source_text` is the cleaned text line for line with the file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.extract.labels import (
    PROACTIVE_ROWS,
    REQUEST_ROWS,
    REVIEW_HEADER_WORDS,
    match_label,
    normalize,
)
from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.numbers import is_value_text
from pipelines.extract.readers import (
    check_file_size,
    check_text_size,
)
from pipelines.extract.readers.html import html_to_layout
from pipelines.extract.readers.pdf import normalize_text
from pipelines.extract.readers.text import decode_bytes, split_flow_line
from pipelines.extract.tokens import PAGE_MARKER

# --- inline markup --------------------------------------------------------------------------

# Markdown's backslash escapes (CommonMark: any ASCII punctuation).
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Escaped characters are parked in the private-use area while markup is removed.
_PARK = 0xF0000
_BR = re.compile(r"<br\s*/?>", re.I)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|[^>\s@]+@[^>\s@]+)>", re.I)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# CJK text puts emphasis right against other characters (`*强调*与`): no word-boundary test.
_EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")
_STRIKE = re.compile(r"~~(.+?)~~")
_CODE = re.compile(r"`+([^`]*)`+")
_LEFTOVER_STRONG = re.compile(r"\*\*|__")

# --- block markup ---------------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}#{1,6}(?=\s|$)\s*(.*?)(?:\s+#+)?\s*$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(?=[^\s\d+\-.])")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|={3,})$")
_FENCE = re.compile(r"^\s{0,3}(?:`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.S)

# --- pipe tables ----------------------------------------------------------------------------

_PIPE = re.compile(r"(?<!\\)\|")
_RULE_CELL = re.compile(r"^:?-{3,}:?$")
_SHORT_RULE_CELL = re.compile(r"^:?-+:?$")
# Headers a converter invents when the real header is lost (pandas, Power Query, Excel).
_PLACEHOLDER = re.compile(
    r"^(?:Unnamed:\s*\d+(?:_level_\d+)?|Column\s*\d+|Col\s*\d+|Field\s*\d+|数据\s*\d+|列\s*\d+"
    r"|nan|NaN|None|null)$"
)
# OCR-based converters read digits as look-alike letters (`O`/`0`, `l`/`1`, §4.13).
_LOOKALIKE_DIGITS = re.compile(r"^(?=.*[OolI])[0-9OolI]{1,9}$")
_DIGIT_FOR = str.maketrans("OolI", "0011")
_TABLE_OPEN = re.compile(r"<table\b", re.I)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)


def _park(match: re.Match[str]) -> str:
    return chr(_PARK + ord(match.group(1)))


def _unpark(text: str) -> str:
    return "".join(chr(ord(ch) - _PARK) if _PARK <= ord(ch) < _PARK + 128 else ch for ch in text)


def clean_inline(text: str, in_cell: bool = False) -> str:
    """Given Markdown inline text, return it without markup: emphasis, links (their text kept),
    images, inline code marks, HTML tags and entities, backslash escapes; `<br>` joins a cell's
    lines (`本年新<br>制作数量` → `本年新制作数量`) and is a space in prose."""
    text = _ESCAPE.sub(_park, text)
    text = _BR.sub("" if in_cell else " ", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis (`***x***`)
        text = _STRONG.sub(r"\2", text)
        text = _EMPHASIS.sub(r"\1", text)
    text = _STRIKE.sub(r"\1", text)
    text = _LEFTOVER_STRONG.sub("", text)
    return html.unescape(_unpark(text))


def clean_prose(line: str) -> str:
    """Given one Markdown line outside tables, return its text: heading markers (`#`), quote
    marks, bullets and rules removed, then the inline markup (`clean_inline`)."""
    if _RULE.match(line) or _FENCE.match(line):
        return ""
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(1)
    line = _QUOTE.sub("", line)
    line = _BULLET.sub("", line)
    return clean_inline(line).strip()


# --- pipe tables ----------------------------------------------------------------------------


def split_row(line: str) -> list[str]:
    """Given a pipe-table row, return its raw cells (outer pipes dropped, `\\|` kept inside)."""
    text = line.strip()
    text = _QUOTE.sub("", text).strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip() for cell in _PIPE.split(text)]


def _unescaped_pipes(line: str) -> int:
    return len(_PIPE.findall(line))


def is_rule_row(cells: list[str], second: bool) -> bool:
    """Return True for a table's rule row (`|---|:--:|`): every cell a run of three or more
    dashes, or, right under the header row, of any dashes with an alignment colon."""
    cells = [c.replace(" ", "") for c in cells]
    if all(_RULE_CELL.match(c) for c in cells if c) and any(cells):
        return True
    return (
        second
        and all(_SHORT_RULE_CELL.match(c) for c in cells if c)
        and any(":" in c for c in cells)
    )


def is_table_row(line: str) -> bool:
    """Return True for a line that is a pipe-table row (`| a | b |`)."""
    text = _QUOTE.sub("", line).strip()
    pipes = _unescaped_pipes(text)
    return (text.startswith("|") and pipes >= 2) or (text.endswith("|") and pipes >= 2)


def _table_starts_without_pipes(lines: list[str], index: int) -> bool:
    """Return True when line `index` is the header of a pipe table written without outer pipes
    (`a | b` over `--- | ---`)."""
    if index + 1 >= len(lines) or _unescaped_pipes(lines[index]) < 1:
        return False
    rule = lines[index + 1]
    return _unescaped_pipes(rule) >= 1 and is_rule_row(split_row(rule), True)


@dataclass
class _Row:
    """A pipe-table row: its Markdown line number and cleaned cells."""

    number: int
    cells: list[str]


def _is_value(text: str) -> bool:
    return bool(text) and is_value_text(text)


def _valueish(text: str) -> bool:
    """Return True for a value or a value's OCR look-alike (`6O`)."""
    return _is_value(text) or bool(_LOOKALIKE_DIGITS.match(text))


def _drop_index_column(rows: list[_Row]) -> None:
    """Drop a pandas index column: a first column that counts 0, 1, 2 … (or 1, 2, 3 …) down the
    data rows under a blank header cell. Statutory tables start with a label column."""
    if len(rows) < 4 or any(len(r.cells) < 2 for r in rows):
        return
    head, body = rows[0], rows[1:]
    if head.cells[0]:
        return
    firsts = [r.cells[0] for r in body]
    for start in (0, 1):
        if firsts == [str(start + i) for i in range(len(firsts))]:
            for row in rows:
                del row.cells[0]
            return


def _merge_repeats(rows: list[_Row]) -> None:
    """Blank the copies of a merged cell that a converter wrote into every position it spans:
    a label repeated in the next column, or a parent label repeated down its child rows (only
    in the label columns of rows that carry values). Values are never touched."""
    previous: list[str] = []
    for row in rows:
        original = list(row.cells)
        for c in range(1, len(row.cells)):
            text = original[c]
            if text and text == original[c - 1] and not _valueish(text):
                row.cells[c] = ""
        first_value = next((c for c, t in enumerate(original) if _valueish(t)), None)
        if first_value is not None:
            for c in range(min(first_value, len(previous))):
                text = original[c]
                if text and text == previous[c] and not _valueish(text):
                    row.cells[c] = ""
        previous = original


def parse_pipe_table(block: list[tuple[int, str]]) -> list[_Row]:
    """Given the (line number, text) lines of one pipe table, return its rows with clean cells:
    rule rows gone, placeholder headers and `nan` blank, all-blank header rows gone, a pandas
    index column dropped, repeated merged cells blanked."""
    rows: list[_Row] = []
    for position, (number, text) in enumerate(block):
        raw = split_row(text)
        if is_rule_row(raw, position == 1):
            continue
        cells = [clean_inline(cell, in_cell=True).strip() for cell in raw]
        cells = ["" if _PLACEHOLDER.match(cell) else cell for cell in cells]
        rows.append(_Row(number, cells))
    if not block[0][1].strip().startswith("|"):
        # Without outer pipes a row's trailing empty cells are lost: GFM pads them back.
        width = max(len(row.cells) for row in rows) if rows else 0
        for row in rows:
            row.cells += [""] * (width - len(row.cells))
    _drop_index_column(rows)
    # A header row left with no text (placeholders, or a converter's empty header) is no row.
    if (
        rows
        and not any(rows[0].cells)
        and len(block) > 1
        and is_rule_row(split_row(block[1][1]), True)
    ):
        rows.pop(0)
    _merge_repeats(rows)
    return rows


# --- the layout -----------------------------------------------------------------------------


def _prose_lines(text: str, number: int) -> list[Line]:
    """Return the layout lines of one cleaned prose line, as the text reader makes them."""
    parts = text.split("\t")
    if PAGE_MARKER.match(text):  # `- 4 -` is a page number, not three values
        return [Line([Field(text, f"line {number}")])]
    if len(parts) == 1 and (flow := split_flow_line(text, number)):
        return flow
    return [
        Line(
            [
                Field(part, f"line {number}" + (f" field {i + 1}" if len(parts) > 1 else ""))
                for i, part in enumerate(parts)
            ],
            in_table=len(parts) > 1,
        )
    ]


def _html_block_end(lines: list[str], start: int) -> int:
    """Return the index of the line that closes the HTML table opened on line `start` (nested
    tables counted), or the last line when it is never closed."""
    depth = 0
    for index in range(start, len(lines)):
        depth += len(_TABLE_OPEN.findall(lines[index])) - len(_TABLE_CLOSE.findall(lines[index]))
        if depth <= 0:
            return index
    return len(lines) - 1


def _html_lines(fragment: str, number: int) -> list[Line]:
    """Return the layout lines of an HTML fragment starting on Markdown line `number`, read by
    the HTML reader, each field's ref prefixed with that line."""
    inner = html_to_layout(fragment)
    return [
        Line(
            [Field(f.text, f"line {number} {f.ref}") for f in line.fields],
            in_table=line.in_table,
        )
        for line in inner.lines
    ]


def _texts(line: Line) -> list[str]:
    return [f.text.strip() for f in line.fields]


def _labels_only(line: Line) -> bool:
    """Return True for a table line holding labels and blank cells but no value, that is no
    header of section 四 (whose value row must keep its own blank cells)."""
    texts = _texts(line)
    filled = [t for t in texts if t]
    return (
        line.in_table
        and bool(filled)
        and len(filled) < len(texts)
        and not any(_is_value(t) for t in filled)
        and not any(word in normalize(t) for t in filled for word in REVIEW_HEADER_WORDS)
    )


def _values_only(line: Line) -> bool:
    """Return True for a table line holding values and no label."""
    texts = _texts(line)
    return line.in_table and any(texts) and all(not t or _is_value(t) for t in texts)


def _complete_row(line: Line) -> bool:
    """Return True for a line holding a label and at least one value."""
    texts = [t for t in _texts(line) if t]
    return any(_is_value(t) for t in texts) and any(not _is_value(t) for t in texts)


def _row_label(line: Line) -> Field | None:
    """Return the field of a line that is one known T2/T3 row label and nothing else."""
    filled = [f for f in line.fields if f.text.strip()]
    if len(filled) != 1 or _is_value(filled[0].text.strip()):
        return None
    match = match_label(filled[0].text, REQUEST_ROWS) or match_label(filled[0].text, PROACTIVE_ROWS)
    return filled[0] if match and not (match.fuzzy or match.partial) else None


# Only rows this wide are read through look-alikes: T3 (7 columns) and T4 (15) rows, whose sums
# check the reading. A T2 row (at most 3 values, no sums) keeps them: its cells stay unread.
MIN_LOOKALIKE_ROW = 5


def read_lookalike_digits(lines: list[Line]) -> int:
    """Replace, in table rows of at least `MIN_LOOKALIKE_ROW` values, cells made only of digits
    and their OCR look-alikes (`6O`, `l3`, a lone `O`) by the digits; return how many were
    replaced. Left as they are, such cells read as labels and push the row's values out of
    place (the row would read as blank, that is zeros)."""
    replaced = 0
    for line in lines:
        if not line.in_table:
            continue
        texts = _texts(line)
        numeric = sum(_valueish(t) for t in texts)
        if numeric < MIN_LOOKALIKE_ROW:
            continue
        for index, text in enumerate(texts):
            if _LOOKALIKE_DIGITS.match(text):
                old = line.fields[index]
                line.fields[index] = Field(
                    text.translate(_DIGIT_FOR), old.ref, page=old.page, bbox=old.bbox
                )
                replaced += 1
    return replaced


def _skippable(line: Line) -> bool:
    """Return True for lines a page break leaves between two pieces of one table."""
    text = line.text.strip()
    return not text or bool(PAGE_MARKER.match(text))


def _next(lines: list[Line], index: int) -> int:
    """Return the index of the first line after `index` that is not skippable."""
    index += 1
    while index < len(lines) and _skippable(lines[index]):
        index += 1
    return index


def join_detached_labels(lines: list[Line]) -> list[Line]:
    """Put labels and values that a converter printed in separate rows back together.

    * A row of labels and blank cells, followed (across blank lines, page numbers and table
      breaks) by a row of values: joined cell by cell when both have the same width and no
      label sits over a value, else the labels become a line of their own before the values
      (the parsers then take the values that follow a bare label). A label row whose blank
      cells stayed would read as a row of zeros.
    * A row of values after a complete row, followed by a known row label alone (a PDF
      converter put the label's text under its vertically centred values): the label is moved
      before its values.
    """
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        nxt = _next(lines, index)
        if _labels_only(line) and nxt < len(lines) and _values_only(lines[nxt]):
            values = lines[nxt]
            pairs = list(zip(_texts(line), _texts(values), strict=False))
            if len(line.fields) == len(values.fields) and not any(a and b for a, b in pairs):
                fields = [
                    a if a.text.strip() else b
                    for a, b in zip(line.fields, values.fields, strict=True)
                ]
                out.append(Line(fields, in_table=True))
            else:
                labels = [f for f in line.fields if f.text.strip()]
                out.extend([Line(labels, in_table=True), values])
            index = nxt + 1
            continue
        if (
            _values_only(line)
            and out
            and _complete_row(out[-1])
            and nxt < len(lines)
            and (label := _row_label(lines[nxt])) is not None
            and not ((after := _next(lines, nxt)) < len(lines) and _values_only(lines[after]))
        ):
            out.extend([Line([label], in_table=True), line])
            index = nxt + 1
            continue
        out.append(line)
        index += 1
    return out


def markdown_to_layout(text: str) -> Layout:
    """Given Markdown text, return its layout: pipe-table and HTML-table rows as table lines,
    everything else as prose lines without markup (`source_text`: the cleaned text, line for
    line with the file)."""
    # Converters of PDFs pass on the text layer's radical look-alikes (`⼯作报告`).
    text = normalize_text(_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text))
    lines = text.splitlines()
    cleaned: list[str] = [""] * len(lines)
    out: list[Line] = []
    index = 0
    fenced = False
    while index < len(lines):
        line = lines[index]
        number = index + 1
        if _FENCE.match(line):
            fenced = not fenced
            index += 1
            continue
        if not fenced and _TABLE_OPEN.search(line):
            end = _html_block_end(lines, index)
            fragment = "\n".join(lines[index : end + 1])
            out.extend(_html_lines(fragment, number))
            for i in range(index, end + 1):
                cleaned[i] = clean_inline(_TAG.sub(" ", lines[i])).strip()
            index = end + 1
            continue
        if not fenced and (is_table_row(line) or _table_starts_without_pipes(lines, index)):
            loose = not line.strip().startswith("|")  # a table written without outer pipes
            block: list[tuple[int, str]] = []
            while (
                index < len(lines)
                and lines[index].strip()
                and (is_table_row(lines[index]) or (loose and _unescaped_pipes(lines[index])))
            ):
                block.append((index + 1, lines[index]))
                index += 1
            for row in parse_pipe_table(block):
                fields = [
                    Field(cell, f"line {row.number} col {c}")
                    for c, cell in enumerate(row.cells, start=1)
                ]
                out.append(Line(fields, in_table=True))
                cleaned[row.number - 1] = "\t".join(row.cells)
            continue
        prose = clean_prose(line)
        cleaned[index] = prose
        out.extend(_prose_lines(prose, number))
        index += 1
    replaced = read_lookalike_digits(out)
    layout = Layout(lines=join_detached_labels(out), source_text="\n".join(cleaned))
    if replaced:
        layout.flags.append(f"ocr_lookalike_digits={replaced}")
    return layout


def read_markdown(path: Path) -> Layout:
    """Given a Markdown file (or a text file holding pipe tables), return its layout; flags the
    encoding when it is not UTF-8."""
    check_file_size(path, "txt", "a Markdown file")
    text, encoding = decode_bytes(path.read_bytes())
    check_text_size(len(text), "the Markdown file")
    layout = markdown_to_layout(text)
    if encoding != "utf-8-sig":
        layout.flags.append(f"encoding_{encoding}")
    return layout
