"""The figures of the report, computed once from the comparison: what page 1, the tables,
``figures.json`` and the workbook all show, so that they cannot disagree.

Two modes:

* ``corrected`` — a corrections file was given: raw against corrected; the fictitious gain
  and the fictitious income are raw − corrected;
* ``raw`` — no corrections: a diagnosis report. Nothing is corrected, so there is no
  corrected tax; the *potentially* fictitious amounts are the raw pass's gains on units sold
  without purchase history (the short part of each disposal, cost 0) and the income from
  tokens the diagnosis calls scam tokens.

The tax of a year goes through ONE function, ``tax_of`` (today ``Comparison.tax_due``, the
estimate of ``summary``), so that a more exact tax is a one-line switch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..engine.types import Origin, PassResult
from ..model import ZERO
from ..rules import RuleSet
from ..summary import YearFigures
from ..whatif import Comparison

Mode = Literal["corrected", "raw"]
Status = Literal["clean", "open", "draft"]


def tax_of(comp: Comparison, figures: YearFigures | None) -> Decimal:
    """The tax of one year's figures: the ONE place the report takes a tax from."""
    return comp.tax_due(figures)


def tax_parts(comp: Comparison, f: YearFigures | None) -> tuple[Decimal, Decimal]:
    """(tax on gains, tax on income) of one year: the year's tax split in proportion to the
    taxable gain and the taxable income after the allowances (for the stacked chart; the
    parts add up to ``tax_of``)."""
    tax = tax_of(comp, f)
    if f is None or not tax:
        return ZERO, ZERO
    if comp.rules.jurisdiction == "AT":
        gains, income = max(f.taxable_gain, ZERO), max(f.income, ZERO)
    else:
        gains = max(f.taxable_after_allowance, ZERO)
        income = max(f.income_after_allowance, ZERO)
    if gains + income <= 0:
        return ZERO, tax
    on_gains = tax * gains / (gains + income)
    return on_gains, tax - on_gains


@dataclass(slots=True)
class YearRow:
    """One tax year of the report. ``fictitious_*`` are raw − corrected (mode ``corrected``)
    or the potentially fictitious amounts of the raw pass (mode ``raw``)."""

    year: int
    raw: YearFigures
    corrected: YearFigures
    fictitious_gain: Decimal
    fictitious_income: Decimal
    tax_raw: Decimal
    tax_corrected: Decimal | None  # None in mode raw
    tax_raw_parts: tuple[Decimal, Decimal]
    tax_corrected_parts: tuple[Decimal, Decimal] | None
    derivatives: object | None = None  # summary.YearFigures.derivatives, when the engine has it

    @property
    def tax_effect(self) -> Decimal | None:
        return None if self.tax_corrected is None else self.tax_raw - self.tax_corrected


@dataclass(slots=True)
class Totals:
    raw_taxable: Decimal = ZERO
    corrected_taxable: Decimal = ZERO
    raw_after_allowance: Decimal = ZERO
    corrected_after_allowance: Decimal = ZERO
    raw_income: Decimal = ZERO
    corrected_income: Decimal = ZERO
    raw_income_after_allowance: Decimal = ZERO
    corrected_income_after_allowance: Decimal = ZERO
    fictitious_gain: Decimal = ZERO
    fictitious_income: Decimal = ZERO
    tax_raw: Decimal = ZERO
    tax_corrected: Decimal | None = ZERO
    tax_effect: Decimal | None = ZERO
    raw_shorts: int = 0
    corrected_shorts: int = 0


@dataclass(slots=True)
class ReportFigures:
    mode: Mode
    status: Status
    years: list[YearRow]
    totals: Totals
    open_shorts: int  # shorts left in the pass that would be filed
    open_short_proceeds: Decimal
    corrections: int  # corrections applied
    correction_errors: list[str] = field(default_factory=list)  # ids whose worth failed


def _short_gains(result: PassResult, comp: Comparison) -> dict[int, Decimal]:
    """Per tax year: the taxable gain on the short part of the raw pass's disposals (units
    sold without purchase history, booked at cost 0)."""
    from ..engine.holding import LocalCalendar

    calendar = LocalCalendar(comp.rules)
    out: dict[int, Decimal] = {}
    for d in result.disposals:
        if not d.is_short or not d.realized:
            continue
        year = calendar.day(d.time).year
        gain = sum((m.gain for m in d.matches if m.origin is Origin.SHORT and m.taxable), ZERO)
        out[year] = out.get(year, ZERO) + gain
    return out


def _scam_income(result: PassResult, comp: Comparison, scam: Iterable[tuple[str, str]]) -> dict:
    """Per tax year: taxable income received in a (wallet, asset) the diagnosis calls a scam
    token (a worthless token with a real ticker, booked at the real asset's price)."""
    from ..engine.holding import LocalCalendar

    keys = set(scam)
    if not keys:
        return {}
    calendar = LocalCalendar(comp.rules)
    out: dict[int, Decimal] = {}
    for e in result.income:
        if e.taxable and (e.wallet, e.asset) in keys:
            year = calendar.day(e.time).year
            out[year] = out.get(year, ZERO) + e.value
    return out


def report_figures(
    comp: Comparison,
    *,
    scam_tokens: Iterable[tuple[str, str]] = (),
    years: Iterable[int] | None = None,
) -> ReportFigures:
    """The report's figures; ``scam_tokens``: (wallet, asset) the diagnosis found to be scam
    tokens (used in mode raw); ``years``: only these tax years (``--year``)."""
    mode: Mode = "corrected" if comp.applied is not None else "raw"
    chosen = [y for y in comp.years if years is None or y in set(years)]
    if mode == "raw":
        short_gain = _short_gains(comp.raw.result, comp)
        scam_income = _scam_income(comp.raw.result, comp, scam_tokens)
    rows: list[YearRow] = []
    totals = Totals()
    for y in chosen:
        raw = comp.raw.figures.get(y) or YearFigures(y)
        cor = comp.corrected.figures.get(y) or YearFigures(y)
        if mode == "corrected":
            fict_gain = raw.taxable_gain - cor.taxable_gain
            fict_income = raw.income - cor.income
            tax_cor: Decimal | None = tax_of(comp, cor)
            parts_cor: tuple[Decimal, Decimal] | None = tax_parts(comp, cor)
        else:
            fict_gain = short_gain.get(y, ZERO)
            fict_income = scam_income.get(y, ZERO)
            tax_cor, parts_cor = None, None
        row = YearRow(
            y,
            raw,
            cor,
            fict_gain,
            fict_income,
            tax_of(comp, raw),
            tax_cor,
            tax_parts(comp, raw),
            parts_cor,
            getattr(cor, "derivatives", None),
        )
        rows.append(row)
        totals.raw_taxable += raw.taxable_gain
        totals.corrected_taxable += cor.taxable_gain
        totals.raw_after_allowance += raw.taxable_after_allowance
        totals.corrected_after_allowance += cor.taxable_after_allowance
        totals.raw_income += raw.income
        totals.corrected_income += cor.income
        totals.raw_income_after_allowance += raw.income_after_allowance
        totals.corrected_income_after_allowance += cor.income_after_allowance
        totals.fictitious_gain += fict_gain
        totals.fictitious_income += fict_income
        totals.tax_raw += row.tax_raw
        totals.raw_shorts += raw.short_count
        totals.corrected_shorts += cor.short_count
        if tax_cor is not None and totals.tax_corrected is not None:
            totals.tax_corrected += tax_cor
    if mode == "raw":
        totals.tax_corrected = totals.tax_effect = None
    else:
        totals.tax_effect = totals.tax_raw - (totals.tax_corrected or ZERO)
    filed = comp.corrected.result if mode == "corrected" else comp.raw.result
    open_shorts = [d for d in filed.disposals if d.is_short]
    errors = [w.id for w in comp.worth if w.error]
    if mode == "raw":
        status: Status = "draft"
    elif open_shorts:
        status = "open"
    else:
        status = "clean"
    applied = getattr(comp.applied, "by_correction", None) or {}
    return ReportFigures(
        mode,
        status,
        rows,
        totals,
        len(open_shorts),
        sum((d.short_proceeds for d in open_shorts), ZERO),
        len(applied) if applied else len(comp.worth),
        errors,
    )


def scam_tokens(diagnosis: object | None) -> list[tuple[str, str]]:
    """(wallet, asset) the diagnosis classes as scam tokens."""
    findings = getattr(diagnosis, "findings", None) or []
    return [(f.wallet, f.asset) for f in findings if str(getattr(f, "cause", "")) == "scam_token"]


def rules_fingerprint(rules: RuleSet) -> str:
    """SHA-256 of the rule set as used (with any command-line overrides), canonical JSON: the
    rule-set version of the report (the rule set has no version number of its own)."""
    version = getattr(rules, "version", None)
    text = json.dumps(rules.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{version} / sha256:{digest}" if version else f"sha256:{digest}"


def derivative_amount(value: object) -> Decimal | None:
    """The yearly result of derivatives (i14's ``YearFigures.derivatives``): a Decimal or an
    object/mapping with a ``total``/``result``/``gain`` figure."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    for key in ("total", "result", "net", "gain"):
        found = value.get(key) if isinstance(value, dict) else getattr(value, key, None)
        if isinstance(found, Decimal):
            return found
    return None
