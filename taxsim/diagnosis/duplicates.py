"""Duplicates: the same movement booked twice — an exchange's API import next to its CSV
import, or one export imported twice. Two rows are one movement when they have the same
wallet, kind and buy/sell legs (asset and exact amount) and

* the same Tx-ID (whatever their times), or
* times equal within ``seconds``, or apart by a whole number of hours up to
  ``max_hour_shift`` within ``seconds`` (a CSV in local time next to an API import in UTC),

and never when both carry a Tx-ID and the two differ (two real trades of the same size). Two wallet
names of one exchange (``Coinbase API`` and ``Coinbase CSV``) count as one wallet (medium). The
later row in the file (the one without a Tx-ID, if only one has one) is the surplus: the draft
correction deletes it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ..model import FIAT, Transaction
from .registry import Candidate, Gap, gap_detector, row_detector
from .results import Cause, Confidence, Correction, Evidence, Priority, RowFinding
from .text import _num, describe
from .view import BalanceView


def _key(tx: Transaction, family: dict[str, str]) -> tuple:
    """Wallet (its exchange: an API and a CSV import may carry two names), kind and legs.
    Decimal values hash by value, so 1.50 and 1.5 are one key."""
    buy, sell = tx.buy, tx.sell
    return (
        family.get(tx.wallet, tx.wallet),
        tx.to_wallet,
        tx.kind,
        None if buy is None else (buy.asset, buy.amount),
        None if sell is None else (sell.asset, sell.amount),
    )


def _shifted(a: Transaction, b: Transaction, seconds: int, max_shift: int) -> int | None:
    """The whole hours b is after a (0 if simultaneous), if within the limits."""
    delta = abs((b.time - a.time).total_seconds())
    for hours in range(max_shift + 1):
        if abs(delta - hours * 3600) <= seconds:
            return hours
    return None


def find_duplicates(view: BalanceView) -> list[tuple[Transaction, Transaction, Confidence, str]]:
    """(kept row, surplus row, confidence, why), once per diagnosis."""
    if "duplicates" in view.memo:
        return view.memo["duplicates"]  # type: ignore[return-value]
    d = view.settings.duplicates
    groups: dict[tuple, list[Transaction]] = {}
    first: dict[tuple, Transaction] = {}
    family = {name: info.family for name, info in view.wallets.items() if info.family}
    for tx in view.ordered:
        if tx.buy is None and tx.sell is None:
            continue
        key = _key(tx, family)
        seen = first.get(key)
        if seen is None:
            first[key] = tx
        else:
            group = groups.get(key)
            if group is None:
                groups[key] = [seen, tx]
            else:
                group.append(tx)
    found: list[tuple[Transaction, Transaction, Confidence, str]] = []
    horizon = timedelta(hours=d.max_hour_shift, seconds=d.seconds)
    for rows in groups.values():
        surplus: set[str] = set()
        for i, a in enumerate(rows):
            if a.id in surplus:
                continue
            for b in rows[i + 1 :]:
                if b.id in surplus:
                    continue
                same_txid = bool(a.txid) and a.txid == b.txid
                if not same_txid:
                    if b.time - a.time > horizon:
                        break
                    if a.txid and b.txid:
                        continue  # two real movements of the same size
                    hours = _shifted(a, b, d.seconds, d.max_hour_shift)
                    if hours is None:
                        continue
                if same_txid:
                    confidence, why = Confidence.HIGH, f"the same Tx-ID {a.txid}"
                elif hours == 0:
                    both_plain = not a.txid and not b.txid
                    confidence = (
                        Confidence.HIGH if _fee(a) == _fee(b) or both_plain else (Confidence.MEDIUM)
                    )
                    why = "the same time" if a.time == b.time else "times seconds apart"
                else:
                    confidence = Confidence.MEDIUM
                    why = (
                        f"times exactly {hours} h apart (one import in UTC, the other in "
                        "local time)"
                    )
                if a.wallet != b.wallet:
                    confidence = Confidence.MEDIUM
                    why += f"; the same exchange imported as '{a.wallet}' and '{b.wallet}'"
                keep, extra = _order(a, b)
                surplus.add(extra.id)
                found.append((keep, extra, confidence, why))
                break
    found.sort(key=lambda f: (f[1].time, f[1].id))
    view.memo["duplicates"] = found
    return found


def _fee(tx: Transaction) -> tuple | None:
    return None if tx.fee is None else (tx.fee.asset, tx.fee.amount)


def _order(a: Transaction, b: Transaction) -> tuple[Transaction, Transaction]:
    """(kept, surplus): keep the row with a Tx-ID, else the one earlier in its file."""
    if a.txid and not b.txid:
        return a, b
    if b.txid and not a.txid:
        return b, a
    ra = a.source.row if a.source else 0
    rb = b.source.row if b.source else 0
    return (a, b) if (ra, a.id) <= (rb, b.id) else (b, a)


def _asset(tx: Transaction) -> str:
    for leg in (tx.sell, tx.buy):
        if leg is not None and leg.asset not in FIAT:
            return leg.asset
    leg = tx.buy or tx.sell
    return leg.asset if leg else ""


def _evidence(keep: Transaction, extra: Transaction, why: str) -> Evidence:
    return Evidence(
        f"{describe(extra)} repeats {describe(keep)}: same wallet, type and amounts, {why}",
        (extra.id, keep.id),
    )


@row_detector("duplicates")
def duplicate_findings(view: BalanceView) -> list[RowFinding]:
    return [
        RowFinding(
            cause=Cause.DUPLICATE,
            change="duplicate",
            wallet=extra.wallet,
            asset=_asset(extra),
            time=extra.time,
            tx_ids=(extra.id, keep.id),
            confidence=confidence,
            evidence=[_evidence(keep, extra, why)],
            priority=Priority.HIGH if extra.sell is not None else Priority.MEDIUM,
            priority_reason=(
                "a duplicated outflow takes units twice"
                if extra.sell is not None
                else "a duplicated inflow adds units (and possibly income) twice"
            ),
            corrections=[Correction("delete", [("ids", [extra.id])])],
        )
        for keep, extra, confidence, why in find_duplicates(view)
    ]


@gap_detector(Cause.DUPLICATE)
def duplicate_gap(view: BalanceView, gap: Gap) -> Candidate | None:
    """Surplus outflows of the wallet × asset up to its lowest balance."""
    until = gap.lowest.time
    hits = []
    total = Decimal(0)
    for keep, extra, confidence, why in find_duplicates(view):
        if extra.time > until and keep.time > until:
            continue
        taken = Decimal(0)
        if extra.wallet == gap.wallet:
            for leg in (extra.sell, extra.fee):
                if leg is not None and leg.asset == gap.asset:
                    taken += leg.amount
        if taken > 0:
            hits.append((keep, extra, confidence, why))
            total += taken
    if not hits:
        return None
    worst = max((c for *_, c, _ in hits), key=lambda c: ("low", "medium", "high").index(c.value))
    # surplus rows that take exactly what is missing explain the gap on their own
    covers = total >= gap.deficit * (1 - Decimal("0.05"))
    confidence = (
        (Confidence.HIGH if worst is not Confidence.LOW else worst) if covers else (Confidence.LOW)
    )
    evidence = [_evidence(keep, extra, why) for keep, extra, _, why in hits]
    evidence.append(Evidence(f"without them the wallet keeps {_num(total)} {gap.asset} more"))
    corrections = [Correction("delete", [("ids", [extra.id])]) for _, extra, _, _ in hits]
    return Candidate(Cause.DUPLICATE, confidence, evidence, corrections)
