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
from pipelines.extract.readers import CorruptDocumentError, EncryptedDocumentError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_SPAN = 1000

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
        for tr in tbl.iterchildren(TR):
            trpr = tr.find(qn("w:trPr"))
            before = _int_attr(trpr, qn("w:gridBefore"), 0) if trpr is not None else 0
            row = [""] * before
            inner = []
            for tc in tr.iterchildren(TC):
                span = _int_attr(tc, f"{qn('w:tcPr')}/{qn('w:gridSpan')}", 1) or 1
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
        msg = "a legacy binary Word file, not .docx"
        raise CorruptDocumentError(msg)
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
    return writer.layout
