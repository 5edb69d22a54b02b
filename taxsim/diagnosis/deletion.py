"""Cause: an inflow deleted since a previous export."""

from __future__ import annotations

from ..model import ZERO, Ledger, Transaction
from .balances import effects
from .context import _Context, _inflows_to
from .results import Evidence, Step
from .text import _num


def _present(tx: Transaction, current: Ledger, ids: set[str]) -> bool:
    """Is a row of the previous export still in the ledger? By id, else by txid + wallet +
    legs, else by time + wallet + legs."""
    if tx.id in ids:
        return True

    def legs(t: Transaction) -> tuple:
        return tuple((lg.asset, lg.amount) if lg else None for lg in (t.buy, t.sell))

    for other in current.transactions:
        if other.wallet != tx.wallet or legs(other) != legs(tx):
            continue
        if (tx.txid and other.txid == tx.txid) or other.time == tx.time:
            return True
    return False


def _cause_deleted(
    ctx: _Context, wallet: str, asset: str, tipping: Step
) -> tuple[list[Evidence], dict[str, object]] | None:
    if ctx.previous is None:
        return None
    ids = set(ctx.by_id)
    missing = [
        tx
        for tx in ctx.previous_ordered
        if tx.time <= tipping.time
        and _inflows_to(tx, wallet, asset)
        and not _present(tx, ctx.ledger, ids)
    ]
    if not missing:
        return None
    total = sum((effects(tx)[(wallet, asset)] for tx in missing), ZERO)
    evidence = [
        Evidence(
            f"{tx.id} ({tx.time:%Y-%m-%d %H:%M} UTC, {tx.kind.value} of "
            f"{_num(effects(tx)[(wallet, asset)])} {asset} to {wallet}) is in the previous "
            f"export {ctx.previous_file} but no longer in the ledger",
            (tx.id,),
        )
        for tx in missing
    ]
    evidence.append(Evidence(f"together they would add {_num(total)} {asset} before the gap"))
    return evidence, {"ids": [tx.id for tx in missing]}
