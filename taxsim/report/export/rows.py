"""The per-lot rows of the exports (``disposals.csv`` and the workbook's Disposals sheet) and
their amounts in cents, rounded so that they add up (``row_money``: per pass, tax year and
category the gains sum to the yearly figure, and each row's gain = proceeds − cost − fee;
docs/report.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from decimal import ROUND_FLOOR, Decimal

from ...engine.holding import LocalCalendar
from ...engine.types import Disposal, Match, PassResult
from ...model import CENT, ZERO
from ...rules import RuleSet
from ...summary import cents, money, within_speculation_period
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


@dataclass(frozen=True, slots=True)
class RowMoney:
    """The cents of one row (one matched lot) and the yearly figure it counts toward."""

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
    target = cents(sum(values, ZERO))
    floors = [v.quantize(CENT, rounding=ROUND_FLOOR) for v in values]
    k = int((target - sum(floors, ZERO)) / CENT)
    if k:
        candidates = [i for i, v in enumerate(values) if v != floors[i]]
        candidates.sort(key=lambda i: (-(prefer[i]) if prefer else ZERO, floors[i] - values[i], i))
        for i in candidates[:k]:
            floors[i] += CENT
    return [v + 0 for v in floors]  # + 0: no "-0.00"


def _round_group(exact: list[tuple[Decimal, Decimal, Decimal, Decimal]]) -> list[tuple]:
    """(proceeds, cost, fee, gain) of the rows of one group → the same in cents.

    Proceeds and fee: ``allocate_cents``. Gain: ``allocate_cents`` too, rounding up those rows
    where that keeps cost = proceeds − fee − gain nearest its exact value. Cost is derived, so
    every row adds up; it may differ from its own rounding by a cent or two (docs/report.md).
    """
    proceeds = allocate_cents([p for p, _, _, _ in exact])
    fees = allocate_cents([f for _, _, f, _ in exact])
    prefer = []
    for (_, c, _, g), p, f in zip(exact, proceeds, fees, strict=True):
        down = g.quantize(CENT, rounding=ROUND_FLOOR)
        # how much closer to the exact cost the row gets when its gain is rounded up
        prefer.append(abs(p - f - down - c) - abs(p - f - down - CENT - c))
    gains = allocate_cents([g for _, _, _, g in exact], prefer)
    return [(p, p - f - g, f, g) for p, f, g in zip(proceeds, fees, gains, strict=True)]


def row_money(result: PassResult, rules: RuleSet) -> list[list[RowMoney]]:
    """Per disposal, per row (``_match_rows``): the amounts in cents and the category.

    Rows are grouped by tax year (the sale's local date, as in ``summary.year_figures``) and
    category. Within a group the rows' gains add up to the group's exact gain rounded to the
    cent — which is the yearly figure of ``simulate --json`` — and proceeds and fees to theirs.
    """
    calendar = LocalCalendar(rules)
    out: list[list[RowMoney | None]] = []
    groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
    exact: dict[tuple[int, str], list[tuple[Decimal, Decimal, Decimal, Decimal]]] = {}
    for n, d in enumerate(result.disposals):
        sold = calendar.day(d.time)
        rows = _match_rows(d)
        out.append([None] * len(rows))
        for j, m in enumerate(rows):
            key = (sold.year, category(d, m, sold, calendar))
            groups.setdefault(key, []).append((n, j))
            amounts = (
                (m.proceeds, m.cost, m.fee, m.gain) if m else (d.proceeds, ZERO, d.fee, d.gain)
            )
            exact.setdefault(key, []).append(amounts)
    for key, members in groups.items():
        for (n, j), (p, c, f, g) in zip(members, _round_group(exact[key]), strict=True):
            out[n][j] = RowMoney(key[0], key[1], p, c, f, g)
    return out  # type: ignore[return-value]


def disposal_rows(comp: Comparison, zone: tzinfo | None = None) -> list[dict[str, str]]:
    """One row per matched lot of every disposal, raw pass first, then the corrected pass.

    Amounts are in cents by ``row_money``: each row's gain = proceeds − cost − fee, and per
    pass, tax year and ``category`` the gains add up to the yearly figure."""
    return list(iter_disposal_rows(comp, zone))


def pass_money(comp: Comparison) -> dict[str, list[list[RowMoney]]]:
    """``row_money`` of both passes, by pass label: computed once by ``write_exports`` for
    the CSV and the workbook (on a 100k-row ledger each call takes seconds)."""
    return {
        "raw": row_money(comp.raw.result, comp.rules),
        "corrected": row_money(comp.corrected.result, comp.rules),
    }


def iter_disposal_rows(
    comp: Comparison,
    zone: tzinfo | None = None,
    cents_by_pass: dict[str, list[list[RowMoney]]] | None = None,
) -> Iterator[dict[str, str]]:
    """``disposal_rows`` one at a time (the exports stream them: a 100k-row ledger has
    hundreds of thousands of rows, which as a list of dicts would take hundreds of MB).
    ``cents_by_pass``: ``pass_money(comp)`` if already computed."""
    marks = corrections_by_tx(comp)
    passes: list[tuple[str, PassResult]] = [("raw", comp.raw.result)]
    passes.append(("corrected", comp.corrected.result))
    for label, result in passes:
        money_rows = (
            cents_by_pass[label] if cents_by_pass is not None else row_money(result, comp.rules)
        )
        for d, amounts in zip(result.disposals, money_rows, strict=True):
            for m, r in zip(_match_rows(d), amounts, strict=True):
                ids = marks.get(d.tx_id, []) + [
                    c
                    for c in marks.get(m.lot_id if m else "", [])
                    if c not in marks.get(d.tx_id, [])
                ]
                yield (
                    {
                        "pass": label,
                        "disposal_id": d.tx_id,
                        "time": (d.time.astimezone(zone) if zone else d.time).isoformat(),
                        "year": str(r.year),
                        "wallet": d.wallet,
                        "asset": d.asset,
                        "kind": d.kind.value,
                        "quantity": format(m.quantity if m else d.quantity, "f"),
                        "proceeds": money(r.proceeds),
                        "cost": money(r.cost),
                        "fee": money(r.fee),
                        "gain": money(r.gain),
                        "lot_id": m.lot_id if m else "",
                        "acquired": (
                            m.acquired.astimezone(zone) if zone else m.acquired
                        ).isoformat()
                        if m
                        else "",
                        "holding_days": str(m.holding_days) if m else "",
                        "taxable": ("yes" if m.taxable else "no") if m else "",
                        "category": r.category,
                        "origin": m.origin.value if m else "",
                        "realized": "yes" if d.realized else "no",
                        "corrections": " ".join(ids) if label == "corrected" else "",
                    }
                )
