"""``short.policy = "backfill"``, shared by both engines: a later inflow into a pool first
covers the pool's open shorts, oldest first; each short match takes the inflow's cost for the
units it covers (``covered_by`` names the inflow) and only the rest becomes holdings."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from ..model import share
from .types import Match


@dataclass(slots=True)
class OpenShort:
    """A short match still waiting for a later inflow to cover it."""

    match: Match
    qty: Decimal  # units not yet covered


def cover(
    shorts: deque[OpenShort], tx_id: str, qty: Decimal, cost: Decimal
) -> tuple[Decimal, Decimal]:
    """Cover ``shorts`` with an inflow of ``qty`` units costing ``cost`` (transaction
    ``tx_id``); returns the units and the cost left over."""
    while shorts and qty > 0:
        short = shorts[0]
        units = min(short.qty, qty)
        part = cost if units == qty else share(cost, units, qty)
        match = short.match
        match.cost += part
        match.covered_by = f"{match.covered_by},{tx_id}" if match.covered_by else tx_id
        qty -= units
        cost -= part
        short.qty -= units
        if not short.qty:
            shorts.popleft()
    return qty, cost
