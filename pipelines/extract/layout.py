"""The format-neutral layout every reader produces: a document as lines of fields.

A *line* is one visual row: a table row (its cells as fields, merged cells repeated or left
empty as the format gives them) or a line of prose (one field). Table parsers in
`pipelines.extract.tables` read only this structure, so each file format needs just a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.extract.model import BBox


@dataclass(frozen=True)
class Field:
    """One cell or text run with where it came from.

    `ref` is a human-readable locator (`line 12`, `table 2 row 5 col 3`); `page` and `bbox`
    (x0, top, x1, bottom in PDF points) are set for PDFs.
    """

    text: str
    ref: str
    page: int | None = None
    bbox: BBox | None = None


@dataclass
class Line:
    """One visual row of the document; `in_table` is True when it came from a table grid."""

    fields: list[Field]
    in_table: bool = False
    page: int | None = None

    @property
    def text(self) -> str:
        """Return the line's fields joined by tabs."""
        return "\t".join(f.text for f in self.fields)


@dataclass
class Layout:
    """A whole document: its lines in reading order, plus reader-level flags.

    `source_text` is the document's own text where the format has one (plain text), used for
    metadata so that table-oriented line splitting never changes a title.
    """

    lines: list[Line] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    pages: int | None = None
    source_text: str | None = None

    @property
    def text(self) -> str:
        """Return the document's plain text, one line per `Line`."""
        return "\n".join(line.text for line in self.lines)
