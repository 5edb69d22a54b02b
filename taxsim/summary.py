"""Per-year tax figures of a pass, the allowances, the tax effect and the JSON shape.

Rounding rule (docs/rules.md): figures are summed at full precision and rounded once, to the
cent, when presented (``cents``: ROUND_HALF_UP, the commercial rounding of German and Austrian
tax forms). Comparisons with the Freigrenze use the full-precision sum.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .engine.holding import LocalCalendar
from .engine.types import Disposal, Match, Origin, PassResult
from .model import CENT, ZERO
from .rules import Allowance, RuleSet
from .tax import TaxOptions, TaxResult, crypto_tax


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """Two-decimal string, as in the JSON output (``"-0.00"`` never appears)."""
    q = cents(value)
    return f"{q + 0:.2f}" if q else "0.00"


@dataclass(slots=True)
class DerivativeFigures:
    """A year's margin/derivatives results (CoinTracking "Margin Profit/Loss/Fee",
    "Derivatives / Futures Profit/Loss", "Borrowing Fee", "Settlement Fee"): DE § 20 EStG
    (Anlage KAP), AT § 27 Abs 4 EStG. Shown, not simulated: no allowance, no loss offset, no
    tax estimate. Sums of the EUR values the ledger gives; ``unvalued`` counts the legs without
    one (counted as 0 €: V1–V3 exports carry no values)."""

    profit: Decimal = ZERO
    loss: Decimal = ZERO  # as a positive amount
    fees: Decimal = ZERO  # as a positive amount
    rows: int = 0  # parts counted (a row with a profit and a fee counts twice)
    unvalued: int = 0

    @property
    def net(self) -> Decimal:
        return self.profit - self.loss - self.fees

    def as_json(self) -> dict[str, object]:
        return {
            "profit": money(self.profit),
            "loss": money(self.loss),
            "fees": money(self.fees),
            "net": money(self.net),
            "unvalued": self.unvalued,
        }


@dataclass(slots=True)
class YearFigures:
    year: int
    taxable_gain: Decimal = ZERO  # DE: § 23 result within the holding period; AT: Neuvermögen
    exempt_gain: Decimal = ZERO  # DE: held longer; AT: Altvermögen after the speculation period
    # AT: realizations before the special rate applied (2022-03-01) within one year: old § 31
    speculation_gain: Decimal = ZERO
    speculation_after_allowance: Decimal = ZERO  # old § 31 Freigrenze: "höchstens 440 €" (cliff)
    # taxable_gain split by disposal sign (AT: gains and losses have separate Kennzahlen)
    taxable_gains: Decimal = ZERO
    taxable_losses: Decimal = ZERO
    income: Decimal = ZERO  # DE: § 22 Nr. 3 receipts; AT: current income (lending, mining)
    expenses: Decimal = ZERO  # network fees as Werbungskosten (policy "werbungskosten")
    short_count: int = 0
    short_proceeds: Decimal = ZERO
    disposal_count: int = 0
    freigrenze: Decimal | None = None
    taxable_after_allowance: Decimal = ZERO
    income_after_allowance: Decimal = ZERO
    #: margin/derivatives, outside § 23 / § 27b (``rows == 0``: none this year)
    derivatives: DerivativeFigures = field(default_factory=DerivativeFigures)
    # AT: the part of the 27.5 % result realized with a domestic provider that withholds KESt
    # (law.withholding_platforms, from law.withholding_mandatory_from): E1kv Kz 171/173/175
    withheld_gains: Decimal = ZERO
    withheld_losses: Decimal = ZERO
    withheld_income: Decimal = ZERO

    @property
    def withheld_result(self) -> Decimal:
        return self.withheld_gains + self.withheld_losses + self.withheld_income

    def as_json(self, rules: RuleSet) -> dict[str, object]:
        out: dict[str, object] = {
            "taxable_gain": money(self.taxable_gain),
            "exempt_gain": money(self.exempt_gain),
            "taxable_after_allowance": money(self.taxable_after_allowance),
            "income": money(self.income),
            "short_count": self.short_count,
            "short_proceeds": money(self.short_proceeds),
        }
        if rules.jurisdiction == "AT":
            out["speculation_gain"] = money(self.speculation_gain)
            out["speculation_after_allowance"] = money(self.speculation_after_allowance)
            out["tax_estimate"] = money(at_tax(self, rules))
        if self.derivatives.rows:
            out["derivatives"] = self.derivatives.as_json()
        return out


def year_figures(result: PassResult, rules: RuleSet) -> dict[int, YearFigures]:
    """Aggregate a pass per tax year (calendar year in the rule set's local time zone)."""
    return FigureFold(rules).figures(result)


class FigureFold:
    """Per-year figures built up one disposal at a time: ``add`` is a ``run_pass`` sink, so a
    pass that needs only its figures drops each disposal once counted; ``figures`` then adds
    what the result still holds (disposals, income, expenses) and applies the allowances.
    ``keep_shorts``: keep the disposals with uncovered units in ``shorts``, in pass order."""

    def __init__(self, rules: RuleSet, keep_shorts: bool = False) -> None:
        self.rules = rules
        self.years: dict[int, YearFigures] = {}
        self.calendar = LocalCalendar(rules)
        self.old_regime_until = rules.tax.special_rate_from
        self.keep_shorts = keep_shorts
        self.shorts: list[Disposal] = []
        self.withholding = kest_withheld_by(rules)

    def _year(self, year: int) -> YearFigures:
        f = self.years.get(year)
        if f is None:
            f = self.years[year] = YearFigures(year)
        return f

    def add(self, d: Disposal) -> None:
        sold = self.calendar.day(d.time)
        f = self.years.get(sold.year) or self._year(sold.year)
        f.disposal_count += 1
        # One walk over the matches instead of one per Disposal property.
        taxable = exempt = short_proceeds = ZERO
        shorts = False
        for m in d.matches:
            gain = m.proceeds - m.cost
            if m.fee:
                gain -= m.fee
            if m.taxable:
                taxable += gain
            else:
                exempt += gain
            if m.origin is _SHORT:
                shorts = True
                short_proceeds += m.proceeds
        if shorts:
            f.short_count += 1
            f.short_proceeds += short_proceeds
            if self.keep_shorts:
                self.shorts.append(d)
        if self.old_regime_until is not None and sold < self.old_regime_until:
            _old_regime(d, sold, f, self.calendar)
        elif d.realized:
            f.taxable_gain += taxable
            if taxable > 0:
                f.taxable_gains += taxable
            else:
                f.taxable_losses += taxable
            f.exempt_gain += exempt
            if self.withholding is not None and self.withholding(d.wallet, sold):
                if taxable > 0:
                    f.withheld_gains += taxable
                else:
                    f.withheld_losses += taxable

    def figures(self, result: PassResult) -> dict[int, YearFigures]:
        """The figures of the disposals added so far plus those of ``result`` (call once)."""
        add, day = self.add, self.calendar.day
        for d in result.disposals:
            add(d)
        for e in result.income:
            if e.taxable:
                got = day(e.time)
                f = self._year(got.year)
                f.income += e.value
                if self.withholding is not None and self.withholding(e.wallet, got):
                    f.withheld_income += e.value
        for event in result.derivatives:  # margin/derivatives: shown, not simulated
            g = self._year(day(event.time).year).derivatives
            g.rows += 1
            if event.value is None:
                g.unvalued += 1
                continue
            if event.part == "profit":
                g.profit += event.value
            elif event.part == "loss":
                g.loss += event.value
            else:
                g.fees += event.value
        for x in result.expenses:
            f = self._year(day(x.time).year)
            f.expenses += x.amount
            f.taxable_gain -= x.amount
        for f in self.years.values():
            apply_allowances(f, self.rules)
        return dict(sorted(self.years.items()))


_SHORT = Origin.SHORT


def _old_regime(d: Disposal, sold: date, f: YearFigures, calendar: LocalCalendar) -> None:
    """AT, realization before the special rate applied: old § 31 EStG — a gain within one year
    of acquisition is a speculation gain (progressive rate, E1 Kz 801), later it is tax-free.
    Uncovered units count as acquired on the day of the sale (within the year)."""
    if not d.realized:
        return
    for m in d.matches:
        if within_speculation_period(m, sold, calendar):
            f.speculation_gain += m.gain
        else:
            f.exempt_gain += m.gain


def within_speculation_period(m: Match, sold: date, calendar: LocalCalendar) -> bool:
    """AT old § 31: sold (local date ``sold``) within one year of acquisition; uncovered units
    count as acquired on the day of the sale."""
    return m.short or sold <= calendar.last_taxable(calendar.day(m.acquired))


def apply_allowances(f: YearFigures, rules: RuleSet) -> None:
    """DE: the Freigrenzen are cliffs — below the limit nothing is taxable, at or above it all
    ("weniger als"). AT old § 31: up to and including 440 € nothing ("höchstens"; the rule
    set's ``inclusive``), above it all.

    A net loss stays a loss (it is carried under § 10d, not cut to 0). The AT 27.5 % regime
    has no allowance.
    """
    entry = rules.allowance_entry("freigrenze_23", f.year)
    f.freigrenze = entry.amount if entry is not None else None
    f.taxable_after_allowance = _cliff(f.taxable_gain, entry)
    f.income_after_allowance = _cliff(f.income, rules.allowance_entry("freigrenze_22_3", f.year))
    f.speculation_after_allowance = _cliff(
        f.speculation_gain, rules.allowance_entry("freigrenze_31", f.year)
    )


def _cliff(amount: Decimal, limit: Allowance | None) -> Decimal:
    """0 if ``amount`` is within the Freigrenze: below it, or (``inclusive``) also equal to it."""
    if limit is None or amount < ZERO:
        return amount
    if amount < limit.amount or (limit.inclusive and amount == limit.amount):
        return ZERO
    return amount


def at_tax(f: YearFigures, rules: RuleSet) -> Decimal:
    """AT: 27.5 % on realized Neuvermögen results plus current income (same-year offset only).

    Speculation gains of the old regime are taxed at the personal progressive rate, which
    taxsim does not know: they are shown, not included here."""
    rate = rules.tax.special_rate or ZERO
    base = f.taxable_gain + f.income
    return base * rate if base > 0 else ZERO


def kest_withheld_by(rules: RuleSet) -> Callable[[str, date], bool] | None:
    """AT: a test "was KESt withheld on this wallet's results of that day?" — the wallet's
    name contains one of ``law.withholding_platforms`` (domestic providers, case-insensitive)
    and the day is on or after ``law.withholding_mandatory_from``; None where nothing applies."""
    platforms = [p.casefold() for p in rules.law.withholding_platforms]
    start = rules.law.withholding_mandatory_from
    if rules.jurisdiction != "AT" or not platforms or start is None:
        return None
    cache: dict[str, bool] = {}

    def withheld(wallet: str, day: date) -> bool:
        hit = cache.get(wallet)
        if hit is None:
            hit = cache[wallet] = any(p in wallet.casefold() for p in platforms)
        return hit and day >= start

    return withheld


def tax_of_year(
    f: YearFigures, rules: RuleSet, options: TaxOptions, kest_from: YearFigures | None = None
) -> TaxResult:
    """The tax on one pass's figures of a year (``taxsim.tax.crypto_tax``).

    DE: § 23 Abs. 3 S. 7 EStG — a § 23 loss offsets only § 23 gains (carried by § 10d, not
    against § 22 Nr. 3 income of the year), so each part counts from zero up. AT: the year's
    27.5 % basket (gains − losses + current income), KESt on the domestic part credited. The
    KESt withheld is a fact of the year that no ledger correction changes: ``kest_from`` is the
    pass it is assumed from (the corrected one, taxsim's best knowledge) when not stated."""
    if rules.jurisdiction == "AT":
        rate = rules.tax.special_rate or ZERO
        withheld = max((kest_from or f).withheld_result, ZERO) * rate
        return crypto_tax(
            f.year, rules, options, at_result=f.taxable_gain + f.income, at_withheld=withheld
        )
    base = max(f.taxable_after_allowance, ZERO) + max(f.income_after_allowance, ZERO)
    return crypto_tax(f.year, rules, options, de_base=base)


def de_tax(amount: Decimal, rules: RuleSet, marginal_rate: Decimal, church: str | None) -> Decimal:
    """DE: income tax at the marginal rate plus solidarity surcharge and optional church tax.

    An approximation for the what-if comparison: the surcharge and church tax are levied on the
    income tax (the Soli exemption threshold is ignored, which overstates it for small incomes).
    """
    if amount <= 0:
        return ZERO
    tax = amount * marginal_rate
    extra = rules.tax.solidarity_rate or ZERO
    if church:
        rates = rules.tax.church_rates
        extra += rates.get(church.upper(), rates.get("default", ZERO))
    return tax * (1 + extra)
