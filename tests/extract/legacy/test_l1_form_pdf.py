"""The national L1 statistics form (report-formats.md §1.3.2) read back from generated PDFs.

Word-style exports and browser prints of a long form that crosses pages, with zeros printed as
`0`, blank or dashes (§4.3), a narrow 单位 column that wraps `万元`/`人次`, no 单位 column, rows
that Word breaks across a page, repeated header rows and blank totals. Each rendering is scored
against its truth: cells read, wrong, and silent errors (wrong with no failing hard check and no
doubt flag on the cell).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract_document
from tests.fixtures.legacy_forms import L1_VALUES, PdfLook, render_l1_pdf

DOUBT_FLAGS = (
    "ambiguous_alignment", "fuzzy_label", "realigned", "low_confidence", "ocr", "unreadable",
    "prose_disagrees", "semantics_uncertain", "total_blank",
)  # fmt: skip

# Many zeros, so that blank and dash zeros land on leaves, subsets and totals alike.
SPARSE_VALUES: dict[str, int | float] = {
    **{key: 0 for key in L1_VALUES},
    "leg_active_total": 86, "leg_active_normative": 3, "leg_normative_issued": 3,
    "leg_ch_website": 80, "leg_ch_wechat": 12, "leg_responses": 2, "leg_policy_explainers": 4,
    "leg_req_received": 2, "leg_req_online": 2, "leg_req_completed": 2, "leg_req_on_time": 2,
    "leg_replies": 2, "leg_reply_granted": 1, "leg_reply_not_exist": 1, "leg_units": 1,
    "leg_staff_total": 2, "leg_staff_parttime": 2, "leg_meetings": 1, "leg_trainings": 1,
    "leg_trainees": 25,
}  # fmt: skip


@dataclass
class Tally:
    """Cells compared with the truth over many renderings."""

    cells: int = 0
    correct: int = 0
    wrong: int = 0
    missing: int = 0
    silent: int = 0
    problems: list[str] = field(default_factory=list)


def score(
    out: dict[str, Any], truth: dict[str, int | float | None], tally: Tally, name: str
) -> None:
    """Add one extraction's comparison with its truth to `tally`."""
    cells = {c["row"]: c for c in out["cells"] if c["table"] == "legacy"}
    failing = any(c["status"] == "fail" and c["severity"] == "hard" for c in out["checks"])
    for key, expected in truth.items():
        tally.cells += 1
        got = out["legacy"].get(key)
        if got == expected or (
            got is not None and expected is not None and abs(got - expected) < 1e-9
        ):
            tally.correct += 1
        elif got is None:
            tally.missing += 1
            tally.problems.append(f"{name}: missing {key}")
        else:
            tally.wrong += 1
            flags = cells.get(key, {}).get("flags", [])
            silent = not failing and not any(f.startswith(DOUBT_FLAGS) for f in flags)
            tally.silent += silent
            tally.problems.append(f"{name}: {key} = {got} ≠ {expected} {flags}")


def _looks() -> list[tuple[PdfLook, dict[str, int | float]]]:
    """Every exporter look × zero style × 单位 column, with page breaks at different rows,
    filled alternately with the dense and the sparse values."""
    looks = []
    combos = itertools.product(("word", "browser"), ("0", "blank", "dash", "mixed"),
                               (44.0, 14.0, 0.0))  # fmt: skip
    for number, (style, zeros, unit_width) in enumerate(combos):
        preamble = 1 + (number * 5) % 9
        look = PdfLook(
            style=style,
            zeros=zeros,
            unit_width=unit_width,
            preamble=preamble,
            label_width=(160.0, 220.0, 300.0)[number % 3],
            split_rows=style == "word" and number % 2 == 0,
            value_on_tail=number % 4 == 0,
            repeat_header=number % 3 == 1,
        )
        looks.append((look, L1_VALUES if number % 2 else SPARSE_VALUES))
    return looks


LOOKS = _looks()


def test_l1_pdf_renderings_read_every_cell_with_no_wrong_value(tmp_path: Path) -> None:
    tally = Tally()
    for number, (look, values) in enumerate(LOOKS):
        path = render_l1_pdf(values, tmp_path / f"form-{number}.pdf", look)
        out = extract_document(path).to_dict()
        assert out["document"]["era"] == "legacy"
        score(out, dict(values), tally, f"{number} {look}")
    assert tally.problems == []
    assert (tally.correct, tally.wrong, tally.silent) == (tally.cells, 0, 0)


def test_a_value_stays_with_its_row_across_a_page_break(tmp_path: Path) -> None:
    """Rows Word breaks across a page, the value printed before or after the break, at every
    position of the break: each value is read on its own row, page furniture skipped."""
    tally = Tally()
    for preamble, width in itertools.product(range(1, 10, 2), (120.0, 160.0)):
        tail = preamble % 4 == 1
        look = PdfLook(preamble=preamble, label_width=width, split_rows=True, value_on_tail=tail)
        path = render_l1_pdf(L1_VALUES, tmp_path / "split.pdf", look)
        score(extract_document(path).to_dict(), dict(L1_VALUES), tally, str(look))
    assert tally.problems == []


def test_form_cells_carry_their_page_and_box(tmp_path: Path) -> None:
    look = PdfLook(style="browser", zeros="blank", preamble=4)
    out = extract_document(render_l1_pdf(L1_VALUES, tmp_path / "form.pdf", look)).to_dict()
    cells = [c for c in out["cells"] if c["table"] == "legacy"]
    assert cells
    assert all(c["page"] and c["bbox"] for c in cells)
    assert len({c["page"] for c in cells}) > 1


@pytest.mark.parametrize("style", ["word", "browser"])
def test_blank_zeros_and_dashes_are_zero_with_their_flags(tmp_path: Path, style: str) -> None:
    out = extract_document(
        render_l1_pdf(SPARSE_VALUES, tmp_path / "form.pdf", PdfLook(style=style, zeros="mixed"))
    ).to_dict()
    flags = {c["row"]: c["flags"] for c in out["cells"] if c["table"] == "legacy"}
    assert "blank_zero" in flags["leg_req_fax"] or "dash_zero" in flags["leg_req_fax"]
    assert out["legacy"]["leg_review_total"] == 0  # a blank total whose parts are all zero
    assert [c for c in out["checks"] if c["status"] == "fail"] == []


@pytest.mark.parametrize("unit_width", [44.0, 0.0])
def test_a_blank_total_with_non_zero_parts_is_missing_and_flagged(
    tmp_path: Path, unit_width: float
) -> None:
    blank = frozenset({"leg_req_received", "leg_staff_total", "leg_review_total"})
    look = PdfLook(unit_width=unit_width, blank_rows=blank, preamble=2)
    out = extract_document(render_l1_pdf(L1_VALUES, tmp_path / "form.pdf", look)).to_dict()
    cells = {c["row"]: c for c in out["cells"] if c["table"] == "legacy"}
    for key in blank:
        assert out["legacy"][key] is None
        assert "total_blank" in cells[key]["flags"]
    others = {k: v for k, v in L1_VALUES.items() if k not in blank}
    assert {k: out["legacy"][k] for k in others} == pytest.approx(others)
    statuses = {c["check"]: c["status"] for c in out["checks"]}
    assert statuses["leg_req_channels"] == "not_evaluable"


def test_wrapped_unit_money_rows_keep_their_value(tmp_path: Path) -> None:
    look = PdfLook(unit_width=14.0, style="browser", preamble=6)
    out = extract_document(render_l1_pdf(L1_VALUES, tmp_path / "form.pdf", look)).to_dict()
    cells = {c["row"]: c for c in out["cells"] if c["table"] == "legacy"}
    assert out["legacy"]["leg_fees_wan"] == pytest.approx(0.15)
    assert out["legacy"]["leg_budget_wan"] == pytest.approx(2.5)
    assert cells["leg_fees_wan"]["unit"] == "万元"
    assert out["legacy"]["leg_trainees"] == 60


def test_a_value_on_both_sides_of_a_break_is_null_and_flagged() -> None:
    """When both parts of a broken row print a number, neither can be tied to the label."""
    from pipelines.extract.layout import Field, Layout, Line
    from pipelines.extract.legacy.forms import parse_form

    def row(page: int, *texts: str) -> Line:
        fields = [Field(t, f"page {page} table 1 col {i}", page=page) for i, t in enumerate(texts)]
        return Line(fields, in_table=True, page=page)

    layout = Layout(
        lines=[
            row(1, "统计指标", "单位", "统计数"),
            row(1, "（一）收到申请数", "件", "4"),
            row(1, "1.当面申请数", "件", "1"),
            row(1, "2.传真申请数（含电子", "件", "2"),
            Line([Field("- 1 -", "page 1 text line 40", page=1)], page=1),
            row(2, "传真）", "", "7"),
            row(2, "3.网络申请数", "件", "1"),
        ]
    )
    cells = {c.row: c for c in parse_form(layout, layout.text).cells}
    assert cells["leg_req_fax"].value is None
    assert "ambiguous_alignment" in cells["leg_req_fax"].flags
    assert cells["leg_req_online"].value == 1


def test_furniture_between_two_tables_on_one_page_ends_the_form() -> None:
    from pipelines.extract.layout import Field, Layout, Line
    from pipelines.extract.legacy.forms import parse_form

    def row(*texts: str) -> Line:
        fields = [Field(t, "page 1 table 1", page=1) for t in texts]
        return Line(fields, in_table=True, page=1)

    layout = Layout(
        lines=[
            row("统计指标", "单位", "统计数"),
            row("（一）收到申请数", "件", "4"),
            Line([Field("附表2：其他情况", "page 1 text line 30", page=1)], page=1),
            row("（二）申请办结数", "件", "9"),
        ]
    )
    cells = {c.row: c.value for c in parse_form(layout, layout.text).cells}
    assert cells == {"leg_req_received": 4}


def test_sparse_values_are_consistent() -> None:
    """The sparse truth satisfies every §3.5 relation, so a failing check means a misread."""
    v = SPARSE_VALUES
    assert v["leg_req_received"] == sum(
        v[k] for k in ("leg_req_in_person", "leg_req_fax", "leg_req_online", "leg_req_letter")
    )
    assert v["leg_staff_total"] == v["leg_staff_fulltime"] + v["leg_staff_parttime"]
    assert replace(PdfLook(), zeros="blank").zeros == "blank"
