"""The balance view every detector looks at: the ledger sorted and indexed once, the running
balances, prices, what each wallet is, and which transfers are one-sided. Built once per
diagnosis; the costlier indexes only when a detector first asks for them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from statistics import median

from ..model import FIAT, ZERO, Kind, Ledger, Transaction
from .balances import effects
from .matching import TransferPairs, pair_transfers
from .reference import KnownAddress, known_addresses, official_contracts
from .results import Step
from .settings import Settings, word_pattern
from .wallets import WalletInfo, classify, classify_wallets


def _unit_price(amount: Decimal, eur: Decimal | None) -> Decimal | None:
    return eur / amount if eur is not None and amount > 0 else None


def price_points(
    transactions: Iterable[Transaction],
) -> dict[str, tuple[list[datetime], list[Decimal]]]:
    """Per asset, the time and EUR unit price of each crypto leg with a known value, in the
    order given: its own EUR value, else, in a trade against EUR, the EUR paid or received
    (trade lists V1–V3 carry no values)."""
    points: dict[str, tuple[list[datetime], list[Decimal]]] = {}
    for tx in transactions:
        buy, sell = tx.buy, tx.sell
        for leg, other in ((buy, sell), (sell, buy), (tx.fee, None)):
            if leg is None or leg.asset in FIAT or leg.amount <= 0:
                continue
            eur = leg.eur
            if eur is None and other is not None and other.asset == "EUR":
                if tx.kind is not Kind.TRADE:
                    continue
                eur = other.amount
            if eur is not None and eur > 0:
                series = points.get(leg.asset)
                if series is None:
                    series = points[leg.asset] = ([], [])
                series[0].append(tx.time)
                series[1].append(eur / leg.amount)
    return points


def reference_prices(ledger: Ledger) -> dict[str, Decimal]:
    """Median implied EUR unit price per asset over every valued leg of the ledger (a leg's own
    value, else the EUR side of a trade against EUR)."""
    return _medians(price_points(ledger.transactions))


def _medians(points: dict[str, tuple[list[datetime], list[Decimal]]]) -> dict[str, Decimal]:
    return {asset: median(values) for asset, (_, values) in points.items()}


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


def _median_without(values: list[Decimal], without: Decimal | None) -> Decimal | None:
    """Median of sorted ``values`` with one occurrence of ``without`` left out."""
    if without is not None:
        i = bisect_left(values, without)
        if i < len(values) and values[i] == without:
            values = values[:i] + values[i + 1 :]
    return median(values) if values else None


class BalanceView:
    """The ledger as the detectors see it (read-only)."""

    def __init__(
        self,
        ledger: Ledger,
        *,
        settings: Settings,
        ordered: list[Transaction],
        lines: dict[tuple[str, str], list[Step]],
        previous: Ledger | None = None,
    ) -> None:
        self.ledger = ledger
        self.settings = settings
        self.ordered = ordered
        self.lines = lines
        self.previous = previous
        self.previous_file = previous.files[0] if previous and previous.files else "previous export"
        self._typical: dict[tuple[str, str], list[Decimal]] = {}
        self._usual_eur: dict[str, list[Decimal]] = {}
        #: results detectors share (duplicates, the diff of two exports), by name
        self.memo: dict[str, object] = {}
        #: negative balances worth less than ``priority.dust_eur`` (no findings)
        self.dust: list = []

    # --- indexes ------------------------------------------------------------------------------

    @cached_property
    def times(self) -> list[datetime]:
        return [tx.time for tx in self.ordered]

    @cached_property
    def by_id(self) -> dict[str, Transaction]:
        return {tx.id: tx for tx in self.ledger.transactions}

    @cached_property
    def by_txid(self) -> dict[str, list[Transaction]]:
        out: dict[str, list[Transaction]] = {}
        for tx in self.ledger.transactions:
            if tx.txid:
                out.setdefault(tx.txid, []).append(tx)
        return out

    @cached_property
    def zero_buys(self) -> dict[str, list[Transaction]]:
        """Wallet → its trades that name the asset bought with amount 0 (``Buy 0 USDC``), in
        processing order."""
        out: dict[str, list[Transaction]] = {}
        for tx in self.ordered:
            if tx.missing_buy_asset:
                out.setdefault(tx.wallet, []).append(tx)
        return out

    @cached_property
    def previous_ordered(self) -> list[Transaction]:
        return self.previous.sorted() if self.previous is not None else []

    @cached_property
    def official(self) -> dict[tuple[str, str], set[str]]:
        return official_contracts()

    @cached_property
    def known(self) -> dict[str, KnownAddress]:
        return known_addresses()

    @cached_property
    def ref_price(self) -> dict[str, Decimal]:
        """``reference_prices`` of the ledger, from the price history."""
        return _medians(self._price_history)

    @cached_property
    def wallets(self) -> dict[str, WalletInfo]:
        return classify_wallets(self.ledger.transactions, self.settings)

    @cached_property
    def wallet_chain(self) -> dict[str, str]:
        return {name: info.chain for name, info in self.wallets.items() if info.chain}

    def wallet(self, name: str) -> WalletInfo:
        info = self.wallets.get(name)
        return info if info is not None else classify(name, Counter(), self.settings)

    @cached_property
    def bad_words(self):  # noqa: ANN201 - a compiled pattern
        return word_pattern(self.settings.scam.bad_words)

    @cached_property
    def swap_words(self):  # noqa: ANN201
        return word_pattern(self.settings.aggregator.words)

    @cached_property
    def bridge_words(self):  # noqa: ANN201
        return word_pattern(self.settings.bridge.words)

    def between(self, start: datetime, end: datetime) -> list[Transaction]:
        """The rows from ``start`` to ``end`` inclusive, in processing order."""
        times = self.times
        return self.ordered[bisect_left(times, start) : bisect_right(times, end)]

    # --- prices -------------------------------------------------------------------------------

    @cached_property
    def _price_history(self) -> dict[str, tuple[list[datetime], list[Decimal]]]:
        return price_points(self.ordered)

    def price_near(self, asset: str, when: datetime, *, anytime: bool = True) -> Decimal | None:
        """The asset's own EUR price around ``when``: the median of its valued legs within the
        settings' ``history_days``; else (``anytime``) its reference price over the whole
        ledger; else its peg (stablecoins)."""
        hist = self._price_history.get(asset)
        if hist is not None:
            times, values = hist
            days = timedelta(days=self.settings.scam.history_days)
            lo, hi = bisect_left(times, when - days), bisect_right(times, when + days)
            if hi > lo:
                return median(values[lo:hi])
        ref = self.ref_price.get(asset) if anytime else None
        if ref is not None:
            return ref
        peg = self.settings.peg_of(asset)
        if peg is not None:
            return (peg.eur[0] + peg.eur[1]) / 2
        return None

    def value_of(
        self,
        asset: str,
        amount: Decimal,
        eur: Decimal | None,
        when: datetime,
        *,
        anytime: bool = True,
    ) -> Decimal | None:
        """A leg's EUR value: its own when > 0, else amount × the asset's price near then
        (``anytime=False``: only a price from around then or a peg, never a median of years)."""
        if eur is not None and eur > 0:
            return eur
        if asset == "EUR":
            return amount
        price = self.price_near(asset, when, anytime=anytime)
        return amount * price if price is not None else None

    # --- movements ----------------------------------------------------------------------------

    def typical_size(
        self, wallet: str, asset: str, without: Decimal | None = None
    ) -> Decimal | None:
        """Median absolute movement of the wallet × asset (the wallet's usual size); with
        ``without``: of its other movements (one movement of that size left out)."""
        key = (wallet, asset)
        sizes = self._typical.get(key)
        if sizes is None:
            sizes = self._typical[key] = sorted(
                abs(s.delta) for s in self.lines.get(key, ()) if s.delta != 0
            )
        return _median_without(sizes, without)

    def wallet_usual_eur(self, wallet: str, without: Decimal | None = None) -> Decimal | None:
        """Median EUR value of the wallet's crypto legs (own value, else at the reference
        price): the size of the wallet's usual movement, over all its assets; with
        ``without``: one leg of that value left out."""
        values = self._usual_eur.get(wallet)
        if values is None:
            values = []
            ref = self.ref_price
            for tx in self.ordered:
                if tx.wallet != wallet and tx.to_wallet != wallet:
                    continue
                for leg in (tx.buy, tx.sell):
                    if leg is None or leg.asset in FIAT:
                        continue
                    if leg.eur:
                        values.append(leg.eur)
                    elif leg.asset in ref:
                        values.append(leg.amount * ref[leg.asset])
            values.sort()
            self._usual_eur[wallet] = values
        return _median_without(values, without)

    @cached_property
    def _one_sided(self) -> dict[str, tuple[list[datetime], list[Transaction]]]:
        out: dict[str, tuple[list[datetime], list[Transaction]]] = {}
        pairs = self.pairs
        for tx in pairs.outflows:  # in processing order
            if pairs.one_sided_out(tx):
                times, txs = out.setdefault(tx.sell.asset, ([], []))  # type: ignore[union-attr]
                times.append(tx.time)
                txs.append(tx)
        return out

    def one_sided_outflows(
        self, asset: str, start: datetime | None, end: datetime
    ) -> list[Transaction]:
        """Rows sending ``asset`` that no deposit matches (withdrawals, and trades without
        their buy leg), from ``start`` (None: the beginning) to ``end``, in time order."""
        found = self._one_sided.get(asset)
        if found is None:
            return []
        times, txs = found
        lo = 0 if start is None else bisect_left(times, start)
        return txs[lo : bisect_right(times, end)]

    @cached_property
    def pairs(self) -> TransferPairs:
        """Withdrawals paired with deposits (a bridge may take ``bridge.match_days``)."""
        return pair_transfers(self.ordered, self.settings, self.settings.bridge.match_days)

    def text_of(self, tx: Transaction) -> str:
        return f"{tx.comment} {tx.group}".strip()
