"""Legacy statistics forms: L1 national, L2 regional and the Fujian regional 附表."""

from __future__ import annotations

from pipelines.extract.legacy import parse_legacy
from pipelines.extract.legacy.forms import classify, parse_form
from pipelines.extract.readers.text import text_to_layout

L1 = """政府信息公开情况统计表
统计指标\t单位\t统计数
一、主动公开情况\t\t
（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）\t条\t120
其中：主动公开规范性文件数\t条\t8
（一）收到申请数\t件\t10
1.当面申请数\t件\t2
2.传真申请数\t件\t0
3.网络申请数\t件\t5
4.信函申请数\t件\t3
（二）申请办结数\t件\t10
1.按时办结数\t件\t9
2.延期办结数\t件\t1
（三）申请答复数\t件\t10
1.属于已主动公开范围数\t件\t1
2.同意公开答复数\t件\t4
3.同意部分公开答复数\t件\t1
4.不同意公开答复数\t件\t2
其中：涉及国家秘密\t件\t0
涉及商业秘密\t件\t0
涉及个人隐私\t件\t1
危及国家安全、公共安全、经济安全和社会稳定\t件\t0
不是《条例》所指政府信息\t件\t1
法律法规规定的其他情形\t件\t0
5.不属于本行政机关公开数\t件\t1
6.申请信息不存在数\t件\t1
7.告知作出更改补充数\t件\t0
8.告知通过其他途径办理数\t件\t0
四、行政复议数量\t件\t2
（一）维持具体行政行为数\t件\t1
（二）被依法纠错数\t件\t1
（三）其他情形数\t件\t0
五、行政诉讼数量\t件\t1
（一）维持具体行政行为或者驳回原告诉讼请求数\t件\t0
（二）被依法纠错数\t件\t0
（三）其他情形数\t件\t1
六、举报投诉数量\t件\t0
七、依申请公开信息收取的费用\t万元\t0
（三）从事政府信息公开工作人员数\t人\t3
1.专职人员数（不包括政府公报及政府网站工作人员数）\t人\t1
2.兼职人员数\t人\t2
"""


def _values(text: str) -> dict[str, object]:
    result = parse_legacy(text_to_layout(text), text)
    return {c.row: c.value for c in result.cells}


def test_l1_form_rows_by_label_with_review_and_suit_groups() -> None:
    got = _values(L1)
    assert got["leg_active_total"] == 120
    assert got["leg_active_normative"] == 8
    assert (got["leg_req_received"], got["leg_req_online"], got["leg_req_letter"]) == (10, 5, 3)
    assert (got["leg_reply_refused"], got["leg_refused_privacy"]) == (2, 1)
    assert (got["leg_review_total"], got["leg_review_upheld"], got["leg_review_corrected"]) == (
        2, 1, 1)  # fmt: skip
    assert (got["leg_suit_total"], got["leg_suit_upheld"], got["leg_suit_other"]) == (1, 0, 1)
    assert (got["leg_staff_total"], got["leg_staff_fulltime"], got["leg_staff_parttime"]) == (
        3, 1, 2)  # fmt: skip
    assert got["leg_fees_wan"] == 0


def test_l1_checks_pass_and_a_wrong_total_fails() -> None:
    result = parse_legacy(text_to_layout(L1), L1)
    status = {c.check: c.status for c in result.checks}
    for check in (
        "leg_req_channels",
        "leg_req_completed_split",
        "leg_reply_split",
        "leg_refused_reasons",
        "leg_review_split",
        "leg_suit_split",
        "leg_staff_split",
    ):
        assert status[check] == "pass", check  # fmt: skip
    broken = L1.replace("（一）收到申请数\t件\t10", "（一）收到申请数\t件\t11")
    status = {c.check: c.status for c in parse_legacy(text_to_layout(broken), broken).checks}
    assert status["leg_req_channels"] == "fail"


L2 = """指标名称\t计量单位\t代码\t本期实际\t本年累计
主动公开信息数\t条\t01\t30\t300
其中:全文电子化的主动公开信息数\t条\t02\t30\t280
申请总数\t件\t10\t2\t12
1.当面申请数\t件\t11\t0\t2
2.传真申请数\t件\t12\t0\t0
3.电子邮件申请数\t件\t13\t1\t3
4.网上申请数\t件\t14\t1\t5
5.信函申请数\t件\t15\t0\t2
6.其他形式申请数\t件\t16\t0\t0
对申请的答复总数\t件\t20\t2\t12
1.同意公开答复数\t件\t21\t1\t6
2.同意部分公开答复数\t件\t22\t0\t2
3.否决公开答复总数\t件\t23\t1\t4
(1)“非《条例》所指政府信息”数\t件\t24\t0\t1
(2)“信息不存在”数\t件\t25\t0\t1
(3)“非本部门掌握”数\t件\t26\t0\t1
(4)“申请内容不明确”数\t件\t27\t0\t0
(5)“不予公开范围1”数\t件\t28\t0\t0
(6)“不予公开范围2”数\t件\t29\t0\t0
(7)其它原因\t件\t30\t0\t1
行政复议数\t件\t40\t0\t1
行政申诉数\t件\t42\t0\t0
"""


def test_l2_form_takes_the_year_column_and_keeps_reason_rows() -> None:
    result = parse_legacy(text_to_layout(L2), L2)
    got = {c.row: c.value for c in result.cells}
    assert result.form == "l2"
    assert (got["leg_active_total"], got["leg_req_received"], got["leg_req_online"]) == (300, 12, 5)
    assert got["leg_reply_refused"] == 4
    reasons = [row for row in result.extra_rows if row.kind == "l2_reason"]
    assert [row.value for row in reasons] == [1, 1, 1, 0, 0, 0, 1]
    assert any("其它原因" in row.label for row in reasons)
    status = {c.check: c.status for c in result.checks}
    assert status["legb_req_channels"] == "pass"
    assert status["legb_reply_split"] == "pass"
    assert status["legb_refused_reasons"] == "pass"


FUJIAN = (
    "六、附表指 标 名 称计量单位2017年度历年累计主动公开文件数条457837其中：1.政府网站公开数条"
    "4577872.政府公报公开数条00受理依申请公开信息总数条55其中：1.当面申请数条002.网络申请数条33"
    "3.信函、传真申请数条22对申请的答复总数条55行政复议数件11行政诉讼数件00 附件：1. 报告"
)


def test_fujian_run_together_form_is_split_by_prose_and_subsets() -> None:
    text = "2017年度，主动公开政府信息457条。" + FUJIAN
    result = parse_legacy(text_to_layout(text), text)
    cells = {c.row: c for c in result.cells}
    assert cells["leg_active_total"].value == 457
    assert "cumulative=837" in cells["leg_active_total"].flags
    assert cells["leg_ch_website"].value == 457
    assert "split_by_sums" in cells["leg_ch_website"].flags
    assert cells["leg_review_total"].value == 1
    # A combined 信函、传真 row is not split; it is an extra row with its label.
    assert "leg_req_fax" not in cells and "leg_req_letter" not in cells
    combined = next(r for r in result.extra_rows if r.kind == "combined_letter_fax")
    assert (combined.label, combined.value, combined.cumulative) == ("3.信函、传真申请数", 2, 2)


def test_fujian_digits_without_evidence_stay_null() -> None:
    result = parse_form(text_to_layout(FUJIAN), FUJIAN)
    cells = {c.row: c for c in result.cells}
    assert cells["leg_active_total"].value is None
    assert "ambiguous_alignment" in cells["leg_active_total"].flags


def test_combined_zero_row_states_both_channels() -> None:
    text = FUJIAN.replace("信函、传真申请数条22", "信函、传真申请数条00")
    cells = {c.row: c for c in parse_form(text_to_layout(text), text).cells}
    assert (cells["leg_req_fax"].value, cells["leg_req_letter"].value) == (0, 0)
    assert "from_combined_row" in cells["leg_req_fax"].flags


def test_labels_are_matched_by_pattern_not_number() -> None:
    assert classify("（三）申请答复数") == "leg_replies"
    assert classify("3、申请答复数") == "leg_replies"
    assert classify("4.不同意公开答复数") == "leg_reply_refused"
    assert classify("接受行政诉讼、举报数") == "extra:appeals_reports"
    assert classify("(11)其它原因") == "extra:l2_reason"
