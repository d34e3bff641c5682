"""The agency as the report names it (GitHub issue 10, class 7; report-formats.md §4.1): page
furniture and markup never enter the name, a district name takes its city from the body, the
title decides how the name ends, and a title naming no agency takes the cover letter's sender
or the signature. Cases are generated from corpus openings (tests/fixtures/agency_titles.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_document
from pipelines.extract.document import (
    clean_line,
    complete_agency,
    read_metadata,
    running_headers,
    signature_agency,
    title_agency_year,
)
from tests.fixtures.agency_titles import (
    CASES,
    PDF_AGENCY,
    PDF_MARKS,
    AgencyCase,
    case_lines,
    write_case,
    write_pdf_case,
)

FORMAT_CASES = [
    pytest.param(case, fmt, id=f"{case.id}-{fmt}") for case in CASES for fmt in case.formats
]


@pytest.fixture(autouse=True)
def _needs_corpus(corpus: Path) -> None:
    """Every case is generated from a corpus report."""


@pytest.mark.parametrize(("case", "fmt"), FORMAT_CASES)
def test_generated_openings_name_the_agency(case: AgencyCase, fmt: str, tmp_path: Path) -> None:
    document = extract_document(write_case(case, fmt, tmp_path)).to_dict()["document"]
    assert document["agency"] == case.agency
    if case.flag is not None:
        assert case.flag in document["flags"]


@pytest.mark.parametrize("mark", sorted(PDF_MARKS))
def test_pdf_page_numbers_stay_out_of_the_name(mark: str, tmp_path: Path) -> None:
    result = extract_document(write_pdf_case(mark, tmp_path)).to_dict()
    assert result["document"]["agency"] == PDF_AGENCY
    assert result["status"] == "extracted"


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        ("-1-", ""),
        ("- 2 -", ""),
        ("— 3 —", ""),
        ("第1页", ""),
        ("第 1 页 共 5 页", ""),
        ("Page 2 of 7", ""),
        ("2021-01-20", ""),
        ("# 青山区人民政府", "青山区人民政府"),
        ("**青山区人民政府**", "青山区人民政府"),
        ("[青山区人民政府](http://qs.gov.cn/)", "青山区人民政府"),
        ("<p><b>青山区人民政府</b></p>", "青山区人民政府"),
        ("-1- 青山区人民政府", "青山区人民政府"),
        ("青山区人民政府&nbsp;", "青山区人民政府"),
    ],
)
def test_clean_line_drops_furniture_and_markup(line: str, clean: str) -> None:
    assert clean_line(line) == clean


@pytest.mark.parametrize(
    "title",
    [
        "-1-青山区人民政府2020年政府信息公开工作年度报告",
        "# 青山区人民政府2020年政府信息公开工作年度报告",
        "**青山区人民政府**2020年政府信息公开工作年度报告",
        "《青山区人民政府2020年政府信息公开工作年度报告》",
        "<h1>青山区人民政府2020年政府信息公开工作年度报告</h1>",
    ],
)
def test_title_agency_is_clean(title: str) -> None:
    assert title_agency_year(title) == ("青山区人民政府", 2020)


def test_a_title_naming_no_agency_has_none() -> None:
    assert title_agency_year("2020年政府信息公开工作年度报告") == (None, 2020)
    assert title_agency_year("2020年度政府信息公开工作年度报告") == (None, 2020)


# --- completion from the body: both directions -------------------------------------------------

BODY = "本报告由青溪市青山区人民政府办公室编制。青溪市青山区人民政府办公室负责解释。"


def test_a_district_title_takes_its_city_from_the_body_but_not_the_office() -> None:
    assert complete_agency("青山区人民政府", BODY) == ("青溪市青山区人民政府", ["agency_from_body"])


def test_an_office_title_keeps_its_office() -> None:
    body = "青溪市青山区人民政府办公室编制。"
    assert complete_agency("青山区人民政府办公室", body)[0] == "青溪市青山区人民政府办公室"


def test_the_body_never_shortens_or_lengthens_the_end() -> None:
    # The body names only the government: the title's 办公室 stays.
    assert complete_agency("青山区人民政府办公室", "青溪市青山区人民政府编制。") == (
        "青山区人民政府办公室",
        [],
    )


def test_a_city_title_is_complete_as_printed() -> None:
    assert complete_agency("青溪市财政局", "浙江省青溪市财政局负责。")[0] == "青溪市财政局"


def test_a_province_is_no_parent_taken() -> None:
    assert complete_agency("平潭综合实验区财政金融局", "福建省平潭综合实验区财政金融局")[0] == (
        "平潭综合实验区财政金融局"
    )


def test_a_function_word_is_no_place() -> None:
    assert complete_agency("青山区人民政府", "我市青山区人民政府、全市青山区人民政府")[0] == (
        "青山区人民政府"
    )


def test_an_unresolved_level_word_stays_partial_and_flagged() -> None:
    assert complete_agency("区财政局", "区财政局负责。") == ("区财政局", ["agency_partial"])
    assert complete_agency("区财政局", "下城区财政局负责。") == (
        "下城区财政局",
        ["agency_from_body"],
    )


SIGNED = ["青溪市青山区人民政府办公室", "2021年1月20日"]


def test_a_title_without_agency_takes_the_signature_as_printed() -> None:
    text = "\n".join(["2020年政府信息公开工作年度报告", "一、总体情况", "正文。", *SIGNED])
    meta = read_metadata(text, "x.txt")
    assert meta.agency == "青溪市青山区人民政府办公室"
    assert "agency_from_signature" in meta.flags


def test_a_titled_agency_wins_over_the_signature() -> None:
    text = "\n".join(["青山区人民政府2020年政府信息公开工作年度报告", "正文。", *SIGNED])
    # The title's government, completed with the city the signature prints; not its 办公室.
    assert read_metadata(text, "x.txt").agency == "青溪市青山区人民政府"


def test_signature_with_its_date_on_one_line() -> None:
    assert signature_agency(["正文。", "青溪市青山区人民政府办公室 2021年1月20日"]) == (
        "青溪市青山区人民政府办公室"
    )
    assert signature_agency(["本报告统计期限为2020年1月1日至2020年12月31日"]) is None


# --- running headers ---------------------------------------------------------------------------


def test_running_headers_are_found_at_page_edges_only() -> None:
    case = next(c for c in CASES if c.id == "header-parent")
    assert running_headers("\n".join(case_lines(case))) == {"浙江省杭州市财政局"}


def test_a_signature_starting_a_page_is_no_running_header() -> None:
    pages = ["正文一", "— 1 —", "正文二", "— 2 —", "正文三", "— 3 —"]
    lines = ["青溪市财政局", "2020年政府信息公开工作年度报告", *pages]
    text = "\n".join([*lines, "青溪市财政局", "2021年1月20日", "— 4 —"])
    assert running_headers(text) == set()
    assert read_metadata(text, "x.pdf").agency == "青溪市财政局"


def test_a_title_repeated_as_a_header_still_names_the_agency() -> None:
    title = "青溪市财政局2020年政府信息公开工作年度报告"
    text = f"{title}\n正文\n— 1 —\n{title}\n正文\n— 2 —"
    assert read_metadata(text, "x.pdf").agency == "青溪市财政局"
