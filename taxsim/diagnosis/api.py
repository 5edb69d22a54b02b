"""Everything at once: ``diagnose`` and the hints on remaining shorts (``explain_shorts``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..gc_pause import gc_paused
from ..model import Ledger, Transaction
from .balances import balances
from .onchain import onchain_gaps
from .registry import ROW_DETECTORS, load
from .results import _PRIORITY_RANK, Cause, Diagnosis, Finding, OnchainBalance, RowFinding
from .settings import Settings
from .suggest import PROPOSED_KIND
from .tipping import find_negatives, make_view
from .view import BalanceView


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
                f"propose {f.corrections[0].kind if f.corrections else PROPOSED_KIND[f.cause]} "
                "(taxsim diagnose --suggest)"
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


def row_findings(view: BalanceView, findings: list[Finding]) -> list[RowFinding]:
    """Every row detector's findings, less scam inflows a negative balance's finding already
    names; sorted by priority, then time."""
    load()
    cited = {
        i for f in findings if f.cause is Cause.SCAM_TOKEN for e in f.evidence for i in e.tx_ids
    }
    out: list[RowFinding] = []
    for detector in ROW_DETECTORS.values():
        for r in detector(view):
            if r.cause is Cause.SCAM_TOKEN and set(r.tx_ids) <= cited:
                continue
            out.append(r)
    out.sort(key=lambda r: (_PRIORITY_RANK[r.priority], r.time, r.tx_ids))
    return out


def diagnose(
    ledger: Ledger,
    *,
    previous: Ledger | None = None,
    onchain: Iterable[OnchainBalance] | None = None,
    since: datetime | None = None,
    settings: Settings | None = None,
) -> Diagnosis:
    """Balances, the negative ones explained (``findings``), and the row findings —
    duplicates, hand edits since ``previous``, scam inflows (``row_findings``)."""
    with gc_paused():  # balance steps for every row and leg, no cycles (gc_pause.py)
        view = make_view(ledger, previous=previous, settings=settings)
        findings = find_negatives(ledger, since=since, view=view)
        rows = row_findings(view, findings)
    if since is not None:
        rows = [r for r in rows if r.time >= since]
    cited = {i for f in findings for e in f.evidence for i in e.tx_ids}
    cited |= {i for r in rows for e in r.evidence for i in e.tx_ids}
    old = {tx.id: tx for tx in view.previous_ordered} if previous is not None else {}
    evidence_rows: dict[str, tuple[Transaction, str]] = {}
    for i in sorted(cited):
        if i in view.by_id:
            evidence_rows[i] = (view.by_id[i], "ledger")
        elif i in old:
            evidence_rows[i] = (old[i], "previous")
    return Diagnosis(
        balances=balances(view.lines),
        timelines=view.lines,
        findings=findings,
        onchain=onchain_gaps(view.lines, onchain) if onchain is not None else None,
        row_findings=rows,
        dust=view.dust,
        rows=evidence_rows,
    )
