"""The expected DAC8 view: every row of a reporting platform mapped to CARF elements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from ..corrections import ADD_INFLOW_GROUP, SET_COST_BASIS_GROUP
from ..engine.transfers import pair_transfers
from ..engine.valuation import value_transactions
from ..model import (
    ZERO,
    IncomeType,
    Kind,
    Ledger,
    Leg,
    Transaction,
    in_processing_order,
)
from ..rules import RuleSet
from .categories import (
    DEFAULT_EUR_USD,
    FIRST_REPORTING_YEAR,
    INBOUND,
    INCOME_TRANSFER_TYPE,
    RRPT_LIMIT_USD,
    Category,
    LineKey,
)
from .platforms import PlatformsConfig, PlatformStatus, classify_wallets, load_platforms


@dataclass(slots=True)
class Entry:
    """One ledger row's contribution to one CARF line."""

    tx_id: str
    time: datetime
    key: LineKey
    units: Decimal
    value: Decimal | None  # EUR value of the leg; None if the ledger gives no way to value it
    fee: Decimal = ZERO  # EUR value of the row's fee
    fee_units: Decimal = ZERO  # fee units in the line's own asset (units gross vs net)
    estimated: bool = False  # value taken from the last price in the ledger

    @property
    def gross(self) -> Decimal:
        """Amount before taking out fees: paid incl. fee (inbound), received (outbound)."""
        v = self.value or ZERO
        return v + self.fee if self.key.category in INBOUND else v

    @property
    def net(self) -> Decimal:
        """Amount after taking out fees: paid excl. fee (inbound), received less fee (outbound)."""
        v = self.value or ZERO
        return v if self.key.category in INBOUND else v - self.fee


@dataclass(slots=True)
class Aggregate:
    """Sum of the entries of one line, with the transactions behind it."""

    key: LineKey
    units: Decimal = ZERO
    gross: Decimal = ZERO
    net: Decimal = ZERO
    fees: Decimal = ZERO
    fee_units: Decimal = ZERO
    count: int = 0
    tx_ids: list[str] = field(default_factory=list)
    unvalued: list[str] = field(default_factory=list)
    estimated: list[str] = field(default_factory=list)

    def add(self, e: Entry) -> None:
        self.units += e.units
        self.gross += e.gross
        self.net += e.net
        self.fees += e.fee
        self.fee_units += e.fee_units
        self.count += 1
        self.tx_ids.append(e.tx_id)
        if e.value is None:
            self.unvalued.append(e.tx_id)
        elif e.estimated:
            self.estimated.append(e.tx_id)


@dataclass(slots=True)
class Dac8View:
    """What the reporting platforms will have reported, rebuilt from the ledger."""

    entries: list[Entry]
    aggregates: dict[LineKey, Aggregate]
    platforms: dict[str, PlatformStatus]
    pairs: dict[str, str]  # own transfers: withdrawal id → deposit id
    transactions: list[Transaction]  # valued, in ledger order
    year: int | None = None
    eur_usd: Decimal = DEFAULT_EUR_USD
    #: reporting wallet → the platform (RCASP) whose report it is in; line keys use the latter
    accounts: dict[str, str] = field(default_factory=dict)
    #: the rows of the reporting years (UTC year ≥ 2026) and of ``year``, as in the ledger
    in_scope: list[Transaction] = field(default_factory=list)
    #: those of them in wallets of reporting platforms: what the checklist looks at
    reported: list[Transaction] = field(default_factory=list)

    def platform_of(self, wallet: str) -> str:
        return self.accounts.get(wallet, wallet)

    def lines(self, platform: str | None = None, year: int | None = None) -> list[Aggregate]:
        return [
            a
            for k, a in sorted(self.aggregates.items())
            if (platform is None or k.platform == platform) and (year is None or k.year == year)
        ]

    def reporting(self) -> list[str]:
        """The reporting platforms (RCASPs; sub-accounts counted with their platform)."""
        names = [
            self.platform_of(w) for w, s in self.platforms.items() if s is PlatformStatus.REPORTING
        ]
        return list(dict.fromkeys(names))


#: Rows from here on are in a reporting period (an entry's year is its row's UTC year).
_REPORTING_START = datetime(FIRST_REPORTING_YEAR, 1, 1, tzinfo=UTC)


def build_view(
    ledger: Ledger | Sequence[Transaction],
    *,
    rules: RuleSet,
    platforms: PlatformsConfig | None = None,
    year: int | None = None,
    eur_usd: Decimal = DEFAULT_EUR_USD,
    transfers: Mapping[str, str] | None = None,
) -> Dac8View:
    """Map every row of a reporting platform to CARF elements and aggregate them.

    Own transfers are paired over the whole ledger (a December withdrawal may arrive in
    January), then entries are filtered by ``year`` (UTC, as platforms count). Rows before
    :data:`FIRST_REPORTING_YEAR` produce no entries: no platform reports them under DAC8.
    ``transfers``: the pairs the tax pass over this ledger under ``rules`` found
    (``PassResult.transfers``: the pairing looks at no EUR value, so they are the same);
    paired here if not given.
    """
    platforms = platforms or load_platforms()
    txs = in_processing_order(ledger.transactions if isinstance(ledger, Ledger) else ledger)
    # The engine's valuation, and for transfer legs of the reporting years too: the engine
    # leaves those unvalued (they change no tax figure), but CARF reports their fair market
    # value. Earlier rows produce no entries; they only set the last prices.
    txs, notes = value_transactions(txs, every_leg_from=_REPORTING_START)
    estimated = {n.tx_id for n in notes if n.estimate}
    status = classify_wallets(txs, platforms)
    pairs = dict(transfers) if transfers is not None else pair_transfers(txs, rules)
    by_id = {t.id: t for t in txs}
    source_of = {d: w for w, d in pairs.items()}
    accounts = {
        w: platforms.platform_of(w) for w, s in status.items() if s is PlatformStatus.REPORTING
    }

    entries: list[Entry] = []
    in_scope: list[Transaction] = []
    for tx in txs:
        # An entry's year is its row's UTC year: rows outside the reporting years give none
        # (skipped before mapping: most of a long ledger lies before 2026).
        y = tx.time.year
        if y < FIRST_REPORTING_YEAR or (year is not None and y != year):
            continue
        in_scope.append(tx)
        if tx.group in _WRITTEN_BY_CORRECTIONS:
            tx = _as_the_platform_saw_it(tx)
            if tx is None:
                continue
        for e in _entries_for(tx, status, accounts, pairs, source_of, by_id, eur_usd):
            e.estimated = tx.id in estimated
            entries.append(e)
    aggregates: dict[LineKey, Aggregate] = {}
    for e in entries:
        aggregates.setdefault(e.key, Aggregate(e.key)).add(e)
    reported = [t for t in in_scope if status.get(t.wallet) is PlatformStatus.REPORTING]
    return Dac8View(
        entries, aggregates, status, pairs, txs, year, eur_usd, accounts, in_scope, reported
    )


#: Groups of the rows corrections write as documentation (corrections.py): the EUR leg of each
#: is a counter-entry, not something a platform executed.
_WRITTEN_BY_CORRECTIONS = frozenset({SET_COST_BASIS_GROUP, ADD_INFLOW_GROUP})


def _as_the_platform_saw_it(tx: Transaction) -> Transaction | None:
    """A row a correction wrote, as the platform of its wallet saw it: ``set_cost_basis``
    documents an acquisition outside the ledger (no platform of the ledger reported it:
    nothing); ``add_inflow`` with a cost basis is a deposit written as a EUR purchase so that
    the engines book its cost — the platform saw the deposit (a transfer in)."""
    if tx.group == ADD_INFLOW_GROUP and tx.kind is Kind.TRADE:
        return tx.with_(kind=Kind.DEPOSIT, sell=None)
    return None


def _fee_eur(tx: Transaction) -> Decimal:
    fee = tx.fee
    if fee is None:
        return ZERO
    if fee.eur is not None:
        return fee.eur
    return fee.amount if fee.asset == "EUR" else ZERO


def _fiat_value(fiat: Leg, crypto: Leg) -> Decimal | None:
    """The consideration of a crypto↔fiat trade: the fiat leg (its EUR value)."""
    if fiat.asset == "EUR":
        return fiat.amount
    return fiat.eur if fiat.eur is not None else crypto.eur


def _entries_for(
    tx: Transaction,
    status: dict[str, PlatformStatus],
    accounts: dict[str, str],
    pairs: dict[str, str],
    source_of: dict[str, str],
    by_id: dict[str, Transaction],
    eur_usd: Decimal,
) -> list[Entry]:
    """The CARF entries of one row, seen from the reporting platform(s) involved.

    A move between two accounts of one platform (``accounts``: "Binance" → "Binance Earn")
    is no transfer for that platform (Krypto-MPfG § 6(3)): it gives no entry."""
    reporting = PlatformStatus.REPORTING

    def same_platform(a: str | None, b: str | None) -> bool:
        return a is not None and b is not None and a in accounts and accounts.get(b) == accounts[a]

    out: list[Entry] = []
    fee = _fee_eur(tx)

    def add(
        wallet: str, leg: Leg, cat: Category, ttype: str = "", value: Decimal | None = None
    ) -> None:
        """One entry; ``value`` defaults to the leg's own EUR value."""
        val = value if value is not None else leg.eur
        fee_units = tx.fee.amount if tx.fee is not None and tx.fee.asset == leg.asset else ZERO
        key = LineKey(accounts.get(wallet, wallet), tx.time.year, leg.asset, cat, ttype)
        out.append(Entry(tx.id, tx.time, key, leg.amount, val, fee, fee_units))

    def transfer_out(wallet: str, leg: Leg, dest: str | None) -> None:
        """Outflow: 601 to another platform, else 606 plus TransferWallet (§ 2 (h), (i))."""
        if dest is not None and status.get(dest) is reporting:
            add(wallet, leg, Category.CRYPTO_TRANSFER_OUT, "CARF601")
        else:
            add(wallet, leg, Category.CRYPTO_TRANSFER_OUT, "CARF606")
            add(wallet, leg, Category.TRANSFER_WALLET)

    w = tx.wallet
    on_platform = status.get(w) is reporting
    buy, sell = tx.buy, tx.sell
    if tx.kind is Kind.TRADE and on_platform:
        if buy is not None and sell is not None:
            if buy.is_fiat and not sell.is_fiat:
                add(w, sell, Category.CRYPTO_FIAT_OUT, value=_fiat_value(buy, sell))
            elif sell.is_fiat and not buy.is_fiat:
                add(w, buy, Category.CRYPTO_FIAT_IN, value=_fiat_value(sell, buy))
            elif not buy.is_fiat and not sell.is_fiat:
                # One swap = Out on the asset given + In on the asset received (§ 2 (d), (e)).
                add(w, sell, Category.CRYPTO_TO_CRYPTO_OUT, value=sell.eur or buy.eur)
                add(w, buy, Category.CRYPTO_TO_CRYPTO_IN, value=buy.eur or sell.eur)
        # One leg only: the platform sees a transfer (IEIM8000530/540).
        elif buy is not None and not buy.is_fiat:
            add(w, buy, Category.CRYPTO_TRANSFER_IN, "CARF509")
        elif sell is not None and not sell.is_fiat:
            add(w, sell, Category.CRYPTO_TRANSFER_OUT, "CARF606")
    elif tx.kind is Kind.DEPOSIT and on_platform and buy is not None and not buy.is_fiat:
        src = by_id[source_of[tx.id]].wallet if tx.id in source_of else None
        if same_platform(w, src):
            return out
        paired_from_platform = src is not None and status.get(src) is reporting
        add(w, buy, Category.CRYPTO_TRANSFER_IN, "CARF505" if paired_from_platform else "CARF509")
    elif tx.kind is Kind.WITHDRAWAL and on_platform and sell is not None and not sell.is_fiat:
        dest = by_id[pairs[tx.id]].wallet if tx.id in pairs else None
        if same_platform(w, dest):
            return out
        transfer_out(w, sell, dest)
    elif tx.kind is Kind.TRANSFER and sell is not None and buy is not None and not sell.is_fiat:
        to = tx.to_wallet or ""
        if same_platform(w, to):
            return out
        if on_platform:
            transfer_out(w, sell, to)
        if status.get(to) is reporting:
            add(to, buy, Category.CRYPTO_TRANSFER_IN, "CARF505" if on_platform else "CARF509")
    elif tx.kind is Kind.INCOME and on_platform and buy is not None and not buy.is_fiat:
        itype = tx.income_type or IncomeType.OTHER
        add(w, buy, Category.CRYPTO_TRANSFER_IN, INCOME_TRANSFER_TYPE[itype])
    elif tx.kind is Kind.SPEND and on_platform and sell is not None and not sell.is_fiat:
        if sell.eur is not None and sell.eur * eur_usd > RRPT_LIMIT_USD:
            add(w, sell, Category.RRPT)
        else:
            add(w, sell, Category.CRYPTO_TRANSFER_OUT, "CARF603")
    elif tx.kind is Kind.GIFT and on_platform:
        # The platform sees an inflow from / outflow to an address it does not know.
        if buy is not None and not buy.is_fiat:
            add(w, buy, Category.CRYPTO_TRANSFER_IN, "CARF509")
        elif sell is not None and not sell.is_fiat:
            transfer_out(w, sell, None)
    elif tx.kind in (Kind.LOST, Kind.STOLEN) and on_platform and sell and not sell.is_fiat:
        add(w, sell, Category.CRYPTO_TRANSFER_OUT, "CARF605")
    return out
