"""Word (.docx) reports → `Layout` with python-docx.

The body is walked in order, so paragraphs and tables interleave as in the document. Table grids
are rebuilt from the cells' own `gridSpan`/`vMerge` properties (python-docx's `row.cells` repeats
merged cells), so a merged cell's text is emitted once, at its origin.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.readers import (
    MB,
    CorruptDocumentError,
    EncryptedDocumentError,
    check_file_size,
    check_text_size,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_SPAN = 1000
# Grid positions one table may span after gridSpan is expanded (real tables: < 1,000).
MAX_GRID_CELLS = 200_000

# Zip-bomb limits, checked on the central directory before python-docx reads any part (it reads
# every part whole into memory). zipfile never inflates a member beyond its declared size, so
# the declared sizes bound what is read. Real report packages are under 5 MB unpacked.
MAX_PART_BYTES = 32 * MB
MAX_PACKAGE_BYTES = 128 * MB
# Inflation ratio allowed for a part larger than RATIO_FLOOR (XML packs 5–20×; zeros 1000×).
MAX_RATIO = 100
RATIO_FLOOR = 1 * MB
# Markup a Word part never holds: a DTD may declare entities (billion laughs, external files).
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)

P, TBL, TR, TC, SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
SDT_CONTENT = qn("w:sdtContent")
VAL = qn("w:val")


def _int_attr(element: Any, path: str, default: int) -> int:
    """Return an integer `w:val` of the first element at `path`, or `default`."""
    found = element.find(path)
    if found is None:
        return default
    try:
        return max(0, min(int(found.get(VAL, default)), MAX_SPAN))
    except ValueError:
        return default


def _is_merge_continuation(tc: Any) -> bool:
    """Return whether a `w:tc` continues a vertical merge from the row above."""
    vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return vmerge is not None and vmerge.get(VAL, "continue") == "continue"


class _Writer:
    """Collect lines from the document body in order."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.layout = Layout()
        self.tables = 0
        self.paragraphs = 0

    def paragraph_text(self, p: Any) -> str:
        return Paragraph(p, self.document).text

    def block(self, element: Any) -> None:
        for child in element.iterchildren():
            if child.tag == P:
                self.paragraph(child)
            elif child.tag == TBL:
                self.table(child)
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.block(content)

    def paragraph(self, p: Any) -> None:
        self.paragraphs += 1
        parts = [part.strip() for part in self.paragraph_text(p).split("\n")]
        for number, text in enumerate((part for part in parts if part), start=1):
            suffix = f" line {number}" if len(parts) > 1 else ""
            self.layout.lines.append(Line([Field(text, f"paragraph {self.paragraphs}{suffix}")]))

    def cell_text(self, tc: Any) -> str:
        texts = [self.paragraph_text(p) for p in tc.iterchildren(P)]
        # Wrapped labels are split across paragraphs or breaks: join them without a newline.
        return "".join(part.strip() for text in texts for part in text.split("\n"))

    def table(self, tbl: Any) -> None:
        self.tables += 1
        number = self.tables
        grid: list[list[str]] = []
        nested: list[list[Any]] = []
        cells = 0
        for tr in tbl.iterchildren(TR):
            trpr = tr.find(qn("w:trPr"))
            before = _int_attr(trpr, qn("w:gridBefore"), 0) if trpr is not None else 0
            row = [""] * before
            cells += before
            inner = []
            for tc in tr.iterchildren(TC):
                span = _int_attr(tc, f"{qn('w:tcPr')}/{qn('w:gridSpan')}", 1) or 1
                cells += span
                if cells > MAX_GRID_CELLS:
                    msg = f"a table spans more than {MAX_GRID_CELLS:,} cells (gridSpan)"
                    raise CorruptDocumentError(msg)
                text = "" if _is_merge_continuation(tc) else self.cell_text(tc)
                row += [text] + [""] * (span - 1)
                inner += list(tc.iterchildren(TBL))
            grid.append(row)
            nested.append(inner)
        width = max((len(row) for row in grid), default=0)
        for r, (row, inner) in enumerate(zip(grid, nested, strict=True), start=1):
            padded = row + [""] * (width - len(row))
            fields = [
                Field(text, f"table {number} row {r} col {c}")
                for c, text in enumerate(padded, start=1)
            ]
            self.layout.lines.append(Line(fields, in_table=True))
            # Tables nested in a cell follow the row that holds them.
            for child in inner:
                self.table(child)


def check_package(path: Path) -> None:
    """Raise a ReaderError when a .docx package is a zip bomb, holds a DTD in an XML part, or is
    no Word package; python-docx then parses only bounded, DTD-free XML (with entity resolution
    off as well, and lxml's default depth and size limits)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        msg = f"not a readable .docx package: {err}"
        raise CorruptDocumentError(msg) from err
    with archive:
        members = archive.infolist()
        names = {info.filename for info in members}
        if "word/document.xml" not in names:
            msg = "a zip archive without word/document.xml, not a Word document"
            raise CorruptDocumentError(msg)
        total = 0
        for info in members:
            size, packed = info.file_size, max(info.compress_size, 1)
            total += size
            if size > MAX_PART_BYTES:
                msg = (
                    f"a zip bomb: part {info.filename} decompresses to more than "
                    f"{MAX_PART_BYTES // MB} MB ({size // MB} MB)"
                )
                raise CorruptDocumentError(msg)
            if size > RATIO_FLOOR and size / packed > MAX_RATIO:
                msg = (
                    f"a zip bomb: part {info.filename} decompresses {size // packed}× "
                    f"(more than {MAX_RATIO}×)"
                )
                raise CorruptDocumentError(msg)
        if total > MAX_PACKAGE_BYTES:
            msg = f"a zip bomb: the package decompresses to more than {MAX_PACKAGE_BYTES // MB} MB"
            raise CorruptDocumentError(msg)
        for info in members:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                data = archive.read(info)
            except Exception as err:  # zlib.error, BadZipFile (CRC), NotImplementedError …
                msg = f"not a readable .docx package: part {info.filename}: {err}"
                raise CorruptDocumentError(msg) from err
            if any(marker in data for marker in _DTD_MARKERS):
                msg = (
                    f"part {info.filename} holds a DTD (<!DOCTYPE>/<!ENTITY>): entity "
                    "declarations are refused (billion-laughs or external-entity risk)"
                )
                raise CorruptDocumentError(msg)


def read_docx(path: Path) -> Layout:
    """Given a .docx file, return its layout: paragraphs as prose lines and table rows as
    lines of cells, in body order."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        # An OLE container is either an encrypted OOXML package or a legacy binary .doc.
        if "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
            msg = "the document is password-protected"
            raise EncryptedDocumentError(msg)
        # (`extract_document` quarantines OLE2 files as unsupported_format before this reader.)
        msg = "a legacy binary Word file (.doc), not .docx"
        raise CorruptDocumentError(msg)
    check_file_size(path, "docx", "a .docx")
    check_package(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        msg = f"not a readable .docx package: {err}"
        raise CorruptDocumentError(msg) from err
    except Exception as err:  # python-docx/lxml raise their own types on damaged parts
        msg = f"not a readable .docx package: {err.__class__.__name__}: {err}"
        raise CorruptDocumentError(msg) from err
    writer = _Writer(document)
    writer.block(document.element.body)
    check_text_size(len(writer.layout.text), "the .docx")
    return writer.layout
