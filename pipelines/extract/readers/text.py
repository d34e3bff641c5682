"""Plain-text reports (UTF-8, GB18030/GBK/GB2312) → `Layout`."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from pipelines.extract.labels import numbering
from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.numbers import is_value_text
from pipelines.extract.readers import (
    CorruptDocumentError,
    check_file_size,
    check_text_size,
)
from pipelines.extract.readers.sniff import looks_binary, utf16_without_bom
from pipelines.extract.tokens import join_value_gaps

# Tried in order; GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")


class UndecodableTextError(CorruptDocumentError):
    """The bytes are not valid text in any supported encoding."""


# Of the CJK ideographs in text decoded as GB18030, at most this share may lie outside GB2312
# (the 6,763 common hanzi): GBK-extension characters dominate only when the bytes were another
# encoding (Shift-JIS, Big5, UTF-16 without a byte-order mark) misread as GB18030.
MAX_RARE_HANZI_SHARE = 0.25
MIN_HANZI_FOR_TEST = 20
_HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def rare_hanzi_share(text: str) -> float:
    """Return the share of the CJK ideographs in `text` that GB2312 cannot encode (0 when there
    are too few ideographs to judge)."""
    hanzi = _HANZI.findall(text[:200_000])
    if len(hanzi) < MIN_HANZI_FOR_TEST:
        return 0.0
    rare = 0
    for char in hanzi:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(hanzi)


def check_gb18030_plausible(text: str) -> None:
    """Raise UndecodableTextError when GB18030-decoded text is mojibake of another encoding."""
    share = rare_hanzi_share(text)
    if share > MAX_RARE_HANZI_SHARE:
        msg = (
            f"text in an unknown encoding: read as GB18030, {share:.0%} of its ideographs are "
            "rare characters outside GB2312 (Shift-JIS, Big5 or UTF-16 without a byte-order mark?)"
        )
        raise UndecodableTextError(msg)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Given raw bytes, return (text, encoding name); raise UndecodableTextError when no
    supported encoding decodes them cleanly (we never store mojibake).

    UTF-8 (with or without BOM), GB18030 (GBK, GB2312) and UTF-16 (with a byte-order mark, or
    without one when the NUL bytes of its ASCII characters say which byte order it is)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            msg = "invalid UTF-16 after a byte-order mark"
            raise UndecodableTextError(msg) from err
    guessed = utf16_without_bom(data[:8192])
    if guessed:
        try:
            return data.decode(guessed), guessed
        except UnicodeDecodeError as err:
            msg = f"looks like {guessed} without a byte-order mark but does not decode as it"
            raise UndecodableTextError(msg) from err
    if looks_binary(data[:8192]):
        msg = "binary data, not text (NUL or control bytes)"
        raise UndecodableTextError(msg)
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030":
            check_gb18030_plausible(text)
        return text, encoding
    msg = "not valid UTF-8 or GB18030 text"
    raise UndecodableTextError(msg)


# Web-page text renderings run whole tables into one space-separated line; fewer value pieces
# than this on a line is prose, not a table run.
FLOW_MIN_VALUES = 3


_TABLE_MARKERS = re.compile(
    r"本年新收|上年结转|第二十条|结果维持|勾稽关系|办理结果|结转下年度|尚未审结"
)
# A new numbered item inside run-together label text (`3.其他（七）总计`), but not the `（一）`
# of a caption such as `第二十条第（一）项`.
_ITEM_START = re.compile(
    r"(?<=[^\s第])(?=[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]、)"
)
_RUN_VALUE = re.compile(r"[+\-]?\d+(?:\.\d+)?(?:万元|元|笔|个|项|件)?")


def split_run_together(piece: str) -> list[str]:
    """Given a piece where labels and digits run together (`规章000规范性文件9921`), return
    its label and value parts in order; a digit run's last digit that numbers the next label
    (`00000002.其他`) goes to that label."""
    parts: list[str] = []
    pos = 0
    for match in _RUN_VALUE.finditer(piece):
        if match.start() > pos:
            parts.append(piece[pos : match.start()])
        parts.append(match.group())
        pos = match.end()
    if pos < len(piece):
        parts.append(piece[pos:])
    parts = [bit for part in parts for bit in _ITEM_START.split(part) if bit]
    out: list[str] = []
    for part in parts:
        numbered = part[:1] in ".、．" and out and out[-1].isdigit()
        if numbered:
            digits = out.pop()
            if len(digits) > 1:
                out.append(digits[:-1])
            part = digits[-1] + part
        out.append(part)
    return out


def _continues_label(previous: str, piece: str) -> bool:
    """Return True when `piece` continues the label ending in `previous`: after a bare item
    number (`（二）`, `1.`), inside open parentheses, or after a comma."""
    prev = unicodedata.normalize("NFKC", previous)
    return (
        numbering(prev) == prev
        or prev.count("(") > prev.count(")")
        or prev.endswith((",", "、", "，"))
    )


def split_flow_line(raw_line: str, number: int) -> list[Line] | None:
    """Given a tab-less line that runs labels and values together with spaces
    (`规章 0 0 0 规范性文件 6 4 11`), return one `Line` per label with the values after it,
    or None when the line is prose."""
    text = join_value_gaps(raw_line)
    pieces = text.split()
    if _TABLE_MARKERS.search(text):
        pieces = [part for piece in pieces for part in split_run_together(piece)]
    if sum(is_value_text(p) for p in pieces) < FLOW_MIN_VALUES:
        return None
    groups: list[list[str]] = []
    label_open = False
    for piece in pieces:
        if is_value_text(piece):
            if not groups:
                groups.append([""])
            groups[-1].append(piece)
            label_open = False
        elif label_open and _continues_label(groups[-1][0], piece):
            groups[-1][0] += " " + piece
        else:
            groups.append([piece])
            label_open = True
    lines: list[Line] = []
    for group in groups:
        fields = [
            Field(text=part, ref=f"line {number} piece {i + 1}")
            for i, part in enumerate(group)
            if part or i
        ]
        lines.append(Line(fields=fields, in_table=len(fields) > 1))
    return lines


def text_to_layout(text: str) -> Layout:
    """Given document text, return its layout: one `Line` per text line, fields split at tabs;
    space-separated table runs are split into one line per label (`split_flow_line`)."""
    layout = Layout(source_text=text)
    for number, raw_line in enumerate(text.splitlines(), start=1):
        parts = raw_line.split("\t")
        if len(parts) == 1 and (flow := split_flow_line(raw_line, number)):
            layout.lines.extend(flow)
            continue
        fields = [
            Field(text=part, ref=f"line {number}" + (f" field {i + 1}" if len(parts) > 1 else ""))
            for i, part in enumerate(parts)
        ]
        layout.lines.append(Line(fields=fields, in_table=len(parts) > 1))
    return layout


def read_text(path: Path) -> Layout:
    """Given a text file, return its layout; flags the encoding when it is not UTF-8."""
    check_file_size(path, "txt", "a text file")
    text, encoding = decode_bytes(path.read_bytes())
    check_text_size(len(text), "the text file")
    layout = text_to_layout(text)
    if encoding != "utf-8-sig":
        layout.flags.append(f"encoding_{encoding}")
    return layout
