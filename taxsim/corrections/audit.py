"""The audit trail: what each correction did to which row, and the one-line row summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal

from ..model import (
    Ledger,
    Leg,
    Transaction,
)

# --------------------------------------------------------------------------------------------
# Applying


class Action:
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    correction: str  # correction id
    kind: str  # correction kind, e.g. "mark_scam"
    action: str  # added | removed | changed
    tx_id: str
    before: str  # summary of the row before ("" when added), times in UTC
    after: str  # summary of the row after ("" when removed), times in UTC
    reason: str
    #: the rows themselves (None where there is none) and what ``after`` appends to its row:
    #: ``shown`` summarises them again in another time zone
    before_row: Transaction | None = None
    after_row: Transaction | None = None
    note: str = ""

    def shown(self, zone: tzinfo) -> tuple[str, str]:
        """``before`` and ``after`` with every time in ``zone`` (the report's)."""
        before = describe(self.before_row, zone) if self.before_row is not None else ""
        after = describe(self.after_row, zone) if self.after_row is not None else ""
        return before, after + (f" | {self.note}" if after and self.note else "")


@dataclass(slots=True)
class Applied:
    ledger: Ledger
    audit: list[AuditEntry]
    by_correction: dict[str, list[AuditEntry]]


# --------------------------------------------------------------------------------------------
# Presentation helpers


def _num(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _leg(sign: str, leg: Leg) -> str:
    eur = f" (EUR {_num(leg.eur)})" if leg.eur is not None else ""
    return f"{sign}{_num(leg.amount)} {leg.asset}{eur}"


def _moment(when: datetime, zone: tzinfo) -> str:
    if zone is UTC:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def describe(tx: Transaction, zone: tzinfo = UTC) -> str:
    """One-line summary of a row for the audit trail (exact amounts, times in UTC as
    ``…T…Z`` unless another ``zone`` is asked for)."""
    kind = tx.kind.value + (f"/{tx.income_type.value}" if tx.income_type else "")
    wallet = tx.wallet + (f" -> {tx.to_wallet}" if tx.to_wallet else "")
    parts = [_moment(tx.time, zone), kind, wallet]
    if tx.buy:
        parts.append(_leg("+", tx.buy))
    if tx.sell:
        parts.append(_leg("-", tx.sell))
    if tx.fee:
        parts.append(_leg("fee ", tx.fee))
    if tx.txid:
        parts.append(f"txid {tx.txid}")
    if tx.contract:
        parts.append(f"contract {tx.contract}")
    t = tx.taken_over
    if t is not None and t.acquired is not None:
        cost = f" at cost EUR {_num(t.cost)}" if t.cost is not None else ""
        parts.append(f"takes over acquisition {_moment(t.acquired, zone)}{cost}")
    if t is not None and t.from_asset:
        value = f" (original units worth EUR {_num(t.from_value)})" if t.from_value else ""
        parts.append(f"fork of {t.from_asset}{value}")
    return " | ".join(parts)
