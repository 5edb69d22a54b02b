"""Findings: every wallet × asset that goes negative, its tipping point, pattern and cause.

Every registered cause detector (``registry``) looks at each gap; the explanation with the
highest confidence wins, ties broken by ``CAUSE_ORDER``; the others are kept as alternatives.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..model import FIAT, ZERO, Ledger, Transaction
from .balances import timelines
from .patterns import classify_pattern
from .priority import priority_of
from .registry import GAP_DETECTORS, Candidate, Gap, load
from .results import (
    _PRIORITY_RANK,
    CAUSE_ORDER,
    CONFIDENCE_RANK,
    Cause,
    Confidence,
    Correction,
    Evidence,
    Finding,
    Step,
)
from .settings import Settings, default_settings
from .view import BalanceView, _leg_of, _unit_price


def gap_value(view: BalanceView, gap: Gap) -> Decimal | None:
    """|lowest| × the tipping leg's unit price, or the asset's reference price where that leg
    has no value, is valued at 0 € or is itself absurd, or, for a stablecoin with neither, the
    middle of its peg's EUR band."""
    leg = _leg_of(view.by_id[gap.tipping.tx_id], gap.wallet, gap.asset)
    price = _unit_price(*leg) if leg else None
    ref = view.ref_price.get(gap.asset)  # > 0 whenever present (``reference_prices``)
    if price is not None and price <= 0:
        price = None
    factor = view.settings.spike.price_factor
    if price is None or (ref and max(price / ref, ref / price) > factor):
        price = ref
    if price is None:  # a stablecoin never valued in the ledger (USDC.e): its peg
        peg = view.settings.peg_of(gap.asset)
        price = (peg.eur[0] + peg.eur[1]) / 2 if peg is not None else None
    return (gap.deficit * price).quantize(Decimal("0.01")) if price else None


def _rank(candidate: Candidate) -> tuple[int, int]:
    order = CAUSE_ORDER.index(candidate.cause) if candidate.cause in CAUSE_ORDER else 99
    return CONFIDENCE_RANK[candidate.confidence], order


def explain(view: BalanceView, gap: Gap) -> tuple[Candidate, list[Candidate]]:
    """The best explanation of a gap and the others that fit."""
    load()
    found = []
    for detector in GAP_DETECTORS.values():
        candidate = detector(view, gap)
        if candidate is not None:
            found.append(candidate)
    found.sort(key=_rank)
    if found:
        return found[0], found[1:]
    unknown = Candidate(
        Cause.UNKNOWN,
        Confidence.LOW,
        [
            Evidence(
                "no known pattern fits: check the transaction before the tipping point and "
                "the source of the sold units",
                (gap.tipping.tx_id,),
            )
        ],
        [
            Correction(
                "set_cost_basis",
                [("disposal", gap.tipping.tx_id), ("quantity", gap.deficit)],
                [
                    'acquired = "TODO: time of the documented purchase"',
                    'cost = "TODO: EUR cost incl. fees"',
                ],
            )
        ],
    )
    return unknown, []


def _finding(view: BalanceView, wallet: str, asset: str, steps: list[Step]) -> Finding | None:
    tip = next((i for i, s in enumerate(steps) if s.balance < 0), None)
    if tip is None:
        return None
    low = min(range(len(steps)), key=lambda i: steps[i].balance)
    gap = Gap(wallet, asset, steps, tip, low, view.wallet(wallet))
    pattern, pattern_reason = classify_pattern(view, wallet, asset, steps, tip)
    gap_eur = gap_value(view, gap)
    best, others = explain(view, gap)
    priority, priority_reason = priority_of(asset, best.cause, gap_eur, view.settings)
    return Finding(
        wallet=wallet,
        asset=asset,
        chain=gap.info.chain,
        tipping=steps[tip],
        before=steps[tip - 1] if tip > 0 else None,
        lowest=steps[low].balance,
        lowest_tx=steps[low].tx_id,
        today=steps[-1].balance,
        gap_eur=gap_eur,
        pattern=pattern,
        pattern_reason=pattern_reason,
        cause=best.cause,
        evidence=best.evidence,
        priority=priority,
        priority_reason=priority_reason,
        proposal=best.proposal,
        confidence=best.confidence,
        corrections=best.corrections,
        alternatives=[
            (c.cause, c.confidence, c.evidence[0].text if c.evidence else "") for c in others
        ],
    )


def make_view(
    ledger: Ledger,
    *,
    previous: Ledger | None = None,
    lines: dict[tuple[str, str], list[Step]] | None = None,
    ordered: list[Transaction] | None = None,
    settings: Settings | None = None,
) -> BalanceView:
    ordered = ordered if ordered is not None else ledger.sorted()
    lines = lines if lines is not None else timelines(ledger, ordered)
    return BalanceView(
        ledger,
        settings=settings or default_settings(),
        ordered=ordered,
        lines=lines,
        previous=previous,
    )


def find_negatives(
    ledger: Ledger,
    *,
    previous: Ledger | None = None,
    since: datetime | None = None,
    lines: dict[tuple[str, str], list[Step]] | None = None,
    ordered: list[Transaction] | None = None,
    settings: Settings | None = None,
    view: BalanceView | None = None,
    keep_dust: bool = False,
) -> list[Finding]:
    """Every crypto wallet × asset whose balance goes negative (fiat is not checked), sorted by
    priority, then gap value (largest first), then tipping time. With ``since``: only those whose
    first tipping point is at or after it. A gap worth less than ``priority.dust_eur`` (fee dust,
    rounding) is no finding unless ``keep_dust`` (``diagnose`` lists them apart, ``dust``).
    ``lines`` and ``ordered`` (the ledger in processing order) save the work where the caller
    has them already."""
    if view is None:
        view = make_view(ledger, previous=previous, lines=lines, ordered=ordered, settings=settings)
    findings = []
    dust = view.settings.priority.dust_eur
    for (wallet, asset), steps in sorted(view.lines.items()):
        if asset in FIAT:
            continue
        finding = _finding(view, wallet, asset, steps)
        if finding is None or (since is not None and finding.tipping.time < since):
            continue
        if finding.gap_eur is not None and finding.gap_eur < dust and not keep_dust:
            view.dust.append(finding)  # fee dust, rounding: no alarm (Diagnosis.dust)
            continue
        findings.append(finding)
    findings.sort(key=lambda f: (_PRIORITY_RANK[f.priority], -(f.gap_eur or ZERO), f.tipping.time))
    return findings
