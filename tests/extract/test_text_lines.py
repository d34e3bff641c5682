"""Tables that reach the parser as plain text lines (borderless PDF tables, pasted text)."""

from __future__ import annotations

from pathlib import Path

from pipelines.extract.labels import REQUEST_COLUMNS, REVIEW_KEYS
from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.model import ExtractResult
from pipelines.extract.report import parse_report
from tests.conftest import CORPUS, truth_for
from tests.fixtures.render import ROW_LABELS

SEED_003 = CORPUS / "seeds" / "003_yuhang-drc-2020.txt"


def _layout(lines: list[str]) -> Layout:
    return Layout(
        lines=[Line([Field(text, f"page 1 line {i}", page=1)]) for i, text in enumerate(lines)]
    )


def test_space_separated_lines_read_like_a_grid(tmp_path: Path) -> None:
    truth = truth_for(SEED_003)
    lines = ["杭州市某局2020年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    lines.append("自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他")
    for key, values in truth["requests"].items():
        printed = " ".join(str(values[c]) for c in REQUEST_COLUMNS)
        lines.append(f"{ROW_LABELS[key][0]} {printed}")
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "结果维持 结果纠正"]
    lines.append(" ".join(str(truth["review_litigation"][k]) for k in REVIEW_KEYS))
    lines.append("五、存在的主要问题及改进情况")
    result = ExtractResult(path="borderless.pdf", sha256="0" * 64, format="pdf")
    out = parse_report(_layout(lines), result, "borderless.pdf").to_dict()
    assert out["requests"] == truth["requests"]
    assert out["review_litigation"] == truth["review_litigation"]
    assert all(c["page"] == 1 for c in out["cells"] if "derived" not in c["flags"])


def test_prose_facts_from_a_paged_layout_keep_their_page() -> None:
    """A legacy prose fact read from a PDF's text is located on its page and line."""
    seed = CORPUS / "seeds" / "002_gongshu-district-2018.txt"
    lines = seed.read_text(encoding="utf-8").splitlines()
    layout = Layout(
        lines=[
            Line([Field(text, f"page {1 + i // 40} line {i % 40 + 1}", page=1 + i // 40)])
            for i, text in enumerate(lines)
        ]
    )
    result = ExtractResult(path="gongshu.pdf", sha256="0" * 64, format="pdf")
    out = parse_report(layout, result, "gongshu.pdf")
    received = next(c for c in out.cells if c.row == "leg_req_received")
    assert received.value == 78
    assert received.page is not None
    assert received.ref is not None
    assert received.ref.startswith(f"page {received.page} line ")
