"""Cause: a one-sided aggregator swap (Jupiter, 1inch, CoW Swap …): the export kept what was
given and lost what came back. Seen as an outflow of asset A with no destination — a
withdrawal no deposit matches, or a trade without its buy leg (``Buy 0 USDC``) — followed in
the same wallet, within ``window_days``, by asset B going negative, the two of comparable EUR
value (the smaller within ``value_tolerance`` of the larger). A known aggregator address, a
trade without its buy leg, or a swap word in comment/group ("Jupiter Swap") make it certain.
CoinTracking's ``Buy 0 USDC`` names the asset that never arrived (``missing_buy_asset``): the
same asset as the gap (or a form of it) is the strongest sign; another asset rules the row out."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ..model import Kind, Transaction
from .registry import Candidate, Gap, gap_detector
from .results import Cause, Confidence, Correction, Evidence
from .text import _num, describe
from .view import BalanceView


def _comparable(a: Decimal | None, b: Decimal | None, tolerance: Decimal) -> bool | None:
    """Within tolerance of each other (None: a value is unknown)."""
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return min(a, b) >= (1 - tolerance) * max(a, b)


@gap_detector(Cause.AGGREGATOR_SWAP)
def aggregator_gap(view: BalanceView, gap: Gap) -> Candidate | None:
    s = view.settings.aggregator
    tipping = gap.tipping
    start = tipping.time - timedelta(days=s.window_days)
    forms = view.settings.forms_of(gap.asset)
    missing_eur = view.value_of(gap.asset, gap.deficit, None, tipping.time, anytime=False)
    best: tuple[int, Transaction, list[str], Decimal | None] | None = None
    # a Buy 0 naming the asset counts whenever it was, not only within the window
    older = [
        tx
        for tx in view.zero_buys.get(gap.wallet, ())
        if tx.time < start and tx.missing_buy_asset in forms
    ]
    for tx in [*older, *view.between(start, tipping.time)]:
        if tx.wallet != gap.wallet or tx.buy is not None or tx.sell is None:
            continue
        sell = tx.sell
        if (
            sell.asset in forms
            or sell.asset == "EUR"
            or tx.kind
            not in (
                Kind.WITHDRAWAL,
                Kind.TRADE,
            )
        ):
            continue
        if not view.pairs.one_sided_out(tx):
            continue
        signs = []
        score = 1  # a one-sided outflow of another asset before the gap, in the same wallet
        known = view.known.get(tx.to_address.lower()) if tx.to_address else None
        if known is not None and known.kind == "aggregator":
            signs.append(f"sent to {known.name} ({tx.to_address})")
            score += 3
        elif known is not None:
            continue  # to a bridge: not a swap
        if tx.kind is Kind.TRADE:
            named = tx.missing_buy_asset
            if named and named not in forms:
                continue  # its Buy 0 names another asset: that one is missing, not this one
            signs.append("a trade whose buy leg is missing (booked as Buy 0)")
            score += 3
            if named:
                form = f" (a form of {gap.asset})" if named != gap.asset else ""
                signs.append(
                    f"the trade on {tx.time:%Y-%m-%d} names {named}{form} as the asset bought, "
                    "with amount 0"
                )
                score += 3
        text = view.text_of(tx)
        word = view.swap_words.search(text) if text else None
        if word:
            signs.append(f'comment/group "{text}" names a swap ("{word.group(0)}")')
            score += 2
        if text and view.bridge_words.search(text):
            continue
        given = view.value_of(sell.asset, sell.amount, sell.eur, tx.time, anytime=False)
        fits = _comparable(given, missing_eur, s.value_tolerance)
        # the deficit is a lower bound of what the swap brought (the wallet may have held
        # some): less missing than given is consistent, more is not
        smaller = (
            fits is False and given is not None and missing_eur is not None and missing_eur < given
        )
        if fits is False and not smaller and score < 4:
            continue
        if fits:
            signs.append(
                f"the {_num(sell.amount)} {sell.asset} given (about "
                f"{_num(given.quantize(Decimal(1)))} €) match the {_num(gap.deficit)} "  # type: ignore[union-attr]
                f"{gap.asset} missing (about {_num(missing_eur.quantize(Decimal(1)))} €)"  # type: ignore[union-attr]
            )
            score += 2
        elif smaller:
            signs.append(
                f"the {_num(sell.amount)} {sell.asset} given (about "
                f"{_num(given.quantize(Decimal(1)))} €) cover the {_num(gap.deficit)} "  # type: ignore[union-attr]
                f"{gap.asset} missing (about {_num(missing_eur.quantize(Decimal(1)))} €)"  # type: ignore[union-attr]
            )
            score += 1
        if (tipping.time - tx.time) <= timedelta(days=7):
            score += 1
        if best is None or score >= best[0]:
            best = (score, tx, signs, given)
    if best is None:
        return None
    score, tx, signs, given = best
    assert tx.sell is not None
    confidence = (
        Confidence.HIGH if score >= 6 else Confidence.MEDIUM if score >= 4 else Confidence.LOW
    )
    evidence = [
        Evidence(
            f"{describe(tx)} sends {tx.sell.asset} out of {gap.wallet} and nothing comes back "
            f"(no deposit matches it): the {gap.asset} received in the swap is missing; "
            + "; ".join(signs),
            (tx.id,),
        )
    ]
    keys: list[tuple[str, object]] = [
        ("asset", gap.asset),
        ("amount", gap.deficit),
        ("wallet", gap.wallet),
    ]
    todo = [f"TODO: amount = the {gap.asset} received (at least the {_num(gap.deficit)} missing)"]
    unique = tx.txid and len(view.by_txid.get(tx.txid, ())) == 1
    if unique:
        keys += [("time", tx.time), ("counterpart_txid", tx.txid)]
    else:
        keys.append(("time", tx.time))
        todo.append("TODO: the swap row has no unique Tx-ID: the inflow is added as a purchase")
    if given is not None:
        keys.append(("eur", tx.sell.eur if tx.sell.eur else given.quantize(Decimal("0.01"))))
        todo.append(
            f"TODO: eur is the value of the {_num(tx.sell.amount)} {tx.sell.asset} given "
            f"(BMF Rz. 58 fallback); use the value of the {gap.asset} received if known"
        )
    else:
        todo.append('eur = "TODO: EUR value of the inflow (its cost basis)"')
    correction = Correction("add_inflow", keys, todo)
    return Candidate(
        Cause.AGGREGATOR_SWAP, confidence, evidence, [correction], {"counterpart": tx.id}
    )
