"""The Python API: the steps the commands run, as functions with typed results.

    from taxsim import api
    ledger = api.load_ledger("ledger.csv")
    found = api.diagnose(ledger)                       # found.findings.to_pandas()
    sim = api.simulate(ledger, "de", "corrections.toml")
    sim.years.to_pandas()                              # year figures, raw vs corrected
    sim.disposals.to_pandas(cents=True)                # every disposal with its matches

Amounts are exact: ``Decimal`` in the rows and in the DataFrames (object columns), or integer
cents with ``to_pandas(cents=True)`` (see ``tables``). ``taxsim simulate`` and ``taxsim batch``
run through these functions; ``Simulation.to_json()`` is ``simulate --json``. Documented in
``docs/api.md``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..corrections import Applied, CorrectionSet
from ..engine.holding import LocalCalendar
from ..model import ZERO, Ledger, TaxsimError
from ..rules import RuleSet, load_rules
from ..summary import YearFigures
from ..whatif import Comparison, TaxOptions
from .tables import (
    AuditRow,
    BalanceRow,
    CheckRow,
    Dac8LineRow,
    DeviationRow,
    FindingRow,
    IncomeRow,
    MatchRow,
    RowFindingRow,
    ShortRow,
    Table,
    YearRow,
    to_cents,
)

__all__ = [
    "Correction",
    "Dac8Check",
    "Diagnosis",
    "Simulation",
    "Table",
    "apply_corrections",
    "dac8_check",
    "diagnose",
    "load_corrections",
    "load_ledger",
    "rules",
    "simulate",
    "tax_options",
    "to_cents",
]

PathLike = str | Path
Progress = Callable[[str], None]


# --- inputs -----------------------------------------------------------------------------------


def load_ledger(
    path: PathLike,
    *,
    timezone: str = "Europe/Berlin",
    progress: Callable[[int], None] | None = None,
    type_map: PathLike | None = None,
    encoding: str = "auto",
) -> Ledger:
    """Read a ledger (CoinTracking export or import CSV/XLSX, or taxsim canonical CSV).

    ``type_map``: a TOML file placing CoinTracking types taxsim does not know;
    ``encoding``: of a CSV, ``auto`` (UTF-8, else cp1252, noted in ``Ledger.findings``) or a
    codec name (docs/formats.md).

    An empty ledger (a header only) is refused: its figures would read as a clean result.
    Bad input raises ``model.InputError`` naming file, row and column.
    """
    from ..readers import read_ledger

    ledger = read_ledger(
        path, timezone=timezone, progress=progress, type_map=type_map, encoding=encoding
    )
    if not ledger.transactions:
        raise TaxsimError(
            f"{path}: no transactions read (the file has a header but no data rows); "
            "expected a ledger with at least one transaction"
        )
    return ledger


def rules(
    jurisdiction: str | RuleSet = "de",
    *,
    lot_scope: str | None = None,
    short_policy: str | None = None,
    value_method: str | None = None,
) -> RuleSet:
    """The rule set ('de', 'at' or a path to a rules .toml) with overrides, validated."""
    if isinstance(jurisdiction, RuleSet):
        ruleset = jurisdiction
    elif jurisdiction.strip().lower() in ("de", "at"):
        ruleset = _shipped_rules(jurisdiction.strip().lower())
    else:
        ruleset = load_rules(jurisdiction)
    lots = {k: v for k, v in (("scope", lot_scope), ("value_method", value_method)) if v}
    try:
        if lots:
            ruleset = ruleset.with_overrides(lots=lots)
        if short_policy:
            ruleset = ruleset.with_overrides(short={"policy": short_policy})
    except ValidationError as exc:
        bad = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors())
        raise TaxsimError(f"invalid option: {bad}") from exc
    return ruleset


@functools.lru_cache(maxsize=4)
def _shipped_rules(code: str) -> RuleSet:
    """The shipped rule sets, read once per process (``RuleSet`` is frozen)."""
    return load_rules(code)


def tax_options(
    *,
    marginal_rate: Decimal | None = None,
    church: str | None = None,
    taxable_income: Decimal | dict[int, Decimal] | None = None,
    joint: bool | None = None,
    kest_withheld: Decimal | None = None,
    client: object | None = None,
) -> TaxOptions:
    """The client's tax settings for the tax effect — the one place they reach the engine.

    ``taxable_income``: the client's other taxable income (one amount, or per year) for the
    exact § 32a tax; ``joint``: splitting; ``kest_withheld`` (AT); ``client``: per-year
    settings (``tax.ClientSettings``, ``--client-settings``). Each is passed on where
    ``whatif.TaxOptions`` has a field for it; without the exact tax's inputs the
    marginal-rate estimate applies (labelled as such).
    """
    known = {f.name for f in dataclasses.fields(TaxOptions)}
    given = {
        "taxable_income": taxable_income,
        "joint": joint,
        "kest_withheld": kest_withheld,
        "client": client,
    }
    extra = {k: v for k, v in given.items() if v is not None and k in known}
    return TaxOptions(marginal_rate=marginal_rate, church=church, **extra)  # type: ignore[arg-type]


def load_corrections(path: PathLike) -> CorrectionSet:
    """Read and validate a corrections file (TOML)."""
    from ..corrections import load_corrections as load

    return load(path)


def _corrections(
    value: CorrectionSet | PathLike | None,
) -> tuple[CorrectionSet | None, Path | None]:
    """A corrections set and the folder its relative paths are read from."""
    if value is None:
        return None, None
    if isinstance(value, CorrectionSet):
        source = Path(value.file)
        return value, source.resolve().parent if source.is_file() else None
    path = Path(value)
    return load_corrections(path), path.resolve().parent


# --- diagnose ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Diagnosis:
    """``taxsim diagnose``: balances and the findings (negative balances and their causes)."""

    result: object  # diagnosis.Diagnosis
    findings: Table[FindingRow]
    balances: Table[BalanceRow]
    #: duplicates, hand edits, scam inflows: findings not tied to a negative balance
    row_findings: Table[RowFindingRow] = field(default_factory=lambda: Table(RowFindingRow))

    def to_pandas(self, *, cents: bool = False):  # type: ignore[no-untyped-def]
        """The findings as a DataFrame."""
        return self.findings.to_pandas(cents=cents)

    def to_json(self) -> dict[str, object]:
        """The JSON of ``taxsim diagnose --json`` (without the ledger name)."""
        from .. import diagnosis as dg

        return dg.to_json(self.result)  # type: ignore[arg-type]


def diagnose(
    ledger: Ledger,
    *,
    previous: Ledger | PathLike | None = None,
    onchain: PathLike | Sequence[object] | None = None,
    since: datetime | None = None,
    timezone: str = "Europe/Berlin",
) -> Diagnosis:
    """Diagnose ``ledger``; ``previous``: an older export (ledger or path), ``onchain``: the
    on-chain balances (path to the CSV, or already read)."""
    from .. import diagnosis as dg

    if previous is not None and not isinstance(previous, Ledger):
        previous = load_ledger(previous, timezone=timezone)
    if isinstance(onchain, str | Path):
        onchain = dg.read_onchain_balances(onchain)
    result = dg.diagnose(ledger, previous=previous, onchain=onchain, since=since)  # type: ignore[arg-type]
    proposed = getattr(dg, "PROPOSED_KIND", {})
    findings = [
        FindingRow(
            number=n,
            wallet=f.wallet,
            asset=f.asset,
            chain=f.chain,
            cause=_value(f.cause),
            priority=_value(f.priority),
            confidence=_value(getattr(f, "confidence", "")),
            pattern=_value(f.pattern),
            tipping_id=f.tipping.tx_id,
            tipping_time=f.tipping.time,
            before_id=f.before.tx_id if f.before else "",
            lowest_balance=f.lowest,
            balance_today=f.today,
            gap_eur=f.gap_eur,
            proposed_correction=_proposed(f, proposed),
            evidence=" | ".join(e.text for e in f.evidence),
        )
        for n, f in enumerate(result.findings, start=1)
    ]
    balances = [BalanceRow(b.wallet, b.asset, b.balance, b.fiat) for b in result.balances]
    rows = [
        RowFindingRow(
            number=n,
            cause=_value(f.cause),
            change=str(getattr(f, "change", "")),
            wallet=f.wallet,
            asset=f.asset,
            time=f.time,
            tx_ids=", ".join(f.tx_ids),
            priority=_value(f.priority),
            confidence=_value(getattr(f, "confidence", "")),
            proposed_correction=_proposed(f, proposed),
            evidence=" | ".join(e.text for e in f.evidence),
        )
        for n, f in enumerate(getattr(result, "row_findings", None) or [], start=1)
    ]
    return Diagnosis(
        result,
        Table(FindingRow, findings),
        Table(BalanceRow, balances),
        Table(RowFindingRow, rows),
    )


def _value(item: object) -> str:
    """An enum's value, or the text itself."""
    return str(getattr(item, "value", item) or "")


def _proposed(finding: object, proposed: dict[object, str]) -> str:
    """The correction kind drafted for a finding: its own draft where the diagnosis gives one,
    else the kind proposed for its cause."""
    drafts = getattr(finding, "corrections", None)
    if drafts:
        kinds = [str(getattr(d, "kind", "")) for d in drafts if getattr(d, "kind", "")]
        if kinds:
            return ", ".join(dict.fromkeys(kinds))
    draft = getattr(finding, "correction", None) or getattr(finding, "draft", None)
    if isinstance(draft, dict) and draft.get("kind"):
        return str(draft["kind"])
    kind = getattr(draft, "kind", None)
    if kind:
        return str(kind)
    return proposed.get(getattr(finding, "cause", None), "")


# --- corrections ------------------------------------------------------------------------------


@dataclass(slots=True)
class Correction:
    """``taxsim apply``: the corrected copy of the ledger and the audit trail."""

    applied: Applied
    audit: Table[AuditRow]

    @property
    def ledger(self) -> Ledger:
        return self.applied.ledger

    def to_pandas(self, *, cents: bool = False):  # type: ignore[no-untyped-def]
        return self.audit.to_pandas(cents=cents)


def apply_corrections(
    ledger: Ledger,
    corrections: CorrectionSet | PathLike,
    *,
    only: Sequence[str] | None = None,
    timezone: str | None = None,
) -> Correction:
    """Apply a corrections file to a copy of ``ledger`` (the ledger itself is not changed)."""
    from ..corrections import apply_corrections as apply

    correction_set, base = _corrections(corrections)
    applied = apply(
        ledger,
        correction_set,  # type: ignore[arg-type]
        only=set(only) if only else None,
        base_dir=base or Path.cwd(),
        timezone=timezone,
    )
    audit = [
        AuditRow(e.correction, e.kind, e.action, e.tx_id, e.before, e.after, e.reason)
        for e in applied.audit
    ]
    return Correction(applied, Table(AuditRow, audit))


# --- simulate ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Simulation:
    """``taxsim simulate``: the raw and the corrected pass and their year figures."""

    comparison: Comparison
    ledger: Ledger
    corrections: CorrectionSet | None = None
    #: whether every disposal was kept (``keep_disposals``); else only the uncovered ones
    complete: bool = True
    _years: Table[YearRow] | None = field(default=None, repr=False)
    _shorts: Table[ShortRow] | None = field(default=None, repr=False)

    @property
    def rules(self) -> RuleSet:
        return self.comparison.rules

    @property
    def corrected_ledger(self) -> Ledger:
        applied = self.comparison.applied
        return applied.ledger if applied is not None else self.ledger  # type: ignore[attr-defined]

    @property
    def years(self) -> Table[YearRow]:
        """Per tax year: both passes' figures, the fictitious part and the tax effect."""
        if self._years is None:
            self._years = Table(YearRow, [self._year(y) for y in self.comparison.years])
        return self._years

    def _year(self, year: int) -> YearRow:
        comp = self.comparison
        raw = comp.raw.figures.get(year) or YearFigures(year)
        cor = comp.corrected.figures.get(year) or YearFigures(year)
        raw_tax, cor_tax = comp.tax_due(raw), comp.tax_due(cor)
        return YearRow(
            year=year,
            raw_taxable_gain=raw.taxable_gain,
            corrected_taxable_gain=cor.taxable_gain,
            fictitious_gain=comp.fictitious(year),
            raw_exempt_gain=raw.exempt_gain,
            corrected_exempt_gain=cor.exempt_gain,
            raw_taxable_after_allowance=raw.taxable_after_allowance,
            corrected_taxable_after_allowance=cor.taxable_after_allowance,
            raw_income=raw.income,
            corrected_income=cor.income,
            fictitious_income=raw.income - cor.income,
            raw_short_count=raw.short_count,
            corrected_short_count=cor.short_count,
            raw_short_proceeds=raw.short_proceeds,
            corrected_short_proceeds=cor.short_proceeds,
            raw_tax=raw_tax,
            corrected_tax=cor_tax,
            tax_effect=comp.tax_effect(year),
            freigrenze=raw.freigrenze,
        )

    @property
    def disposals(self) -> Table[MatchRow]:
        """Every disposal of both passes with its matches (one row per match). Without
        ``keep_disposals`` only the disposals with uncovered units were kept."""
        comp = self.comparison
        scenarios = [comp.raw] if comp.corrected is comp.raw else [comp.raw, comp.corrected]
        rows: list[MatchRow] = []
        year = LocalCalendar(comp.rules).day
        for scenario in scenarios:
            label = "raw" if scenario is comp.raw else "corrected"
            for d in scenario.result.disposals:
                rows += _match_rows(label, d, year(d.time).year)
        return Table(MatchRow, rows)

    @property
    def income(self) -> Table[IncomeRow]:
        comp = self.comparison
        scenarios = [comp.raw] if comp.corrected is comp.raw else [comp.raw, comp.corrected]
        return Table(
            IncomeRow,
            [
                IncomeRow(
                    "raw" if s is comp.raw else "corrected",
                    e.tx_id,
                    e.time,
                    e.wallet,
                    e.asset,
                    e.quantity,
                    e.value,
                    _value(e.income_type),
                    e.taxable,
                )  # fmt: skip
                for s in scenarios
                for e in s.result.income
            ],
        )

    @property
    def remaining_shorts(self) -> Table[ShortRow]:
        """The sales still without purchase history after the corrections, with what resolves
        them (as in ``simulate``)."""
        if self._shorts is None:
            comp = self.comparison
            shorts = comp.remaining_shorts()
            hints = comp.short_hints(shorts)  # as ``to_json`` words them
            year = LocalCalendar(comp.rules).day
            rows = [
                ShortRow(
                    tx_id=d.tx_id,
                    time=d.time,
                    tax_year=year(d.time).year,
                    wallet=d.wallet,
                    asset=d.asset,
                    uncovered=d.short_quantity,
                    proceeds=d.short_proceeds,
                    resolve=hint,
                )
                for d, hint in zip(shorts, hints, strict=True)
            ]
            self._shorts = Table(ShortRow, rows)
        return self._shorts

    def to_pandas(self, *, cents: bool = False):  # type: ignore[no-untyped-def]
        """The year figures as a DataFrame."""
        return self.years.to_pandas(cents=cents)

    def to_json(self) -> dict[str, object]:
        """Exactly what ``taxsim simulate --json`` prints (before ``--year`` filtering)."""
        return self.comparison.as_json()

    def totals(self) -> dict[str, Decimal]:
        """Sums over all years of the year figures' money columns (full precision)."""
        return {
            name: sum((getattr(r, name) or ZERO for r in self.years), ZERO)
            for name in YearRow.MONEY
            if name != "freigrenze"
        }


def _match_rows(label: str, d: object, tax_year: int) -> list[MatchRow]:
    common = dict(
        scenario=label,
        tx_id=d.tx_id,  # type: ignore[attr-defined]
        time=d.time,  # type: ignore[attr-defined]
        tax_year=tax_year,
        wallet=d.wallet,  # type: ignore[attr-defined]
        asset=d.asset,  # type: ignore[attr-defined]
        kind=_value(d.kind),  # type: ignore[attr-defined]
        quantity=d.quantity,  # type: ignore[attr-defined]
        proceeds=d.proceeds,  # type: ignore[attr-defined]
        realized=d.realized,  # type: ignore[attr-defined]
    )
    matches = d.matches  # type: ignore[attr-defined]
    if not matches:
        return [
            MatchRow(
                **common,
                match=0,
                lot_id="",
                acquired=None,
                match_quantity=ZERO,
                cost=ZERO,
                match_proceeds=ZERO,
                fee=d.fee,
                gain=ZERO,
                holding_days=0,
                taxable=False,  # type: ignore[attr-defined]
                origin="",
            )  # fmt: skip
        ]
    return [
        MatchRow(
            **common,  # type: ignore[arg-type]
            match=n,
            lot_id=m.lot_id,
            acquired=m.acquired,
            match_quantity=m.quantity,
            cost=m.cost,
            match_proceeds=m.proceeds,
            fee=m.fee,
            gain=m.gain,
            holding_days=m.holding_days,
            taxable=m.taxable,
            origin=_value(m.origin),
        )
        for n, m in enumerate(matches, start=1)
    ]


def simulate(
    ledger: Ledger | PathLike,
    jurisdiction: str | RuleSet = "de",
    corrections: CorrectionSet | PathLike | None = None,
    *,
    only: Sequence[str] | None = None,
    tax: TaxOptions | None = None,
    worth: bool | None = False,
    keep_disposals: bool = True,
    jobs: int | None = 1,
    timezone: str = "Europe/Berlin",
    progress: Progress | None = None,
) -> Simulation:
    """Compute the taxes twice, on the raw ledger and on the corrected copy.

    ``worth``: also what each correction is worth (two passes per correction; None = while
    it stays cheap, as the command). ``keep_disposals=False`` keeps of the disposals only the
    uncovered ones (as ``simulate`` does on a large ledger: less memory, same figures).
    ``jobs``: worker processes for the passes of large ledgers (1 = none).
    """
    from ..whatif import compare

    book = ledger if isinstance(ledger, Ledger) else load_ledger(ledger, timezone=timezone)
    correction_set, base = _corrections(corrections)
    comparison = compare(
        book,
        rules(jurisdiction),
        correction_set,
        base_dir=base,
        only=list(only) if only else None,
        worth=worth,
        tax=tax,
        progress=progress,
        jobs=jobs,
        full=keep_disposals,
        timezone=timezone,
    )
    return Simulation(comparison, book, correction_set, keep_disposals)


# --- DAC8 -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Dac8Check:
    """``taxsim dac8``: the rebuilt platform reports, the deviations and the checklist."""

    view: object  # dac8.Dac8View
    deviations: list[object]
    checks: list[object]
    lang: str = "en"

    @property
    def lines(self) -> Table[Dac8LineRow]:
        rows = [
            Dac8LineRow(
                a.key.platform,
                a.key.year,
                a.key.asset,
                _value(a.key.category),
                a.key.transfer_type,
                a.units,
                a.gross,
                a.net,
                a.fees,
                a.count,
                len(a.unvalued),
            )  # fmt: skip
            for a in self.view.lines()  # type: ignore[attr-defined]
        ]
        return Table(Dac8LineRow, rows)

    @property
    def checklist(self) -> Table[CheckRow]:
        de = self.lang == "de"
        rows = [
            CheckRow(
                c.number,
                c.key,
                c.title_de if de else c.title_en,
                _value(c.status),
                c.message_de if de else c.message_en,
                ", ".join(c.tx_ids),
            )  # fmt: skip
            for c in self.checks  # type: ignore[attr-defined]
        ]
        return Table(CheckRow, rows)

    @property
    def deviation_rows(self) -> Table[DeviationRow]:
        de = self.lang == "de"
        rows = [
            DeviationRow(
                d.key.platform,
                d.key.year,
                d.key.asset,
                _value(d.key.category),
                d.key.transfer_type,
                d.field,
                _value(d.severity),
                "" if d.expected is None else str(d.expected),
                "" if d.reported is None else str(d.reported),
                d.message_de if de else d.message_en,
                d.report,
                ", ".join(d.tx_ids),
            )  # fmt: skip
            for d in self.deviations  # type: ignore[attr-defined]
        ]
        return Table(DeviationRow, rows)

    def count(self, status: str) -> int:
        """How many checks have this status (pass, warn, fail, n/a)."""
        return sum(1 for c in self.checks if _value(c.status) == status)  # type: ignore[attr-defined]

    def to_pandas(self, *, cents: bool = False):  # type: ignore[no-untyped-def]
        """The rebuilt report lines as a DataFrame."""
        return self.lines.to_pandas(cents=cents)


def dac8_check(
    ledger: Ledger,
    jurisdiction: str | RuleSet = "de",
    *,
    pass_result: object | None = None,
    platform_reports: Sequence[PathLike] = (),
    platform: str | None = None,
    platforms: PathLike | None = None,
    year: int | None = None,
    eur_usd: Decimal | None = None,
    lang: str = "en",
) -> Dac8Check:
    """The DAC8 view of ``ledger`` (pass the corrected one: it is what will be filed), compared
    with the platforms' reports, and the checklist. ``pass_result``: the tax pass of the same
    ledger for the "disposals covered" check (run here if not given)."""
    from .. import dac8

    ruleset = rules(jurisdiction)
    rate = dac8.DEFAULT_EUR_USD if eur_usd is None else eur_usd
    cfg = dac8.load_platforms(platforms)
    wallets = sorted({t.wallet for t in ledger.transactions}) if platform_reports else []
    reports = [
        dac8.read_platform_report(p, platform=platform, platforms=cfg, known_wallets=wallets)
        for p in platform_reports
    ]
    if pass_result is None:
        from ..engine import run_pass

        pass_result = run_pass(ledger.transactions, ruleset)
    view = dac8.build_view(
        ledger,
        rules=ruleset,
        platforms=cfg,
        year=year,
        eur_usd=rate,
        transfers=pass_result.transfers,  # type: ignore[attr-defined]
    )
    deviations = dac8.compare(view, reports)
    checks = dac8.build_checklist(
        ledger,
        rules=ruleset,
        pass_result=pass_result,  # type: ignore[arg-type]
        reports=reports,
        year=year,
        platforms=cfg,
        eur_usd=rate,
        view=view,
        deviations=deviations,
    )
    return Dac8Check(view, list(deviations), list(checks), lang)
