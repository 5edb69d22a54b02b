"""Everything at once: ``diagnose`` and the hints on remaining shorts (``explain_shorts``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..model import Ledger
from .balances import balances, timelines
from .onchain import onchain_gaps
from .results import Diagnosis, Finding, OnchainBalance
from .suggest import PROPOSED_KIND
from .tipping import find_negatives


def explain_shorts(
    ledger: Ledger, wallet_assets: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """For wallet × asset pairs with uncovered sales: the gap behind them and what resolves it.

    A pair without a negative balance of its own received its uncovered units by a transfer
    from a wallet that has one; the hint then says so.
    """
    found = {(f.wallet, f.asset): f for f in find_negatives(ledger)}
    by_asset: dict[str, list[Finding]] = {}
    for f in found.values():
        by_asset.setdefault(f.asset, []).append(f)
    hints: dict[tuple[str, str], str] = {}
    for wallet, asset in wallet_assets:
        f = found.get((wallet, asset))
        if f is not None:
            hints[(wallet, asset)] = (
                f"{asset} in {wallet} goes negative at {f.tipping.tx_id} "
                f"({f.tipping.time:%Y-%m-%d}): probable cause {f.cause.value}; "
                f"propose {PROPOSED_KIND[f.cause]} (taxsim diagnose --suggest)"
            )
        elif by_asset.get(asset):
            sources = ", ".join(sorted(g.wallet for g in by_asset[asset]))
            hints[(wallet, asset)] = (
                f"the uncovered {asset} arrived by transfer from {sources}, where the balance "
                "goes negative: correct the gap there (taxsim diagnose --suggest)"
            )
        else:
            hints[(wallet, asset)] = (
                f"no negative {asset} balance in the ledger: the lots were consumed earlier "
                "(check own transfers and fees), or document the acquisition (set_cost_basis)"
            )
    return hints


def diagnose(
    ledger: Ledger,
    *,
    previous: Ledger | None = None,
    onchain: Iterable[OnchainBalance] | None = None,
    since: datetime | None = None,
) -> Diagnosis:
    ordered = ledger.sorted()
    lines = timelines(ledger, ordered)
    return Diagnosis(
        balances=balances(lines),
        timelines=lines,
        findings=find_negatives(
            ledger, previous=previous, since=since, lines=lines, ordered=ordered
        ),
        onchain=onchain_gaps(lines, onchain) if onchain is not None else None,
    )
