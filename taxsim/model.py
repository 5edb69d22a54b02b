"""The canonical ledger model every reader produces and every other module consumes.

Amounts are ``decimal.Decimal`` throughout; times are timezone-aware UTC ``datetime``s.
A transaction has up to three legs, following CoinTracking's layout:

* ``buy``  — units credited to ``wallet`` (for a ``transfer``: credited to ``to_wallet``),
* ``sell`` — units debited from ``wallet`` (not including the fee),
* ``fee``  — units additionally debited from ``wallet``.

So the balance effect of a row on ``wallet`` is ``+buy − sell − fee`` (for a transfer the buy
leg lands in ``to_wallet``). Each leg may carry its EUR value at the time of the transaction.
"""

from __future__ import annotations

import decimal
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from itertools import islice
from operator import attrgetter, eq

#: Context used for every computation: 50 significant digits keep sums of 18-decimal token
#: amounts exact; only divisions (proportional lot cost, averages) ever round.
CONTEXT = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN)
decimal.setcontext(CONTEXT)
decimal.DefaultContext.prec = CONTEXT.prec

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: Quantum of every EUR amount derived by division (a lot's partial cost, a match's share of
#: the proceeds, an average). Fixed-point at 1e-18 € keeps later additions and subtractions
#: exact, so the parts of an amount always add up to the whole; it is far below a cent.
EUR_QUANTUM = Decimal("1e-18")


#: A plain decimal number as the ledger readers accept it, optionally signed: ``1234.5678``,
#: ``-0.5``, ``1450``. Exponents (``1e3``), ``NaN``/``Infinity``, thousands separators and
#: ``.5`` are refused (corrections files, on-chain balances).
plain_number = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch


def share(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """``amount × part / whole`` on the EUR quantum (the last part takes the exact remainder)."""
    return (amount * part / whole).quantize(EUR_QUANTUM)


#: Fiat currencies: legs in these are money, not crypto-assets (no lots, no balance checks).
FIAT = frozenset({"EUR", "USD", "CHF", "GBP"})


class Kind(StrEnum):
    TRADE = "trade"  # buy and/or sell leg; crypto↔fiat or crypto↔crypto (swap)
    DEPOSIT = "deposit"  # inflow from outside the wallet (own transfer in, or unknown source)
    WITHDRAWAL = "withdrawal"  # outflow to outside the wallet (own transfer out, or unknown)
    TRANSFER = (
        "transfer"  # own transfer in one row: sell leg leaves wallet, buy leg reaches to_wallet
    )
    INCOME = "income"  # see IncomeType
    SPEND = "spend"  # payment for goods or services: a disposal at market value
    LOST = "lost"  # units gone without consideration
    STOLEN = "stolen"
    GIFT = "gift"  # gift received (buy leg) or given (sell leg)
    # margin/derivatives result (CoinTracking "Margin Profit/Loss/Fee", "Derivatives / Futures
    # Profit/Loss", "Borrowing Fee", …): buy leg = profit, sell leg = loss (a fee if
    # ``treatment`` is "derivative_fee"), fee leg = fee. Kept out of the lot matching (§ 23 /
    # § 27b); shown as its own figures (DE § 20, AT § 27 Abs 4), not simulated.
    DERIVATIVE = "derivative"


class IncomeType(StrEnum):
    STAKING = "staking"
    LENDING = "lending"
    MINING = "mining"
    AIRDROP = "airdrop"
    INTEREST = "interest"
    BOUNTY = "bounty"
    HARDFORK = "hardfork"
    OTHER = "other"


@dataclass(slots=True)
class Leg:
    """One side of a transaction. Treated as immutable (readers share equal legs between rows);
    not ``frozen`` for the same reason as ``Transaction``: creation cost on large ledgers."""

    amount: Decimal  # always > 0
    asset: str  # upper-case ticker as written in the ledger (e.g. "USDC", "USDC-SCAM")
    eur: Decimal | None = None  # EUR value of the whole leg at the time, if known

    @property
    def is_fiat(self) -> bool:
        return self.asset in FIAT


@dataclass(slots=True)
class Source:
    """Where a transaction came from: file and row as a spreadsheet shows it (header = row 1)."""

    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}:{self.row}"


@dataclass(frozen=True, slots=True)
class TakenOver:
    """What units received take over from earlier units — a fact the ledger cannot carry,
    stated by a correction (``gift_received``, ``fork_origin``; docs/corrections.md).

    Gift (§ 23 Abs. 1 S. 3 EStG): the giver's acquisition time and cost. Hard fork (BMF
    10.5.2022 Tz. 67/68 = 6.3.2025 Rz. 67/68): the original asset, whose units' acquisition
    dates the new units share, and the original units' market value at the fork (EUR, for the
    split of their cost; None: not split)."""

    acquired: datetime | None = None
    cost: Decimal | None = None
    from_asset: str = ""
    from_value: Decimal | None = None


@dataclass(slots=True, eq=True)
class Transaction:
    """One ledger row. Treated as immutable: every change goes through ``with_`` (a copy), so
    the ledger the user gave is never modified. Not ``frozen`` only because a frozen dataclass
    of 21 fields costs 2.5× as much to create, which dominates reading a million-row ledger."""

    id: str  # unique within a ledger; readers derive it from Tx-ID/Trade ID or file+row
    time: datetime  # UTC, timezone-aware
    kind: Kind
    wallet: str  # CoinTracking "Exchange"
    buy: Leg | None = None
    sell: Leg | None = None
    fee: Leg | None = None
    income_type: IncomeType | None = None  # only for Kind.INCOME
    to_wallet: str | None = None  # only for Kind.TRANSFER
    group: str = ""
    comment: str = ""
    txid: str = ""  # on-chain hash or exchange trade id
    chain: str = ""
    contract: str = ""  # token contract / mint of the moved or received token, as written
    from_address: str = ""  # on-chain sender (CoinTracking V3 "From Address")
    to_address: str = ""  # on-chain recipient (CoinTracking V3 "To Address")
    source: Source | None = None
    taken_over: TakenOver | None = None  # set only by a correction (gift, hard fork)
    #: How a CoinTracking type that needs more than its kind is treated (rules/cointracking_types
    #: .toml, docs/formats.md): "" (the kind says it all), "swap_non_taxable" (a "Swap (non
    #: taxable)" trade), "carry_over" (a 1:1 migration or wrap: the lots move to the new asset
    #: with their acquisition date and cost), "derivative_fee" (the sell leg is a fee),
    #: "open_position" (an open margin/derivatives trade: no effect, as in CoinTracking).
    treatment: str = ""
    #: The asset a trade names for a leg of amount 0 (CoinTracking's ``Buy 0 USDC``: a swap whose
    #: other side never arrived), "" otherwise. No leg, no effect on any figure: evidence for
    #: the diagnosis only (which asset is missing). ``missing_sell_asset``: ``Sell 0 X``.
    missing_buy_asset: str = ""
    missing_sell_asset: str = ""

    @property
    def is_swap(self) -> bool:
        """A trade crypto → crypto (neither leg is fiat)."""
        return (
            self.kind is Kind.TRADE
            and self.buy is not None
            and self.sell is not None
            and not self.buy.is_fiat
            and not self.sell.is_fiat
        )

    @property
    def year(self) -> int:
        return self.time.year

    def with_(self, **changes: object) -> Transaction:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(slots=True)
class Ledger:
    """An ordered collection of transactions plus what was read to produce it."""

    transactions: list[Transaction]
    files: list[str] = field(default_factory=list)
    format: str = ""  # detected input format, e.g. "cointracking-trade-list-v2"
    #: id → position in ``transactions``, where a reader built it anyway (canonical CSV), else
    #: None. A hint only: whoever uses it checks that the row at the position has the id.
    positions: dict[str, int] | None = field(default=None, repr=False, compare=False)
    #: Warnings about the input that do not stop reading it (e.g. local times at a DST change,
    #: ``inputs.timezones``): each names the file and rows; commands print them.
    findings: list[str] = field(default_factory=list, repr=False, compare=False)

    def sorted(self) -> list[Transaction]:
        """Transactions in processing order (``in_processing_order``)."""
        return in_processing_order(self.transactions)


_RANK = {
    Kind.DEPOSIT: 0,
    Kind.INCOME: 0,
    Kind.TRADE: 1,
    Kind.TRANSFER: 1,
    Kind.GIFT: 2,
    Kind.WITHDRAWAL: 2,
    Kind.SPEND: 2,
    Kind.LOST: 2,
    Kind.STOLEN: 2,
    Kind.DERIVATIVE: 1,
}


def sort_key(tx: Transaction) -> tuple[datetime, int, str]:
    """Time; within the same second inflows (deposit, income, gift received) first, then
    trades and transfers, then outflows; then id. ``in_processing_order`` refines it."""
    rank = _RANK[tx.kind]
    if rank == 2 and tx.kind is Kind.GIFT and tx.buy is not None:
        rank = 0
    return (tx.time, rank, tx.id)


def in_processing_order(transactions: Iterable[Transaction]) -> list[Transaction]:
    """The order every pass processes a ledger in: ``sort_key``, and within one second a
    transaction that brings an asset in before any that takes the same asset out.

    Ledgers record times to the second (date-only exports: to the day), so a purchase and
    the sale it funds, or the hops of one DeFi swap (A → B, B → C), often share a timestamp;
    taking the outflow first would invent a short. The order depends only on the rows' content,
    never on their order in the file.
    """
    # By time alone first (a C-level key), then each group of rows sharing a second by the
    # whole ``sort_key``: the same order as sorting everything by ``sort_key``, at a fraction
    # of the cost, since a ledger has a million rows and few shared seconds.
    txs = sorted(transactions, key=attrgetter("time"))
    times = list(map(attrgetter("time"), txs))
    same = list(map(eq, times, islice(times, 1, None)))  # same[i]: txs[i + 1] shares txs[i]'s
    i = _find(same, 0)
    while i < len(same):
        end = i + 1
        while end < len(same) and same[end]:
            end += 1
        txs[i : end + 1] = _inflows_first(sorted(txs[i : end + 1], key=sort_key))
        i = _find(same, end)
    return txs


def _find(flags: list[bool], start: int) -> int:
    """Index of the first True in ``flags`` from ``start`` on, else ``len(flags)``."""
    try:
        return flags.index(True, start)
    except ValueError:
        return len(flags)


def _inflows_first(group: list[Transaction]) -> list[Transaction]:
    """``group`` (one second, in ``sort_key`` order) reordered so that every transaction
    taking an asset out comes after all those bringing it in (Kahn's topological sort, the
    ``sort_key`` order deciding among the ready ones). Where the dependencies form a cycle
    (A → B and B → A in the same second) the rest keeps the ``sort_key`` order."""
    ins: list[set[str]] = []
    outs: list[set[str]] = []
    for tx in group:
        came = {tx.buy.asset} if tx.buy is not None and tx.buy.asset not in FIAT else set()
        left = {leg.asset for leg in (tx.sell, tx.fee) if leg is not None and leg.asset not in FIAT}
        ins.append(came)
        # an own transfer takes the asset out of one wallet and brings it into another; any
        # other row paying a fee in the asset it receives takes nothing out before it arrives
        outs.append(left if tx.kind is Kind.TRANSFER else left - came)
    producers: dict[str, list[int]] = {}
    for k, assets in enumerate(ins):
        for asset in assets:
            producers.setdefault(asset, []).append(k)
    waiting = [
        sum(1 for a in outs[k] for p in producers.get(a, ()) if p != k) for k in range(len(group))
    ]
    consumers: dict[str, list[int]] = {}
    for k, assets in enumerate(outs):
        for asset in assets:
            consumers.setdefault(asset, []).append(k)
    ready = [k for k, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    done = [False] * len(group)
    order: list[Transaction] = []
    while len(order) < len(group):
        if not ready:  # a cycle: the first one left in sort_key order goes next
            ready.append(next(k for k, d in enumerate(done) if not d))
        k = heapq.heappop(ready)
        if done[k]:
            continue
        done[k] = True
        order.append(group[k])
        for asset in ins[k]:
            for c in consumers.get(asset, ()):
                if c != k:
                    waiting[c] -= 1
                    if waiting[c] == 0 and not done[c]:
                        heapq.heappush(ready, c)
    return order


class TaxsimError(Exception):
    """An error the user can act on. The CLI prints the message, never a traceback."""


class InputError(TaxsimError):
    """Bad input: names the file, row and column and what was expected."""

    def __init__(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.file, self.row, self.column = file, row, column
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")
