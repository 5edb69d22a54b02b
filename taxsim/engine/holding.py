"""The holding period: calendar dates in the jurisdiction's local time zone.

German § 23 EStG taxes a sale if "nicht mehr als ein Jahr" lies between acquisition and sale.
The period starts the day after acquisition (§ 187 Abs. 1 BGB) and ends on the anniversary date
(§ 188 Abs. 2 BGB), so a sale ON the anniversary is still taxable and the first tax-free day is
the day after. A period starting on 29 February ends on 28 February (§ 188 Abs. 3 BGB: the last
day of the month), so the first tax-free day is 1 March.

``rule = "days"`` is the rotki-style alternative (tax-free if acquisition + N days < sale) for
comparisons; it is not the legal rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from ..rules import RuleSet


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(moment: datetime, rules: RuleSet) -> date:
    return moment.astimezone(_zone(rules.local_timezone)).date()


class LocalCalendar:
    """Fast local dates for many UTC moments (the engines' hot path).

    Within one UTC day the local date changes at most once, at the UTC instant of the next
    local midnight. That instant is computed once per UTC day; a moment's local date is then
    one comparison. The last moment asked is remembered too (a trade asks for its sale and its
    purchase). Also caches each acquisition day's last taxable day.
    """

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.zone = _zone(rules.local_timezone)
        self._days: dict[date, tuple[datetime, date, date]] = {}
        self._last: dict[date, date] = {}
        self._moment: datetime | None = None
        self._day = date.min

    def day(self, moment: datetime) -> date:
        if moment is self._moment:
            return self._day
        utc_day = moment.date()
        hit = self._days.get(utc_day)
        if hit is None:
            start = datetime(utc_day.year, utc_day.month, utc_day.day, tzinfo=UTC)
            first = start.astimezone(self.zone).date()
            nxt = first + timedelta(days=1)
            boundary = datetime(nxt.year, nxt.month, nxt.day, tzinfo=self.zone).astimezone(UTC)
            hit = self._days[utc_day] = (boundary, first, nxt)
        self._moment = moment
        self._day = day = hit[1] if moment < hit[0] else hit[2]
        return day

    def last_taxable(self, acquired: date) -> date:
        hit = self._last.get(acquired)
        if hit is None:
            hit = self._last[acquired] = last_taxable_day(acquired, self.rules)
        return hit


def anniversary(acquired: date, years: int) -> date:
    """``acquired`` plus ``years`` calendar years; 29 Feb → 28 Feb (§ 188 Abs. 3 BGB)."""
    try:
        return acquired.replace(year=acquired.year + years)
    except ValueError:  # 29 February in a non-leap target year
        return acquired.replace(year=acquired.year + years, day=28)


def last_taxable_day(acquired: date, rules: RuleSet) -> date:
    """The last local date on which a sale still lies within the holding period."""
    h = rules.holding
    if h.rule == "calendar":
        return anniversary(acquired, h.period_years)
    return acquired + timedelta(days=h.period_days)


def within_period(acquired: date, sold: date, rules: RuleSet) -> bool:
    """True if the sale lies within the holding period (DE: taxable under § 23)."""
    return sold <= last_taxable_day(acquired, rules)
