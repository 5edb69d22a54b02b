"""One function per correction kind: what it does to the ledger being corrected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ..model import (
    ZERO,
    IncomeType,
    Kind,
    Leg,
    TakenOver,
    TaxsimError,
    Transaction,
    share,
)
from .audit import _num, describe
from .schema import (
    AddInflow,
    Delete,
    ForkOrigin,
    GiftReceived,
    LinkTransfer,
    MarkScam,
    MergeExport,
    Reclassify,
    RenameTicker,
    Restore,
    SetCostBasis,
)
from .state import (
    _SAME_TIME,
    ADD_INFLOW_GROUP,
    SET_COST_BASIS_GROUP,
    _check_legs,
    _in_period,
    _legs,
    _nothing,
    _signature,
    _State,
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
        note_de=(
            f"Einzahlung von {_num(c.amount)} {c.asset} mit Anschaffungskosten von EUR "
            f"{_num(c.eur)}, als Kauf gegen EUR geschrieben, damit die Berechnung diese Kosten "
            "bucht (der EUR-Teil ist eine Gegenbuchung, keine Zahlung)"
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


def _gift_received(state: _State, c: GiftReceived) -> None:
    """The gift row keeps its date and value; it carries the giver's acquisition for the
    engines (``Transaction.taken_over``)."""
    tx = state.get(c, c.transaction)
    if tx.kind is not Kind.GIFT or tx.buy is None or tx.buy.is_fiat:
        raise TaxsimError(
            f"correction {c.id} (gift_received): '{tx.id}' is not a received gift of a "
            f"crypto-asset (kind {tx.kind.value})"
        )
    if c.acquired >= tx.time:
        raise TaxsimError(
            f"correction {c.id} (gift_received): the giver's acquisition {c.acquired.isoformat()}"
            f" is not before the gift '{tx.id}' ({tx.time.isoformat()})"
        )
    state.change(c, tx.with_(taken_over=TakenOver(acquired=c.acquired, cost=c.cost)), "origin")


def _fork_origin(state: _State, c: ForkOrigin) -> None:
    """The row that credited the fork units becomes a hard fork (income type ``hardfork``,
    no income) carrying its origin asset (and the original units' value) for the engines."""
    tx = state.get(c, c.transaction)
    if tx.kind not in (Kind.INCOME, Kind.DEPOSIT) or tx.buy is None or tx.buy.is_fiat:
        raise TaxsimError(
            f"correction {c.id} (fork_origin): '{tx.id}' does not credit a crypto-asset "
            f"(kind {tx.kind.value}); expected the income or deposit row of the fork units"
        )
    if c.origin_asset == tx.buy.asset:
        raise TaxsimError(
            f"correction {c.id} (fork_origin): origin_asset {c.origin_asset} is the forked "
            "asset itself"
        )
    after = tx.with_(
        kind=Kind.INCOME,
        income_type=IncomeType.HARDFORK,
        taken_over=TakenOver(from_asset=c.origin_asset, from_value=c.origin_value),
    )
    state.change(c, after, "kind")


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
    "gift_received": _gift_received,
    "fork_origin": _fork_origin,
    "delete": _delete,
}
