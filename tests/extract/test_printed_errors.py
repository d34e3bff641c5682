"""Issue 10, classes 1-3, in PDFs generated from corpus truth (`render_report_pdf`, Word and
browser looks): printed arithmetic errors kept as printed, blank 总计 cells, and the
法人或其他组织 小计 column (also with full-width digits)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract_document
from pipelines.extract.alignment import fit_row
from pipelines.extract.layout import Field
from pipelines.extract.sum_checks import run_checks
from pipelines.extract.tables.review_litigation import fit_by_header, parse_review_litigation
from pipelines.extract.tokens import Token
from tests.conftest import CORPUS, truth_for
from tests.fixtures.defects import statuses, truth_statuses
from tests.fixtures.render import render_report_pdf, render_requests_text

REPORTS = {
    "000": CORPUS / "seeds" / "000_hangzhou-finance-2019.txt",
    "104": CORPUS / "real" / "104_pingtan-caijin-2020.txt",
    "112": CORPUS / "real" / "112_pingtan-guanweihui-2021.txt",
    "109": CORPUS / "real" / "109_pingtan-jiaojian-2022.txt",
}
LOOKS = ("word", "browser")
OTHER_ROWS = ("other_no_correction", "other_fee_unpaid", "other_other")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not available")


def _truth(report: str) -> dict[str, Any]:
    return copy.deepcopy(truth_for(REPORTS[report]))


def _extract(tmp_path: Path, name: str, data: bytes) -> dict[str, Any]:
    path = tmp_path / name
    path.write_bytes(data)
    return extract_document(path).to_dict()


def _rederive_other(truth: dict[str, Any]) -> None:
    requests = truth["requests"]
    if "other_no_correction" in requests:
        for col in requests["other_handling"]:
            requests["other_handling"][col] = sum(requests[r][col] for r in OTHER_ROWS)


# Several rows and columns of T3 and the three T4 group totals, each printed off by some amount.
EDITS = (
    ("requests", "granted", "total", 3),
    ("requests", "new_received", "natural_person", 1),
    ("requests", "unable_not_held", "total", -1),
    ("requests", "carried_out", "total", 2),
    ("review_litigation", "review_total", None, 1),
    ("review_litigation", "suit_direct_total", None, 2),
    ("review_litigation", "suit_after_review_total", None, 4),
)


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("report", ["000", "104", "112"])
def test_printed_arithmetic_errors_are_kept_as_printed(
    tmp_path: Path, report: str, look: str
) -> None:
    """Class 1: every printed value is read as printed, every broken sum is reported, and no
    other check changes (the edited truth says which)."""
    truth = _truth(report)
    clean_statuses = truth_statuses(truth)
    for table, row, col, delta in EDITS:
        if table == "review_litigation":
            truth[table][row] += delta if truth[table][row] + delta >= 0 else -delta
        else:
            truth[table][row][col] += delta if truth[table][row][col] + delta >= 0 else -delta
    _rederive_other(truth)
    out = _extract(tmp_path, f"{report}-{look}.pdf", render_report_pdf(truth, look))
    assert out["requests"] == truth["requests"]
    assert out["review_litigation"] == truth["review_litigation"]
    want = truth_statuses(truth)
    got = statuses(out["checks"])
    assert {k: v for k, v in got.items() if k in want} == want
    failing = {k for k, v in want.items() if v == "fail"} - {
        k for k, v in clean_statuses.items() if v == "fail"
    }
    assert len(failing) >= 7  # the row totals, outcome totals, balances and T4 totals edited
    assert got[("req_cell_count", "requests")] == "pass"
    assert got[("lit_cell_count", "review_litigation")] == "pass"
    edited = [c for c in out["cells"] if c["table"] == "requests" and c["row"] == "granted"]
    assert all(c["page"] and c["bbox"] for c in edited)
    assert not any("ambiguous_alignment" in c["flags"] for c in out["cells"])


@pytest.mark.parametrize("look", [*LOOKS, "text"])
@pytest.mark.parametrize("report", ["000", "112", "109"])
@pytest.mark.parametrize("which", ["outcomes", "all"])
def test_blank_totals_are_null_flagged_and_located(
    tmp_path: Path, report: str, look: str, which: str
) -> None:
    """Class 2: a blank 总计 is null, `total_blank` (or `blank_zero` when its parts are all
    zero), located, and never a `req_cell_count` failure."""
    truth = _truth(report)
    requests = truth["requests"]
    keep = {"new_received", "carried_in", "carried_out", "outcome_total"}
    if "other_no_correction" in requests:
        keep.add("other_handling")  # derived in 2021, never printed
    rows = frozenset(
        k for k in requests if k not in keep or (which == "all" and k != "other_handling")
    )
    if look == "text":
        printed = dict(requests)
        if "other_no_correction" in printed:
            printed.pop("other_handling")
        data = render_requests_text(printed, blank_total_rows=rows).encode("utf-8")
        out = _extract(tmp_path, "blank.txt", data)
    else:
        out = _extract(tmp_path, "blank.pdf", render_report_pdf(truth, look, blank_total_rows=rows))
    totals = [
        c
        for c in out["cells"]
        if c["table"] == "requests" and c["col"] == "total" and "derived" not in c["flags"]
    ]
    blank = [c for c in totals if c["row"] in rows]
    assert blank
    for cell in blank:
        parts_zero = all(requests[cell["row"]][c] == 0 for c in requests[cell["row"]])
        if cell["value"] is None:
            assert "total_blank" in cell["flags"]
        else:
            assert cell["value"] == 0 and parts_zero and "blank_zero" in cell["flags"]
        assert cell["ref"] and (look == "text" or (cell["page"] and cell["bbox"]))
    nulls = [c for c in blank if c["value"] is None]
    assert len(nulls) >= sum(1 for r in rows if requests[r]["total"])  # non-zero totals: null
    got = statuses(out["checks"])
    assert got[("req_cell_count", "requests")] == "pass"
    assert not [k for k, v in got.items() if v == "fail"]
    leaves = [c for c in out["cells"] if c["table"] == "requests" and c["col"] != "total"]
    assert all(c["value"] == requests[c["row"]][c["col"]] for c in leaves)


SUBTOTAL_VARIANTS = [
    (at, label, spans)
    for at in (1, 6)
    for label, spans in (("小计", False), ("法人或其他组织（小计）", True), ("小　计", True))
]


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("report", ["000", "104", "112"])
@pytest.mark.parametrize(("at", "label", "spans"), SUBTOTAL_VARIANTS)
def test_subtotal_column_in_pdfs(
    tmp_path: Path, report: str, look: str, at: int, label: str, spans: bool
) -> None:
    """Class 3: the 小计 column is read wherever it sits (under the group header, or beside it
    spanning two header rows), with full-width digits too, and checked (`req_org_subtotal`)."""
    truth = _truth(report)
    pdf = render_report_pdf(
        truth, look, subtotal_at=at, subtotal_label=label, subtotal_spans_rows=spans,
        fullwidth=report == "000",
    )  # fmt: skip
    out = _extract(tmp_path, "subtotal.pdf", pdf)
    assert out["requests"] == truth["requests"]
    subtotal = [c for c in out["cells"] if c["table"] == "requests_org_subtotal"]
    assert len(subtotal) == len(truth["requests"]) - ("other_no_correction" in truth["requests"])
    for cell in subtotal:
        orgs = truth["requests"][cell["row"]]
        assert cell["value"] == sum(v for k, v in orgs.items() if k.startswith("org_"))
        assert cell["page"] and cell["bbox"]
    checks = [c for c in out["checks"] if c["check"] == "req_org_subtotal"]
    assert len(checks) == len(subtotal) and all(c["status"] == "pass" for c in checks)
    assert not [c for c in out["checks"] if c["status"] != "pass"]


@pytest.mark.parametrize("look", LOOKS)
def test_printed_subtotal_error_fails_only_its_check(tmp_path: Path, look: str) -> None:
    truth = _truth("112")
    out = _extract(tmp_path, "ok.pdf", render_report_pdf(truth, look, subtotal_at=6))
    pdf = render_report_pdf(truth, look, subtotal_at=6)
    # The printed subtotal of one row disagrees with its five organisation cells.
    orgs = sum(v for k, v in truth["requests"]["granted"].items() if k.startswith("org_"))
    assert orgs > 0
    out = _extract(tmp_path, "bad.pdf", _bump_subtotal(truth, look, "granted"))
    failing = {(c["check"], c["scope"]) for c in out["checks"] if c["status"] == "fail"}
    assert failing == {("req_org_subtotal", "granted")}
    assert out["requests"] == truth["requests"]
    assert pdf


def _bump_subtotal(truth: dict[str, Any], look: str, row: str) -> bytes:
    """Return a subtotal rendering whose `row` prints its 小计 one too high."""
    import tests.fixtures.render as render

    original = render._cells

    def cells(values: dict[str, Any], subtotal_at: Any, fullwidth: bool, blank: bool) -> list[str]:
        printed = original(values, subtotal_at, fullwidth, blank)
        if values is truth["requests"][row]:
            printed[subtotal_at] = str(int(printed[subtotal_at]) + 1)
        return printed

    render._cells = cells
    try:
        return render_report_pdf(truth, look, subtotal_at=6)
    finally:
        render._cells = original


@pytest.mark.parametrize("report", ["112", "104"])
def test_unlabelled_eighth_column_is_placed_by_the_sums_or_left_null(
    tmp_path: Path, report: str
) -> None:
    """A subtotal column without a `小计` header: taken where the sums decide its place,
    otherwise the rows stay null and flagged, never shifted."""
    truth = _truth(report)
    pdf = render_report_pdf(truth, "word", subtotal_at=6, subtotal_label="")
    out = _extract(tmp_path, "unlabelled.pdf", pdf)
    for row, cols in truth["requests"].items():
        for col, value in cols.items():
            got = out["requests"][row][col]
            assert got is None or got == value
    if report == "112":  # several organisation types: only one placement holds
        assert out["requests"] == truth["requests"]


# ---- the count of a row is not in doubt: printed errors stay printed -------------------------


def _tokens(texts: list[str], line: int = 1) -> list[Token]:
    return [
        Token(text, False, Field(text, f"line {line} field {i}"))
        for i, text in enumerate(texts, start=1)
    ]


def _row_sum(cells: list[Token | None]) -> bool:
    numbers = [0 if c is None or not c.text else int(c.text) for c in cells]
    return cells[-1] is None or not cells[-1].text or sum(numbers[:-1]) == numbers[-1]


def _texts(cells: list[Token | None]) -> tuple[object, ...]:
    return tuple(None if c is None else c.text for c in cells)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # Seed 004's `granted` row in DOCX/HTML with its total misprinted (6 → 7): the empty
        # label cell is the surplus, never the printed 7 (which would shift 6 into column 2).
        (["", "6", "", "", "", "", "", "7"], ["6", "", "", "", "", "", "7"]),
        # The same with a correct total: the blank is dropped, the sums hold.
        (["", "6", "", "", "", "", "", "6"], ["6", "", "", "", "", "", "6"]),
        # Surplus blank at the end (a trailing separator), misprinted total.
        (["2", "", "", "", "", "", "3", ""], ["2", "", "", "", "", "", "3"]),
    ],
)
def test_a_printed_value_is_never_dropped_to_make_sums_hold(
    printed: list[str], expected: list[str]
) -> None:
    fit = fit_row(_tokens(printed), 7, _row_sum, _texts)
    assert not fit.ambiguous
    assert [c.text if c else "" for c in fit.cells] == expected
    assert not fit.realigned


def test_surplus_values_are_still_decided_by_the_sums() -> None:
    # Nine printed values for seven columns: the count is in doubt, only the sums can place them.
    fit = fit_row(_tokens(["1", "2", "0", "0", "0", "0", "0", "3", "9"]), 7, _row_sum, _texts)
    assert fit.ambiguous or fit.realigned


def _t4_lines(values: list[str]) -> list[list[Token]]:
    """Seed 000's T4 as tab-separated text: 16 fields per line, the 15 result labels at fields
    1–5 (upper header row) and 6–15 (lower), the value row with a surplus field 16."""
    words = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

    def label_line(line: int, texts: list[str]) -> list[Token]:
        return [
            Token(t, bool(t), Field(t, f"line {line} field {i}"))
            for i, t in enumerate(texts, start=1)
            if t or i > 1
        ]

    upper = [*words, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", "", ""]
    lower = ["", "", "", "", "", *words, *words, ""]
    top = ["行政复议", "", "", "", "", "行政诉讼", *[""] * 10]
    return [label_line(1, top), label_line(2, upper), label_line(3, lower), _tokens(values, 4)]


_CLEAN_T4 = ["", "", "", "", "", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0", "0"]


def _edit(field: int, text: str) -> list[str]:
    values = list(_CLEAN_T4)
    values[field - 1] = text
    return values


@pytest.mark.parametrize(
    ("values", "failing"),
    [
        (_CLEAN_T4, set()),
        (_edit(10, "3"), {"suit_direct"}),
        (_edit(15, "1"), {"suit_after_review"}),
        (_edit(5, "1"), {"review"}),
    ],
)
def test_t4_cells_sit_under_their_header_columns(values: list[str], failing: set[str]) -> None:
    table = parse_review_litigation(_t4_lines(values))
    cells = {c.row: c for c in table.cells}
    assert cells["suit_direct_upheld"].value == 2
    assert cells["suit_direct_upheld"].ref == "line 4 field 6"
    assert not any("ambiguous_alignment" in c.flags for c in table.cells)
    checks = run_checks(table.cells, table.printed_fields)
    failed = {c.scope for c in checks if str(c.status) == "fail"}
    assert failed == failing


def test_t4_header_columns_never_drop_a_printed_nonzero() -> None:
    # A non-zero beyond the header's last column: the header does not settle the row.
    values = ["", "", "", "", "", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0", "5"]
    assert fit_by_header(_t4_lines(values), _tokens(values, 4)) is None
