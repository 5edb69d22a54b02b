"""Findings: every wallet × asset that goes negative, its tipping point and cause."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..model import FIAT, ZERO, Ledger, Transaction
from .aggregator import _cause_aggregator
from .balances import timelines
from .bridge import _cause_bridge
from .context import _Context, _leg_of, _unit_price, reference_prices, wallet_chains
from .deletion import _cause_deleted
from .incomplete import _cause_incomplete
from .patterns import _pattern
from .priority import _priority
from .reference import known_addresses, official_contracts
from .results import _PRIORITY_RANK, CAUSE_ORDER, Cause, Evidence, Finding, Step
from .scam import _cause_scam
from .settings import EXTREME_PRICE_FACTOR


def _finding(ctx: _Context, wallet: str, asset: str, steps: list[Step]) -> Finding | None:
    tip = next((i for i, s in enumerate(steps) if s.balance < 0), None)
    if tip is None:
        return None
    tipping = steps[tip]
    low_step = min(steps, key=lambda s: s.balance)
    pattern, pattern_reason = _pattern(ctx, wallet, asset, steps, tip)
    leg = _leg_of(ctx.by_id[tipping.tx_id], wallet, asset)
    price = _unit_price(*leg) if leg else None
    ref = ctx.ref_price.get(asset)  # > 0 whenever present (``reference_prices``)
    # a leg valued at 0 € (a withdrawal exported without value) says nothing about the price:
    # fall back to the reference as for an unvalued leg (and never divide by it)
    if price is not None and price <= 0:
        price = None
    if price is None or (ref and max(price / ref, ref / price) > EXTREME_PRICE_FACTOR):
        price = ref
    gap_eur = (-low_step.balance * price).quantize(Decimal("0.01")) if price else None

    cause, evidence, proposal = Cause.UNKNOWN, [], {}
    for candidate in CAUSE_ORDER:
        if candidate is Cause.SCAM_TOKEN:
            found = _cause_scam(ctx, wallet, asset, steps)
        elif candidate is Cause.DELETED_INFLOW:
            found = _cause_deleted(ctx, wallet, asset, tipping)
        elif candidate is Cause.AGGREGATOR_SWAP:
            found = _cause_aggregator(ctx, wallet, asset, tipping)
        elif candidate is Cause.ONE_SIDED_BRIDGE:
            found = _cause_bridge(ctx, wallet, asset, tipping)
        else:
            found = _cause_incomplete(ctx, wallet, asset, steps)
        if found:
            cause, (evidence, proposal) = candidate, found
            break
    if cause is Cause.UNKNOWN:
        evidence = [
            Evidence(
                "no known pattern fits: check the transaction before the tipping point and "
                "the source of the sold units",
                (tipping.tx_id,),
            )
        ]
    priority, priority_reason = _priority(asset, cause, gap_eur)
    return Finding(
        wallet=wallet,
        asset=asset,
        chain=ctx.wallet_chain.get(wallet, ""),
        tipping=tipping,
        before=steps[tip - 1] if tip > 0 else None,
        lowest=low_step.balance,
        lowest_tx=low_step.tx_id,
        today=steps[-1].balance,
        gap_eur=gap_eur,
        pattern=pattern,
        pattern_reason=pattern_reason,
        cause=cause,
        evidence=evidence,
        priority=priority,
        priority_reason=priority_reason,
        proposal=proposal,
    )


def find_negatives(
    ledger: Ledger,
    *,
    previous: Ledger | None = None,
    since: datetime | None = None,
    lines: dict[tuple[str, str], list[Step]] | None = None,
    ordered: list[Transaction] | None = None,
) -> list[Finding]:
    """Every crypto wallet × asset whose balance goes negative (fiat is not checked), sorted by
    priority, then gap value (largest first), then tipping time. With ``since``: only those whose
    first tipping point is at or after it. ``lines`` and ``ordered`` (the ledger in processing
    order) save the work where the caller has them already."""
    ordered = ordered if ordered is not None else ledger.sorted()
    lines = lines if lines is not None else timelines(ledger, ordered)
    by_txid: dict[str, list[Transaction]] = {}
    for tx in ledger.transactions:
        if tx.txid:
            by_txid.setdefault(tx.txid, []).append(tx)
    ctx = _Context(
        ledger=ledger,
        ordered=ordered,
        times=[tx.time for tx in ordered],
        by_id={tx.id: tx for tx in ledger.transactions},
        by_txid=by_txid,
        lines=lines,
        official=official_contracts(),
        known=known_addresses(),
        ref_price=reference_prices(ledger),
        wallet_chain=wallet_chains(ledger),
        previous=previous,
        previous_ordered=previous.sorted() if previous is not None else [],
        previous_file=(previous.files[0] if previous and previous.files else "previous export"),
    )
    findings = []
    for (wallet, asset), steps in sorted(lines.items()):
        if asset in FIAT:
            continue
        finding = _finding(ctx, wallet, asset, steps)
        if finding and (since is None or finding.tipping.time >= since):
            findings.append(finding)
    findings.sort(key=lambda f: (_PRIORITY_RANK[f.priority], -(f.gap_eur or ZERO), f.tipping.time))
    return findings
