"""What every detector may look at: the ledger indexed once, prices, wallet chains."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from statistics import median

from ..model import ZERO, Ledger, Transaction
from .balances import effects
from .reference import KnownAddress
from .results import Step

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


def _inflows_to(tx: Transaction, wallet: str, asset: str) -> bool:
    return effects(tx).get((wallet, asset), ZERO) > 0


def wallet_chains(ledger: Ledger) -> dict[str, str]:
    """Chain of each on-chain wallet (the most frequent ``chain`` of its rows); exchanges, whose
    rows carry no chain, are absent."""
    counts: dict[str, dict[str, int]] = {}
    for tx in ledger.transactions:
        if tx.chain:
            per = counts.setdefault(tx.wallet, {})
            per[tx.chain.lower()] = per.get(tx.chain.lower(), 0) + 1
    return {w: max(per, key=lambda c: per[c]) for w, per in counts.items()}
