"""Plain-text reports (UTF-8, GB18030/GBK/GB2312) → `Layout`."""

from __future__ import annotations

from pathlib import Path

from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.readers import CorruptDocumentError

# Tried in order; GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")


class UndecodableTextError(CorruptDocumentError):
    """The bytes are not valid text in any supported encoding."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Given raw bytes, return (text, encoding name); raise UndecodableTextError when no
    supported encoding decodes them cleanly (we never store mojibake)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    msg = "not valid UTF-8 or GB18030 text"
    raise UndecodableTextError(msg)


def text_to_layout(text: str) -> Layout:
    """Given document text, return its layout: one `Line` per text line, fields split at tabs."""
    layout = Layout()
    for number, raw_line in enumerate(text.splitlines(), start=1):
        parts = raw_line.split("\t")
        fields = [
            Field(text=part, ref=f"line {number}" + (f" field {i + 1}" if len(parts) > 1 else ""))
            for i, part in enumerate(parts)
        ]
        layout.lines.append(Line(fields=fields, in_table=len(parts) > 1))
    return layout


def read_text(path: Path) -> Layout:
    """Given a text file, return its layout; flags the encoding when it is not UTF-8."""
    text, encoding = decode_bytes(path.read_bytes())
    layout = text_to_layout(text)
    if encoding != "utf-8-sig":
        layout.flags.append(f"encoding_{encoding}")
    return layout
