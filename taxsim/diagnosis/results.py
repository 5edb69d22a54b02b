"""The diagnosis's result types: steps, balances, findings, evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from ..model import ZERO, Transaction


class Pattern(StrEnum):
    SUDDEN_JUMP = "sudden_jump"  # one transaction takes the balance from >= 0 to its low
    GRADUAL_DECLINE = "gradual_decline"  # several outflows, each deepening the gap
    EXTREME_SPIKE = "extreme_spike"  # an absurd quantity or value makes it negative


class Cause(StrEnum):
    SCAM_TOKEN = "scam_token"
    DELETED_INFLOW = "deleted_inflow"  # an inflow deleted (or never imported): deposit side lost
    MANUAL_EDIT = "manual_edit"  # a row changed by hand since an earlier export
    DUPLICATE = "duplicate"  # the same movement booked twice
    AGGREGATOR_SWAP = "aggregator_swap"
    ONE_SIDED_BRIDGE = "one_sided_bridge"
    INCOMPLETE_HISTORY = "incomplete_history"
    TIME_ZONE = "time_zone"  # local times at a DST change: the file may be in another zone
    UNKNOWN = "unknown"
    #: a row finding: a gift received, the giver's acquisition (date, cost) not in the ledger
    GIFT_COST_UNKNOWN = "gift_cost_unknown"


class Confidence(StrEnum):
    HIGH = "high"  # direct evidence: a foreign contract, a row in the old export, a Tx-ID twice
    MEDIUM = "medium"  # several circumstantial signs agree
    LOW = "low"  # one circumstantial sign; check before correcting


CONFIDENCE_RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}

#: The order detectors run in (``registry``) and break ties of equal confidence in: the most
#: specific evidence first; "incomplete history" is the explanation of last resort.
CAUSE_ORDER = (
    Cause.SCAM_TOKEN,
    Cause.DELETED_INFLOW,
    Cause.MANUAL_EDIT,
    Cause.DUPLICATE,
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

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # amounts as their text: a Decimal's own pickle costs ten times as much to load
        # (a report's diagnosis sends tens of thousands of steps back from its worker)
        return _step, (self.time, self.tx_id, str(self.delta), str(self.balance))


def _step(time: datetime, tx_id: str, delta: str, balance: str) -> Step:
    return Step(time, tx_id, Decimal(delta), Decimal(balance))


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
    """One observation behind a finding, and the rows it is about (ledger ids; a row of the
    previous export that is no longer in the ledger keeps its id there)."""

    text: str
    tx_ids: tuple[str, ...] = ()


@dataclass(slots=True)
class Correction:
    """A draft correction (docs/corrections.md) for ``--suggest``: its kind, its keys in order
    (values: str, Decimal, datetime or lists of those) and what a person must still supply."""

    kind: str
    keys: list[tuple[str, object]] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RowFinding:
    """A finding about rows rather than a negative balance: a duplicate, a hand edit since the
    previous export, a scam inflow that drives no balance below zero. ``change`` names what
    happened (``duplicate``, ``deleted``, ``added``, ``type_changed``, ``amount_changed``,
    ``date_changed``, ``value_changed``, ``scam_inflow``, ``gift_received``)."""

    cause: Cause
    change: str
    wallet: str
    asset: str
    time: datetime
    tx_ids: tuple[str, ...]
    confidence: Confidence
    evidence: list[Evidence]
    priority: Priority
    priority_reason: str
    corrections: list[Correction] = field(default_factory=list)


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
    confidence: Confidence = Confidence.LOW
    #: the draft corrections (``--suggest``), evidence in their reason
    corrections: list[Correction] = field(default_factory=list)
    #: other causes that fit less well: (cause, confidence, first evidence text)
    alternatives: list[tuple[Cause, Confidence, str]] = field(default_factory=list)


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
    #: duplicates, hand edits and scam inflows (not tied to a negative balance of their own)
    row_findings: list[RowFinding] = field(default_factory=list)
    #: negative balances worth less than ``priority.dust_eur`` (fee dust, rounding): no alarm
    dust: list[Finding] = field(default_factory=list)
    #: every row the evidence names: id → (row, "ledger" | "previous")
    rows: dict[str, tuple[Transaction, str]] = field(default_factory=dict)
