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
    note_de: str = ""  # ``note`` in German ("" = none)

    def shown(self, zone: tzinfo, lang: str = "en") -> tuple[str, str]:
        """``before`` and ``after`` with every time in ``zone`` (the report's), in ``lang``
        (en, de: the words of the summary; amounts, tickers and ids stay as they are)."""
        before = describe(self.before_row, zone, lang) if self.before_row is not None else ""
        after = describe(self.after_row, zone, lang) if self.after_row is not None else ""
        note = (self.note_de or self.note) if lang == "de" else self.note
        return before, after + (f" | {note}" if after and note else "")


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


#: The words of a row summary in German (``describe(..., lang="de")``): kinds, income types
#: and what stands around the amounts.
_GERMAN = {
    "trade": "Trade",
    "deposit": "Einzahlung",
    "withdrawal": "Auszahlung",
    "transfer": "Übertrag",
    "income": "Einnahme",
    "spend": "Zahlung",
    "lost": "Verlust",
    "stolen": "Diebstahl",
    "gift": "Schenkung",
    "derivative": "Derivat",
    "staking": "Staking",
    "lending": "Lending",
    "mining": "Mining",
    "airdrop": "Airdrop",
    "interest": "Zinsen",
    "bounty": "Bounty",
    "hardfork": "Hard Fork",
    "other": "sonstige",
    "fee ": "Gebühr ",
    "txid": "Tx-ID",
    "contract": "Contract",
    "takes over acquisition": "übernimmt die Anschaffung vom",
    "at cost EUR": "zu Anschaffungskosten von EUR",
    "fork of": "Abspaltung von",
    "original units worth EUR": "ursprüngliche Einheiten im Wert von EUR",
}


def describe(tx: Transaction, zone: tzinfo = UTC, lang: str = "en") -> str:
    """One-line summary of a row for the audit trail (exact amounts, times in UTC as
    ``…T…Z`` unless another ``zone`` is asked for; the words in ``lang``, en or de)."""

    def w(word: str) -> str:
        return _GERMAN.get(word, word) if lang == "de" else word

    kind = w(tx.kind.value) + (f"/{w(tx.income_type.value)}" if tx.income_type else "")
    wallet = tx.wallet + (f" -> {tx.to_wallet}" if tx.to_wallet else "")
    parts = [_moment(tx.time, zone), kind, wallet]
    if tx.buy:
        parts.append(_leg("+", tx.buy))
    if tx.sell:
        parts.append(_leg("-", tx.sell))
    if tx.fee:
        parts.append(_leg(w("fee "), tx.fee))
    if tx.txid:
        parts.append(f"{w('txid')} {tx.txid}")
    if tx.contract:
        parts.append(f"{w('contract')} {tx.contract}")
    t = tx.taken_over
    if t is not None and t.acquired is not None:
        cost = f" {w('at cost EUR')} {_num(t.cost)}" if t.cost is not None else ""
        parts.append(f"{w('takes over acquisition')} {_moment(t.acquired, zone)}{cost}")
    if t is not None and t.from_asset:
        value = f" ({w('original units worth EUR')} {_num(t.from_value)})" if t.from_value else ""
        parts.append(f"{w('fork of')} {t.from_asset}{value}")
    return " | ".join(parts)
