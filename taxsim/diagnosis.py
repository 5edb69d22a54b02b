"""Diagnosis of a ledger: balance timelines, negative balances, their tipping points and causes.

This is what a specialist does by hand in CoinTracking's Transaction Flow report: replay every
wallet × asset in time order, find where a balance first drops below zero (the *tipping point*;
the transaction just before it is usually where the real error lies), classify the shape of the
gap (*pattern*), name the probable *cause* with the evidence for it, and triage (*priority*).

Everything here is a pure function over a :class:`~taxsim.model.Ledger`: no printing, no file
writing (reading the shipped reference lists and an on-chain balance file excepted). Amounts stay
exact ``Decimal``: a ledger without gaps shows no negative dust.

Thresholds and the order in which causes are tried are module constants, documented in
``docs/diagnosis.md``.
"""

from __future__ import annotations

import csv
import json
import os
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from pathlib import Path
from statistics import median

from .model import FIAT, ZERO, InputError, Kind, Ledger, Transaction, plain_number

# --- thresholds -------------------------------------------------------------------------------

#: Extreme spike, quantity: a movement larger than this many times the median absolute movement
#: of the same wallet × asset *before* it (needs at least one earlier movement).
EXTREME_QUANTITY_FACTOR = Decimal(1000)
#: Extreme spike, value: a leg whose implied EUR unit price is more than this factor above or
#: below the asset's reference price (median implied unit price of all its legs in the ledger).
EXTREME_PRICE_FACTOR = Decimal(100)
#: Scam, absurd inflow: an airdrop/bounty/other income leg worth more than this (EUR).
ABSURD_AIRDROP_EUR = Decimal(100_000)
#: Priority low when the gap is worth less than this (EUR): dust.
DUST_EUR = Decimal(1)
#: One-sided bridge: an inflow counts as the bridge's other side if it arrives within this many
#: days after the outflow and is at least (1 − tolerance) of the amount sent (bridge fees).
BRIDGE_WINDOW_DAYS = 7
BRIDGE_FEE_TOLERANCE = Decimal("0.05")
#: One-sided aggregator swap: the swap must lie at most this many days before the tipping point.
AGGREGATOR_WINDOW_DAYS = 90
#: Assets whose gaps are high priority (unless the cause is a scam token).
MAJOR_ASSETS = frozenset(
    {"BTC", "ETH", "USDT", "USDC", "DAI", "EURC", "EURT", "PYUSD", "FDUSD", "TUSD", "USDE"}
    | {"WBTC", "WETH"}
)
#: Income types that are "received without buying" for the absurd-inflow scam test.
_UNBOUGHT_INCOME = frozenset({"airdrop", "bounty", "other"})


class Pattern(StrEnum):
    SUDDEN_JUMP = "sudden_jump"  # one transaction takes the balance from >= 0 to its low
    GRADUAL_DECLINE = "gradual_decline"  # several outflows, each deepening the gap
    EXTREME_SPIKE = "extreme_spike"  # an absurd quantity or value makes it negative


class Cause(StrEnum):
    SCAM_TOKEN = "scam_token"
    DELETED_INFLOW = "deleted_inflow"
    AGGREGATOR_SWAP = "aggregator_swap"
    ONE_SIDED_BRIDGE = "one_sided_bridge"
    INCOMPLETE_HISTORY = "incomplete_history"
    UNKNOWN = "unknown"


#: The order in which causes are tried; the first that fits wins. Most specific evidence first:
#: a foreign contract or a row that demonstrably existed before beats address heuristics, and
#: "incomplete history" is the explanation of last resort before "unknown".
CAUSE_ORDER = (
    Cause.SCAM_TOKEN,
    Cause.DELETED_INFLOW,
    Cause.AGGREGATOR_SWAP,
    Cause.ONE_SIDED_BRIDGE,
    Cause.INCOMPLETE_HISTORY,
)


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


# --- results ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Step:
    """One transaction's effect on one wallet × asset, and the balance after it. Treated as
    immutable; not ``frozen``, which would make the millions a large ledger has 2× as costly to
    create (as ``model.Transaction``)."""

    time: datetime
    tx_id: str
    delta: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Balance:
    wallet: str
    asset: str
    balance: Decimal
    fiat: bool

    @property
    def negative(self) -> bool:
        return self.balance < ZERO


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str
    tx_ids: tuple[str, ...] = ()


@dataclass(slots=True)
class Finding:
    """A wallet × asset whose balance goes negative, with everything known about why."""

    wallet: str
    asset: str
    chain: str
    tipping: Step
    before: Step | None
    lowest: Decimal
    lowest_tx: str
    today: Decimal
    gap_eur: Decimal | None  # |lowest| × unit price (EUR), if a price is known
    pattern: Pattern
    pattern_reason: str
    cause: Cause
    evidence: list[Evidence]
    priority: Priority
    priority_reason: str
    #: what a correction for this finding needs (kind-specific; used by ``suggest_corrections``)
    proposal: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OnchainBalance:
    wallet: str
    chain: str
    asset: str
    contract: str
    balance: Decimal
    as_of: datetime


@dataclass(frozen=True, slots=True)
class OnchainGap:
    wallet: str
    chain: str
    asset: str
    contract: str
    ledger: Decimal  # ledger balance at ``as_of``
    onchain: Decimal
    as_of: datetime

    @property
    def difference(self) -> Decimal:
        """On-chain minus ledger: positive = units on chain the ledger does not know."""
        return self.onchain - self.ledger


@dataclass(slots=True)
class Diagnosis:
    balances: list[Balance]
    timelines: dict[tuple[str, str], list[Step]]
    findings: list[Finding]
    onchain: list[OnchainGap] | None = None


# --- reference data ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownAddress:
    address: str
    chain: str
    kind: str  # "aggregator" | "bridge"
    name: str


def _data_rows(name: str, columns: Sequence[str]) -> list[dict[str, str]]:
    text = resources.files("taxsim.data").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames != list(columns):
        raise InputError(f"taxsim/data/{name}", 1, None, f"expected header {','.join(columns)}")
    return list(reader)


def official_contracts() -> dict[tuple[str, str], set[str]]:
    """(asset, chain) → the official contract(s), lower-cased, from the shipped list."""
    result: dict[tuple[str, str], set[str]] = {}
    for row in _data_rows("official_contracts.csv", ("asset", "chain", "contract", "source")):
        key = (row["asset"].upper(), row["chain"].lower())
        result.setdefault(key, set()).add(row["contract"].strip().lower())
    return result


def known_addresses() -> dict[str, KnownAddress]:
    """Lower-cased address → aggregator/bridge. Matched on the address alone: routers often
    share one address across EVM chains."""
    result: dict[str, KnownAddress] = {}
    for row in _data_rows("known_addresses.csv", ("address", "chain", "kind", "name", "source")):
        address = row["address"].strip().lower()
        result.setdefault(address, KnownAddress(address, row["chain"], row["kind"], row["name"]))
    return result


# --- balances and timelines -------------------------------------------------------------------


def effects(tx: Transaction) -> dict[tuple[str, str], Decimal]:
    """Net change per (wallet, asset) of one transaction: +buy −sell −fee on ``wallet``; the buy
    leg of a transfer lands in ``to_wallet``. Legs of one asset in one wallet are summed."""
    out: dict[tuple[str, str], Decimal] = {}
    buy, sell, fee = tx.buy, tx.sell, tx.fee
    if buy is not None:
        target = tx.to_wallet if tx.kind is Kind.TRANSFER and tx.to_wallet else tx.wallet
        out[(target, buy.asset)] = ZERO + buy.amount
    if sell is not None:
        key = (tx.wallet, sell.asset)
        out[key] = out.get(key, ZERO) - sell.amount
    if fee is not None:
        key = (tx.wallet, fee.asset)
        out[key] = out.get(key, ZERO) - fee.amount
    return out


def timelines(
    ledger: Ledger, ordered: Sequence[Transaction] | None = None
) -> dict[tuple[str, str], list[Step]]:
    """Running balance per (wallet, asset), in processing order (``Ledger.sorted``; pass
    ``ordered`` when the caller has sorted the ledger already)."""
    result: dict[tuple[str, str], list[Step]] = {}
    steps_of = result.get
    for tx in ordered if ordered is not None else ledger.sorted():
        for key, delta in effects(tx).items():
            steps = steps_of(key)
            if steps is None:
                result[key] = [Step(tx.time, tx.id, delta, ZERO + delta)]
            else:
                steps.append(Step(tx.time, tx.id, delta, steps[-1].balance + delta))
    return result


def balances(lines: dict[tuple[str, str], list[Step]]) -> list[Balance]:
    """Balance after the last transaction of every wallet × asset, sorted by wallet, asset."""
    return [
        Balance(wallet, asset, steps[-1].balance, asset in FIAT)
        for (wallet, asset), steps in sorted(lines.items())
    ]


def balance_at(steps: Sequence[Step], when: datetime) -> Decimal:
    result = ZERO
    for step in steps:
        if step.time > when:
            break
        result = step.balance
    return result


# --- findings ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    ledger: Ledger
    ordered: list[Transaction]  # the ledger in processing order, sorted once
    times: list[datetime]  # their times, for bisecting
    by_id: dict[str, Transaction]
    by_txid: dict[str, list[Transaction]]
    lines: dict[tuple[str, str], list[Step]]
    official: dict[tuple[str, str], set[str]]
    known: dict[str, KnownAddress]
    ref_price: dict[str, Decimal]
    wallet_chain: dict[str, str]
    previous: Ledger | None
    previous_ordered: list[Transaction]
    previous_file: str


def _unit_price(amount: Decimal, eur: Decimal | None) -> Decimal | None:
    return eur / amount if eur is not None and amount > 0 else None


def reference_prices(ledger: Ledger) -> dict[str, Decimal]:
    """Median implied EUR unit price per asset over every valued leg of the ledger."""
    prices: dict[str, list[Decimal]] = {}
    for tx in ledger.transactions:
        for leg in (tx.buy, tx.sell, tx.fee):
            # _unit_price, inlined: a million-row ledger has two million legs
            if leg is not None and leg.eur is not None and leg.amount > 0:
                p = leg.eur / leg.amount
                if p > 0:
                    prices.setdefault(leg.asset, []).append(p)
    return {asset: median(values) for asset, values in prices.items()}


def _leg_of(tx: Transaction, wallet: str, asset: str) -> tuple[Decimal, Decimal | None] | None:
    """Amount and EUR value of the leg that moves ``asset`` in ``wallet`` (largest if several)."""
    legs = []
    if tx.buy is not None and tx.buy.asset == asset:
        legs.append(tx.buy)
    if tx.wallet == wallet:
        legs += [lg for lg in (tx.sell, tx.fee) if lg is not None and lg.asset == asset]
    if not legs:
        return None
    leg = max(legs, key=lambda lg: lg.amount)
    return leg.amount, leg.eur


def _spike(ctx: _Context, wallet: str, asset: str, steps: list[Step], i: int) -> str:
    """Why step ``i`` is absurd (empty if it is not)."""
    step = steps[i]
    earlier = [abs(s.delta) for s in steps[:i] if s.delta != 0]
    if earlier:
        typical = median(earlier)
        if typical > 0 and abs(step.delta) > EXTREME_QUANTITY_FACTOR * typical:
            return (
                f"{step.tx_id} moves {_num(abs(step.delta))} {asset}, "
                f"{_num((abs(step.delta) / typical).quantize(Decimal(1)))}× the median earlier "
                f"movement of {_num(typical)} (threshold {EXTREME_QUANTITY_FACTOR}×)"
            )
    leg = _leg_of(ctx.by_id[step.tx_id], wallet, asset)
    ref = ctx.ref_price.get(asset)
    price = _unit_price(*leg) if leg else None
    if price is not None and ref and price > 0:
        ratio = max(price / ref, ref / price)
        if ratio > EXTREME_PRICE_FACTOR:
            return (
                f"{step.tx_id} implies {_num(price.quantize(Decimal('0.0001')))} €/{asset}, "
                f"against a reference of {_num(ref.quantize(Decimal('0.0001')))} € "
                f"(threshold {EXTREME_PRICE_FACTOR}×)"
            )
    return ""


def _pattern(
    ctx: _Context, wallet: str, asset: str, steps: list[Step], tip: int
) -> tuple[Pattern, str]:
    # the negative episode: from the tipping point until the balance is back at >= 0
    end = tip
    while end + 1 < len(steps) and steps[end + 1].balance < 0:
        end += 1
    deepening = [tip]
    low = steps[tip].balance
    for i in range(tip + 1, end + 1):
        if steps[i].delta < 0 and steps[i].balance < low:
            deepening.append(i)
            low = steps[i].balance
    for i in deepening:
        reason = _spike(ctx, wallet, asset, steps, i)
        if reason:
            return Pattern.EXTREME_SPIKE, reason
    if len(deepening) == 1:
        return Pattern.SUDDEN_JUMP, (
            f"one transaction ({steps[tip].tx_id}) takes the balance from "
            f"{_num(steps[tip].balance - steps[tip].delta)} to {_num(steps[tip].balance)}"
        )
    ids = ", ".join(steps[i].tx_id for i in deepening)
    return Pattern.GRADUAL_DECLINE, (
        f"{len(deepening)} outflows deepen the gap step by step ({ids}) down to {_num(low)}"
    )


def _inflows_to(tx: Transaction, wallet: str, asset: str) -> bool:
    return effects(tx).get((wallet, asset), ZERO) > 0


def _cause_scam(ctx: _Context, wallet: str, asset: str, steps: list[Step]) -> tuple | None:
    foreign: dict[str, list[str]] = {}
    chain = ""
    absurd: list[str] = []
    for step in steps:
        tx = ctx.by_id[step.tx_id]
        official = ctx.official.get((asset, tx.chain.lower()))
        if tx.contract and official and tx.contract.lower() not in official:
            foreign.setdefault(tx.contract.lower(), []).append(tx.id)
            chain = tx.chain.lower()
        if (
            tx.kind is Kind.INCOME
            and (tx.income_type or "other") in _UNBOUGHT_INCOME
            and tx.buy is not None
            and tx.buy.eur is not None
            and tx.buy.eur > ABSURD_AIRDROP_EUR
        ):
            absurd.append(tx.id)
    if foreign:
        contract, ids = max(foreign.items(), key=lambda kv: len(kv[1]))
        official = sorted(ctx.official[(asset, chain)])
        evidence = [
            Evidence(
                f"{len(ids)} transaction(s) of {asset} in {wallet} carry contract {contract}, "
                f"not the official {asset} contract on {chain} ({', '.join(official)})",
                tuple(ids),
            )
        ]
        if absurd:
            evidence.append(_absurd_evidence(ctx, absurd))
        return evidence, {"contract": contract, "chain": chain}
    if absurd:
        return [_absurd_evidence(ctx, absurd)], {"txids": [ctx.by_id[i].txid for i in absurd]}
    return None


def _absurd_evidence(ctx: _Context, ids: list[str]) -> Evidence:
    parts = []
    for i in ids:
        tx = ctx.by_id[i]
        assert tx.buy is not None and tx.buy.eur is not None
        parts.append(f"{i}: {_num(tx.buy.amount)} {tx.buy.asset} worth {_num(tx.buy.eur)} €")
    return Evidence(
        "received without buying and worth more than "
        f"{_num(ABSURD_AIRDROP_EUR)} € ({'; '.join(parts)})",
        tuple(ids),
    )


def _present(tx: Transaction, current: Ledger, ids: set[str]) -> bool:
    """Is a row of the previous export still in the ledger? By id, else by txid + wallet +
    legs, else by time + wallet + legs."""
    if tx.id in ids:
        return True

    def legs(t: Transaction) -> tuple:
        return tuple((lg.asset, lg.amount) if lg else None for lg in (t.buy, t.sell))

    for other in current.transactions:
        if other.wallet != tx.wallet or legs(other) != legs(tx):
            continue
        if (tx.txid and other.txid == tx.txid) or other.time == tx.time:
            return True
    return False


def _cause_deleted(
    ctx: _Context, wallet: str, asset: str, tipping: Step
) -> tuple[list[Evidence], dict[str, object]] | None:
    if ctx.previous is None:
        return None
    ids = set(ctx.by_id)
    missing = [
        tx
        for tx in ctx.previous_ordered
        if tx.time <= tipping.time
        and _inflows_to(tx, wallet, asset)
        and not _present(tx, ctx.ledger, ids)
    ]
    if not missing:
        return None
    total = sum((effects(tx)[(wallet, asset)] for tx in missing), ZERO)
    evidence = [
        Evidence(
            f"{tx.id} ({tx.time:%Y-%m-%d %H:%M} UTC, {tx.kind.value} of "
            f"{_num(effects(tx)[(wallet, asset)])} {asset} to {wallet}) is in the previous "
            f"export {ctx.previous_file} but no longer in the ledger",
            (tx.id,),
        )
        for tx in missing
    ]
    evidence.append(Evidence(f"together they would add {_num(total)} {asset} before the gap"))
    return evidence, {"ids": [tx.id for tx in missing]}


def _is_one_sided_outflow(ctx: _Context, tx: Transaction) -> bool:
    """A row that only sends (no buy leg) and no other row shares its txid with an inflow to the
    same wallet."""
    if tx.sell is None or tx.buy is not None:
        return False
    if not tx.txid:
        return True
    return not any(
        other.id != tx.id
        and other.buy is not None
        and (other.wallet == tx.wallet or other.to_wallet == tx.wallet)
        for other in ctx.by_txid.get(tx.txid, ())
    )


def _cause_aggregator(
    ctx: _Context, wallet: str, asset: str, tipping: Step
) -> tuple[list[Evidence], dict[str, object]] | None:
    candidates = []
    for tx in ctx.ordered:
        if tx.time > tipping.time:
            break
        known = ctx.known.get(tx.to_address.lower()) if tx.to_address else None
        if (
            tx.wallet == wallet
            and known is not None
            and known.kind == "aggregator"
            and tx.sell is not None
            and tx.sell.asset != asset
            and (tipping.time - tx.time).days <= AGGREGATOR_WINDOW_DAYS
            and _is_one_sided_outflow(ctx, tx)
        ):
            candidates.append((tx, known))
    if not candidates:
        return None
    tx, known = candidates[-1]
    assert tx.sell is not None
    return [
        Evidence(
            f"{tx.id} ({tx.time:%Y-%m-%d %H:%M} UTC) sends {_num(tx.sell.amount)} "
            f"{tx.sell.asset} to {known.name} ({tx.to_address}) and no inflow shares its txid "
            f"{tx.txid or '(none)'}: the {asset} received in the swap is missing",
            (tx.id,),
        )
    ], {"counterpart": tx.id}


def _cause_bridge(
    ctx: _Context, wallet: str, asset: str, tipping: Step
) -> tuple[list[Evidence], dict[str, object]] | None:
    own_chain = ctx.wallet_chain.get(wallet, "")
    txs, times = ctx.ordered, ctx.times
    window = timedelta(days=BRIDGE_WINDOW_DAYS)
    candidates = []
    for tx in txs:
        if tx.time > tipping.time:
            break
        known = ctx.known.get(tx.to_address.lower()) if tx.to_address else None
        if (
            known is None
            or known.kind != "bridge"
            or tx.wallet == wallet
            or tx.sell is None
            or tx.sell.asset != asset
            or (own_chain and tx.chain and tx.chain.lower() == own_chain)
        ):
            continue
        sent = tx.sell.amount
        # the rows from tx.time up to (not including) tx.time + the window
        start, end = bisect_left(times, tx.time), bisect_left(times, tx.time + window)
        matched = any(
            w != tx.wallet and a == asset and (1 - BRIDGE_FEE_TOLERANCE) * sent <= d <= sent
            for other in txs[start:end]
            for (w, a), d in effects(other).items()
        )
        if not matched:
            candidates.append((tx, known))
    if not candidates:
        return None
    tx, known = candidates[-1]
    assert tx.sell is not None
    return [
        Evidence(
            f"{tx.id} ({tx.time:%Y-%m-%d %H:%M} UTC) sends {_num(tx.sell.amount)} {asset} from "
            f"{tx.wallet} to {known.name} ({tx.to_address}); no inflow of "
            f"{_num((1 - BRIDGE_FEE_TOLERANCE) * tx.sell.amount)}–{_num(tx.sell.amount)} "
            f"{asset} in another wallet within {BRIDGE_WINDOW_DAYS} days",
            (tx.id,),
        )
    ], {"withdrawal": tx.id, "amount": tx.sell.amount, "time": tx.time}


def _cause_incomplete(
    ctx: _Context, wallet: str, asset: str, steps: list[Step]
) -> tuple[list[Evidence], dict[str, object]] | None:
    if ctx.wallet_chain.get(wallet):
        return None  # an on-chain wallet: its history is the chain's, not an export's
    first = steps[0]
    if first.delta >= 0:
        return None
    return [
        Evidence(
            f"{wallet} is an exchange (no chain) and its first {asset} record {first.tx_id} "
            f"({first.time:%Y-%m-%d}) is an outflow of {_num(-first.delta)}: the records start "
            "after the asset was already held there",
            (first.tx_id,),
        )
    ], {}


def _priority(asset: str, cause: Cause, gap_eur: Decimal | None) -> tuple[Priority, str]:
    if cause is Cause.SCAM_TOKEN:
        return Priority.LOW, "scam token: the units have no real value"
    if gap_eur is not None and gap_eur < DUST_EUR:
        return Priority.LOW, f"dust: gap worth {_num(gap_eur)} € (< {_num(DUST_EUR)} €)"
    if asset in MAJOR_ASSETS:
        return Priority.HIGH, f"{asset} is a major asset (BTC, ETH or a major stablecoin)"
    worth = f"gap worth about {_num(gap_eur)} €" if gap_eur is not None else "no EUR price known"
    return Priority.MEDIUM, f"other asset; {worth}"


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


def wallet_chains(ledger: Ledger) -> dict[str, str]:
    """Chain of each on-chain wallet (the most frequent ``chain`` of its rows); exchanges, whose
    rows carry no chain, are absent."""
    counts: dict[str, dict[str, int]] = {}
    for tx in ledger.transactions:
        if tx.chain:
            per = counts.setdefault(tx.wallet, {})
            per[tx.chain.lower()] = per.get(tx.chain.lower(), 0) + 1
    return {w: max(per, key=lambda c: per[c]) for w, per in counts.items()}


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


# --- on-chain balances ------------------------------------------------------------------------

ONCHAIN_COLUMNS = ("wallet", "chain", "asset", "contract", "balance", "as_of")


def read_onchain_balances(path: str | Path) -> list[OnchainBalance]:
    """Read ``wallet,chain,asset,contract,balance,as_of`` (as_of: ISO 8601 with offset).

    Read with the csv module, so a quoted field may span lines (and U+2028 in a field is
    text, not a line break); errors name the spreadsheet row (the header is row 1) and the
    column. ``balance`` is a plain decimal number like the ledgers' (``0.25``; no exponent).
    """
    file = str(path)
    records: list[tuple[int, list[str]]] = []  # (spreadsheet row, cells)
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            for cells in reader:
                records.append((len(records) + 1, cells))
    except FileNotFoundError as exc:
        raise InputError(file, None, None, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise InputError(file, None, None, "expected a UTF-8 CSV file") from exc
    except csv.Error as exc:
        raise InputError(
            file, len(records) + 1, None, f"expected a CSV row (quotes around fields): {exc}"
        ) from None
    except OSError as exc:
        raise InputError(file, None, None, f"cannot read the file: {exc}") from None
    header = records[0][1] if records else None
    if header is None or [h.strip() for h in header] != list(ONCHAIN_COLUMNS):
        raise InputError(file, 1, None, f"expected the header {','.join(ONCHAIN_COLUMNS)}")
    result = []
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(ONCHAIN_COLUMNS):
            raise InputError(
                file,
                number,
                None,
                f"expected {len(ONCHAIN_COLUMNS)} columns ({','.join(ONCHAIN_COLUMNS)}), "
                f"found {len(cells)}",
            )
        row = dict(zip(ONCHAIN_COLUMNS, (c.strip() for c in cells), strict=True))
        for name in ("wallet", "asset"):
            if not row[name]:
                raise InputError(file, number, name, "expected a value")
        if not plain_number(row["balance"]) or Decimal(row["balance"]) < 0:
            raise InputError(
                file,
                number,
                "balance",
                "expected a plain decimal number >= 0 such as 0.25 (digits with at most one "
                "decimal point; no exponent, thousands separator or comma), "
                f"got '{row['balance']}'",
            )
        amount = Decimal(row["balance"])
        try:
            as_of = datetime.fromisoformat(row["as_of"].replace("Z", "+00:00"))
        except ValueError:
            as_of = None
        if as_of is None or as_of.tzinfo is None:
            raise InputError(
                file, number, "as_of", f"expected ISO 8601 with offset, got '{row['as_of']}'"
            )
        result.append(
            OnchainBalance(
                row["wallet"],
                row["chain"].lower(),
                row["asset"].upper(),
                row["contract"],
                amount,
                as_of,
            )
        )
    return result


def onchain_gaps(
    lines: dict[tuple[str, str], list[Step]], onchain: Iterable[OnchainBalance]
) -> list[OnchainGap]:
    """Ledger balance at ``as_of`` against the chain, per row of the on-chain file."""
    return [
        OnchainGap(
            b.wallet,
            b.chain,
            b.asset,
            b.contract,
            balance_at(lines.get((b.wallet, b.asset), []), b.as_of),
            b.balance,
            b.as_of,
        )
        for b in onchain
    ]


# --- everything at once -----------------------------------------------------------------------


#: The correction kind proposed for each cause (``--suggest`` and the hints on remaining shorts).
PROPOSED_KIND = {
    Cause.SCAM_TOKEN: "mark_scam",
    Cause.DELETED_INFLOW: "restore",
    Cause.AGGREGATOR_SWAP: "add_inflow",
    Cause.ONE_SIDED_BRIDGE: "link_transfer",
    Cause.INCOMPLETE_HISTORY: "merge_export",
    Cause.UNKNOWN: "set_cost_basis",
}


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


# --- presentation helpers (data only) ---------------------------------------------------------


def _num(value: Decimal) -> str:
    """Exact plain notation without exponent or trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _step_json(step: Step | None) -> dict[str, str] | None:
    if step is None:
        return None
    return {
        "id": step.tx_id,
        "time": step.time.isoformat().replace("+00:00", "Z"),
        "delta": _num(step.delta),
        "balance": _num(step.balance),
    }


def to_json(diagnosis: Diagnosis, *, include_timelines: bool = False) -> dict[str, object]:
    """The stable JSON shape of ``taxsim diagnose --json`` (docs/diagnosis.md). Amounts are
    strings (exact decimals), times ISO 8601 UTC."""
    out: dict[str, object] = {
        "balances": [
            {
                "wallet": b.wallet,
                "asset": b.asset,
                "balance": _num(b.balance),
                "fiat": b.fiat,
                "negative": b.negative,
            }
            for b in diagnosis.balances
        ],
        "findings": [
            {
                "wallet": f.wallet,
                "asset": f.asset,
                "chain": f.chain,
                "tipping_point": _step_json(f.tipping),
                "before": _step_json(f.before),
                "lowest_balance": _num(f.lowest),
                "lowest_at": f.lowest_tx,
                "balance_today": _num(f.today),
                "gap_eur": None if f.gap_eur is None else _num(f.gap_eur),
                "pattern": f.pattern.value,
                "pattern_reason": f.pattern_reason,
                "cause": f.cause.value,
                "evidence": [{"text": e.text, "tx_ids": list(e.tx_ids)} for e in f.evidence],
                "priority": f.priority.value,
                "priority_reason": f.priority_reason,
            }
            for f in diagnosis.findings
        ],
        "onchain": None
        if diagnosis.onchain is None
        else [
            {
                "wallet": g.wallet,
                "chain": g.chain,
                "asset": g.asset,
                "contract": g.contract,
                "as_of": g.as_of.isoformat().replace("+00:00", "Z"),
                "ledger": _num(g.ledger),
                "onchain": _num(g.onchain),
                "difference": _num(g.difference),
            }
            for g in diagnosis.onchain
        ],
    }
    if include_timelines:
        out["timelines"] = [
            {"wallet": w, "asset": a, "steps": [_step_json(s) for s in steps]}
            for (w, a), steps in sorted(diagnosis.timelines.items())
        ]
    return out


CSV_COLUMNS = (
    "priority", "wallet", "asset", "chain", "tipping_id", "tipping_time", "before_id",
    "lowest_balance", "balance_today", "gap_eur", "pattern", "cause", "evidence",
)  # fmt: skip


def csv_rows(findings: Iterable[Finding]) -> list[list[str]]:
    """One row per finding (raw text: the writer neutralises ledger text with ``safe_cell``)."""
    return [
        [
            f.priority.value,
            f.wallet,
            f.asset,
            f.chain,
            f.tipping.tx_id,
            f.tipping.time.isoformat().replace("+00:00", "Z"),
            f.before.tx_id if f.before else "",
            _num(f.lowest),
            _num(f.today),
            "" if f.gap_eur is None else _num(f.gap_eur),
            f.pattern.value,
            f.cause.value,
            " | ".join(e.text for e in f.evidence),
        ]
        for f in findings
    ]


# --- draft corrections ------------------------------------------------------------------------


def _toml(value: object) -> str:
    """A TOML value: strings as basic strings (JSON escaping is valid TOML), amounts and times
    as strings (the corrections file refuses floats), lists of those."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return json.dumps(_num(value))
    if isinstance(value, datetime):
        return json.dumps(value.isoformat().replace("+00:00", "Z"))
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def suggest_corrections(
    findings: Sequence[Finding],
    ledger: Ledger,
    *,
    corrections_path: str | Path,
    previous_path: str | Path | None = None,
) -> str:
    """A draft corrections file (docs/corrections.md): one ``[[correction]]`` per finding, ids
    D1, D2 … in finding order, each with the evidence as its reason. Values a person must supply
    are left as ``# TODO`` comment lines."""
    by_id = {tx.id: tx for tx in ledger.transactions}
    base = Path(corrections_path).resolve().parent
    lines = [
        "# DRAFT — review before use. Proposed by `taxsim diagnose --suggest`.",
        "# Each correction below is a guess from the ledger alone; check the evidence, fill in",
        "# every TODO, and delete what does not hold before running `taxsim apply`.",
        "",
    ]
    for n, f in enumerate(findings, start=1):
        reason = (
            f"{f.asset} in {f.wallet} goes negative at {f.tipping.tx_id} "
            f"({f.tipping.time:%Y-%m-%d}, lowest {_num(f.lowest)}); probable cause "
            f"{f.cause.value}: " + "; ".join(e.text for e in f.evidence)
        )
        evidence = sorted({i for e in f.evidence for i in e.tx_ids})
        body: list[tuple[str, object]] = []
        todo: list[str] = []
        kind = PROPOSED_KIND[f.cause]
        p = f.proposal
        if f.cause is Cause.SCAM_TOKEN:
            if "contract" in p:
                body += [("contract", p["contract"]), ("chain", p["chain"])]
            else:
                body.append(("txids", p["txids"]))
        elif f.cause is Cause.DELETED_INFLOW:
            if previous_path is not None:
                rel = os.path.relpath(Path(previous_path).resolve(), base)
                body.append(("from_file", Path(rel).as_posix()))
            else:
                todo.append('from_file = "TODO: path of the previous export"')
            body.append(("ids", p["ids"]))
        elif f.cause is Cause.AGGREGATOR_SWAP:
            counterpart = by_id[str(p["counterpart"])]
            body += [("asset", f.asset), ("amount", -f.lowest), ("wallet", f.wallet)]
            body += [("time", counterpart.time), ("counterpart_txid", counterpart.txid)]
            sold = counterpart.sell
            if sold is not None and sold.eur is not None:
                todo.append(
                    f"TODO: eur is the value of the {_num(sold.amount)} {sold.asset} given "
                    f"({_num(sold.eur)} €, BMF Rz. 58 fallback); use the value of the "
                    f"{f.asset} received if known"
                )
                body.append(("eur", sold.eur))
            else:
                todo.append('eur = "TODO: EUR value of the inflow (its cost basis)"')
        elif f.cause is Cause.ONE_SIDED_BRIDGE:
            body += [("withdrawal", p["withdrawal"]), ("to_wallet", f.wallet)]
            body += [("amount", p["amount"]), ("time", p["time"])]
            if f.chain:
                body.append(("chain", f.chain))
            todo.append("TODO: amount = units that arrived (bridge fee deducted?)")
        elif f.cause is Cause.INCOMPLETE_HISTORY:
            body += [("file", f"TODO-full-export-{f.wallet}.csv"), ("wallet", f.wallet)]
            todo.append(f"TODO: file = the full export of {f.wallet} (CSV from the exchange)")
        else:
            body += [("disposal", f.tipping.tx_id), ("quantity", -f.lowest)]
            todo.append('acquired = "TODO: time of the documented purchase"')
            todo.append('cost = "TODO: EUR cost incl. fees"')
        lines.append("[[correction]]")
        lines.append(f'id = "D{n}"')
        lines.append(f'kind = "{kind}"')
        lines.append(f"# priority {f.priority.value}; pattern {f.pattern.value}")
        lines.append(f"reason = {_toml(reason)}")
        lines.append(f"evidence = {_toml(evidence)}")
        for key, value in body:
            lines.append(f"{key} = {_toml(value)}")
        lines += [_comment(t) for t in todo]
        lines.append("")
    return "\n".join(lines)
