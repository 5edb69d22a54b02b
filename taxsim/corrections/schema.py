"""The corrections file's schema: value types and one pydantic model per correction kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from ..model import (
    ZERO,
    IncomeType,
    Kind,
    Leg,
    Transaction,
    plain_number,
)

# --------------------------------------------------------------------------------------------
# Value types


def _to_decimal(value: object) -> Decimal:
    """Exact amount from a TOML string or integer; TOML floats are refused (precision lost)."""
    if isinstance(value, bool):
        raise ValueError('expected an amount as a string such as "0.25"')
    if isinstance(value, float):
        raise ValueError(
            f"got the TOML float {value!r}, which has already lost precision; "
            f'write the amount as a string, e.g. "{value!r}"'
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip()
        if not plain_number(text):  # as strict as the ledger readers (docs/canonical-csv.md)
            raise ValueError(
                f'expected a plain decimal number such as "0.25" or "1450" (digits with at most '
                f"one decimal point; no exponent, thousands separator or comma), got {value!r}"
            )
        return Decimal(text)
    raise ValueError('expected an amount as a string such as "0.25"')


def _positive(value: Decimal) -> Decimal:
    if value <= ZERO:
        raise ValueError(f"expected an amount greater than 0, got {value}")
    return value


def _not_negative(value: Decimal) -> Decimal:
    if value < ZERO:
        raise ValueError(f"expected an EUR value of 0 or more, got {value}")
    return value


def _to_utc(value: object) -> datetime:
    """ISO 8601 time with offset (string or TOML offset date-time) → aware UTC datetime."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"expected an ISO 8601 time with offset such as 2024-03-11T21:40:05Z, got {value!r}"
            ) from None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"time {value.isoformat()} has no UTC offset; add one, e.g. "
                f"{value.isoformat()}Z or {value.isoformat()}+01:00"
            )
        return value.astimezone(UTC)
    if isinstance(value, date):
        raise ValueError(
            f"expected a time with offset, got the date {value.isoformat()}; "
            f"write e.g. {value.isoformat()}T00:00:00+01:00"
        )
    raise ValueError("expected an ISO 8601 time with offset such as 2024-03-11T21:40:05Z")


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Asset = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, to_upper=True)]
# Lower-cased for matching: contracts are compared case-insensitively (EVM checksum casing varies;
# Solana mints differ in more than case, so no two real ones collide).
Contract = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, to_lower=True)]
Amount = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_positive)]
Eur = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_not_negative)]
Time = Annotated[datetime, BeforeValidator(_to_utc)]


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"expected an IANA time zone such as 'UTC' or 'Europe/Berlin', got {name!r}"
        ) from None
    return name


Zone = Annotated[str, AfterValidator(_zone)]
TextList = Annotated[tuple[Text, ...], Field(min_length=1)]


class _KeyedError(ValueError):
    """A validation error that names the key at fault below the model it is raised in (a model
    validator's error would otherwise name only the model, e.g. ``transaction``)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _transfer_problem(
    buy_amount: Decimal, buy_asset: str, sell_amount: Decimal | None, sell_asset: str | None
) -> tuple[str, str] | None:
    """(key, message) if a transfer's legs are no transfer, as the ledger readers judge it
    (docs/canonical-csv.md): one asset moves, and no more arrives than leaves. A transfer
    whose legs differ is a swap, which must be taxed as a trade."""
    if sell_amount is None or sell_asset is None:
        return None  # the missing leg is reported by the kind's leg check
    if buy_asset != sell_asset:
        return (
            "buy_asset",
            f"a transfer moves one asset, but sends {sell_asset} and receives {buy_asset}; "
            "a swap is a trade (kind = 'trade')",
        )
    if buy_amount > sell_amount:
        return (
            "buy_amount",
            f"a transfer cannot receive more than it sends: {buy_amount} received, "
            f"{sell_amount} sent; expected buy_amount <= sell_amount (less arrives when the "
            "fee is taken out of the amount)",
        )
    return None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------------------------
# The corrections (one pydantic model per kind, discriminated on ``kind``)


class _Base(_Strict):
    id: Text
    kind: str  # narrowed to a Literal by each subclass (the discriminator)
    reason: Text
    evidence: tuple[str, ...] = ()


def _exactly_one(model: BaseModel, names: Iterable[str], what: str) -> None:
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {what}")


class MarkScam(_Base):
    """Remove scam-token rows from the calculation (they stay in the audit)."""

    kind: Literal["mark_scam"]
    contract: Contract | None = None
    chain: Text | None = None
    txids: TextList | None = None
    asset: Asset | None = None
    wallet: Text | None = None
    from_: Time | None = Field(default=None, alias="from")
    to: Time | None = None

    @model_validator(mode="after")
    def _selector(self) -> MarkScam:
        _exactly_one(
            self, ("contract", "txids", "asset"), "'contract', 'txids' or 'asset'+'wallet'"
        )
        if self.chain is not None and self.contract is None:
            raise ValueError("'chain' only narrows a 'contract'")
        if (self.asset is None) != (self.wallet is None):
            raise ValueError("'asset' and 'wallet' go together")
        if (self.from_ is not None or self.to is not None) and self.asset is None:
            raise ValueError("'from'/'to' only narrow an 'asset'+'wallet' selection")
        return self


class RenameTicker(_Base):
    """Rename the legs in one asset, e.g. a fake USDC to ``USDC-SCAM``, within a scope."""

    kind: Literal["rename_ticker"]
    from_asset: Asset
    to_asset: Asset
    contract: Contract | None = None
    wallet: Text | None = None
    txids: TextList | None = None
    from_: Time | None = Field(default=None, alias="from")
    to: Time | None = None

    @model_validator(mode="after")
    def _scope(self) -> RenameTicker:
        if self.contract is None and self.wallet is None and self.txids is None:
            raise ValueError("give a scope: 'contract', 'wallet' and/or 'txids'")
        if self.from_asset == self.to_asset:
            raise ValueError("'from_asset' and 'to_asset' are the same")
        return self


class AddInflow(_Base):
    """Add a missing inflow (or a whole missing trade, or the missing side of a one-sided swap)."""

    kind: Literal["add_inflow"]
    asset: Asset
    amount: Amount
    wallet: Text
    time: Time | None = None
    eur: Eur
    counterpart_txid: Text | None = None
    tx_kind: Literal["deposit", "trade", "income", "gift"] = "deposit"
    sell_amount: Amount | None = None
    sell_asset: Asset | None = None
    sell_eur: Eur | None = None
    income_type: IncomeType | None = None
    txid: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AddInflow:
        if self.counterpart_txid is not None:
            extra = (self.sell_amount, self.sell_asset, self.sell_eur, self.income_type)
            if self.tx_kind != "deposit" or any(v is not None for v in extra):
                raise ValueError(
                    "with 'counterpart_txid' the row becomes a swap with the counterpart's sell "
                    "leg; leave out 'tx_kind', 'sell_*' and 'income_type'"
                )
            return self
        if self.time is None:
            raise ValueError("'time' is required (unless 'counterpart_txid' is given)")
        has_sell = self.sell_amount is not None or self.sell_asset is not None
        if self.tx_kind == "trade":
            if self.sell_amount is None or self.sell_asset is None:
                raise ValueError("tx_kind 'trade' needs 'sell_amount' and 'sell_asset'")
        elif has_sell or self.sell_eur is not None:
            raise ValueError("'sell_*' keys only go with tx_kind = 'trade'")
        if (self.tx_kind == "income") != (self.income_type is not None):
            raise ValueError("'income_type' is required for, and only for, tx_kind = 'income'")
        return self


class InlineTransaction(_Strict):
    """A transaction written out in the canonical columns (docs/canonical-csv.md)."""

    id: Text | None = None
    time: Time
    kind: Kind
    income_type: IncomeType | None = None
    wallet: Text
    to_wallet: Text | None = None
    buy_amount: Amount | None = None
    buy_asset: Asset | None = None
    buy_eur: Eur | None = None
    sell_amount: Amount | None = None
    sell_asset: Asset | None = None
    sell_eur: Eur | None = None
    fee_amount: Amount | None = None
    fee_asset: Asset | None = None
    fee_eur: Eur | None = None
    group: str = ""
    comment: str = ""
    txid: str = ""
    chain: str = ""
    contract: Annotated[str, StringConstraints(strip_whitespace=True)] = ""  # kept as written
    from_address: str = ""
    to_address: str = ""

    @model_validator(mode="after")
    def _legs(self) -> InlineTransaction:
        for leg in ("buy", "sell", "fee"):
            amount, asset = getattr(self, f"{leg}_amount"), getattr(self, f"{leg}_asset")
            if (amount is None) != (asset is None):
                raise ValueError(f"'{leg}_amount' and '{leg}_asset' go together")
            if amount is None and getattr(self, f"{leg}_eur") is not None:
                raise ValueError(f"'{leg}_eur' without a {leg} leg")
        if self.kind is Kind.TRANSFER and self.buy_amount is not None:
            problem = _transfer_problem(
                self.buy_amount, self.buy_asset or "", self.sell_amount, self.sell_asset
            )
            if problem:
                raise _KeyedError(*problem)
        return self

    def to_transaction(self, default_id: str) -> Transaction:
        def leg(name: str) -> Leg | None:
            amount = getattr(self, f"{name}_amount")
            if amount is None:
                return None
            return Leg(amount, getattr(self, f"{name}_asset"), getattr(self, f"{name}_eur"))

        return Transaction(
            id=self.id or default_id,
            time=self.time,
            kind=self.kind,
            wallet=self.wallet,
            buy=leg("buy"),
            sell=leg("sell"),
            fee=leg("fee"),
            income_type=self.income_type,
            to_wallet=self.to_wallet,
            group=self.group,
            comment=self.comment,
            txid=self.txid,
            chain=self.chain,
            contract=self.contract,
            from_address=self.from_address,
            to_address=self.to_address,
        )


class Restore(_Base):
    """Put back rows that were deleted since an earlier export, or one written out inline."""

    kind: Literal["restore"]
    from_file: Text | None = None
    timezone: Zone | None = None  # of times without offset in from_file (default: the command's)
    ids: TextList | None = None
    transaction: InlineTransaction | None = None

    @model_validator(mode="after")
    def _mode(self) -> Restore:
        if self.transaction is not None:
            if (self.from_file, self.ids, self.timezone) != (None,) * 3:
                raise ValueError("give either 'from_file'+'ids' or 'transaction', not both")
        elif self.from_file is None or self.ids is None:
            raise ValueError("give 'from_file' and 'ids' (or an inline 'transaction')")
        return self


class LinkTransfer(_Base):
    """Declare a withdrawal an own transfer: paired with a deposit, or to a named wallet."""

    kind: Literal["link_transfer"]
    withdrawal: Text
    deposit: Text | None = None
    to_wallet: Text | None = None
    amount: Amount | None = None
    time: Time | None = None
    chain: Text | None = None

    @model_validator(mode="after")
    def _mode(self) -> LinkTransfer:
        _exactly_one(self, ("deposit", "to_wallet"), "'deposit' or 'to_wallet'")
        if self.deposit is not None and (self.amount, self.time, self.chain) != (None,) * 3:
            raise ValueError("'amount', 'time' and 'chain' only go with 'to_wallet'")
        return self


class MergeExport(_Base):
    """Merge a fuller export of one wallet: rows already present are dropped, new ones added."""

    kind: Literal["merge_export"]
    file: Text
    wallet: Text
    duplicate_by: Literal["txid", "time_amount"] | None = None
    timezone: Zone | None = None  # of times without offset in file (default: the command's)


class Reclassify(_Base):
    """Change the kind (and income type) of rows named by id or txid."""

    kind: Literal["reclassify"]
    txids: TextList | None = None
    ids: TextList | None = None
    to_kind: Kind
    income_type: IncomeType | None = None

    @model_validator(mode="after")
    def _mode(self) -> Reclassify:
        _exactly_one(self, ("txids", "ids"), "'txids' or 'ids'")
        if self.to_kind is Kind.TRANSFER:
            raise ValueError("a transfer needs a receiving wallet: use kind = 'link_transfer'")
        if self.income_type is not None and self.to_kind is not Kind.INCOME:
            raise ValueError("'income_type' only goes with to_kind = 'income'")
        return self


class SetCostBasis(_Base):
    """A documented acquisition for (part of) an uncovered sale."""

    kind: Literal["set_cost_basis"]
    disposal: Text
    quantity: Amount
    acquired: Time
    cost: Amount


class GiftReceived(_Base):
    """A received gift takes over the giver's acquisition (§ 23 Abs. 1 S. 3 EStG)."""

    kind: Literal["gift_received"]
    transaction: Text  # id of the gift row (kind gift, buy leg)
    acquired: Time  # the giver's acquisition
    cost: Eur  # the giver's cost in EUR (incl. acquisition fees)


class ForkOrigin(_Base):
    """Hard-fork units take over the original units' acquisition dates and part of their cost
    (BMF 10.5.2022 Tz. 67/68, BMF 6.3.2025 Rz. 67/68)."""

    kind: Literal["fork_origin"]
    transaction: Text  # id of the row that credited the new units
    origin_asset: Asset  # the asset that was forked (e.g. BTC for BCH)
    # market value (EUR) of the original units held at the fork: splits their cost by market
    # values; without it the new units keep cost 0 and the original units their whole cost
    origin_value: Eur | None = None


class Delete(_Base):
    """Remove true duplicates by id."""

    kind: Literal["delete"]
    ids: TextList


Correction = Annotated[
    MarkScam
    | RenameTicker
    | AddInflow
    | Restore
    | LinkTransfer
    | MergeExport
    | Reclassify
    | SetCostBasis
    | GiftReceived
    | ForkOrigin
    | Delete,
    Field(discriminator="kind"),
]
_CORRECTION = TypeAdapter(Correction)
KINDS: dict[str, type[_Base]] = {
    "mark_scam": MarkScam,
    "rename_ticker": RenameTicker,
    "add_inflow": AddInflow,
    "restore": Restore,
    "link_transfer": LinkTransfer,
    "merge_export": MergeExport,
    "reclassify": Reclassify,
    "set_cost_basis": SetCostBasis,
    "gift_received": GiftReceived,
    "fork_origin": ForkOrigin,
    "delete": Delete,
}


class Meta(_Strict):
    client: str = ""
    author: str = ""
    created: str | date | datetime | None = None


@dataclass(frozen=True, slots=True)
class CorrectionSet:
    corrections: tuple[Correction, ...]
    meta: Meta = field(default_factory=Meta)
    file: str = "<corrections>"

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.corrections]
