"""Split layout lines into label and value tokens, the units the table parsers consume."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.layout import Field, Line
from pipelines.extract.numbers import is_value_text, strip_padding

# A page number printed between table rows (`— 2 —`, `- 3 -`, `第 2 页`): not a cell.
PAGE_MARKER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)\s*$"
)


_CHANGE_GAP = re.compile(r"(增加|减少|增|减)\s+(?=\d)")
_UNIT_GAP = re.compile(r"(?<=\d)\s+(?=(?:万元|元|个|项|件|笔)(?:\s|$))")


def join_value_gaps(text: str) -> str:
    """Return text with the spaces inside one printed value removed (`增加 2 个` → `增加2个`,
    `26158.97 万元` → `26158.97万元`), so that splitting at spaces keeps each value whole."""
    return _UNIT_GAP.sub("", _CHANGE_GAP.sub(r"\1", text))


@dataclass(frozen=True)
class Token:
    """A label or a value (possibly blank) from one field, with the field it came from."""

    text: str
    is_label: bool
    field: Field

    @property
    def blank(self) -> bool:
        """Return True for an empty value."""
        return not self.is_label and not strip_padding(self.text)


def field_to_tokens(field: Field) -> list[Token]:
    """Given one field, return its tokens: a whole value, a whole label, or a label followed by
    space-separated values (`2.重复申请 0 0 0 0 0 0 0` in space-separated renderings)."""
    text = field.text
    if PAGE_MARKER.match(text):
        return []
    pieces = join_value_gaps(text).split()
    if len(pieces) > 1 and all(is_value_text(p) for p in pieces):
        # Several numbers in one field: a borderless table's row read as one text line.
        return [Token(p, False, field) for p in pieces]
    if is_value_text(text):
        return [Token(text, False, field)]
    values: list[str] = []
    while len(pieces) > 1 and is_value_text(pieces[-1]):
        values.insert(0, pieces.pop())
    label = text if not values else " ".join(pieces)
    return [Token(label, True, field)] + [Token(v, False, field) for v in values]


def line_to_tokens(line: Line) -> list[Token]:
    """Given a line, return its tokens; blank fields before the line's first label are dropped
    (they are the empty merged cells of the label columns, not values)."""
    tokens = [tok for fld in line.fields for tok in field_to_tokens(fld)]
    first_label = next((i for i, tok in enumerate(tokens) if tok.is_label), None)
    if first_label is None:
        return tokens
    return [tok for i, tok in enumerate(tokens) if i >= first_label or not tok.blank]
