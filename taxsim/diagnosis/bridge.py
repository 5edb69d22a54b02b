"""Cause: a one-sided bridge transfer."""

from __future__ import annotations

from bisect import bisect_left
from datetime import timedelta

from .balances import effects
from .context import _Context
from .results import Evidence, Step
from .settings import BRIDGE_FEE_TOLERANCE, BRIDGE_WINDOW_DAYS
from .text import _num


def _cause_bridge(
    ctx: _Context, wallet: str, asset: str, tipping: Step
) -> tuple[list[Evidence], dict[str, object]] | None:
    own_chain = ctx.wallet_chain.get(wallet, "")
    txs, times = ctx.ordered, ctx.times
    window = timedelta(days=BRIDGE_WINDOW_DAYS)
    candidates = []
    for tx in txs:
        if tx.time > tipping.time:
            break
        known = ctx.known.get(tx.to_address.lower()) if tx.to_address else None
        if (
            known is None
            or known.kind != "bridge"
            or tx.wallet == wallet
            or tx.sell is None
            or tx.sell.asset != asset
            or (own_chain and tx.chain and tx.chain.lower() == own_chain)
        ):
            continue
        sent = tx.sell.amount
        # the rows from tx.time up to (not including) tx.time + the window
        start, end = bisect_left(times, tx.time), bisect_left(times, tx.time + window)
        matched = any(
            w != tx.wallet and a == asset and (1 - BRIDGE_FEE_TOLERANCE) * sent <= d <= sent
            for other in txs[start:end]
            for (w, a), d in effects(other).items()
        )
        if not matched:
            candidates.append((tx, known))
    if not candidates:
        return None
    tx, known = candidates[-1]
    assert tx.sell is not None
    return [
        Evidence(
            f"{tx.id} ({tx.time:%Y-%m-%d %H:%M} UTC) sends {_num(tx.sell.amount)} {asset} from "
            f"{tx.wallet} to {known.name} ({tx.to_address}); no inflow of "
            f"{_num((1 - BRIDGE_FEE_TOLERANCE) * tx.sell.amount)}–{_num(tx.sell.amount)} "
            f"{asset} in another wallet within {BRIDGE_WINDOW_DAYS} days",
            (tx.id,),
        )
    ], {"withdrawal": tx.id, "amount": tx.sell.amount, "time": tx.time}
