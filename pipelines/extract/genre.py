"""Documents that are not one annual report: other genres about reports, other government
genres, blank templates, list pages, and files bundling several reports.

Decided from the document's own heading (its first lines, before any section or prose) and from
its structure (how many report titles, how many T3 tables), never from one word of the body:
real reports say 政策解读, 评估 and 预算 in their prose and tables too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.extract.document import AGENCY_END, is_report_title, title_agency_year
from pipelines.extract.labels import normalize
from pipelines.extract.layout import Line
from pipelines.extract.model import Cell, Reason
from pipelines.extract.tokens import line_to_tokens


@dataclass(frozen=True)
class Genre:
    """A recognised non-report genre: the quarantine reason, its name and the evidence seen."""

    reason: Reason
    name: str
    evidence: str

    @property
    def detail(self) -> str:
        """Return the human reason recorded on the quarantined result."""
        if self.reason is Reason.NOT_A_REPORT:
            return f"{self.name}, not an annual report: {self.evidence}"
        return f"{self.name}: {self.evidence}"


# Furniture of saved web pages (`发布时间: …`, `当前位置: 首页 > …`, menus): never a title.
_FIELD = re.compile(
    r"^(?:发布|成文|印发)?(?:时间|日期):|^(?:信息)?来源:|^(?:文号|发布机构|发文机关|栏目|原文链接|"
    r"本地目录|浏览次数|点击|作者|字号|索引号|(?:主题)?分类|责任编辑|编辑|所属)[^:]{0,4}:|"
    r"^(?:当前位置|您的位置|您现在的位置|首页)|[>»|]"
)
_SECTION = re.compile(
    r"^[一二三四五六七八九十]+[、.]|^\(?[一二三四五六七八九十]\)|^第[一二三四五六七八九十]+部分"
)
_PROSE = re.compile(r"[。，；,;]")
_LEAD_IN = re.compile(r"^(?:根据|按照|依据|依照|现将|现公布|本报告)")
_TITLE_END = re.compile(r"(?:年度报告|年报|工作报告)(?:\(.{0,12}\))?$")
_REPORT_WORD = re.compile(r"年度报告|年报|工作报告")
_YEAR = r"(?:19|20)\d{2}"

# Title families, matched on the normalised heading (NFKC: full-width punctuation is ASCII).
_COMPARISON = re.compile(
    rf"对比|比较|比对|对照|分析|{_YEAR}年?(?:度)?(?:与|和|及|同|vs\.?|VS\.?){_YEAR}年"
)
_ASSESSMENT = re.compile(
    r"第三方评估|评估报告|评估结果|测评|评价报告|透明度指数|指数报告|排行榜|排名"
)
_NEWS = re.compile(
    r"图解|一图读懂|图说|解读|新闻(?:发布|稿|通稿|动态|报道)|要闻|答记者问|发布会"
    r"|(?:发布|公布|出炉|晒出|亮出)了?.{0,40}(?:年度报告|年报)"
)
_NOTICE = re.compile(r"通知|通告")
_NOTICE_ASKS = re.compile(r"做好|编制|报送|撰写|起草|部署|组织开展")
_WRAPPER = re.compile(r"印发|转发")
_OTHER_GENRES = (
    (re.compile(r"预算|决算|三公.?经费"), "a 部门预算/决算 (budget or final accounts)"),
    (re.compile(r"统计公报|国民经济和社会发展"), "a 统计公报 (statistical communiqué)"),
    (re.compile(r"政府工作报告"), "a 政府工作报告 (government work report)"),
    (re.compile(r"审计(?:工作)?报告|审计结果"), "an audit report (审计)"),
    (re.compile(r"工作要点|工作计划|实施方案"), "a work plan (工作要点/计划)"),
)
_SUMMARY = re.compile(r"工作总结")
# A journalistic lead (`近日，某局发布了…年度报告。报告显示`) and news-page furniture.
_NEWS_LEAD = re.compile(
    r"(?:近日|日前|昨日|今天|今日|记者|日,).{0,60}(?:发布|公布|出炉)了?.{0,40}(?:年度报告|年报)"
    r"|报告显示"
)
_NEWS_FURNITURE = re.compile(r"责任编辑|编辑:|记者|通讯员|来源:")

# Template placeholders: the printed ones (§4.9), and X-runs standing for a name or a year.
_PLACEHOLDERS = ("（文字描述）", "(文字描述)", "XX年", "××年", "X年度")
_NAME_PLACEHOLDER = re.compile(
    r"(?:19|20)?[X×]{2,4}年|[X×]{2,}(?:局|市|区|县|省|委|办|部门|单位|镇|乡|街道)|"
    r"\((?:单位|机关|部门)名称\)|【(?:单位|机关|部门)名称】"
)

_T3_ROW = "本年新收"
_OVERVIEW = re.compile(r"^(?:[一1][、.]|第一部分)(?:总体情况|概述|概况|基本情况)")
_DATE = re.compile(rf"{_YEAR}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}日?|\[\d{{2}}-\d{{2}}\]")
_LIST_BULLET = re.compile(r"^(?:[·•▶►>*-]+|\d{1,3}[.、)](?!\d))")


def heading(text: str) -> str:
    """Given a document's text, return its heading: a `标题:` field, else the leading lines up to
    the first section heading or line of prose (at most three, web-page furniture skipped)."""
    lines: list[str] = []
    for raw in text.splitlines()[:40]:
        line = normalize(raw)
        if not line:
            continue
        if line.startswith("标题:"):
            return line.removeprefix("标题:")
        if _FIELD.search(line):
            continue
        if (
            _SECTION.match(line)
            or _PROSE.search(line)
            or _LEAD_IN.match(line)
            or line.endswith(":")  # a salutation (`各部门:`) opens the body
            or len(line) > 80
        ):
            break
        lines.append(line)
        if _TITLE_END.search(line) or len(lines) == 3:
            break
    return "".join(lines)


def _title_genre(head: str, has_tables: bool) -> Genre | None:
    """Return the genre the heading names, if any."""
    quoted = f"title {head[:80]!r}"
    if not head:
        return None
    if match := _COMPARISON.search(head):
        return Genre(
            Reason.NOT_A_REPORT,
            "a comparison or analysis of reports",
            f"{quoted} says {match.group(0)!r}",
        )
    if match := _ASSESSMENT.search(head):
        return Genre(
            Reason.NOT_A_REPORT,
            "a third-party assessment of disclosure work",
            f"{quoted} says {match.group(0)!r}",
        )
    if match := _NEWS.search(head):
        return Genre(
            Reason.NOT_A_REPORT,
            "a news item or 解读 about a report",
            f"{quoted} says {match.group(0)!r}",
        )
    notice = _NOTICE.search(head)
    if notice and not _WRAPPER.search(head) and (_NOTICE_ASKS.search(head) or not has_tables):
        return Genre(
            Reason.NOT_A_REPORT,
            "a notice about writing or publishing the reports",
            f"{quoted} is a {notice.group(0)}",
        )
    about_disclosure = "信息公开" in head and _REPORT_WORD.search(head)
    for pattern, name in _OTHER_GENRES:
        if (match := pattern.search(head)) and not about_disclosure:
            return Genre(Reason.NOT_A_REPORT, name, f"{quoted} says {match.group(0)!r}")
    if (match := _SUMMARY.search(head)) and "信息公开" not in head:
        return Genre(Reason.NOT_A_REPORT, "a 工作总结 (work summary)", f"{quoted}")
    return None


def _news_lead(text: str, head: str) -> Genre | None:
    """Return the news genre when the first lines read as journalism about a report (a lead
    such as `近日…发布了…年度报告` or `报告显示`, with byline furniture) under another title."""
    if is_report_title(head):
        return None
    first = "\n".join(normalize(line) for line in text.splitlines()[:15])
    lead, furniture = _NEWS_LEAD.search(first), _NEWS_FURNITURE.search(first)
    if lead and furniture:
        return Genre(
            Reason.NOT_A_REPORT,
            "a news item or 解读 about a report",
            f"a journalistic lead ({lead.group(0)[:40]!r}) and news furniture "
            f"({furniture.group(0)!r}) in the first lines",
        )
    return None


def _template(text: str, head: str) -> Genre | None:
    """Return the blank-template genre for the template's own placeholders anywhere, or a
    name/year placeholder (`XX局`, `20XX年`) in the heading."""
    printed = next((p for p in _PLACEHOLDERS if p in text), None)
    if printed is None and (match := _NAME_PLACEHOLDER.search(head)):
        printed = match.group(0)
    if printed is None:
        return None
    return Genre(Reason.NOT_A_REPORT, "a blank template", f"placeholder {printed!r} in the text")


def t3_table_starts(lines: Sequence[Line]) -> list[int]:
    """Given layout lines, return the indexes of T3 `本年新收` rows that carry numbers (a table
    row, not prose), counting rows closer than 5 lines as one table."""
    starts: list[int] = []
    for index, line in enumerate(lines):
        if _T3_ROW not in line.text or _PROSE.search(normalize(line.text)):
            continue
        tokens = line_to_tokens(line)
        if sum(not tok.is_label for tok in tokens) < 2:
            continue
        if not starts or index - starts[-1] >= 5:
            starts.append(index)
    return starts


def report_titles(text: str) -> list[tuple[str | None, int | None, str]]:
    """Given a text, return (agency, year, line) for each line standing alone as a report title,
    web-page fields other than `标题:` skipped, list bullets and dates removed."""
    found: list[tuple[str | None, int | None, str]] = []
    for raw in text.splitlines():
        line = normalize(raw).removeprefix("标题:")
        if not line or len(line) > 100 or _FIELD.search(line) or "/" in line:
            continue
        line = _LIST_BULLET.sub("", _DATE.sub("", line)).strip()
        if "。" in line or not re.search(_YEAR, line) or not is_report_title(line):
            continue
        agency, year = title_agency_year(line)
        if agency is not None and (len(agency) < 3 or not AGENCY_END.search(agency)):
            agency = None
        found.append((agency, year, line))
    return found


def _distinct(titles: list[tuple[str | None, int | None, str]]) -> list[tuple[str | None, int]]:
    """Return the distinct (agency, year) of report titles; an unknown agency matches any."""
    keys: list[tuple[str | None, int]] = []
    for agency, year, _ in titles:
        if year is None:
            continue
        same = any(year == y and (agency is None or a is None or agency == a) for a, y in keys)
        if not same:
            keys.append((agency, year))
    return keys


def _named(keys: list[tuple[str | None, int]]) -> str:
    """Return report keys as `agency year; …` for a detail."""
    return "; ".join(f"{agency or '(agency not named)'} {year}" for agency, year in keys)


def _structure_genre(text: str, lines: Sequence[Line], has_tables: bool) -> Genre | None:
    """Return the bundle, comparison or list-page genre read from the document's structure."""
    titles = report_titles(text)
    keys = _distinct(titles)
    t3 = t3_table_starts(lines)
    overviews = sum(bool(_OVERVIEW.match(normalize(line))) for line in text.splitlines())
    if len(keys) >= 2 and (len(t3) >= 2 or overviews >= 2):
        return Genre(
            Reason.MULTIPLE_REPORTS,
            f"{len(keys)} annual reports in one file",
            f"report titles of {_named(keys)}, with {len(t3)} request tables (T3) and "
            f"{overviews} 总体情况 sections",
        )
    if len(t3) >= 2:
        return Genre(
            Reason.NOT_A_REPORT,
            "a comparison or analysis of reports",
            f"{len(t3)} request tables (T3, `本年新收` rows) quoted in one file"
            + (f" for {_named(keys)}" if keys else ""),
        )
    prose = sum(len(line) > 100 and "。" in line for line in text.splitlines())
    if len(keys) >= 3 and not has_tables and prose < len(titles):
        return Genre(
            Reason.NOT_A_REPORT,
            "a list page linking to reports",
            f"{len(titles)} report titles listed ({_named(keys[:3])}, …) and no tables of numbers",
        )
    return None


def recognise_genre(text: str, lines: Sequence[Line], has_tables: bool) -> Genre | None:
    """Given a document's text, its layout lines and whether disclosure tables were located,
    return the non-report genre it belongs to, or None for (what reads as) one annual report."""
    head = heading(text)
    return (
        _title_genre(head, has_tables)
        or _news_lead(text, head)
        or _template(text, head)
        or _structure_genre(text, lines, has_tables)
    )


def blank_form(text: str, cells: Sequence[Cell]) -> Genre | None:
    """Given a document's text and its table cells, return the blank-template genre when every
    cell is blank and the text keeps a name or year placeholder (`XX局`, `（单位名称）`)."""
    if not cells or any(cell.raw.strip() for cell in cells):
        return None
    match = _NAME_PLACEHOLDER.search(normalize(text))
    if match is None:
        return None
    return Genre(
        Reason.NOT_A_REPORT,
        "a blank template",
        f"all {len(cells)} table cells are empty and the text keeps placeholder {match.group(0)!r}",
    )
