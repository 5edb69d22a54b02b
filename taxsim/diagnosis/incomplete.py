"""Cause: an exchange whose export starts too late (an API that reaches back 90–180 days): its
first record of the asset is an outflow. A wallet named after a chain (``ETH Transaction``,
``Arbitrum One``, ``Base``) or a self-custody wallet (``MetaMask``, ``Ledger``) is not an
exchange: its history is the chain's, and its gap a bridge, swap or deletion first. An earlier
trade of the wallet that names the asset with amount 0 (``Buy 0 USDC``) makes it unlikely."""

from __future__ import annotations

from .registry import Candidate, Gap, gap_detector
from .results import Cause, Confidence, Correction, Evidence
from .text import _num
from .view import BalanceView
from .wallets import Custody


@gap_detector(Cause.INCOMPLETE_HISTORY)
def incomplete_gap(view: BalanceView, gap: Gap) -> Candidate | None:
    info = gap.info
    if info.on_chain:
        return None
    first = gap.steps[0]
    if first.delta >= 0:
        return None
    known = info.custody is Custody.EXCHANGE
    what = f"an exchange ({info.why})" if known else f"not a known wallet ({info.why})"
    evidence = [
        Evidence(
            f"{gap.wallet} is {what} and its first {gap.asset} record {first.tx_id} "
            f"({first.time:%Y-%m-%d}) is an outflow of {_num(-first.delta)}: the records start "
            "after the asset was already held there",
            (first.tx_id,),
        )
    ]
    correction = Correction(
        "merge_export",
        [("file", f"TODO-full-export-{gap.wallet}.csv"), ("wallet", gap.wallet)],
        [f"TODO: file = the full export of {gap.wallet} (CSV from the exchange)"],
    )
    confidence = Confidence.HIGH if known else Confidence.MEDIUM
    # an earlier trade of the wallet names the asset as bought with amount 0 (``Buy 0 USDC``):
    # the records do reach back to it; a swap lost its other side (aggregator_swap) is likelier
    forms = view.settings.forms_of(gap.asset)
    named = next(
        (
            tx
            for tx in view.zero_buys.get(gap.wallet, ())
            if tx.time <= first.time and tx.missing_buy_asset in forms
        ),
        None,
    )
    if named is not None:
        confidence = Confidence.LOW
        evidence.append(
            Evidence(
                f"but the trade {named.id} ({named.time:%Y-%m-%d}) already names "
                f"{named.missing_buy_asset} as bought with amount 0: the records reach back "
                "before the gap",
                (named.id,),
            )
        )
    return Candidate(Cause.INCOMPLETE_HISTORY, confidence, evidence, [correction])
