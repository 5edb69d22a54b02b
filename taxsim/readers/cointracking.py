"""Rows of a CoinTracking layout (trade lists V1–V3, full view V4, import format) → transactions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from ..gc_pause import gc_paused, keep_for_good
from ..inputs import limits
from ..inputs.text import Role, checked_row
from ..model import IncomeType, InputError, Kind, Leg, Source, Transaction
from .cells import _AMBIGUOUS, _LEG_CACHE, _blank, _DecimalStyle, _is_plain, _number, unsafe_cell
from .dates import _MINUTE_SECOND, _Clock
from .layout import _Layout
from .table import Row, _labels
from .type_table import (
    _ANY,
    _FEE,
    _IN,
    _LOSS,
    _OPEN,
    _OTHER_FEE,
    _OUT,
    _PROFIT,
    TypeEntry,
    TypeTable,
    type_key,
    type_table,
)

#: Rows named per unknown type in the error (the count covers all of them).
_UNKNOWN_ROWS_SHOWN = 3


def _read_cointracking(
    file: str,
    stem: str,
    header: list[str],
    lay: _Layout,
    rows: Iterator[Row],
    clock: _Clock,
    decimals: _DecimalStyle | None,
    type_map: dict[str, TypeEntry] | None = None,
) -> list[Transaction]:
    """Rows of a CoinTracking layout → transactions. Written for speed: one pass, no per-row
    helper objects, caches for the few distinct type labels, tickers, wallet names and for
    repeated legs (the same fiat amounts and fees come back again and again).

    Types come from ``rules/cointracking_types.toml``, then from ``type_map`` (the user's
    ``--type-map``). Rows of types found in neither are collected: after the whole file, one
    ``InputError`` lists every such type with its count and first rows."""
    labels = _labels(header)
    width = len(header)
    txs: list[Transaction] = []
    append = txs.append
    keys: list[str] = []  # id candidate (Tx-ID/Trade ID/Tx Hash) per transaction
    table = type_table()
    # type cell -> (kind, income type, legs, treatment) of its entry (None: unknown)
    types: dict[str, tuple[Kind, IncomeType | None, str, str] | None] = {}
    unknown: dict[str, list[int]] = {}  # unknown type label -> its rows
    carry_over = table.carry_over
    assets: dict[str, str] = {}
    texts: dict[str, str] = {}  # raw text cell -> its text (see ``text``)
    legs: dict[tuple[str, str, str], Leg] = {}  # (amount, currency, value) -> its leg
    no_column = width  # index of an always-empty cell appended to every row
    hours, minute_second = clock.hours, _MINUTE_SECOND

    def col(i: int | None) -> int:
        return no_column if i is None else i

    ti, di = lay.type, lay.date
    bi, bci, bvi = lay.buy, lay.buy_cur, col(lay.buy_value)
    si, sci, svi = lay.sell, lay.sell_cur, col(lay.sell_value)
    fi, fci = col(lay.fee), col(lay.fee_cur)
    ei, gi, ci = lay.exchange, col(lay.group), col(lay.comment)
    xi, tri, hi = col(lay.txid), col(lay.trade_id), col(lay.tx_hash)
    fai, tai = col(lay.from_address), col(lay.to_address)
    sfai, stai = col(lay.sell_from_address), col(lay.sell_to_address)
    date_label = labels[di]
    has_addresses = lay.from_address is not None
    if not lay.values_in_eur:
        bvi = svi = no_column
    roles = _roles(lay, width)
    cell_chars = limits.current().cell_chars

    def text(raw: str) -> str:
        """A text cell: stripped, "-" read as empty, a ``safe_cell`` escape undone. Kept per
        raw text, which also makes repeated wallet/group texts one object (less memory)."""
        value = texts.get(raw)
        if value is None:
            value = raw.strip()
            if value == "-":
                value = ""
            elif value[:1] == "'":
                value = unsafe_cell(value)
            texts[raw] = value
        return value

    def fail(row: int, i: int, message: str) -> InputError:
        return InputError(file, row, labels[i] if i < width else None, message)

    comma_decimal = decimals is not None
    # In ";" files a plain number like 1.500 may be ambiguous: ``number`` decides (slow path).
    is_plain = _is_plain if decimals is None else lambda t: _is_plain(t) and not _AMBIGUOUS(t)

    def number(raw: str, row: int, i: int, what: str) -> Decimal | None:
        if is_plain(raw):
            return Decimal(raw)
        value = _number(raw, comma_decimal)
        if isinstance(value, str):
            raise fail(row, i, value)
        if value is not None and value < 0:
            raise fail(row, i, f"expected {what}, got '{raw}' (negative numbers are errors)")
        if decimals is not None and value is not None:
            problem = decimals.problem(raw)
            if problem:
                raise fail(row, i, problem)
        return value

    def ticker(cur: str) -> str:
        """A currency cell as a ticker (upper case, hidden characters refused), cached."""
        asset = assets.get(cur)
        if asset is None:
            asset = assets[cur] = unsafe_cell(cur.strip()).upper()
        return asset

    def leg(raw: str, cur: str, value: str, row: int, ai: int, ri: int, vi: int) -> Leg | None:
        """The leg of an amount, its currency and its value (the last two may be empty).
        A leg depends on these three texts only (errors also on the row), so a leg already
        built for the same texts is used again: legs are immutable."""
        key = (raw, cur, value)
        known = legs.get(key)
        if known is not None:
            return known
        qty = number(raw, row, ai, "an amount > 0")
        eur = number(value, row, vi, "a value >= 0") if value else None
        if not qty:  # empty, "-" or zero: no leg
            if eur:
                raise fail(row, vi, f"a value of {eur} but no amount in '{labels[ai]}'")
            return None
        asset = ticker(cur)
        if not asset or asset == "-":
            raise fail(row, ri, f"expected the currency of the amount {raw.strip()}")
        if len(legs) >= _LEG_CACHE:
            legs.clear()  # bounds the memory; the repeated legs come back soon
        new = legs[key] = Leg(qty, asset, eur)
        return new

    def named(cur: object) -> str:
        """The ticker a currency cell names ("" for empty or "-"): for a zero leg."""
        if type(cur) is not str or not cur:
            return ""
        asset = ticker(cur)
        return "" if asset == "-" else asset

    with gc_paused():  # millions of small objects, no cycles (gc_pause.py)
        for row, cells in rows:
            if len(cells) != width:
                if len(cells) < width or not _blank(cells[width:]):
                    if _blank(cells):
                        continue
                    raise InputError(
                        file, row, None, f"expected {width} columns, found {len(cells)}"
                    )
                cells = cells[:width]
            # the input boundary (taxsim.inputs.text.row_is_clean, inlined: once per row)
            try:
                joined = "".join(cells)  # type: ignore[arg-type]
            except TypeError:  # date-time cells of an XLSX sheet
                joined = "".join([c for c in cells if type(c) is str])
            if not (joined.isascii() and joined.isprintable()) or len(joined) > cell_chars:
                cells = checked_row(cells, roles, file, row, labels, cell_chars)
            cells.append("")  # cells[no_column]: the empty cell of absent columns
            mapped = types.get(cells[ti], False)  # type: ignore[call-overload]
            if mapped is False:
                mapped = types[cells[ti]] = _mapping(str(cells[ti]), table, type_map)  # type: ignore[index]
            if mapped is None:
                if _blank(cells):
                    continue
                unknown.setdefault(str(cells[ti]).strip(), []).append(row)
                continue
            kind, income_type, role, treatment = mapped
            # An empty amount with an empty value is no leg: skip the call.
            buy = sell = fee = None
            if cells[bi] or cells[bvi]:
                buy = leg(cells[bi], cells[bci], cells[bvi], row, bi, bci, bvi)  # type: ignore[arg-type]
            if cells[si] or cells[svi]:
                sell = leg(cells[si], cells[sci], cells[svi], row, si, sci, svi)  # type: ignore[arg-type]
            if cells[fi]:
                fee = leg(cells[fi], cells[fci], "", row, fi, fci, no_column)  # type: ignore[arg-type]
            group = text(cells[gi]) if cells[gi] else ""  # type: ignore[arg-type]
            comment = text(cells[ci]) if cells[ci] else ""  # type: ignore[arg-type]
            if role == _OTHER_FEE:
                if sell is None and fee is not None:
                    sell, fee = fee, None  # the fee is the whole disposal
                comment = f"Other Fee: {comment}" if comment else "Other Fee"
                group = group or "fee"
            if role == _ANY:
                if buy is None and sell is None:
                    raise fail(row, bi, "expected a Buy and/or a Sell amount > 0")
                if (
                    treatment
                    and buy is not None
                    and sell is not None
                    and buy.amount == sell.amount
                    and (sell.asset, buy.asset) in carry_over
                ):
                    treatment = "carry_over"  # a 1:1 migration or wrap (the data file's pairs)
            elif role == _FEE:
                if sell is None and fee is None:
                    raise fail(row, si, "a fee row needs a Sell or Fee amount > 0")
                if buy is not None:
                    raise fail(row, bi, "a fee row has no Buy amount")
                if sell is not None and fee is None:
                    sell, fee = None, sell  # the fee leg: what it is in every other format
            elif role != _OPEN:
                problem, where = _leg_problem(kind, role, buy, sell)
                if problem:
                    raise fail(row, bi if where == "buy" else si, problem)
            # ``Buy 0 USDC``: a swap whose other side never arrived. No leg, but the asset it
            # names is the diagnosis's evidence of what is missing (docs/formats.md).
            missing_buy = missing_sell = ""
            if kind is Kind.TRADE and (buy is None) is not (sell is None):
                if buy is None:
                    missing_buy = named(cells[bci])
                else:
                    missing_sell = named(cells[sci])
            txid = text(cells[xi]) if cells[xi] else ""  # type: ignore[arg-type]
            if hi != no_column:  # V3: the hash is the txid, the Trade ID the preferred id
                key = text(cells[tri]) or text(cells[hi])  # type: ignore[arg-type]
                txid = text(cells[hi]) or text(cells[tri])  # type: ignore[arg-type]
            else:
                key = txid
            wallet = texts.get(cells[ei]) or text(cells[ei])  # type: ignore[arg-type]
            if not wallet:
                raise fail(row, ei, "expected the exchange or wallet name (empty or '-' given)")
            from_address = to_address = ""
            if has_addresses:
                from_address = text(cells[fai]) or text(cells[sfai])  # type: ignore[arg-type]
                to_address = text(cells[tai]) or text(cells[stai])  # type: ignore[arg-type]
            # The clock's cache of local hours, looked up here for the usual date text: a
            # method call per row costs as much as the rest of the lookup.
            date = cells[di]
            when = None
            if type(date) is str and len(date) == 19 and date[13] == ":":
                base = hours.get(date[:13])
                if base is not None:
                    delta = minute_second.get(date[14:])
                    if delta is not None:
                        when = base + delta
            if when is None:
                when = clock.parse(date, row, date_label)
            append(
                Transaction(
                    key or f"{stem}:{row}",
                    when,
                    kind,
                    wallet,
                    buy,
                    sell,
                    fee,
                    income_type,
                    None,
                    group,
                    comment,
                    txid,
                    "",
                    "",
                    from_address,
                    to_address,
                    Source(file, row),
                    None,  # taken_over: set by corrections only
                    treatment,
                    missing_buy,
                    missing_sell,
                )
            )
            keys.append(key)
        if unknown:
            raise _unknown_types(file, labels[ti], unknown)
        txs = _with_ids(txs, keys, stem)
        # The transactions live as long as the ledger and hold no reference cycles (reference
        # counting frees them). Left to the collector, its first collections after the read
        # would walk all of them, twice (about 4 s per million rows), to find nothing: move
        # them (process-wide: everything alive now) to its permanent generation instead.
        keep_for_good()
    return txs


def _mapping(
    label: str, table: TypeTable, type_map: dict[str, TypeEntry] | None
) -> tuple[Kind, IncomeType | None, str, str] | None:
    """(kind, income type, legs, treatment) of a type label: the table, then the user's map."""
    key = type_key(label)
    entry = table.by_key.get(key) or (type_map.get(key) if type_map else None)
    if entry is None:
        return None
    return entry.kind, entry.income_type, entry.legs, entry.treatment


def _unknown_types(file: str, column: str, unknown: dict[str, list[int]]) -> InputError:
    """One error for every type taxsim cannot place: each with its count and first rows."""
    parts = []
    for label, rows in sorted(unknown.items(), key=lambda item: item[1][0]):
        shown = ", ".join(str(r) for r in rows[:_UNKNOWN_ROWS_SHOWN])
        more = ", …" if len(rows) > _UNKNOWN_ROWS_SHOWN else ""
        name = f"'{label}'" if label else "(empty)"
        parts.append(f"{name} × {len(rows)} (row{'s' if len(rows) > 1 else ''} {shown}{more})")
    first = min(rows[0] for rows in unknown.values())
    return InputError(
        file,
        first,
        column,
        f"{len(unknown)} unknown transaction type{'s' if len(unknown) > 1 else ''}: "
        + "; ".join(parts)
        + ". Map each to a CoinTracking type taxsim knows with --type-map FILE (a TOML file "
        'with a [types] table, e.g. "Liquidity Pool Add" = "Trade"; docs/formats.md lists '
        "the types)",
    )


def _roles(lay: _Layout, width: int) -> list[Role]:
    """The text role of each column (``inputs.text``): tickers, identifiers, free text; the
    type, amounts, values and date are values; other columns are ignored."""
    roles = [Role.IGNORED] * width
    for i in (lay.type, lay.date, lay.buy, lay.sell, lay.fee, lay.buy_value, lay.sell_value):
        if i is not None:
            roles[i] = Role.OTHER
    for i in (lay.buy_cur, lay.sell_cur, lay.fee_cur):
        if i is not None:
            roles[i] = Role.TICKER
    for i in (
        lay.exchange, lay.txid, lay.trade_id, lay.tx_hash, lay.from_address, lay.to_address,
        lay.sell_from_address, lay.sell_to_address,
    ):  # fmt: skip
        if i is not None:
            roles[i] = Role.IDENTIFIER
    for i in (lay.group, lay.comment):
        if i is not None:
            roles[i] = Role.FREE
    return roles


def _leg_problem(kind: Kind, role: str, buy: Leg | None, sell: Leg | None) -> tuple[str, str]:
    """What is wrong with the legs of a CoinTracking row, and in which column ("buy"/"sell")."""
    if role == _ANY:
        return ("", "") if buy or sell else ("expected a Buy and/or a Sell amount > 0", "buy")
    if role == _PROFIT:
        role = _IN
    elif role == _LOSS:
        role = _OUT
    if role == _IN:
        if buy is None:
            return f"a {kind.value} row needs a Buy amount > 0 with its currency", "buy"
        return (f"a {kind.value} row has no Sell amount", "sell") if sell else ("", "")
    if sell is None:
        return f"a {kind.value} row needs a Sell amount > 0 with its currency", "sell"
    return (f"a {kind.value} row has no Buy amount", "buy") if buy else ("", "")


def _with_ids(txs: list[Transaction], keys: list[str], stem: str) -> list[Transaction]:
    """Settle the ids. Each transaction was built with its Tx-ID (or ``<file stem>:<row>``);
    when several rows share a Tx-ID (legs of one on-chain transaction) they become
    ``<txid>#<n>`` in file order, the ``txid`` field keeping the hash. Any remaining clash
    falls back to ``<file stem>:<row>``. The transactions were built by this reader and
    nobody else has seen them yet, so their id is set in place: rebuilding them with ``with_``
    (a copy) took longer than reading a ledger where most rows share a Tx-ID."""
    counts = Counter(k for k in keys if k)
    if all(n == 1 for n in counts.values()) and len({t.id for t in txs}) == len(txs):
        return txs
    seen: Counter[str] = Counter()
    used: set[str] = set()
    for i, (tx, key) in enumerate(zip(txs, keys, strict=True)):
        new = tx.id
        if key and counts[key] > 1:
            seen[key] += 1
            new = f"{key}#{seen[key]}"
        if new in used:
            new = f"{stem}:{tx.source.row if tx.source else i}"
        while new in used:  # only if a Tx-ID in the file looks like "<stem>:<row>"
            new += "+"
        used.add(new)
        if new != tx.id:
            tx.id = new
    return txs
