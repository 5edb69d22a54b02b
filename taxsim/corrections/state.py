"""The ledger being corrected: rows by id, conflict bookkeeping, row lookups and checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from ..model import (
    Kind,
    Ledger,
    Leg,
    TaxsimError,
    Transaction,
)
from .audit import Action, AuditEntry, describe
from .schema import _Base, _transfer_problem

#: ``readers.read_ledger``-like: ``reader(path)`` or ``reader(path, timezone=…)``.
LedgerReader = Callable[..., Ledger]

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


_CHANGES = ("kind", "asset", "origin")


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

    def _record(
        self,
        c: _Base,
        action: str,
        tx_id: str,
        before: Transaction | None,
        after: Transaction | None,
        note: str = "",
        note_de: str = "",
    ) -> None:
        after_text = describe(after) + (f" | {note}" if note else "") if after else ""
        entry = AuditEntry(
            c.id, c.kind, action, tx_id, describe(before) if before else "", after_text,
            c.reason, before, after, note, note_de,
        )  # fmt: skip
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
                f"{'change' if aspect in _CHANGES else 'remove'} transaction '{tx_id}', "
                f"which {clash[1]} already {what}"
            )

    def remove(self, c: _Base, tx_id: str, aspect: str = "removed") -> None:
        self.check_touch(c, tx_id, aspect)
        tx = self.rows.pop(tx_id)
        self.removed[tx_id] = (tx, c.id)
        self._record(c, Action.REMOVED, tx_id, tx, None)

    def change(self, c: _Base, after: Transaction, aspect: str) -> None:
        self.check_touch(c, after.id, aspect)
        before = self.rows[after.id]
        self.rows[after.id] = after
        self.touched.setdefault(after.id, {})[aspect] = c.id
        self._record(c, Action.CHANGED, after.id, before, after)

    def add(self, c: _Base, tx: Transaction, note: str = "", note_de: str = "") -> None:
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
        self._record(c, Action.ADDED, tx.id, None, tx, note, note_de)

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
                from ..readers import read_ledger as reader
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
