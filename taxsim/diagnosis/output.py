"""Presentation helpers (data only): JSON and CSV shapes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from ..model import Transaction
from .results import Correction, Diagnosis, Evidence, Finding, RowFinding, Step
from .suggest import transaction_table
from .text import _num


def _time(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _value(value: object) -> object:
    if isinstance(value, Decimal):
        return _num(value)
    if isinstance(value, datetime):
        return _time(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, Transaction):
        return {k: _value(v) for k, v in transaction_table(value)}
    return value


def correction_json(c: Correction) -> dict[str, object]:
    """``{"kind": …, <its keys>…, "todo": […]}``; ``from_file = "@previous"`` stands for the
    ``--previous`` file; ``transaction`` is an inline row in the canonical columns."""
    out: dict[str, object] = {"kind": c.kind}
    for key, value in c.keys:
        out[key] = _value(value)
    out["todo"] = list(c.todo)
    return out


def row_json(tx: Transaction, where: str) -> dict[str, object]:
    def leg(lg: object) -> dict[str, object] | None:
        if lg is None:
            return None
        return {
            "amount": _num(lg.amount),  # type: ignore[attr-defined]
            "asset": lg.asset,  # type: ignore[attr-defined]
            "eur": None if lg.eur is None else _num(lg.eur),  # type: ignore[attr-defined]
        }

    return {
        "id": tx.id,
        "in": where,
        "time": _time(tx.time),
        "kind": tx.kind.value,
        "income_type": tx.income_type.value if tx.income_type else None,
        "wallet": tx.wallet,
        "to_wallet": tx.to_wallet,
        "buy": leg(tx.buy),
        "sell": leg(tx.sell),
        "fee": leg(tx.fee),
        # the asset a trade names with amount 0 (CoinTracking "Buy 0 USDC"), only where set
        **({"missing_buy_asset": tx.missing_buy_asset} if tx.missing_buy_asset else {}),
        **({"missing_sell_asset": tx.missing_sell_asset} if tx.missing_sell_asset else {}),
        "comment": tx.comment,
        "txid": tx.txid,
        "source": str(tx.source) if tx.source else None,
    }


def _evidence_json(
    evidence: list[Evidence], rows: dict[str, tuple[Transaction, str]]
) -> list[dict[str, object]]:
    return [
        {
            "text": e.text,
            "tx_ids": list(e.tx_ids),
            "rows": [row_json(*rows[i]) for i in e.tx_ids if i in rows],
        }
        for e in evidence
    ]


def row_finding_json(r: RowFinding, rows: dict[str, tuple[Transaction, str]]) -> dict[str, object]:
    return {
        "cause": r.cause.value,
        "change": r.change,
        "wallet": r.wallet,
        "asset": r.asset,
        "time": _time(r.time),
        "tx_ids": list(r.tx_ids),
        "confidence": r.confidence.value,
        "evidence": _evidence_json(r.evidence, rows),
        "priority": r.priority.value,
        "priority_reason": r.priority_reason,
        "corrections": [correction_json(c) for c in r.corrections],
    }


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
                "confidence": f.confidence.value,
                "evidence": _evidence_json(f.evidence, diagnosis.rows),
                "priority": f.priority.value,
                "priority_reason": f.priority_reason,
                "corrections": [correction_json(c) for c in f.corrections],
                "alternatives": [
                    {"cause": c.value, "confidence": k.value, "evidence": text}
                    for c, k, text in f.alternatives
                ],
            }
            for f in diagnosis.findings
        ],
        "row_findings": [row_finding_json(r, diagnosis.rows) for r in diagnosis.row_findings],
        "dust": [
            {
                "wallet": f.wallet,
                "asset": f.asset,
                "tipping_point": _step_json(f.tipping),
                "lowest_balance": _num(f.lowest),
                "balance_today": _num(f.today),
                "gap_eur": None if f.gap_eur is None else _num(f.gap_eur),
            }
            for f in diagnosis.dust
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
    "confidence", "corrections",
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
            f.confidence.value,
            " ".join(c.kind for c in f.corrections),
        ]
        for f in findings
    ]
