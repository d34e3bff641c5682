"""Build contract `Cell`s from tokens, applying the blank-cell rules of report-formats.md §4.3."""

from __future__ import annotations

from pipelines.extract.model import Cell
from pipelines.extract.numbers import Parsed, parse_value
from pipelines.extract.tokens import Token


def token_value(token: Token | None) -> Parsed:
    """Return the parsed value of a token; a missing token reads as a blank cell."""
    return parse_value(token.text) if token is not None else Parsed(raw="", value=None, blank=True)


def leaf_number(token: Token | None) -> int | float | None:
    """Return a leaf cell's number for sum tests: blank → 0, unreadable → None."""
    parsed = token_value(token)
    return 0 if parsed.blank else parsed.value


def make_cell(
    table: str,
    row: str,
    col: str | None,
    token: Token | None,
    parsed: Parsed,
    anchor: Token | None = None,
) -> Cell:
    """Return a cell with the token's provenance; a cell the rendering did not print (token
    None) is located by `anchor`, its row label or table header, and flagged `not_printed`."""
    field = token.field if token is not None else anchor.field if anchor is not None else None
    flags = list(parsed.flags) if token is not None else ["not_printed"]
    return Cell(
        table=table,
        row=row,
        col=col,
        raw=token.text if token is not None else "",
        value=parsed.value,
        page=field.page if field else None,
        bbox=field.bbox if field else None,
        ref=field.ref if field else None,
        unit=parsed.unit,
        flags=flags,
    )
