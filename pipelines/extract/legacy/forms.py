"""Legacy statistics forms (report-formats.md §1.3.2, §1.3.3, §4.10): the national L1
《政府信息公开情况统计表》, regional L2 指标统计表 and the Fujian regional 附表.

Rows are matched by label pattern (never by their number). A form is read from table lines
(`label | unit | value…`) or, when a web-page rendering ran the whole form into one line
(`主动公开文件数条457837其中：1.政府网站公开数条457787…`), from the text itself.

Two value columns (`2017年度 | 历年累计`): the year column is the fact; the cumulative figure is
kept on the same cell as a `cumulative=N` flag (the `legacy` object holds one figure per key).
When the digits of both columns ran together, every split is tried; a split is taken only when
it is the one consistent with the prose figure for the row or with parent ≥ child in both
columns (flagged `split_by_prose` / `split_by_sums`), else the value is null and flagged
`ambiguous_alignment`. Rows with no `leg_*` twin are returned as extra rows with their label.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipelines.extract.labels import core, normalize, numbering
from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.model import BBox, Cell
from pipelines.extract.numbers import parse_value

Number = int | float

# (key, pattern on the label core). Order matters: specific wordings before general ones.
# `group:` keys are resolved by the review/litigation row above them; `extra:` rows have no twin.
ROW_PATTERNS: tuple[tuple[str, str], ...] = (
    ("leg_active_normative", r"主动公开规范性文件"),
    ("leg_normative_issued", r"制发规范性文件"),
    ("extra:l2_fulltext", r"全文电子化"),
    ("leg_active_total", r"^(?:主动公开(?:政府)?(?:信息|文件)(?:数|总数)|主动公开政府信息数)"),
    ("leg_ch_gazette", r"政府公报(?:公开|发布)"),
    ("leg_ch_website", r"政府网站公开"),
    ("leg_ch_weibo", r"政务微博"),
    ("leg_ch_wechat", r"政务微信"),
    ("leg_ch_other", r"其他方式公开"),
    ("leg_responses", r"回应公众关注热点|重大舆情数"),
    ("leg_press_conf_head", r"主要负责同志参加新闻发布会"),
    ("leg_press_conf", r"新闻发布会"),
    ("leg_online_interview_head", r"主要负责同志参加政府网站在线访谈"),
    ("leg_online_interview", r"在线访谈"),
    ("leg_policy_explainers", r"政策解读稿件"),
    ("leg_social_responses", r"微博微信回应"),
    ("leg_other_responses", r"其他方式回应"),
    ("extra:combined_letter_fax", r"信函[、,和及]传真|传真[、,和及]信函"),
    ("leg_req_in_person", r"当面申请"),
    ("leg_req_fax", r"传真申请"),
    ("extra:l2_email", r"电子邮件申请"),
    ("leg_req_online", r"网络申请|网上申请"),
    ("leg_req_letter", r"信函申请"),
    ("extra:l2_other_form", r"其他形式申请"),
    ("leg_req_on_time", r"按时办结"),
    ("leg_req_extended", r"延期办结"),
    ("leg_req_completed", r"申请办结数|办结数"),
    ("leg_req_received", r"收到申请数|申请总数|依申请公开(?:信息)?总数|受理.*申请.*总数"),
    ("leg_reply_already_public", r"已主动公开范围"),
    ("leg_reply_partial", r"同意部分公开"),
    ("leg_reply_refused", r"不同意公开|不予公开答复|否决公开"),
    ("leg_reply_granted", r"同意公开"),
    ("leg_replies", r"申请答复数|答复总数"),
    ("leg_refused_state_secret", r"^涉及国家秘密"),
    ("leg_refused_commercial_secret", r"^涉及商业秘密"),
    ("leg_refused_privacy", r"^涉及个人隐私"),
    ("leg_refused_security", r"^危及国家安全"),
    ("leg_refused_not_gov_info", r"^不是《?条例》?所指"),
    ("leg_refused_other_legal", r"^法律法规规定的其他情形"),
    ("leg_reply_not_this_agency", r"不属于本行政机关"),
    ("leg_reply_not_exist", r"^申请信息不存在"),
    ("leg_reply_ask_amend", r"告知作出更改补充"),
    ("leg_reply_other_channel", r"告知通过其他途径"),
    (
        "extra:l2_reason",
        r"^非《?(?:规定|条例)》?所指|^信息不存在|^非本部门掌握|申请内容不明确|"
        r"免予公开范围|不予公开范围|^其[它他]原因",
    ),
    ("extra:other_replies", r"其他类型答复"),
    ("extra:appeals_reports", r"接受行政(?:申诉|诉讼)、?举报|行政申诉"),
    ("leg_review_total", r"行政复议数"),
    ("leg_suit_total", r"行政诉讼数"),
    ("group:upheld", r"^维持"),
    ("group:corrected", r"被依法纠错"),
    ("group:other", r"^其他情形"),
    ("leg_complaints", r"^举报投诉数"),
    ("leg_fees_wan", r"依申请公开信息收取的费用"),
    ("extra:fee_reduction", r"收费减免"),
    ("leg_units", r"专门机构数"),
    ("leg_reading_points", r"查阅点数"),
    ("leg_staff_fulltime", r"专职人员数"),
    ("leg_staff_parttime", r"兼职人员数"),
    ("leg_staff_total", r"从事政府信息公开工作人员数"),
    ("leg_budget_wan", r"专项经费"),
    ("leg_meetings", r"召开政府信息公开工作会议|专题会议数"),
    ("leg_trainings", r"培训班数"),
    ("leg_trainees", r"接受培训人员数"),
)
_COMPILED = tuple((key, re.compile(pattern)) for key, pattern in ROW_PATTERNS)
# L2 regional rows, keyed for the `legb_*` checks (report-formats.md §3.6).
L2_CHANNELS = ("leg_req_in_person", "leg_req_fax", "extra:l2_email", "leg_req_online",
               "leg_req_letter", "extra:l2_other_form")  # fmt: skip
MONEY_KEYS = frozenset({"leg_fees_wan", "leg_budget_wan"})
# Parent ≥ child in every column: the only relations used to split run-together digits.
SUBSETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leg_active_total", ("leg_ch_gazette", "leg_ch_website", "leg_ch_weibo", "leg_ch_wechat",
                          "leg_ch_other", "leg_active_normative")),
    ("leg_req_received", ("leg_req_in_person", "leg_req_fax", "leg_req_online", "leg_req_letter",
                          "extra:combined_letter_fax")),
    ("leg_replies", ("leg_reply_already_public", "leg_reply_granted", "leg_reply_partial",
                     "leg_reply_refused", "leg_reply_not_this_agency", "leg_reply_not_exist",
                     "leg_reply_ask_amend", "leg_reply_other_channel", "extra:other_replies")),
    ("leg_reply_refused", ("leg_refused_state_secret", "leg_refused_commercial_secret",
                           "leg_refused_privacy", "leg_refused_security",
                           "leg_refused_not_gov_info", "leg_refused_other_legal")),
)  # fmt: skip

FORM_MARKERS = re.compile(
    r"政府信息公开情况统计表|统计指标|指标名称|收到申请数|申请办结数|申请答复数|维持具体行政行为数|"
    r"申请总数|对申请的答复总数|否决公开答复总数|行政申诉数"
)
_HEADER = re.compile(
    r"(?:统计指标|指标名称)(?:计量)?单位(?:代码)?"
    r"(?P<cols>(?:(?:19|20)\d{2}年度?|本年度?|本期实际|本年累计|历年累计|统计数|数量){1,3})"
)
_COLUMN = re.compile(r"(?:19|20)\d{2}年度?|本年度?|本期实际|本年累计|历年累计|统计数|数量")
_UNITS = r"万元|人次|条|件|个|人|次|篇|元|项"
_RUN_ROW = re.compile(
    rf"(?P<label>(?:其中[:：])?(?:[（(]\d{{1,2}}[)）]|\d{{1,2}}[.、．](?=\D))?[^\d]*?)"
    rf"(?P<unit>{_UNITS})?(?P<digits>\d+(?:\.\d+)?)"
)
_RUN_END = re.compile(r"附件|附表说明|注[:：]|。")
_UNIT_ONLY = re.compile(rf"^(?:{_UNITS})$")


@dataclass
class FormRow:
    """One printed form row: label as printed, unit, and its value strings per column."""

    label: str
    unit: str | None
    values: list[str]
    ref: str
    run_together: bool = False
    page: int | None = None
    bbox: BBox | None = None
    gridded: bool = False
    conflict: bool = False


@dataclass
class ExtraRow:
    """A form row with no `leg_*` twin, kept with its printed label."""

    label: str
    unit: str | None
    value: Number | None
    cumulative: Number | None
    ref: str
    kind: str


@dataclass
class FormResult:
    """What a legacy form gave: its cells, extra rows, L2 rows for `legb_*`, and its text span."""

    cells: list[Cell] = field(default_factory=list)
    extra_rows: list[ExtraRow] = field(default_factory=list)
    variant: str | None = None
    l2_rows: dict[str, list[Number | None]] = field(default_factory=dict)
    span: tuple[int, int] | None = None


def classify(label: str) -> str | None:
    """Return the key a form row label names (`leg_*`, `group:*` or `extra:*`), or None."""
    text = core(re.sub(r"^其中[:：]?", "", normalize(label)))
    # Remarks in parentheses (`（不包括政府公报…）`) are not part of the row's name.
    text = re.sub(r"\([^()]*\)", "", core(text))
    for key, pattern in _COMPILED:
        if pattern.search(text):
            return key
    return None


def _column_roles(headers: list[str]) -> tuple[int, int | None]:
    """Given value-column headers, return (index of the year column, index of the cumulative
    column or None)."""
    cumulative = next((i for i, h in enumerate(headers) if "历年" in h), None)
    year_cols = [i for i, h in enumerate(headers) if i != cumulative]
    year = next(
        (i for i in year_cols if "本年累计" in headers[i]), year_cols[0] if year_cols else 0
    )
    return year, cumulative


def _splits(digits: str, parts: int) -> list[tuple[int, ...]]:
    """Return every way to cut a digit run into `parts` integers without leading zeros."""
    if parts == 1:
        return [(int(digits),)]
    out = []
    for cuts in itertools.combinations(range(1, len(digits)), parts - 1):
        pieces = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        if all(p == "0" or not p.startswith("0") for p in pieces):
            out.append(tuple(int(p) for p in pieces))
    return out


def _find_run_form(text: str) -> tuple[list[FormRow], list[str], tuple[int, int]] | None:
    """Find a form run together into the text; return its rows, column headers and span."""
    squeezed = re.sub(r"[ \t\u3000\u00a0]+", "", text)
    header = _HEADER.search(squeezed)
    if header is None:
        return None
    headers = _COLUMN.findall(header.group("cols"))
    body_start = header.end()
    end_match = _RUN_END.search(squeezed, body_start)
    body_end = end_match.start() if end_match else len(squeezed)
    body = squeezed[body_start:body_end]
    rows: list[FormRow] = []
    pos = 0
    line = squeezed.count("\n", 0, body_start) + 1
    while pos < len(body):
        match = _RUN_ROW.match(body, pos)
        if match is None or not match.group("label").strip("\n"):
            break
        digits, end = match.group("digits"), match.end()
        # `…条4577872.政府公报…`: the last digit numbers the next row.
        if end < len(body) and body[end] in ".、．" and end + 1 < len(body) and \
                not body[end + 1].isdigit() and len(digits) > 1:  # fmt: skip
            digits, end = digits[:-1], end - 1
        rows.append(
            FormRow(
                match.group("label").strip("\n"),
                match.group("unit"),
                [digits],
                f"line {line}",
                run_together=True,
            )
        )
        pos = end
    start = _original_offset(text, header.start())
    stop = _original_offset(text, body_end)
    return (rows, headers, (start, stop)) if rows else None


def _original_offset(text: str, squeezed_index: int) -> int:
    """Map an index in the text with spaces removed back to the original text."""
    seen = 0
    for index, ch in enumerate(text):
        if ch in " \t\u3000\u00a0":
            continue
        if seen == squeezed_index:
            return index
        seen += 1
    return len(text)


def _find_table_form(layout: Layout) -> tuple[list[FormRow], list[str]] | None:
    """Find a form printed as table lines (`label | unit | value…`) after its header line."""
    for index, line in enumerate(layout.lines):
        texts = [normalize(f.text) for f in line.fields]
        if len(texts) < 2 or not any(t in {"统计指标", "指标名称"} for t in texts):
            continue
        headers = [t for t in texts if _COLUMN.fullmatch(t) or t == "代码"]
        value_headers = [h for h in headers if h != "代码"]
        if line.in_table and value_headers:
            rows = _grid_rows(layout.lines[index + 1 :], texts)
        else:
            rows = _loose_rows(layout.lines[index + 1 :], headers, value_headers)
        if rows:
            return rows, value_headers or ["统计数"]
    return None


def _loose_rows(lines: list[Line], headers: list[str], value_headers: list[str]) -> list[FormRow]:
    """Return form rows from lines whose fields are not in the header's columns: numbers are
    values, a unit word is the unit, the rest is the label."""
    rows: list[FormRow] = []
    pending = ""
    for row_line in lines:
        fields = [f for f in row_line.fields if f.text.strip()]
        if not fields:
            continue
        label_parts = [f.text for f in fields if not parse_value(f.text).readable]
        unit = next((p for p in label_parts if _UNIT_ONLY.match(normalize(p))), None)
        label_parts = [p for p in label_parts if p is not unit]
        values = [f.text for f in fields if parse_value(f.text).readable]
        if label_parts and not values:
            if len(rows) and len("".join(label_parts)) > 60:
                break  # prose resumes: the form has ended
            pending += "".join(label_parts)
            continue
        if not values:
            continue
        if "代码" in headers and len(values) > len(value_headers):
            values = values[-len(value_headers) :]
        own = "".join(label_parts)
        # A numbered label starts a new row: a pending label-only line was a group heading.
        label = own if numbering(own) or not pending else pending + own
        pending = ""
        rows.append(FormRow(label, normalize(unit) if unit else None, values, fields[0].ref))
    return rows


@dataclass
class _GridLine:
    """One table line of a gridded form, its fields by the header's column roles."""

    label: str
    unit: str
    values: list[str]
    fields: list[Field]
    page: int | None


def _grid_rows(lines: list[Line], header: list[str]) -> list[FormRow]:
    """Return form rows from table lines whose cells line up with the header's columns.

    Each cell is read by its column, so a blank value cell is a blank (a zero, §4.3), never a
    cue to borrow the next row's number. Page furniture between two pages of the form (page
    numbers, a browser's URL line) and a repeated header are skipped; a row that a page break
    cut in two (Word lets a tall row break) is joined again."""
    label_col = next(i for i, t in enumerate(header) if t in {"统计指标", "指标名称"})
    unit_col = next((i for i, t in enumerate(header) if "单位" in t), None)
    value_cols = [i for i, t in enumerate(header) if _COLUMN.fullmatch(t)]
    grid: list[_GridLine] = []
    between: list[Line] = []
    for line in lines:
        if not line.in_table:
            between.append(line)
            continue
        # Lines outside the table between two of its rows: furniture when a page break lies
        # between them, else the form ended there.
        if grid and between and (line.page is None or line.page == grid[-1].page):
            break
        between = []
        texts = [normalize(f.text) for f in line.fields]
        if any(t in {"统计指标", "指标名称"} for t in texts):
            continue  # the header row repeated on a new page
        if len(texts) != len(header):
            if grid:
                break  # another table
            continue
        grid.append(
            _GridLine(
                texts[label_col],
                texts[unit_col] if unit_col is not None else "",
                [texts[i] for i in value_cols],
                [line.fields[i] for i in value_cols],
                line.page,
            )
        )
    rows: list[FormRow] = []
    pending = ""
    previous: _GridLine | None = None
    for item in grid:
        blank = not any(item.values)
        if previous is not None and _continues(previous, item):
            _join(rows[-1], item)
            previous = None
            continue
        if blank and not item.unit and classify(pending + item.label) is None:
            # A group heading (`一、主动公开情况`): it may name the rows under it.
            pending = item.label if numbering(item.label) else pending + item.label
            previous = None
            continue
        if not item.label and not rows:
            continue
        label = item.label if numbering(item.label) or not pending else pending + item.label
        pending = ""
        field = next((f for f, v in zip(item.fields, item.values, strict=True) if v), None)
        field = field or item.fields[0]
        rows.append(
            FormRow(
                label,
                item.unit if _UNIT_ONLY.match(item.unit) else None,
                list(item.values),
                field.ref,
                page=field.page,
                bbox=field.bbox,
                gridded=True,
            )
        )
        previous = item
    return rows


def _continues(previous: _GridLine, item: _GridLine) -> bool:
    """Return True when `item`, the first row on a new page, is the rest of `previous`, the
    last row of the page before: an unnumbered label fragment that names no row of its own, or
    one that completes a label that named none (`（一）召开政府信息公` + `开工作会议…数`)."""
    if previous.page is None or item.page is None or item.page == previous.page:
        return False
    if not item.label:
        return True
    if numbering(item.label) or item.label.startswith("其中"):
        return False
    if classify(item.label) is None:
        return True
    return classify(previous.label) is None and classify(previous.label + item.label) is not None


def _join(row: FormRow, rest: _GridLine) -> None:
    """Join the part of a row printed after a page break onto the row."""
    row.label += rest.label
    if row.unit is None and _UNIT_ONLY.match(rest.unit):
        row.unit = rest.unit
    for index, text in enumerate(rest.values):
        if not text:
            continue
        if row.values[index]:
            # A value on both sides of the break: neither can be tied to the label.
            row.values[index] = ""
            row.conflict = True
        else:
            row.values[index] = text
            if rest.fields[index].page is not None:
                row.page, row.bbox = rest.fields[index].page, rest.fields[index].bbox


def _variant(rows: list[FormRow], headers: list[str]) -> str:
    """Return `fujian` (two value columns), `l2` (regional labels) or `l1`."""
    labels = "".join(normalize(r.label) for r in rows)
    if any("历年" in h for h in headers):
        return "fujian"
    if re.search(r"申请总数|否决公开|免予公开范围|不予公开范围|行政申诉数", labels):
        return "l2"
    return "l1"


def parse_form(
    layout: Layout, text: str, prose_values: Mapping[str, Number] | None = None
) -> FormResult:
    """Given a report's layout and text, return the facts of its legacy statistics form.

    `prose_values` (figures the prose states) decide between splits of run-together digits.
    """
    result = FormResult()
    found_table = _find_table_form(layout)
    if found_table:
        rows, headers = found_table
    else:
        found_run = _find_run_form(text)
        if not found_run:
            return result
        rows, headers, result.span = found_run
    result.variant = _variant(rows, headers)
    year_col, cum_col = _column_roles(headers)
    keyed = _assign_keys(rows)
    parsed = _read_values(keyed, len(headers), year_col, cum_col, prose_values or {})
    _emit(result, keyed, parsed)
    return result


def _assign_keys(rows: list[FormRow]) -> list[tuple[str, FormRow]]:
    """Return (key, row) pairs; result rows take the review/litigation group above them."""
    out: list[tuple[str, FormRow]] = []
    group = "review"
    for row in rows:
        key = classify(row.label) or "extra:unknown"
        if key == "leg_review_total":
            group = "review"
        elif key == "leg_suit_total":
            group = "suit"
        elif key.startswith("group:"):
            key = f"leg_{group}_{key.removeprefix('group:')}"
        out.append((key, row))
    return out


@dataclass
class _Parsed:
    """One row's candidate (year, cumulative) readings and the flags of the chosen one."""

    candidates: list[tuple[Number | None, Number | None]]
    flags: list[str] = field(default_factory=list)
    raw: str = ""


def _read_values(
    keyed: list[tuple[str, FormRow]],
    n_cols: int,
    year_col: int,
    cum_col: int | None,
    prose: Mapping[str, Number],
) -> list[_Parsed]:
    """Return every row's candidate readings, narrowed by prose figures and parent ≥ child."""
    parsed: list[_Parsed] = []
    for _, row in keyed:
        raw = " | ".join(row.values)
        if row.run_together and n_cols > 1:
            cands = _splits(row.values[0], n_cols) if row.values[0].isdigit() else []
            pairs: list[tuple[Number | None, Number | None]] = [
                (c[year_col], c[cum_col] if cum_col is not None else None) for c in cands
            ]
            parsed.append(_Parsed(pairs, [], raw))
            continue
        values = [parse_value(v) for v in row.values]
        flags = [f for v in values for f in v.flags]
        if row.conflict:
            parsed.append(_Parsed([(None, None)], ["ambiguous_alignment"], raw))
            continue
        if row.gridded:
            # A blank cell in its own column is a zero (§4.3); totals are settled in `_emit`.
            for v in values:
                if v.blank:
                    v.value = 0
            if year_col < len(values) and values[year_col].blank:
                flags.append("blank_zero")
        year = values[year_col].value if year_col < len(values) else None
        cum = values[cum_col].value if cum_col is not None and cum_col < len(values) else None
        parsed.append(_Parsed([(year, cum)], flags, raw))
    # Prose figures first: a split that agrees with the sentence is the reading.
    for (key, _), item in zip(keyed, parsed, strict=True):
        if len(item.candidates) > 1 and key in prose:
            agreeing = [c for c in item.candidates if c[0] == prose[key]]
            if len(agreeing) == 1:
                item.candidates = agreeing
                item.flags.append("split_by_prose")
    _narrow_by_subsets(keyed, parsed)
    return parsed


def _narrow_by_subsets(keyed: list[tuple[str, FormRow]], parsed: list[_Parsed]) -> None:
    """Drop splits that break parent ≥ child in some column, until nothing changes."""
    index = {key: i for i, (key, _) in enumerate(keyed)}
    changed = True
    while changed:
        changed = False
        for parent, children in SUBSETS:
            if parent not in index:
                continue
            p_item = parsed[index[parent]]
            for child in children:
                if child not in index:
                    continue
                c_item = parsed[index[child]]
                if len(p_item.candidates) == 1 and len(c_item.candidates) == 1:
                    continue
                fits = [
                    (p, c)
                    for p in p_item.candidates
                    for c in c_item.candidates
                    if all(a is None or b is None or a >= b for a, b in zip(p, c, strict=True))
                ]
                new_p = sorted({p for p, _ in fits}, key=p_item.candidates.index)
                new_c = sorted({c for _, c in fits}, key=c_item.candidates.index)
                for item, new in ((p_item, new_p), (c_item, new_c)):
                    if new and len(new) < len(item.candidates):
                        item.candidates = new
                        changed = True
                        if len(new) == 1 and "split_by_prose" not in item.flags:
                            item.flags.append("split_by_sums")


# Rows whose value is made of (or bounded below by) the rows listed: a blank total is a zero only
# when they are all zero too (§4.3), else it is missing.
TOTAL_PARTS: dict[str, tuple[str, ...]] = {
    "leg_active_total": ("leg_ch_gazette", "leg_ch_website", "leg_ch_weibo", "leg_ch_wechat",
                         "leg_ch_other", "leg_active_normative"),
    "leg_press_conf": ("leg_press_conf_head",),
    "leg_online_interview": ("leg_online_interview_head",),
    "leg_req_received": ("leg_req_in_person", "leg_req_fax", "leg_req_online", "leg_req_letter"),
    "leg_req_completed": ("leg_req_on_time", "leg_req_extended"),
    "leg_replies": ("leg_reply_already_public", "leg_reply_granted", "leg_reply_partial",
                    "leg_reply_refused", "leg_reply_not_this_agency", "leg_reply_not_exist",
                    "leg_reply_ask_amend", "leg_reply_other_channel"),
    "leg_reply_refused": ("leg_refused_state_secret", "leg_refused_commercial_secret",
                          "leg_refused_privacy", "leg_refused_security",
                          "leg_refused_not_gov_info", "leg_refused_other_legal"),
    "leg_review_total": ("leg_review_upheld", "leg_review_corrected", "leg_review_other"),
    "leg_suit_total": ("leg_suit_upheld", "leg_suit_corrected", "leg_suit_other"),
    "leg_staff_total": ("leg_staff_fulltime", "leg_staff_parttime"),
}  # fmt: skip


def _settle_blank_totals(cells: list[Cell]) -> None:
    """A blank total cell stays 0 (`blank_zero`) only when every part the form prints is zero;
    otherwise it is missing: null, flagged `total_blank`."""
    by_key = {c.row: c for c in cells}
    for total, parts in TOTAL_PARTS.items():
        cell = by_key.get(total)
        if cell is None or "blank_zero" not in cell.flags:
            continue
        printed = [by_key[p] for p in parts if p in by_key]
        if any(p.value != 0 for p in printed) or not printed:
            cell.value = None
            cell.flags = [f for f in cell.flags if f != "blank_zero"] + ["total_blank"]


def _emit(result: FormResult, keyed: list[tuple[str, FormRow]], parsed: list[_Parsed]) -> None:
    """Turn the readings into cells and extra rows."""
    seen: set[str] = set()
    combined_zero = False
    for (key, row), item in zip(keyed, parsed, strict=True):
        flags = list(item.flags)
        if len(item.candidates) == 1:
            year, cum = item.candidates[0]
        else:
            year, cum = None, None
            flags.append("ambiguous_alignment")
        if cum is not None:
            flags.append(f"cumulative={cum:g}")
        if result.variant == "l2":
            result.l2_rows.setdefault(key if key != "extra:l2_reason" else f"{key}:{row.label}",
                                      []).append(year)  # fmt: skip
        if key.startswith("extra:"):
            result.extra_rows.append(ExtraRow(row.label, row.unit, year, cum, row.ref, key[6:]))
            if key == "extra:combined_letter_fax" and year == 0:
                combined_zero = True
            continue
        if key in seen:
            result.extra_rows.append(ExtraRow(row.label, row.unit, year, cum, row.ref, "repeat"))
            continue
        seen.add(key)
        value = year
        if key in MONEY_KEYS and row.unit == "元" and value is not None:
            value, flags = value / 10000, [*flags, "unit_yuan"]
        result.cells.append(
            Cell(
                "legacy",
                key,
                None,
                item.raw,
                value,
                page=row.page,
                bbox=row.bbox,
                ref=row.ref,
                unit="万元" if key in MONEY_KEYS else row.unit,
                flags=["form", *flags],
            )
        )
    _settle_blank_totals(result.cells)
    if combined_zero:
        # A combined 信函、传真 row of 0 states both channels as 0; a non-zero one is not split.
        ref = next(r.ref for k, r in keyed if k == "extra:combined_letter_fax")
        for key in ("leg_req_fax", "leg_req_letter"):
            if key not in seen:
                result.cells.append(
                    Cell(
                        "legacy",
                        key,
                        None,
                        "0",
                        0,
                        ref=ref,
                        unit="件",
                        flags=["form", "from_combined_row"],
                    )
                )
