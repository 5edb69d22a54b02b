"""Austrian rules: moving average cost for Neuvermögen, FIFO for Altvermögen (§ 27b EStG).

Every rule and every choice made where the law is open is documented in ``docs/rules-at.md``.

* **Pools.** One pool per (scope, asset); the scope is the wallet (KryptowährungsVO § 2(1),
  ``lots.scope = "wallet"``) or ``"*"`` for one pool per asset (``global``).
* **Neuvermögen** (acquired on/after ``lots.neu_from``, 2021-03-01) is one moving average per
  pool: an inflow adds quantity and cost, a disposal takes ``q × cost / qty`` out. Quantity and
  cost are kept, the average is derived; emptying a pool takes exactly the remaining cost, so
  no dust is left. Every cost is kept to ``model.EUR_QUANTUM`` (1e-18 EUR), which makes the pool an
  exact sum: cost in = cost realized + cost moved + cost remaining, to the last digit.
* **Altvermögen** (acquired earlier) never enters the average (EStR Rz 6178aa); it stays as FIFO
  lots, consumed first by default (VO § 3, ``lots.order = "alt_first"``), tax-free after one
  year under the old § 31 (calendar rule, ``holding.last_taxable_day``).
* **Swaps.** A Neu → crypto swap from 2022-03-01 is no realization (§ 27b Abs 3 Z 2): the cost
  leaves the source pool and is added to the destination pool. Alt units swapped (and any swap
  before 2022-03-01, EStR Rz 6103k) are realized; the received coin costs its market value.
* **Own transfers** move the units at the earlier of the two rows: a paired deposit reached
  before its withdrawal (up to 24 h earlier, or in the same second) moves them from the
  withdrawal's wallet; the withdrawal then only pays its network fee.
* **Income before 2022-03-01** is old-law income (progressive rate, not modelled): kept out of
  the 27.5 % figures with a Note; its inflow value is the cost of the units.
* **Shortfall** (raw pass): units beyond the pool are matched as ``Origin.SHORT`` at cost 0,
  dated at the sale (CoinTracking "assuming purchase on the same day for 0"); a swap carries
  only the covered cost. ``short.policy = "backfill"``: later inflows of the same pool first
  cover open shorts (their cost is written onto the short match, ``covered_by``).
"""

from __future__ import annotations

from bisect import insort
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..model import EUR_QUANTUM, FIAT, ZERO, IncomeType, InputError, Kind, Leg, Transaction, share
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

#: Internal precision of EUR costs and proceeds shares: far below a cent, and coarse enough
#: that sums and differences of costs stay exact within the 50-digit context.
#: Precision of quantities that have to be scaled (transfer received ≠ sent).
QTY_QUANTUM = Decimal("1e-24")
#: First day of the new regime (ÖkoStRefG 2022): from here a Neu → crypto swap is tax-neutral.
REGIME_START = date(2022, 3, 1)
#: Inflows that old law (before REGIME_START) treated as income for a service, at inflow value,
#: besides the rule set's taxable types: staking (mining-like, docs/rules-at.md "Income").
OLD_LAW_INCOME = frozenset({IncomeType.STAKING})
#: German for the ``what`` of ``AverageEngine.value`` (the unvalued note's German text).
_WHAT_DE = {
    "spend": "Bezahlung",
    "fee": "Gebühr",
    "proceeds": "Veräußerungserlös",
    "cost": "Anschaffungskosten",
    "value received": "erhaltener Wert",
    "income": "Einkünfte",
}
#: German for an income type in the old-law income note.
_INCOME_DE = {
    IncomeType.STAKING: "Staking-Erträge",
    IncomeType.LENDING: "Lending-Erträge",
    IncomeType.MINING: "Mining-Erträge",
    IncomeType.AIRDROP: "Airdrop",
    IncomeType.INTEREST: "Zinsen",
    IncomeType.BOUNTY: "Bounty",
    IncomeType.HARDFORK: "Hard Fork",
    IncomeType.OTHER: "sonstige Einkünfte",
}


def _c(x: Decimal) -> Decimal:
    return x.quantize(EUR_QUANTUM)


@dataclass(order=True, slots=True)
class _AltLot:
    acquired: datetime
    lot_id: str
    quantity: Decimal = field(compare=False)
    cost: Decimal = field(compare=False)
    origin: Origin = field(default=Origin.LOT, compare=False)


@dataclass(slots=True)
class _Piece:
    """Units taken out of a pool: an Alt lot's part, a share of the average, or uncovered."""

    lot_id: str
    acquired: datetime
    quantity: Decimal
    cost: Decimal
    origin: Origin
    alt: bool

    @property
    def short(self) -> bool:
        return self.origin is Origin.SHORT


@dataclass(slots=True)
class _Pool:
    """One (scope, asset): the Neu average (qty, cost), Alt FIFO lots and open shorts."""

    avg_id: str
    qty: Decimal = ZERO
    cost: Decimal = ZERO
    #: (inflow time, units) of the Neu pool, used only to date matches: a disposal uses the
    #: time of the earliest unit still in the pool and consumes this queue first-in first-out.
    dates: list[tuple[datetime, Decimal]] = field(default_factory=list)
    alt: list[_AltLot] = field(default_factory=list)
    shorts: deque[OpenShort] = field(default_factory=deque)  # backfill policy only
    #: units that arrived by own transfer without purchase history (the sending wallet held
    #: too few): [transfer id, arrival time, units] at cost 0, kept out of the average and
    #: taken before any other units, so the sale of them is flagged Short as in Germany
    no_history: deque[list] = field(default_factory=deque)

    def add_neu(self, acquired: datetime, qty: Decimal, cost: Decimal) -> None:
        self.qty += qty
        self.cost += cost
        insort(self.dates, (acquired, qty), key=lambda d: d[0])

    def take_neu(self, qty: Decimal, time: datetime) -> _Piece:
        acquired = self.dates[0][0] if self.dates else time
        if qty >= self.qty:  # empties the pool: exactly the remaining cost, no dust
            qty, cost = self.qty, self.cost
            self.qty, self.cost, self.dates = ZERO, ZERO, []
        else:
            cost = share(self.cost, qty, self.qty)
            self.qty -= qty
            self.cost -= cost
            left = qty
            while left > 0 and self.dates:
                when, units = self.dates[0]
                if units <= left:
                    self.dates.pop(0)
                    left -= units
                else:
                    self.dates[0] = (when, units - left)
                    left = ZERO
        return _Piece(self.avg_id, acquired, qty, cost, Origin.LOT, alt=False)

    def take_alt(self, qty: Decimal) -> list[_Piece]:
        pieces: list[_Piece] = []
        while qty > 0 and self.alt:
            lot = self.alt[0]
            units = min(qty, lot.quantity)
            cost = lot.cost if units == lot.quantity else share(lot.cost, units, lot.quantity)
            lot.quantity -= units
            lot.cost -= cost
            if lot.quantity == 0:
                self.alt.pop(0)
            pieces.append(_Piece(lot.lot_id, lot.acquired, units, cost, lot.origin, alt=True))
            qty -= units
        return pieces


class AverageEngine:
    """Processes a sorted, valued ledger once; ``run`` returns the PassResult."""

    def __init__(
        self, rules: RuleSet, transfers: dict[str, str], sink: DisposalSink | None = None
    ) -> None:
        self.rules = rules
        self.transfers = transfers
        # where a final disposal goes: the result's list, or the caller's sink (run_pass)
        self.sink = sink
        self.pools: dict[tuple[str, str], _Pool] = {}
        self.result = PassResult(transfers=dict(transfers))
        self.calendar = LocalCalendar(rules)
        #: paired withdrawals whose units have moved (at the deposit if that came first)
        self.moved: set[str] = set()
        #: first day of the 27.5 % regime: tax-neutral swaps, § 27b Abs 2 current income
        self.regime_start = rules.tax.special_rate_from or REGIME_START

    # -- helpers ---------------------------------------------------------------------------
    def scope(self, wallet: str) -> str:
        return wallet if self.rules.lots.scope == "wallet" else "*"

    def pool(self, wallet: str, asset: str) -> _Pool:
        key = (self.scope(wallet), asset)
        if key not in self.pools:
            self.pools[key] = _Pool(avg_id=f"avg:{key[0]}:{asset}")
        return self.pools[key]

    def note(self, tx: Transaction, kind: NoteKind, message: str, message_de: str) -> None:
        """A note on ``tx``: ``message`` in English, ``message_de`` the same in German (same
        figures, for the German report)."""
        self.result.notes.append(Note(tx.id, message, kind, message_de))

    def value(self, tx: Transaction, leg: Leg | None, what: str) -> Decimal:
        """EUR value of a leg; an unvalued leg counts 0 and is noted."""
        if leg is None:
            return ZERO
        if leg.eur is not None:
            return leg.eur
        if leg.asset == "EUR":
            return leg.amount
        self.note(
            tx,
            NoteKind.UNVALUED,
            f"no EUR value for {leg.amount} {leg.asset} ({what}); 0 used",
            f"kein EUR-Wert für {leg.amount} {leg.asset} ({_WHAT_DE[what]}); mit 0 angesetzt",
        )
        return ZERO

    def is_alt(self, moment: datetime) -> bool:
        neu_from = self.rules.lots.neu_from
        return neu_from is not None and self.calendar.day(moment) < neu_from

    # -- pool operations -------------------------------------------------------------------
    def receive(
        self,
        tx: Transaction,
        wallet: str,
        asset: str,
        qty: Decimal,
        cost: Decimal,
        *,
        acquired: datetime | None = None,
        lot_id: str | None = None,
        alt: bool | None = None,
        origin: Origin = Origin.LOT,
    ) -> None:
        """Units enter a pool: Alt as a FIFO lot, Neu into the average.

        Under the backfill policy the inflow first covers open shorts of the pool; the cost of
        the covering units goes onto the short match and only the rest enters the pool.
        """
        if qty <= 0:
            return
        pool = self.pool(wallet, asset)
        acquired = acquired or tx.time
        if origin is Origin.SHORT:
            pool.no_history.append([lot_id or tx.id, acquired, qty])
            return
        cost = _c(cost)
        if self.rules.short.policy == "backfill":
            qty, cost = cover(pool.shorts, tx.id, qty, cost)
            if qty == 0:
                return
        if alt if alt is not None else self.is_alt(acquired):
            insort(pool.alt, _AltLot(acquired, lot_id or tx.id, qty, cost, origin))
        else:
            pool.add_neu(acquired, qty, cost)

    def take(self, tx: Transaction, wallet: str, asset: str, qty: Decimal) -> list[_Piece]:
        """Units leave a pool in the configured Alt/Neu order; the rest is uncovered (short)."""
        pool = self.pool(wallet, asset)
        pieces: list[_Piece] = []
        left = qty
        while left > 0 and pool.no_history:  # units without purchase history go first
            entry = pool.no_history[0]
            units = min(left, entry[2])
            pieces.append(_Piece(entry[0], tx.time, units, ZERO, Origin.SHORT, alt=False))
            left -= units
            entry[2] -= units
            if not entry[2]:
                pool.no_history.popleft()
        neu_first = self.rules.lots.order == "neu_first"
        for part in ("neu", "alt") if neu_first else ("alt", "neu"):
            if left <= 0:
                break
            if part == "alt":
                got = pool.take_alt(left)
            elif pool.qty > 0:
                got = [pool.take_neu(left, tx.time)]
            else:
                got = []
            pieces.extend(got)
            left -= sum((p.quantity for p in got), ZERO)
        if left > 0:
            pieces.append(_Piece("", tx.time, left, ZERO, Origin.SHORT, alt=False))
        return pieces

    def remove(self, tx: Transaction, wallet: str, asset: str, qty: Decimal) -> Decimal:
        """Units leave without a realization (gift given, loss, theft, fee); returns their cost."""
        pieces = self.take(tx, wallet, asset, qty)
        short = sum((p.quantity for p in pieces if p.short and not p.lot_id), ZERO)
        if short:
            self.note(
                tx,
                NoteKind.BEYOND_HOLDINGS,
                f"{qty} {asset} leave {wallet}, which holds {short} too few",
                f"Abgang von {qty} {asset} aus {wallet}: Bestand dort um {short} zu gering",
            )
        return sum((p.cost for p in pieces), ZERO)

    def dispose(
        self,
        tx: Transaction,
        asset: str,
        pieces: list[_Piece],
        proceeds: Decimal,
        fee: Decimal,
        kind: DisposalKind,
        realized: bool = True,
    ) -> Disposal:
        """A disposal whose matches are ``pieces``; proceeds and fee shared by quantity."""
        qty = sum((p.quantity for p in pieces), ZERO)
        disposal = Disposal(
            tx.id, tx.time, tx.wallet, asset, qty, proceeds, fee, kind, realized=realized
        )
        sold = self.calendar.day(tx.time)
        left_p, left_f = proceeds, fee
        final = True  # False while a later inflow may still cover a short (backfill)
        for n, p in enumerate(pieces):
            if n == len(pieces) - 1:
                p_share, f_share = left_p, left_f
            else:
                p_share, f_share = share(proceeds, p.quantity, qty), share(fee, p.quantity, qty)
                left_p -= p_share
                left_f -= f_share
            bought = self.calendar.day(p.acquired)
            # Alt: old § 31, taxable only within one year; Neu and shorts: always taxable.
            taxable = sold <= self.calendar.last_taxable(bought) if p.alt else True
            match = Match(
                lot_id=p.lot_id,
                acquired=p.acquired,
                quantity=p.quantity,
                cost=p.cost,
                proceeds=p_share,
                fee=f_share,
                holding_days=(sold - bought).days,
                taxable=taxable,
                origin=p.origin,
                alt=p.alt,
            )
            disposal.matches.append(match)
            if p.short and self.rules.short.policy == "backfill":
                self.pool(tx.wallet, asset).shorts.append(OpenShort(match, p.quantity))
                final = False
        if final and self.sink is not None:
            self.sink(disposal)
        else:
            self.result.disposals.append(disposal)
        return disposal

    def move(
        self, tx: Transaction, src: str, dst: str, asset: str, sent: Decimal, received: Decimal
    ) -> None:
        """An own transfer: Alt lots keep date and cost, the Neu share joins the destination
        average with the source average cost. If fewer units arrive than were sent (a fee
        inside the amount), quantities shrink proportionally and the cost moves in full."""
        if self.scope(src) == self.scope(dst) and sent == received:
            return
        pieces = self.take(tx, src, asset, sent)
        if received != sent:
            self.note(
                tx,
                NoteKind.AMOUNTS_DIFFER,
                f"transfer: {sent} {asset} sent, {received} received",
                f"Übertrag: {sent} {asset} gesendet, {received} erhalten",
            )
            left = received
            for n, p in enumerate(pieces):
                if n == len(pieces) - 1:
                    p.quantity = left
                else:
                    p.quantity = (p.quantity * received / sent).quantize(QTY_QUANTUM)
                    left -= p.quantity
        for p in pieces:
            if p.short:
                if not p.lot_id:  # uncovered here (else: units without history moving on)
                    self.note(
                        tx,
                        NoteKind.BEYOND_HOLDINGS,
                        f"transfer of {sent} {asset} exceeds the holdings of {src}: "
                        f"{p.quantity} arrive in {dst} without purchase history (cost 0)",
                        f"Übertrag von {sent} {asset} übersteigt den Bestand in {src}: "
                        f"{p.quantity} kommen ohne Kaufhistorie in {dst} an "
                        "(Anschaffungskosten 0)",
                    )
                self.receive(
                    tx, dst, asset, p.quantity, ZERO, lot_id=p.lot_id or None, origin=Origin.SHORT
                )
            else:
                self.receive(
                    tx,
                    dst,
                    asset,
                    p.quantity,
                    p.cost,
                    acquired=p.acquired,
                    lot_id=p.lot_id,
                    alt=p.alt,
                    origin=p.origin,
                )

    def network_fee(self, tx: Transaction, fee: Leg, *, in_trade: bool = False) -> Decimal:
        """A crypto fee outside a trade's own legs (withdrawal, transfer, third currency).

        AT default ``ignore``: units leave at their carried (average or Alt lot) cost, nothing
        is realized or deducted (EStR Rz 6178ad). ``disposal`` realizes them at market value,
        ``werbungskosten`` records their cost as an expense (options kept for what-if runs).

        Returns what the fee cost the client in EUR for tax purposes: the market value if it
        was realized (``disposal``), else the carried cost that left the pool. ``in_trade``:
        the fee of a trade whose acquisition or selling cost takes that amount (``trade_fee =
        "cost_or_proceeds"``), so it is not recorded a second time as an expense.
        """
        policy = self.rules.fees.network_fee
        if policy == "disposal":
            pieces = self.take(tx, tx.wallet, fee.asset, fee.amount)
            value = self.value(tx, fee, "fee")
            self.dispose(tx, fee.asset, pieces, value, ZERO, DisposalKind.FEE)
            return value
        cost = self.remove(tx, tx.wallet, fee.asset, fee.amount)
        if policy == "werbungskosten" and cost and not in_trade:
            self.result.expenses.append(
                Expense(tx.id, tx.time, cost, f"network fee {fee.amount} {fee.asset}")
            )
        return cost

    # -- transactions ----------------------------------------------------------------------
    def trade(self, tx: Transaction) -> None:
        """Purchase, sale or swap; fees as in the DE engine (``rules.fees.trade_fee``).

        A fee in the sold asset leaves with the sold units (sale: its cost lowers the gain;
        Neu swap: its cost is carried to the coin received); a fee in the bought asset reduces
        the units received (their cost stays with the rest); a fee in EUR or a third asset is
        an acquisition cost on a purchase or swap and a selling cost on a sale. A third crypto
        counts with what it cost the client (``network_fee``): under the AT default its carried
        cost, which leaves its pool without realization (Rz 6178ad) — never its market value,
        which would step up the cost (or cut the proceeds) by a gain nobody is taxed on.
        """
        buy = tx.buy if tx.buy is not None and not tx.buy.is_fiat else None
        sell = tx.sell if tx.sell is not None and not tx.sell.is_fiat else None
        fee = tx.fee
        extra_out = ZERO
        net_in = buy.amount if buy is not None else ZERO
        fee_value = ZERO
        if fee is not None:
            if sell is not None and fee.asset == sell.asset:
                extra_out = fee.amount
            elif buy is not None and fee.asset == buy.asset:
                net_in -= fee.amount
            else:
                # "cost_only" (§ 20 Abs. 2 EStG, EStR Rz 6178y): an acquisition cost counts, a
                # selling cost of a sale at the special rate does not (old § 31 sales before
                # the regime start keep it: Werbungskosten at the progressive rate)
                policy = self.rules.fees.trade_fee
                counts = policy == "cost_or_proceeds" or (
                    policy == "cost_only"
                    and (buy is not None or self.calendar.day(tx.time) < self.regime_start)
                )
                if not fee.is_fiat:
                    paid = self.network_fee(tx, fee, in_trade=counts)
                    fee_value = paid if counts else ZERO
                elif counts:
                    fee_value = self.value(tx, fee, "fee")
        if buy is not None and net_in < 0:
            self.note(
                tx,
                NoteKind.FEE_EXCEEDS_BUY,
                f"fee exceeds the {buy.amount} {buy.asset} bought",
                f"Gebühr übersteigt die gekauften {buy.amount} {buy.asset}",
            )
            net_in = ZERO
        if sell is not None and buy is not None:
            self.swap(tx, sell, buy, extra_out, net_in, fee_value)
        elif sell is not None:
            proceeds = self.value(tx, tx.buy if tx.buy is not None else sell, "proceeds")
            pieces = self.take(tx, tx.wallet, sell.asset, sell.amount + extra_out)
            self.dispose(tx, sell.asset, pieces, proceeds, fee_value, DisposalKind.SALE)
        elif buy is not None:
            cost = self.value(tx, tx.sell if tx.sell is not None else buy, "cost")
            self.receive(tx, tx.wallet, buy.asset, net_in, cost + fee_value)

    def swap(
        self,
        tx: Transaction,
        sell: Leg,
        buy: Leg,
        extra_out: Decimal,
        net_in: Decimal,
        fee_value: Decimal,
    ) -> None:
        """Crypto → crypto. Neu units (from 2022-03-01): no realization, cost carried over.
        Alt units (and any swap before 2022-03-01): realized at the value received, and that
        value becomes the cost of the coin received (its share)."""
        proceeds = self.value(tx, buy if buy.eur is not None else sell, "value received")
        pieces = self.take(tx, tx.wallet, sell.asset, sell.amount + extra_out)
        neutral = self.calendar.day(tx.time) >= self.regime_start
        realized = [p for p in pieces if p.alt or not neutral]
        carried = [p for p in pieces if neutral and not p.alt]
        total = sum((p.quantity for p in pieces), ZERO)
        realized_qty = sum((p.quantity for p in realized), ZERO)
        realized_proceeds = proceeds if not carried else share(proceeds, realized_qty, total)
        cost_in = fee_value
        if realized:
            self.dispose(tx, sell.asset, realized, realized_proceeds, ZERO, DisposalKind.SWAP)
            cost_in += realized_proceeds
        if carried:
            d = self.dispose(
                tx,
                sell.asset,
                carried,
                proceeds - realized_proceeds,
                ZERO,
                DisposalKind.SWAP,
                realized=False,
            )
            cost_in += d.cost  # shorts carry nothing: only the covered cost moves
        self.receive(tx, tx.wallet, buy.asset, net_in, cost_in)

    def income(self, tx: Transaction) -> None:
        """§ 27b Abs 2: lending/mining are income at inflow value, which becomes the cost;
        staking, airdrops, bounties, hard forks are no income and enter at cost 0.

        Before the regime start (2022-03-01) § 27b Abs 2 did not exist: lending, mining and
        staking were income under old law at the progressive rate, which taxsim does not model.
        Such an event is not 27.5 % income (``taxable=False``, so it stays out of the income
        figure, the E1kv row and the tax estimate), is flagged with a Note, and its inflow
        value is the cost of the units. Airdrops, bounties, hard forks, other: cost 0 as later.
        """
        buy = tx.buy
        if buy is None:
            return
        value = self.value(tx, buy, "income")
        kind = tx.income_type or IncomeType.OTHER
        taxable = self.rules.is_income(kind)
        at_value = taxable
        if self.calendar.day(tx.time) < self.regime_start:
            at_value = taxable or kind in OLD_LAW_INCOME
            taxable = False
            if at_value:
                self.note(
                    tx,
                    NoteKind.OLD_LAW_INCOME,
                    f"old-law income: {kind} received before {self.regime_start} "
                    "(progressive rate, not modelled): not in the 27.5 % income or tax "
                    f"estimate; its value {value} EUR is the cost of the units",
                    f"Einkünfte nach altem Recht: {_INCOME_DE.get(kind, kind)} vor dem "
                    f"{self.regime_start} erhalten (Tarifbesteuerung, nicht abgebildet): nicht in "
                    "den Einkünften zum Sondersteuersatz und nicht in der Steuerschätzung; der "
                    f"Wert von {value} EUR bildet die Anschaffungskosten der Einheiten",
                )
        self.result.income.append(
            IncomeEvent(tx.id, tx.time, tx.wallet, buy.asset, buy.amount, value, kind, taxable)
        )
        if buy.is_fiat:
            return
        if kind is IncomeType.HARDFORK and not at_value and self.hard_fork(tx, buy):
            return
        self.receive(tx, tx.wallet, buy.asset, buy.amount, value if at_value else ZERO)

    def hard_fork(self, tx: Transaction, leg: Leg) -> bool:
        """Fork units take the acquisition date of the original units (BMF answer to the
        parliamentary question 382/J, 30.4.2018; ``income.hardfork_date = "origin"``): the
        share forked from Altvermögen is Altvermögen with the original lots' dates (tax-free
        after a year), the rest Neuvermögen. Cost 0 throughout (EStR Rz 6178u). False (nothing
        done) when the origin is unknown or not held in the wallet."""
        origin = fork_origin(self.rules, tx, leg)
        if not origin:
            return False
        pool = self.pools.get((self.scope(tx.wallet), origin))
        alt = [a for a in pool.alt if a.quantity > 0] if pool is not None else []
        held = sum((a.quantity for a in alt), pool.qty if pool is not None else ZERO)
        if pool is None or held <= 0:
            self.note(
                tx,
                NoteKind.FORK_ORIGIN,
                f"hard fork of {leg.amount} {leg.asset}: "
                + (f"no {origin} held in {tx.wallet} at the fork" if origin else "origin unknown")
                + "; Neuvermögen dated at the fork (document it with fork_origin)",
                f"Hard Fork von {leg.amount} {leg.asset}: "
                + (
                    f"kein Bestand an {origin} in {tx.wallet} beim Fork"
                    if origin
                    else "Ursprung unbekannt"
                )
                + "; Neuvermögen mit Anschaffung zum Zeitpunkt des Forks (mit fork_origin "
                "belegen)",
            )
            return False
        left = leg.amount
        for a in alt:
            units = share(leg.amount, a.quantity, held)
            left -= units
            self.receive(
                tx, tx.wallet, leg.asset, units, ZERO, acquired=a.acquired, lot_id=tx.id, alt=True
            )
        self.receive(tx, tx.wallet, leg.asset, left, ZERO, alt=False)
        return True

    def derivative(self, tx: Transaction) -> None:
        """A margin/derivatives row: out of the § 27b pools' realizations (§ 27 Abs 4,
        ``engine.derivatives``); a profit in crypto enters at its value, a loss or fee in
        crypto leaves without realization."""
        found = derivative_events(tx)
        self.result.derivatives.extend(found)
        for event in found:
            if event.asset in FIAT:
                continue
            if event.part == "profit":
                cost = event.value if event.value is not None else ZERO
                self.receive(tx, tx.wallet, event.asset, event.quantity, cost)
            else:
                self.remove(tx, tx.wallet, event.asset, event.quantity)

    def own_transfer(self, withdrawal: Transaction, deposit: Transaction, row: Transaction) -> bool:
        """Move the units of a paired withdrawal/deposit once, at whichever ``row`` comes first.

        The pairing accepts a deposit up to ``transfers.max_hours_before`` before its
        withdrawal, and within one second inflows are processed first, so the deposit may be
        reached first: the units then move at the deposit's time, from the withdrawal's wallet,
        and the withdrawal row later only pays its own fee. Notes and backfill name the
        withdrawal (the pair's id in ``PassResult.transfers``). Returns False if there is
        nothing to move (a leg missing or fiat)."""
        sell, buy = withdrawal.sell, deposit.buy
        if sell is None or sell.is_fiat or buy is None or buy.is_fiat:
            return False
        if withdrawal.id not in self.moved:
            self.moved.add(withdrawal.id)
            mover = withdrawal if row is withdrawal else withdrawal.with_(time=row.time)
            self.move(mover, withdrawal.wallet, deposit.wallet, sell.asset, sell.amount, buy.amount)
        return True

    def withdrawal(self, tx: Transaction, deposits: dict[str, Transaction]) -> None:
        sell = tx.sell
        if sell is None or sell.is_fiat:
            return
        dep_id = self.transfers.get(tx.id)
        deposit = deposits.get(dep_id) if dep_id is not None else None
        if deposit is not None and self.own_transfer(tx, deposit, tx):
            return
        self.remove(tx, tx.wallet, sell.asset, sell.amount)
        self.note(
            tx,
            NoteKind.UNMATCHED_WITHDRAWAL,
            f"withdrawal of {sell.amount} {sell.asset} from {tx.wallet} has no matching "
            "deposit: units leave at average cost (moved to a wallet outside the ledger)",
            f"Auszahlung von {sell.amount} {sell.asset} aus {tx.wallet} ohne passende "
            "Einzahlung: Abgang zu durchschnittlichen Anschaffungskosten (Übertrag in eine "
            "Wallet außerhalb des Ledgers)",
        )

    def run(
        self, txs: Sequence[Transaction], progress: Callable[[int], None] | None = None
    ) -> PassResult:
        paired = set(self.transfers.values())
        deposits = {t.id: t for t in txs if t.id in paired}
        withdrawals = {t.id: t for t in txs if t.id in self.transfers}
        source = {dep: wd for wd, dep in self.transfers.items()}
        for n, tx in enumerate(txs):
            if progress is not None and n % 10_000 == 0:
                progress(n)
            k = tx.kind
            if k is Kind.TRADE:  # "Swap (non taxable)" too: every crypto swap is neutral here
                self.trade(tx)
                continue
            if k is Kind.DERIVATIVE:
                self.derivative(tx)
                continue
            if k is Kind.WITHDRAWAL:
                self.withdrawal(tx, deposits)
            elif k is Kind.TRANSFER:
                if tx.sell is not None and not tx.sell.is_fiat:
                    if not tx.to_wallet:
                        src = tx.source
                        raise InputError(
                            src.file if src else "ledger",
                            src.row if src else None,
                            "to_wallet",
                            f"transfer {tx.id} needs a receiving wallet",
                        )
                    received = tx.buy.amount if tx.buy is not None else tx.sell.amount
                    self.move(tx, tx.wallet, tx.to_wallet, tx.sell.asset, tx.sell.amount, received)
            elif k is Kind.DEPOSIT:
                if tx.id in paired:
                    wd = withdrawals.get(source[tx.id])
                    if wd is not None:
                        self.own_transfer(wd, tx, tx)  # no-op if the withdrawal moved them
                elif tx.buy is not None and not tx.buy.is_fiat:
                    self.receive(
                        tx, tx.wallet, tx.buy.asset, tx.buy.amount, ZERO, origin=Origin.GHOST
                    )
                    self.note(
                        tx,
                        NoteKind.GHOST_DEPOSIT,
                        f"deposit of {tx.buy.amount} {tx.buy.asset} into {tx.wallet} has no "
                        "matching withdrawal: enters at cost 0 without purchase history",
                        f"Einzahlung von {tx.buy.amount} {tx.buy.asset} in {tx.wallet} ohne "
                        "passende Auszahlung: Zugang mit Anschaffungskosten 0 ohne Kaufhistorie",
                    )
            elif k is Kind.INCOME:
                self.income(tx)
            elif k is Kind.SPEND:
                if tx.sell is not None and not tx.sell.is_fiat:
                    value = self.value(tx, tx.sell, "spend")
                    pieces = self.take(tx, tx.wallet, tx.sell.asset, tx.sell.amount)
                    self.dispose(tx, tx.sell.asset, pieces, value, ZERO, DisposalKind.SPEND)
            elif k is Kind.GIFT:
                taken = tx.taken_over
                if tx.buy is not None and not tx.buy.is_fiat and taken and taken.acquired:
                    # A gift_received correction: the recipient continues the giver's
                    # acquisition (date — so Alt or Neu — and cost; unentgeltlicher Erwerb)
                    cost = taken.cost if taken.cost is not None else ZERO
                    self.receive(
                        tx, tx.wallet, tx.buy.asset, tx.buy.amount, cost, acquired=taken.acquired
                    )
                elif tx.buy is not None and not tx.buy.is_fiat:
                    # The giver's cost is unknown here: cost 0 at receipt (conservative).
                    self.receive(tx, tx.wallet, tx.buy.asset, tx.buy.amount, ZERO)
                    self.note(
                        tx,
                        NoteKind.GIFT_RECEIVED,
                        "gift received: giver's cost unknown, enters at cost 0 (document it "
                        "with gift_received)",
                        "Schenkung erhalten: Anschaffungskosten des Schenkers unbekannt, Zugang "
                        "mit Anschaffungskosten 0 (mit gift_received belegen)",
                    )
                if tx.sell is not None and not tx.sell.is_fiat:
                    self.remove(tx, tx.wallet, tx.sell.asset, tx.sell.amount)
            elif k in (Kind.LOST, Kind.STOLEN) and tx.sell is not None and not tx.sell.is_fiat:
                # at-rules § 2.4: theft, hack, worthless coin: no realization, no loss.
                self.remove(tx, tx.wallet, tx.sell.asset, tx.sell.amount)
            if tx.fee is not None and not tx.fee.is_fiat:
                self.network_fee(tx, tx.fee)
        self._holdings()
        return self.result

    def _holdings(self) -> None:
        for (scope, asset), pool in self.pools.items():
            lots: list[Lot] = []
            if pool.qty > 0:
                acquired = pool.dates[0][0]
                lots.append(Lot(pool.avg_id, acquired, pool.qty, pool.cost))
            lots.extend(
                Lot(a.lot_id, a.acquired, a.quantity, a.cost, a.origin, alt=True) for a in pool.alt
            )
            lots.extend(
                Lot(lot_id, arrived, units, ZERO, Origin.SHORT)
                for lot_id, arrived, units in pool.no_history
            )
            if lots:
                self.result.holdings[(scope, asset)] = lots


def run_average(
    txs: list[Transaction],
    rules: RuleSet,
    transfers: dict[str, str],
    progress: Callable[[int], None] | None = None,
    sink: DisposalSink | None = None,
) -> PassResult:
    """One Austrian pass over ``txs`` (sorted, valued); ``transfers``: withdrawal → deposit id."""
    return AverageEngine(rules, transfers, sink).run(txs, progress)
