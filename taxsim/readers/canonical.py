"""The taxsim canonical CSV (docs/canonical-csv.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter

from ..gc_pause import gc_paused, keep_for_good
from ..inputs import limits
from ..inputs.text import Role, checked_row
from ..model import IncomeType, InputError, Kind, Leg, Source, Transaction
from .cells import (
    _AMBIGUOUS,
    _DIGITS,
    _LEG_CACHE,
    _blank,
    _DecimalStyle,
    _is_plain,
    _number,
    unsafe_cell,
)
from .dates import MAX_YEAR, MIN_YEAR, _Clock
from .table import Row

#: Columns of the canonical CSV (docs/canonical-csv.md); the writer uses this order.
CANONICAL_COLUMNS = [
    "id",
    "time",
    "kind",
    "income_type",
    "wallet",
    "to_wallet",
    "buy_amount",
    "buy_asset",
    "buy_eur",
    "sell_amount",
    "sell_asset",
    "sell_eur",
    "fee_amount",
    "fee_asset",
    "fee_eur",
    "group",
    "comment",
    "txid",
    "chain",
    "contract",
    "from_address",
    "to_address",
]
_CANONICAL_REQUIRED = ("id", "time", "kind", "wallet")
#: Text columns of the canonical CSV: written through ``writers.safe_cell``, read back with
#: ``unsafe_cell`` so the round trip is lossless.
CANONICAL_TEXT_COLUMNS = [
    "id",
    "wallet",
    "to_wallet",
    "buy_asset",
    "sell_asset",
    "fee_asset",
    "group",
    "comment",
    "txid",
    "chain",
    "contract",
    "from_address",
    "to_address",
]


#: The text role of each canonical column (``inputs.text``); the others are values.
_ROLES = {
    **dict.fromkeys(
        ("id", "wallet", "to_wallet", "txid", "chain", "contract", "from_address", "to_address"),
        Role.IDENTIFIER,
    ),
    **dict.fromkeys(("buy_asset", "sell_asset", "fee_asset"), Role.TICKER),
    **dict.fromkeys(("group", "comment"), Role.FREE),
}


def _read_canonical(
    file: str,
    header: list[str],
    rows: Iterator[Row],
    header_row: int,
    timezone: str,
    decimals: _DecimalStyle | None,
) -> tuple[list[Transaction], dict[str, int]]:
    """The transactions of a canonical CSV, and each id's position among them (the index the
    duplicate check builds anyway, kept for ``Ledger.positions``)."""
    unknown = [h for h in header if h not in CANONICAL_COLUMNS]
    if unknown:
        raise InputError(
            file, header_row, unknown[0], f"unknown column; expected: {','.join(CANONICAL_COLUMNS)}"
        )
    repeated = [h for h, n in Counter(header).items() if n > 1]
    if repeated:
        raise InputError(file, header_row, repeated[0], "column appears twice")
    missing = [c for c in _CANONICAL_REQUIRED if c not in header]
    if missing:
        raise InputError(file, header_row, missing[0], "required column is missing")
    width = len(header)
    # Index of every canonical column in this file; absent ones read an empty extra cell.
    # A file with exactly the canonical columns in order (what the writer produces) is used as
    # it is, without picking.
    idx = [header.index(name) if name in header else width for name in CANONICAL_COLUMNS]
    pick = None if idx == list(range(len(CANONICAL_COLUMNS))) else itemgetter(*idx)
    text_positions = [CANONICAL_COLUMNS.index(name) for name in CANONICAL_TEXT_COLUMNS]
    roles = [_ROLES.get(name, Role.OTHER) for name in header]
    cell_chars = limits.current().cell_chars
    clock = _Clock(file, timezone, lambda: iter(()))
    kinds = {k.value: k for k in Kind}
    income_types = {t.value: t for t in IncomeType}
    texts: dict[str, str] = {}  # group/chain text -> one object for all its rows (memory)
    names: dict[str, str] = {}  # wallet cell -> the name, stripped
    assets: dict[str, str] = {}  # asset cell -> the ticker, stripped and upper-cased
    ids: dict[str, int] = {}
    txs: list[Transaction] = []
    append = txs.append
    legs: dict[tuple[str, str, str], Leg] = {}  # (amount, asset, eur) -> its leg
    fromiso, dec, digits = datetime.fromisoformat, Decimal, _DIGITS
    trade, income, transfer = Kind.TRADE, Kind.INCOME, Kind.TRANSFER
    min_year, max_year = MIN_YEAR, MAX_YEAR
    comma_decimal = decimals is not None
    # In ";" files a plain number like 1.500 may be ambiguous: ``number`` decides (slow path).
    is_plain = _is_plain if decimals is None else lambda t: _is_plain(t) and not _AMBIGUOUS(t)

    def number(raw: str, row: int, name: str, positive: bool) -> Decimal | None:
        """Any cell that is not a plain number (the callers take those): the full rules."""
        value = _number(raw, comma_decimal)
        if isinstance(value, str):
            raise InputError(file, row, name, value)
        if value is not None and (value <= 0 if positive else value < 0):
            need = "an amount > 0" if positive else "a value >= 0"
            raise InputError(file, row, name, f"expected {need}, got '{raw}'")
        if decimals is not None and value is not None:
            problem = decimals.problem(raw)
            if problem:
                raise InputError(file, row, name, problem)
        return value

    def leg(amount: str, asset: str, eur: str, row: int, prefix: str) -> Leg | None:
        """The leg of three cells. It depends on their texts only (errors also on the row),
        so it is kept for the same texts coming again: legs are immutable."""
        if not amount:
            for suffix, value in (("asset", asset), ("eur", eur)):
                if value:
                    raise InputError(
                        file, row, f"{prefix}_{suffix}", f"given without {prefix}_amount"
                    )
            return None
        qty = dec(amount) if is_plain(amount) else number(amount, row, f"{prefix}_amount", True)
        if not qty:
            raise InputError(
                file, row, f"{prefix}_amount", f"expected an amount > 0, got '{amount}'"
            )
        value = None
        if eur:
            value = dec(eur) if is_plain(eur) else number(eur, row, f"{prefix}_eur", False)
        return new_leg(amount, asset, eur, qty, value, row, prefix)  # type: ignore[arg-type]

    def new_leg(
        amount: str,
        asset: str,
        eur: str,
        qty: Decimal,
        value: Decimal | None,
        row: int,
        prefix: str,
    ) -> Leg:
        """A checked leg, kept for the same three texts coming again."""
        upper = assets.get(asset)
        if upper is None:
            upper = assets[asset] = asset.strip().upper()
        if not upper:
            raise InputError(file, row, f"{prefix}_asset", f"required with {prefix}_amount")
        if len(legs) >= _LEG_CACHE:
            legs.clear()  # bounds the memory; the repeated legs come back soon
        new = legs[amount, asset, eur] = Leg(qty, upper, value)
        return new

    def plain_leg(amount: str, asset: str, eur: str, row: int, prefix: str) -> Leg | None:
        """The usual leg, built directly: a plain amount > 0, a plain or empty value and a
        ticker seen before (the checks of ``_is_plain`` inlined). Anything else, and a ticker
        the first time, goes through ``leg``: the full rules."""
        upper = assets.get(asset)
        rest = amount.strip(digits)
        if upper and (
            (not rest and amount) or (rest == "." and amount[0] != "." and amount[-1] != ".")
        ):
            qty = dec(amount)
            rest = eur.strip(digits)  # "" for an empty value
            if qty and (not rest or (rest == "." and eur[0] != "." and eur[-1] != ".")):
                if len(legs) >= _LEG_CACHE:
                    legs.clear()  # bounds the memory; the repeated legs come back soon
                new = legs[amount, asset, eur] = Leg(qty, upper, dec(eur) if eur else None)
                return new
        return leg(amount, asset, eur, row, prefix)

    if decimals is not None:
        plain_leg = leg  # noqa: F811 - ";" files: every leg through the full rules

    with gc_paused():  # millions of small objects, no cycles (gc_pause.py)
        for row, cells in rows:
            if len(cells) != width:
                if len(cells) > width and _blank(cells[width:]):
                    cells = cells[:width]  # empty columns a spreadsheet added at the end
                elif _blank(cells):
                    continue
                else:
                    raise InputError(
                        file, row, None, f"expected {width} columns, found {len(cells)}"
                    )
            # the input boundary (taxsim.inputs.text.row_is_clean, inlined: once per row)
            try:
                joined = "".join(cells)  # type: ignore[arg-type]
            except TypeError:  # date-time cells of an XLSX sheet
                joined = "".join([c for c in cells if type(c) is str])
            if not (joined.isascii() and joined.isprintable()) or len(joined) > cell_chars:
                cells = checked_row(cells, roles, file, row, header, cell_chars)
                joined = "".join([c for c in cells if type(c) is str])
            v: Sequence[str]
            if pick is None:
                v = cells  # type: ignore[assignment]
            else:
                cells.append("")
                v = pick(cells)
            if "'" in joined:  # rare: undo safe_cell where it escaped a text
                v = list(v)
                for j in text_positions:
                    v[j] = unsafe_cell(v[j])
            (
                tx_id,
                time,
                kind_text,
                type_text,
                wallet,
                to_wallet,
                buy_amount,
                buy_asset,
                buy_eur,
                sell_amount,
                sell_asset,
                sell_eur,
                fee_amount,
                fee_asset,
                fee_eur,
                group,
                comment,
                txid,
                chain,
                contract,
                from_address,
                to_address,
            ) = v
            tx_id = tx_id.strip()
            if not tx_id:
                if _blank(cells):
                    continue
                raise InputError(file, row, "id", "required")
            position = len(txs)  # where this row goes, if it is good
            first = ids.setdefault(tx_id, position)
            if first != position:
                used = txs[first].source.row  # type: ignore[union-attr]
                raise InputError(file, row, "id", f"'{tx_id}' is already used in row {used}")
            kind = kinds.get(kind_text)
            if kind is None:
                raise InputError(
                    file, row, "kind", f"expected one of {', '.join(kinds)}, got '{kind_text}'"
                )
            income_type = None
            if kind is income or type_text:
                income_type = income_types.get(type_text)
                if kind is income and income_type is None:
                    raise InputError(
                        file, row, "income_type", f"expected one of {', '.join(income_types)}"
                    )
                if kind is not income:
                    raise InputError(file, row, "income_type", "only allowed for kind income")
            name = names.get(wallet)
            if name is None:
                name = names[wallet] = wallet.strip()
            if not name:
                raise InputError(file, row, "wallet", "required")
            if to_wallet:
                to_wallet = names.get(to_wallet) or names.setdefault(to_wallet, to_wallet.strip())
            if (kind is transfer) != bool(to_wallet):
                raise InputError(file, row, "to_wallet", "required for kind transfer, only there")
            # A leg seen before is taken from ``legs``; ``leg`` builds (or rejects) the others.
            buy = sell = fee = None
            if buy_amount or buy_asset or buy_eur:
                buy = legs.get((buy_amount, buy_asset, buy_eur)) or plain_leg(
                    buy_amount, buy_asset, buy_eur, row, "buy"
                )
            if sell_amount or sell_asset or sell_eur:
                sell = legs.get((sell_amount, sell_asset, sell_eur)) or plain_leg(
                    sell_amount, sell_asset, sell_eur, row, "sell"
                )
            if fee_amount or fee_asset or fee_eur:
                fee = legs.get((fee_amount, fee_asset, fee_eur)) or plain_leg(
                    fee_amount, fee_asset, fee_eur, row, "fee"
                )
            if kind is not trade or not (buy or sell):  # a trade with a leg is always right
                problem, column = _canonical_leg_problem(kind, buy, sell)
                if problem:
                    raise InputError(file, row, column, problem)
            # The usual ISO 8601 time with offset, read directly; the clock takes anything else
            # (and raises its error). fromisoformat rejects surrounding white space, which the
            # clock strips, and time[4] excludes the basic format (20240311T...), which the
            # clock rejects. A year out of range goes to the clock too, which names it.
            try:
                when = fromiso(time) if time[4:5] == "-" else None
            except ValueError:
                when = None
            if when is None or when.tzinfo is None or not min_year <= when.year <= max_year:
                when = clock.parse(time, row, "time", require_offset=True)
            elif when.tzinfo is not UTC:
                when = when.astimezone(UTC)
            append(
                Transaction(
                    tx_id,
                    when,
                    kind,
                    name,
                    buy,
                    sell,
                    fee,
                    income_type,
                    to_wallet or None,
                    texts.setdefault(group, group) if group else "",
                    comment,
                    txid,
                    texts.setdefault(chain, chain) if chain else "",
                    contract,
                    from_address,
                    to_address,
                    Source(file, row),
                )
            )
        keep_for_good()  # see _read_cointracking
    return txs, ids


def _canonical_leg_problem(kind: Kind, buy: Leg | None, sell: Leg | None) -> tuple[str, str | None]:
    """Which legs each kind needs (docs/canonical-csv.md; the fee leg is always optional): ''
    or the problem, with the column to name."""
    if kind is Kind.TRADE:
        return ("", None) if buy or sell else ("a trade needs buy_amount and/or sell_amount", None)
    if kind is Kind.DERIVATIVE:  # buy = profit, sell = loss, fee = fee: any of them
        return "", None
    if kind is Kind.TRANSFER:
        if not (buy and sell):
            return "a transfer needs sell_amount (out) and buy_amount (in)", None
        if buy.asset != sell.asset:
            return (
                f"a transfer moves one asset, but sends {sell.asset} and receives {buy.asset}; "
                "a swap is a trade (kind trade)",
                "buy_asset",
            )
        if buy.amount > sell.amount:
            return (
                f"a transfer cannot receive more than it sends: {buy.amount} received, "
                f"{sell.amount} sent; expected buy_amount <= sell_amount (less arrives when the "
                "fee is taken out of the amount)",
                "buy_amount",
            )
        return "", None
    if kind is Kind.GIFT:
        if bool(buy) != bool(sell):
            return "", None
        return "a gift has either buy_amount or sell_amount", None
    if kind in (Kind.DEPOSIT, Kind.INCOME):
        if buy and not sell:
            return "", None
        return f"a {kind.value} needs buy_amount and no sell_amount", None
    if sell and not buy:
        return "", None
    return f"a {kind.value} needs sell_amount and no buy_amount", None
