"""EUR values for every leg that needs one, derived only from the ledger itself.

Order of sources (documented in docs/rules.md, "Valuation"):

1. the leg's own EUR value from the ledger;
2. a leg in EUR is its own value;
3. the other leg of the same trade (a swap's proceeds are the value received, BMF Rz. 58;
   if only the given side is valued, it is used for both) — also when that other leg's value
   is itself an estimate from step 5;
4. a fee in the currency of a valued leg: proportional to that leg's unit value;
5. the last unit price of the asset seen in the ledger before the transaction (an estimate,
   marked with a note so the report can disclose it).

Anything still unvalued is left ``None`` and noted; the engines then use 0 and the note travels
to the report. No network price source is ever used (customer data stays on the machine).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..model import FIAT, Kind, Leg, Transaction
from .types import Note, NoteKind

#: Kinds whose main legs a tax pass values (the others move lots without a value).
_TAXED = frozenset({Kind.TRADE, Kind.INCOME, Kind.SPEND})
#: A leg's name in the notes' German text.
_LEG_DE = {"buy": "Zugang", "sell": "Abgang", "fee": "Gebühr"}


def value_transactions(
    txs: Iterable[Transaction], every_leg_from: datetime | None = None
) -> tuple[list[Transaction], list[Note]]:
    """Return the transactions (in the given order) with EUR values filled where derivable.

    Only the legs a tax pass needs are estimated; for rows at or after ``every_leg_from`` the
    crypto legs of deposits, withdrawals, transfers, gifts and losses too (DAC8 reports their
    market value from its first reporting year on; earlier rows need only the prices they set).
    """
    out: list[Transaction] = []
    notes: list[Note] = []
    # asset → (last valued leg, its time); the unit price is worked out only when needed
    last_seen: dict[str, tuple[Leg, datetime]] = {}

    for tx in txs:
        buy, sell, fee = tx.buy, tx.sell, tx.fee
        every_leg = every_leg_from is not None and tx.time >= every_leg_from
        if (
            (buy is None or buy.eur is not None)
            and (sell is None or sell.eur is not None)
            and (fee is None or fee.eur is not None)
        ):  # fast path: everything valued already (the common case in a full export)
            if buy is not None and buy.amount and buy.asset not in FIAT:
                last_seen[buy.asset] = (buy, tx.time)
            if sell is not None and sell.amount and sell.asset not in FIAT:
                last_seen[sell.asset] = (sell, tx.time)
            out.append(tx)
            continue
        if tx.kind is Kind.DERIVATIVE and not every_leg:
            # shown as the ledger values them, never estimated (engine.derivatives)
            out.append(tx)
            continue
        if (
            not every_leg
            and tx.kind not in _TAXED
            and (fee is None or fee.eur is not None)
            and (buy is None or buy.eur is not None or buy.asset != "EUR")
            and (sell is None or sell.eur is not None or sell.asset != "EUR")
        ):  # a movement (deposit, withdrawal, transfer …): nothing here needs a value
            for leg in (buy, sell):
                if leg is not None and leg.eur is not None and leg.amount and not leg.is_fiat:
                    last_seen[leg.asset] = (leg, tx.time)
            out.append(tx)
            continue
        buy = _own(buy)
        sell = _own(sell)
        fee = _own(fee)
        if tx.kind is Kind.TRADE and buy is not None and sell is not None:
            if buy.eur is None and sell.eur is not None:
                buy = Leg(buy.amount, buy.asset, sell.eur)
            elif sell.eur is None and buy.eur is not None:
                sell = Leg(sell.amount, sell.asset, buy.eur)
        if fee is not None and fee.eur is None:
            for leg in (sell, buy):
                if leg is not None and leg.asset == fee.asset and leg.eur is not None:
                    fee = Leg(fee.amount, fee.asset, fee.amount * leg.eur / leg.amount)
                    break
        needs = _legs_needing_value(tx.kind, buy, sell, fee, every_leg)
        fixed: dict[str, Leg] = {}
        unpriced: list[tuple[str, Leg]] = []
        for name, leg in needs:
            seen = last_seen.get(leg.asset)
            if seen is None:
                unpriced.append((name, leg))
                continue
            priced, when = seen
            price = priced.eur / priced.amount  # type: ignore[operator]
            fixed[name] = Leg(leg.amount, leg.asset, leg.amount * price)
            notes.append(
                Note(
                    tx.id,
                    f"{name} leg {leg.amount} {leg.asset} valued at the last price in the ledger "
                    f"({price:.2f} EUR, {when:%Y-%m-%d}); estimate",
                    NoteKind.ESTIMATED,
                    f"{_LEG_DE[name]} {leg.amount} {leg.asset} mit dem letzten Kurs im Ledger "
                    f"bewertet ({price:.2f} EUR, {when:%Y-%m-%d}); EUR-Wert geschätzt",
                )
            )
        for name, leg in unpriced:
            # A swap side without a price of its own takes the other side's estimate (rule 3).
            other = fixed.get("sell" if name == "buy" else "buy") if name != "fee" else None
            if other is not None and tx.kind is Kind.TRADE:
                fixed[name] = Leg(leg.amount, leg.asset, other.eur)
                notes.append(
                    Note(
                        tx.id,
                        f"{name} leg {leg.amount} {leg.asset} valued as the {other.amount} "
                        f"{other.asset} it was traded for; estimate",
                        NoteKind.ESTIMATED,
                        f"{_LEG_DE[name]} {leg.amount} {leg.asset} mit dem Wert der im Tausch "
                        f"{'hingegebenen' if name == 'buy' else 'erhaltenen'} {other.amount} "
                        f"{other.asset} bewertet; EUR-Wert geschätzt",
                    )
                )
            else:
                message = f"no EUR value for {leg.amount} {leg.asset} ({name} leg)"
                german = f"kein EUR-Wert für {leg.amount} {leg.asset} ({_LEG_DE[name]})"
                notes.append(Note(tx.id, message, NoteKind.UNVALUED, german))
        buy = fixed.get("buy", buy)
        sell = fixed.get("sell", sell)
        fee = fixed.get("fee", fee)
        for leg in (buy, sell):
            if leg is not None and leg.eur is not None and not leg.is_fiat and leg.amount:
                last_seen[leg.asset] = (leg, tx.time)
        if buy is not tx.buy or sell is not tx.sell or fee is not tx.fee:
            tx = tx.with_(buy=buy, sell=sell, fee=fee)
        out.append(tx)
    return out, notes


def _own(leg: Leg | None) -> Leg | None:
    """A leg in EUR is its own value."""
    if leg is not None and leg.eur is None and leg.asset == "EUR":
        return Leg(leg.amount, leg.asset, leg.amount)
    return leg


def _legs_needing_value(
    kind: Kind, buy: Leg | None, sell: Leg | None, fee: Leg | None, every_leg: bool = False
) -> list[tuple[str, Leg]]:
    """Legs whose EUR value a tax pass needs: trade, income, spend legs and crypto fees.

    Deposits, withdrawals, transfers, losses and gifts move lots without a value, so their
    main legs are not estimated (a missing value there changes no figure) unless
    ``every_leg``, and then only their crypto legs.
    """
    need: list[tuple[str, Leg]] = []
    taxed = kind in _TAXED
    for name, leg in (("buy", buy), ("sell", sell)):
        if leg is not None and leg.eur is None and (taxed or (every_leg and not leg.is_fiat)):
            need.append((name, leg))
    if fee is not None and fee.eur is None and not fee.is_fiat:
        need.append(("fee", fee))
    return need
