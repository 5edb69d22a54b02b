"""Dates: the date texts of one file as UTC datetimes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..inputs import timezones
from ..model import InputError

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
        self._days: dict[tuple[int, int, int], timedelta | bool] = {}  # see ``_offset``
        #: "dd.mm.yyyy HH" / "yyyy-mm-dd HH" -> UTC time of the local hour's start (only hours
        #: without a DST change); public so that readers can look it up inline.
        self.hours: dict[str, datetime] = {}
        self._slash_scan = slash_scan
        self._day_first: bool | None = None
        #: Rows whose local time is skipped or repeated at a DST change (a finding).
        self.dst = timezones.DstRows(file, timezone)
        self.row = 0  # the row being parsed (for ``dst``)

    def _offset(self, y: int, mo: int, d: int, h: int) -> timedelta | None:
        """UTC offset of a local hour (cached), None if it changes within the hour (DST)."""
        key = (y, mo, d, h)
        if key not in self._offsets:
            day = self._days.get(key[:3])
            if day is None:  # one check per day: nearly every day has no change at all
                day = self._days[key[:3]] = self._steady(
                    datetime(y, mo, d, tzinfo=self.zone),
                    datetime(y, mo, d, 23, 59, 59, 999999, tzinfo=self.zone),
                )
            if day is False:  # the day of a change: which hours hold it
                day = self._steady(
                    datetime(y, mo, d, h, tzinfo=self.zone),
                    datetime(y, mo, d, h, 59, 59, 999999, tzinfo=self.zone),
                )
            self._offsets[key] = None if day is False else day  # type: ignore[assignment]
        return self._offsets[key]

    @staticmethod
    def _steady(start: datetime, end: datetime) -> timedelta | bool:
        """The UTC offset from ``start`` to ``end`` if it does not change between them, else
        False. Both readings (fold 0 and 1) at both ends: they differ only where a time is
        skipped or repeated (zoneinfo resolves either with fold 0 alone)."""
        offsets = {t.replace(fold=f).utcoffset() for t in (start, end) for f in (0, 1)}
        offset = start.utcoffset()
        return offset if len(offsets) == 1 and offset is not None else False

    def local(self, y: int, mo: int, d: int, h: int, mi: int, s: int, us: int = 0) -> datetime:
        """UTC time of a local wall-clock time; offsets are cached per local hour."""
        offset = self._offset(y, mo, d, h)
        if offset is None:  # the offset changes within this hour: the DST rule (inputs)
            naive = datetime(y, mo, d, h, mi, s, us)
            utc, kind = timezones.resolve(naive, self.zone)
            if kind is not None:
                self.dst.add(kind, naive, self.row)
            return utc
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
        self.row = row
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
