"""Cause: a deleted (or never imported) inflow. With an earlier export: a row that credited the
wallet × asset before its lowest point and is gone (``edits.diff``). Without one, or besides:
an own transfer whose deposit side is missing — a withdrawal of the asset from another wallet,
before the gap, that no deposit matches, on the same chain (across chains it is a bridge)."""

from __future__ import annotations

from ..model import ZERO, Kind
from .edits import lowering
from .registry import Candidate, Gap, gap_detector
from .results import Cause, Confidence, Correction, Evidence
from .text import _num, describe
from .view import BalanceView


def _names_wallet(text: str, wallet: str) -> bool:
    return bool(text) and wallet.lower() in text.lower()


@gap_detector(Cause.DELETED_INFLOW)
def deleted_gap(view: BalanceView, gap: Gap) -> Candidate | None:
    found = lowering(view, gap, ("deleted",))
    if found:
        total = sum((d for _, d in found), ZERO)
        evidence = [
            Evidence(
                f"{describe(c.row)} is in the previous export {view.previous_file} but no "
                "longer in the ledger",
                (c.row.id,),
            )
            for c, _ in found
        ]
        evidence.append(
            Evidence(f"together they would add {_num(total)} {gap.asset} before the gap")
        )
        ids = [c.row.id for c, _ in found]
        confidence = Confidence.HIGH if total >= gap.deficit else Confidence.MEDIUM
        return Candidate(
            Cause.DELETED_INFLOW,
            confidence,
            evidence,
            [Correction("restore", [("from_file", "@previous"), ("ids", ids)])],
            {"ids": ids},
        )
    return _missing_deposit(view, gap)


def _missing_deposit(view: BalanceView, gap: Gap) -> Candidate | None:
    """A one-sided withdrawal of the asset from another wallet on the same chain (or from an
    exchange), before the gap, covering it: its deposit into this wallet is missing."""
    here = gap.info
    tolerance = view.settings.transfers.amount_tolerance
    best = None
    for tx in view.one_sided_outflows(gap.asset, None, gap.lowest.time):
        sell = tx.sell
        if tx.wallet == gap.wallet or sell is None or tx.kind is not Kind.WITHDRAWAL:
            continue
        if sell.amount < gap.deficit * (1 - tolerance):
            continue
        there = view.wallet(tx.wallet)
        if here.chain and there.chain and here.chain != there.chain:
            continue  # across chains: a bridge
        text = view.text_of(tx)
        if view.bridge_words.search(text) or view.swap_words.search(text):
            continue
        score = 2 if _names_wallet(text, gap.wallet) else 1
        if sell.amount <= gap.deficit * (1 + tolerance) + gap.deficit:
            score += 1
        if best is None or score >= best[0]:
            best = (score, tx)
    if best is None:
        return None
    score, tx = best
    assert tx.sell is not None
    confidence = (
        Confidence.HIGH if score >= 3 else Confidence.MEDIUM if score == 2 else (Confidence.LOW)
    )
    evidence = [
        Evidence(
            f"{describe(tx)} has no matching deposit in any wallet: the deposit of "
            f"{_num(tx.sell.amount)} {gap.asset} into {gap.wallet} is probably missing "
            "(deleted, or never imported)",
            (tx.id,),
        )
    ]
    correction = Correction(
        "link_transfer",
        [("withdrawal", tx.id), ("to_wallet", gap.wallet), ("amount", tx.sell.amount)],
        ["TODO: amount = the units that arrived (network fee deducted?)"],
    )
    return Candidate(Cause.DELETED_INFLOW, confidence, evidence, [correction])
