"""Label normalisation and the catalogues of official row and column labels (report-formats.md
§1.4, §1.5, §4.5): a printed label → a stable key, tolerant of the variants real reports use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Kangxi-radical and CJK-radical look-alikes some PDF producers emit (NFKC misses a few).
_LOOKALIKES = str.maketrans(
    {"⻘": "青", "⺠": "民", "⻓": "长", "⻔": "门", "⻅": "见", "⻋": "车"}
)
_QUOTES = re.compile(r"[“”\"'‘’『』「」]")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\(?[一二三四五六七八九十]+\)[、.]?|\(?\d+\)|\d+[.、．](?!\d))"
)


# Labels and lines up to this length are normalised once per process (they recur across
# pages and reports); longer texts, such as a whole document, are not kept.
CACHED_LABEL_LENGTH = 200


def normalize(label: str) -> str:
    """Return a label in matching form: NFKC, look-alikes mapped, no whitespace or quotes."""
    if len(label) <= CACHED_LABEL_LENGTH:
        return _normalize_short(label)
    return _normalize(label)


def _normalize(label: str) -> str:
    """Return a label in matching form (see `normalize`)."""
    text = unicodedata.normalize("NFKC", label).translate(_LOOKALIKES)
    text = re.sub(r"\s+", "", text)
    return _QUOTES.sub("", text)


_normalize_short = lru_cache(maxsize=8192)(_normalize)


def core(label: str) -> str:
    """Return the normalised label without its leading item number (`（三）`, `1.`, `四、`)."""
    text = normalize(label)
    while True:
        stripped = _NUMBERING.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def numbering(label: str) -> str:
    """Return the normalised leading item number of a label (e.g. `(七)`), or ''."""
    text = normalize(label)
    match = _NUMBERING.match(text)
    return match.group(0) if match else ""


def strip_annotation(label: str) -> str:
    """Return a label's core without parenthesised annotations (`规章（设区的市…应提供相关数据）`,
    `政府集中采购（元）`: Hubei-style notes and units, report-formats.md §4.2, §4.11)."""
    return re.sub(r"\([^()]*\)", "", core(label))


def label_holds_digits(label: str) -> bool:
    """Return True when a label has digits past its item number: values that could not be told
    apart from the label text (its row must then not read as blank zeros)."""
    return any(ch.isdigit() for ch in core(label))


def edit_distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between two strings."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class LabelEntry:
    """One official label: its key, official core text and the keywords that identify it."""

    key: str
    official: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class LabelMatch:
    """A label matched to a key; `fuzzy` when only edit distance found it, `partial` when the
    label is the first part of an official one that wrapped onto another line."""

    key: str
    fuzzy: bool = False
    partial: bool = False


# A wrapped label's first part must be at least this long to name its row.
MIN_PARTIAL = 4
# Printed labels matched per process are remembered: the same label texts recur on every page
# and in every report, and fuzzy matching them against a catalogue is costly.
LABEL_CACHE_SIZE = 4096


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def match_label(text: str, catalogue: tuple[LabelEntry, ...]) -> LabelMatch | None:
    """Given a printed label, return the catalogue entry it names, or None.

    Keywords are tried first (a keyword contained in the label's core); then the first part of
    exactly one official text (a label wrapped in a borderless table, `partial`); then the
    official text by edit distance (at most a quarter of its length), which is flagged `fuzzy`.
    A pure function of its arguments, so its answers are cached.
    """
    text_core = core(text)
    if not text_core:
        return None
    for entry in catalogue:
        if text_core == entry.official or any(kw in text_core for kw in entry.keywords):
            return LabelMatch(entry.key)
    if len(text_core) >= MIN_PARTIAL:
        starts = {e.key for e in catalogue if e.official.startswith(text_core)}
        if len(starts) == 1:
            return LabelMatch(starts.pop(), partial=True)
    best: tuple[int, str] | None = None
    for entry in catalogue:
        distance = edit_distance(text_core, entry.official)
        if (
            distance <= max(2, len(entry.official) // 4)
            and distance * 4 <= len(entry.official)
            and (best is None or distance < best[0])
        ):
            best = (distance, entry.key)
    return LabelMatch(best[1], fuzzy=True) if best else None


def _entries(*rows: tuple[str, str, tuple[str, ...]]) -> tuple[LabelEntry, ...]:
    return tuple(LabelEntry(key, official, keywords) for key, official, keywords in rows)


# Section 三 (T3) data rows, both templates. Order matters only for keyword overlaps.
REQUEST_ROWS = _entries(
    ("new_received", "本年新收政府信息公开申请数量", ("本年新收",)),
    ("carried_in", "上年结转政府信息公开申请数量", ("上年结转",)),
    ("granted", "予以公开", ("予以公开",)),
    ("partial", "部分公开(区分处理的,只计这一情形,不计其他情形)", ("部分公开",)),
    ("deny_state_secret", "属于国家秘密", ("国家秘密",)),
    ("deny_law_forbidden", "其他法律行政法规禁止公开", ("法规禁止公开",)),
    ("deny_three_security", "危及三安全一稳定", ("三安全一稳定",)),
    ("deny_third_party", "保护第三方合法权益", ("第三方合法权益",)),
    ("deny_internal_affairs", "属于三类内部事务信息", ("内部事务",)),
    ("deny_process_info", "属于四类过程性信息", ("过程性信息",)),
    ("deny_enforcement_file", "属于行政执法案卷", ("执法案卷",)),
    ("deny_admin_query", "属于行政查询事项", ("行政查询",)),
    ("unable_not_held", "本机关不掌握相关政府信息", ("不掌握",)),
    ("unable_needs_creation", "没有现成信息需要另行制作", ("没有现成信息", "另行制作")),
    ("unable_unclear_after_correction", "补正后申请内容仍不明确", ("仍不明确",)),
    ("reject_petition", "信访举报投诉类申请", ("信访举报投诉",)),
    ("reject_duplicate", "重复申请", ("重复申请",)),
    ("reject_publication", "要求提供公开出版物", ("公开出版物",)),
    ("reject_massive_repeat", "无正当理由大量反复申请", ("大量反复",)),
    ("reject_reconfirm", "要求行政机关确认或重新出具已获取信息", ("重新出具",)),
    (
        "other_no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("逾期不补正",),
    ),
    (
        "other_fee_unpaid",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("缴纳费用", "未缴费", "逾期未按收费"),
    ),
    ("other_handling", "其他处理", ("其他处理",)),
    ("outcome_total", "总计", ()),
    ("carried_out", "结转下年度继续办理", ("结转下年度",)),
)
REQUEST_COLUMNS = (
    "natural_person",
    "org_commercial",
    "org_research",
    "org_public_interest",
    "org_legal_service",
    "org_other",
    "total",
)
APPLICANT_COLUMNS = REQUEST_COLUMNS[:-1]
OTHER_2021 = ("other_no_correction", "other_fee_unpaid", "other_other")
ROWS_2019 = tuple(e.key for e in REQUEST_ROWS if e.key not in OTHER_2021)
_OTHER_AT = ROWS_2019.index("other_handling")
ROWS_2021 = (*ROWS_2019[:_OTHER_AT], *OTHER_2021, *ROWS_2019[_OTHER_AT + 1 :])

# Section 四 (T4): 15 cells in a fixed order under fixed headers.
REVIEW_GROUPS = ("review", "suit_direct", "suit_after_review")
REVIEW_RESULTS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_KEYS = tuple(f"{g}_{r}" for g in REVIEW_GROUPS for r in REVIEW_RESULTS)
REVIEW_HEADER_WORDS = ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结",
                       "总计", "未经复议直接起诉", "复议后起诉")  # fmt: skip

# Section 二 (T2): data rows and column headers of both templates.
PROACTIVE_ROWS = _entries(
    ("rules", "规章", ()),
    ("normative_docs", "规范性文件", ("规范性文件",)),
    ("admin_license", "行政许可", ("行政许可",)),
    ("other_mgmt_services", "其他对外管理服务事项", ("对外管理服务",)),
    ("admin_penalty", "行政处罚", ("行政处罚",)),
    ("admin_coercion", "行政强制", ("行政强制",)),
    ("admin_fees", "行政事业性收费", ("行政事业性收费",)),
    ("central_procurement", "政府集中采购", ("集中采购",)),
)
# (key, header text as printed, era marker or None); longest texts are matched first.
PROACTIVE_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("made_this_year", "本年新制作数量", "2019"),
    ("published_this_year", "本年新公开数量", "2019"),
    ("published_this_year", "本年公开数量", "2019"),
    ("published_total", "对外公开总数量", "2019"),
    ("items_prev_year", "上一年项目数量", "2019"),
    ("items_change", "本年增/减", "2019"),
    ("decisions", "本年处理决定数量", "2021"),
    ("decisions", "处理决定数量", "2019"),
    ("procurement_items", "采购项目数量", "2019"),
    ("procurement_amount", "采购总金额", "2019"),
    ("issued_this_year", "本年制发件数", "2021"),
    ("repealed_this_year", "本年废止件数", "2021"),
    ("in_force", "现行有效件数", "2021"),
    ("fee_amount_wan", "本年收费金额", "2021"),
)
MONEY_COLUMNS = frozenset({"procurement_amount", "fee_amount_wan"})
