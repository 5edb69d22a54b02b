"""Row finding: a gift received whose giver's acquisition the ledger cannot carry. § 23 Abs. 1
S. 3 EStG: the recipient takes over the giver's acquisition date and cost; without a
``gift_received`` correction the engines book the gift at cost 0 dated at receipt. The draft
is that correction, the giver's date and cost left for the advisor to fill in."""

from __future__ import annotations

from ..model import Kind
from .registry import row_detector
from .results import Cause, Confidence, Correction, Evidence, Priority, RowFinding
from .text import _num, describe
from .view import BalanceView


@row_detector("gifts_received")
def gifts_received(view: BalanceView) -> list[RowFinding]:
    """Every received gift of a crypto-asset not yet carrying the giver's acquisition."""
    out = []
    dust = view.settings.priority.dust_eur
    for tx in view.ordered:
        buy = tx.buy
        if tx.kind is not Kind.GIFT or buy is None or buy.is_fiat or tx.taken_over is not None:
            continue
        worth = f" (worth {_num(buy.eur)} € at receipt)" if buy.eur is not None else ""
        if buy.eur is not None and buy.eur < dust:
            priority, why = Priority.LOW, f"dust: the gift is worth {_num(buy.eur)} €"
        else:
            priority, why = Priority.MEDIUM, "cost 0 at receipt until the giver's is documented"
        evidence = [
            Evidence(
                f"{describe(tx)}: {_num(buy.amount)} {buy.asset} received as a gift{worth}; the "
                "recipient takes over the giver's acquisition date and cost (§ 23 Abs. 1 S. 3 "
                "EStG), which the ledger cannot carry: booked at cost 0 dated at receipt",
                (tx.id,),
            )
        ]
        correction = Correction(
            "gift_received",
            [("transaction", tx.id)],
            [
                f"acquired = \"TODO: the giver's acquisition time, before the gift "
                f'({tx.time:%Y-%m-%d}), e.g. 2019-05-01T10:00:00Z"',
                'cost = "TODO: the giver\'s cost in EUR incl. acquisition fees"',
                "TODO: uncomment acquired and cost with the giver's figures (a receipt, an "
                "invoice): apply refuses the correction while either is missing",
            ],
        )
        out.append(
            RowFinding(
                cause=Cause.GIFT_COST_UNKNOWN,
                change="gift_received",
                wallet=tx.wallet,
                asset=buy.asset,
                time=tx.time,
                tx_ids=(tx.id,),
                confidence=Confidence.HIGH,
                evidence=evidence,
                priority=priority,
                priority_reason=why,
                corrections=[correction],
            )
        )
    return out
