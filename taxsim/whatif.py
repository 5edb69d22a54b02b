"""Raw vs corrected: the fictitious profit and what each correction is worth.

* raw pass: the ledger as given (uncovered sales are Short at cost 0);
* corrected pass: the ledger with the corrections applied to a copy;
* per correction C, its effect on the taxable gain of each year
  - ``alone``    = taxable(raw + C only) − taxable(raw),
  - ``left_out`` = taxable(all corrections) − taxable(all but C) — C's marginal contribution.
  Negative numbers reduce the taxable gain. Because corrections interact (a cost basis only
  matters once the sale it covers is no longer short), the two differ and the ``left_out``
  effects need not add up to the total; both are shown so the reader sees the interaction.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .engine import run_pass
from .engine.types import Disposal, Note, PassResult
from .forked import SHARED, Done, fork_pool
from .model import ZERO, Ledger, TaxsimError
from .rules import RuleSet
from .summary import FigureFold, YearFigures, cents, money, tax_of_year, year_figures
from .tax import TaxOptions, TaxResult


def _prose_eur(value: Decimal) -> str:
    """An amount in an English sentence: cents with thousands separators (1,000.00)."""
    return f"{cents(value) + 0:,.2f}"


@dataclass(slots=True)
class Scenario:
    label: str
    result: PassResult
    figures: dict[int, YearFigures]

    def taxable(self, year: int) -> Decimal:
        f = self.figures.get(year)
        return f.taxable_gain if f is not None else ZERO

    def income(self, year: int) -> Decimal:
        f = self.figures.get(year)
        return f.income if f is not None else ZERO


@dataclass(slots=True)
class CorrectionWorth:
    id: str
    kind: str
    reason: str
    alone: dict[int, Decimal] = field(default_factory=dict)  # effect on taxable_gain
    left_out: dict[int, Decimal] = field(default_factory=dict)
    alone_income: dict[int, Decimal] = field(default_factory=dict)  # effect on income
    left_out_income: dict[int, Decimal] = field(default_factory=dict)
    error: str = ""  # when the correction cannot be applied alone / left out

    def total(self, which: str) -> Decimal:
        return sum(getattr(self, which).values(), ZERO)


@dataclass(slots=True)
class Comparison:
    rules: RuleSet
    raw: Scenario
    corrected: Scenario
    worth: list[CorrectionWorth]
    applied: object | None = None  # corrections.Applied (audit trail) when corrections given
    tax: TaxOptions = field(default_factory=TaxOptions)

    @property
    def years(self) -> list[int]:
        return sorted(set(self.raw.figures) | set(self.corrected.figures))

    def fictitious(self, year: int) -> Decimal:
        return self.raw.taxable(year) - self.corrected.taxable(year)

    def tax_result(self, year: int, f: YearFigures | None) -> TaxResult:
        """The tax on one pass's figures of ``year`` (summary.tax_of_year)."""
        kest_from = self.corrected.figures.get(year)  # AT: the KESt withheld, one fact a year
        return tax_of_year(f or YearFigures(year), self.rules, self.tax, kest_from)

    def tax_due(self, f: YearFigures | None) -> Decimal:
        return ZERO if f is None else self.tax_result(f.year, f).amount

    def tax_effect(self, year: int) -> Decimal:
        """Tax on the raw figures minus tax on the corrected figures (positive = saved)."""
        return self.tax_due(self.raw.figures.get(year)) - self.tax_due(
            self.corrected.figures.get(year)
        )

    def tax_json(self, year: int) -> dict[str, object]:
        """The contract for reports: the year's tax raw / corrected / difference (EUR strings)
        and how it was computed (``method``; ``exact`` false for the marginal-rate fallback)."""
        raw = self.tax_result(year, self.raw.figures.get(year))
        cor = self.tax_result(year, self.corrected.figures.get(year))
        out: dict[str, object] = {
            "raw": money(raw.amount),
            "corrected": money(cor.amount),
            "difference": money(raw.amount - cor.amount),
            "method": raw.method,
            "exact": raw.exact,
        }
        if raw.detail:  # how each figure is made up (DE exact: the whole year's tax; AT: credit)
            out["detail"] = {
                "raw": {k: money(v) for k, v in raw.detail.items()},
                "corrected": {k: money(v) for k, v in cor.detail.items()},
            }
        return out

    def freigrenze_crossing(self, year: int) -> str:
        """'' or a sentence when the correction moves the year across the § 23 Freigrenze."""
        raw, cor = self.raw.figures.get(year), self.corrected.figures.get(year)
        limit = (raw or cor).freigrenze if (raw or cor) else None
        if limit is None:
            return ""
        r = raw.taxable_gain if raw else ZERO
        c = cor.taxable_gain if cor else ZERO
        below_r, below_c = ZERO <= r < limit, ZERO <= c < limit
        if below_r == below_c:
            return ""
        gain, limit_text = _prose_eur(c), _prose_eur(limit)
        if below_c:
            return f"corrected gain {gain} € is below the Freigrenze of {limit_text} €: tax-free"
        return f"corrected gain {gain} € reaches the Freigrenze of {limit_text} €: fully taxable"

    def notes_by_pass(self) -> list[tuple[str, Note]]:
        """The raw pass's notes, then those only the corrected pass has (rows a correction
        added or changed), each with its pass — as ``simulate`` and the report list them."""
        notes = [("raw", n) for n in self.raw.result.notes]
        if self.corrected is not self.raw:
            seen = {(n.tx_id, n.message) for n in self.raw.result.notes}
            notes += [
                ("corrected", n)
                for n in self.corrected.result.notes
                if (n.tx_id, n.message) not in seen
            ]
        return notes

    def remaining_shorts(self) -> list[Disposal]:
        return [d for d in self.corrected.result.disposals if d.is_short]

    def short_hints(self, shorts: list[Disposal]) -> list[str]:
        """What resolves each of ``shorts`` (in their order): the gap the diagnosis of the
        corrected ledger finds behind its wallet × asset, else ``resolve_hint``."""
        found: dict[tuple[str, str], str] = {}
        if shorts and self.applied is not None:
            from .diagnosis import explain_shorts

            ledger = self.applied.ledger  # type: ignore[attr-defined]
            found = explain_shorts(ledger, {(d.wallet, d.asset) for d in shorts})
        return [found.get((d.wallet, d.asset)) or resolve_hint(d) for d in shorts]

    def as_json(self) -> dict[str, object]:
        years = []
        for y in self.years:
            raw = self.raw.figures.get(y) or YearFigures(y)
            cor = self.corrected.figures.get(y) or YearFigures(y)
            entry: dict[str, object] = {
                "year": y,
                "raw": raw.as_json(self.rules),
                "corrected": cor.as_json(self.rules),
                "fictitious_profit": money(self.fictitious(y)),
                "tax_effect": money(self.tax_effect(y)),
                "tax": self.tax_json(y),
            }
            if self.rules.jurisdiction == "DE":
                entry["freigrenze"] = money(raw.freigrenze) if raw.freigrenze is not None else None
                entry["freigrenze_crossing"] = self.freigrenze_crossing(y)
            forms = self.rules.forms_for(y)
            if forms:
                entry["forms"] = forms
            years.append(entry)
        settings = dict(self.rules.settings())
        if self.rules.jurisdiction == "DE":
            settings["marginal_rate"] = str(
                self.tax.marginal_rate or self.rules.tax.default_marginal_rate
            )
            settings["church_tax"] = self.tax.church or "none"
        out: dict[str, object] = {
            "jurisdiction": self.rules.jurisdiction,
            "settings": settings,
            "years": years,
        }
        if self.worth:
            out["corrections"] = [
                {
                    "id": w.id,
                    "kind": w.kind,
                    "alone": _by_year(w.alone),
                    "left_out": _by_year(w.left_out),
                    "alone_income": _by_year(w.alone_income),
                    "left_out_income": _by_year(w.left_out_income),
                    **({"error": w.error} if w.error else {}),
                }
                for w in self.worth
            ]
        shorts = self.remaining_shorts()
        hints = self.short_hints(shorts)
        out["remaining_shorts"] = [
            {
                "id": d.tx_id,
                "time": d.time.isoformat(),
                "wallet": d.wallet,
                "asset": d.asset,
                "uncovered": str(d.short_quantity),
                "proceeds": money(d.short_proceeds),
                "resolve": hint,
            }
            for d, hint in zip(shorts, hints, strict=True)
        ]
        return out


def _by_year(values: dict[int, Decimal]) -> dict[str, str]:
    out = {str(y): money(v) for y, v in sorted(values.items())}
    out["total"] = money(sum(values.values(), ZERO))
    return out


def resolve_hint(d: Disposal) -> str:
    return (
        f"document the acquisition of {d.short_quantity} {d.asset} held in {d.wallet} before "
        f"{d.time:%Y-%m-%d %H:%M} UTC (set_cost_basis), or add the missing inflow "
        "(add_inflow / restore / link_transfer / merge_export) — see `taxsim diagnose`"
    )


def _scenario(
    label: str,
    ledger: Ledger,
    rules: RuleSet,
    step: Callable[[str], None] | None = None,
    full: bool = True,
) -> Scenario:
    """A pass and its per-year figures; ``full=False``: see ``_figures_pass``."""
    total = len(ledger.transactions)
    tick = (lambda n: step(f"{label} pass: {n:,} of {total:,} rows")) if step else None
    if not full:
        return Scenario(label, *_figures_pass(ledger, rules, tick))
    result = run_pass(ledger.transactions, rules, tick)
    return Scenario(label, result, year_figures(result, rules))


def _figures_pass(
    ledger: Ledger, rules: RuleSet, progress: Callable[[int], None] | None = None
) -> tuple[PassResult, dict[int, YearFigures]]:
    """A pass that keeps its per-year figures, its notes and, of its disposals, only those with
    uncovered units (what ``simulate`` shows): each other disposal is counted into the figures
    and dropped, so a large ledger's pass never holds all disposals and their matches."""
    fold = FigureFold(rules, keep_shorts=True)
    result = run_pass(ledger.transactions, rules, progress, sink=fold.add)
    figures = fold.figures(result)
    result.disposals = fold.shorts
    return result, figures


#: Below this many rows the passes run one after the other (forking costs more than it saves).
PARALLEL_MIN_ROWS = 20_000
#: "What each correction is worth" costs two passes per correction; evaluated automatically
#: while rows × passes stays within this budget (``worth=True`` forces it).
WORTH_BUDGET_ROW_PASSES = 20_000_000


#: What a figure-only pass sends back: label, figures (None on error), shorts, notes, error text.
JobResult = tuple[str, dict[int, YearFigures] | None, list[Disposal], list[Note], str]


def _figures_job(label: str, only: frozenset[str] | None, keep_shorts: bool) -> JobResult:
    """A pass that keeps only the per-year figures (and, with ``keep_shorts``, the shorts and
    the notes): run in a worker process for large ledgers, inline otherwise. ``only=None``
    means the corrected ledger."""
    from .corrections import apply_corrections

    ledger, corrections, rules, base, timezone = SHARED["input"]  # type: ignore[misc]
    try:
        if only is None:
            ledger = SHARED["corrected"]
        else:
            ledger = apply_corrections(
                ledger, corrections, only=set(only), base_dir=base, timezone=timezone
            ).ledger
        result, figures = _figures_pass(ledger, rules)  # type: ignore[arg-type]
    except TaxsimError as exc:  # exceptions with custom __init__ do not unpickle: send text
        return label, None, [], [], str(exc)
    if not keep_shorts:
        return label, figures, [], [], ""
    return label, figures, result.disposals, result.notes, ""


def compare(
    ledger: Ledger,
    rules: RuleSet,
    corrections: object | None = None,
    *,
    base_dir: Path | None = None,
    only: Sequence[str] | None = None,
    worth: bool | None = None,
    tax: TaxOptions | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
    full: bool = True,
    timezone: str | None = None,
) -> Comparison:
    """Run the raw and corrected passes and each correction's worth.

    ``worth``: None = evaluate while it stays within ``WORTH_BUDGET_ROW_PASSES``; True/False
    force it. ``jobs``: worker processes for the corrected pass and the worth passes (default:
    the CPU count, on ledgers of ``PARALLEL_MIN_ROWS`` or more). ``full=False``: both passes
    keep only their figures, notes and shorts, and the corrected pass may run in a worker
    (enough for ``simulate``); the report needs ``full=True``. ``timezone``: of the files
    corrections read (``restore from_file``, ``merge_export``) where a correction names none.
    """
    step = progress or (lambda _label: None)
    options = tax or TaxOptions()
    if corrections is None:
        step("raw pass")
        raw = _scenario("raw", ledger, rules, step, full)
        return Comparison(rules, raw, raw, [], None, options)

    from .corrections import apply_corrections

    ids = [c.id for c in corrections.corrections]  # type: ignore[attr-defined]
    selected = set(only) if only else set(ids)
    unknown = selected - set(ids)
    if unknown:
        raise TaxsimError(f"--only names corrections not in the file: {', '.join(sorted(unknown))}")
    base = base_dir or Path.cwd()
    step("applying corrections")
    applied = apply_corrections(
        ledger, corrections, only=selected, base_dir=base, timezone=timezone
    )
    rows = len(ledger.transactions)
    if worth is None:
        worth = 2 * len(selected) * rows <= WORTH_BUDGET_ROW_PASSES
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    SHARED.update(input=(ledger, corrections, rules, base, timezone), corrected=applied.ledger)
    pool = None
    if workers > 1 and rows >= PARALLEL_MIN_ROWS and (worth or not full):
        pool = fork_pool(workers)

    def submit(label: str, chosen: frozenset[str] | None, keep_shorts: bool = False) -> Done:
        if pool is not None:
            return pool.submit(_figures_job, label, chosen, keep_shorts)  # type: ignore[attr-defined, no-any-return]
        step(f"pass {label}")
        return Done(_figures_job(label, chosen, keep_shorts))

    try:
        # The corrected pass: complete (report) or figures only, then in a worker if any.
        pending = submit("corrected", None, True) if not full and pool is not None else None
        step("raw pass")
        raw = _scenario("raw", ledger, rules, step, full)
        if pending is not None:
            step("corrected pass (in a worker process)")
            corrected = _scenario_of(pending.result())
            if isinstance(corrected, str):
                raise TaxsimError(corrected)
        else:
            step("corrected pass")
            corrected = _scenario("corrected", applied.ledger, rules, step, full)
        comparison = Comparison(rules, raw, corrected, [], applied, options)
        order = [c for c in corrections.corrections if c.id in selected]  # type: ignore[attr-defined]
        if not worth:
            note = "not evaluated (large ledger); run simulate with --worth to evaluate it"
            comparison.worth = [CorrectionWorth(c.id, c.kind, c.reason, error=note) for c in order]
            return comparison
        step(f"worth of {len(order)} corrections")
        jobs_of = {
            c.id: (
                submit(f"+{c.id}", frozenset({c.id})),
                submit(f"-{c.id}", frozenset(selected - {c.id})) if selected != {c.id} else None,
            )
            for c in order
        }
        for c in order:
            alone_job, without_job = jobs_of[c.id]
            alone = _scenario_of(alone_job.result())
            without = _scenario_of(without_job.result()) if without_job else raw
            comparison.worth.append(_worth(c, raw, corrected, alone, without))
        return comparison
    finally:
        SHARED.pop("input", None)
        SHARED.pop("corrected", None)
        if pool is not None:
            pool.shutdown()  # type: ignore[attr-defined]
            gc.unfreeze()


def _scenario_of(job: JobResult) -> Scenario | str:
    """A figure-only job's result as a Scenario (its result holds only the shorts and notes)."""
    label, figures, shorts, notes, error = job
    if figures is None:
        return error
    return Scenario(label, PassResult(disposals=shorts, notes=notes), figures)


def _worth(
    c: object, raw: Scenario, corrected: Scenario, alone: Scenario | str, without: Scenario | str
) -> CorrectionWorth:
    """Correction ``c``'s effect alone (vs raw) and left out (vs the full set)."""
    w = CorrectionWorth(c.id, c.kind, c.reason)  # type: ignore[attr-defined]
    if isinstance(alone, str) or isinstance(without, str):
        failed = alone if isinstance(alone, str) else without
        w.error = f"cannot be evaluated alone or left out: {failed}"
        return w
    ys = sorted(
        set(raw.figures) | set(corrected.figures) | set(alone.figures) | set(without.figures)
    )
    w.alone = {y: alone.taxable(y) - raw.taxable(y) for y in ys}
    w.left_out = {y: corrected.taxable(y) - without.taxable(y) for y in ys}
    w.alone_income = {y: alone.income(y) - raw.income(y) for y in ys}
    w.left_out_income = {y: corrected.income(y) - without.income(y) for y in ys}
    return w
