"""Read ledgers: CoinTracking exports (V1–V4), CoinTracking's import format, taxsim canonical CSV.

The format is recognised from the header row alone (its "fingerprint"), never from the file
name. Every reader produces the same thing: a ``model.Ledger`` whose transactions are in file
order, with exact ``Decimal`` amounts and UTC times, and a ``Source(file, row)`` on each row.

Row numbers are the ones a spreadsheet program shows: the header is row 1, so the first data
row is row 2 (row 3 behind the two-row header of CoinTracking's XLSX import template). The same
number is used in every ``InputError`` and in ``Source.row``. Blank lines count as rows (so
numbers match the editor) but produce no transaction.

See docs/formats.md for the accepted layouts, the type mapping and the date rules.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import IncomeType, InputError, Kind, Ledger, Leg, Source, Transaction

FORMAT_V1 = "cointracking-trade-list-v1"
FORMAT_V2 = "cointracking-trade-list-v2"
FORMAT_V3 = "cointracking-trade-list-v3"
FORMAT_V4 = "cointracking-trade-list-v4"
FORMAT_CT_IMPORT = "cointracking-import"
FORMAT_CANONICAL = "taxsim-canonical"
UNKNOWN = "unknown"

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

# --------------------------------------------------------------------------------------------
# Header fingerprints. Header cells are compared after lower-casing and dropping everything but
# letters and digits ("Cur." -> "cur", "Tx-ID" -> "txid"); repeated "Cur." columns are taken by
# position, as CoinTracking itself does.

_CT_V1 = ["type", "buy", "cur", "sell", "cur", "fee", "cur", "exchange", "group", "comment", "date"]
_CT_V2 = [*_CT_V1, "txid"]
_CT_V3 = [
    "type",
    "buy",
    "cur",
    "sell",
    "cur",
    "fee",
    "cur",
    "exchange",
    "group",
    "comment",
    "tradeid",
    "importedfrom",
    "adddate",
    "date",
    "fromaddress",
    "toaddress",
    "txhash",
    "sellfromaddress",
    "selltoaddress",
]
_CT_IMPORT = [
    "type",
    "buy",
    "cur",
    "sell",
    "cur",
    "fee",
    "cur",
    "exchange",
    "tradegroup",
    "comment",
    "date",
    "txid",
    "buyvalueinyouraccountcurrency",
    "sellvalueinyouraccountcurrency",
]
# V4: type buy cur valueinbtc valuein<fiat> sell cur valueinbtc valuein<fiat> spread exchange
# group date
_CT_V4_FIXED = {0: "type", 1: "buy", 2: "cur", 3: "valueinbtc", 5: "sell", 6: "cur"}
_CT_V4_FIXED |= {7: "valueinbtc", 9: "spread", 10: "exchange", 11: "group", 12: "date"}

#: Descriptive alias header of the import format (order free, matched by name).
_IMPORT_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("type",),
    "buy": ("buyamount",),
    "buy_cur": ("buycurrency", "buycur"),
    "sell": ("sellamount",),
    "sell_cur": ("sellcurrency", "sellcur"),
    "fee": ("fee", "feeamount", "feelamount"),  # "Feel Amount": typo in a published template
    "fee_cur": ("feecurrency", "feecur"),
    "exchange": ("exchange",),
    "group": ("tradegroup", "group"),
    "comment": ("comment",),
    "date": ("date",),
    "txid": ("txid",),
    "buy_value": ("buyvalueineur", "buyvalueinyouraccountcurrency"),
    "sell_value": ("sellvalueineur", "sellvalueinyouraccountcurrency"),
}
_ALIAS_OF = {alias: key for key, names in _IMPORT_ALIASES.items() for alias in names}


def _norm(cell: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(cell or "").lower())


def _trim(header: Sequence[object]) -> list[str]:
    """Header cells as stripped text, without the empty cells spreadsheets append."""
    cells = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in header]
    while cells and not cells[-1]:
        cells.pop()
    return cells


@dataclass(frozen=True, slots=True)
class _Layout:
    """Column indices of one CoinTracking-like layout (None: column not present)."""

    format: str
    type: int
    buy: int
    buy_cur: int
    sell: int
    sell_cur: int
    exchange: int
    date: int
    fee: int | None = None
    fee_cur: int | None = None
    group: int | None = None
    comment: int | None = None
    txid: int | None = None  # V2/import "Tx-ID": both the id and the txid
    trade_id: int | None = None  # V3 "Trade ID"
    tx_hash: int | None = None  # V3 "Tx Hash"
    from_address: int | None = None
    to_address: int | None = None
    sell_from_address: int | None = None
    sell_to_address: int | None = None
    buy_value: int | None = None
    sell_value: int | None = None
    values_in_eur: bool = True  # V4 with "Value in USD": values are not EUR and are dropped


def _layout(header: Sequence[object]) -> _Layout | None:
    n = [_norm(c) for c in _trim(header)]
    base = dict(type=0, buy=1, buy_cur=2, sell=3, sell_cur=4, fee=5, fee_cur=6, exchange=7)
    if n == _CT_V1:
        return _Layout(FORMAT_V1, **base, group=8, comment=9, date=10)
    if n == _CT_V2:
        return _Layout(FORMAT_V2, **base, group=8, comment=9, date=10, txid=11)
    if n == _CT_V3:
        return _Layout(
            FORMAT_V3,
            **base,
            group=8,
            comment=9,
            trade_id=10,
            date=13,
            from_address=14,
            to_address=15,
            tx_hash=16,
            sell_from_address=17,
            sell_to_address=18,
        )
    if 11 <= len(n) <= 14 and n == _CT_IMPORT[: len(n)]:
        extra = {"txid": 11, "buy_value": 12, "sell_value": 13}
        idx = {k: v for k, v in extra.items() if v < len(n)}
        return _Layout(FORMAT_CT_IMPORT, **base, group=8, comment=9, date=10, **idx)
    if (
        len(n) == 13
        and all(n[i] == name for i, name in _CT_V4_FIXED.items())
        and n[4] == n[8]
        and n[4].startswith("valuein")
    ):
        return _Layout(
            FORMAT_V4,
            type=0,
            buy=1,
            buy_cur=2,
            buy_value=4,
            sell=5,
            sell_cur=6,
            sell_value=8,
            exchange=10,
            group=11,
            date=12,
            values_in_eur=n[4] == "valueineur",
        )
    keys = [_ALIAS_OF.get(c) for c in n]
    if (
        None not in keys
        and len(set(keys)) == len(keys)
        and {"type", "date", "buy", "sell"} <= set(keys)
    ):
        idx = {k: i for i, k in enumerate(keys) if k is not None}
        required = ("type", "buy", "buy_cur", "sell", "sell_cur", "exchange", "date")
        if all(k in idx for k in required):
            return _Layout(FORMAT_CT_IMPORT, **idx)
    return None


def detect_format(header: list[str]) -> str:
    """Name of the format whose header this is, or ``"unknown"``.

    One of ``cointracking-trade-list-v1`` … ``-v4``, ``cointracking-import`` (both the
    ``Cur.`` header and the descriptive alias header) and ``taxsim-canonical``.
    """
    cells = _trim(header)
    if {"id", "time", "kind"} <= set(cells):
        return FORMAT_CANONICAL
    layout = _layout(cells)
    return layout.format if layout else UNKNOWN


# --------------------------------------------------------------------------------------------
# Type mapping. Keys: lower case with all white space removed ("Gift / Tip" -> "gift/tip").

_IN, _OUT, _ANY, _OTHER_FEE = "in", "out", "any", "other_fee"

_TYPES: dict[str, tuple[Kind, IncomeType | None, str]] = {
    "trade": (Kind.TRADE, None, _ANY),
    "deposit": (Kind.DEPOSIT, None, _IN),
    "withdrawal": (Kind.WITHDRAWAL, None, _OUT),
    "income": (Kind.INCOME, IncomeType.OTHER, _IN),
    "otherincome": (Kind.INCOME, IncomeType.OTHER, _IN),
    "dividendsincome": (Kind.INCOME, IncomeType.OTHER, _IN),
    "reward/bonus": (Kind.INCOME, IncomeType.BOUNTY, _IN),
    "interestincome": (Kind.INCOME, IncomeType.INTEREST, _IN),
    "staking": (Kind.INCOME, IncomeType.STAKING, _IN),
    "masternode": (Kind.INCOME, IncomeType.STAKING, _IN),
    "minting": (Kind.INCOME, IncomeType.STAKING, _IN),
    "mining": (Kind.INCOME, IncomeType.MINING, _IN),
    "mining(commercial)": (Kind.INCOME, IncomeType.MINING, _IN),
    "airdrop": (Kind.INCOME, IncomeType.AIRDROP, _IN),
    "lendingincome": (Kind.INCOME, IncomeType.LENDING, _IN),
    # Received without being income (CoinTracking's "non taxable" income). taxsim's only
    # income type that is not income on receipt is "hardfork" (cost 0 in both rule sets).
    "income(nontaxable)": (Kind.INCOME, IncomeType.HARDFORK, _IN),
    "otherincome(nontaxable)": (Kind.INCOME, IncomeType.HARDFORK, _IN),
    "gift/tip": (Kind.GIFT, None, _IN),
    "gift/tip(in)": (Kind.GIFT, None, _IN),
    "gift": (Kind.GIFT, None, _OUT),
    "gift(out)": (Kind.GIFT, None, _OUT),
    "donation": (Kind.GIFT, None, _OUT),
    "spend": (Kind.SPEND, None, _OUT),
    "expense": (Kind.SPEND, None, _OUT),
    "otherexpense": (Kind.SPEND, None, _OUT),
    "otherfee": (Kind.SPEND, None, _OTHER_FEE),
    "lost": (Kind.LOST, None, _OUT),
    "stolen": (Kind.STOLEN, None, _OUT),
    "hacked": (Kind.STOLEN, None, _OUT),
    "fraud": (Kind.STOLEN, None, _OUT),
    "stolen/hacked/fraud": (Kind.STOLEN, None, _OUT),
}
_UNSUPPORTED_WORDS = ("margin", "derivative", "futures", "borrowingfee", "settlementfee")
_ACCEPTED_TYPES = (
    "Trade, Deposit, Withdrawal, Income, Other Income, Dividends Income, Reward / Bonus, "
    "Interest Income, Staking, Masternode, Minting, Mining, Mining (commercial), Airdrop, "
    "Lending Income, Income (non taxable), Other Income (non taxable), Gift / Tip, "
    "Gift/Tip(In), Gift, Gift(Out), Donation, Spend, Expense, Other Expense, Other Fee, Lost, "
    "Stolen, Hacked, Fraud, Stolen / Hacked / Fraud"
)


def _map_type(raw: str) -> tuple[Kind, IncomeType | None, str] | str:
    """The mapping for a type label, or an error message."""
    key = re.sub(r"\s+", "", raw.lower())
    if key in _TYPES:
        return _TYPES[key]
    if any(word in key for word in _UNSUPPORTED_WORDS):
        return (
            f"type '{raw}' is not supported (margin/derivatives are § 20 EStG, out of scope); "
            "remove the row or export without margin trades"
        )
    if not key:
        return f"expected a transaction type, one of: {_ACCEPTED_TYPES}"
    return f"unknown type '{raw}'; accepted: {_ACCEPTED_TYPES}"


# --------------------------------------------------------------------------------------------
# Numbers

_SYMBOLS = "€ \u00a0"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: A number that means different things with a decimal point and with a thousands dot
#: (``30.000``: thirty or thirty thousand), checked in ``;``-delimited files only.
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}").fullmatch


def unsafe_cell(text: str) -> str:
    """Undo ``writers.safe_cell``: drop the ``'`` it put before a formula-like text."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


def _number(text: str, comma_decimal: bool) -> Decimal | None | str:
    """A plain decimal number, None for an empty cell, or an error message.

    Strict on purpose: ``1234.5678`` (and ``1234,5678`` in ``;``-delimited files) only.
    Thousands separators, exponents, NaN and the like are rejected, since a wrongly guessed
    number would silently change a tax figure.
    """
    s = text.strip()
    if not s or s == "-":
        return None
    if s[0] in _SYMBOLS or s[-1] in _SYMBOLS:
        s = s.strip(_SYMBOLS)
    sign = next((c for c in s if c != "€" and unicodedata.category(c) == "Sc"), None)
    if sign is not None:
        return (
            f"expected a plain number (values are read as EUR), got '{text}': "
            f"'{sign}' is a currency sign other than €"
        )
    if comma_decimal and "," in s:
        if "." in s:
            return f"expected a number like 1234,5678 (no thousands separator), got '{text}'"
        s = s.replace(",", ".")
    body = s[1:] if s[:1] == "-" else s
    if (
        not body.isascii()
        or not body.replace(".", "", 1).isdigit()
        or body[0] == "."
        or body[-1] == "."
    ):
        example = "1234,5678" if comma_decimal else "1234.5678"
        return f"expected a plain decimal number like {example}, got '{text}'"
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - excluded by the checks above
        return f"expected a number, got '{text}'"


class _DecimalStyle:
    """Whether a ``;``-delimited file (German Excel: decimal comma) writes ``1.500`` as one and
    a half. Decided like the order of slash dates: from all the number cells of the file, and
    only once such an ambiguous number (``_AMBIGUOUS``) turns up. A comma decimal anywhere in
    the file (``2,50``) means the dot is a thousands separator there, and a file without any
    other dot decimal gives no answer: both are errors, never a guess. Only when the file's
    other numbers use a decimal point (``0.25``, ``1234.5678``) and none a comma is
    ``1.500`` read as 1.500."""

    def __init__(self, scan: Callable[[], Iterable[tuple[int, object]]]) -> None:
        self._scan = scan
        self._decided = False
        self._comma: tuple[int, str] | None = None  # (row, text) of a comma decimal
        self._dot = False  # a dot decimal that is not ambiguous was seen

    def problem(self, text: str) -> str:
        """'' if ``text`` (a plain number) is no ambiguous number in this file, else the error."""
        s = text.strip().strip(_SYMBOLS)
        if not _AMBIGUOUS(s):
            return ""
        if not self._decided:
            for row, cell in self._scan():
                value = str(cell).strip().strip(_SYMBOLS)
                if "," in value and _is_plain(value.replace(",", ".", 1)):
                    self._comma = (row, value)
                    break
                if not self._dot and "." in value and _is_plain(value):
                    self._dot = not _AMBIGUOUS(value)
            self._decided = True
        if self._dot and self._comma is None:
            return ""
        thousands, decimal = s.replace(".", ""), s.replace(".", ",")
        if self._comma is not None:
            row, example = self._comma
            why = (
                f"this file writes decimals with a comma ('{example}' in row {row}), so the "
                "dot may be a thousands separator"
            )
        else:
            why = "in a ';'-delimited file it may be a thousands dot or a decimal point"
        return (
            f"'{text.strip()}' is ambiguous: {why}; expected {thousands} (no thousands "
            f"separator) or {decimal} (decimal comma)"
        )


def _cells(
    rows: Iterator[Row], header_row: int, indices: Sequence[int]
) -> Iterator[tuple[int, object]]:
    """(row, cell) for the cells at ``indices`` of every row below the header."""
    for number, cells in rows:
        if number > header_row:
            for i in indices:
                if i < len(cells):
                    yield number, cells[i]


# --------------------------------------------------------------------------------------------
# Dates

_GERMAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DATE_HELP = "expected a date like 2024-03-11 21:40:05, 11.03.2024 21:40:05 or 3/11/2024 21:40"
#: Years a date may have (as written): from the year before Bitcoin's first block to 2100. A
#: year outside is a typo (``0024``, ``2204``) and would overflow the conversion to UTC at the
#: calendar's ends; it is an error naming the cell.
MIN_YEAR, MAX_YEAR = 2008, 2100


def _year_problem(year: int, text: object) -> str:
    """'' if ``year`` is in the accepted range, else the error message."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return ""
    return f"expected a date in the years {MIN_YEAR}–{MAX_YEAR}, got '{text}' (year {year})"


#: "MM:SS" -> timedelta, for the cached fast path of ``_Clock.parse``.
_MINUTE_SECOND = {
    f"{m:02d}:{s:02d}": timedelta(minutes=m, seconds=s) for m in range(60) for s in range(60)
}


class _Clock:
    """Turns the date texts of one file into UTC datetimes.

    Dates without an offset are local times of ``timezone`` (the CoinTracking account's time
    zone). Ambiguous local times (the repeated hour when DST ends) take the first occurrence
    (fold=0, i.e. still summer time); non-existent ones (the skipped hour when DST starts)
    are read with the offset before the change, as ``zoneinfo`` does for fold=0.

    Slash dates are month/day unless some slash date in the same file has a first number
    above 12: then the whole file is day/month. ``slash_scan`` reads all date texts of the
    file; it is only called when the first slash date turns up.
    """

    def __init__(self, file: str, timezone: str, slash_scan: Callable[[], Iterable[str]]):
        self.file = file
        try:
            self.zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InputError(file, None, None, f"unknown time zone '{timezone}'") from exc
        self._offsets: dict[tuple[int, int, int, int], timedelta | None] = {}
        #: "dd.mm.yyyy HH" / "yyyy-mm-dd HH" -> UTC time of the local hour's start (only hours
        #: without a DST change); public so that readers can look it up inline.
        self.hours: dict[str, datetime] = {}
        self._slash_scan = slash_scan
        self._day_first: bool | None = None

    def _offset(self, y: int, mo: int, d: int, h: int) -> timedelta | None:
        """UTC offset of a local hour (cached), None if it changes within the hour (DST)."""
        key = (y, mo, d, h)
        if key not in self._offsets:
            start = datetime(y, mo, d, h, 0, 0, tzinfo=self.zone).utcoffset()
            end = datetime(y, mo, d, h, 59, 59, 999999, tzinfo=self.zone).utcoffset()
            self._offsets[key] = start if start == end else None
        return self._offsets[key]

    def local(self, y: int, mo: int, d: int, h: int, mi: int, s: int, us: int = 0) -> datetime:
        """UTC time of a local wall-clock time; offsets are cached per local hour."""
        offset = self._offset(y, mo, d, h)
        if offset is None:  # the offset changes within this hour: convert exactly
            return datetime(y, mo, d, h, mi, s, us, tzinfo=self.zone).astimezone(UTC)
        return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC) - offset

    def parse(self, value: object, row: int, column: str, require_offset: bool = False) -> datetime:
        """UTC time of a date cell, or InputError naming the row and column.

        Fast path for the usual ``dd.mm.yyyy HH:MM:SS`` / ``yyyy-mm-dd HH:MM:SS`` texts: the
        UTC time of each local hour already seen is cached by the text's first 13 characters,
        so a row only needs its minutes and seconds put in.
        """
        if type(value) is str and len(value) == 19 and value[13] == ":":
            base = self.hours.get(value[:13])
            if base is not None:
                delta = _MINUTE_SECOND.get(value[14:])
                if delta is not None:
                    return base + delta
            elif not require_offset:
                first = self._new_hour(value)
                if first is not None:
                    return first
        try:
            result = self._parse(value, require_offset)
        except (ValueError, OverflowError) as exc:
            raise InputError(self.file, row, column, str(exc)) from None
        if (
            type(value) is str
            and len(value) == 19
            and value[13] == ":"
            and (value[4] == "-" or value[2] == ".")
            and not require_offset
        ):
            # Cache only when the whole local hour has one offset (no DST change inside it).
            delta = _MINUTE_SECOND.get(value[14:])
            if delta is not None and self._offsets.get(self._hour_key(value)) is not None:
                self.hours[value[:13]] = result - delta
        return result

    def _new_hour(self, value: str) -> datetime | None:
        """The first time of a local hour in the usual 19-character shape (``dd.mm.yyyy
        HH:MM:SS`` or ``yyyy-mm-dd HH:MM:SS``, ASCII digits), read by position, its hour put
        into the cache. None for anything else, a date that does not exist or an hour with a
        DST change: the regular parser then decides, with its error messages."""
        sep = value[10]
        if value[2] == "." and value[5] == "." and (sep == " " or sep == "T"):
            y, mo, d = value[6:10], value[3:5], value[0:2]
        elif value[4] == "-" and value[7] == "-" and (sep == " " or sep == "T"):
            y, mo, d = value[0:4], value[5:7], value[8:10]
        else:
            return None
        h = value[11:13]
        delta = _MINUTE_SECOND.get(value[14:])
        if delta is None or not value.isascii() or not (y + mo + d + h).isdigit():
            return None
        year, month, day, hour = int(y), int(mo), int(d), int(h)
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None  # the regular parser gives the error
        try:
            offset = self._offset(year, month, day, hour)
            if offset is None:
                return None
            base = datetime(year, month, day, hour, tzinfo=UTC) - offset
        except ValueError:  # no such date or hour
            return None
        self.hours[value[:13]] = base
        return base + delta

    @staticmethod
    def _hour_key(text: str) -> tuple[int, int, int, int]:
        if text[4] == "-":
            return int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13])
        return int(text[6:10]), int(text[3:5]), int(text[0:2]), int(text[11:13])

    def _parse(self, value: object, require_offset: bool) -> datetime:
        if isinstance(value, datetime):  # XLSX date cell: local wall-clock time
            problem = _year_problem(value.year, value)
            if problem:
                raise ValueError(problem)
            if value.tzinfo is not None:
                return value.astimezone(UTC)
            return self.local(*value.timetuple()[:6], value.microsecond)
        text = str(value).strip()
        if text[4:5] == "-":
            try:
                dt = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{_DATE_HELP}, got '{text}'") from None
            problem = _year_problem(dt.year, text)
            if problem:
                raise ValueError(problem)
            if dt.tzinfo is not None:
                return dt if dt.tzinfo is UTC else dt.astimezone(UTC)
            if require_offset:
                raise ValueError(
                    f"expected an ISO 8601 time with offset like 2024-03-11T21:40:05Z, got '{text}'"
                )
            return self.local(*dt.timetuple()[:6], dt.microsecond)
        if require_offset:
            raise ValueError(
                f"expected an ISO 8601 time with offset like 2024-03-11T21:40:05Z, got '{text}'"
            )
        m = _GERMAN.fullmatch(text)
        if m:
            d, mo, y, h, mi, s = m.groups(default="0")
            return self._checked(int(y), int(mo), int(d), int(h), int(mi), int(s), text)
        m = _SLASH.fullmatch(text)
        if m:
            a, b, y, h, mi, s = (int(g) for g in m.groups(default="0"))
            day_first = self._slash_order()
            if (b if day_first else a) > 12:
                order = "day/month" if day_first else "month/day"
                raise ValueError(
                    f"slash dates in this file are {order} (decided from all its dates), "
                    f"but '{text}' does not fit"
                )
            d, mo = (a, b) if day_first else (b, a)
            return self._checked(y, mo, d, h, mi, s, text)
        raise ValueError(f"{_DATE_HELP}, got '{text}'")

    def _checked(self, y: int, mo: int, d: int, h: int, mi: int, s: int, text: str) -> datetime:
        problem = _year_problem(y, text)
        if problem:
            raise ValueError(problem)
        try:
            return self.local(y, mo, d, h, mi, s)
        except ValueError:
            raise ValueError(f"{_DATE_HELP}, got '{text}' (no such date or time)") from None

    def _slash_order(self) -> bool:
        if self._day_first is None:
            firsts = [
                int(m.group(1))
                for text in self._slash_scan()
                if (m := _SLASH.fullmatch(str(text).strip()))
            ]
            self._day_first = any(first > 12 for first in firsts)
        return self._day_first


# --------------------------------------------------------------------------------------------
# Tables: CSV and XLSX, as rows of cells with their 1-based row number

Row = tuple[int, list[object]]


#: Rows read between two calls of a reader's ``progress`` callback.
PROGRESS_EVERY = 10_000
Progress = Callable[[int], None]


class _CellError(InputError):
    """A bad cell found while reading the table (CSV syntax, an XLSX error or formula cell),
    where the header is not known yet: ``field`` is the cell's 0-based position in its row.
    ``read_ledger`` names the column by its header; ``column`` is the fallback (``"J"``,
    ``"column 10"``) for a cell in or above the header or beyond its last column."""

    def __init__(self, file: str, row: int, field: int, column: str, message: str) -> None:
        super().__init__(file, row, column, message)
        self.field, self.message = field, message


def _csv_rows(path: Path, delimiter: str, progress: Progress | None = None) -> Iterator[Row]:
    file = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            yield from _csv_records(f, delimiter, progress)
    except UnicodeDecodeError as exc:
        raise InputError(file, None, None, f"expected UTF-8 text: {exc.reason}") from None
    except csv.Error as exc:
        raise _csv_error(path, delimiter, exc) from None
    except OSError as exc:
        raise InputError(file, None, None, f"cannot read the file: {exc.strerror}") from None


def _csv_error(path: Path, delimiter: str, error: csv.Error) -> InputError:
    """The csv module's error as an InputError naming the row and, where it can be told, the
    cell. Only on error: the file is read again by the csv module alone, keeping the lines of
    the record being read, so the row number is exactly the failing record's."""
    file = str(path)
    lines: list[str] = []

    def keep(f: TextIO) -> Iterator[str]:
        for line in f:
            lines.append(line)
            yield line

    number = 0  # records read without error
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for _ in csv.reader(keep(f), delimiter=delimiter, strict=True):
                number += 1
                lines.clear()
    except csv.Error as again:
        limit = csv.field_size_limit()
        message = _csv_message(str(again), delimiter, limit)
        field = _bad_field("".join(lines), delimiter, limit)
        return _CellError(file, number + 1, field, f"column {field + 1}", message)
    except (OSError, UnicodeDecodeError):
        pass
    return InputError(file, None, None, _csv_message(str(error), delimiter, csv.field_size_limit()))


def _csv_message(text: str, delimiter: str, limit: int) -> str:
    """A clearer text for the csv module's (strict mode) messages."""
    if text.startswith("field larger than field limit"):
        return (
            f"malformed CSV: a cell longer than {limit:,} characters (often a quote that is "
            "never closed); expected a shorter cell"
        )
    if "expected after" in text:
        return (
            'malformed CSV: a quote inside a quoted cell must be doubled (""); expected '
            f"'{delimiter}' or the end of the line after a cell's closing quote"
        )
    if "unexpected end of data" in text:
        return "malformed CSV: a quoted cell is not closed (its closing quote is missing)"
    if "NUL" in text:
        return "malformed CSV: the text holds a NUL character; expected a text file"
    return f"malformed CSV: {text}"


def _bad_field(text: str, delimiter: str, limit: int) -> int:
    """0-based position of the cell where the csv module stops in ``text`` (one record, up to
    the line where reading failed): a stray quote after a closing quote, a NUL, a cell over
    ``limit`` characters, else the cell open at the end (an unclosed quote)."""
    field = length = 0
    quoted, start = False, True
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\x00":
            return field
        if quoted:
            if c == '"':
                after = text[i + 1 : i + 2]
                if after == '"':
                    i += 1
                elif after in (delimiter, "\r", "\n", ""):
                    quoted = False
                else:
                    return field
        elif start and c == '"':
            quoted = True
            length -= 1
        elif c == delimiter:
            field, length, start = field + 1, 0, True
            i += 1
            continue
        elif c in "\r\n":
            break
        start = False
        length += 1
        if length > limit:
            return field
        i += 1
    return field


#: Characters of text read at a time by ``_csv_records`` (then completed to a line end).
_CHUNK = 1 << 16


def _csv_records(f: TextIO, delimiter: str, progress: Progress | None = None) -> Iterator[Row]:
    """The records of a CSV file with their 1-based numbers, exactly as ``csv.reader(f,
    delimiter=delimiter, strict=True)`` gives them, only faster for the usual files.

    The file is read in chunks of whole lines. A chunk in one of the two shapes exports have
    (no quote character at all, or every field of every line quoted and no quote inside a
    field) is split with ``str.split``, which gives the same cells as the csv module for
    these shapes at half the cost. The first chunk that is anything else (blank lines among
    quoted ones, quotes inside fields, fields over several lines, lone CR line ends, NUL,
    fields over csv's size limit, ...) goes to the csv module, which then reads the rest of
    the file, so every unusual case keeps the csv module's behaviour and error messages.
    """
    number = 0
    limit = csv.field_size_limit()
    report = PROGRESS_EVERY
    while True:
        if progress is not None and number >= report:  # per chunk: nothing added per row
            progress(number)
            report = number + PROGRESS_EVERY
        chunk = f.read(_CHUNK)
        if not chunk:
            return
        if chunk[-1] != "\n":  # complete the last line (also a CRLF cut after its CR)
            chunk += f.readline()
        records = _split_chunk(chunk, delimiter, limit)
        if records is None:
            reader = csv.reader(
                chain(io.StringIO(chunk, newline=""), f), delimiter=delimiter, strict=True
            )
            for n, record in enumerate(reader, start=number + 1):
                if progress is not None and n % PROGRESS_EVERY == 0:
                    progress(n)
                yield n, record  # type: ignore[misc]
            return
        yield from enumerate(records, start=number + 1)  # type: ignore[misc]
        number += len(records)


def _split_chunk(chunk: str, delimiter: str, limit: int) -> list[list[str]] | None:
    """The records of a chunk of whole CSV lines if it has one of the two simple shapes
    (see ``_csv_records``), else None."""
    if "\x00" in chunk:
        return None
    if "\r" in chunk:
        if chunk.count("\r") != chunk.count("\r\n"):
            return None  # a lone CR ends a line for the csv module
        chunk = chunk.replace("\r\n", "\n")
    lines = chunk.split("\n")
    if chunk[-1] == "\n":
        lines.pop()  # the empty text after the last line end
    if max(map(len, lines)) > limit:
        return None
    if '"' not in chunk:
        return [line.split(delimiter) if line else [] for line in lines]
    # Every line "a","b",...,"z": it starts and ends with a quote (and is at least 2 long, so
    # these are different quotes), and the chunk has no other quotes than the 2 per field.
    if (
        min(map(len, lines)) < 2
        or chunk[0] != '"'
        or lines[-1][-1] != '"'
        or chunk.count('\n"') != len(lines) - 1
        or chunk.count('"\n') != chunk.count("\n")
    ):
        return None
    separator = f'"{delimiter}"'
    records = [line[1:-1].split(separator) for line in lines]
    if chunk.count('"') != 2 * sum(map(len, records)):
        return None  # a quote inside a field: each line has at least 2 per field
    return records


def _csv_delimiter(path: Path) -> str:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            first = f.readline()
    except UnicodeDecodeError as exc:
        raise InputError(str(path), None, None, f"expected UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise InputError(str(path), None, None, f"cannot read the file: {exc.strerror}") from None
    return ";" if first.count(";") > first.count(",") else ","


def _xlsx_cell(value: object) -> object:
    """XLSX cell → text, keeping date-times. Excel stores every number as a binary float; the
    shortest text that round-trips (``repr``) is what Excel displays, and is read exactly
    (a whole number without a decimal point). A date cell without a time is midnight."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return "" if value is None else str(value)


def _xlsx_rows(path: Path, sheet: str | None, progress: Progress | None = None) -> Iterator[Row]:
    """The rows of one sheet, numbered as Excel shows them (blank rows above the data count).

    Read with calamine (python-calamine, the engine pandas also offers): 20–25 times faster
    than openpyxl on large exports, with cached formula values like openpyxl's ``data_only``.
    """
    from python_calamine import CalamineWorkbook

    file = str(path)
    try:
        wb = CalamineWorkbook.from_path(file)
    except Exception as exc:  # damaged zip, not a workbook, password, ...
        raise InputError(file, None, None, f"cannot read the XLSX file: {exc}") from None
    try:
        names = wb.sheet_names
        if sheet is not None and sheet not in names:
            raise InputError(file, None, None, f"no sheet '{sheet}'; sheets: {names}")
        index = 0 if sheet is None else names.index(sheet)
        try:
            ws = wb.get_sheet_by_index(index)
        except Exception as exc:  # a damaged sheet
            raise InputError(file, None, None, f"cannot read the XLSX file: {exc}") from None
        bad = _xlsx_bad_cell(path, index)
        if bad is not None and bad[1] is None:  # a cell without reference: no row known
            raise InputError(file, None, None, bad[2])
        bad_row = bad[1] if bad is not None else 0
        for number, values in enumerate(ws.iter_rows(), start=1):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number)
            if number == bad_row:  # raised here, once the header (the column's name) is known
                letters, _, message = bad  # type: ignore[misc]
                raise _CellError(file, number, _column_index(letters), letters, message)
            yield number, [_xlsx_cell(v) for v in values]
        if bad is not None:  # a row calamine does not list (e.g. beyond the sheet's range)
            raise InputError(file, bad[1], bad[0], bad[2])
    finally:
        wb.close()


_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bt=["']e["'][^>]*>""")
_CELL_REF = re.compile(rb"""\br=["']([A-Z]+)([0-9]+)["']""")
_CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_STRING_TYPE = re.compile(rb"""\bt=["']str["']""")


def _column_index(letters: str) -> int:
    """0-based index of a column letter: ``A`` → 0, ``AA`` → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _xlsx_bad_cell(path: Path, index: int) -> tuple[str | None, int | None, str] | None:
    """Column letter, row and message of the first cell of the ``index``-th sheet that holds an
    Excel error (``#DIV/0!``, ``#N/A`` …) or a formula without a saved value, or None.

    calamine reads both as empty cells, which must not pass silently: an amount would drop its
    leg, an empty value cell would be filled by an estimate. A formula's value is the one Excel
    or LibreOffice saved with the file; files written by other programs may have none."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            sheets = [el for el in book.iter() if local(el.tag) == "sheet"]
            rid = next(v for k, v in sheets[index].attrib.items() if local(k) == "id")
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = next(el.get("Target", "") for el in rels if el.get("Id") == rid)
            name = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            data = z.read(posixpath.normpath(name))
    except (KeyError, IndexError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError):
        return None  # not the usual package layout: calamine has read it, nothing to check
    found: list[tuple[int, str | None, int | None, str]] = []  # (offset, column, row, message)
    if b't="e"' in data or b"t='e'" in data:  # fast: the usual file has none
        cell = _ERROR_CELL.search(data)
        if cell is not None:
            value = None if cell.group(0).endswith(b"/>") else _CELL_VALUE.search(data, cell.end())
            text = value.group(1).decode("utf-8", "replace") if value else "(no text)"
            found.append((cell.start(), *_reference(cell.group(0)), f"Excel error {text}"))
    for formula in _FORMULA.finditer(data):  # fast: none in the usual file
        pos = formula.start()
        starts = list(_CELL_START.finditer(data, max(0, pos - 1000), pos))
        end = _CELL_END.search(data, pos)
        if not starts or end is None:
            continue
        start = starts[-1].start()
        tag = data[start : data.index(b">", start) + 1]
        value = _CELL_VALUE.search(data, pos, end.end())
        if (value is not None and value.group(1)) or (
            _STRING_TYPE.search(tag) and b"<v" in data[pos : end.start()]
        ):
            continue  # a saved value (an empty text result is a value too)
        found.append((start, *_reference(tag), "formula without a saved value"))
        break
    if not found:
        return None
    _, column, row, what = min(found)
    cell_name = f"cell {column}{row}" if column else "a cell"
    if what.startswith("Excel error"):
        message = f"{cell_name} holds the {what}; expected a value"
    else:
        message = (
            f"{cell_name} holds a formula without a saved value; expected a value (open and "
            "save the file in Excel or LibreOffice, which stores the formula's result)"
        )
    return column, row, message


def _reference(tag: bytes) -> tuple[str | None, int | None]:
    """Column letter and row of a cell's start tag (a cell may leave out its reference)."""
    ref = _CELL_REF.search(tag)
    if ref is None:
        return None, None
    return ref.group(1).decode(), int(ref.group(2))


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def _table(path: Path, sheet: str | None) -> tuple[Callable[..., Iterator[Row]], str]:
    """A factory of fresh row iterators, given an optional progress callback (the slash-date
    scan reads the file a second time, without one) and the delimiter (``""`` for XLSX)."""
    if _is_xlsx(path):
        return (lambda progress=None: _xlsx_rows(path, sheet, progress)), ""
    delimiter = _csv_delimiter(path)
    return (lambda progress=None: _csv_rows(path, delimiter, progress)), delimiter


# --------------------------------------------------------------------------------------------
# Readers


def read_ledger(
    path: str | Path,
    *,
    timezone: str = "Europe/Berlin",
    sheet: str | None = None,
    progress: Progress | None = None,
) -> Ledger:
    """Read one ledger file (CSV or XLSX) in any accepted format.

    ``timezone`` is the time zone of dates without an offset (the CoinTracking account's
    setting); ``sheet`` picks an XLSX sheet (default: the first one); ``progress`` is called
    with the number of rows read so far, about every ``PROGRESS_EVERY`` rows.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError(file, None, None, "file not found")
    rows, delimiter = _table(path, sheet)
    header_row, header, fmt = 0, [], UNKNOWN
    labels: list[str] = []  # column names, once the header is recognised
    positions: dict[str, int] | None = None  # id → position: canonical CSVs only
    try:
        it = rows(progress)
        first: list[object] = []
        for number, cells in it:
            header_row, header = number, _trim(cells)
            fmt = detect_format(header)
            if fmt != UNKNOWN:
                break
            if number == 1 and len([c for c in header if c]) == 1:
                first = header
                continue  # a title row above the header (CoinTracking's XLSX import template)
            break
        if fmt == UNKNOWN:
            shown = ", ".join(header) if header else "(empty)"
            hint = f" (title row: {first[0]})" if first else ""
            raise InputError(
                file,
                header_row or 1,
                None,
                f"unrecognised header{hint}: {shown}; expected a CoinTracking trade list export "
                "(V1–V4), CoinTracking's import format or the taxsim canonical CSV",
            )
        labels = _labels(header)
        if fmt == FORMAT_CANONICAL:
            numbers = [i for i, h in enumerate(header) if h.endswith(("_amount", "_eur"))]
            decimals = _decimal_style(rows, delimiter, header_row, numbers)
            txs, positions = _read_canonical(file, header, it, header_row, timezone, decimals)
        else:
            layout = _layout(header)
            assert layout is not None
            _check_layout(file, header_row, labels, layout)
            numbers = [
                i
                for i in (layout.buy, layout.sell, layout.fee, layout.buy_value, layout.sell_value)
                if i is not None
            ]
            decimals = _decimal_style(rows, delimiter, header_row, numbers)
            clock = _Clock(file, timezone, lambda: _column(rows(), header_row, layout.date))
            txs = _read_cointracking(file, path.stem, header, layout, it, clock, decimals)
    except _CellError as exc:  # name the column by its header
        below = labels and exc.row > header_row and exc.field < len(labels)
        column = labels[exc.field] if below else exc.column
        raise InputError(file, exc.row, column, exc.message) from None
    return Ledger(transactions=txs, files=[file], format=fmt, positions=positions)


def _decimal_style(
    rows: Callable[..., Iterator[Row]], delimiter: str, header_row: int, numbers: list[int]
) -> _DecimalStyle | None:
    """The decimal style decider of a ``;``-delimited file (None: decimals are dots only)."""
    if delimiter != ";":
        return None
    return _DecimalStyle(lambda: _cells(rows(), header_row, numbers))


def _check_layout(file: str, header_row: int, labels: list[str], lay: _Layout) -> None:
    """Columns that make no sense without another one (the alias header lets any be left out)."""
    if lay.fee is not None and lay.fee_cur is None:
        raise InputError(
            file,
            header_row,
            labels[lay.fee],
            "a fee column needs its currency column; expected a 'Fee Currency' column too",
        )
    if lay.fee_cur is not None and lay.fee is None:
        raise InputError(
            file,
            header_row,
            labels[lay.fee_cur],
            "a fee currency column needs its amount column; expected a 'Fee Amount' column too",
        )


def _column(rows: Iterator[Row], header_row: int, index: int) -> Iterator[str]:
    for number, cells in rows:
        if number > header_row and index < len(cells):
            yield str(cells[index])


def _labels(header: list[str]) -> list[str]:
    """Column names for messages; a repeated name (``Cur.``) gets its 1-based position."""
    counts = Counter(header)
    return [h if counts[h] == 1 else f"{h} (column {i + 1})" for i, h in enumerate(header)]


def _blank(cells: list[object]) -> bool:
    return all(c == "" or c is None or (isinstance(c, str) and not c.strip()) for c in cells)


#: The rule for a plain number, as a regular expression; ``_is_plain`` checks it faster.
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?").fullmatch
_DIGITS = "0123456789"
#: Most legs kept for reuse while reading (a bound on the memory this takes).
_LEG_CACHE = 1 << 16


def _is_plain(text: str) -> bool:
    r"""Whether ``text`` is a plain number, ``[0-9]+(\.[0-9]+)?``: the common case, which
    ``Decimal(text)`` reads exactly. Same answer as ``_PLAIN_NUMBER`` (a test checks) at a
    third of the cost: stripping the ASCII digits off both ends must leave nothing, or a
    single dot that was neither the first nor the last character. Anything else (signs,
    exponents, NaN, spaces, other digits) leaves more, and goes through ``_number``."""
    rest = text.strip(_DIGITS)
    return (not rest and text != "") or (rest == "." and text[0] != "." and text[-1] != ".")


def _read_cointracking(
    file: str,
    stem: str,
    header: list[str],
    lay: _Layout,
    rows: Iterator[Row],
    clock: _Clock,
    decimals: _DecimalStyle | None,
) -> list[Transaction]:
    """Rows of a CoinTracking layout → transactions. Written for speed: one pass, no per-row
    helper objects, caches for the few distinct type labels, tickers, wallet names and for
    repeated legs (the same fiat amounts and fees come back again and again)."""
    labels = _labels(header)
    width = len(header)
    txs: list[Transaction] = []
    append = txs.append
    keys: list[str] = []  # id candidate (Tx-ID/Trade ID/Tx Hash) per transaction
    types: dict[str, tuple[Kind, IncomeType | None, str] | str] = {}
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
        asset = assets.get(cur)
        if asset is None:
            asset = assets[cur] = unsafe_cell(cur.strip()).upper()
        if not asset or asset == "-":
            raise fail(row, ri, f"expected the currency of the amount {raw.strip()}")
        if len(legs) >= _LEG_CACHE:
            legs.clear()  # bounds the memory; the repeated legs come back soon
        new = legs[key] = Leg(qty, asset, eur)
        return new

    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic GC would only rescan them
    try:
        for row, cells in rows:
            if len(cells) != width:
                if len(cells) < width or not _blank(cells[width:]):
                    if _blank(cells):
                        continue
                    raise InputError(
                        file, row, None, f"expected {width} columns, found {len(cells)}"
                    )
                cells = cells[:width]
            cells.append("")  # cells[no_column]: the empty cell of absent columns
            mapped = types.get(cells[ti])  # type: ignore[arg-type]
            if mapped is None:
                mapped = types[cells[ti]] = _map_type(str(cells[ti]).strip())  # type: ignore[index]
            if isinstance(mapped, str):
                if _blank(cells):
                    continue
                raise fail(row, ti, mapped)
            kind, income_type, role = mapped
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
            else:
                problem, where = _leg_problem(kind, role, buy, sell)
                if problem:
                    raise fail(row, bi if where == "buy" else si, problem)
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
                )
            )
            keys.append(key)
        txs = _with_ids(txs, keys, stem)
        # The transactions live as long as the ledger and hold no reference cycles (reference
        # counting frees them). Left to the collector, its first collections after the read
        # would walk all of them, twice (about 4 s per million rows), to find nothing: move
        # them (process-wide: everything alive now) to its permanent generation instead.
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    return txs


def _leg_problem(kind: Kind, role: str, buy: Leg | None, sell: Leg | None) -> tuple[str, str]:
    """What is wrong with the legs of a CoinTracking row, and in which column ("buy"/"sell")."""
    if role == _ANY:
        return ("", "") if buy or sell else ("expected a Buy and/or a Sell amount > 0", "buy")
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

    enabled = gc.isenabled()
    gc.disable()  # see _read_cointracking
    try:
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
            v: Sequence[str]
            if pick is None:
                v = cells  # type: ignore[assignment]
            else:
                cells.append("")
                v = pick(cells)
            if "'" in "".join(v):  # rare: undo safe_cell where it escaped a text
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
        gc.freeze()  # see _read_cointracking
    finally:
        if enabled:
            gc.enable()
    return txs, ids


def _canonical_leg_problem(kind: Kind, buy: Leg | None, sell: Leg | None) -> tuple[str, str | None]:
    """Which legs each kind needs (docs/canonical-csv.md; the fee leg is always optional): ''
    or the problem, with the column to name."""
    if kind is Kind.TRADE:
        return ("", None) if buy or sell else ("a trade needs buy_amount and/or sell_amount", None)
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


def read_ledgers(
    paths: Iterable[str | Path], *, timezone: str = "Europe/Berlin", sheet: str | None = None
) -> Ledger:
    """Read several files into one ledger (file order, then row order).

    Ids stay unique: an id that an earlier file already used gets the file stem as prefix
    (``<stem>/<id>``; a further number if even that is taken). ``format`` lists the formats
    read, joined with ``+`` (e.g. ``cointracking-trade-list-v2+cointracking-import``).
    """
    txs: list[Transaction] = []
    files: list[str] = []
    formats: list[str] = []
    used: set[str] = set()
    for path in paths:
        ledger = read_ledger(path, timezone=timezone, sheet=sheet)
        files += ledger.files
        if ledger.format not in formats:
            formats.append(ledger.format)
        stem = Path(path).stem
        for tx in ledger.transactions:
            new, n = tx.id, 1
            while new in used:
                new = f"{stem}/{tx.id}" if n == 1 else f"{stem}/{tx.id}~{n}"
                n += 1
            used.add(new)
            txs.append(tx if new == tx.id else tx.with_(id=new))
    return Ledger(transactions=txs, files=files, format="+".join(formats))
