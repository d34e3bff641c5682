"""Wording families of legacy prose (report-formats.md §1.3, §3.7), with generated variants."""

from __future__ import annotations

import pytest

from pipelines.extract.legacy.prose import parse_prose

# (numeral as printed, value): Arabic, full-width, Chinese, `两`.
NUMERALS = [("23", 23), ("２３", 23), ("二十三", 23), ("两", 2), ("0", 0), ("十", 10)]


def facts(text: str) -> dict[str, int | float]:
    return {key: fact.value for key, fact in parse_prose(text).facts.items()}


@pytest.mark.parametrize(("printed", "value"), NUMERALS)
@pytest.mark.parametrize(
    "template",
    [
        "2016年，我局共收到政府信息公开申请{n}件。",
        "2016 年，区政府收到依申请政府信息公开为 {n} 件，办结情况良好。",
        "全年受理依申请公开的数量为{n}条。",
        "本年度共接到依申请公开申请{n}件。",
    ],
)
def test_request_totals(template: str, printed: str, value: int) -> None:
    got = parse_prose(template.format(n=printed)).facts["leg_req_received"]
    assert got.value == value
    assert ("chinese_numeral" in got.flags) == (not printed.isdigit() and printed != "２３")


@pytest.mark.parametrize(
    "sentence",
    [
        "2018年度我局未受理依申请公开。",
        "2013年1月1日至12月31日期间我局办公室未收到政府信息公开申请。",
        "2017年未收到有关政府信息公开申请。",
        "本年度没有收到任何依申请公开申请。",
    ],
)
def test_request_zero_statements(sentence: str) -> None:
    got = parse_prose(sentence).facts["leg_req_received"]
    assert got.value == 0
    assert "prose_zero" in got.flags


@pytest.mark.parametrize(
    "sentence",
    [
        "今年我局共受理审批事项117件，办结171件。",
        "未收到有关政府信息公开行政复议、提起行政诉讼的申请。",
        "历年累计受理依申请公开数5条。",
        "全年开展专题会议和培训10余次，接受培训人员数80余人次。",
        "约4900人次通过各种方式咨询。",
    ],
)
def test_no_request_total_where_none_is_stated(sentence: str) -> None:
    got = facts(sentence)
    assert "leg_req_received" not in got
    assert "leg_req_completed" not in got


def test_completed_only_in_a_request_sentence() -> None:
    got = facts("区政府收到依申请政府信息公开为78件，办结78件，均在规定期限内答复。")
    assert got["leg_req_received"] == 78
    assert got["leg_req_completed"] == 78


@pytest.mark.parametrize(("printed", "value"), NUMERALS)
def test_refusal_reasons(printed: str, value: int) -> None:
    text = (
        f"其中不予公开政府信息{printed}件，其中，涉及国家秘密0件；涉及商业秘密{printed}件；"
        f"涉及个人隐私0件；危及国家安全、公共安全、经济安全和社会稳定0件；"
        f"不是《条例》所指政府信息{printed}件；法律法规规定的其他情形0件。"
    )
    got = facts(text)
    assert got["leg_reply_refused"] == value
    assert got["leg_refused_commercial_secret"] == value
    assert got["leg_refused_not_gov_info"] == value
    assert got["leg_refused_security"] == 0
    assert got["leg_refused_other_legal"] == 0
    assert "leg_review_other" not in got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("已答复件数5件，已答复中“同意公开”的件数为2件，“部分公开”的件数为0件。",
         {"leg_replies": 5, "leg_reply_granted": 2, "leg_reply_partial": 0}),
        ("我局均依法依规按时给予答复，“同意公开”的4件。", {"leg_reply_granted": 4}),
        ("我局无不予公开政府信息情况。", {"leg_reply_refused": 0}),
        ("不同意公开三件，申请信息不存在两件。",
         {"leg_reply_refused": 3, "leg_reply_not_exist": 2}),
    ],
)  # fmt: skip
def test_replies_by_outcome(sentence: str, expected: dict[str, int]) -> None:
    got = facts(sentence)
    assert {k: got.get(k) for k in expected} == expected


def test_one_number_for_several_outcomes_is_not_recorded() -> None:
    parsed = parse_prose("“非政府信息、政府信息不存在、非本机关政府信息”的件数为2件。")
    assert "leg_reply_not_this_agency" not in parsed.facts
    assert "leg_reply_not_exist" not in parsed.facts
    assert parsed.combined_outcomes == [2]


@pytest.mark.parametrize(("printed", "value"), NUMERALS[:4])
@pytest.mark.parametrize(
    ("template", "review", "suit"),
    [
        (
            "区政府审理的行政复议案件涉及政府信息公开的共{n}件，其中{n}件维持，0件责令履行；"
            "共产生涉及政府信息公开的行政诉讼案件1件，其中维持或驳回0件，确认违法0件，其他情形数1件。",
            {"total": "n", "upheld": "n", "corrected": 0},
            {"total": 1, "upheld": 0, "corrected": 0, "other": 1},
        ),
        ("我局收到有关政府信息公开行政复议{n}件。", {"total": "n"}, {}),
        ("2017年度我局有{n}起因政府信息公开申请行政复议，无提起行政诉讼的情况。",
         {"total": "n"}, {"total": 0}),
    ],
)  # fmt: skip
def test_review_and_litigation(
    template: str, review: dict[str, object], suit: dict[str, object], printed: str, value: int
) -> None:
    parsed = parse_prose(template.format(n=printed))
    for group, expected in (("review", review), ("suit", suit)):
        for result, want in expected.items():
            fact = parsed.facts[f"leg_{group}_{result}"]
            assert fact.value == (value if want == "n" else want)
            assert "semantics_uncertain" in fact.flags


@pytest.mark.parametrize(
    "sentence",
    [
        "我局2017年度未发生针对本部门有关政府信息公开事务的行政复议案、行政诉讼案。",
        "2017年未收到有关政府信息公开行政复议、提起行政诉讼的申请。",
        "本年度行政复议和行政诉讼均为0件。",
    ],
)
def test_review_and_litigation_zero(sentence: str) -> None:
    got = facts(sentence)
    assert (got["leg_review_total"], got["leg_suit_total"]) == (0, 0)


def test_single_review_with_stated_result_is_upheld() -> None:
    text = (
        "2017年度我局有1起因政府信息公开申请行政复议。因政府信息公开申请行政复议的结果是，"
        "经复议机关审理认为，被申请人不存在过错。符合规定，维持被申请人的答复行为。"
    )
    fact = parse_prose(text).facts["leg_review_upheld"]
    assert fact.value == 1
    assert "single_case_result" in fact.flags


@pytest.mark.parametrize(
    "sentence",
    ["全区2018年政府信息公开未收取费用。", "2017年度，我局无收费及减免情况。",
     "依申请公开不收取任何费用。"],
)  # fmt: skip
def test_fee_zero(sentence: str) -> None:
    fact = parse_prose(sentence).facts["leg_fees_wan"]
    assert fact.value == 0
    assert "prose_zero" in fact.flags


def test_fees_in_yuan_become_wan_and_publicity_spending_is_not_a_fee() -> None:
    assert facts("共收取检索复制费用200元。")["leg_fees_wan"] == pytest.approx(0.02)
    assert "leg_fees_wan" not in facts("产生的政府信息公开费用1万元。")


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("2013年新增主动公开政府信息45条。", 45),
        ("区财政局2018年主动公开信息17条，其中，公开“机构信息”12条。", 17),
        ("全区通过不同渠道和方式主动公开信各类政府信息27490条。", 27490),
        ("2017年全区主动公开政府信息二千一百二十二条。其中，各部门主动公开政府信息1509条。", 2122),
    ],
)
def test_active_totals(sentence: str, value: int) -> None:
    assert facts(sentence)["leg_active_total"] == value


def test_active_subsets_categories_and_cumulative_are_not_totals() -> None:
    got = facts("今年累计主动公开采购信息25条。历年累计主动公开政府信息837条。")
    assert "leg_active_total" not in got


def test_channels_staff_units_reading_points() -> None:
    got = facts(
        "政府网站公开政府信息20515条，政务微博发布政务信息4039条，政务微信发布信息1460条，"
        "其他方式公开政府信息1206条。全区共建立政务公开查阅点117个。"
        "我局没有从事政府信息公开工作的全职人员，兼职人员1人。没有政府信息公开专门机构。"
    )
    assert got == {
        "leg_ch_website": 20515, "leg_ch_weibo": 4039, "leg_ch_wechat": 1460,
        "leg_ch_other": 1206, "leg_reading_points": 117, "leg_staff_fulltime": 0,
        "leg_staff_parttime": 1, "leg_units": 0,
    }  # fmt: skip


def test_request_channels() -> None:
    got = facts("共收到依申请公开信息4件。主要受理方式为信函3件、网络申请1件。")
    assert (got["leg_req_letter"], got["leg_req_online"]) == (3, 1)
