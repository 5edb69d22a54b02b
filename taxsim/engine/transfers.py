"""Pairing withdrawals with deposits: own transfers between the client's wallets.

A withdrawal of asset A from wallet W and a deposit of A into another wallet W' are one own
transfer (not a disposal; lots move with their dates and cost, BMF Rz. 54, 56) when

1. they share a non-empty ``txid`` (the same on-chain transaction), or
2. the deposit arrives within ``[-max_hours_before, +max_hours_after]`` of the withdrawal and
   its amount is between ``min_amount_ratio`` × and 1 × the withdrawn amount (the network fee
   may be booked inside the amount) — CoinTracking's Missing Transactions report uses about
   95 % and −24 h/+48 h (support article 29000048812).

Among several candidates the closest in time wins, then the closest in amount; each deposit is
used once. Withdrawals are taken in ledger order, so the result is deterministic.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from ..model import FIAT, Kind, Transaction
from ..rules import RuleSet


def pair_transfers(txs: Sequence[Transaction], rules: RuleSet) -> dict[str, str]:
    """Map withdrawal id → deposit id for every own transfer found."""
    cfg = rules.transfers
    before, after = timedelta(hours=cfg.max_hours_before), timedelta(hours=cfg.max_hours_after)

    deposits: list[Transaction] = []
    withdrawals: list[Transaction] = []
    deposit, withdrawal = Kind.DEPOSIT, Kind.WITHDRAWAL
    for t in txs:  # one walk over the ledger for both lists
        kind = t.kind
        if kind is deposit:
            if t.buy is not None and t.buy.asset not in FIAT:
                deposits.append(t)
        elif kind is withdrawal and t.sell is not None and t.sell.asset not in FIAT:
            withdrawals.append(t)
    by_txid: dict[tuple[str, str], list[Transaction]] = defaultdict(list)
    by_asset: dict[str, list[Transaction]] = defaultdict(list)
    for d in deposits:
        assert d.buy is not None
        if d.txid:
            by_txid[(d.txid, d.buy.asset)].append(d)
        by_asset[d.buy.asset].append(d)
    for lst in by_asset.values():
        lst.sort(key=lambda t: (t.time, t.id))
    times = {a: [t.time for t in lst] for a, lst in by_asset.items()}

    used: set[str] = set()
    pairs: dict[str, str] = {}
    # First pass: same on-chain transaction.
    for w in withdrawals:
        assert w.sell is not None
        if not w.txid:
            continue
        for d in by_txid.get((w.txid, w.sell.asset), ()):
            if d.id not in used and d.wallet != w.wallet:
                pairs[w.id] = d.id
                used.add(d.id)
                break
    # Second pass: amount and time window.
    for w in withdrawals:
        if w.id in pairs:
            continue
        assert w.sell is not None
        asset, amount = w.sell.asset, w.sell.amount
        cands = by_asset.get(asset)
        if not cands:
            continue
        best: tuple[timedelta, Decimal, Transaction] | None = None
        latest = w.time + after
        for i in range(bisect_left(times[asset], w.time - before), len(cands)):
            d = cands[i]
            if d.time > latest:
                break
            assert d.buy is not None
            if d.id in used or d.wallet == w.wallet:
                continue
            if not (amount * cfg.min_amount_ratio <= d.buy.amount <= amount):
                continue
            key = (abs(d.time - w.time), amount - d.buy.amount, d)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is not None:
            pairs[w.id] = best[2].id
            used.add(best[2].id)
    return pairs
