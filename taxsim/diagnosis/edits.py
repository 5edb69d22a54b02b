"""Manual edits: a full diff of the ledger against an earlier export of the same account.

Rows are matched by Tx-ID (a real one: ids a reader made up from the file name and row number
move when a row is deleted and are never matched), else by the fingerprint wallet, kind, time
and legs (asset and amount). An old and a new row left over in the same wallet are one edited
row when they differ in one aspect — the type (same time and legs), the amounts or values
(same time, kind and assets), or the date (same kind and legs, within ``date_days``) — or in
several but share the wallet and the second (type and amount edited together).
What remains of the old export was deleted; what remains of the new one and is dated within the
old export's period was added by hand (later rows are ordinary new history)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from ..model import ZERO, Transaction
from .balances import effects
from .registry import Candidate, Gap, gap_detector, row_detector
from .results import Cause, Confidence, Correction, Evidence, Priority, RowFinding
from .text import _num, describe
from .view import BalanceView

_ROW_ID = re.compile(r"^.+:\d+\+*$")  # "<file stem>:<row>": made up by a reader


@dataclass(slots=True)
class Change:
    change: str  # deleted | added | type_changed | amount_changed | value_changed | date_changed
    old: Transaction | None
    new: Transaction | None

    @property
    def row(self) -> Transaction:
        row = self.new or self.old
        assert row is not None
        return row


def _legs(tx: Transaction) -> tuple:
    return tuple((lg.asset, lg.amount) if lg else None for lg in (tx.buy, tx.sell, tx.fee))


def _assets(tx: Transaction) -> tuple:
    return tuple(lg.asset if lg else None for lg in (tx.buy, tx.sell, tx.fee))


def _values(tx: Transaction) -> tuple:
    return tuple(lg.eur if lg else None for lg in (tx.buy, tx.sell, tx.fee))


def _fingerprint(tx: Transaction) -> tuple:
    return (tx.wallet, tx.to_wallet, tx.kind, tx.income_type, tx.time, _legs(tx))


def _aspects(old: Transaction, new: Transaction) -> list[str]:
    out = []
    if (old.kind, old.income_type) != (new.kind, new.income_type):
        out.append("type_changed")
    if _legs(old) != _legs(new):
        out.append("amount_changed")
    old_values, new_values = _values(old), _values(new)
    if old_values != new_values and any(old_values) and any(new_values):
        out.append("value_changed")
    if old.time != new.time:
        out.append("date_changed")
    if (old.wallet, old.to_wallet) != (new.wallet, new.to_wallet):
        out.append("wallet_changed")
    return out


def diff(previous: list[Transaction], current: list[Transaction], date_days: int) -> list[Change]:
    """The changes from ``previous`` to ``current`` (both in processing order)."""
    changes: list[Change] = []
    cur_by_id = {tx.id: tx for tx in current if not _ROW_ID.match(tx.id)}
    cur_by_txid: dict[str, list[Transaction]] = {}
    for tx in current:
        if tx.txid:
            cur_by_txid.setdefault(tx.txid, []).append(tx)
    matched: set[str] = set()
    old_left: list[Transaction] = []
    for old in previous:
        new = cur_by_id.get(old.id) if not _ROW_ID.match(old.id) else None
        if new is None and old.txid:
            same = [
                t for t in cur_by_txid.get(old.txid, ())
                if t.id not in matched and t.wallet == old.wallet and _assets(t) == _assets(old)
            ]  # fmt: skip
            if len(same) == 1:
                new = same[0]
        if new is None or new.id in matched:
            old_left.append(old)
            continue
        matched.add(new.id)
        aspects = _aspects(old, new)
        if aspects:
            changes.append(Change(",".join(aspects), old, new))
    end = previous[-1].time if previous else None
    new_left = [tx for tx in current if tx.id not in matched]
    # exact fingerprints: the same row under another (made-up) id
    by_print: dict[tuple, list[Transaction]] = {}
    for tx in new_left:
        by_print.setdefault(_fingerprint(tx), []).append(tx)
    still_old = []
    for old in old_left:
        same = by_print.get(_fingerprint(old))
        if same:
            matched.add(same.pop(0).id)
        else:
            still_old.append(old)
    new_left = [tx for tx in new_left if tx.id not in matched]
    # one aspect changed: type / amounts or values / date
    keys = (
        ("type_changed", lambda t: (t.wallet, t.time, _legs(t))),
        ("amount_changed", lambda t: (t.wallet, t.kind, t.time, _assets(t))),
        ("date_changed", lambda t: (t.wallet, t.kind, t.income_type, _legs(t))),
        # last: several aspects changed, but the same wallet at the same second
        ("changed", lambda t: (t.wallet, t.time)),
    )
    window = timedelta(days=date_days)
    for _name, key in keys:
        index: dict[tuple, list[Transaction]] = {}
        for tx in new_left:
            if tx.id not in matched and (end is None or tx.time <= end + window):
                index.setdefault(key(tx), []).append(tx)
        rest = []
        for old in still_old:
            candidates = [t for t in index.get(key(old), ()) if t.id not in matched]
            candidates = [t for t in candidates if abs(t.time - old.time) <= window]
            if not candidates:
                rest.append(old)
                continue
            new = min(candidates, key=lambda t: abs(t.time - old.time))
            matched.add(new.id)
            changes.append(Change(",".join(_aspects(old, new)) or "amount_changed", old, new))
        still_old = rest
    changes += [Change("deleted", old, None) for old in still_old]
    if end is not None:
        changes += [
            Change("added", None, tx) for tx in current if tx.id not in matched and tx.time <= end
        ]
    changes.sort(key=lambda c: (c.row.time, c.row.id))
    return changes


def changes(view: BalanceView) -> list[Change]:
    """The diff, computed once per diagnosis (empty without a previous export)."""
    if "edits" not in view.memo:
        view.memo["edits"] = (
            diff(view.previous_ordered, view.ordered, view.settings.edits.date_days)
            if view.previous is not None
            else []
        )
    return view.memo["edits"]  # type: ignore[return-value]


def _effect(tx: Transaction | None, wallet: str, asset: str) -> Decimal:
    return effects(tx).get((wallet, asset), ZERO) if tx is not None else ZERO


def _text(c: Change, source: str) -> str:
    if c.change == "deleted":
        return f"{describe(c.row)} is in the previous export {source} but no longer in the ledger"
    if c.change == "added":
        return (
            f"{describe(c.row)} is dated within the previous export's period but not in "
            f"{source}: added by hand"
        )
    assert c.old is not None and c.new is not None
    return (
        f"{c.new.id} was changed by hand since {source} ({c.change.replace(',', ', ')}): "
        f"before {describe(c.old)}; now {describe(c.new)}"
    )


def _corrections(c: Change, view: BalanceView) -> list[Correction]:
    if c.change == "deleted":
        assert c.old is not None
        return [Correction("restore", [("from_file", "@previous"), ("ids", [c.old.id])])]
    if c.change == "added":
        assert c.new is not None
        return [
            Correction(
                "delete",
                [("ids", [c.new.id])],
                ["TODO: delete only if the row is not a real transaction added later"],
            )
        ]
    assert c.old is not None and c.new is not None
    if c.change == "type_changed":
        keys: list[tuple[str, object]] = [("ids", [c.new.id]), ("to_kind", c.old.kind.value)]
        if c.old.income_type is not None:
            keys.append(("income_type", c.old.income_type.value))
        return [Correction("reclassify", keys, ["TODO: keep the edit if the new type is right"])]
    return [
        Correction(
            "delete",
            [("ids", [c.new.id])],
            [f"TODO: with the restore below, puts back the earlier version of {c.new.id}"],
        ),
        Correction(
            "restore",
            [("transaction", c.old)],
            ["TODO: keep the edit instead if the new version is right"],
        ),
    ]


@row_detector("edits")
def edit_findings(view: BalanceView) -> list[RowFinding]:
    out = []
    for c in changes(view):
        row = c.row
        legs = [lg for lg in (row.buy, row.sell) if lg is not None]
        cause = Cause.DELETED_INFLOW if c.change == "deleted" else Cause.MANUAL_EDIT
        out.append(
            RowFinding(
                cause=cause,
                change=c.change,
                wallet=row.wallet,
                asset=legs[0].asset if legs else "",
                time=row.time,
                tx_ids=tuple(dict.fromkeys(t.id for t in (c.old, c.new) if t is not None)),
                confidence=Confidence.HIGH,
                evidence=[
                    Evidence(
                        _text(c, view.previous_file),
                        tuple(dict.fromkeys(t.id for t in (c.old, c.new) if t is not None)),
                    )
                ],
                priority=Priority.MEDIUM,
                priority_reason="a difference between two exports of the same account",
                corrections=_corrections(c, view),
            )
        )
    return out


def lowering(view: BalanceView, gap: Gap, kinds: tuple[str, ...]) -> list[tuple[Change, Decimal]]:
    """The changes of these kinds that lowered the wallet × asset before its lowest point, and
    by how much."""
    out = []
    until = gap.lowest.time
    for c in changes(view):
        if c.change.split(",")[0] not in kinds and not any(k in kinds for k in c.change.split(",")):
            continue
        before = _effect(c.old, gap.wallet, gap.asset) if c.old and c.old.time <= until else ZERO
        after = _effect(c.new, gap.wallet, gap.asset) if c.new and c.new.time <= until else ZERO
        if before > after:
            out.append((c, before - after))
    return out


@gap_detector(Cause.MANUAL_EDIT)
def edit_gap(view: BalanceView, gap: Gap) -> Candidate | None:
    found = lowering(
        view,
        gap,
        ("added", "type_changed", "amount_changed", "date_changed", "wallet_changed"),
    )
    if not found:
        return None
    total = sum((d for _, d in found), ZERO)
    evidence = [
        Evidence(
            _text(c, view.previous_file),
            tuple(dict.fromkeys(t.id for t in (c.old, c.new) if t is not None)),
        )
        for c, _ in found
    ]
    evidence.append(
        Evidence(f"undone, they would add {_num(total)} {gap.asset} before the lowest balance")
    )
    confidence = Confidence.HIGH if total >= gap.deficit else Confidence.MEDIUM
    corrections = [k for c, _ in found for k in _corrections(c, view)]
    return Candidate(Cause.MANUAL_EDIT, confidence, evidence, corrections)
