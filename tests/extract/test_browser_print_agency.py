"""Browser print furniture never names the agency (report-formats.md §4.1): a PDF printed from a
browser carries a page header with the print date and time and the page title
(`2018/3/26 上午9:41 2017年政府信息公开工作年度报告`) and a footer with the URL and an `n/m`
page counter. The agency is the one the report's title states, whatever the header's date and
time format, in legacy L1 forms and modern reports alike; a date-only line is never an agency.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract_document
from pipelines.extract.document import clean_line, read_metadata, title_agency_year
from tests.conftest import CORPUS, truth_for
from tests.fixtures.legacy_forms import L1_VALUES, PdfLook, render_l1_pdf
from tests.fixtures.render import render_report_pdf

# Print dates and times as browsers stamp them in the page header (zh-CN Chromium, ISO, a
# two-digit year, en-US, 年月日 with a clock).
STAMPS = (
    "2018/3/26 上午9:41",
    "2021/4/2 下午3:05",
    "2021-04-02 15:05",
    "2021-04-02 15:05:33",
    "18-3-26 上午9:41",
    "2018.3.26 上午9:41",
    "3/26/18, 9:41 AM",
    "2018年3月26日 下午3:05",
)
L1_AGENCY = "某市交通运输局"  # the title of `render_l1_pdf`: 某市交通运输局{year}年…年度报告
MODERN = {
    "2019-template": CORPUS / "real" / "104_pingtan-caijin-2020.txt",
    "2021-template": CORPUS / "real" / "109_pingtan-jiaojian-2022.txt",
}
# A page title naming no agency, and one naming the portal rather than the agency.
PAGE_TITLES = ("{year}年政府信息公开工作年度报告", "青溪市人民政府门户网站")


@pytest.mark.parametrize("year", [2014, 2017])
@pytest.mark.parametrize("stamp", STAMPS)
def test_l1_browser_print_names_the_titled_agency(stamp: str, year: int, tmp_path: Path) -> None:
    look = PdfLook(style="browser", print_stamp=stamp)
    out = extract_document(render_l1_pdf(L1_VALUES, tmp_path / "l1.pdf", look, year)).to_dict()
    assert out["status"] == "extracted"
    assert out["document"]["agency"] == L1_AGENCY
    assert out["document"]["year"] == year
    assert "agency_unresolved" not in out["document"]["flags"]


@pytest.mark.parametrize("page_title", PAGE_TITLES)
@pytest.mark.parametrize("stamp", STAMPS[:5])
@pytest.mark.parametrize("report", sorted(MODERN))
def test_modern_browser_print_names_the_titled_agency(
    report: str, stamp: str, page_title: str, corpus: Path, tmp_path: Path
) -> None:
    truth: dict[str, Any] = copy.deepcopy(truth_for(MODERN[report]))
    agency, year = truth["document"]["agency"], truth["document"]["year"]
    pdf = render_report_pdf(
        truth, "browser", print_stamp=stamp, page_title=page_title.format(year=year)
    )
    path = tmp_path / f"{report}.pdf"
    path.write_bytes(pdf)
    out = extract_document(path).to_dict()
    assert out["status"] == "extracted"
    assert out["document"]["agency"] == agency
    assert out["document"]["year"] == year


@pytest.mark.parametrize("page_title", PAGE_TITLES)
@pytest.mark.parametrize("stamp", STAMPS)
def test_a_page_title_on_its_own_line_on_every_page_is_no_agency(
    stamp: str, page_title: str
) -> None:
    """The stamp and the page title read back as two lines, repeated on every page."""
    body = [
        "一、总体情况",
        "本年度，本局认真贯彻落实《条例》。",
        "二、主动公开政府信息情况",
        "正文。",
    ]

    def page(number: int) -> list[str]:
        url = "https://www.qingxi.gov.cn/art/2018/3/26/art_1_1.html"
        return [stamp, page_title.format(year=2017), f"{url} {number}/3"]

    lines = [*page(1), "青溪市交通运输局2017年政府信息公开工作年度报告", *body]
    lines += [*page(2), *body, *page(3), *body]
    meta = read_metadata("\n".join(lines), "report.pdf")
    assert meta.agency == "青溪市交通运输局"
    assert meta.year == 2017


@pytest.mark.parametrize("stamp", STAMPS)
def test_a_stamped_title_keeps_its_agency(stamp: str) -> None:
    assert clean_line(stamp) == ""
    title = f"{stamp} 青溪市财政局2018年政府信息公开工作年度报告"
    assert title_agency_year(title) == ("青溪市财政局", 2018)
    assert title_agency_year(f"{stamp} 2018年政府信息公开工作年度报告") == (None, 2018)


DATE_LINES = (
    *STAMPS,
    "上午9:41",
    "2019-03-20",
    "2019/3/20",
    "2019年3月20日",
    "http://www.example.gov.cn/art/2018/3/26/art_1_1.html",
    "http://www.example.gov.cn/art/2018/3/26/art_1_1.html 1/3",
    "1/3",
)


@pytest.mark.parametrize("line", DATE_LINES)
def test_a_date_only_line_never_becomes_the_agency(line: str) -> None:
    # Above a title that names no agency, and above a document with no title at all.
    titled = read_metadata(f"{line}\n2018年政府信息公开工作年度报告\n一、总体情况\n正文。", "x.pdf")
    assert titled.agency is None
    assert "agency_unresolved" in titled.flags
    assert titled.year == 2018
    untitled = read_metadata(f"{line}\n一、总体情况\n本年度，本局认真贯彻落实。", "x.pdf")
    assert untitled.agency is None
    # Printed on every page of a report whose title names the agency.
    pages = [line, "青溪市财政局2018年政府信息公开工作年度报告", "正文。"]
    pages += [line, "正文。", line, "正文。"]
    assert read_metadata("\n".join(pages), "x.pdf").agency == "青溪市财政局"
