"""markitdown (a real PDF/Word/HTML-to-Markdown converter) run on the corpus renderings at test
time, and the Markdown it writes read back against the truth files (report-formats.md §4.13).

DOCX and HTML conversions keep the tables as pipe tables and must read ≥ 97 % of the cells;
markitdown's PDF path rebuilds tables from word positions (labels cut from their values, cells
run together), so there only a floor on the share is held. Everywhere: no wrong value at all
(a cell whose row or column is in doubt is null and flagged) and the truth's agency, free of
markup.

Two classes of silent error first seen in these conversions are held by small hand-made tables
too (no markitdown needed): a sparse T2 row (one value among many empty fields: its column is a
guess) and T3 values printed BEFORE their row label (a label alone after a line of values that
no row took: its cells are in doubt, never zeros).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract.readers.markdown import read_markdown
from pipelines.extract.tables.proactive import parse_proactive
from pipelines.extract.tables.requests import parse_requests
from pipelines.extract.tokens import Token, line_to_tokens
from pipelines.scoring import FileScore, score_file
from tests.fixtures.markdown import RENDERED, convert_renderings


@dataclass
class KindScore:
    """The scores of one kind of conversion added up."""

    files: list[FileScore] = field(default_factory=list)

    @property
    def share(self) -> float:
        total = sum(s.total for s in self.files)
        return sum(s.correct for s in self.files) / total if total else 1.0

    @property
    def silent(self) -> int:
        return sum(s.silent for s in self.files)

    @property
    def wrong(self) -> int:
        return sum(s.wrong for s in self.files)


@pytest.fixture(scope="module")
def conversions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KindScore]:
    pytest.importorskip("markitdown")
    if not RENDERED.is_dir():
        pytest.skip("../shared/corpus is not available")
    scores: dict[str, KindScore] = {}
    folder = tmp_path_factory.mktemp("markitdown")
    converted: list[tuple[str, Path, dict[str, Any]]] = list(convert_renderings(folder))
    for kind, path, truth in converted:
        scores.setdefault(kind, KindScore()).files.append(score_file(path, truth))
    return scores


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "floor"), [("docx", 0.97), ("html", 0.97), ("pdf", 0.95)])
def test_markitdown_conversions_read_against_truth(
    kind: str, floor: float, conversions: dict[str, KindScore]
) -> None:
    score = conversions[kind]
    assert len(score.files) >= (24 if kind == "pdf" else 3)
    assert score.share >= floor, [(s.name, s.problems[:5]) for s in score.files if s.problems]
    assert score.silent == 0


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_conversions_have_no_wrong_cell(kind: str, conversions: dict[str, KindScore]) -> None:
    assert conversions[kind].wrong == 0


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_conversions_name_the_agency_without_markup(
    kind: str, conversions: dict[str, KindScore]
) -> None:
    bad = [(s.name, s.problems) for s in conversions[kind].files if not s.meta_ok]
    assert bad == []


# ---- the two classes, in small hand-made tables ---------------------------------------------


def _token_lines(tmp_path: Path, markdown: str) -> list[list[Token]]:
    path = tmp_path / "table.md"
    path.write_text(markdown, encoding="utf-8")
    return [line_to_tokens(line) for line in read_markdown(path).lines]


_T2_HEAD = """第二十条第（五）项
| | | 信息内容 | | 上一年项目数量 | | | 本年增/减 | | 处理决定数量 | | |
|---|---|---|---|---|---|---|---|---|---|---|---|
"""


def test_a_sparse_t2_row_is_null_and_flagged_never_placed(tmp_path: Path) -> None:
    # markitdown on 003-word.pdf: `增加7` alone among eleven fields, the row's other values in
    # another table. Which fields are surplus decides its column: no guess, and no zeros.
    sparse = "| 其他对外管理服务事项 | | | | | | | 增加7 | | | | |\n"
    table = parse_proactive(_token_lines(tmp_path, _T2_HEAD + sparse))
    assert table is not None
    cells = {c.col: c for c in table.cells if c.row == "other_mgmt_services"}
    assert {c.value for c in cells.values()} == {None}
    assert all("ambiguous_alignment" in c.flags for c in cells.values())
    assert cells["items_change"].raw == "增加7"


def test_a_t2_row_printing_every_value_is_read(tmp_path: Path) -> None:
    full = "| 其他对外管理服务事项 | | | | | 6 | | 增加7 | | 1175 | | |\n"
    table = parse_proactive(_token_lines(tmp_path, _T2_HEAD + full))
    assert table is not None
    values = {c.col: c.value for c in table.cells if c.row == "other_mgmt_services"}
    assert values == {"items_prev_year": 6, "items_change": 7, "decisions": 1175}


_T3_HEAD = (
    "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
    "|---|---|---|---|---|---|---|---|\n"
)


def _requests(tmp_path: Path, body: str) -> dict[tuple[str, str | None], Any]:
    table = parse_requests(_token_lines(tmp_path, _T3_HEAD + body))
    assert table is not None
    return {(c.row, c.col): c for c in table.cells}


def test_a_label_after_its_values_is_in_doubt_never_zero(tmp_path: Path) -> None:
    # markitdown on 106-word.pdf: the values of 一 on the line before its label, after the header.
    body = (
        "| | 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n"
        "一、本年新收政府信息公开申请数量\n"
        "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    )
    cells = _requests(tmp_path, body)
    new = [cells[("new_received", col)] for col in ("natural_person", "total")]
    assert [c.value for c in new] == [None, None]
    assert all({"ambiguous_alignment", "values_before_label"} <= set(c.flags) for c in new)
    assert cells[("carried_in", "total")].value == 0
    assert "ambiguous_alignment" not in cells[("carried_in", "total")].flags


def test_values_before_a_label_claimed_by_a_doubtful_row_pass_the_doubt_on(
    tmp_path: Path,
) -> None:
    # 106-word.pdf's tail: （六）'s values before it, then (七)'s values between (六) and (七):
    # the row that took them one-per-line is itself in doubt, so (七) is too.
    body = (
        "| 一、本年新收政府信息公开申请数量 | 11 | 0 | 0 | 0 | 0 | 0 | 11 |\n"
        "| | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
        "（六）其他处理\n"
        "| | 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n"
        "（七）总计\n"
        "| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    )
    cells = _requests(tmp_path, body)
    for row in ("other_handling", "outcome_total"):
        assert cells[(row, "natural_person")].value is None
        assert "values_before_label" in cells[(row, "natural_person")].flags
    assert cells[("new_received", "total")].value == 11


def test_a_label_alone_takes_the_values_after_it_one_per_line(tmp_path: Path) -> None:
    # Seed 003's rendering: a label alone, its values on the following lines. Nothing before
    # the label is a line of values, so nothing is in doubt.
    values = "\n".join(["1", "0", "0", "0", "0", "0", "1"])
    body = (
        f"一、本年新收政府信息公开申请数量\n{values}\n二、上年结转政府信息公开申请数量\n{values}\n"
    )
    cells = _requests(tmp_path, body)
    assert cells[("new_received", "total")].value == 1
    assert cells[("carried_in", "natural_person")].value == 1
    assert not any("values_before_label" in c.flags for c in cells.values())


def test_a_leaf_row_printed_blank_is_zero(tmp_path: Path) -> None:
    # §4.10: a leaf row with only its label, after a row with its own values, is all 0.
    body = (
        "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
        "| （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n"
        "| （七）总计 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    )
    cells = _requests(tmp_path, body)
    partial = cells[("partial", "natural_person")]
    assert partial.value == 0
    assert "blank_zero" in partial.flags
