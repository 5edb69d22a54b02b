"""The per-lot rows of the exports (``disposals.csv`` and the workbook's Disposals sheet) and
their amounts in cents, rounded so that they add up (``row_money``: per pass, tax year and
category the gains sum to the yearly figure, and each row's gain = proceeds − cost − fee;
docs/report.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import ROUND_FLOOR, Decimal

from ...engine.holding import LocalCalendar
from ...engine.types import Disposal, Match, PassResult
from ...model import CENT, ZERO
from ...rules import RuleSet
from ...summary import cents, within_speculation_period
from ...whatif import Comparison

DISPOSAL_COLUMNS = (
    "pass",
    "disposal_id",
    "time",
    "year",
    "wallet",
    "asset",
    "kind",
    "quantity",
    "proceeds",
    "cost",
    "fee",
    "gain",
    "lot_id",
    "acquired",
    "holding_days",
    "taxable",
    "category",
    "origin",
    "realized",
    "corrections",
)

#: The ``category`` of a row: the yearly figure of ``simulate --json`` it counts toward, or
#: ``none`` (an Austrian swap that is no realization, a disposal without any lot).
CATEGORIES = ("taxable_gain", "exempt_gain", "speculation_gain", "none")


def corrections_by_tx(comp: Comparison) -> dict[str, list[str]]:
    """Transaction id → ids of the corrections that added, removed or changed it."""
    out: dict[str, list[str]] = {}
    for entry in getattr(comp.applied, "audit", None) or []:
        ids = out.setdefault(entry.tx_id, [])
        if entry.correction not in ids:
            ids.append(entry.correction)
    return out


def _match_rows(d: Disposal) -> list[Match | None]:
    # A disposal without matches (nothing to cover) still gets a row: no row is dropped.
    return list(d.matches) or [None]


# --- per-row amounts in cents that add up --------------------------------------------------


@dataclass(slots=True)
class RowMoney:
    """The cents of one row (one matched lot) and the yearly figure it counts toward. Treated
    as immutable; not ``frozen``, which makes the 100,000s of a large ledger 2× as costly to
    create (as ``diagnosis.results.Step``)."""

    year: int
    category: str  # one of CATEGORIES
    proceeds: Decimal
    cost: Decimal
    fee: Decimal
    gain: Decimal


def category(d: Disposal, m: Match | None, sold: date, calendar: LocalCalendar) -> str:
    """The yearly figure a row counts toward, by the rules of ``summary.year_figures``: AT
    realizations before ``special_rate_from`` are old § 31 speculation gains (within one year,
    or uncovered) or exempt; otherwise ``taxable`` decides; a non-realizing swap counts nowhere.
    ``sold`` is the sale's local date."""
    if m is None or not d.realized:
        return "none"
    old_until = calendar.rules.tax.special_rate_from
    if old_until is not None and sold < old_until:
        within = within_speculation_period(m, sold, calendar)
        return "speculation_gain" if within else "exempt_gain"
    return "taxable_gain" if m.taxable else "exempt_gain"


def allocate_cents(
    values: Sequence[Decimal], prefer: Sequence[Decimal] | None = None
) -> list[Decimal]:
    """Round each value to the cent so that the results add up to the exact total rounded to
    the cent (ROUND_HALF_UP): largest remainder. Each value is rounded down or up to the next
    cent, a value already in whole cents is never changed. Which values are rounded up: those
    with the highest ``prefer`` first (when given), then the largest remainder, then the first.

    The number to round up, k = (total rounded − Σ rounded down) / 1 ct, lies between 0 and
    the number of values with a remainder: the total rounded is at most ½ ct above the exact
    total, which is below Σ rounded down + (that number) ct.
    """
    return _allocate(values, [v.quantize(CENT, rounding=ROUND_FLOOR) for v in values], prefer)


def _allocate(
    values: Sequence[Decimal], floors: list[Decimal], prefer: Sequence[Decimal] | None
) -> list[Decimal]:
    """``allocate_cents`` with the values rounded down given (``floors``, changed in place)."""
    target = cents(sum(values, ZERO))
    k = int((target - sum(floors, ZERO)) / CENT)
    if k:
        rest = [v - f for v, f in zip(values, floors, strict=True)]
        # by remainder, largest first, then by ``prefer``, highest first: two stable sorts
        # (reverse=True keeps equal keys in order), so ties stay in position order — the
        # order of the key (-prefer, -remainder, position) at a third of the cost of tuples
        order = sorted((i for i, r in enumerate(rest) if r), key=rest.__getitem__, reverse=True)
        if prefer:
            order.sort(key=prefer.__getitem__, reverse=True)
        for i in order[:k]:
            floors[i] += CENT
    return [v + 0 for v in floors]  # + 0: no "-0.00"


def _round_group(
    key: tuple[int, str],
    proceeds: list[Decimal],
    fees: list[Decimal],
    costs: list[Decimal],
    gains: list[Decimal],
) -> list[RowMoney]:
    """The rows of one group (tax year, category), given their exact proceeds, fees, costs
    and gains → their ``RowMoney``, in order.

    Proceeds and fee: ``allocate_cents``. Gain: ``allocate_cents`` too, rounding up those rows
    where that keeps cost = proceeds − fee − gain nearest its exact value. Cost is derived, so
    every row adds up; it may differ from its own rounding by a cent or two (docs/report.md).
    """
    p_cents = allocate_cents(proceeds)
    f_cents = allocate_cents(fees)
    downs = [g.quantize(CENT, rounding=ROUND_FLOOR) for g in gains]
    # how much closer to the exact cost a row gets when its gain is rounded up
    prefer = [
        abs(p - f - down - c) - abs(p - f - down - CENT - c)
        for p, f, down, c in zip(p_cents, f_cents, downs, costs, strict=True)
    ]
    g_cents = _allocate(gains, downs, prefer)
    year, group = key
    return [
        RowMoney(year, group, p, p - f - g, f, g)
        for p, f, g in zip(p_cents, f_cents, g_cents, strict=True)
    ]


def row_money(result: PassResult, rules: RuleSet) -> list[list[RowMoney]]:
    """Per disposal, per row (``_match_rows``): the amounts in cents and the category.

    Rows are grouped by tax year (the sale's local date, as in ``summary.year_figures``) and
    category. Within a group the rows' gains add up to the group's exact gain rounded to the
    cent — which is the yearly figure of ``simulate --json`` — and proceeds and fees to theirs.
    """
    calendar = LocalCalendar(rules)
    day = calendar.day
    old_regime = rules.tax.special_rate_from is not None  # AT: § 31 a. F. before it
    # per group: the exact proceeds, fees, costs and gains of its rows, in order
    groups: dict[tuple[int, str], tuple[list, list, list, list]] = {}
    keys: list[tuple[int, str]] = []  # each row's group, in order
    for d in result.disposals:
        sold = day(d.time)
        year = sold.year
        for m in d.matches or (None,):
            if old_regime or m is None or not d.realized:
                key = (year, category(d, m, sold, calendar))
            else:  # ``category`` without the call: most rows of a long ledger
                key = (year, "taxable_gain" if m.taxable else "exempt_gain")
            keys.append(key)
            group = groups.get(key)
            if group is None:
                group = groups[key] = ([], [], [], [])
            if m is None:  # a disposal without matches still gets a row: none is dropped
                p, f, c = d.proceeds, d.fee, ZERO
            else:
                p, f, c = m.proceeds, m.fee, m.cost
            group[0].append(p)
            group[1].append(f)
            group[2].append(c)
            group[3].append(p - f - c)  # Match.gain
    made = {key: iter(_round_group(key, *group)).__next__ for key, group in groups.items()}
    rows = iter([made[key]() for key in keys]).__next__  # every row's, in order
    return [[rows() for _ in d.matches or (None,)] for d in result.disposals]


def disposal_rows(comp: Comparison, zone: tzinfo | None = None) -> list[dict[str, str]]:
    """One row per matched lot of every disposal, raw pass first, then the corrected pass.

    Amounts are in cents by ``row_money``: each row's gain = proceeds − cost − fee, and per
    pass, tax year and ``category`` the gains add up to the yearly figure."""
    return list(iter_disposal_rows(comp, zone))


class PassCents(dict[str, list[list[RowMoney]]]):
    """``row_money`` of the passes of ``comp`` by label ("raw", "corrected"), each worked out
    when first asked for and then kept: the PDF's appendix, the CSV and the workbook share
    them (on a 100k-row ledger each takes about a second)."""

    def __init__(self, comp: Comparison) -> None:
        super().__init__()
        self.comp = comp

    def __missing__(self, label: str) -> list[list[RowMoney]]:
        result = {"raw": self.comp.raw.result, "corrected": self.comp.corrected.result}[label]
        cents = self[label] = row_money(result, self.comp.rules)
        return cents


def pass_money(comp: Comparison) -> PassCents:
    """``row_money`` of both passes, by pass label (``PassCents``: each computed once)."""
    return PassCents(comp)


def iter_disposal_rows(
    comp: Comparison,
    zone: tzinfo | None = None,
    cents_by_pass: dict[str, list[list[RowMoney]]] | None = None,
) -> Iterator[dict[str, str]]:
    """``disposal_rows`` one at a time (the exports stream them: a 100k-row ledger has
    hundreds of thousands of rows, which as a list of dicts would take hundreds of MB).
    ``cents_by_pass``: ``pass_money(comp)`` if already computed."""
    for values in iter_disposal_values(comp, zone, cents_by_pass):
        yield dict(zip(DISPOSAL_COLUMNS, map(_as_text, values), strict=True))


def _as_text(value: object) -> str:
    """A value of ``iter_disposal_values`` as the text of ``disposal_rows``."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")  # quantities exact; amounts are whole cents already
    return str(value)


def iter_disposal_values(
    comp: Comparison,
    zone: tzinfo | None = None,
    cents_by_pass: dict[str, list[list[RowMoney]]] | None = None,
) -> Iterator[tuple[object, ...]]:
    """The rows of ``disposal_rows`` as values, in ``DISPOSAL_COLUMNS`` order: each export
    formats them its own way (the CSV as text in its dialect, the workbook as numbers and
    dates) without parsing text back. Times are ``datetime`` in ``zone``; year and holding
    days ``int``; quantity ``Decimal``; amounts ``Decimal`` in cents with two decimals
    (``summary.money``'s value: never -0.00); None where the CSV has an empty field."""
    marks = corrections_by_tx(comp)
    passes: list[tuple[str, PassResult]] = [("raw", comp.raw.result)]
    passes.append(("corrected", comp.corrected.result))
    for label, result in passes:
        corrected = label == "corrected"
        money_rows = (
            cents_by_pass[label] if cents_by_pass is not None else row_money(result, comp.rules)
        )
        for d, amounts in zip(result.disposals, money_rows, strict=True):
            time = d.time.astimezone(zone) if zone else d.time
            realized = "yes" if d.realized else "no"
            own = marks.get(d.tx_id, [])
            for m, r in zip(_match_rows(d), amounts, strict=True):
                if corrected:
                    ids = own + [c for c in marks.get(m.lot_id if m else "", []) if c not in own]
                    noted = " ".join(ids)
                else:
                    noted = ""
                yield (
                    label,
                    d.tx_id,
                    time,
                    r.year,
                    d.wallet,
                    d.asset,
                    d.kind.value,
                    m.quantity if m else d.quantity,
                    _two_places(r.proceeds),
                    _two_places(r.cost),
                    _two_places(r.fee),
                    _two_places(r.gain),
                    m.lot_id if m else "",
                    (m.acquired.astimezone(zone) if zone else m.acquired) if m else None,
                    m.holding_days if m else None,
                    ("yes" if m.taxable else "no") if m else "",
                    r.category,
                    m.origin.value if m else "",
                    realized,
                    noted,
                )


def _two_places(amount: Decimal) -> Decimal:
    """Cents as ``summary.money`` writes them: two decimals, zero never negative."""
    return amount.quantize(CENT) + 0 if amount else ZERO_CENTS


ZERO_CENTS = Decimal("0.00")
