"""Documents that are not one annual report are quarantined with the genre and its evidence
(issue 9); real reports that say 解读, 评估, 预算 or 来源 in their body are still extracted."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_document
from pipelines.extract.genre import heading, recognise_genre
from pipelines.extract.layout import Field, Line
from tests.conftest import CORPUS
from tests.fixtures.not_reports import GENRE_WORDS, write_not_report_fixtures

pytestmark = pytest.mark.usefixtures("corpus")


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Write the generated not-a-report files once per module."""
    folder = tmp_path_factory.mktemp("not_reports")
    return folder, write_not_report_fixtures(folder)


def test_fixtures_cover_every_genre_and_format(fixtures: tuple[Path, dict[str, str]]) -> None:
    folder, expected = fixtures
    assert len(expected) >= 9
    assert set(expected) == set(GENRE_WORDS)
    assert {Path(name).suffix for name in expected} == {".txt", ".html", ".docx"}
    assert all(name.startswith("notreport_") and (folder / name).is_file() for name in expected)


@pytest.mark.parametrize("name", sorted(GENRE_WORDS))
def test_not_a_report_is_quarantined_with_its_genre(
    fixtures: tuple[Path, dict[str, str]], name: str
) -> None:
    folder, expected = fixtures
    result = extract_document(folder / name)
    assert (result.status, result.reason) == ("quarantined", expected[name])
    assert GENRE_WORDS[name] in (result.detail or "")
    assert not result.cells


def test_issue_9_comparison_of_two_years_is_not_one_report(
    fixtures: tuple[Path, dict[str, str]],
) -> None:
    """A tool-made comparison quoting both years' T3 tables was extracted as one report."""
    folder, _ = fixtures
    result = extract_document(folder / "notreport_comparison_two_years.txt")
    assert (result.status, result.reason) == ("quarantined", "not_a_report")
    assert "对比" in (result.detail or "") or "2020年与2021年" in (result.detail or "")


def test_bundle_detail_names_the_agencies_and_years(
    fixtures: tuple[Path, dict[str, str]],
) -> None:
    folder, _ = fixtures
    agencies = extract_document(folder / "notreport_bundle_two_agencies.txt").detail or ""
    assert "平潭综合实验区财政金融局 2020" in agencies
    assert "平潭综合实验区经济发展局 2020" in agencies
    years = extract_document(folder / "notreport_bundle_two_years.docx").detail or ""
    assert "2020" in years and "2021" in years


@pytest.mark.parametrize(
    "report",
    sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*.txt")),
)
def test_corpus_reports_with_genre_words_in_their_body_are_extracted(report: str) -> None:
    """Seed 000 prints a 预决算公开度排行榜 and says 政策解读; the Pingtan pages carry 来源 and
    发布时间 furniture: none of that makes them another genre."""
    result = extract_document(CORPUS / report)
    assert (result.status, result.reason) == ("extracted", None)


def test_report_page_with_news_furniture_and_a_sidebar_of_reports(tmp_path: Path) -> None:
    """A report page with a byline, a 相关链接 list of other years' reports and a 解读 link is
    still the report (tables present: not a list page, one T3: not a bundle)."""
    seed = CORPUS / "seeds" / "004_district-finance-2020.txt"
    lines = seed.read_text(encoding="utf-8").splitlines()
    sidebar = [
        "相关链接：",
        "· 区财政局2019年度政府信息公开工作年度报告 2020-03-30",
        "· 区财政局2018年度政府信息公开工作年度报告 2019-03-29",
        "· 区财政局2017年度政府信息公开工作年度报告 2018-03-30",
        "· 图解：区财政局2020年度政府信息公开工作年度报告 2021-01-29",
    ]
    title = next(i for i, line in enumerate(lines) if line.strip())
    page = [
        *lines[: title + 1],
        "来源：区财政局 发布时间：2021-01-29 责任编辑：张某",
        *lines[title + 1 :],
        *sidebar,
    ]
    path = tmp_path / "report_page.txt"
    path.write_text("\n".join(page) + "\n", encoding="utf-8")
    result, plain = extract_document(path), extract_document(seed)
    assert (result.status, result.reason) == ("extracted", None)
    assert result.to_dict()["requests"] == plain.to_dict()["requests"]


@pytest.mark.parametrize(
    "text",
    [
        "某局2021年政府信息公开工作年度报告\n一、总体情况\n加强政策解读，开展第三方评估。\n",
        "某局2021年政府信息公开工作年度报告\n根据预算公开要求，公开部门预算和决算。\n",
        "当前位置：首页 > 新闻中心 > 政策解读\n某局2021年政府信息公开工作年度报告\n正文。\n",
    ],
)
def test_body_words_and_menus_do_not_decide_the_genre(text: str) -> None:
    lines = [Line([Field(line, f"line {i}")]) for i, line in enumerate(text.splitlines(), 1)]
    assert recognise_genre(text, lines, has_tables=True) is None


def test_heading_stops_at_the_body() -> None:
    text = "标题: 某局2022年政府信息公开工作年度报告\n发布时间: 2023-01-09\n正文"
    assert heading(text) == "某局2022年政府信息公开工作年度报告"
    notice = "关于做好年度报告工作的通知\n各部门：\n现通知如下。"
    assert heading(notice) == "关于做好年度报告工作的通知"


@pytest.mark.parametrize(
    ("title", "genre_word"),
    [
        ("2023年某区人民政府政府工作报告", "政府工作报告"),
        ("某局2023年工作总结和2024年工作计划", "work"),
        ("某局2024年部门预算公开", "预算"),
        ("2023年度全市政务公开测评结果", "assessment"),
        ("一图读懂某局2023年政府信息公开工作年度报告", "news"),
        ("某局2023年政府信息公开工作年度报告解读", "news"),
        ("某市各部门政府信息公开工作年度报告比较", "comparison"),
    ],
)
def test_title_families(title: str, genre_word: str) -> None:
    text = f"{title}\n一、基本情况\n本年度依申请公开、政策解读、预算公开工作稳步推进。\n"
    genre = recognise_genre(text, [], has_tables=True)
    assert genre is not None
    assert genre.reason == "not_a_report"
    assert genre_word in genre.detail
