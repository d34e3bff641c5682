"""The legacy sum checks of report-formats.md §3.5–3.7, all with scope `legacy`.

An operand that the report does not state (absent) or that could not be read (null) makes the
check `not_evaluable`: a legacy report states only some facts, and absent is never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipelines.extract.legacy.forms import L2_CHANNELS
from pipelines.extract.legacy.prose import CHANNEL_KEYS, OUTCOME_KEYS, ProseFacts, request_total
from pipelines.extract.model import Cell, CheckResult, CheckStatus

Number = int | float
SCOPE = "legacy"

# (check id, total key, part keys), all hard (§3.5).
SPLITS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("leg_req_channels", "leg_req_received", CHANNEL_KEYS),
    ("leg_req_completed_split", "leg_req_completed", ("leg_req_on_time", "leg_req_extended")),
    ("leg_reply_split", "leg_replies", OUTCOME_KEYS),
    ("leg_refused_reasons", "leg_reply_refused", (
        "leg_refused_state_secret", "leg_refused_commercial_secret", "leg_refused_privacy",
        "leg_refused_security", "leg_refused_not_gov_info", "leg_refused_other_legal")),
    ("leg_review_split", "leg_review_total",
     ("leg_review_upheld", "leg_review_corrected", "leg_review_other")),
    ("leg_suit_split", "leg_suit_total",
     ("leg_suit_upheld", "leg_suit_corrected", "leg_suit_other")),
    ("leg_staff_split", "leg_staff_total", ("leg_staff_fulltime", "leg_staff_parttime")),
)  # fmt: skip
# (check id, smaller key, larger key), soft (§3.5).
SUBSETS: tuple[tuple[str, str, str], ...] = (
    ("leg_subset_normative", "leg_active_normative", "leg_active_total"),
    ("leg_subset_head_press", "leg_press_conf_head", "leg_press_conf"),
    ("leg_subset_head_interview", "leg_online_interview_head", "leg_online_interview"),
    ("leg_completed_vs_received", "leg_req_completed", "leg_req_received"),
)


def _show(values: Sequence[Number | None]) -> str:
    return "+".join("?" if v is None else f"{v:g}" for v in values)


def equal_check(
    check: str, total: Number | None, parts: Sequence[Number | None], severity: str = "hard"
) -> CheckResult:
    """Return the result of `total = Σ parts`; any absent operand makes it not evaluable."""
    detail = f"{_show([total])} = {_show(parts)}"
    if total is None or any(p is None for p in parts):
        return CheckResult(check, SCOPE, CheckStatus.NOT_EVALUABLE, detail, severity)
    rhs = sum(p for p in parts if p is not None)
    if abs(total - rhs) > 1e-9:
        return CheckResult(
            check, SCOPE, CheckStatus.FAIL, f"{detail} ({total:g} ≠ {rhs:g})", severity
        )
    return CheckResult(check, SCOPE, CheckStatus.PASS, detail, severity)


def le_check(check: str, small: Number | None, large: Number | None) -> CheckResult:
    """Return the soft result of `small ≤ large`."""
    detail = f"{_show([small])} ≤ {_show([large])}"
    if small is None or large is None:
        return CheckResult(check, SCOPE, CheckStatus.NOT_EVALUABLE, detail, "soft")
    status = CheckStatus.PASS if small <= large else CheckStatus.FAIL
    return CheckResult(check, SCOPE, status, detail, "soft")


def legacy_checks(
    cells: Sequence[Cell],
    l2_rows: Mapping[str, Sequence[Number | None]] | None = None,
    prose: ProseFacts | None = None,
) -> list[CheckResult]:
    """Given the legacy cells (plus L2 form rows and prose facts), return the §3.5–3.7 checks."""
    values: dict[str, Number | None] = {c.row: c.value for c in cells if c.table == "legacy"}
    results = [
        equal_check(check, values.get(total), [values.get(k) for k in parts])
        for check, total, parts in SPLITS
    ]
    results += [
        le_check(check, values.get(small), values.get(large)) for check, small, large in SUBSETS
    ]
    results.append(
        equal_check(
            "leg_replies_vs_completed",
            values.get("leg_replies"),
            [values.get("leg_req_completed")],
            "soft",
        )
    )
    if l2_rows:
        results += _l2_checks(l2_rows)
    if prose is not None:
        results += _prose_checks(prose)
    return results


def _l2_checks(rows: Mapping[str, Sequence[Number | None]]) -> list[CheckResult]:
    """Return the `legb_*` checks of §3.6 on a regional form's rows."""

    def one(key: str) -> Number | None:
        found = rows.get(key)
        return found[0] if found else None

    reasons = [v for key, vals in rows.items() if key.startswith("extra:l2_reason") for v in vals]
    results = [
        equal_check("legb_req_channels", one("leg_req_received"), [one(k) for k in L2_CHANNELS]),
        equal_check(
            "legb_reply_split",
            one("leg_replies"),
            [one("leg_reply_granted"), one("leg_reply_partial"), one("leg_reply_refused")],
            "soft",
        ),
    ]
    if reasons:
        results.append(equal_check("legb_refused_reasons", one("leg_reply_refused"), reasons))
    return results


def _prose_checks(prose: ProseFacts) -> list[CheckResult]:
    """Return the soft §3.7 checks on figures stated in sentences: a stated total against at
    least two stated channels or outcomes (one stated part says nothing about the rest)."""
    facts = {key: fact.value for key, fact in prose.facts.items() if "prose" in fact.flags}
    results: list[CheckResult] = []
    channels = [facts[k] for k in CHANNEL_KEYS if k in facts]
    if "leg_req_received" in facts and len(channels) >= 2:
        results.append(equal_check("prose_channels", facts["leg_req_received"], channels, "soft"))
    outcomes = [facts[k] for k in OUTCOME_KEYS if k in facts] + list(prose.combined_outcomes)
    total = facts.get("leg_replies", facts.get("leg_req_received"))
    if total is not None and len(outcomes) >= 2:
        results.append(equal_check("prose_outcomes", total, outcomes, "soft"))
    return results


def req_prose_match(cells: Sequence[Cell], text: str) -> list[CheckResult]:
    """Return the soft `req_prose_match` check (§3.2): the request total a modern report's prose
    states (`共收到…申请29件`) against `requests.new_received.total`; empty when either is
    absent."""
    table = next(
        (c for c in cells if (c.table, c.row, c.col) == ("requests", "new_received", "total")),
        None,
    )
    if table is None or table.value is None:
        return []
    stated = request_total(text)
    if stated is None:
        return []
    status = CheckStatus.PASS if stated.value == table.value else CheckStatus.FAIL
    detail = f"prose {stated.value:g} ({stated.raw}) = table {table.value:g}"
    return [CheckResult("req_prose_match", "total", status, detail, "soft")]
