"""Margin and derivatives rows (``Kind.DERIVATIVE``) in both engines.

Their result is no disposal of a crypto-asset: DE capital income (§ 20 Abs. 2 S. 1 Nr. 3 EStG,
Anlage KAP), AT § 27 Abs 4 EStG. The engines keep them out of the lot matching and record
each part (profit: the buy leg; loss: the sell leg; fee: the fee leg, and the sell leg of a fee
row) as a ``DerivativeEvent``; ``summary`` sums them per year. Units still move: a profit paid
in crypto enters a lot at its EUR value (its cost for a later sale), a loss or fee paid in
crypto leaves the lots without a disposal. An open position (``treatment ==
"open_position"``, CoinTracking's "Margin Trade") has no effect, as in CoinTracking.
"""

from __future__ import annotations

from ..model import Leg, Transaction
from .types import DerivativeEvent

OPEN_POSITION = "open_position"
FEE_ROW = "derivative_fee"


def parts(tx: Transaction) -> list[tuple[str, Leg]]:
    """(part, leg) of a derivatives row; [] for an open position."""
    if tx.treatment == OPEN_POSITION:
        return []
    out: list[tuple[str, Leg]] = []
    if tx.buy is not None:
        out.append(("profit", tx.buy))
    if tx.sell is not None:
        out.append(("fee" if tx.treatment == FEE_ROW else "loss", tx.sell))
    if tx.fee is not None:
        out.append(("fee", tx.fee))
    return out


def events(tx: Transaction) -> list[DerivativeEvent]:
    """The row's parts with their EUR values (a EUR leg is its own value)."""
    return [
        DerivativeEvent(
            tx.id,
            tx.time,
            part,
            leg.asset,
            leg.amount,
            leg.eur if leg.eur is not None else (leg.amount if leg.asset == "EUR" else None),
        )
        for part, leg in parts(tx)
    ]
