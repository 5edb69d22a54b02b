"""Cause: incomplete exchange history."""

from __future__ import annotations

from .context import _Context
from .results import Evidence, Step
from .text import _num


def _cause_incomplete(
    ctx: _Context, wallet: str, asset: str, steps: list[Step]
) -> tuple[list[Evidence], dict[str, object]] | None:
    if ctx.wallet_chain.get(wallet):
        return None  # an on-chain wallet: its history is the chain's, not an export's
    first = steps[0]
    if first.delta >= 0:
        return None
    return [
        Evidence(
            f"{wallet} is an exchange (no chain) and its first {asset} record {first.tx_id} "
            f"({first.time:%Y-%m-%d}) is an outflow of {_num(-first.delta)}: the records start "
            "after the asset was already held there",
            (first.tx_id,),
        )
    ], {}
