"""Typed rows of the API's results and their pandas form.

Every table is a ``Table`` of frozen dataclass rows (typed fields, ``Decimal`` for amounts),
with ``to_pandas()``. Amounts stay exact: in the DataFrame a money column holds the full
``Decimal`` values (dtype ``object``), or with ``to_pandas(cents=True)`` integer cents (dtype
``int64``, rounded once by ``summary.cents``: ROUND_HALF_UP, the commercial rounding of the
German and Austrian forms). Quantities of crypto-assets are never money: they stay ``Decimal``
either way. Times are UTC (``datetime64[ns, UTC]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from ..summary import cents

if TYPE_CHECKING:
    import pandas as pd


def to_cents(value: Decimal | None) -> int | None:
    """A EUR amount as integer cents (``summary.cents``: ROUND_HALF_UP to 0.01 €)."""
    if value is None:
        return None
    return int(cents(value) * 100)


Row = TypeVar("Row")


class Table(Generic[Row], Sequence[Row]):
    """An immutable list of typed rows with a pandas view."""

    def __init__(self, row_type: type[Row], rows: Iterable[Row] = ()) -> None:
        self.row_type = row_type
        self._rows = list(rows)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"Table[{self.row_type.__name__}]({len(self._rows)} rows)"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in fields(self.row_type)]  # type: ignore[arg-type]

    @property
    def money(self) -> tuple[str, ...]:
        """The columns holding EUR amounts (integer cents with ``to_pandas(cents=True)``)."""
        return getattr(self.row_type, "MONEY", ())

    def to_pandas(self, *, cents: bool = False) -> pd.DataFrame:
        """The rows as a DataFrame, one column per field.

        ``cents=False``: money columns hold ``Decimal`` objects (exact, full precision);
        ``cents=True``: integer cents (``int64``; ``Int64`` where a value is missing).
        """
        import pandas as pd

        columns = self.columns
        frame = pd.DataFrame.from_records(
            [astuple(r) for r in self._rows],  # type: ignore[call-overload]
            columns=columns,
        )
        for name, kind in _column_kinds(self.row_type).items():
            if kind is datetime:
                frame[name] = pd.to_datetime(frame[name], utc=True)
            elif kind is Decimal:
                frame[name] = frame[name].astype(object)
        if cents:
            for name in self.money:
                values = [to_cents(v) for v in frame[name]]
                dtype = "Int64" if any(v is None for v in values) else "int64"
                frame[name] = pd.array(values, dtype=dtype)
        return frame


def _column_kinds(row_type: type) -> dict[str, type]:
    """Field name → datetime or Decimal, for the fields annotated so."""
    kinds: dict[str, type] = {}
    for f in fields(row_type):
        text = str(f.type)
        if "datetime" in text:
            kinds[f.name] = datetime
        elif "Decimal" in text:
            kinds[f.name] = Decimal
    return kinds


# --- row types --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearRow:
    """One tax year, raw ledger against corrected ledger (``simulate``'s year figures)."""

    year: int
    raw_taxable_gain: Decimal
    corrected_taxable_gain: Decimal
    fictitious_gain: Decimal  # raw − corrected taxable gain
    raw_exempt_gain: Decimal
    corrected_exempt_gain: Decimal
    raw_taxable_after_allowance: Decimal
    corrected_taxable_after_allowance: Decimal
    raw_income: Decimal
    corrected_income: Decimal
    fictitious_income: Decimal  # raw − corrected income
    raw_short_count: int
    corrected_short_count: int
    raw_short_proceeds: Decimal
    corrected_short_proceeds: Decimal
    raw_tax: Decimal
    corrected_tax: Decimal
    tax_effect: Decimal  # raw − corrected tax ("tax at stake")
    freigrenze: Decimal | None

    MONEY: ClassVar[tuple[str, ...]] = (
        "raw_taxable_gain", "corrected_taxable_gain", "fictitious_gain", "raw_exempt_gain",
        "corrected_exempt_gain", "raw_taxable_after_allowance",
        "corrected_taxable_after_allowance", "raw_income", "corrected_income",
        "fictitious_income", "raw_short_proceeds", "corrected_short_proceeds", "raw_tax",
        "corrected_tax", "tax_effect", "freigrenze",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class MatchRow:
    """One disposal's part covered by one lot (or uncovered: ``origin == "short"``); the
    disposal's own fields repeat on each of its matches, so ``groupby("tx_id")`` rebuilds it."""

    scenario: str  # "raw" | "corrected"
    tx_id: str
    time: datetime
    tax_year: int  # the sale's calendar year in the rule set's local time zone
    wallet: str
    asset: str
    kind: str
    quantity: Decimal  # the whole disposal's units
    proceeds: Decimal  # the whole disposal's proceeds
    realized: bool
    match: int  # 1, 2 … within the disposal; 0 for a disposal without matches
    lot_id: str
    acquired: datetime | None
    match_quantity: Decimal
    cost: Decimal
    match_proceeds: Decimal
    fee: Decimal
    gain: Decimal
    holding_days: int
    taxable: bool
    origin: str  # "lot" | "short" | "ghost"

    MONEY: ClassVar[tuple[str, ...]] = ("proceeds", "cost", "match_proceeds", "fee", "gain")


@dataclass(frozen=True, slots=True)
class IncomeRow:
    scenario: str
    tx_id: str
    time: datetime
    tax_year: int
    wallet: str
    asset: str
    quantity: Decimal
    value: Decimal
    income_type: str
    taxable: bool

    MONEY: ClassVar[tuple[str, ...]] = ("value",)


@dataclass(frozen=True, slots=True)
class ShortRow:
    """A sale still without purchase history after the corrections."""

    tx_id: str
    time: datetime
    tax_year: int
    wallet: str
    asset: str
    uncovered: Decimal
    proceeds: Decimal
    resolve: str

    MONEY: ClassVar[tuple[str, ...]] = ("proceeds",)


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One diagnosis finding: a wallet × asset whose balance goes negative, and why."""

    number: int
    wallet: str
    asset: str
    chain: str
    cause: str
    priority: str
    confidence: str  # "" where the diagnosis gives none
    pattern: str
    tipping_id: str
    tipping_time: datetime
    before_id: str
    lowest_balance: Decimal
    balance_today: Decimal
    gap_eur: Decimal | None
    proposed_correction: str  # the correction kind ``diagnose --suggest`` drafts
    evidence: str  # the evidence texts, " | " between them

    MONEY: ClassVar[tuple[str, ...]] = ("gap_eur",)


@dataclass(frozen=True, slots=True)
class RowFindingRow:
    """A finding about rows rather than a negative balance: a duplicate, a hand edit since the
    previous export, a scam inflow (where the diagnosis reports them)."""

    number: int
    cause: str
    change: str  # duplicate, deleted, added, type_changed, amount_changed … scam_inflow
    wallet: str
    asset: str
    time: datetime
    tx_ids: str  # comma-separated
    priority: str
    confidence: str
    proposed_correction: str
    evidence: str


@dataclass(frozen=True, slots=True)
class BalanceRow:
    wallet: str
    asset: str
    balance: Decimal
    fiat: bool


@dataclass(frozen=True, slots=True)
class AuditRow:
    correction: str
    kind: str
    action: str
    tx_id: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True, slots=True)
class Dac8LineRow:
    """One line of the DAC8/CARF report a platform will file, rebuilt from the ledger."""

    platform: str
    year: int
    asset: str
    category: str
    transfer_type: str
    units: Decimal
    gross: Decimal
    net: Decimal
    fees: Decimal
    count: int
    unvalued: int  # rows the ledger gives no EUR value for

    MONEY: ClassVar[tuple[str, ...]] = ("gross", "net", "fees")


@dataclass(frozen=True, slots=True)
class CheckRow:
    number: int
    key: str
    title: str
    status: str  # pass | warn | fail | n/a
    message: str
    tx_ids: str  # comma-separated


@dataclass(frozen=True, slots=True)
class DeviationRow:
    platform: str
    year: int
    asset: str
    category: str
    transfer_type: str
    field: str
    severity: str
    expected: str
    reported: str
    message: str
    report: str
    tx_ids: str
