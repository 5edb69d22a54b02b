"""Local times at a daylight-saving change, and the finding they give.

A local wall-clock time on the day a zone changes its offset may not exist (the hour skipped
in spring, e.g. 2023-03-26 02:00–03:00 in Europe/Berlin) or exist twice (the hour repeated in
autumn). The rule (docs/formats.md, "Dates and time zones"):

* a time that **does not exist** is taken as **the moment of the change** (03:00 local);
* a time that **exists twice** is taken as its **first** occurrence (still summer time).

Both keep the UTC times **in the order of the times as written**: a row written later is never
processed earlier, whichever way the ambiguity is resolved. Rows that land on the same second
(all rows written inside the skipped hour, and a row written at 03:00:00) follow the
same-second rule of ``model.in_processing_order`` (inflows before the outflows they fund), which
depends only on their content. Every such row is also reported (``findings``): rows in the
skipped hour cannot come from a clock in that zone, so they are evidence that the file is in
UTC (or another zone), and the message points at ``--timezone``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

SKIPPED = "skipped"
REPEATED = "repeated"


def kind_of(naive: datetime, zone: ZoneInfo) -> str | None:
    """``SKIPPED``, ``REPEATED`` or None for a naive local time in ``zone``."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return REPEATED if back == naive else SKIPPED


def resolve(naive: datetime, zone: ZoneInfo) -> tuple[datetime, str | None]:
    """UTC time of a naive local time by the rule above, and its kind (None: an ordinary
    time)."""
    kind = kind_of(naive, zone)
    if kind is None or kind == REPEATED:
        return naive.replace(tzinfo=zone, fold=0).astimezone(UTC), kind
    return _change(naive, zone), kind


def _change(naive: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of the offset change whose skipped hour holds ``naive``: between the
    readings with the later offset (earliest) and with the earlier one (latest)."""
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)  # later offset (larger)
    high = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)  # earlier offset
    if low > high:
        low, high = high, low
    before = low.astimezone(zone).utcoffset()
    # the first instant with another offset than ``low``'s, to the second
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high


class DstNotice(str):
    """One change day's message (a ``str``, as every entry of ``Ledger.findings``) that also
    carries what it is about, for the diagnosis's "time zone" finding and ``--json`` output:
    the file, the zone, ``kind`` (``SKIPPED``/``REPEATED``), the local day and the rows."""

    file: str
    zone: str
    kind: str
    day: str
    rows: tuple[int, ...]

    def __new__(
        cls, text: str, *, file: str, zone: str, kind: str, day: str, rows: list[int]
    ) -> DstNotice:
        self = super().__new__(cls, text)
        self.file, self.zone, self.kind, self.day, self.rows = file, zone, kind, day, tuple(rows)
        return self

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "zone": self.zone,
            "kind": self.kind,
            "day": self.day,
            "rows": list(self.rows),
            "message": str(self),
        }


@dataclass
class DstRows:
    """The rows of one file whose local time is skipped or repeated, per change."""

    file: str
    zone: str
    skipped: dict[str, list[int]] = field(default_factory=dict)  # "2023-03-26" -> rows
    repeated: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, naive: datetime, row: int) -> None:
        target = self.skipped if kind == SKIPPED else self.repeated
        target.setdefault(naive.date().isoformat(), []).append(row)

    def findings(self) -> list[str]:
        """One message per change day: the rows, what was assumed and what to do."""
        out: list[str] = []
        for day, rows in sorted(self.skipped.items()):
            text = (
                f"{self.file}: {_rows(rows)} a local time on {day} in the hour that does not "
                f"exist in {self.zone} (clocks jump forward): a clock in {self.zone} never "
                "shows it, so the file is probably in UTC or another zone; if so, read it "
                f"again with --timezone UTC (or its zone). Taken as the moment of the change, "
                "in the order written"
            )
            out.append(self._notice(text, SKIPPED, day, rows))
        for day, rows in sorted(self.repeated.items()):
            text = (
                f"{self.file}: {_rows(rows)} a local time on {day} in the hour that occurs "
                f"twice in {self.zone} (clocks go back): taken as the first (summer time), in "
                "the order written; if the file is in UTC or another zone, read it with "
                "--timezone"
            )
            out.append(self._notice(text, REPEATED, day, rows))
        return out

    def _notice(self, text: str, kind: str, day: str, rows: list[int]) -> DstNotice:
        return DstNotice(text, file=self.file, zone=self.zone, kind=kind, day=day, rows=rows)


def _rows(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:10]))
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    return f"row {shown} has" if len(rows) == 1 else f"rows {shown}{more} have"
