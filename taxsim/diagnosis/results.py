"""The diagnosis's result types: steps, balances, findings, evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from ..model import ZERO


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
