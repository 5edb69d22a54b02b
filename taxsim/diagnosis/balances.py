"""Balance view of a ledger: each row's effect, running balances per wallet × asset."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from ..model import FIAT, ZERO, Kind, Ledger, Transaction
from .results import Balance, Step

# --- balances and timelines -------------------------------------------------------------------


def effects(tx: Transaction) -> dict[tuple[str, str], Decimal]:
    """Net change per (wallet, asset) of one transaction: +buy −sell −fee on ``wallet``; the buy
    leg of a transfer lands in ``to_wallet``. Legs of one asset in one wallet are summed."""
    out: dict[tuple[str, str], Decimal] = {}
    if tx.treatment == "open_position":  # an open margin position moves nothing (formats.md)
        return out
    buy, sell, fee = tx.buy, tx.sell, tx.fee
    if buy is not None:
        target = tx.to_wallet if tx.kind is Kind.TRANSFER and tx.to_wallet else tx.wallet
        out[(target, buy.asset)] = ZERO + buy.amount
    if sell is not None:
        key = (tx.wallet, sell.asset)
        out[key] = out.get(key, ZERO) - sell.amount
    if fee is not None:
        key = (tx.wallet, fee.asset)
        out[key] = out.get(key, ZERO) - fee.amount
    return out


def timelines(
    ledger: Ledger, ordered: Sequence[Transaction] | None = None
) -> dict[tuple[str, str], list[Step]]:
    """Running balance per (wallet, asset), in processing order (``Ledger.sorted``; pass
    ``ordered`` when the caller has sorted the ledger already)."""
    result: dict[tuple[str, str], list[Step]] = {}
    steps_of = result.get
    for tx in ordered if ordered is not None else ledger.sorted():
        for key, delta in effects(tx).items():
            steps = steps_of(key)
            if steps is None:
                result[key] = [Step(tx.time, tx.id, delta, ZERO + delta)]
            else:
                steps.append(Step(tx.time, tx.id, delta, steps[-1].balance + delta))
    return result


def balances(lines: dict[tuple[str, str], list[Step]]) -> list[Balance]:
    """Balance after the last transaction of every wallet × asset, sorted by wallet, asset."""
    return [
        Balance(wallet, asset, steps[-1].balance, asset in FIAT)
        for (wallet, asset), steps in sorted(lines.items())
    ]


def balance_at(steps: Sequence[Step], when: datetime) -> Decimal:
    result = ZERO
    for step in steps:
        if step.time > when:
            break
        result = step.balance
    return result
