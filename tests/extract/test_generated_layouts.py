"""Layouts the corpus lacks, rendered from truth by `tests/fixtures/render.py`."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract_document
from tests.conftest import CORPUS, truth_for
from tests.fixtures.render import (
    render_proactive_2021_html,
    render_requests_html,
    render_requests_text,
)

OTHER_ROWS = ("other_no_correction", "other_fee_unpaid", "other_other")
SEED_000 = CORPUS / "seeds" / "000_hangzhou-finance-2019.txt"
REAL_112 = CORPUS / "real" / "112_pingtan-guanweihui-2021.txt"


def _requests(report: Path) -> dict[str, dict[str, Any]]:
    """Return the truth T3 without the derived 2021 `other_handling` row."""
    truth = copy.deepcopy(truth_for(report)["requests"])
    if "other_no_correction" in truth:
        truth.pop("other_handling")
    return truth


def _extract(tmp_path: Path, name: str, data: bytes) -> dict[str, Any]:
    path = tmp_path / name
    path.write_bytes(data)
    return extract_document(path).to_dict()


@pytest.mark.parametrize("report", [SEED_000, REAL_112], ids=["2019", "2021"])
@pytest.mark.parametrize("subtotal_at", [1, 6])
def test_subtotal_column_is_recognised_and_checked(
    tmp_path: Path, report: Path, subtotal_at: int
) -> None:
    text = render_requests_text(_requests(report), subtotal_at=subtotal_at)
    out = _extract(tmp_path, "subtotal.txt", text.encode("utf-8"))
    assert out["requests"] == truth_for(report)["requests"]
    subtotal = [c for c in out["checks"] if c["check"] == "req_org_subtotal"]
    assert subtotal
    assert all(c["status"] == "pass" for c in subtotal)


def test_fullwidth_digits(tmp_path: Path) -> None:
    text = render_requests_text(_requests(SEED_000), fullwidth=True)
    out = _extract(tmp_path, "fullwidth.txt", text.encode("utf-8"))
    assert out["requests"] == truth_for(SEED_000)["requests"]
    flagged = [c for c in out["cells"] if "fullwidth_digit" in c["flags"]]
    assert len(flagged) == 23 * 7


def test_blank_total_column_is_missing_and_derived(tmp_path: Path) -> None:
    """Shanghai 2019 leaves 总计 blank on outcome rows: null totals, checks `pass_derived`."""
    requests = _requests(SEED_000)
    blank = frozenset({"granted", "partial", "other_handling"})
    text = render_requests_text(requests, blank_total_rows=blank)
    out = _extract(tmp_path, "blank-total.txt", text.encode("utf-8"))
    assert out["requests"]["granted"]["total"] is None
    assert out["requests"]["granted"]["natural_person"] == requests["granted"]["natural_person"]
    row_checks = {c["scope"]: c["status"] for c in out["checks"] if c["check"] == "req_row_total"}
    assert row_checks["granted"] == "pass_derived"
    assert not [c for c in out["checks"] if c["status"] == "fail"]


def test_edited_cell_fails_the_matching_check(tmp_path: Path) -> None:
    """One changed leaf cell breaks exactly its row total and its column's outcome total."""
    requests = _requests(SEED_000)
    requests["granted"]["natural_person"] += 1
    out = _extract(tmp_path, "edited.txt", render_requests_text(requests).encode("utf-8"))
    failing = {(c["check"], c["scope"]) for c in out["checks"] if c["status"] == "fail"}
    assert failing == {
        ("req_row_total", "granted"),
        ("req_outcome_total", "natural_person"),
    }


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("report", [SEED_000, REAL_112], ids=["2019", "2021"])
def test_html_rowspans(tmp_path: Path, report: Path, encoding: str) -> None:
    page = render_requests_html(_requests(report)).replace("{charset}", encoding)
    out = _extract(tmp_path, "report.html", page.encode(encoding))
    assert out["requests"] == truth_for(report)["requests"]
    assert out["document"]["year"] == 2020


def _word_html(page: str) -> str:
    """Return a page dressed as Word's 'save as web page' output: conditional comments, XML
    islands, `MsoNormal` paragraphs and spans in every cell, `&nbsp;` for empty cells."""
    page = page.replace(
        "<head>",
        "<head><!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View>"
        "</w:WordDocument></xml><![endif]--><style>p.MsoNormal{margin:0cm;}</style>",
    )
    page = page.replace("<table>", "<table class=MsoNormalTable border=1 cellspacing=0 x:str>")
    page = page.replace("<td></td>", "<td>&nbsp;</td>")
    page = re.sub(
        r"<td([^>]*)>([^<]+)</td>",
        r"<td\1 style='mso-border-alt:solid windowtext .5pt'><p class=MsoNormal align=center>"
        r"<span lang=EN-US style='font-family:仿宋_GB2312'>\2<o:p></o:p></span></p></td>",
        page,
    )
    return page.replace("<body>", "<body lang=ZH-CN><div class=WordSection1>")


def test_word_exported_html(tmp_path: Path) -> None:
    page = _word_html(render_requests_html(_requests(SEED_000)).replace("{charset}", "gb2312"))
    out = _extract(tmp_path, "word.htm", page.encode("gb18030"))
    assert out["requests"] == truth_for(SEED_000)["requests"]


def test_parent_rows_that_print_subtotals(tmp_path: Path) -> None:
    """Numbers on `（三）不予公开` or the 2021 `（六）其他处理` are group subtotals, checked against
    their rows and never counted as an outcome of their own."""
    requests = _requests(REAL_112)
    deny = [k for k in requests if k.startswith("deny_")]
    printed = {c: sum(requests[k][c] for k in deny) for c in requests["granted"]}
    other = {c: sum(requests[k][c] for k in OTHER_ROWS) for c in requests["granted"]}
    other["natural_person"] += 1  # the printed （六） total disagrees with its rows
    text = render_requests_text(requests)
    text = text.replace(
        "（三）不予公开\t1.属于国家秘密",
        "（三）不予公开\t" + "\t".join(str(v) for v in printed.values()) + "\n\t1.属于国家秘密",
    ).replace(
        "（六）其他处理\t1.申请人",
        "（六）其他处理\t" + "\t".join(str(v) for v in other.values()) + "\n\t1.申请人",
    )
    out = _extract(tmp_path, "group-subtotals.txt", text.encode("utf-8"))
    assert out["requests"] == truth_for(REAL_112)["requests"]
    subtotal_cells = [c for c in out["cells"] if c["table"] == "requests_group_subtotal"]
    assert {c["row"] for c in subtotal_cells} == {"deny", "other"}
    statuses = {(c["check"], c["scope"]): c["status"] for c in out["checks"]}
    assert statuses[("req_group_subtotal", "deny.total")] == "pass"
    assert statuses[("req_other_split", "natural_person")] == "fail"
    assert statuses[("req_other_split", "total")] == "pass"


def test_html_2021_proactive_table_with_spanning_cells(tmp_path: Path) -> None:
    truth = truth_for(REAL_112)["proactive"]
    out = _extract(tmp_path, "t2.html", render_proactive_2021_html(truth).encode("utf-8"))
    assert out["proactive"] == truth
    assert out["document"]["era"] == "2021"
    fee = next(c for c in out["cells"] if c["col"] == "fee_amount_wan")
    assert fee["ref"].startswith("table ")
