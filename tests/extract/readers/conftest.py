"""Shared checks for the reader tests: compare a `Layout` with a rendered file's truth."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract.labels import REQUEST_COLUMNS, REVIEW_KEYS
from pipelines.extract.layout import Field, Layout

RENDERED = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "rendered"

# Row key → a label fragment that identifies the row (after NFKC and whitespace removal);
# a leading "=" asks for the whole label.
REQUEST_LABELS = {
    "new_received": "本年新收政府信息公开申请数量",
    "carried_in": "上年结转政府信息公开申请数量",
    "granted": "予以公开",
    "partial": "部分公开",
    "deny_state_secret": "国家秘密",
    "deny_law_forbidden": "禁止公开",
    "deny_three_security": "三安全一稳定",
    "deny_third_party": "第三方合法权益",
    "deny_internal_affairs": "内部事务",
    "deny_process_info": "过程性信息",
    "deny_enforcement_file": "行政执法案卷",
    "deny_admin_query": "行政查询事项",
    "unable_not_held": "不掌握相关",
    "unable_needs_creation": "没有现成信息",
    "unable_unclear_after_correction": "仍不明确",
    "reject_petition": "信访举报投诉",
    "reject_duplicate": "重复申请",
    "reject_publication": "公开出版物",
    "reject_massive_repeat": "大量反复申请",
    "reject_reconfirm": "重新出具",
    "other_no_correction": "逾期不补正",
    "other_fee_unpaid": "收费通知",
    "other_other": "=3.其他",
    "outcome_total": "(七)总计",
    "carried_out": "结转下年度",
}
ZERO_DASHES = {"-", "－", "—", "–", "/", "／"}


def norm(text: str) -> str:
    """Return text in NFKC form with all whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def cell_value(text: str) -> int | None:
    """Return a numeric cell's value (blank and dashes are 0), or None when not a number."""
    text = norm(text)
    if text == "" or text in ZERO_DASHES:
        return 0
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def row_values(
    layout: Layout, label: str, count: int
) -> list[tuple[list[int | None], list[Field]]]:
    """Return (values, value fields) for each table line with a field matching `label`: the next
    `count` non-empty fields after the label, or else the line's last `count` fields."""
    found = []
    for line in layout.lines:
        if not line.in_table:
            continue
        for index, field in enumerate(line.fields):
            text = norm(field.text)
            hit = text == label[1:] if label.startswith("=") else label in text
            if not hit:
                continue
            after = line.fields[index + 1 :]
            filled = [f for f in after if f.text.strip()]
            chosen = filled if len(filled) == count else after[-count:]
            if len(chosen) == count:
                found.append(([cell_value(f.text) for f in chosen], chosen))
            break
    return found


def truth_for(path: Path) -> dict[str, Any]:
    """Return the truth JSON that belongs to a rendered file."""
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))


def layout_mismatches(layout: Layout, truth: dict[str, Any]) -> list[str]:
    """Return a description of every T3 row, the T4 row and the 规范性文件 row that does not
    carry exactly the truth's values."""
    problems = []
    for key, label in REQUEST_LABELS.items():
        if key not in truth["requests"]:
            continue
        want = [truth["requests"][key][col] for col in REQUEST_COLUMNS]
        want = [0 if value is None else value for value in want]
        got = [values for values, _ in row_values(layout, label, 7)]
        if want not in got:
            problems.append(f"{key}: want {want}, got {got}")
    review = [truth["review_litigation"][key] for key in REVIEW_KEYS]
    t4 = [
        [cell_value(f.text) for f in line.fields[-15:]]
        for line in layout.lines
        if line.in_table
        and len(line.fields) >= 15
        and all(cell_value(f.text) is not None for f in line.fields[-15:])
    ]
    if review not in t4:
        problems.append(f"T4: want {review}, got {t4}")
    docs = truth["proactive"]["normative_docs"]
    want_docs = list(docs.values())
    got_docs = [values for values, _ in row_values(layout, "规范性文件", 3)]
    if want_docs not in got_docs:
        problems.append(f"normative_docs: want {want_docs}, got {got_docs}")
    return problems


@pytest.fixture
def rendered() -> Path:
    """Return the rendered corpus directory (skip when the shared corpus is absent)."""
    if not RENDERED.is_dir():
        pytest.skip("shared corpus not available")
    return RENDERED


@pytest.fixture
def check_layout() -> Callable[[Layout, Path], list[str]]:
    """Return a function listing how a layout disagrees with the truth of its rendered file."""
    return lambda layout, path: layout_mismatches(layout, truth_for(path))
