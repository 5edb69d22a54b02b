"""Cause: a one-sided aggregator swap."""

from __future__ import annotations

from ..model import Transaction
from .context import _Context
from .results import Evidence, Step
from .settings import AGGREGATOR_WINDOW_DAYS
from .text import _num


def _is_one_sided_outflow(ctx: _Context, tx: Transaction) -> bool:
    """A row that only sends (no buy leg) and no other row shares its txid with an inflow to the
    same wallet."""
    if tx.sell is None or tx.buy is not None:
        return False
    if not tx.txid:
        return True
    return not any(
        other.id != tx.id
        and other.buy is not None
        and (other.wallet == tx.wallet or other.to_wallet == tx.wallet)
        for other in ctx.by_txid.get(tx.txid, ())
    )


def _cause_aggregator(
    ctx: _Context, wallet: str, asset: str, tipping: Step
) -> tuple[list[Evidence], dict[str, object]] | None:
    candidates = []
    for tx in ctx.ordered:
        if tx.time > tipping.time:
            break
        known = ctx.known.get(tx.to_address.lower()) if tx.to_address else None
        if (
            tx.wallet == wallet
            and known is not None
            and known.kind == "aggregator"
            and tx.sell is not None
            and tx.sell.asset != asset
            and (tipping.time - tx.time).days <= AGGREGATOR_WINDOW_DAYS
            and _is_one_sided_outflow(ctx, tx)
        ):
            candidates.append((tx, known))
    if not candidates:
        return None
    tx, known = candidates[-1]
    assert tx.sell is not None
    return [
        Evidence(
            f"{tx.id} ({tx.time:%Y-%m-%d %H:%M} UTC) sends {_num(tx.sell.amount)} "
            f"{tx.sell.asset} to {known.name} ({tx.to_address}) and no inflow shares its txid "
            f"{tx.txid or '(none)'}: the {asset} received in the swap is missing",
            (tx.id,),
        )
    ], {"counterpart": tx.id}
