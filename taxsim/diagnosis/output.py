"""Presentation helpers (data only): JSON and CSV shapes."""

from __future__ import annotations

from collections.abc import Iterable

from .results import Diagnosis, Finding, Step
from .text import _num

# --- presentation helpers (data only) ---------------------------------------------------------


def _step_json(step: Step | None) -> dict[str, str] | None:
    if step is None:
        return None
    return {
        "id": step.tx_id,
        "time": step.time.isoformat().replace("+00:00", "Z"),
        "delta": _num(step.delta),
        "balance": _num(step.balance),
    }


def to_json(diagnosis: Diagnosis, *, include_timelines: bool = False) -> dict[str, object]:
    """The stable JSON shape of ``taxsim diagnose --json`` (docs/diagnosis.md). Amounts are
    strings (exact decimals), times ISO 8601 UTC."""
    out: dict[str, object] = {
        "balances": [
            {
                "wallet": b.wallet,
                "asset": b.asset,
                "balance": _num(b.balance),
                "fiat": b.fiat,
                "negative": b.negative,
            }
            for b in diagnosis.balances
        ],
        "findings": [
            {
                "wallet": f.wallet,
                "asset": f.asset,
                "chain": f.chain,
                "tipping_point": _step_json(f.tipping),
                "before": _step_json(f.before),
                "lowest_balance": _num(f.lowest),
                "lowest_at": f.lowest_tx,
                "balance_today": _num(f.today),
                "gap_eur": None if f.gap_eur is None else _num(f.gap_eur),
                "pattern": f.pattern.value,
                "pattern_reason": f.pattern_reason,
                "cause": f.cause.value,
                "evidence": [{"text": e.text, "tx_ids": list(e.tx_ids)} for e in f.evidence],
                "priority": f.priority.value,
                "priority_reason": f.priority_reason,
            }
            for f in diagnosis.findings
        ],
        "onchain": None
        if diagnosis.onchain is None
        else [
            {
                "wallet": g.wallet,
                "chain": g.chain,
                "asset": g.asset,
                "contract": g.contract,
                "as_of": g.as_of.isoformat().replace("+00:00", "Z"),
                "ledger": _num(g.ledger),
                "onchain": _num(g.onchain),
                "difference": _num(g.difference),
            }
            for g in diagnosis.onchain
        ],
    }
    if include_timelines:
        out["timelines"] = [
            {"wallet": w, "asset": a, "steps": [_step_json(s) for s in steps]}
            for (w, a), steps in sorted(diagnosis.timelines.items())
        ]
    return out


CSV_COLUMNS = (
    "priority", "wallet", "asset", "chain", "tipping_id", "tipping_time", "before_id",
    "lowest_balance", "balance_today", "gap_eur", "pattern", "cause", "evidence",
)  # fmt: skip


def csv_rows(findings: Iterable[Finding]) -> list[list[str]]:
    """One row per finding (raw text: the writer neutralises ledger text with ``safe_cell``)."""
    return [
        [
            f.priority.value,
            f.wallet,
            f.asset,
            f.chain,
            f.tipping.tx_id,
            f.tipping.time.isoformat().replace("+00:00", "Z"),
            f.before.tx_id if f.before else "",
            _num(f.lowest),
            _num(f.today),
            "" if f.gap_eur is None else _num(f.gap_eur),
            f.pattern.value,
            f.cause.value,
            " | ".join(e.text for e in f.evidence),
        ]
        for f in findings
    ]
