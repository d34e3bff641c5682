"""Template variants seen in real reports (report-formats.md §4.2, §4.9, §4.11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.extract import extract_document
from tests.conftest import CORPUS, truth_for
from tests.fixtures.render import render_requests_text

SEED_000 = CORPUS / "seeds" / "000_hangzhou-finance-2019.txt"

HUBEI_T2 = """\
某市生态环境局2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条 第（一）项\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章（设区的市、自治州人民政府应提供相关数据）\t0\t0\t0
规范性文件\t22（其中修订16件）\t22\t130
第二十条第（五）项\t\t\t
信息内容\t上一年项目数量（指2019年事项数）\t本年增/减（指2020年增加或减少的事项数，减用负值表示，如-8）\t处理决定数量（指2020年办件量）
行政许可\t12\t-8\t405
第二十条第（九）项\t\t\t
信息内容\t采购项目数量\t采购总金额\t
政府集中采购（元）\t4\t1530000\t
三、收到和处理政府信息公开申请情况
"""


def _extract(tmp_path: Path, text: str) -> dict[str, Any]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_document(path).to_dict()


def test_hubei_annotated_labels_and_units(tmp_path: Path) -> None:
    out = _extract(tmp_path, HUBEI_T2)
    proactive = out["proactive"]
    assert proactive["rules"] == {
        "made_this_year": 0,
        "published_this_year": 0,
        "published_total": 0,
    }
    assert proactive["normative_docs"]["made_this_year"] == 22
    assert proactive["admin_license"] == {
        "items_prev_year": 12,
        "items_change": -8,
        "decisions": 405,
    }
    # The unit sits in the row label: 1530000 元 = 153 万元.
    assert proactive["central_procurement"] == {"procurement_items": 4, "procurement_amount": 153}
    annotated = next(c for c in out["cells"] if c["raw"].startswith("22（"))
    assert "annotated" in annotated["flags"]


def test_short_other_handling_label(tmp_path: Path) -> None:
    """`(六) 其他` stands for `（六）其他处理` in some 2019-template tables."""
    text = render_requests_text(truth_for(SEED_000)["requests"]).replace(
        "（六）其他处理", "(六) 其他"
    )
    out = _extract(tmp_path, text)
    assert out["requests"] == truth_for(SEED_000)["requests"]


def test_footnote_that_review_counts_include_carried_cases(tmp_path: Path) -> None:
    text = (CORPUS / "seeds" / "003_yuhang-drc-2020.txt").read_text(encoding="utf-8")
    text = text.replace(
        "    五、存在的主要问题及改进情况",
        "注：行政复议、行政诉讼数量含上年度结转数量。\n    五、存在的主要问题及改进情况",
    )
    out = _extract(tmp_path, text)
    assert "review_counts_include_carried_over" in out["document"]["flags"]
    review = [c for c in out["cells"] if c["table"] == "review_litigation"]
    assert review
    assert all("includes_carried_over" in c["flags"] for c in review)
    assert (
        out["review_litigation"]
        == truth_for(CORPUS / "seeds" / "003_yuhang-drc-2020.txt")["review_litigation"]
    )


def test_prose_naming_a_row_label_before_the_tables(tmp_path: Path) -> None:
    """A sentence in 一、总体情况 that uses the T3 row wording must not displace the table row."""
    seed = CORPUS / "seeds" / "003_yuhang-drc-2020.txt"
    text = seed.read_text(encoding="utf-8").replace(
        "    一、总体情况",
        "    一、总体情况\n本年新收政府信息公开申请数量 29 件，上年结转政府信息公开申请数量 1 件。",
        1,
    )
    out = _extract(tmp_path, text)
    truth = truth_for(seed)
    for table in ("requests", "review_litigation", "proactive"):
        assert out[table] == truth[table]


def test_each_table_keeps_its_own_era(tmp_path: Path) -> None:
    """A 2021-template T2 with a 2019-style single （六）其他处理 row in T3 (§4.9)."""
    seed = CORPUS / "seeds" / "000_hangzhou-finance-2019.txt"
    text = seed.read_text(encoding="utf-8")
    text = text.replace(
        "本年新制作数量\t本年新公开数量\t对外公开总数量", "本年制发件数\t本年废止件数\t现行有效件数"
    )
    out = _extract(tmp_path, text)
    flags = out["document"]["flags"]
    assert "proactive_era=2021" in flags
    assert "requests_era=2019" in flags
    assert "mixed_templates" in flags
    assert out["document"]["era"] == "2021"
    assert out["requests"] == truth_for(seed)["requests"]
