"""Facts stated in sentences (report-formats.md §1.3.1, §1.3.4, §3.7): request totals, replies by
outcome and refusal reason, review and litigation counts and results, fees, staffing.

Every rule is a wording pattern; a figure is taken only when a pattern states it exactly.
Approximate figures (`10余次`, `约4900人次`), cumulative ones (`历年累计…`), subsets (`其中，…`
before a total) and one number shared by several categories (`非政府信息、信息不存在…的件数为2件`)
are never recorded. Stated zeros (`未受理依申请公开`, `未收取费用`) are 0 flagged `prose_zero`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, repeat

from pipelines.extract.model import Cell
from pipelines.extract.numbers import chinese_to_int

# A count: Arabic digits or a Chinese numeral (`二十三`, `两`); `万` is left out on purpose, so
# `1万元` never reads as a numeral.
N = r"(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
# Filler inside one clause: no digits, no clause or sentence punctuation.
F = r"[^。；;，,：:\d]"
_APPROX_BEFORE = ("约", "近", "逾", "超过", "大约", "将近")
_APPROX_AFTER = ("左右", "以上", "多")
_SENTENCE_END = "。；;！!？?"
_QUOTES = re.compile(r"[“”\"'‘’『』「」]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

REVIEW_KEYS = frozenset(
    {"leg_review_total", "leg_review_upheld", "leg_review_corrected", "leg_review_other"}
)
SUIT_KEYS = frozenset({"leg_suit_total", "leg_suit_upheld", "leg_suit_corrected", "leg_suit_other"})
# Keys whose figures are request channels and reply outcomes, for the soft prose checks.
CHANNEL_KEYS = ("leg_req_in_person", "leg_req_fax", "leg_req_online", "leg_req_letter")
OUTCOME_KEYS = (
    "leg_reply_already_public",
    "leg_reply_granted",
    "leg_reply_partial",
    "leg_reply_refused",
    "leg_reply_not_this_agency",
    "leg_reply_not_exist",
    "leg_reply_ask_amend",
    "leg_reply_other_channel",
)


@dataclass(frozen=True)
class Rule:
    """One wording: the keys it states, its pattern and how to read the match.

    `zero` rules state 0 without a number; `total` rules skip matches after `其中` in the same
    sentence (a subset); `needs` names words the sentence (and the `f` filler, when the pattern
    has one) must contain; `topic` words the sentence must contain (`公开`: a complaint or a
    lawsuit about something other than disclosure is no fact of the report); `group` attributes a
    review/litigation result to the nearer of `复议` and `诉讼` before it.
    """

    keys: tuple[str, ...]
    pattern: re.Pattern[str]
    zero: bool = False
    total: bool = False
    needs: tuple[str, ...] = ()
    forbids: tuple[str, ...] = ()
    group: bool = False
    divisor: int = 1
    topic: tuple[str, ...] = ()


def _rule(keys: str, pattern: str, **kw: object) -> Rule:
    return Rule(tuple(keys.split()), re.compile(pattern), **kw)  # type: ignore[arg-type]


_CNT = r"(?:件|条|起|宗|个|份)"
_PUB = r"(?:公开|发布|推送|更新|发送)(?:了)?"
# Zero written as a word at the end of a clause (`均为零`, `均为0`).
_ZERO_END = r"(?:零|0)(?:件|起|宗|个)?(?=[。；;，,]|$)"
RULES: tuple[Rule, ...] = (
    # 主动公开
    _rule(
        "leg_active_total",
        rf"主动公开(?:了)?[信各类政府的]{{0,6}}信息(?:数量|总数|数)?(?:共计|共|为|达|是)*{N}条",
        total=True,
    ),
    _rule(
        "leg_active_total",
        rf"主动公开(?:政府信息)?(?:方面|工作中)[，,]{F}{{0,10}}?{_PUB}(?:政府)?信息(?:共计|共)?{N}条",
        total=True,
    ),
    _rule(
        "leg_active_normative",
        rf"(?:属于|主动公开|其中)(?:的)?规范性文件(?:信息)?(?:数)?(?:共计|共|有|为)?{N}[条件]",
    ),
    _rule("leg_ch_website", rf"网站(?:上)?{_PUB}{F}{{0,6}}?信息(?:共计|共)?{N}条"),
    _rule("leg_ch_gazette", rf"政府公报(?:上)?{_PUB}{F}{{0,6}}?信息(?:共计|共)?{N}条"),
    _rule("leg_ch_weibo", rf"微博(?:上)?{_PUB}{F}{{0,6}}?(?:信息)?(?:共计|共)?{N}条"),
    _rule(
        "leg_ch_wechat",
        rf"微信(?:公众号|公众平台)?(?:上)?{_PUB}{F}{{0,6}}?(?:信息)?(?:共计|共)?{N}条",
    ),
    _rule("leg_ch_other", rf"其他方式{_PUB}{F}{{0,6}}?信息(?:共计|共)?{N}条"),
    # 依申请公开: totals and stated zeros
    _rule(
        "leg_req_received",
        rf"(?:收到|受理|接到|接收)(?P<f>{F}{{0,20}}?)(?:的)?(?:数量|总数)?(?:共计|共|为)?{N}(?:件|条|宗|份)",
        total=True,
        needs=("申请",),
        forbids=("复议", "诉讼", "举报", "投诉", "咨询", "审批", "信访"),
    ),
    _rule(
        "leg_req_received",
        r"(?:未|没有)(?:收到|受理|接到|发生)(?:过)?(?:有关|任何|相关)*"
        r"(?:政府信息公开|依申请公开|信息公开)(?:政府信息)?(?:的)?申请",
        zero=True,
    ),
    _rule("leg_req_received", r"(?:未|没有)受理(?:过)?(?:任何)?依申请公开", zero=True),
    _rule(
        "leg_req_completed",
        rf"(?<!按时)(?<!延期)办结(?:申请)?(?:共)?{N}件",
        needs=("申请",),
        forbids=("审批",),
    ),
    _rule("leg_req_on_time", rf"按时办结(?:申请)?{N}件"),
    _rule("leg_req_extended", rf"延期办结(?:申请)?{N}件"),
    _rule(
        "leg_req_in_person",
        rf"(?:当面|现场|上门)(?:提交|提出)?(?:申请)?(?:的)?{N}件",
        needs=("申请",),
    ),
    _rule("leg_req_fax", rf"传真(?:申请)?(?:的)?{N}件", needs=("申请",)),
    _rule(
        "leg_req_online",
        rf"(?:网络|网上|互联网|在线|电子邮件|网站)(?:提交|提出)?(?:申请)?(?:的)?{N}件",
        needs=("申请",),
    ),
    _rule(
        "leg_req_letter", rf"(?:信函|邮寄|来信)(?:提交|提出)?(?:申请)?(?:的)?{N}件", needs=("申请",)
    ),
    # 答复 by outcome
    _rule("leg_replies", rf"(?:已|共)?答复(?:申请)?(?:件数|总数|数量)(?:为|共计?)?{N}件"),
    _rule("leg_replies", rf"(?:共|已)答复(?:申请)?{N}件"),
    _rule("leg_reply_already_public", rf"已主动公开(?:范围)?(?:的)?(?:件数|数量)?(?:为|有)?{N}件"),
    _rule("leg_reply_granted", rf"(?<!不)同意公开(?:答复)?(?:的)?(?:件数|数量)?(?:为|有)?{N}件"),
    _rule("leg_reply_partial", rf"部分公开(?:答复)?(?:的)?(?:件数|数量)?(?:为|有)?{N}件"),
    _rule(
        "leg_reply_refused",
        rf"(?:不予公开|不同意公开)(?:答复)?(?:政府信息)?(?:的)?(?:件数|数量)?(?:为|有)?{N}件",
    ),
    _rule(
        "leg_reply_refused",
        r"(?:无|没有|未发生|不存在)不予公开(?:政府信息)?(?:的)?(?:情况|情形|申请)",
        zero=True,
    ),
    _rule("leg_refused_state_secret", rf"涉及国家秘密(?:的)?{N}件"),
    _rule("leg_refused_commercial_secret", rf"涉及商业秘密(?:的)?{N}件"),
    _rule("leg_refused_privacy", rf"涉及个人隐私(?:的)?{N}件"),
    _rule("leg_refused_security", rf"危及国家安全[^。；;，,\d]{{0,24}}?社会稳定(?:的)?{N}件"),
    _rule(
        "leg_refused_not_gov_info", rf"(?:不是|不属于|非)《?条例》?所指(?:的)?政府信息(?:的)?{N}件"
    ),
    _rule("leg_refused_other_legal", rf"法律(?:、)?法规规定的其他情形(?:的)?{N}件"),
    _rule(
        "leg_reply_not_this_agency",
        rf"(?:不属于本(?:行政)?机关|非本(?:行政)?机关)(?:公开|掌握)?(?:范围)?(?:的)?(?:政府信息)?(?:的)?(?:件数)?(?:为)?{N}件",
    ),
    _rule("leg_reply_not_exist", rf"(?:申请)?信息不存在(?:的)?(?:件数)?(?:为)?{N}件"),
    _rule("leg_reply_ask_amend", rf"告知作出更改补充(?:的)?{N}件"),
    _rule("leg_reply_other_channel", rf"告知通过其他途径办理(?:的)?{N}件"),
    # 行政复议 / 行政诉讼
    _rule(
        "leg_review_total leg_suit_total",
        rf"行政复议(?:案件)?(?:和|、|及|与)(?:提起)?行政诉讼(?:案件)?(?:数量)?(?:均为|均|各|都为|都是){N}{_CNT}",
    ),
    _rule(
        "leg_review_total leg_suit_total",
        rf"行政复议(?:案件)?(?:和|、|及|与|或)(?:提起)?行政诉讼(?:案件)?(?:数量)?(?:均为|均|都为|都是){_ZERO_END}",
        zero=True,
    ),
    _rule(
        "leg_review_total leg_suit_total",
        rf"行政复议(?:和|、|及|与|或)(?:提起)?行政诉讼{F}{{0,4}}?方面[，,]{F}{{0,6}}?(?:均未|未|没有|都未)(?:发生|出现)",
        zero=True,
    ),
    _rule(
        "leg_review_total",
        rf"行政复议(?P<f>{F}{{0,20}}?)(?:共计|共|为)?{N}{_CNT}",
        total=True,
        forbids=("诉讼",),
        topic=("公开",),
    ),
    _rule("leg_review_total", rf"{N}(?:件|起|宗)(?:因|涉及){F}{{0,16}}?行政复议", total=True),
    _rule(
        "leg_review_total",
        rf"(?:未|没有)(?:发生|收到|出现|有|被)?{F}{{0,30}}?行政复议",
        zero=True,
    ),
    _rule(
        "leg_review_total",
        r"无(?:提起|发生)?(?:任何)?(?:涉及|有关|关于)?(?:政府信息公开|信息公开)?(?:方面)?(?:的)?行政复议",
        zero=True,
    ),
    _rule(
        "leg_suit_total",
        rf"行政诉讼(?P<f>{F}{{0,20}}?)(?:共计|共|为)?{N}{_CNT}",
        total=True,
        forbids=("复议",),
        topic=("公开",),
    ),
    _rule("leg_suit_total", rf"{N}(?:件|起|宗)(?:因|涉及){F}{{0,16}}?行政诉讼", total=True),
    _rule(
        "leg_suit_total",
        rf"(?:未|没有)(?:发生|收到|出现|有|被|提起)?{F}{{0,30}}?行政诉讼",
        zero=True,
    ),
    _rule(
        "leg_suit_total",
        r"无(?:提起|发生)?(?:任何)?(?:涉及|有关|关于)?(?:政府信息公开|信息公开)?(?:方面)?(?:的)?行政诉讼",
        zero=True,
    ),
    _rule("leg_review_upheld", rf"{N}(?:件|起)(?:予以)?维持", group=True),
    _rule(
        "leg_review_upheld",
        rf"维持(?:或驳回)?(?:原)?(?:具体)?(?:行政行为)?(?:的)?(?:数)?{N}(?:件|起)",
        group=True,
    ),
    _rule(
        "leg_review_corrected",
        rf"{N}(?:件|起)(?:被)?(?:依法)?(?:责令履行|撤销|纠错|确认违法|变更)",
        group=True,
    ),
    _rule(
        "leg_review_corrected",
        rf"(?:责令履行|撤销|纠错|确认违法|变更)(?:的)?(?:数)?{N}(?:件|起)",
        group=True,
    ),
    _rule("leg_review_other", rf"其他(?:情形|结果)(?:的)?(?:数)?{N}(?:件|起)", group=True),
    # 收费
    _rule("leg_fees_wan", rf"(?:未|没有|不|从未)(?:向申请人)?收取{F}{{0,16}}?费用", zero=True),
    _rule("leg_fees_wan", r"(?:无|没有|不存在)(?:任何)?收费", zero=True),
    _rule("leg_fees_wan", r"(?:均未|未|没有|从未)收费", zero=True),
    _rule("leg_fees_wan", rf"(?:未|没有)发生{F}{{0,12}}?收费", zero=True),
    _rule(
        "leg_fees_wan",
        r"收费(?:及|和|与)?(?:减免)?(?:的)?(?:情况)?[:：]?(?:无|没有)(?=[。；;]|$)",
        zero=True,
    ),
    _rule("leg_fees_wan", rf"收取{F}{{0,10}}?费用(?:为|共计|共|合计)?{_ZERO_END}", zero=True),
    _rule("leg_fees_wan", rf"收取{F}{{0,10}}?费用(?:为|共计|共|合计)?{N}元", divisor=10000),
    _rule("leg_fees_wan", rf"收取{F}{{0,10}}?费用(?:为|共计|共|合计)?{N}万元"),
    # 机构、人员、查阅点、会议培训
    _rule(
        "leg_units", r"(?:没有|无|未设立?)(?:设立)?(?:政府信息公开)?(?:工作)?专门机构", zero=True
    ),
    _rule("leg_units", rf"政府信息公开(?:工作)?专门机构{N}个"),
    _rule("leg_staff_fulltime", rf"(?:没有|无){F}{{0,16}}?(?:专职|全职)(?:工作)?人员", zero=True),
    _rule(
        "leg_staff_fulltime",
        rf"(?:专职|全职)(?:工作)?(?:人员|信息员|联络员)?(?:共|为|有)?{N}(?:人|名)",
    ),
    _rule(
        "leg_staff_parttime",
        rf"兼职(?:工作)?(?:人员|信息员|联络员)?(?:共|为|有)?{N}(?:人|名)",
    ),
    _rule("leg_staff_total", rf"从事政府信息公开工作(?:的)?(?:工作)?人员(?:共|为|有)?{N}(?:人|名)"),
    _rule("leg_reading_points", rf"查阅(?:点|场所|室)(?:共)?{N}个"),
    _rule("leg_press_conf", rf"(?:召开|举办|参加)(?:了)?(?:各类)?新闻发布会(?:共)?{N}(?:次|场)"),
    _rule(
        "leg_press_conf",
        rf"新闻发布会(?:方面)?[，,]{F}{{0,8}}?(?:召开|举办|参加)(?:了)?(?:共)?{N}(?:次|场)",
    ),
    _rule(
        "leg_press_conf_head",
        rf"主要负责(?:同志|人)(?:参加|出席)(?:新闻发布会)?(?:共)?{N}(?:次|场)",
        topic=("新闻发布会",),
        forbids=("访谈",),
    ),
    _rule(
        "leg_meetings",
        rf"召开(?:了)?{F}{{0,14}}?(?:工作会议|专题会议)(?:共)?{N}次",
        topic=("公开",),
    ),
    _rule("leg_trainings", rf"举办(?:了)?{F}{{0,12}}?培训班(?:共)?{N}(?:次|期|场|个)"),
    _rule("leg_trainees", rf"(?:接受)?培训(?:人员|干部|工作人员)?(?:共计|共|达)?{N}人次"),
    _rule("leg_policy_explainers", rf"(?:发布)?(?:政策)?解读(?:稿件|材料|文章)(?:共)?{N}篇"),
    _rule(
        "leg_complaints",
        rf"(?:举报投诉|投诉举报|投诉、举报|举报、投诉|投诉和举报|举报和投诉)(?:案件)?(?:数量|数)?(?:共计|共|为)*{N}(?:件|起)",
        topic=("公开",),
    ),
    _rule(
        "leg_complaints",
        rf"(?:未|没有)(?:收到|接到|发生|受理|出现)?{F}{{0,20}}?(?:投诉|举报)",
        zero=True,
        topic=("公开",),
    ),
    _rule(
        "leg_complaints",
        rf"无{F}{{0,12}}?(?:举报投诉|投诉举报)",
        zero=True,
        topic=("公开",),
    ),
    _rule(
        "leg_complaints",
        rf"(?:举报投诉|投诉举报)(?:方面)?[，,]{F}{{0,8}}?(?:未|没有)(?:发生|收到|出现)",
        zero=True,
    ),
)

_RESULT_SUFFIXES = ("_upheld", "_corrected", "_other")


@dataclass(frozen=True)
class ProseFact:
    """One figure read from a sentence, located by its offset in the original text."""

    key: str
    value: int | float
    raw: str
    offset: int
    flags: tuple[str, ...] = ()
    unit: str | None = None


@dataclass
class ProseFacts:
    """Every key stated in the prose (the first statement wins), plus what the checks need."""

    facts: dict[str, ProseFact] = field(default_factory=dict)
    conflicts: dict[str, list[int | float]] = field(default_factory=dict)
    combined_outcomes: list[int] = field(default_factory=list)


def normalize_prose(text: str) -> tuple[str, list[int]]:
    """Return the text in matching form (NFKC, no whitespace or quotes, no thousands commas)
    and, for each of its characters, the offset of the original character it came from."""
    pieces = list(map(_prose_chars, text))
    joined = "".join(pieces)
    offsets = list(chain.from_iterable(map(repeat, range(len(text)), map(len, pieces))))
    commas = {match.start() for match in _THOUSANDS.finditer(joined)}
    if not commas:
        return joined, offsets
    keep = [i for i in range(len(joined)) if i not in commas]
    return "".join(joined[i] for i in keep), [offsets[i] for i in keep]


@cache  # one entry per distinct character
def _prose_chars(ch: str) -> str:
    """Return what `normalize_prose` keeps of one character: its NFKC form without whitespace
    or quotes."""
    normal = unicodedata.normalize("NFKC", ch)
    return "".join(out for out in normal if not (out.isspace() or _QUOTES.match(out)))


def _number(raw: str) -> tuple[int | float | None, tuple[str, ...]]:
    """Return the value of a matched count and its flags."""
    if raw[0].isdigit():
        return (float(raw) if "." in raw else int(raw)), ()
    value = chinese_to_int(raw)
    return value, ("chinese_numeral",)


def _sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of the sentence holding norm[start:end]."""
    left = max(norm.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    rights = [i for ch in _SENTENCE_END if (i := norm.find(ch, end)) >= 0]
    return left, min(rights) if rights else len(norm)


def _clause_start(norm: str, start: int) -> int:
    """Return where the clause holding position `start` begins."""
    return max(norm.rfind(ch, 0, start) for ch in _SENTENCE_END + "，,：:") + 1


def _approximate(norm: str, match: re.Match[str]) -> bool:
    """Return True when the number is hedged (`约4900人次`, `20件左右`)."""
    before = norm[max(0, match.start("n") - 2) : match.start("n")]
    after = norm[match.end() : match.end() + 2]
    return before.endswith(_APPROX_BEFORE) or after.startswith(_APPROX_AFTER)


_HAS_COUNT = re.compile(r"\d|[零〇一二两三四五六七八九十百千]+(?:件|条|人|名|次|个|起|宗|场|篇)")
# A year printed in the sentence before a figure (`2016年，…1320条`).
_YEAR = re.compile(r"((?:19|20)\d{2})年(?!\d)")
# Comparisons with the year before (`较上年`, `去年同期`): figures there are not this year's.
_PRIOR_YEAR = re.compile(r"上年|去年|上一年|前一年|同比|同期")
# A running total over more than the year (`截至…累计`, `…以来累计`).
_SINCE = re.compile(r"截至|截止|以来|至今|历年")
# The report's own year, from its title (`…2017年政府信息公开工作年度报告`).
_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})年(?:度)?[^。\n]{0,40}?信息公开[^。\n]{0,6}?年度报告")


def report_year(norm: str) -> int | None:
    """Return the year the report's title names, or None."""
    match = _REPORT_YEAR.search(norm[:2000])
    return int(match.group(1)) if match else None


def _about_another_year(norm: str, start: int, match: re.Match[str], year: int | None) -> bool:
    """Return True when the figure belongs to another year than the report's: the last year
    printed in its sentence before it differs from the report year, or its clause compares
    with the year before."""
    s_start, _ = _sentence(norm, match.start(), match.end())
    stop = match.start("n") if match.groupdict().get("n") is not None else match.end()
    years = _YEAR.findall(norm[s_start:stop])
    if years and year is not None and int(years[-1]) != year:
        return True
    return bool(_PRIOR_YEAR.search(norm[start:stop]))


def _combined(norm: str, start: int) -> bool:
    """Return True when the label at `start` is the last of an enumeration sharing one number
    (`非政府信息、政府信息不存在、非本机关政府信息的件数为2件`): the item before its `、` has no
    number of its own."""
    if start == 0 or norm[start - 1] != "、":
        return False
    item_start = max(norm.rfind(ch, 0, start - 1) for ch in _SENTENCE_END + "，,：:、") + 1
    return not _HAS_COUNT.search(norm[item_start : start - 1])


def _group_of(norm: str, start: int) -> str | None:
    """Return `review` or `suit`: whichever of `复议`/`诉讼` occurs last within 120 characters
    before `start`."""
    window = norm[max(0, start - 120) : start]
    review, suit = window.rfind("复议"), window.rfind("诉讼")
    if review < 0 and suit < 0:
        return None
    return "review" if review > suit else "suit"


def parse_prose(text: str) -> ProseFacts:
    """Given a report's text (tables cut out), return the facts its sentences state."""
    norm, offsets = normalize_prose(text)
    year = report_year(norm)
    out = ProseFacts()
    found: list[tuple[int, ProseFact]] = []
    for rule in RULES:
        for match in rule.pattern.finditer(norm):
            if _about_another_year(norm, _clause_start(norm, match.start()), match, year):
                continue
            fact_keys = _read_match(rule, norm, match, out)
            if fact_keys is None:
                continue
            value, flags, keys = fact_keys
            raw_start, raw_end = _sentence(norm, match.start(), match.end())
            raw = norm[max(raw_start, match.start() - 20) : min(raw_end, match.end() + 4)]
            for key in keys:
                fact = ProseFact(key, value, raw, offsets[match.start()], flags)
                found.append((match.start(), fact))
    # The first statement in reading order wins; a later, different figure is a conflict.
    for _, fact in sorted(found, key=lambda item: item[0]):
        kept = out.facts.get(fact.key)
        if kept is None:
            out.facts[fact.key] = fact
        elif kept.value != fact.value and "prose_zero" not in fact.flags:
            if "prose_zero" in kept.flags:
                # A stated number outranks a zero statement read from a wording.
                out.facts[fact.key] = fact
            out.conflicts.setdefault(fact.key, []).append(fact.value)
    _single_case_result(norm, offsets, out)
    return out


def _read_match(
    rule: Rule, norm: str, match: re.Match[str], out: ProseFacts
) -> tuple[int | float, tuple[str, ...], tuple[str, ...]] | None:
    """Return (value, flags, keys) for one match, or None when the match must be skipped."""
    s_start, s_end = _sentence(norm, match.start(), match.end())
    sentence = norm[s_start:s_end]
    clause = norm[_clause_start(norm, match.start()) : match.start()]
    if "历年" in clause or "历年" in match.group():
        return None
    if ("累计" in clause or "累计" in match.group()) and _SINCE.search(
        norm[s_start : match.start()]
    ):
        return None  # `截至2017年底，累计…`: a running total, not the year's figure
    if rule.needs and not all(word in sentence for word in rule.needs):
        return None
    if rule.topic and not any(word in sentence for word in rule.topic):
        return None
    filler = match.groupdict().get("f") or ""
    if rule.needs and "f" in match.groupdict() and not all(w in filler for w in rule.needs):
        return None
    if any(word in filler or word in clause for word in rule.forbids):
        return None
    if rule.total and "其中" in norm[s_start : match.start()]:
        return None
    keys = rule.keys
    if rule.group:
        group = _group_of(norm, match.start())
        if group is None:
            return None
        suffix = next(s for s in _RESULT_SUFFIXES if rule.keys[0].endswith(s))
        keys = (f"leg_{group}{suffix}",)
    if rule.zero:
        flags: tuple[str, ...] = ("prose", "prose_zero")
        value: int | float = 0
    else:
        if _approximate(norm, match):
            return None
        number, number_flags = _number(match.group("n"))
        if number is None:
            return None
        if _combined(norm, match.start()):
            if keys[0] in OUTCOME_KEYS and isinstance(number, int):
                out.combined_outcomes.append(number)
            return None
        value = number / rule.divisor if rule.divisor != 1 else number
        flags = ("prose", *number_flags) + (("unit_yuan",) if rule.divisor != 1 else ())
    if keys[0] in REVIEW_KEYS | SUIT_KEYS:
        flags = (*flags, "semantics_uncertain")
    return value, flags, keys


_RESULT_UPHELD = re.compile(r"复议(?:的)?(?:处理)?结果|复议机关")
_CORRECTING = ("撤销", "确认违法", "责令", "纠正", "纠错", "变更")


def _single_case_result(norm: str, offsets: list[int], out: ProseFacts) -> None:
    """Record `upheld = 1` for a single review whose stated result is `维持` without a count
    (`有1起…行政复议…结果是，…维持被申请人的答复行为`): one case has exactly one result."""
    total = out.facts.get("leg_review_total")
    if (
        total is None
        or total.value != 1
        or any(f"leg_review{s}" in out.facts for s in _RESULT_SUFFIXES)
    ):
        return
    for match in _RESULT_UPHELD.finditer(norm):
        window = norm[match.end() : match.end() + 800]
        heading = re.search(r"[。；][一二三四五六七八九十]{1,2}、", window)
        if heading:
            window = window[: heading.start()]
        upheld = re.search(
            r"维持(?:被申请人|原|了)?(?:的)?(?:具体)?(?:行政行为|答复|决定|处理)", window
        )
        if upheld and not any(word in window[: upheld.start()] for word in _CORRECTING):
            raw = norm[match.start() : match.end()] + "…" + upheld.group()
            out.facts["leg_review_upheld"] = ProseFact(
                "leg_review_upheld",
                1,
                raw,
                offsets[match.end() + upheld.start()],
                ("prose", "single_case_result", "semantics_uncertain"),
            )
            return


def request_total(text: str) -> ProseFact | None:
    """Given a report's text, return the request total its prose states (`共收到…申请29件`)."""
    return parse_prose(text).facts.get("leg_req_received")


def line_of(text: str, offset: int) -> int:
    """Return the 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def prose_cells(facts: ProseFacts, text: str) -> list[Cell]:
    """Return one contract cell per prose fact, located by its text line."""
    cells = []
    for fact in facts.facts.values():
        flags = list(fact.flags)
        if fact.key in facts.conflicts:
            flags.append("prose_conflict:" + ",".join(f"{v:g}" for v in facts.conflicts[fact.key]))
        cells.append(
            Cell(
                table="legacy",
                row=fact.key,
                col=None,
                raw=fact.raw,
                value=fact.value,
                ref=f"line {line_of(text, fact.offset)}",
                unit="万元" if fact.key.endswith("_wan") else fact.unit,
                flags=flags,
            )
        )
    return cells
