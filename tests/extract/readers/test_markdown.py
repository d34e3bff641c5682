"""The Markdown reader (report-formats.md §4.13), one converter artefact at a time, and the
hand-made Markdown variants of every modern corpus report scored against its truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract_document
from pipelines.extract.layout import Layout
from pipelines.extract.readers.markdown import (
    clean_inline,
    clean_prose,
    markdown_to_layout,
    read_markdown,
)
from pipelines.extract.readers.sniff import sniff, sniff_bytes
from pipelines.scoring import score_file
from tests.fixtures.markdown import ARTEFACTS, RENDERED, truth_reports, write_artefacts


def table_rows(layout: Layout) -> list[list[str]]:
    """Return the texts of the layout's table lines."""
    return [[f.text for f in line.fields] for line in layout.lines if line.in_table]


def report(tmp_path: Path, text: str, name: str = "report.md") -> dict[str, Any]:
    """Write Markdown text to a file and return its extraction as the contract's dict."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(path).to_dict()


T3 = """\
# 某区财政局2020年政府信息公开工作年度报告

## 三、收到和处理政府信息公开申请情况

| 本列数据的勾稽关系 | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
|---|---|---|---|---|---|---|---|---|
{rows}
"""


# --- inline and block markup -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("**杭州市财政局**", "杭州市财政局"),
        ("__杭州市财政局__", "杭州市财政局"),
        ("*强调*与***更强***", "强调与更强"),
        ("[杭州市财政局](http://czj.hangzhou.gov.cn)", "杭州市财政局"),
        ("![截图](img/1.png)说明", "说明"),
        ("本年增\\/减", "本年增/减"),
        ("\\-", "-"),
        ("a \\| b", "a | b"),
        ("\\*不是强调\\*", "*不是强调*"),
        ("本年新<br>制作数量", "本年新制作数量"),
        ("<span style='x'>规章</span>", "规章"),
        ("0&nbsp;", "0\u00a0"),
        ("`76.2万元`", "76.2万元"),
        ("~~删除~~", "删除"),
    ],
)
def test_inline_markup_leaves_cells(raw: str, clean: str) -> None:
    assert clean_inline(raw, in_cell=True) == clean


@pytest.mark.parametrize(
    ("line", "text"),
    [
        (
            "# 杭州市财政局2019年政府信息公开工作年度报告",
            "杭州市财政局2019年政府信息公开工作年度报告",
        ),
        ("## 二、主动公开政府信息情况 ##", "二、主动公开政府信息情况"),
        ("###### **一、总体情况**", "一、总体情况"),
        ("> 引用的段落", "引用的段落"),
        ("- 列表项", "列表项"),
        ("---", ""),
        ("===", ""),
        ("标题<br>第二行", "标题 第二行"),
        ("-", "-"),
        ("- 4 -", "- 4 -"),
    ],
)
def test_block_markup_leaves_prose(line: str, text: str) -> None:
    assert clean_prose(line) == text


@pytest.mark.parametrize(
    "title",
    [
        "# 杭州市财政局2019年政府信息公开工作年度报告",
        "# **杭州市财政局**2019年政府信息公开工作年度报告 #",
        "**杭州市财政局**\n\n**2019年政府信息公开工作年度报告**",
        "# [杭州市财政局](https://czj.hangzhou.gov.cn/)2019年政府信息公开工作年度报告",
        "杭州市财政局2019年政府信息公开工作年度报告\n=====",
        "<!-- converted by a tool -->\n\n## 杭州市财政局\n## 2019年政府信息公开工作年度报告",
    ],
)
def test_agency_has_no_markup(tmp_path: Path, title: str) -> None:
    body = T3.format(rows="| 一、本年新收政府信息公开申请数量 | | 1 | 0 | 0 | 0 | 0 | 0 | 1 |")
    out = report(tmp_path, title + "\n\n" + body.split("\n", 2)[2])
    assert out["document"]["agency"] == "杭州市财政局"
    assert out["document"]["year"] == 2019


def test_source_text_keeps_line_numbers() -> None:
    layout = markdown_to_layout("# 标题\n\n| 规章 | 0 |\n|---|---|\n| 规范性文件 | 3 |\n")
    assert layout.source_text is not None
    assert layout.source_text.splitlines() == ["标题", "", "规章\t0", "", "规范性文件\t3"]
    refs = [f.ref for line in layout.lines if line.in_table for f in line.fields]
    assert refs == ["line 3 col 1", "line 3 col 2", "line 5 col 1", "line 5 col 2"]


# --- pipe tables -----------------------------------------------------------------------------


def test_rule_rows_go_and_dash_zero_rows_stay() -> None:
    layout = markdown_to_layout(
        "| 行政复议 | 总计 |\n| :--- | ---: |\n| - | - |\n| 0 | 0 |\n| -- | -- |\n"
    )
    assert table_rows(layout) == [["行政复议", "总计"], ["-", "-"], ["0", "0"], ["--", "--"]]


def test_escaped_pipe_stays_in_its_cell() -> None:
    layout = markdown_to_layout(
        "| 信息内容 \\| 说明 | 本年增\\/减 |\n|---|---|\n| 行政许可 | \\- |\n"
    )
    assert table_rows(layout) == [["信息内容 | 说明", "本年增/减"], ["行政许可", "-"]]


@pytest.mark.parametrize(
    "header",
    [
        "| Column1 | Column2 | Column3 |",
        "| Unnamed: 0 | Unnamed: 1 | Unnamed: 2 |",
        "| 数据1 | 数据2 | 数据3 |",
        "|  |  |  |",
    ],
)
def test_placeholder_headers_are_no_row(header: str) -> None:
    layout = markdown_to_layout(f"{header}\n|---|---|---|\n| 规章 | 0 | 1 |\n")
    assert table_rows(layout) == [["规章", "0", "1"]]


def test_pandas_index_column_and_nan_cells() -> None:
    text = (
        "|    | Unnamed: 0 | Unnamed: 1 | Unnamed: 2 |\n|---:|:---|:---|:---|\n"
        "| 0 | 信息内容 | 本年新制作数量 | nan |\n| 1 | 规章 | 0 | nan |\n"
        "| 2 | 规范性文件 | 3 | 3 |\n"
    )
    assert table_rows(markdown_to_layout(text)) == [
        ["信息内容", "本年新制作数量", ""],
        ["规章", "0", ""],
        ["规范性文件", "3", "3"],
    ]


def test_table_without_outer_pipes_is_padded() -> None:
    text = "信息内容 | 上一年项目数量 | 本年增/减\n--- | --- | ---\n行政事业性收费 | 16 |\n"
    assert table_rows(markdown_to_layout(text)) == [
        ["信息内容", "上一年项目数量", "本年增/减"],
        ["行政事业性收费", "16", ""],
    ]


def test_merged_cells_repeated_keep_their_first_position() -> None:
    text = (
        "| 行政复议 | 行政复议 | 行政诉讼 |\n|---|---|---|\n"
        "| （三）不予公开 | 1.属于国家秘密 | 0 |\n"
        "| （三）不予公开 | 2.其他法律行政法规禁止公开 | 0 |\n"
        "| 0 | 0 | 0 |\n"
    )
    assert table_rows(markdown_to_layout(text)) == [
        ["行政复议", "", "行政诉讼"],
        ["（三）不予公开", "1.属于国家秘密", "0"],
        ["", "2.其他法律行政法规禁止公开", "0"],
        ["0", "0", "0"],
    ]


def test_detached_label_joins_its_values_across_a_page_break() -> None:
    text = (
        "| 规章 | 0 | 0 | 0 |\n|---|---|---|---|\n| 规范性文件 | | | |\n\n— 2 —\n\n"
        "|  |  |  |  |\n|---|---|---|---|\n| | 6 | 4 | 11 |\n"
    )
    assert table_rows(markdown_to_layout(text)) == [
        ["规章", "0", "0", "0"],
        ["规范性文件", "6", "4", "11"],
    ]


def test_label_below_its_values_moves_above_them() -> None:
    text = (
        "| | 规章 | 0 | 0 | 0 |\n|---|---|---|---|---|\n| | | 9 | 9 | 21 |\n规范性文件\n第二十条\n"
    )
    rows = [line.text.split("\t") for line in markdown_to_layout(text).lines]
    assert rows[:3] == [["", "规章", "0", "0", "0"], ["规范性文件"], ["", "", "9", "9", "21"]]


def test_review_header_keeps_its_own_value_row() -> None:
    text = "| 行政复议 | | 行政诉讼 |\n|---|---|---|\n| | 2 | 0 |\n"
    assert table_rows(markdown_to_layout(text)) == [["行政复议", "", "行政诉讼"], ["", "2", "0"]]


def test_html_table_inside_markdown_goes_through_the_html_reader() -> None:
    text = (
        "## 四、行政复议\n\n<table>\n<tr><td colspan='2'>行政复议</td></tr>\n"
        "<tr><td>结果<br/>维持</td><td>总计</td></tr>\n<tr><td>1</td><td>1</td></tr>\n</table>\n"
        "\n正文\n"
    )
    layout = markdown_to_layout(text)
    assert table_rows(layout) == [["行政复议", ""], ["结果维持", "总计"], ["1", "1"]]
    refs = [line.fields[0].ref for line in layout.lines if line.in_table]
    assert refs[0].startswith("line 3 table 1 row 1")
    assert layout.lines[-1].text == "正文"


def test_ocr_lookalike_digits_in_wide_rows_only() -> None:
    text = (
        "| 一、本年新收政府信息公开申请数量 | 6O | 5 | O | 0 | 0 | 0 | 65 |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| 规范性文件 | 6 | l3 | 13 | | | | |\n"
    )
    layout = markdown_to_layout(text)
    assert table_rows(layout)[0][1:4] == ["60", "5", "0"]
    assert table_rows(layout)[1][:3] == ["规范性文件", "6", "l3"]  # no sums in T2: not guessed
    assert "ocr_lookalike_digits=2" in layout.flags


def test_pipes_in_a_code_fence_are_no_table() -> None:
    layout = markdown_to_layout("```\n| a | b |\n|---|---|\n```\n")
    assert table_rows(layout) == []


# --- whole reports ---------------------------------------------------------------------------


def test_blank_leaf_cells_and_blank_totals(tmp_path: Path) -> None:
    rows = "\n".join(
        [
            "| 一、本年新收政府信息公开申请数量 | | 3 | | | | | | 3 |",
            "| 二、上年结转政府信息公开申请数量 | | | | | | | | |",
        ]
    )
    out = report(tmp_path, T3.format(rows=rows))
    assert out["requests"]["new_received"]["org_commercial"] == 0
    assert out["requests"]["carried_in"]["total"] == 0


def test_txt_holding_pipe_tables_is_read_as_markdown(tmp_path: Path) -> None:
    rows = "| 一、本年新收政府信息公开申请数量 | | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"
    out = report(tmp_path, T3.format(rows=rows), "report.txt")
    assert out["source"]["format"] == "md"
    assert not any(f.startswith("format_mismatch") for f in out["document"]["flags"])
    assert out["requests"]["new_received"]["total"] == 2


def test_pipe_tables_after_a_long_preamble_are_sniffed(tmp_path: Path) -> None:
    preamble = "一、总体情况\n" + "我局认真贯彻落实条例，做好政府信息公开工作。\n" * 400
    path = tmp_path / "long.txt"
    path.write_text(preamble + "| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    assert sniff(path).kind == "md"
    assert sniff_bytes("一、总体情况\n正文\t1\n".encode()).kind == "txt"


def test_markdown_named_md_without_tables_is_markdown(tmp_path: Path) -> None:
    path = tmp_path / "notice.md"
    path.write_text(
        "**关于做好政府信息公开工作的通知**\n\n各单位：请按时报送。\n", encoding="utf-8"
    )
    out = extract_document(path).to_dict()
    assert out["source"]["format"] == "md"
    assert out["status"] == "quarantined"


def test_read_markdown_flags_gbk(tmp_path: Path) -> None:
    path = tmp_path / "gbk.md"
    path.write_bytes("# 某局2020年政府信息公开工作年度报告\n\n| 规章 | 0 |\n".encode("gb18030"))
    layout = read_markdown(path)
    assert "encoding_gb18030" in layout.flags
    assert layout.lines[0].text == "某局2020年政府信息公开工作年度报告"


# --- hand-made variants of the corpus reports ------------------------------------------------


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path, dict[str, Any]]]:
    if not RENDERED.is_dir():
        pytest.skip("../shared/corpus is not available")
    return list(write_artefacts(tmp_path_factory.mktemp("markdown")))


@pytest.mark.parametrize("kind", sorted(ARTEFACTS))
def test_artefact_reads_every_cell(
    kind: str, artefacts: list[tuple[str, Path, dict[str, Any]]]
) -> None:
    """Each artefact, on every modern corpus report: every truth cell read, none wrong, the
    agency as in the truth file and free of markup."""
    cases = [(path, truth) for k, path, truth in artefacts if k == kind]
    assert len(cases) == len(truth_reports()) >= 12
    total = correct = wrong = silent = 0
    for path, truth in cases:
        score = score_file(path, truth)
        total, correct = total + score.total, correct + score.correct
        wrong, silent = wrong + score.wrong, silent + score.silent
        assert score.meta_ok, (path.name, score.problems)
        assert score.defects_found == score.defects_expected == score.defects_reported
    assert (correct, wrong, silent) == (total, 0, 0)
