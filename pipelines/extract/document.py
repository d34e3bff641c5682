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


@dataclass
class Metadata:
    """What the title and body say about a document."""

    title: str | None
    agency: str | None
    year: int | None
    is_report: bool
    flags: list[str] = field(default_factory=list)


def find_title(text: str) -> str | None:
    """Return the report title: a `标题:` header field, else the first non-empty lines up to the
    first one naming a report (titles wrap onto a second line), else the first line."""
    header = _TITLE_FIELD.search(text[:2000])
    if header:
        return header.group(1).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()][:4]
    for end in range(len(lines)):
        joined = "".join(lines[: end + 1])
        if any(word in joined for word in _REPORT_WORDS) and len(joined) <= 120:
            return joined
    return lines[0] if lines else None


def _agency_from_title(title: str) -> str | None:
    """Return the agency named in a title: the text before the year, or between the year and
    `政府信息公开` when the title starts with the year (`2020 年度区财政局政府信息公开…`)."""
    match = _YEAR.search(title)
    if not match:
        return None
    before = re.sub(r"\s+", "", title[: match.start()])
    # `某局政府信息公开工作年度报告（2020年）`: the year comes last, the agency before the words.
    before = re.split(r"(?:政府)?信息公开", before)[0]
    before = re.sub(r"(关于|[（(])$", "", before)
    if before:
        return before
    after = re.sub(r"^度", "", title[match.end() :].strip())
    end = after.find("政府信息公开")
    if end <= 0:
        end = after.find("信息公开")
    return re.sub(r"\s+", "", after[:end]) if end > 0 else None


def _complete_from_body(agency: str, body: str) -> str | None:
    """Given a partial agency name (`区财政局`), return the fullest place-qualified form the body
    uses (`下城区财政局`), or None. Place names are the CJK run before the name, cut at a
    function character, and at least two characters long."""
    found: Counter[str] = Counter()
    for match in re.finditer(re.escape(agency), body):
        before = body[max(0, match.start() - 4) : match.start()]
        place = ""
        for ch in reversed(before):
            if not ("\u4e00" <= ch <= "\u9fff") or ch in _NOT_PLACE:
                break
            place = ch + place
        if len(place) >= 2:
            found[place + agency] += 1
    return found.most_common(1)[0][0] if found else None


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

    The file name is used only as a fallback for the year (flagged `year_from_file_name`).
    """
    title = find_title(text)
    flags: list[str] = []
    is_report = is_report_title(title or "")
    if not is_report:
        # A cover letter (关于报送…的函) may precede the report: accept a report title below it.
        lines = [line.strip() for line in text.splitlines()[:80] if 0 < len(line.strip()) <= 60]
        inner = next((line for line in lines if is_report_title(line)), None)
        if inner is not None:
            is_report, title = True, inner
            flags.append("title_below_cover_letter")
    year = None
    if (title and (m := _YEAR.search(title))) or (m := _PERIOD.search(text)):
        year = int(m.group(1))
    elif m := re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", file_name):
        year = int(m.group(1))
        flags.append("year_from_file_name")
    agency = _agency_from_title(title) if title else None
    if agency and agency.startswith(_LEVEL_PREFIXES):
        fuller = _complete_from_body(agency, text)
        if fuller:
            agency = fuller
            flags.append("agency_from_body")
        else:
            flags.append("agency_partial")
    if agency is None:
        flags.append("agency_unresolved")
    return Metadata(title, agency, year, is_report, flags)
