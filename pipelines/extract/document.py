"""Report-level metadata: title, agency, year, and whether a title reads as an annual report
(other genres and blank templates: `pipelines.extract.genre`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipelines.extract.labels import normalize

_TITLE_FIELD = re.compile(r"^\s*标题\s*[:：]\s*(.+)$", re.MULTILINE)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REPORT_WORDS = ("年度报告", "工作报告", "年报", "年度工作报告")
_PERIOD = re.compile(r"统计期限为\s*((?:19|20)\d{2})\s*年")
# Characters that cannot end a place name: they mark the word before an agency name.
_NOT_PLACE = set("在和及了的等对为与是由将把向从我本全各该此其即并年度月日")
_NOT_A_REPORT_TITLE = re.compile(r"^关于|(通知|函|意见|方案|办法)$")
_LEVEL_PREFIXES = ("区", "县", "市", "镇", "乡", "街道")
# Punctuation that may touch a name in a title but is no part of it.
_NAME_EDGE = "《》〈〉“”‘’\"'「」『』【】[]:：,，、.。·•-—_ \u3000"
_SENTENCE = re.compile(r"[。，；！？,;]|《")

# Markup a converter leaves around a title: Markdown heading marks, emphasis, links and images,
# HTML tags and entities, list bullets.
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_HTML_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|#12288|#160);?")
_MD_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}|>+)\s*")
_MD_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}|~~|`+")
# Page furniture: page numbers (`-1-`, `- 2 -`, `— 3 —`, `第1页`, `第 1 页 共 5 页`, `1/5`,
# `Page 1 of 5`), dates and web-page fields (`来源：`, `发布时间：`).
_DASH = "-－—–―‐"
_PAGE_NUMBER = re.compile(
    rf"[{_DASH}]\s*\d{{1,3}}\s*[{_DASH}]"
    r"|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|共\s*\d{1,3}\s*页"
    r"|(?i:page)\s*\d{1,3}(?:\s*(?i:of)\s*\d{1,3})?"
    r"|(?<![\d.])\d{1,3}\s*/\s*\d{1,3}(?![\d.])"
)
_PAGE_LINE = re.compile(rf"^(?:{_PAGE_NUMBER.pattern}|\d{{1,3}})$")
# A clock time: `9:41`, `15:05:33`, `上午9:41`, `下午 3:05`, `9:41 AM`.
_CLOCK = (
    r"(?:(?:上午|下午|中午|晚上|凌晨)\s*)?\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
    r"(?:\s*(?i:[ap]\.?m\.?)(?![A-Za-z]))?"
)
_DATE_TEXT = re.compile(
    r"(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    rf"(?:\s*{_CLOCK})?"
)
# Browser print furniture (Chromium, Firefox, Edge, IE: `File > Print` with headers and
# footers on): the page header is the print date and time, then the page title
# (`2018/3/26 上午9:41 <title>`, `2021/4/2 下午3:05`, `2021-04-02 15:05`, `18-3-26 上午9:41`,
# `3/26/18, 9:41 AM`); the footer is the URL and an `n/m` page counter. A date is a print
# stamp only with its clock time (two-digit years too); a clock with 上午/下午 stands alone.
_PRINT_STAMP = re.compile(
    rf"(?<![\d.])(?:(?:19|20)?\d{{2}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}"
    rf"|(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
    rf"|\d{{1,2}}/\d{{1,2}}/(?:19|20)?\d{{2}})\s*[,，]?\s*{_CLOCK}"
    r"|(?:上午|下午|中午|晚上|凌晨)\s*\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
)
_URL = re.compile(r"(?i:(?:https?|file|ftp)://|www\.)[!-~]+")
_WEB_FIELD = re.compile(
    r"(?:来源|信息来源|发布时间|发布日期|发文日期|成文日期|发布机构|浏览次数|访问量|点击数|时间|日期"
    r"|作者|字号|索引号|文号|分类|栏目|【?打印】?|【?关闭】?)\s*[:：]"
)
# Words an agency name ends with (a place alone names its government's aggregate report).
AGENCY_END = re.compile(
    r"(?:[局委办厅院府部署室所站队馆社司会处]|中心|街道|办事处|[区县市省镇乡旗州盟])[）)]?$"
)
# A district- or county-level place at the start of a name: the name may omit its parent city.
_SUB_CITY_LEAD = re.compile(r"^[\u4e00-\u9fff]{1,8}?[区县旗]")
_CITY_LEAD = re.compile(r"^[\u4e00-\u9fff]{1,8}?[省市州盟]")
# A parent place (prefecture level) printed right before a district or county name.
_PARENT_PLACE = re.compile(r"([^省市区县旗]{2,6}?(?:市|州|盟|地区))$")


@dataclass
class Metadata:
    """What the title and body say about a document."""

    title: str | None
    agency: str | None
    year: int | None
    is_report: bool
    flags: list[str] = field(default_factory=list)


def clean_line(line: str) -> str:
    """Return a line without markup (`#`, `**`, `[text](url)`, HTML tags and entities) and page
    furniture (page numbers such as `-1-`, `- 2 -`, `第 1 页 共 5 页`, `1/3`; dates; a browser's
    print date and time and URLs), trimmed."""
    text = _MD_IMAGE.sub("", line)
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML_ENTITY.sub(" ", _HTML_TAG.sub("", text))
    text = _MD_EMPHASIS.sub("", _MD_HEADING.sub("", text))
    text = _PRINT_STAMP.sub(" ", _URL.sub(" ", text))
    text = _DATE_TEXT.sub(" ", text)
    text = _PAGE_NUMBER.sub(" ", text)
    return text.strip(" \t\u3000\u00a0|｜·•")


def _is_page_number(raw: str) -> bool:
    """Return True when a raw line is a page number and nothing else, or a browser's page
    footer: its URL and page counter (`http://… 1/3`)."""
    text = _URL.sub("", _MD_EMPHASIS.sub("", _HTML_TAG.sub("", raw)))
    text = re.sub(r"\s+", "", text)
    return bool(text) and bool(_PAGE_LINE.match(text))


def _is_browser_header(raw: str) -> bool:
    """Return True for a browser's page header: a line starting with the print date and time,
    whatever page title follows it (`2018/3/26 上午9:41 2017年政府信息公开工作年度报告`)."""
    text = _MD_HEADING.sub("", _HTML_TAG.sub("", raw)).strip(" \t\u3000\u00a0")
    return bool(_PRINT_STAMP.match(text))


def _is_furniture(raw: str) -> bool:
    """Return True for a line that is page or web-page furniture, never part of a title: a
    page number, a date, a web field (`来源：`, `发布时间：`, …), a browser's print header
    (date and time, page title) or footer (URL, page counter), or nothing once cleaned."""
    if _is_page_number(raw) or _is_browser_header(raw):
        return True
    stripped = _MD_HEADING.sub("", raw).strip()
    if _WEB_FIELD.match(stripped) and not _TITLE_FIELD.match(stripped):
        return True
    return not clean_line(raw)


def running_headers(text: str) -> set[str]:
    """Return the cleaned lines that are running headers or footers: short lines printed on most
    pages (at least twice, and at least half as often as there are page numbers), each time at
    a page edge (the start or end of the text, next to a page-number line, or carrying a page
    number). A signature (a line above a date), a title line the body repeats elsewhere, or a
    line that reads as a report title is no header."""
    raw_lines = [line.strip() for line in text.splitlines() if line.strip()]
    numbers = [_is_page_number(raw) for raw in raw_lines]
    counts: Counter[str] = Counter()
    at_edge: Counter[str] = Counter()
    signed: set[str] = set()
    last = len(raw_lines) - 1
    for index, raw in enumerate(raw_lines):
        cleaned = clean_line(raw)
        if not cleaned or len(cleaned) > 40 or numbers[index]:
            continue
        counts[cleaned] += 1
        below = raw_lines[index + 1].replace(" ", "") if index < last else ""
        if _DATE_TEXT.fullmatch(below) and not _PRINT_STAMP.search(below):
            signed.add(cleaned)  # a signature (落款) above its date, not above a print stamp
        edge = index in (0, last) or bool(_PAGE_NUMBER.search(raw))
        if edge or any(numbers[max(0, index - 1) : index] + numbers[index + 1 : index + 2]):
            at_edge[cleaned] += 1
    # A header is on most pages: as many times as half the page numbers, at least twice.
    pages = sum(numbers)
    return {
        line
        for line, n in counts.items()
        if n >= max(2, pages // 2)
        and at_edge[line] == n
        and line not in signed
        and not is_report_title(line)
    }


def title_lines(text: str, limit: int = 40) -> list[str]:
    """Return the document's first lines as a title reader should see them: cleaned of markup
    and page numbers, without furniture lines or running headers."""
    headers = running_headers(text)
    lines: list[str] = []
    for raw in text.splitlines():
        if not raw.strip() or _is_furniture(raw):
            continue
        cleaned = clean_line(raw)
        if cleaned in headers:
            continue
        lines.append(cleaned)
        if len(lines) >= limit:
            break
    return lines


def find_title(text: str) -> str | None:
    """Return the report title: a `标题:` header field, else the first lines (furniture and
    running headers left out, markup removed) up to the first one naming a report (titles wrap
    onto a second line), else the first line."""
    header = _TITLE_FIELD.search(text[:2000])
    if header:
        return clean_line(header.group(1))
    lines = title_lines(text, limit=4)
    titles = _joined_titles(lines)
    if not titles:
        return lines[0] if lines else None
    first = titles[0]
    if is_report_title(first) and _agency_from_title(first) is None:
        # A title naming no agency above one that does, for the same year: the first is a
        # page title (a browser prints the web page's title on every page), the second the
        # report's own.
        year = _YEAR.search(first)
        for later in titles[1:]:
            named = _YEAR.search(later)
            if (
                is_report_title(later)
                and _agency_from_title(later) is not None
                and year is not None
                and named is not None
                and named.group(1) == year.group(1)
            ):
                return later
    return first


def _joined_titles(lines: list[str]) -> list[str]:
    """Return the report titles in a document's first lines, in order: each the lines after
    the previous one up to the next line naming a report (titles wrap over lines)."""
    titles: list[str] = []
    start = 0
    for end in range(len(lines)):
        joined = "".join(lines[start : end + 1])
        if any(word in joined for word in _REPORT_WORDS) and len(joined) <= 120:
            titles.append(joined)
            start = end + 1
    return titles


def _agency_from_title(title: str) -> str | None:
    """Return the agency named in a title: the text before the year, or between the year and
    `政府信息公开` when the title starts with the year (`2020 年度区财政局政府信息公开…`)."""
    title = clean_line(title)
    match = _YEAR.search(title)
    if not match:
        return None
    before = re.sub(r"\s+", "", title[: match.start()]).strip(_NAME_EDGE)
    # `某局政府信息公开工作年度报告（2020年）`: the year comes last, the agency before the words.
    before = re.split(r"(?:政府)?信息公开", before)[0]
    before = re.sub(r"(关于|[（(])$", "", before).strip(_NAME_EDGE)
    if before:
        return before
    after = re.sub(r"^度", "", title[match.end() :].strip())
    if re.match(r"\s*(?:政府)?信息公开", after):
        return None  # `2020年政府信息公开工作年度报告` names no agency
    end = after.find("政府信息公开")
    if end <= 0:
        end = after.find("信息公开")
    name = re.sub(r"\s+", "", after[:end]).strip(_NAME_EDGE) if end > 0 else ""
    return name or None


def _place_before(body: str, start: int) -> str:
    """Return the CJK run printed right before `start`, cut at a function character."""
    place = ""
    for ch in reversed(body[max(0, start - 8) : start]):
        if not ("\u4e00" <= ch <= "\u9fff") or ch in _NOT_PLACE:
            break
        place = ch + place
    return place


def _is_sub_city(agency: str) -> bool:
    """Return True when a name starts with a district or county (`青山区人民政府`), not with a
    city or province (`杭州市余杭区发改局`) or a bare level word (`区财政局`)."""
    level = re.search(r"[省市区县旗州盟]", agency[:10])
    return level is not None and level.start() >= 1 and level.group() in "区县旗"


def _complete_from_body(agency: str, body: str) -> str | None:
    """Given an agency name as a title prints it, return the fuller name the body uses for the
    same agency, or None when the body prints none.

    The rule: the report is by the agency its title names, so the body may only add the place
    the title left out in front of that name, never change how it ends.

    * A bare level word (`区财政局`): the place run printed right before the name in the body
      (`下城区财政局`), at least two characters, cut at a function character.
    * A district or county name (`青山区人民政府`): its parent, a prefecture-level place
      (`…市`, `…州`, `…盟`, `…地区`; never a province) printed right before the name
      (`青溪市青山区人民政府办公室` → `青溪市青山区人民政府`). The body's `办公室` after the name
      is not taken: 人民政府 and its 办公室 are two agencies.
    * A name that starts with a city or province is complete as printed.

    Where the body prints several completions, the most frequent wins.
    """
    found: Counter[str] = Counter()
    bare = agency.startswith(_LEVEL_PREFIXES)
    if not bare and not _is_sub_city(agency):
        return None
    for match in re.finditer(re.escape(agency), body):
        place = _place_before(body, match.start())
        if bare:
            if len(place) >= 2:
                found[place[-4:] + agency] += 1
        elif parent := _PARENT_PLACE.search(place):
            found[parent.group(1) + agency] += 1
    return found.most_common(1)[0][0] if found else None


def complete_agency(agency: str, body: str) -> tuple[str, list[str]]:
    """Given a title's agency and the document text, return the agency completed from the
    body (`_complete_from_body`: a bare level word gets its district, a district its city)
    and the flags saying so (`agency_from_body`, or `agency_partial` when a bare level word
    stays unresolved: then it is kept as printed, never guessed)."""
    flags: list[str] = []
    fuller = _complete_from_body(agency, body)
    if fuller:
        agency = fuller
        flags.append("agency_from_body")
        # A bare `区财政局` completed to `下城区财政局` may take its city in turn.
        if (city := _complete_from_body(agency, body)) is not None:
            agency = city
    elif agency.startswith(_LEVEL_PREFIXES):
        flags.append("agency_partial")
    return agency, flags


def _letter_sender(letter_title: str) -> str | None:
    """Return the sender a cover letter's title names (`X关于报送…的函` → X), else None."""
    match = re.match(r"^(.+?)关于", re.sub(r"\s+", "", clean_line(letter_title)))
    if match:
        name = match.group(1).strip(_NAME_EDGE)
        if len(name) >= 3 and AGENCY_END.search(name) and not _YEAR.search(name):
            return name
    return None


def signature_agency(lines: list[str]) -> str | None:
    """Given a document's lines, return the agency signing it (落款): the last short line
    before a date that ends with an agency word, or such a name with the date on its line."""
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        date = _DATE_TEXT.search(line)
        if not date or line[date.end() :].strip(" 。.") or "年度" in line:
            continue
        name = line[: date.start()].strip(_NAME_EDGE)
        if not name:
            previous = [x.strip() for x in lines[max(0, index - 3) : index] if x.strip()]
            name = clean_line(previous[-1]).strip(_NAME_EDGE) if previous else ""
        if 3 <= len(name) <= 40 and not _SENTENCE.search(name) and AGENCY_END.search(name):
            return name
    return None


def title_agency_year(title: str) -> tuple[str | None, int | None]:
    """Given a report title, return the agency and year it names (None where it names none)."""
    match = _YEAR.search(title)
    return _agency_from_title(title), int(match.group(1)) if match else None


def is_report_title(line: str) -> bool:
    """Return True when a line reads as a report title, not a notice or letter about one."""
    text = normalize(line)
    if _NOT_A_REPORT_TITLE.search(text):
        return False
    return "信息公开" in text and any(word in text for word in _REPORT_WORDS)


def read_metadata(text: str, file_name: str) -> Metadata:
    """Given a document's text and file name, return its title, agency, year and report-ness.

    The agency is the one the title names, free of page furniture and markup (`clean_line`),
    completed in front from the body where the title leaves out its place (`complete_agency`).
    Only when no title names one (a bare `2020年政府信息公开工作年度报告`, or the report's
    own heading under a cover letter) does the agency come from elsewhere, taken as printed
    there: the cover letter's sender (`X关于报送…的函`), else the signature (落款) of the letter
    or of the report, flagged `agency_from_cover_letter` / `agency_from_signature`.

    The file name is used only as a fallback for the year (flagged `year_from_file_name`).
    """
    title = find_title(text)
    flags: list[str] = []
    is_report = is_report_title(title or "")
    letter: str | None = None
    if not is_report:
        # A cover letter (关于报送…的函) may precede the report: accept a report title below it,
        # a line standing alone (no sentence quoting the report's name).
        lines = [line for line in title_lines(text, limit=80) if len(line) <= 60]
        inner = next(
            (line for line in lines if is_report_title(line) and not _SENTENCE.search(line)),
            None,
        )
        if inner is not None:
            is_report, letter, title = True, title, inner
            flags.append("title_below_cover_letter")
    year = None
    if (title and (m := _YEAR.search(title))) or (m := _PERIOD.search(text)):
        year = int(m.group(1))
    elif m := re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", file_name):
        year = int(m.group(1))
        flags.append("year_from_file_name")
    agency = _agency_from_title(title) if title else None
    if agency:
        agency, completed = complete_agency(agency, text)
        flags.extend(completed)
    elif letter is not None and (sender := _letter_sender(letter)):
        agency = sender
        flags.append("agency_from_cover_letter")
    elif is_report and (signed := _report_signature(text, title)):
        agency = signed
        flags.append("agency_from_signature")
    if agency is None:
        flags.append("agency_unresolved")
    return Metadata(title, agency, year, is_report, flags)


def _report_signature(text: str, title: str | None) -> str | None:
    """Return the agency signing a report whose title names none: the cover letter's signature
    when the report sits below one (the lines before its title), else the report's own."""
    lines = text.splitlines()
    if title:
        at = next((i for i, line in enumerate(lines) if clean_line(line) == title), None)
        if at:
            signed = signature_agency(lines[:at])
            if signed:
                return signed
    return signature_agency(lines)
