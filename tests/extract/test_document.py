"""Agency and year from report titles in the forms real reports use (report-formats.md §4.1)."""

from __future__ import annotations

import pytest

from pipelines.extract.document import read_metadata


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("杭州市财政局 2019 年政府信息公开工作年度报告", "杭州市财政局", 2019),
        ("2020 年度区财政局政府信息公开工作年度报告", "区财政局", 2020),
        ("北京市教育委员会关于2020年度政府信息公开工作年度报告", "北京市教育委员会", 2020),
        ("某局政府信息公开工作年度报告（2020年）", "某局", 2020),
        ("平潭综合实验区地方税务局2013年信息公开年度报告", "平潭综合实验区地方税务局", 2013),
        ("标题: 平潭综合实验区2021年度政府信息公开工作年度报告", "平潭综合实验区", 2021),
    ],
)
def test_title_forms(title: str, agency: str, year: int) -> None:
    meta = read_metadata(f"{title}\n\n一、总体情况\n本年度工作稳步推进。\n", "report.txt")
    assert (meta.agency, meta.year, meta.is_report) == (agency, year, True)


def test_title_wrapped_over_two_lines() -> None:
    meta = read_metadata("杭州市拱墅区人民政府\n\n2018 年政府信息公开工作年度报告\n正文", "x.txt")
    assert (meta.agency, meta.year) == ("杭州市拱墅区人民政府", 2018)


def test_year_falls_back_to_the_statistics_period_then_the_file_name() -> None:
    text = "政府信息公开工作年度报告\n本报告中所列数据统计期限为2022年1月1日至12月31日。"
    assert read_metadata(text, "x.txt").year == 2022
    meta = read_metadata("政府信息公开工作年度报告\n正文", "report-2019.txt")
    assert meta.year == 2019
    assert "year_from_file_name" in meta.flags
