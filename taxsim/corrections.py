"""The corrections file: what an adviser changes in a ledger, why, and the audit trail of it.

A corrections file is TOML (see ``docs/corrections.md``)::

    [meta]
    client = "Example"

    [[correction]]
    id = "C1"
    kind = "mark_scam"
    reason = "Fake USDC airdrop; contract is not Circle's"
    contract = "0xdead…"

Each ``[[correction]]`` is one decision of the adviser with its reason and evidence. Applying a
set of corrections never modifies the ledger given: it returns a *new* ledger plus an audit
entry for every row added, removed or changed and by which correction, so the corrected
figures can be traced back to the raw export line by line.

Design choices worth knowing (all documented in ``docs/corrections.md``):

* Amounts must be TOML strings or integers. A TOML float (``amount = 0.1``) is parsed by the
  TOML library into a binary float and has already lost precision, so it is refused.
* Corrections apply in file order. A correction that matches nothing is an error (a typo in an
  id must not silently leave a gap open), and so are two corrections that touch the same
  transaction in incompatible ways.
* Rows added by a correction get ids ``<correction id>:<n>``; restored rows keep their id.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .model import (
    ZERO,
    IncomeType,
    InputError,
    Kind,
    Ledger,
    Leg,
    TaxsimError,
    Transaction,
    plain_number,
    share,
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


# --------------------------------------------------------------------------------------------
# Loading


def load_corrections(path: Path | str) -> CorrectionSet:
    """Read and validate a corrections file; any problem is an InputError naming the spot."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, None, f"cannot read corrections file: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(str(path), data, exc) from None
    return loads_corrections(text, str(path))


def _not_utf8(file: str, data: bytes, exc: UnicodeDecodeError) -> InputError:
    """Where a file stops being UTF-8: line, character in the line, byte offset, the bytes."""
    start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)  # offsets after a BOM
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    bad = data[start : start + max(exc.end - exc.start, 1)].hex(" ")
    return InputError(
        file,
        line,
        None,
        f"the file is not UTF-8: byte {bad} at line {line}, character {column} (byte offset "
        f"{start}) cannot be read as UTF-8; expected a corrections file saved as UTF-8 (this "
        "happens with umlauts saved as Windows-1252 or Latin-1)",
    )


def loads_corrections(text: str, file: str = "<corrections>") -> CorrectionSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise InputError(file, line, None, f"not valid TOML: {exc}") from None
    return parse_corrections(data, file)


def parse_corrections(data: dict[str, Any], file: str = "<corrections>") -> CorrectionSet:
    """Validate already-parsed TOML data (also handy for building corrections in code)."""
    unknown = sorted(set(data) - {"meta", "correction"})
    if unknown:
        raise InputError(
            file, None, unknown[0], "unknown top-level key; expected [meta] and [[correction]]"
        )
    try:
        meta = Meta.model_validate(data.get("meta", {}))
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"]) or None
        raise InputError(file, None, f"meta.{key}", _message(error)) from None
    raw = data.get("correction", [])
    if not isinstance(raw, list):
        raise InputError(file, None, "correction", "expected [[correction]] tables")
    corrections: list[Correction] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(raw, start=1):
        corrections.append(_parse_one(item, number, file))
        cid = corrections[-1].id
        if cid in seen:
            raise InputError(
                file,
                None,
                "id",
                f"correction id '{cid}' is used twice (#{seen[cid]} and #{number})",
            )
        seen[cid] = number
    return CorrectionSet(tuple(corrections), meta, file)


def _parse_one(item: object, number: int, file: str) -> Correction:
    if not isinstance(item, dict):
        raise InputError(file, None, None, f"[[correction]] #{number}: expected a table")
    cid = item.get("id")
    label = f"correction '{cid}' (#{number})" if isinstance(cid, str) and cid else f"#{number}"
    kind = item.get("kind")
    if kind not in KINDS:
        raise InputError(
            file,
            None,
            "kind",
            f"{label}: expected kind to be one of {', '.join(KINDS)}, got {kind!r}",
        )
    label = f"correction '{cid}' (#{number}, {kind})" if isinstance(cid, str) else label
    try:
        return _CORRECTION.validate_python(item)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(p) for p in error["loc"][1:]]  # first element is the kind tag
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, _KeyedError):
            loc.append(cause.key)
        key = ".".join(loc) or None
        message = _message(error)
        if error["type"] == "extra_forbidden":
            known = _keys(KINDS[kind]) if len(loc) == 1 else _keys(InlineTransaction)
            message = f"unknown key; expected one of {', '.join(known)}"
        raise InputError(file, None, key, f"{label}: {message}") from None


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "required key is missing"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


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
    before: str  # summary of the row before ("" when added)
    after: str  # summary of the row after ("" when removed)
    reason: str


@dataclass(slots=True)
class Applied:
    ledger: Ledger
    audit: list[AuditEntry]
    by_correction: dict[str, list[AuditEntry]]


#: ``readers.read_ledger``-like: ``reader(path)`` or ``reader(path, timezone=…)``.
LedgerReader = Callable[..., Ledger]


def apply_corrections(
    ledger: Ledger,
    corrections: CorrectionSet,
    *,
    only: set[str] | None = None,
    exclude: set[str] | None = None,
    base_dir: Path,
    read_ledger: LedgerReader | None = None,
    timezone: str | None = None,
) -> Applied:
    """Apply the corrections in file order to a copy of ``ledger``.

    ``only``/``exclude`` pick corrections by id (the what-if analysis runs each one alone or
    leaves one out); an unknown id there is an error, not an empty selection. ``base_dir`` is
    where relative file names in the corrections are resolved (the corrections file's folder).
    ``read_ledger`` defaults to ``taxsim.readers.read_ledger``. ``timezone`` is the command's
    ``--timezone`` (the CoinTracking account's time zone the ledger was read in): the files a
    ``restore``/``merge_export`` reads are read in it too, unless the correction names its own
    ``timezone`` (which wins); without either they get the reader's default (Europe/Berlin).
    """
    if timezone is not None:
        try:
            _zone(timezone)
        except ValueError as exc:
            raise TaxsimError(f"--timezone: {exc}") from None
    known = set(corrections.ids)
    for name, chosen in (("only", only), ("exclude", exclude)):
        missing = sorted((chosen or set()) - known)
        if missing:
            raise TaxsimError(f"--{name}: no correction with id {', '.join(missing)}")
    state = _State(ledger, base_dir, read_ledger, timezone)
    for correction in corrections.corrections:
        if only is not None and correction.id not in only:
            continue
        if exclude is not None and correction.id in exclude:
            continue
        state.by_correction[correction.id] = []
        _APPLY[correction.kind](state, correction)
    return Applied(
        Ledger(list(state.rows.values()), list(ledger.files) + state.files, ledger.format),
        state.audit,
        state.by_correction,
    )


_SAME_TIME = timedelta(seconds=1)
#: Group of the rows ``add_inflow`` writes as a EUR purchase (a deposit at its cost basis).
ADD_INFLOW_GROUP = "taxsim:add_inflow"
#: Group of the EUR purchase ``set_cost_basis`` writes for a documented acquisition.
SET_COST_BASIS_GROUP = "taxsim:set_cost_basis"


def _signature(tx: Transaction) -> tuple[str, str, str, str, str, str]:
    """What makes two rows "the same": wallet, kind and the buy/sell legs (time compared apart).
    A deposit ``add_inflow`` wrote as a EUR purchase counts as the deposit it stands for (its
    EUR leg is a counter-entry), so adding or merging that inflow again is still caught."""

    def leg(leg: Leg | None) -> tuple[str, str]:
        return ("", "") if leg is None else (leg.asset, str(leg.amount.normalize()))

    if tx.group == ADD_INFLOW_GROUP and tx.kind is Kind.TRADE:
        return (tx.wallet, Kind.DEPOSIT.value, *leg(tx.buy), *leg(None))
    return (tx.wallet, tx.kind.value, *leg(tx.buy), *leg(tx.sell))


class _Rows:
    """The ledger's rows by id while corrections work on them, in ledger order (added rows at
    the end). The ledger's list is not copied: rows changed or removed are kept by position,
    added rows apart; the id index is the reader's (``Ledger.positions``) where it has one, so
    a million-row ledger is not hashed again for a few hundred corrections."""

    def __init__(self, ledger: Ledger) -> None:
        self._base = ledger.transactions
        positions = ledger.positions
        if positions is None or len(positions) != len(self._base):
            positions = _positions(self._base)
        self._positions = positions
        self._changed: dict[int, Transaction | None] = {}  # position → row now; None: removed
        self._added: dict[str, Transaction] = {}

    def _position(self, tx_id: str) -> int | None:
        pos = self._positions.get(tx_id)
        if pos is not None and self._base[pos].id != tx_id:  # a stale hint: index afresh
            self._positions = _positions(self._base)
            pos = self._positions.get(tx_id)
        return pos

    def get(self, tx_id: str) -> Transaction | None:
        tx = self._added.get(tx_id)
        if tx is not None:
            return tx
        pos = self._position(tx_id)
        if pos is None:
            return None
        return self._changed[pos] if pos in self._changed else self._base[pos]

    def __contains__(self, tx_id: str) -> bool:
        return self.get(tx_id) is not None

    def __getitem__(self, tx_id: str) -> Transaction:
        tx = self.get(tx_id)
        if tx is None:
            raise KeyError(tx_id)
        return tx

    def __setitem__(self, tx_id: str, tx: Transaction) -> None:
        """Change a present row in place, or add a new one at the end."""
        pos = None if tx_id in self._added else self._position(tx_id)
        if pos is None or self._changed.get(pos, self._base[pos]) is None:
            self._added[tx_id] = tx
        else:
            self._changed[pos] = tx

    def pop(self, tx_id: str) -> Transaction:
        tx = self[tx_id]
        if tx_id in self._added:
            del self._added[tx_id]
        else:
            self._changed[self._position(tx_id)] = None  # type: ignore[index]
        return tx

    def values(self) -> list[Transaction]:
        """The rows now, in ledger order, then the added ones."""
        rows: list[Transaction | None] = list(self._base)
        for pos, tx in self._changed.items():
            rows[pos] = tx
        if None in self._changed.values():
            rows = [tx for tx in rows if tx is not None]
        return [*rows, *self._added.values()]  # type: ignore[list-item]


def _positions(txs: list[Transaction]) -> dict[str, int]:
    """Each id's position; a ledger's ids must be unique."""
    positions = {tx.id: i for i, tx in enumerate(txs)}
    if len(positions) != len(txs):  # find the first repeated id for the message
        seen: set[str] = set()
        for tx in txs:
            if tx.id in seen:
                raise TaxsimError(f"ledger has two transactions with id '{tx.id}'")
            seen.add(tx.id)
    return positions


class _State:
    """The ledger being corrected plus what each correction did to which row (for conflicts)."""

    def __init__(
        self, ledger: Ledger, base_dir: Path, reader: LedgerReader | None, timezone: str | None
    ) -> None:
        self.rows = _Rows(ledger)
        self.base_dir = base_dir
        self.reader = reader
        self.timezone = timezone  # the command's; a correction's own ``timezone`` wins
        self.files: list[str] = []
        self.audit: list[AuditEntry] = []
        self.by_correction: dict[str, list[AuditEntry]] = {}
        self.removed: dict[str, tuple[Transaction, str]] = {}  # id → (row, correction id)
        self.touched: dict[str, dict[str, str]] = {}  # id → aspect → correction id
        self.added: dict[tuple[str, ...], list[tuple[Transaction, str]]] = {}
        self.covered: dict[str, list[tuple[Decimal, str]]] = {}  # set_cost_basis per disposal
        self.counter: dict[str, int] = {}

    # -- bookkeeping ------------------------------------------------------------------------

    def _record(self, c: _Base, action: str, tx_id: str, before: str, after: str) -> None:
        entry = AuditEntry(c.id, c.kind, action, tx_id, before, after, c.reason)
        self.audit.append(entry)
        self.by_correction[c.id].append(entry)

    def new_id(self, c: _Base) -> str:
        self.counter[c.id] = self.counter.get(c.id, 0) + 1
        return f"{c.id}:{self.counter[c.id]}"

    def check_touch(self, c: _Base, tx_id: str, aspect: str) -> None:
        """Conflict rules: removing undoes any earlier change or addition; merging a deposit
        into a transfer row (``merged``) only clashes with an earlier kind change; a change
        clashes with an earlier change of the same aspect (``asset`` or ``kind``)."""
        earlier = {a: by for a, by in self.touched.get(tx_id, {}).items() if by != c.id}
        if aspect == "removed":
            clash = next(iter(earlier.items()), None)
        elif aspect == "merged":
            clash = ("kind", earlier["kind"]) if "kind" in earlier else None
        else:
            clash = (aspect, earlier[aspect]) if aspect in earlier else None
        if clash is not None:
            what = "added" if clash[0] == "added" else f"changed ({clash[0]})"
            raise TaxsimError(
                f"corrections {clash[1]} and {c.id} conflict: {c.id} ({c.kind}) would "
                f"{'change' if aspect in ('kind', 'asset') else 'remove'} transaction '{tx_id}', "
                f"which {clash[1]} already {what}"
            )

    def remove(self, c: _Base, tx_id: str, aspect: str = "removed") -> None:
        self.check_touch(c, tx_id, aspect)
        tx = self.rows.pop(tx_id)
        self.removed[tx_id] = (tx, c.id)
        self._record(c, Action.REMOVED, tx_id, describe(tx), "")

    def change(self, c: _Base, after: Transaction, aspect: str) -> None:
        self.check_touch(c, after.id, aspect)
        before = self.rows[after.id]
        self.rows[after.id] = after
        self.touched.setdefault(after.id, {})[aspect] = c.id
        self._record(c, Action.CHANGED, after.id, describe(before), describe(after))

    def add(self, c: _Base, tx: Transaction, note: str = "") -> None:
        """Add ``tx``; ``note`` is appended to its audit summary (what the row stands for when
        its form differs from what the correction describes)."""
        if tx.id in self.removed:
            by = self.removed[tx.id][1]
            raise TaxsimError(
                f"corrections {by} and {c.id} conflict: {c.id} ({c.kind}) adds transaction "
                f"'{tx.id}', which {by} removed"
            )
        if tx.id in self.rows:
            by = self.touched.get(tx.id, {}).get("added")
            if by is not None and by != c.id:
                raise TaxsimError(
                    f"corrections {by} and {c.id} conflict: both add transaction '{tx.id}'"
                )
            raise TaxsimError(
                f"correction {c.id} ({c.kind}): transaction id '{tx.id}' is already "
                "in the ledger; ids must stay unique"
            )
        for other, by in self.added.get(_signature(tx), []):
            if by != c.id and abs(other.time - tx.time) <= _SAME_TIME:
                raise TaxsimError(
                    f"corrections {by} and {c.id} conflict: both add the same row "
                    f"({describe(tx)}; {by} added it as '{other.id}')"
                )
        self.rows[tx.id] = tx
        self.touched.setdefault(tx.id, {})["added"] = c.id
        self.added.setdefault(_signature(tx), []).append((tx, c.id))
        self._record(c, Action.ADDED, tx.id, "", describe(tx) + (f" | {note}" if note else ""))

    # -- finding rows -----------------------------------------------------------------------

    def get(self, c: _Base, tx_id: str, role: str = "transaction") -> Transaction:
        """A row named by id; naming a row removed by an earlier correction is a conflict."""
        if tx_id in self.removed:
            by = self.removed[tx_id][1]
            raise TaxsimError(
                f"corrections {by} and {c.id} conflict: {c.id} ({c.kind}) names {role} "
                f"'{tx_id}', which {by} removed"
            )
        if tx_id not in self.rows:
            raise _nothing(c, f"{role} id '{tx_id}' is not in the ledger")
        return self.rows[tx_id]

    def select(self, c: _Base, test: Callable[[Transaction], bool], what: str) -> list[Transaction]:
        """Rows matching ``test``; matching a row an earlier correction removed is a conflict."""
        for tx, by in self.removed.values():
            if by != c.id and test(tx):
                raise TaxsimError(
                    f"corrections {by} and {c.id} conflict: {c.id} ({c.kind}) matches "
                    f"transaction '{tx.id}', which {by} removed"
                )
        found = [tx for tx in self.rows.values() if test(tx)]
        if not found:
            raise _nothing(c, f"no transaction with {what}")
        return found

    def by_txids(self, c: _Base, txids: Iterable[str]) -> list[Transaction]:
        found: list[Transaction] = []
        for txid in txids:
            found += self.select(c, lambda tx, t=txid: tx.txid == t, f"txid '{txid}'")
        return found

    def read(self, c: _Base, name: str, timezone: str | None) -> tuple[Path, Ledger]:
        path = Path(name) if Path(name).is_absolute() else self.base_dir / name
        if not path.is_file():
            raise TaxsimError(f"correction {c.id} ({c.kind}): file not found: {path}")
        reader = self.reader
        if reader is None:
            try:
                from .readers import read_ledger as reader
            except ModuleNotFoundError:
                raise TaxsimError(
                    f"correction {c.id} ({c.kind}): reading {path} needs taxsim.readers"
                ) from None
        self.files.append(str(path))
        zone = timezone or self.timezone
        return path, reader(path) if zone is None else reader(path, timezone=zone)


def _nothing(c: _Base, detail: str) -> TaxsimError:
    return TaxsimError(f"correction {c.id} ({c.kind}) matches no transaction: {detail}")


def _in_period(tx: Transaction, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or tx.time >= start) and (end is None or tx.time <= end)


def _legs(tx: Transaction) -> list[Leg]:
    return [leg for leg in (tx.buy, tx.sell, tx.fee) if leg is not None]


def _check_legs(c: _Base, tx: Transaction) -> None:
    """The legs a kind needs (docs/canonical-csv.md); a mismatch would confuse the engine."""
    needs = {
        Kind.DEPOSIT: ("buy", "no sell"),
        Kind.INCOME: ("buy", "no sell"),
        Kind.WITHDRAWAL: ("sell", "no buy"),
        Kind.SPEND: ("sell", "no buy"),
        Kind.LOST: ("sell", "no buy"),
        Kind.STOLEN: ("sell", "no buy"),
        Kind.TRANSFER: ("buy", "sell"),
    }
    problem = ""
    if tx.kind is Kind.DERIVATIVE:  # any legs (docs/formats.md, margin and derivatives)
        pass
    elif tx.kind is Kind.TRADE or tx.kind is Kind.GIFT:
        if tx.buy is None and tx.sell is None:
            problem = "needs a buy or a sell leg"
        elif tx.kind is Kind.GIFT and tx.buy is not None and tx.sell is not None:
            problem = "is either received (buy leg) or given (sell leg), not both"
    else:
        for need in needs[tx.kind]:
            negate = need.startswith("no ")
            has = getattr(tx, need.removeprefix("no ")) is not None
            if has == negate:
                problem = f"needs {'no ' if negate else 'a '}{need.removeprefix('no ')} leg"
                break
    if tx.kind is Kind.INCOME and tx.income_type is None:
        problem = "needs an income_type"
    if tx.kind is Kind.TRANSFER and not tx.to_wallet:
        problem = "needs a to_wallet"
    if tx.kind is Kind.TRANSFER and tx.buy is not None and tx.sell is not None:
        swap = _transfer_problem(tx.buy.amount, tx.buy.asset, tx.sell.amount, tx.sell.asset)
        if swap:
            problem = f"is refused ({swap[0]}): {swap[1]}"
    if problem:
        raise TaxsimError(
            f"correction {c.id} ({c.kind}): transaction '{tx.id}' as {tx.kind.value} {problem}"
        )


# -- one function per kind --------------------------------------------------------------------


def _mark_scam(state: _State, c: MarkScam) -> None:
    if c.contract is not None:

        def test(tx: Transaction) -> bool:
            return tx.contract.lower() == c.contract and (c.chain is None or tx.chain == c.chain)

        what = f"contract '{c.contract}'" + (f" on chain '{c.chain}'" if c.chain else "")
        rows = state.select(c, test, what)
    elif c.txids is not None:
        rows = state.by_txids(c, c.txids)
    else:

        def test(tx: Transaction) -> bool:
            return (
                tx.wallet == c.wallet
                and any(leg.asset == c.asset for leg in _legs(tx))
                and _in_period(tx, c.from_, c.to)
            )

        rows = state.select(c, test, f"asset '{c.asset}' in wallet '{c.wallet}' in the period")
    for tx in rows:
        if tx.id in state.rows:  # txids may name one row twice
            state.remove(c, tx.id)


def _rename_ticker(state: _State, c: RenameTicker) -> None:
    txids = set(c.txids or ())

    def test(tx: Transaction) -> bool:
        return (
            any(leg.asset == c.from_asset for leg in _legs(tx))
            and (c.contract is None or tx.contract.lower() == c.contract)
            and (c.wallet is None or tx.wallet == c.wallet or tx.to_wallet == c.wallet)
            and (not txids or tx.txid in txids)
            and _in_period(tx, c.from_, c.to)
        )

    rows = state.select(c, test, f"a '{c.from_asset}' leg in the given scope")
    unmatched = sorted(txids - {tx.txid for tx in rows})
    if unmatched:
        raise _nothing(c, f"no '{c.from_asset}' leg in scope with txid '{unmatched[0]}'")

    def rename(leg: Leg | None) -> Leg | None:
        return Leg(leg.amount, c.to_asset, leg.eur) if leg and leg.asset == c.from_asset else leg

    for tx in rows:
        state.change(
            c, tx.with_(buy=rename(tx.buy), sell=rename(tx.sell), fee=rename(tx.fee)), "asset"
        )


def _add_inflow(state: _State, c: AddInflow) -> None:
    inflow = Leg(c.amount, c.asset, c.eur)
    if c.counterpart_txid is not None:
        _complete_swap(state, c, inflow)
        return
    assert c.time is not None  # checked by the model
    if c.tx_kind == "deposit" and c.eur > ZERO:
        _deposit_at_cost(state, c, inflow)
        return
    sell = None
    if c.sell_amount is not None and c.sell_asset is not None:
        sell = Leg(c.sell_amount, c.sell_asset, c.sell_eur)
    tx = Transaction(
        id=state.new_id(c),
        time=c.time,
        kind=Kind(c.tx_kind),
        wallet=c.wallet,
        buy=inflow,
        sell=sell,
        income_type=c.income_type,
        txid=c.txid or "",
    )
    state.add(c, tx)


def _deposit_at_cost(state: _State, c: AddInflow, inflow: Leg) -> None:
    """A missing inflow with its cost basis ``eur``: written as a purchase of the units for
    ``eur`` EUR (as ``set_cost_basis`` does), because the engines take no cost from a deposit
    row — a deposit without a matching withdrawal enters at cost 0 (a "ghost" lot), which
    would leave the fictitious gain in place while the negative balance disappears.

    The EUR leg is a counter-entry, not a payment: the group ``taxsim:add_inflow`` marks the
    row in the corrected ledger, and the audit trail says what was added and why it reads as
    a trade.
    """
    assert c.time is not None
    tx = Transaction(
        id=state.new_id(c),
        time=c.time,
        kind=Kind.TRADE,
        wallet=c.wallet,
        buy=inflow,
        sell=Leg(c.eur, "EUR", c.eur),
        txid=c.txid or "",
        group=ADD_INFLOW_GROUP,
    )
    state.add(
        c,
        tx,
        note=(
            f"deposit of {_num(c.amount)} {c.asset} at cost basis EUR {_num(c.eur)}, written "
            "as a purchase for EUR so that the tax engines book that cost (the EUR leg is a "
            "counter-entry, not a payment)"
        ),
    )


def _complete_swap(state: _State, c: AddInflow, inflow: Leg) -> None:
    """Counterpart + inflow → one trade row (a swap if the sold asset is crypto).

    The one-sided row keeps its id, time, fee and txid; only the buy leg is filled in and the
    kind becomes ``trade``, so the engine sees a disposal of the sold asset against the
    received one instead of a withdrawal to nowhere plus a gap.
    """
    rows = state.by_txids(c, [c.counterpart_txid or ""])
    one_sided = [tx for tx in rows if tx.sell is not None and tx.buy is None]
    if len(one_sided) != 1:
        raise TaxsimError(
            f"correction {c.id} (add_inflow): txid '{c.counterpart_txid}' should name exactly "
            f"one row with a sell leg and no buy leg, found {len(one_sided)} among "
            f"{', '.join(tx.id for tx in rows)}"
        )
    counterpart = one_sided[0]
    if counterpart.wallet != c.wallet:
        raise TaxsimError(
            f"correction {c.id} (add_inflow): the counterpart '{counterpart.id}' is in wallet "
            f"'{counterpart.wallet}', not '{c.wallet}'; a swap happens in one wallet"
        )
    if c.time is not None and abs(c.time - counterpart.time) > timedelta(minutes=10):
        raise TaxsimError(
            f"correction {c.id} (add_inflow): time {c.time.isoformat()} is more than 10 minutes "
            f"from the counterpart '{counterpart.id}' ({counterpart.time.isoformat()}); the "
            "swap row takes the counterpart's time — is the txid right?"
        )
    state.change(c, counterpart.with_(kind=Kind.TRADE, buy=inflow, income_type=None), "kind")


def _restore(state: _State, c: Restore) -> None:
    if c.transaction is not None:
        restored = [c.transaction.to_transaction(state.new_id(c))]
    else:
        path, previous = state.read(c, c.from_file or "", c.timezone)
        index = {tx.id: tx for tx in previous.transactions}
        restored = []
        for tx_id in c.ids or ():
            if tx_id not in index:
                raise _nothing(c, f"id '{tx_id}' not in previous export {path}")
            restored.append(index[tx_id])
    for tx in restored:
        _check_legs(c, tx)
        if tx.id in state.rows and state.touched.get(tx.id, {}).get("added") is None:
            raise TaxsimError(
                f"correction {c.id} (restore): transaction '{tx.id}' is still in the ledger; "
                "there is nothing to restore"
            )
        for other in state.rows.values():
            same = _signature(other) == _signature(tx) and abs(other.time - tx.time) <= _SAME_TIME
            if same and other.id != tx.id and "added" not in state.touched.get(other.id, {}):
                raise TaxsimError(
                    f"correction {c.id} (restore): '{tx.id}' looks like '{other.id}', which is "
                    f"in the ledger ({describe(other)}); restoring it would count it twice"
                )
        state.add(c, tx)


def _link_transfer(state: _State, c: LinkTransfer) -> None:
    """Withdrawal (+ deposit) → one ``transfer`` row with the withdrawal's id, time and fee."""
    out = state.get(c, c.withdrawal, "withdrawal")
    state.check_touch(c, out.id, "kind")  # report conflicts before kind mismatches
    if out.kind is not Kind.WITHDRAWAL or out.sell is None or out.buy is not None:
        raise TaxsimError(
            f"correction {c.id} (link_transfer): '{out.id}' is a {out.kind.value}, "
            "not a withdrawal with a sell leg"
        )
    if c.deposit is not None:
        into = state.get(c, c.deposit, "deposit")
        state.check_touch(c, into.id, "merged")
        if into.kind is not Kind.DEPOSIT or into.buy is None or into.sell is not None:
            raise TaxsimError(
                f"correction {c.id} (link_transfer): '{into.id}' is a {into.kind.value}, "
                "not a deposit with a buy leg"
            )
        if into.buy.asset != out.sell.asset:
            raise TaxsimError(
                f"correction {c.id} (link_transfer): withdrawal '{out.id}' moves "
                f"{out.sell.asset} but deposit '{into.id}' receives {into.buy.asset}; "
                "rename one of them first (rename_ticker)"
            )
        if into.fee is not None:
            raise TaxsimError(
                f"correction {c.id} (link_transfer): deposit '{into.id}' has a fee, which a "
                "single transfer row cannot carry; move it into a separate row first"
            )
        if into.buy.amount > out.sell.amount:
            raise TaxsimError(
                f"correction {c.id} (link_transfer): deposit '{into.id}' receives "
                f"{into.buy.amount} {into.buy.asset}, more than the {out.sell.amount} withdrawn "
                f"in '{out.id}'; an own transfer cannot create units (check the amounts; units "
                "from elsewhere are an add_inflow)"
            )
        state.remove(c, into.id, "merged")
        after = out.with_(kind=Kind.TRANSFER, buy=into.buy, to_wallet=into.wallet)
    else:
        received = c.amount if c.amount is not None else out.sell.amount
        if received > out.sell.amount:
            raise TaxsimError(
                f"correction {c.id} (link_transfer): amount {received} is more than the "
                f"{out.sell.amount} {out.sell.asset} withdrawn in '{out.id}'"
            )
        eur = out.sell.eur
        if eur is not None and received != out.sell.amount:
            eur = share(eur, received, out.sell.amount)
        after = out.with_(
            kind=Kind.TRANSFER, buy=Leg(received, out.sell.asset, eur), to_wallet=c.to_wallet
        )
    state.change(c, after, "kind")


def _merge_export(state: _State, c: MergeExport) -> None:
    path, export = state.read(c, c.file, c.timezone)
    for tx in export.transactions:
        if tx.wallet != c.wallet:
            where = f" ({tx.source})" if tx.source else ""
            raise TaxsimError(
                f"correction {c.id} (merge_export): {path} has row '{tx.id}'{where} in wallet "
                f"'{tx.wallet}', not '{c.wallet}'; merge one wallet's export at a time"
            )
    # Rows an earlier correction removed count as present too: re-adding them from the
    # export would undo that correction, which is reported as a conflict below.
    removed = {tx.id: by for tx, by in state.removed.values() if tx.wallet == c.wallet}
    present = [tx for tx in state.rows.values() if tx.wallet == c.wallet]
    present += [tx for tx, _ in state.removed.values() if tx.id in removed]
    by_txid: dict[str, list[Transaction]] = {}
    by_sig: dict[tuple[str, ...], list[Transaction]] = {}
    for tx in present:
        if tx.txid:
            by_txid.setdefault(tx.txid, []).append(tx)
        by_sig.setdefault(_signature(tx), []).append(tx)
    used: set[str] = set()

    def duplicate_of(tx: Transaction) -> Transaction | None:
        if c.duplicate_by != "time_amount" and tx.txid:
            candidates = [o for o in by_txid.get(tx.txid, []) if o.id not in used]
            same = [o for o in candidates if _signature(o) == _signature(tx)]
            if same or candidates:
                return (same or candidates)[0]
        if c.duplicate_by == "txid":
            return None
        for other in by_sig.get(_signature(tx), []):
            if other.id not in used and abs(other.time - tx.time) <= _SAME_TIME:
                return other
        return None

    new = 0
    for tx in export.transactions:
        twin = duplicate_of(tx)
        if twin is None:
            state.add(c, tx.with_(id=state.new_id(c)))
            new += 1
            continue
        by = removed.get(twin.id) or state.touched.get(twin.id, {}).get("added")
        if by is not None:
            verb = "removed" if twin.id in removed else "added"
            raise TaxsimError(
                f"corrections {by} and {c.id} conflict: {c.id} (merge_export) would add "
                f"{describe(tx)} again, which {by} {verb} as '{twin.id}'"
            )
        used.add(twin.id)
    if new == 0:
        raise _nothing(
            c, f"all {len(export.transactions)} rows of {path} are already in the ledger"
        )


def _reclassify(state: _State, c: Reclassify) -> None:
    if c.ids is not None:
        rows = [state.get(c, tx_id) for tx_id in c.ids]
    else:
        rows = state.by_txids(c, c.txids or ())
    for tx in {tx.id: tx for tx in rows}.values():
        income_type = (c.income_type or tx.income_type) if c.to_kind is Kind.INCOME else None
        after = tx.with_(kind=c.to_kind, income_type=income_type)
        state.check_touch(c, tx.id, "kind")  # report conflicts before leg mismatches
        _check_legs(c, after)
        state.change(c, after, "kind")


def _set_cost_basis(state: _State, c: SetCostBasis) -> None:
    """A documented purchase: a trade buying ``quantity`` for ``cost`` EUR before the sale.

    Written as a fiat trade (not a deposit) because a deposit carries no cost basis; its group
    ``taxsim:set_cost_basis`` marks it as added by taxsim in the re-imported ledger.
    """
    sale = state.get(c, c.disposal, "disposal")
    if sale.sell is None or sale.sell.is_fiat:
        raise TaxsimError(
            f"correction {c.id} (set_cost_basis): '{sale.id}' does not sell a crypto-asset"
        )
    if c.acquired >= sale.time:
        raise TaxsimError(
            f"correction {c.id} (set_cost_basis): acquired {c.acquired.isoformat()} is not "
            f"before the disposal '{sale.id}' ({sale.time.isoformat()})"
        )
    earlier = state.covered.setdefault(sale.id, [])
    total = c.quantity + sum((q for q, _ in earlier), ZERO)
    if total > sale.sell.amount:
        others = ", ".join(cid for _, cid in earlier)
        prefix = f"corrections {others} and {c.id} conflict: " if others else f"{c.id}: "
        raise TaxsimError(
            f"{prefix}documented acquisitions of {total} {sale.sell.asset} exceed the "
            f"{sale.sell.amount} sold in '{sale.id}'"
        )
    earlier.append((c.quantity, c.id))
    fiat = "EUR"
    tx = Transaction(
        id=state.new_id(c),
        time=c.acquired,
        kind=Kind.TRADE,
        wallet=sale.wallet,
        buy=Leg(c.quantity, sale.sell.asset, c.cost),
        sell=Leg(c.cost, fiat, c.cost),
        group=SET_COST_BASIS_GROUP,
    )
    state.add(c, tx)


def _delete(state: _State, c: Delete) -> None:
    for tx_id in dict.fromkeys(c.ids):
        state.get(c, tx_id)
        state.remove(c, tx_id)


_APPLY: dict[str, Callable[[_State, Any], None]] = {
    "mark_scam": _mark_scam,
    "rename_ticker": _rename_ticker,
    "add_inflow": _add_inflow,
    "restore": _restore,
    "link_transfer": _link_transfer,
    "merge_export": _merge_export,
    "reclassify": _reclassify,
    "set_cost_basis": _set_cost_basis,
    "delete": _delete,
}


# --------------------------------------------------------------------------------------------
# Presentation helpers


def _num(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _leg(sign: str, leg: Leg) -> str:
    eur = f" (EUR {_num(leg.eur)})" if leg.eur is not None else ""
    return f"{sign}{_num(leg.amount)} {leg.asset}{eur}"


def describe(tx: Transaction) -> str:
    """One-line summary of a row for the audit trail (exact amounts, time in UTC)."""
    kind = tx.kind.value + (f"/{tx.income_type.value}" if tx.income_type else "")
    wallet = tx.wallet + (f" -> {tx.to_wallet}" if tx.to_wallet else "")
    parts = [tx.time.strftime("%Y-%m-%dT%H:%M:%SZ"), kind, wallet]
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
    return " | ".join(parts)
