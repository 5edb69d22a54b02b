"""Cause: a one-sided bridge. A withdrawal of the asset (or a bridged/wrapped form of it:
ETH/WETH, USDC/USDC.e) from another wallet that no deposit matches — nothing arrived within
``match_days`` with at least 1 − ``fee_tolerance`` of the amount — at most ``lookback_days``
before the asset goes negative here, by no more than was sent. It is a bridge, not a lost
deposit, when the evidence says the units changed chains: the two wallets are on different
chains (``ETH Transaction`` → ``Arbitrum One``), the asset changed form, a known bridge
address, bridge words in comment/group ("Bridge Base"), or an earlier bridge on that route."""

from __future__ import annotations

from datetime import timedelta

from ..model import Kind, Transaction
from .registry import Candidate, Gap, gap_detector
from .results import Cause, Confidence, Correction, Evidence
from .text import _num, describe
from .view import BalanceView


def _earlier_route(
    view: BalanceView, source: str, target: str, before: Transaction
) -> Transaction | None:
    """A complete transfer source → target before ``before`` (a route used before)."""
    routes = view.memo.get("routes")
    if routes is None:
        routes = {}
        pairs = view.pairs
        for out in pairs.outflows:  # in time order: the first of each route stays
            dep = pairs.out_to_in.get(out.id)
            if dep is not None:
                routes.setdefault((out.wallet, view.by_id[dep].wallet), out)
        view.memo["routes"] = routes
    first = routes.get((source, target))  # type: ignore[union-attr]
    return first if first is not None and first.time < before.time else None


@gap_detector(Cause.ONE_SIDED_BRIDGE)
def bridge_gap(view: BalanceView, gap: Gap) -> Candidate | None:
    s = view.settings.bridge
    here = gap.info
    start = gap.tipping.time - timedelta(days=s.lookback_days)
    need = gap.deficit * (1 - s.fee_tolerance)
    best: tuple[int, Transaction, list[str]] | None = None
    for asset in view.settings.forms_of(gap.asset):
        for tx in view.one_sided_outflows(asset, start, gap.lowest.time):
            sell = tx.sell
            if tx.wallet == gap.wallet or sell is None or tx.kind is not Kind.WITHDRAWAL:
                continue
            if sell.amount < need:
                continue
            there = view.wallet(tx.wallet)
            signs: list[str] = []
            score = 0
            known = view.known.get(tx.to_address.lower()) if tx.to_address else None
            if known is not None and known.kind == "bridge":
                signs.append(f"sent to {known.name} ({tx.to_address})")
                score += 3
            elif known is not None:
                continue  # to an aggregator: a swap
            text = view.text_of(tx)
            word = view.bridge_words.search(text) if text else None
            if word:
                signs.append(f'comment/group "{text}" names a bridge ("{word.group(0)}")')
                score += 3
            if here.chain and there.chain and here.chain != there.chain:
                signs.append(
                    f"{tx.wallet} is on {there.chain} ({there.why}), {gap.wallet} on "
                    f"{here.chain} ({here.why})"
                )
                score += 2
            if asset != gap.asset:
                signs.append(f"{asset} sent, {gap.asset} missing: a bridged form of it")
                score += 2
            route = _earlier_route(view, tx.wallet, gap.wallet, tx) if score else None
            if route is not None:
                signs.append(f"an earlier transfer took the same route ({route.id})")
                score += 1
            if score < 2:
                continue  # nothing says the units changed chains: a missing deposit
            if score < 3 and sell.amount > gap.deficit * 20:
                continue  # far more sent than is missing: some other transfer
            if sell.amount <= gap.deficit * 2:
                score += 1
            if best is None or score >= best[0]:
                best = (score, tx, signs)
    if best is None:
        return None
    score, tx, signs = best
    assert tx.sell is not None
    confidence = (
        Confidence.HIGH if score >= 3 else Confidence.MEDIUM if score >= 2 else Confidence.LOW
    )
    evidence = [
        Evidence(
            f"{describe(tx)} has no matching deposit within {s.match_days} days in any other "
            f"wallet (at least {_num(tx.sell.amount * (1 - s.fee_tolerance))} "
            f"{tx.sell.asset}): " + "; ".join(signs),
            (tx.id,),
        )
    ]
    keys: list[tuple[str, object]] = [
        ("withdrawal", tx.id),
        ("to_wallet", gap.wallet),
        ("amount", tx.sell.amount),
        ("time", tx.time),
    ]
    if here.chain:
        keys.append(("chain", here.chain))
    todo = ["TODO: amount = units that arrived (bridge fee deducted?)"]
    if tx.sell.asset != gap.asset:
        todo.append(
            f"TODO: {tx.sell.asset} sent, {gap.asset} received: rename one leg first "
            "(rename_ticker) — link_transfer needs one asset"
        )
    correction = Correction("link_transfer", keys, todo)
    proposal = {"withdrawal": tx.id, "amount": tx.sell.amount, "time": tx.time}
    return Candidate(Cause.ONE_SIDED_BRIDGE, confidence, evidence, [correction], proposal)
