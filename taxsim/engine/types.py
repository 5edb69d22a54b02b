"""Results of a tax pass. Pure data: no I/O, no presentation.

Every EUR figure is a full-precision Decimal; rounding to cents happens only in reporting
(``taxsim.summary.cents``). Each disposal keeps the matches (lots) behind it, so every taxable
amount can be traced to the acquisitions that cover it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from ..model import ZERO, IncomeType


class Origin(StrEnum):
    LOT = "lot"  # an acquisition in the ledger (buy, swap, income, gift, transfer-in)
    SHORT = "short"  # uncovered units: zero-cost lot dated at the sale ("Short (Warning)")
    GHOST = "ghost"  # deposit with no matching withdrawal: zero-cost lot dated at the deposit


class DisposalKind(StrEnum):
    SALE = "sale"  # against fiat
    SWAP = "swap"  # against another crypto-asset
    SPEND = "spend"  # payment for goods or services
    FEE = "fee"  # crypto network/third-currency fee treated as a disposal


@dataclass(slots=True)
class Match:
    """A part of a disposal covered by one lot (or by nothing: ``origin == SHORT``)."""

    lot_id: str  # id of the acquiring transaction ("" for a short)
    acquired: datetime  # UTC; for a short: the sale time
    quantity: Decimal
    cost: Decimal  # EUR acquisition cost of these units incl. acquisition fees
    proceeds: Decimal  # EUR share of the disposal's proceeds
    fee: Decimal  # EUR share of the disposal's selling costs (Werbungskosten)
    holding_days: int
    taxable: bool  # DE: held not more than the holding period; AT: Neuvermögen
    origin: Origin = Origin.LOT
    alt: bool = False  # AT: Altvermögen units
    covered_by: str = ""  # backfill policy: the later inflow that covered this short

    @property
    def gain(self) -> Decimal:
        return self.proceeds - self.fee - self.cost

    @property
    def short(self) -> bool:
        return self.origin is Origin.SHORT


@dataclass(slots=True)
class Disposal:
    tx_id: str
    time: datetime
    wallet: str
    asset: str
    quantity: Decimal
    proceeds: Decimal  # EUR value received (swap: value of the asset received)
    fee: Decimal  # EUR selling costs
    kind: DisposalKind
    matches: list[Match] = field(default_factory=list)
    realized: bool = True  # AT: a Neu→crypto swap is not a realization (matches kept for trace)

    @property
    def cost(self) -> Decimal:
        return sum((m.cost for m in self.matches), ZERO)

    @property
    def gain(self) -> Decimal:
        return self.proceeds - self.fee - self.cost

    @property
    def taxable_gain(self) -> Decimal:
        return sum((m.gain for m in self.matches if m.taxable), ZERO) if self.realized else ZERO

    @property
    def exempt_gain(self) -> Decimal:
        return sum((m.gain for m in self.matches if not m.taxable), ZERO) if self.realized else ZERO

    @property
    def short_quantity(self) -> Decimal:
        return sum((m.quantity for m in self.matches if m.short), ZERO)

    @property
    def short_proceeds(self) -> Decimal:
        return sum((m.proceeds for m in self.matches if m.short), ZERO)

    @property
    def is_short(self) -> bool:
        # a loop, not any(...): asked of every disposal by the report
        for m in self.matches:  # noqa: SIM110
            if m.origin is Origin.SHORT:
                return True
        return False


#: Takes each disposal once it is final (``run_pass(sink=...)``), instead of the result's list.
DisposalSink = Callable[[Disposal], None]


@dataclass(slots=True)
class IncomeEvent:
    tx_id: str
    time: datetime
    wallet: str
    asset: str
    quantity: Decimal
    value: Decimal  # EUR market value at receipt
    income_type: IncomeType
    taxable: bool  # DE: § 22 Nr. 3; AT: current income (lending, mining)


@dataclass(slots=True)
class DerivativeEvent:
    """One part of a margin/derivatives row (``Kind.DERIVATIVE``): not matched against lots,
    shown as its own figures (DE § 20 EStG, AT § 27 Abs 4 EStG), not simulated."""

    tx_id: str
    time: datetime
    part: str  # "profit" | "loss" | "fee"
    asset: str
    quantity: Decimal
    value: Decimal | None  # EUR value as the ledger gives it (None: not given)


@dataclass(slots=True)
class Expense:
    """A deductible cost that is not part of a disposal (e.g. network fees as Werbungskosten)."""

    tx_id: str
    time: datetime
    amount: Decimal
    description: str


@dataclass(slots=True)
class Lot:
    """Units still held at the end (or at any point) of a pass."""

    lot_id: str
    acquired: datetime
    quantity: Decimal
    cost: Decimal
    origin: Origin = Origin.LOT
    alt: bool = False


class NoteKind(StrEnum):
    """What a note is about; the value is how the terminal counts it ("3 × …")."""

    UNVALUED = "no EUR value: counted as 0 €"
    ESTIMATED = "EUR value estimated"
    GHOST_DEPOSIT = "deposit without a matching withdrawal: cost 0"
    UNMATCHED_WITHDRAWAL = "withdrawal without a matching deposit"
    GIFT_RECEIVED = "gift received: cost 0"
    FORK_ORIGIN = "hard fork: original dates or cost split not applied"
    OLD_LAW_INCOME = "old-law income: not in the estimate"
    FEE_EXCEEDS_BUY = "fee larger than the amount bought"
    BEYOND_HOLDINGS = "more sent than held"
    TRANSFER_FEE = "transfer: less received than sent"
    AMOUNTS_DIFFER = "transfer: amounts differ"
    SWAP_NON_TAXABLE = "'Swap (non taxable)' taxed as a swap"
    CARRY_OVER = "1:1 migration/wrap: lots carried over"
    DERIVATIVES = "margin/derivatives: not simulated"
    OTHER = "other"


@dataclass(slots=True)
class Note:
    """Something the user must know about a transaction (unvalued leg, ghost deposit …)."""

    tx_id: str
    message: str  # English (JSON output, terminal, tests)
    kind: NoteKind = NoteKind.OTHER
    message_de: str = ""  # the same in German, with the same figures (German report); "" = none

    @property
    def estimate(self) -> bool:
        """A leg valued from the ledger's own prices (the last one seen, or the other side)."""
        return self.kind is NoteKind.ESTIMATED


@dataclass(slots=True)
class PassResult:
    """Everything one pass (raw or corrected) produced."""

    disposals: list[Disposal] = field(default_factory=list)
    income: list[IncomeEvent] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    #: remaining holdings: (scope, asset) → lots (AT: the pool as a single averaged lot + Alt lots)
    holdings: dict[tuple[str, str], list[Lot]] = field(default_factory=dict)
    #: own transfers found: withdrawal id → deposit id
    transfers: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    #: margin/derivatives results, outside the lot matching (``engine.derivatives``)
    derivatives: list[DerivativeEvent] = field(default_factory=list)
