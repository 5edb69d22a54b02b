"""German rules: FIFO lot matching per (scope, asset), § 23 EStG.

The scope is the wallet (BMF 2025 Rz. 61/62, default) or one global pool per asset
(CoinTracking's default). A pool is a list of lots ordered by acquisition time; own transfers
move lots with their acquisition date and cost into the destination pool, where they are
inserted in date order so FIFO stays FIFO.

Raw-pass convention for missing purchase history (CoinTracking: "There is no suitable purchase
to this sale. Assuming purchase on the same day for 0"): the uncovered units are matched with a
zero-cost lot dated at the sale (``Origin.SHORT``), always within the holding period, so the
full proceeds are taxable. With ``short.policy = "backfill"`` a later inflow into the same pool
first covers the open short: its cost is recorded on the short match (``covered_by``) and only
the rest of the inflow becomes a lot.
"""

from __future__ import annotations

from bisect import insort
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from ..model import EUR_QUANTUM, FIAT, ZERO, IncomeType, Kind, Leg, Transaction, share
from ..rules import RuleSet
from .backfill import OpenShort, cover
from .derivatives import events as derivative_events
from .forks import fork_origin
from .holding import LocalCalendar
from .types import (
    Disposal,
    DisposalKind,
    DisposalSink,
    Expense,
    IncomeEvent,
    Lot,
    Match,
    Note,
    NoteKind,
    Origin,
    PassResult,
)


@dataclass(slots=True)
class _Lot:
    acquired: datetime
    seq: int  # tie-break: ledger order
    lot_id: str
    qty: Decimal
    cost: Decimal
    origin: Origin
    acq_date: date  # local calendar date of the acquisition
    last_taxable: date  # last local date on which a sale is within the holding period

    def __lt__(self, other: _Lot) -> bool:
        return (self.acquired, self.seq) < (other.acquired, other.seq)

    def part(self, qty: Decimal, cost: Decimal, seq: int) -> _Lot:
        return _Lot(
            self.acquired,
            seq,
            self.lot_id,
            qty,
            cost,
            self.origin,
            self.acq_date,
            self.last_taxable,
        )


@dataclass(slots=True)
class _Pool:
    """The lots of one (scope, asset), oldest first, with their total quantity and cost.

    ``average``: BMF 2025 Rz. 61's fallback — FIFO decides which units leave (their dates, so
    the holding period), the average cost of the pool decides their cost. In FIFO mode each
    lot's own cost leaves with it.
    """

    average: bool = False
    lifo: bool = False  # newest lots leave first (FG Nürnberg 22.1.2025, 3 K 760/22)
    lots: list[_Lot] = field(default_factory=list)
    start: int = 0  # lots before ``start`` are used up
    qty: Decimal = ZERO  # total of the lots from ``start`` on (kept when averaging only)
    cost: Decimal = ZERO
    open_shorts: deque[OpenShort] = field(default_factory=deque)  # backfill policy only

    def add(self, lot: _Lot) -> None:
        lots, start = self.lots, self.start
        if start > 64 and start * 2 > len(lots):
            del lots[:start]
            self.start = start = 0
        if start == len(lots) or lot.acquired > lots[-1].acquired:
            lots.append(lot)
        else:
            insort(lots, lot, lo=start)
        if self.average:
            self.qty += lot.qty
            self.cost += lot.cost

    def take(self, qty: Decimal) -> tuple[list[tuple[_Lot, Decimal, Decimal]], Decimal]:
        """Consume ``qty`` units FIFO; returns (lot, units, cost) pieces and the uncovered rest.

        Whatever empties a lot (or, averaging, the pool) takes its whole remaining cost, so no
        rounding dust stays behind.
        """
        if self.lifo:
            return self._take_newest(qty)
        pieces: list[tuple[_Lot, Decimal, Decimal]] = []
        lots, start, end = self.lots, self.start, len(self.lots)
        while qty > 0 and start < end:
            lot = lots[start]
            units = lot.qty
            if units <= qty:
                cost = lot.cost
                start += 1
                qty -= units
            else:
                units = qty
                cost = (lot.cost * qty / lot.qty).quantize(EUR_QUANTUM)  # model.share, inlined
                lot.qty -= qty
                lot.cost -= cost
                qty = ZERO
            pieces.append((lot, units, cost))
        self.start = start
        if self.average and pieces:
            pieces = self._averaged(pieces)
            for _, units, cost in pieces:
                self.qty -= units
                self.cost -= cost
        return pieces, qty

    def _take_newest(self, qty: Decimal) -> tuple[list[tuple[_Lot, Decimal, Decimal]], Decimal]:
        """LIFO: the most recently acquired lots leave first (used-up lots are dropped from
        the end); otherwise as ``take``."""
        pieces: list[tuple[_Lot, Decimal, Decimal]] = []
        lots = self.lots
        while qty > 0 and len(lots) > self.start:
            lot = lots[-1]
            units = lot.qty
            if units <= qty:
                cost = lot.cost
                lots.pop()
                qty -= units
            else:
                units = qty
                cost = (lot.cost * qty / lot.qty).quantize(EUR_QUANTUM)
                lot.qty -= qty
                lot.cost -= cost
                qty = ZERO
            pieces.append((lot, units, cost))
        if self.average and pieces:
            pieces = self._averaged(pieces)
            for _, units, cost in pieces:
                self.qty -= units
                self.cost -= cost
        return pieces, qty

    def _averaged(
        self, pieces: list[tuple[_Lot, Decimal, Decimal]]
    ) -> list[tuple[_Lot, Decimal, Decimal]]:
        """The same units at the pool's average cost (by quantity; the last piece, or an emptied
        pool, takes the exact remainder). In this mode only the pool's totals carry cost; the
        lots' own costs are not used."""
        taken = sum((units for _, units, _ in pieces), ZERO)
        total = self.cost if taken == self.qty else share(self.cost, taken, self.qty)
        out, left = [], total
        for i, (lot, units, _) in enumerate(pieces):
            part = left if i == len(pieces) - 1 else share(total, units, taken)
            left -= part
            out.append((lot, units, part))
        return out


SHORT = Origin.SHORT
#: Rows that bring units in: a crypto fee on them is paid out of what arrives.
_INFLOWS = frozenset({Kind.DEPOSIT, Kind.INCOME, Kind.GIFT})


class FifoEngine:
    def __init__(
        self, rules: RuleSet, transfers: dict[str, str], sink: DisposalSink | None = None
    ) -> None:
        self.rules = rules
        self.transfers = transfers
        # where a final disposal goes: the result's list, or the caller's sink (run_pass)
        self.sink = sink
        # both sides of every own transfer (withdrawal id ↔ deposit id), their rows by id, and
        # the withdrawals whose units have moved (at the earlier of the two rows)
        self.pair_of = {d: w for w, d in transfers.items()} | transfers
        self.by_id: dict[str, Transaction] = {}
        self.moved: set[str] = set()
        self.result = PassResult(transfers=dict(transfers))
        self.seq = 0
        self.per_wallet = rules.lots.scope == "wallet"
        self.average = rules.lots.value_method == "average"
        # (scope, asset) → its pool, made on first use (one dict lookup on the hot path)
        lifo = rules.lots.order == "lifo"
        self.pools: defaultdict[tuple[str, str], _Pool] = defaultdict(
            partial(_Pool, self.average, lifo)
        )
        self.backfill = rules.short.policy == "backfill"
        self.count_trade_fee = rules.fees.trade_fee == "cost_or_proceeds"
        self.count_buy_fee = rules.fees.trade_fee == "cost_only"  # purchases only
        self.calendar = LocalCalendar(rules)

    # -- helpers ---------------------------------------------------------------------------
    def scope(self, wallet: str) -> str:
        return wallet if self.per_wallet else "*"

    def note(self, tx: Transaction, kind: NoteKind, message: str, message_de: str) -> None:
        """A note on ``tx``: ``message`` in English, ``message_de`` the same in German (same
        figures, for the German report)."""
        self.result.notes.append(Note(tx.id, message, kind, message_de))

    def acquire(
        self,
        tx: Transaction,
        scope: str,
        asset: str,
        qty: Decimal,
        cost: Decimal,
        origin: Origin = Origin.LOT,
        acquired: datetime | None = None,
    ) -> None:
        """Units enter a pool as a lot acquired at ``acquired`` (default: the row's time; a
        gift's or fork's taken-over date otherwise)."""
        if qty <= 0:
            return
        pool = self.pools[(scope, asset)]
        if self.backfill and pool.open_shorts and origin is not Origin.SHORT:
            qty, cost = cover(pool.open_shorts, tx.id, qty, cost)
            if qty <= 0:
                return
        self.seq += 1
        when = acquired or tx.time
        day = self.calendar.day(when)
        last = self.calendar.last_taxable(day)
        pool.add(_Lot(when, self.seq, tx.id, qty, cost, origin, day, last))

    def hard_fork(self, tx: Transaction, leg: Leg) -> bool:
        """BMF 10.5.2022 Tz. 67/68 (6.3.2025 Rz. 67/68): the new units share the acquisition
        dates of the original units held at the fork, and the original cost is split by the
        market values at the fork (new units' value ``leg.eur`` : original units' value stated
        by ``fork_origin``). One new lot per original lot, units in proportion. False (nothing
        done) when the origin is unknown or not held in the pool."""
        origin = fork_origin(self.rules, tx, leg)
        if not origin:
            return False
        scope = self.scope(tx.wallet)
        pool = self.pools.get((scope, origin))
        live = [lot for lot in pool.lots[pool.start :] if lot.qty > 0] if pool else []
        if pool is None or not live:
            self.note(
                tx,
                NoteKind.FORK_ORIGIN,
                f"hard fork of {leg.amount} {leg.asset}: "
                + (f"no {origin} held in {tx.wallet} at the fork" if origin else "origin unknown")
                + "; dated at the fork at cost 0 (document it with fork_origin)",
                f"Hard Fork von {leg.amount} {leg.asset}: "
                + (
                    f"kein Bestand an {origin} in {tx.wallet} beim Fork"
                    if origin
                    else "Ursprung unbekannt"
                )
                + "; Anschaffung zum Zeitpunkt des Forks mit Anschaffungskosten 0 (mit "
                "fork_origin belegen)",
            )
            return False
        held = sum((lot.qty for lot in live), ZERO)
        value_new = leg.eur or ZERO
        taken = tx.taken_over
        value_old = taken.from_value if taken is not None else None
        split = value_old is not None and value_new > 0 and value_old + value_new > 0
        if not split:
            self.note(
                tx,
                NoteKind.FORK_ORIGIN,
                f"hard fork of {leg.amount} {leg.asset} from {origin}: original dates taken "
                f"over; cost not split (no market value of the {origin} at the fork: "
                "fork_origin.origin_value), the new units at cost 0",
                f"Hard Fork von {leg.amount} {leg.asset} aus {origin}: ursprüngliche "
                "Anschaffungsdaten übernommen; Anschaffungskosten nicht aufgeteilt (kein "
                f"Marktwert der {origin} beim Fork: fork_origin.origin_value), die neuen "
                "Einheiten mit Anschaffungskosten 0",
            )
        left = leg.amount
        for i, lot in enumerate(live):
            units = left if i == len(live) - 1 else share(leg.amount, lot.qty, held)
            left -= units
            cost = ZERO
            if split:
                assert value_old is not None
                cost = share(lot.cost, value_new, value_new + value_old)
                lot.cost -= cost
                if pool.average:
                    pool.cost -= cost
            self.seq += 1
            self.pools[(scope, leg.asset)].add(
                _Lot(lot.acquired, self.seq, tx.id, units, cost, Origin.LOT, lot.acq_date,
                     lot.last_taxable)
            )  # fmt: skip
        return True

    def dispose(
        self,
        tx: Transaction,
        asset: str,
        qty: Decimal,
        proceeds: Decimal,
        fee: Decimal,
        kind: DisposalKind,
    ) -> Disposal:
        """Dispose of ``qty`` units from the transaction's wallet; proceeds/fee in EUR."""
        scope = tx.wallet if self.per_wallet else "*"
        pool = self.pools[(scope, asset)]
        pieces, uncovered = pool.take(qty)
        when = tx.time
        sold = self.calendar.day(when)
        matches: list[Match] = []
        # Proceeds and selling costs are shared by quantity; the last match takes the exact
        # remainder, so the shares always add up to the whole.
        last = len(pieces) - (0 if uncovered > 0 else 1)
        left_proceeds, left_fee = proceeds, fee
        short = uncovered > 0  # any uncovered units: held back from the sink under backfill
        for i, (lot, units, cost) in enumerate(pieces):
            if i == last:
                p_share, f_share = left_proceeds, left_fee
            else:
                p_share = (proceeds * units / qty).quantize(EUR_QUANTUM)
                left_proceeds -= p_share
                if fee:
                    f_share = (fee * units / qty).quantize(EUR_QUANTUM)
                    left_fee -= f_share
                else:
                    f_share = ZERO
            if lot.origin is SHORT:  # uncovered units that arrived by a transfer
                short = True
                matches.append(
                    Match(lot.lot_id, when, units, cost, p_share, f_share, 0, True, SHORT)
                )
            else:
                matches.append(
                    Match(
                        lot.lot_id,
                        lot.acquired,
                        units,
                        cost,
                        p_share,
                        f_share,
                        (sold - lot.acq_date).days,
                        sold <= lot.last_taxable,
                        lot.origin,
                    )
                )
        disposal = Disposal(tx.id, when, tx.wallet, asset, qty, proceeds, fee, kind, matches)
        if uncovered > 0:
            match = Match("", when, uncovered, ZERO, left_proceeds, left_fee, 0, True, SHORT)
            matches.append(match)
            if self.backfill:  # a later inflow may still cover it: the disposal is not final
                pool.open_shorts.append(OpenShort(match, uncovered))
        # Under backfill every disposal with a short stays in the result (a later inflow may
        # change it, and the shorts keep their order); any other is final and may be sunk.
        if self.sink is None or (short and self.backfill):
            self.result.disposals.append(disposal)
        else:
            self.sink(disposal)
        return disposal

    def move(
        self,
        tx: Transaction,
        from_wallet: str,
        to_wallet: str,
        asset: str,
        qty: Decimal,
        received: Decimal | None = None,
        value: Decimal | None = None,
    ) -> None:
        """An own transfer of ``qty`` units out of ``tx``'s wallet (``value``: their EUR value,
        if known): lots keep their acquisition date and cost. When fewer units arrive
        (``received``), the difference was spent on the way: a network fee of the sending
        wallet (``fees.network_fee``), valued pro rata."""
        if received is not None and 0 < received < qty:
            lost = qty - received
            self.note(
                tx,
                NoteKind.TRANSFER_FEE,
                f"{qty} {asset} sent from {from_wallet}, {received} received in {to_wallet}: "
                f"the difference of {lost} is treated as a network fee",
                f"{qty} {asset} aus {from_wallet} gesendet, {received} in {to_wallet} erhalten: "
                f"die Differenz von {lost} wird als Netzwerkgebühr behandelt",
            )
            fee_value = share(value, lost, qty) if value is not None else None
            self.network_fee(tx, Leg(lost, asset, fee_value))
            qty = received
        src, dst = self.scope(from_wallet), self.scope(to_wallet)
        if src == dst:
            return
        pieces, uncovered = self.pools[(src, asset)].take(qty)
        target = self.pools[(dst, asset)]
        for lot, units, cost in pieces:
            if self.backfill and target.open_shorts:
                units, cost = cover(target.open_shorts, tx.id, units, cost)
                if units <= 0:
                    continue
            target.add(lot.part(units, cost, lot.seq))
        if uncovered > 0:
            self.note(
                tx,
                NoteKind.BEYOND_HOLDINGS,
                f"transfer of {qty} {asset} from {from_wallet} exceeds its holdings by "
                f"{uncovered}; those units arrive in {to_wallet} without purchase history",
                f"Übertrag von {qty} {asset} aus {from_wallet} übersteigt den dortigen Bestand "
                f"um {uncovered}; diese Einheiten kommen ohne Kaufhistorie in {to_wallet} an",
            )
            self.acquire(tx, dst, asset, uncovered, ZERO, Origin.SHORT)

    def remove(self, tx: Transaction, wallet: str, asset: str, qty: Decimal) -> Decimal:
        """Units leave without a disposal; returns their cost."""
        pieces, uncovered = self.pools[(self.scope(wallet), asset)].take(qty)
        if uncovered > 0:
            self.note(
                tx,
                NoteKind.BEYOND_HOLDINGS,
                f"{qty} {asset} leave {wallet}, which holds {uncovered} too few",
                f"Abgang von {qty} {asset} aus {wallet}: Bestand dort um {uncovered} zu gering",
            )
        return sum((c for _, _, c in pieces), ZERO)

    def network_fee(self, tx: Transaction, fee: Leg, expense: bool = True) -> Decimal:
        """Crypto units spent from the transaction's wallet as a fee outside a trade's own legs
        (withdrawal, transfer, third currency). ``fees.network_fee``:
        ``disposal`` disposes of them at their market value; ``werbungskosten`` takes them out
        of the lots and deducts their cost as an expense of the year (not with ``expense=False``:
        a trade counts it as its own selling or acquisition cost instead); ``ignore`` takes
        them out. Returns what the fee cost: the market value when disposed of, else the
        units' cost (no gain was realized on them, so their value would never be taxed)."""
        value = fee.eur or ZERO
        policy = self.rules.fees.network_fee
        if policy == "disposal":
            self.dispose(tx, fee.asset, fee.amount, value, ZERO, DisposalKind.FEE)
            return value
        cost = self.remove(tx, tx.wallet, fee.asset, fee.amount)
        if policy == "werbungskosten" and expense and cost:
            self.result.expenses.append(
                Expense(tx.id, tx.time, cost, f"network fee {fee.amount} {fee.asset}")
            )
        return cost

    # -- transactions ----------------------------------------------------------------------
    def trade(self, tx: Transaction) -> None:
        """Sale, purchase or swap; fees per BMF Rz. 57, 59 (see ``rules.fees``).

        A fee in the sold asset leaves with the sold units (its cost is part of the cost of the
        disposal); a fee in the bought asset reduces the units received; a fee in EUR is a
        selling cost (or, on a purchase, an acquisition cost); a fee in a third crypto-asset is
        also a network fee of that asset (``network_fee`` policy) and a selling/acquisition cost.
        """
        buy_leg, sell_leg, fee = tx.buy, tx.sell, tx.fee
        buy = buy_leg if buy_leg is not None and buy_leg.asset not in FIAT else None
        sell = sell_leg if sell_leg is not None and sell_leg.asset not in FIAT else None
        extra_out = ZERO  # fee units disposed together with the sold units
        net_in = buy.amount if buy is not None else ZERO
        selling_cost = buying_cost = ZERO
        if fee is not None:
            if sell is not None and fee.asset == sell.asset:
                extra_out = fee.amount
            elif buy is not None and fee.asset == buy.asset:
                net_in -= fee.amount
            else:
                # a fee in a third crypto leaves by the network-fee policy and counts once, as
                # this trade's selling or acquisition cost (never also as an expense)
                fee_cost = fee.eur or ZERO
                if fee.asset not in FIAT:
                    fee_cost = self.network_fee(tx, fee, expense=False)
                if self.count_trade_fee:
                    if sell is not None:
                        selling_cost = fee_cost
                    else:
                        buying_cost = fee_cost
                elif self.count_buy_fee and sell is None:
                    buying_cost = fee_cost
        received = buy_leg.eur if buy_leg is not None else None
        given = sell_leg.eur if sell_leg is not None else None
        if sell is not None:
            proceeds = received if received is not None else given
            kind = DisposalKind.SWAP if buy is not None else DisposalKind.SALE
            self.dispose(
                tx, sell.asset, sell.amount + extra_out, proceeds or ZERO, selling_cost, kind
            )
        if buy is not None:
            cost = (given if given is not None else received) or ZERO
            if net_in < 0:
                self.note(
                    tx,
                    NoteKind.FEE_EXCEEDS_BUY,
                    f"fee exceeds the {buy.amount} {buy.asset} bought",
                    f"Gebühr übersteigt die gekauften {buy.amount} {buy.asset}",
                )
            scope = tx.wallet if self.per_wallet else "*"
            self.acquire(tx, scope, buy.asset, net_in, cost + buying_cost)

    def run(
        self, txs: Sequence[Transaction], progress: Callable[[int], None] | None = None
    ) -> PassResult:
        self.by_id = {t.id: t for t in txs if t.id in self.pair_of}
        trade, event, TRADE = self.trade, self.event, Kind.TRADE
        for n, tx in enumerate(txs):
            if progress is not None and n % 10_000 == 0:
                progress(n)
            if tx.kind is TRADE:
                if tx.treatment:  # a "Swap (non taxable)" row (docs/formats.md)
                    self.swap_non_taxable(tx)
                else:
                    trade(tx)
                continue
            if tx.kind is Kind.DERIVATIVE:
                self.derivative(tx)
                continue
            fee = tx.fee if tx.fee is not None and tx.fee.asset not in FIAT else None
            if fee is None:
                event(tx)
            elif tx.kind in _INFLOWS:  # the fee is paid out of the units that arrive
                event(tx)
                self.network_fee(tx, fee)
            else:
                self.network_fee(tx, fee)
                event(tx)
        self._holdings()
        return self.result

    def swap_non_taxable(self, tx: Transaction) -> None:
        """CoinTracking's "Swap (non taxable)": a 1:1 migration or wrap (``carry_over``) moves
        the lots to the new asset with their acquisition date and cost; anything else is a
        swap under § 23 EStG like a Trade, with a note saying why (docs/formats.md)."""
        sell, buy = tx.sell, tx.buy
        if tx.treatment != "carry_over" or sell is None or buy is None:
            self.trade(tx)
            if sell is not None and buy is not None and not (sell.is_fiat or buy.is_fiat):
                self.note(
                    tx,
                    NoteKind.SWAP_NON_TAXABLE,
                    f"'Swap (non taxable)' {sell.asset} → {buy.asset} taxed as a swap (§ 23 "
                    "EStG): only a 1:1 migration or wrap of the same asset (equal amounts, a "
                    "pair in rules/cointracking_types.toml) carries the lots over",
                    f"„Swap (non taxable)“ {sell.asset} → {buy.asset} als Tausch besteuert (§ 23 "
                    "EStG): nur eine 1:1-Migration oder ein Wrap desselben Kryptowerts (gleiche "
                    "Mengen, ein Paar in rules/cointracking_types.toml) übernimmt "
                    "Anschaffungsdatum und Anschaffungskosten",
                )
            return
        scope = self.scope(tx.wallet)
        pieces, uncovered = self.pools[(scope, sell.asset)].take(sell.amount)
        target = self.pools[(scope, buy.asset)]
        for lot, units, cost in pieces:
            if self.backfill and target.open_shorts:
                units, cost = cover(target.open_shorts, tx.id, units, cost)
                if units <= 0:
                    continue
            target.add(lot.part(units, cost, lot.seq))
        self.note(
            tx,
            NoteKind.CARRY_OVER,
            f"{sell.amount} {sell.asset} → {buy.asset} (1:1 'Swap (non taxable)'): lots carried "
            "over with their acquisition date and cost, no disposal",
            f"{sell.amount} {sell.asset} → {buy.asset} (1:1-„Swap (non taxable)“): "
            "Anschaffungsdatum und Anschaffungskosten übernommen, keine Veräußerung",
        )
        if uncovered > 0:
            self.note(
                tx,
                NoteKind.BEYOND_HOLDINGS,
                f"{sell.amount} {sell.asset} migrated, {uncovered} more than held: those "
                f"{buy.asset} enter without purchase history",
                f"{sell.amount} {sell.asset} migriert, {uncovered} mehr als im Bestand: diese "
                f"{buy.asset} werden ohne Kaufhistorie eingebucht",
            )
            self.acquire(tx, scope, buy.asset, uncovered, ZERO, Origin.SHORT)
        if tx.fee is not None and not tx.fee.is_fiat:
            self.network_fee(tx, tx.fee)

    def derivative(self, tx: Transaction) -> None:
        """A margin/derivatives row: out of the lot matching (``engine.derivatives``)."""
        found = derivative_events(tx)
        self.result.derivatives.extend(found)
        for event in found:
            if event.asset in FIAT:
                continue
            if event.part == "profit":
                cost = event.value if event.value is not None else ZERO
                self.acquire(tx, self.scope(tx.wallet), event.asset, event.quantity, cost)
            else:
                self.remove(tx, tx.wallet, event.asset, event.quantity)

    def own_transfer(self, withdrawal: Transaction, deposit: Transaction) -> None:
        """The units of a paired withdrawal and deposit move once, at the earlier of the two
        rows (a deposit may be recorded before its withdrawal: ``transfers.max_hours_before``);
        the later row only pays its own network fee."""
        if withdrawal.id in self.moved:
            return
        self.moved.add(withdrawal.id)
        sent, got = withdrawal.sell, deposit.buy
        assert sent is not None and got is not None
        self.move(
            withdrawal, withdrawal.wallet, deposit.wallet, sent.asset, sent.amount, got.amount,
            sent.eur,
        )  # fmt: skip

    def event(self, tx: Transaction) -> None:
        """Everything but a trade; the caller handles the row's crypto fee."""
        k = tx.kind
        if k is Kind.WITHDRAWAL:
            if tx.sell is None or tx.sell.is_fiat:
                return
            dep_id = self.transfers.get(tx.id)
            if dep_id is not None and dep_id in self.by_id:
                self.own_transfer(tx, self.by_id[dep_id])
            else:
                self.remove(tx, tx.wallet, tx.sell.asset, tx.sell.amount)
                self.note(
                    tx,
                    NoteKind.UNMATCHED_WITHDRAWAL,
                    f"withdrawal of {tx.sell.amount} {tx.sell.asset} from {tx.wallet} has no "
                    "matching deposit: treated as moved to a wallet outside the ledger",
                    f"Auszahlung von {tx.sell.amount} {tx.sell.asset} aus {tx.wallet} ohne "
                    "passende Einzahlung: als Übertrag in eine Wallet außerhalb des Ledgers "
                    "behandelt",
                )
        elif k is Kind.TRANSFER:
            if tx.sell is not None and not tx.sell.is_fiat:
                dest = tx.to_wallet or tx.wallet
                got = tx.buy.amount if tx.buy is not None else None
                self.move(tx, tx.wallet, dest, tx.sell.asset, tx.sell.amount, got, tx.sell.eur)
                if got is not None and got > tx.sell.amount:
                    self.note(
                        tx,
                        NoteKind.AMOUNTS_DIFFER,
                        "transfer: more units received than sent; the sent amount moves",
                        "Übertrag: mehr Einheiten erhalten als gesendet; übertragen wird die "
                        "gesendete Menge",
                    )
        elif k is Kind.DEPOSIT:
            if tx.buy is None or tx.buy.is_fiat:
                return
            w_id = self.pair_of.get(tx.id)
            if w_id is not None:
                if w_id in self.by_id:
                    self.own_transfer(self.by_id[w_id], tx)
                return
            self.acquire(tx, self.scope(tx.wallet), tx.buy.asset, tx.buy.amount, ZERO, Origin.GHOST)
            self.note(
                tx,
                NoteKind.GHOST_DEPOSIT,
                f"deposit of {tx.buy.amount} {tx.buy.asset} into {tx.wallet} has no matching "
                "withdrawal: zero-cost lot without purchase history",
                f"Einzahlung von {tx.buy.amount} {tx.buy.asset} in {tx.wallet} ohne passende "
                "Auszahlung: Zugang mit Anschaffungskosten 0 ohne Kaufhistorie",
            )
        elif k is Kind.INCOME:
            if tx.buy is None or tx.buy.is_fiat:
                return
            value = tx.buy.eur if tx.buy.eur is not None else ZERO
            taxable = self.rules.is_income(tx.income_type)
            if tx.income_type is IncomeType.HARDFORK and not taxable:
                self.result.income.append(
                    IncomeEvent(tx.id, tx.time, tx.wallet, tx.buy.asset, tx.buy.amount, value,
                                IncomeType.HARDFORK, False)
                )  # fmt: skip
                if not self.hard_fork(tx, tx.buy):
                    self.acquire(tx, self.scope(tx.wallet), tx.buy.asset, tx.buy.amount, ZERO)
                return
            self.result.income.append(
                IncomeEvent(
                    tx.id,
                    tx.time,
                    tx.wallet,
                    tx.buy.asset,
                    tx.buy.amount,
                    value,
                    tx.income_type or IncomeType.OTHER,
                    taxable,
                )
            )
            self.acquire(
                tx,
                self.scope(tx.wallet),
                tx.buy.asset,
                tx.buy.amount,
                value if taxable else ZERO,
            )
        elif k is Kind.SPEND:
            if tx.sell is not None and not tx.sell.is_fiat:
                value = tx.sell.eur if tx.sell.eur is not None else ZERO
                self.dispose(tx, tx.sell.asset, tx.sell.amount, value, ZERO, DisposalKind.SPEND)
        elif k is Kind.GIFT:
            if tx.buy is not None and not tx.buy.is_fiat:
                # § 23 Abs. 1 S. 3 EStG: the recipient takes over the giver's acquisition
                # (date and cost), stated by a gift_received correction; without it cost 0
                # dated at receipt (conservative), with a note.
                taken = tx.taken_over
                if taken is not None and taken.acquired is not None:
                    cost = taken.cost if taken.cost is not None else ZERO
                    self.acquire(
                        tx, self.scope(tx.wallet), tx.buy.asset, tx.buy.amount, cost,
                        acquired=taken.acquired,
                    )  # fmt: skip
                else:
                    self.acquire(tx, self.scope(tx.wallet), tx.buy.asset, tx.buy.amount, ZERO)
                    self.note(
                        tx,
                        NoteKind.GIFT_RECEIVED,
                        "gift received: giver's acquisition unknown, cost 0 at receipt "
                        "(document it with gift_received)",
                        "Schenkung erhalten: Anschaffung des Schenkers unbekannt, Zugang bei "
                        "Erhalt mit Anschaffungskosten 0 (mit gift_received belegen)",
                    )
            if tx.sell is not None and not tx.sell.is_fiat:
                self.remove(tx, tx.wallet, tx.sell.asset, tx.sell.amount)
        elif k in (Kind.LOST, Kind.STOLEN) and tx.sell is not None and not tx.sell.is_fiat:
            # Prevailing view: no sale, so no § 23 loss (de-rules.md § 4).
            self.remove(tx, tx.wallet, tx.sell.asset, tx.sell.amount)

    def _holdings(self) -> None:
        for key, pool in self.pools.items():
            live = [lot for lot in pool.lots[pool.start :] if lot.qty > 0]
            if not live:
                continue
            costs = [lot.cost for lot in live]
            if pool.average:  # the pool's cost, spread by quantity
                left = pool.cost
                costs = [share(pool.cost, lot.qty, pool.qty) for lot in live[:-1]]
                costs.append(left - sum(costs, ZERO))
            self.result.holdings[key] = [
                Lot(lot.lot_id, lot.acquired, lot.qty, cost, lot.origin)
                for lot, cost in zip(live, costs, strict=True)
            ]


def run_fifo(
    txs: Sequence[Transaction],
    rules: RuleSet,
    transfers: dict[str, str],
    progress: Callable[[int], None] | None = None,
    sink: DisposalSink | None = None,
) -> PassResult:
    return FifoEngine(rules, transfers, sink).run(txs, progress)
