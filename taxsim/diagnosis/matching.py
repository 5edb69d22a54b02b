"""Own transfers paired: which withdrawals a deposit in another wallet matches, and which are
one-sided (no deposit anywhere: a swap, a bridge, a deleted or never-imported deposit) — and
which deposits no withdrawal matches (free inflows). Works without addresses or hashes: same
asset (or a bridged form), another wallet, at least 1 − tolerance of the amount, within the
time window; a shared Tx-ID pairs first."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import timedelta

from ..model import FIAT, Kind, Transaction
from .settings import Settings


@dataclass(slots=True)
class TransferPairs:
    out_to_in: dict[str, str] = field(default_factory=dict)  # withdrawal id → deposit id
    in_to_out: dict[str, str] = field(default_factory=dict)
    outflows: list[Transaction] = field(default_factory=list)  # rows that only send crypto
    inflows: list[Transaction] = field(default_factory=list)  # deposits of crypto

    def one_sided_out(self, tx: Transaction) -> bool:
        return tx.id not in self.out_to_in

    def one_sided_in(self, tx: Transaction) -> bool:
        return tx.id not in self.in_to_out


def is_outflow(tx: Transaction) -> bool:
    """A row that sends crypto and receives nothing: a withdrawal, or a trade whose buy leg is
    missing (CoinTracking writes a swap whose other side never arrived as ``Buy 0``)."""
    return (
        tx.buy is None
        and tx.sell is not None
        and tx.sell.asset not in FIAT
        and tx.kind in (Kind.WITHDRAWAL, Kind.TRADE)
    )


def is_inflow(tx: Transaction) -> bool:
    return tx.kind is Kind.DEPOSIT and tx.buy is not None and tx.buy.asset not in FIAT


def pair_transfers(
    ordered: list[Transaction], settings: Settings, extra_days: int = 0
) -> TransferPairs:
    """Pair outflows with deposits, in time order, each deposit used once: a deposit sharing the
    outflow's Tx-ID first, else the earliest fitting one."""
    t = settings.transfers
    before = timedelta(hours=t.hours_before)
    after = max(timedelta(hours=t.hours_after), timedelta(days=extra_days))
    low = 1 - t.amount_tolerance
    pairs = TransferPairs()
    family: dict[str, str] = {}
    for group in settings.bridge.forms:
        for asset in group:
            family[asset] = group[0]
    by_family: dict[str, list[Transaction]] = {}
    for tx in ordered:
        if is_outflow(tx):
            pairs.outflows.append(tx)
        elif is_inflow(tx):
            pairs.inflows.append(tx)
            asset = tx.buy.asset  # type: ignore[union-attr]
            by_family.setdefault(family.get(asset, asset), []).append(tx)
    times = {k: [tx.time for tx in v] for k, v in by_family.items()}
    used = pairs.in_to_out
    for out in pairs.outflows:
        if out.kind is not Kind.WITHDRAWAL:
            continue  # a trade without its buy leg is a one-sided swap, not a transfer
        sell = out.sell
        assert sell is not None
        key = family.get(sell.asset, sell.asset)
        candidates = by_family.get(key)
        if not candidates:
            continue
        ts = times[key]
        # a deposit may be booked gross, the network fee included
        fee = out.fee.amount if out.fee is not None and out.fee.asset == sell.asset else 0
        high = sell.amount + fee
        lo, hi = bisect_left(ts, out.time - before), bisect_right(ts, out.time + after)
        best = None
        for dep in candidates[lo:hi]:
            if dep.id in used or dep.wallet == out.wallet:
                continue
            got = dep.buy.amount  # type: ignore[union-attr]
            if out.txid and dep.txid == out.txid and got <= high:
                best = dep
                break
            if best is None and low * sell.amount <= got <= high:
                best = dep
        if best is not None:
            pairs.out_to_in[out.id] = best.id
            used[best.id] = out.id
    return pairs
