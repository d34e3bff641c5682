"""Section 二 (T2): proactive disclosure, in blocks captioned `第二十条第（…）项`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.extract.alignment import Fit, fit_row
from pipelines.extract.cells import make_cell, token_value
from pipelines.extract.labels import (
    MONEY_COLUMNS,
    PROACTIVE_COLUMNS,
    PROACTIVE_ROWS,
    label_holds_digits,
    match_label,
    normalize,
    strip_annotation,
)
from pipelines.extract.model import Cell, Era
from pipelines.extract.numbers import Parsed
from pipelines.extract.prose_settle import Statement, ref_flags, settle
from pipelines.extract.tokens import Token

TABLE = "proactive"
CAPTION = re.compile(r"第二十条第?\(([一二三四五六七八九十]+)\)项")
_HEADERS = sorted(
    ((normalize(text), key, era) for key, text, era in PROACTIVE_COLUMNS),
    key=lambda item: -len(item[0]),
)
_UNIT_IN_HEADER = re.compile(r"\((?:单位:)?(万元|元)\)")


@dataclass
class Block:
    """One captioned block: its header text, column keys and labelled rows."""

    caption: str
    header: list[str] = field(default_factory=list)
    rows: list[tuple[str, Token, list[Token]]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    eras: set[str] = field(default_factory=set)
    unit: str | None = None


@dataclass
class ProactiveTable:
    """The parsed T2: cells and the era its header labels indicate."""

    cells: list[Cell]
    era: Era | None


def header_to_columns(header: str) -> tuple[list[str], set[str], str | None]:
    """Given a block's header labels run together, return its column keys in order, the eras
    those labels mark, and a money unit printed in the header (`采购总金额（元）`)."""
    text = normalize(header)
    unit_match = _UNIT_IN_HEADER.search(text)
    columns: list[str] = []
    eras: set[str] = set()
    pos = 0
    while pos < len(text):
        for printed, key, era in _HEADERS:
            if text.startswith(printed, pos):
                columns.append(key)
                if era:
                    eras.add(era)
                pos += len(printed)
                break
        else:
            pos += 1
    return columns, eras, unit_match.group(1) if unit_match else None


_ROW_ENDINGS = sorted(
    ((normalize(e.official), e.key) for e in PROACTIVE_ROWS), key=lambda item: -len(item[0])
)


def split_trailing_row(text: str) -> tuple[str, str | None]:
    """Given header text that runs on into the block's first row label
    (`信息内容本年处理决定数量行政许可`), return (header, row key); (text, None) otherwise."""
    norm = normalize(text)
    for ending, key in _ROW_ENDINGS:
        if norm.endswith(ending) and len(norm) > len(ending) and header_to_columns(norm)[0]:
            return norm[: -len(ending)], key
    return text, None


def collect_blocks(token_lines: list[list[Token]]) -> list[Block]:
    """Given the token lines of a T2 region, return its blocks with their rows' value tokens."""
    blocks: list[Block] = []
    current_row: list[Token] | None = None
    vertical = False
    for tokens in token_lines:
        labels = [t for t in tokens if t.is_label]
        if not labels:
            if current_row is not None and vertical:
                current_row.extend(t for t in tokens if not t.blank)
            continue
        current_row, vertical = None, False
        for tok in tokens:
            if not tok.is_label:
                if current_row is not None:
                    current_row.append(tok)
                continue
            caption = CAPTION.search(normalize(tok.text))
            text = tok.text
            if caption:
                blocks.append(Block(caption=caption.group(1)))
                text = normalize(tok.text)[caption.end() :]
                current_row = None
            if not blocks or not text:
                continue
            block = blocks[-1]
            header, row_key = split_trailing_row(text) if not block.rows else (text, None)
            if row_key is not None:
                block.header.append(header)
                current_row = []
                block.rows.append((row_key, tok, current_row))
                continue
            plain = strip_annotation(tok.text)
            match = match_label(plain, PROACTIVE_ROWS) if plain != "信息内容" else None
            if match and not (match.key == "rules" and plain != "规章"):
                current_row = []
                block.rows.append((match.key, tok, current_row))
            elif not block.rows:
                block.header.append(tok.text)
                current_row = None
            else:
                current_row = None
        vertical = current_row is not None and not current_row
    for block in blocks:
        block.columns, block.eras, block.unit = header_to_columns("".join(block.header))
    return blocks


def _money_value(
    parsed: Parsed, header_unit: str | None, key: str
) -> tuple[float | None, list[str]]:
    """Return a money amount in 万元 from a parsed cell, and flags; a unit printed in the cell
    wins over the header's; 2021 fees are 万元 by their header; an unknown unit is not guessed."""
    if parsed.value is None:
        return None, []
    unit = parsed.unit or header_unit or ("万元" if key == "fee_amount_wan" else None)
    flags = ["unit_override"] if parsed.unit and header_unit and parsed.unit != header_unit else []
    if parsed.value == 0:
        return 0, flags
    if unit is None:
        return None, [*flags, "amount_unit_unknown"]
    amount = Decimal(str(parsed.value))
    return float(amount / 10000 if unit == "元" else amount), flags


def _reading(cells: list[Token | None]) -> tuple[object, ...]:
    """Return what a placement reads as (the printed texts, None for an empty slot)."""
    return tuple(None if c is None else c.text for c in cells)


def _candidate_values(candidates: list[list[Token | None]]) -> list[list[int | float | None]]:
    """Return the numbers each candidate placement reads, per column."""
    return [[token_value(tok).value for tok in cells] for cells in candidates]


def parse_proactive(
    token_lines: list[list[Token]], statements: Sequence[Statement] = ()
) -> ProactiveTable | None:
    """Given the token lines of a T2 region, return its cells (None when no block is found).

    A row whose digits ran together admits several splits (§4.10); `statements`, facts the
    report's sentences state about T2 cells (`prose_settle`), settle the cells every split that
    agrees with them reads alike (`settled_by_prose`, §4.12)."""
    blocks = [b for b in collect_blocks(token_lines) if b.rows]
    if not blocks:
        return None
    cells: list[Cell] = []
    eras: set[str] = set()
    for block in blocks:
        eras |= block.eras
        width = len(block.columns)
        for key, label, values in block.rows:
            trimmed = list(values)
            while len(trimmed) > width and trimmed[-1].blank:
                trimmed.pop()
            while len(trimmed) > width and trimmed[0].blank:
                trimmed.pop(0)
            # T2 has no sums: a fit is accepted only when it is the one possible reading.
            fit = fit_row(trimmed, width, lambda _: True, _reading, pinned_ends=False)
            printed = [t for t in values if not t.blank]
            if len(values) > width and 0 < len(printed) < width:
                # A sparse row: more fields than columns but fewer values. Which blank fields
                # are the surplus (label cells, separators) and which are blank cells decides
                # the column of every value, and T2 has no sums to tell: no guess (`增加7`
                # under 处理决定数量 with the other cells read as 0, in a converted PDF).
                fit = Fit([None] * width, realigned=True, ambiguous=True)
            if not trimmed and label_holds_digits(label.text):
                fit.ambiguous = True
            settled = None
            if fit.ambiguous and fit.split and fit.candidates and statements:
                readings = _candidate_values(fit.candidates)
                settled = settle(TABLE, key, block.columns, readings, statements)
                if settled is not None and settled.index is not None:
                    fit = Fit(fit.candidates[settled.index], realigned=True, ambiguous=False,
                              split=True)  # fmt: skip
            for index, col in enumerate(block.columns):
                tok = fit.cells[index]
                parsed = token_value(tok)
                cell = make_cell(TABLE, key, col, tok, parsed, anchor=label)
                printed_text = " ".join(t.text for t in trimmed if not t.blank)
                stated = settled.values[index] if settled and fit.ambiguous else None
                if fit.ambiguous and stated is not None and settled is not None:
                    # Stated in a sentence, and every split that agrees reads it (§4.12).
                    run = next(t for t in trimmed if not t.blank)
                    cell = make_cell(TABLE, key, col, run, parsed, anchor=label)
                    cell.value, cell.raw = stated, printed_text
                    cell.flags = [*ref_flags(settled.used), "split_digits"]
                elif fit.ambiguous:
                    cell.value = None
                    cell.flags.append("ambiguous_alignment")
                    if settled is not None and col in settled.disagrees:
                        cell.flags.append(f"prose_disagrees={settled.disagrees[col]}")
                    if printed_text:
                        cell.raw = printed_text
                elif parsed.blank:
                    cell.value = 0
                    cell.flags.append("blank_zero")
                elif col in MONEY_COLUMNS:
                    row_unit = _UNIT_IN_HEADER.search(normalize(label.text))
                    unit = row_unit.group(1) if row_unit else block.unit
                    cell.value, flags = _money_value(parsed, unit, col)
                    cell.flags.extend(flags)
                    cell.unit = parsed.unit or unit
                if fit.split and not fit.ambiguous:
                    cell.flags.append("split_digits")
                if settled is not None and settled.index is not None:
                    cell.flags.extend(ref_flags(settled.used))
                cells.append(cell)
    era = Era.T2021 if eras == {"2021"} else Era.T2019 if eras == {"2019"} else None
    if era is None and eras:
        era = Era.T2021 if "2021" in eras else Era.T2019
    return ProactiveTable(cells, era)
