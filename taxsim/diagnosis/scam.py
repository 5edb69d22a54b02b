"""Cause: a scam token with a real ticker (fake "USDC" airdropped or "sent" to poison the
address book). Works from the evidence any export carries — the contract where the layout has
one, else the value or implied price against the asset's own price history or its peg, a free
inflow (airdrop/income, or a deposit no withdrawal matches) far above the wallet's usual size,
the extreme-spike pattern, and known-bad words in comment or group."""

from __future__ import annotations

import heapq
from decimal import Decimal

from ..model import FIAT, Kind, Transaction
from .registry import Candidate, Gap, gap_detector, row_detector
from .results import Cause, Confidence, Correction, Evidence, Priority, RowFinding
from .text import _num, describe
from .view import BalanceView

_UNBOUGHT_INCOME = frozenset({"airdrop", "bounty", "other"})


def _leg_in(tx: Transaction, asset: str) -> tuple[Decimal, Decimal | None, bool] | None:
    """(amount, EUR value, incoming?) of the row's leg in ``asset``."""
    if tx.buy is not None and tx.buy.asset == asset:
        return tx.buy.amount, tx.buy.eur, True
    if tx.sell is not None and tx.sell.asset == asset:
        return tx.sell.amount, tx.sell.eur, False
    return None


def is_free_inflow(view: BalanceView, tx: Transaction) -> bool:
    """Received without paying: airdrop/bounty/other income, or a deposit no withdrawal
    matches (chain imports book every incoming token as a plain Deposit)."""
    if tx.kind is Kind.INCOME:
        return (tx.income_type or "other") in _UNBOUGHT_INCOME
    if tx.kind is Kind.DEPOSIT and tx.buy is not None:
        return view.pairs.one_sided_in(tx)
    return False


def signals(
    view: BalanceView,
    tx: Transaction,
    asset: str,
    earlier: Decimal | None = None,
    *,
    history: bool = True,
) -> dict[str, str]:
    """What marks ``tx``'s ``asset`` leg as a scam token: kind → evidence text. ``earlier``: the
    wallet × asset's median movement before the row (for the size tests); ``history``: also
    compare the implied price with the asset's price around then (costlier)."""
    s = view.settings
    found: dict[str, str] = {}
    leg = _leg_in(tx, asset)
    if leg is None:
        return found
    amount, eur, incoming = leg
    if tx.contract:
        official = view.official.get((asset, tx.chain.lower()))
        if official and tx.contract.lower() not in official:
            found["contract"] = (
                f"contract {tx.contract} is not the official {asset} contract on {tx.chain} "
                f"({', '.join(sorted(official))})"
            )
    text = view.text_of(tx)
    if text:
        match = view.bad_words.search(text)
        if match:
            found["bad_word"] = f'comment/group "{text}" contains "{match.group(0)}"'
    # a trade's price is the market's: a wrong one is a data error, not a scam token
    if eur is not None and eur > 0 and amount > 0 and tx.kind is not Kind.TRADE:
        price = eur / amount
        peg = s.peg_of(asset)
        low, high = s.scam.peg_band
        if peg is not None and not peg.eur[0] * low <= price <= peg.eur[1] * high:
            found["off_peg"] = (
                f"implies {_num(price.quantize(Decimal('0.000001')))} €/{asset}, off the peg "
                f"({_num(peg.eur[0])}–{_num(peg.eur[1])} €)"
            )
        elif history:
            usual = view.price_near(asset, tx.time)
            if usual and max(price / usual, usual / price) > s.scam.history_factor:
                found["off_history"] = (
                    f"implies {_num(price.quantize(Decimal('0.000001')))} €/{asset} against "
                    f"{_num(usual.quantize(Decimal('0.000001')))} € in the ledger around then"
                )
    if incoming and is_free_inflow(view, tx):
        value = eur if eur is not None and eur > 0 else None
        if value is None:
            ref = view.ref_price.get(asset)
            peg = s.peg_of(asset)
            if ref is None and peg is not None:
                ref = peg.eur[0]
            value = amount * ref if ref is not None else None
        if value is not None and value > s.scam.absurd_free_inflow_eur:
            found["absurd_value"] = (
                f"received without paying and worth about {_num(value.quantize(Decimal(1)))} € "
                f"(> {_num(s.scam.absurd_free_inflow_eur)} €)"
            )
        usual_eur = view.wallet_usual_eur(tx.wallet, value) if value is not None else None
        if earlier and amount > s.scam.free_inflow_factor * earlier:
            found["free_big"] = (
                f"a free inflow {_num((amount / earlier).quantize(Decimal(1)))}× the wallet's "
                f"usual {asset} movement ({_num(earlier)})"
            )
        elif value is not None and usual_eur and value > s.scam.free_inflow_factor * usual_eur:
            found["free_big"] = (
                f"a free inflow {_num((value / usual_eur).quantize(Decimal(1)))}× the value of "
                f"the wallet's usual movement ({_num(usual_eur.quantize(Decimal('0.01')))} €)"
            )
    elif not incoming and earlier and amount > s.spike.quantity_factor * earlier:
        found["spike"] = (
            f"sends {_num((amount / earlier).quantize(Decimal(1)))}× the wallet's usual {asset} "
            f"movement ({_num(earlier)})"
        )
    return found


def _confidence(kinds: set[str]) -> Confidence | None:
    if "contract" in kinds or len(kinds) >= 2:
        return Confidence.HIGH
    if kinds & {"bad_word", "absurd_value", "off_peg", "free_big"}:
        return Confidence.MEDIUM
    if kinds:
        return Confidence.LOW
    return None


def mark_scam(view: BalanceView, rows: list[Transaction], wallet: str, asset: str) -> Correction:
    """``mark_scam`` by contract (+ chain) where the rows carry one, else by their Tx-IDs, else
    by wallet + asset + the period of the rows."""
    contracts = {(tx.contract.lower(), tx.chain.lower()) for tx in rows if tx.contract}
    if len(contracts) == 1:
        contract, chain = next(iter(contracts))
        keys: list[tuple[str, object]] = [("contract", contract)]
        if chain:
            keys.append(("chain", chain))
        return Correction("mark_scam", keys)
    txids = [tx.txid for tx in rows]
    if all(txids) and all(len(view.by_txid.get(t, ())) == 1 for t in txids):
        return Correction("mark_scam", [("txids", sorted(set(txids)))])
    start, end = min(tx.time for tx in rows), max(tx.time for tx in rows)
    return Correction(
        "mark_scam",
        [("asset", asset), ("wallet", wallet), ("from", start), ("to", end)],
        [f"TODO: every {asset} row of {wallet} in this period is removed: check that none is real"],
    )


class _RunningMedian:
    """Median of the values added so far (two heaps)."""

    def __init__(self) -> None:
        self.low: list[Decimal] = []  # max-heap (negated)
        self.high: list[Decimal] = []

    def add(self, value: Decimal) -> None:
        if self.low and value > -self.low[0]:
            heapq.heappush(self.high, value)
        else:
            heapq.heappush(self.low, -value)
        if len(self.low) > len(self.high) + 1:
            heapq.heappush(self.high, -heapq.heappop(self.low))
        elif len(self.high) > len(self.low):
            heapq.heappush(self.low, -heapq.heappop(self.high))

    def get(self) -> Decimal | None:
        return -self.low[0] if self.low else None


@gap_detector(Cause.SCAM_TOKEN)
def scam_gap(view: BalanceView, gap: Gap) -> Candidate | None:
    """The rows of the wallet × asset with a scam's marks. Checked: the steps up to the lowest
    balance that deepen it or are large, every later inflow that could be the fake units coming
    back (at least the deficit), and every row with a contract, comment or group."""
    rows: list[tuple[Transaction, dict[str, str]]] = []
    sizes = _RunningMedian()
    low_time = gap.lowest.time
    relevant = False
    deficit = gap.deficit
    for i, step in enumerate(gap.steps):
        tx = view.by_id[step.tx_id]
        big = abs(step.delta) >= deficit / 2
        if big or i == gap.tip or tx.contract or tx.comment or tx.group:
            found = signals(view, tx, gap.asset, sizes.get())
            if found:
                rows.append((tx, found))
                # a marked row up to the lowest balance explains it; one long after does not
                if step.time <= low_time:
                    relevant = True
        if step.delta != 0:
            sizes.add(abs(step.delta))
    kinds = {k for _, found in rows for k in found}
    confidence = _confidence(kinds)
    if confidence is None or not relevant or (kinds == {"spike"} and len(rows) < 2):
        return None
    if kinds <= {"spike", "free_big"} and confidence is not Confidence.HIGH:
        confidence = Confidence.LOW
    evidence = [
        Evidence(f"{describe(tx)}: " + "; ".join(found.values()), (tx.id,)) for tx, found in rows
    ]
    correction = mark_scam(view, [tx for tx, _ in rows], gap.wallet, gap.asset)
    proposal: dict[str, object] = dict(correction.keys)
    return Candidate(Cause.SCAM_TOKEN, confidence, evidence, [correction], proposal)


@row_detector("scam_inflows")
def scam_inflows(view: BalanceView) -> list[RowFinding]:
    """Free inflows with a scam's marks that drive no balance negative (a fake token booked as
    a deposit, an absurd airdrop booked as income): the income or the lots are fictitious."""
    out = []
    s = view.settings
    for tx in view.ordered:
        buy = tx.buy
        if buy is None or buy.asset in FIAT or tx.kind not in (Kind.INCOME, Kind.DEPOSIT):
            continue
        if not (tx.contract or tx.comment or tx.group):
            # cheap filter: without text or contract only an absurd value can mark it
            ref = buy.eur if buy.eur else None
            if ref is None:
                price = view.ref_price.get(buy.asset)
                peg = s.peg_of(buy.asset)
                price = price if price is not None else (peg.eur[0] if peg else None)
                ref = buy.amount * price if price is not None else None
            if (ref is None or ref <= s.scam.absurd_free_inflow_eur) and not (
                buy.eur and s.peg_of(buy.asset)
            ):
                continue
        found = signals(view, tx, buy.asset, history=False)
        if not found or not is_free_inflow(view, tx):
            continue
        if set(found) == {"absurd_value"}:
            typical = view.typical_size(tx.wallet, buy.asset, without=buy.amount)
            found = signals(view, tx, buy.asset, typical, history=False)
            if "free_big" not in found:
                continue  # a large real deposit from elsewhere: not a scam by value alone
        confidence = _confidence(set(found))
        if confidence is None or confidence is Confidence.LOW:
            continue
        evidence = [Evidence(f"{describe(tx)}: " + "; ".join(found.values()), (tx.id,))]
        spent = _spending(view, tx, buy.asset, buy.amount)
        if spent:
            evidence.append(
                Evidence(
                    "the fake units are spent later: "
                    + "; ".join(describe(s) for s in spent)
                    + " — more than the wallet held without them",
                    tuple(s.id for s in spent),
                )
            )
        out.append(
            RowFinding(
                cause=Cause.SCAM_TOKEN,
                change="scam_inflow",
                wallet=tx.wallet,
                asset=buy.asset,
                time=tx.time,
                tx_ids=(tx.id, *(s.id for s in spent)),
                confidence=confidence,
                evidence=evidence,
                priority=Priority.LOW,
                priority_reason="scam token: the units have no real value",
                corrections=[mark_scam(view, [tx, *spent], tx.wallet, buy.asset)],
            )
        )
    return out


def _spending(
    view: BalanceView, inflow: Transaction, asset: str, amount: Decimal
) -> list[Transaction]:
    """Later outflows of the fake units: rows of the wallet × asset after the inflow that take
    more than the wallet held without it, until the fake amount is used up."""
    steps = view.lines.get((inflow.wallet, asset), [])
    at = next((i for i, s in enumerate(steps) if s.tx_id == inflow.id), None)
    if at is None:
        return []
    held = max(steps[at].balance - steps[at].delta, Decimal(0))
    out: list[Transaction] = []
    left = amount
    for step in steps[at + 1 :]:
        if left <= 0:
            break
        if step.delta < 0 and -step.delta > held and -step.delta >= amount / 100:
            out.append(view.by_id[step.tx_id])
            left += step.delta
        elif step.delta > 0:
            held += step.delta
    return out
