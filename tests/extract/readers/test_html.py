"""Tests for the HTML reader on the rendered corpus pages and on small generated pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.extract.layout import Layout
from pipelines.extract.readers import CorruptDocumentError
from pipelines.extract.readers.html import decode_html, html_to_layout, read_html

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "rendered"
PAGES = sorted(CORPUS.glob("*.html"))
CheckLayout = Callable[[Layout, Path], list[str]]

GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>年度报告</title><style>td { color: red }</style><script>var x = "<td>9</td>";</script>
</head><body><h2>三、收到和处理政府信息公开申请情况</h2>
<table>
<tr><td rowspan="2" colspan="2">本年<br/>新收</td><td colspan="2">申请人情况</td></tr>
<tr><td>自然人</td><td>总计</td></tr>
<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>&nbsp;1</td><td>1</td></tr>
<tr><td>2.其他法律行政法规<br>禁止公开</td><td>0</td><td>0</td></tr>
</table>
<p>五、存在的主要问题<br>第二行</p></body></html>
"""


def rows_of(layout: Layout) -> list[list[str]]:
    """Return the table lines of a layout as lists of cell texts."""
    return [[f.text for f in line.fields] for line in layout.lines if line.in_table]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_rows_carry_truth_values(path: Path, rendered: Path, check_layout: CheckLayout) -> None:
    assert check_layout(read_html(path), path) == []


def test_rendered_refs_and_spans(rendered: Path) -> None:
    layout = read_html(CORPUS / "000_hangzhou-finance-2019-html.html")
    row = next(line for line in layout.lines if "本年新收" in line.text)
    assert row.in_table
    assert [f.text for f in row.fields] == [
        "一、本年新收政府信息公开申请数量", "", "", "60", "5", "0", "0", "0", "0", "65",
    ]  # fmt: skip
    assert row.fields[3].ref == "table 2 row 4 col 4"
    assert row.fields[0].page is None and row.fields[0].bbox is None
    assert not any("@page" in line.text or "font-family" in line.text for line in layout.lines)


def test_gbk_page_with_rowspan(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(GBK_PAGE.encode("gbk"))
    layout = read_html(path)
    assert layout.flags == ["encoding_gb18030"]
    assert rows_of(layout) == [
        ["本年新收", "", "申请人情况", ""],
        ["", "", "自然人", "总计"],
        ["（三）不予公开", "1.属于国家秘密", "1", "1"],
        ["", "2.其他法律行政法规禁止公开", "0", "0"],
    ]
    prose = [line.text for line in layout.lines if not line.in_table]
    assert prose == ["三、收到和处理政府信息公开申请情况", "五、存在的主要问题", "第二行"]
    assert "var x" not in layout.text


def test_wrong_gbk_declaration_on_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(GBK_PAGE.encode("utf-8"))
    layout = read_html(path)
    assert layout.flags == []
    assert rows_of(layout)[2][0] == "（三）不予公开"


def test_bom_wins_over_meta() -> None:
    data = "\ufeff<meta charset='gbk'><p>行政复议</p>".encode()
    text, encoding = decode_html(data)
    assert encoding == "utf-8-sig" and "行政复议" in text


def test_undecodable_bytes_are_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(b"<html><meta charset='utf-8'><p>\xff\xfe\x80\x80\xff</p>")
    with pytest.raises(CorruptDocumentError):
        read_html(path)


def test_layout_table_is_read_as_blocks() -> None:
    page = """<table><tr><td><p>一、总体情况</p><p>正文</p>
    <table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>"""
    layout = html_to_layout(page)
    assert [line.text for line in layout.lines] == ["一、总体情况", "正文", "规章\t0"]
    assert [line.in_table for line in layout.lines] == [False, False, True]


def test_unclosed_cells_and_rows() -> None:
    layout = html_to_layout("<table><tr><td>a<td>b<tr><td>c<td>d</table><p>after")
    assert rows_of(layout) == [["a", "b"], ["c", "d"]]
    assert layout.lines[-1].text == "after"
