"""``taxsim simulate``: the raw and the corrected pass side by side."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, NamedTuple

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..corrections import CorrectionSet
from ..model import IncomeType, Ledger, TaxsimError
from ..rules import RuleSet, load_rules
from ..whatif import Comparison, TaxOptions
from . import Encoding, TypeMap, app, keep_numbers_whole, options

Jurisdiction = Annotated[
    str,
    typer.Option(
        "--jurisdiction",
        "-j",
        help="Rule set: 'de' (FIFO, § 23 EStG), 'at' (moving average, § 27b EStG) or a path "
        "to a rules .toml file.",
    ),
]

CorrectionsFile = Annotated[
    Path | None,
    typer.Option("--corrections", "-c", help="Corrections file (TOML) for the corrected pass."),
]
MarginalRate = Annotated[
    str | None,
    typer.Option(
        "--marginal-rate",
        help="DE: marginal income tax rate for the tax effect, e.g. 42% or 0.42 "
        "(default from the rule set).",
    ),
]
ChurchTax = Annotated[
    str | None,
    typer.Option(
        "--church-tax",
        help="DE: church tax for this federal state, name or code (Bayern/BY and "
        "Baden-Württemberg/BW 8 %, the others 9 %); anything else is refused.",
    ),
]
TaxableIncome = Annotated[
    str | None,
    typer.Option(
        "--taxable-income",
        help="DE: the client's other taxable income (zvE without the crypto figures, EUR) for "
        "every year shown: the tax is then computed by the § 32a tariff of the year with Soli "
        "and church tax. Without it (and without --client-settings) the marginal-rate "
        "estimate is shown, labelled as such. Per year: --client-settings.",
    ),
]
ClientSettingsFile = Annotated[
    Path | None,
    typer.Option(
        "--client-settings",
        help="client.toml with per-year settings: taxable_income, church_tax, assessment "
        "(single/joint), kest_withheld (AT) — see docs/rules.md. Options given on the command "
        "line win.",
    ),
]
Joint = Annotated[
    bool | None,
    typer.Option(
        "--joint/--single",
        help="DE: joint assessment of spouses (§ 32a Abs. 5 splitting) or single (default).",
    ),
]
KestWithheld = Annotated[
    str | None,
    typer.Option(
        "--kest-withheld",
        help="AT: KESt already withheld by domestic providers (EUR, every year shown; per year: "
        "--client-settings). Default: 27.5 % of the results in Bitpanda/Coinfinity wallets "
        "from 2024.",
    ),
]
LotScope = Annotated[
    str | None,
    typer.Option(
        "--lot-scope",
        help="Override the rule set: 'wallet' (BMF) or 'global' (CoinTracking's default pool).",
    ),
]
ShortPolicy = Annotated[
    str | None,
    typer.Option(
        "--short-policy",
        help="Override the rule set: units sold without purchase history get a zero-cost lot "
        "('zero_cost_same_day', CoinTracking) or are covered by later inflows ('backfill'); "
        "raw pass and the shorts a correction leaves.",
    ),
]
ValueMethod = Annotated[
    str | None,
    typer.Option(
        "--value-method",
        help="Override the rule set, DE: cost of the units FIFO picks: 'fifo' (their own) or "
        "'average' (the pool's).",
    ),
]
AirdropsAsIncome = Annotated[
    bool,
    typer.Option(
        "--airdrops-as-income",
        help="DE: count every airdrop as § 22 Nr. 3 income at its value on receipt (CoinTracking's "
        "treatment). Default (BMF 2025 Rz. 70–75): no income without a service of the recipient.",
    ),
]
LotOrder = Annotated[
    str | None,
    typer.Option(
        "--lot-order",
        help="Override the rule set: which units leave a wallet first. DE: 'fifo' (BMF 2025 "
        "Rz. 61, default) or 'lifo' (FG Nürnberg 22.1.2025, 3 K 760/22, revision pending); "
        "AT: 'alt_first' (default) or 'neu_first'.",
    ),
]
Timezone = Annotated[
    str, typer.Option("--timezone", help="Time zone of local dates in CoinTracking exports.")
]


def load_run_rules(
    jurisdiction: str,
    lot_scope: str | None = None,
    short_policy: str | None = None,
    value_method: str | None = None,
    lot_order: str | None = None,
    airdrops_as_income: bool = False,
) -> RuleSet:
    """The rule set with the command-line overrides applied (validated like the file)."""
    rules = load_rules(jurisdiction)
    if airdrops_as_income and IncomeType.AIRDROP not in rules.income.taxable:
        rules = rules.with_overrides(
            income={
                "taxable": [*rules.income.taxable, IncomeType.AIRDROP],
                "not_income": [t for t in rules.income.not_income if t is not IncomeType.AIRDROP],
            }
        )
    allowed = ("fifo", "lifo") if rules.jurisdiction == "DE" else ("alt_first", "neu_first")
    if lot_order and lot_order not in allowed:
        raise TaxsimError(
            f"invalid option: --lot-order: expected {' or '.join(allowed)} for "
            f"{rules.jurisdiction}, got '{lot_order}'"
        )
    lots = {
        k: v
        for k, v in (("scope", lot_scope), ("value_method", value_method), ("order", lot_order))
        if v
    }
    try:
        if lots:
            rules = rules.with_overrides(lots=lots)
        if short_policy:
            rules = rules.with_overrides(short={"policy": short_policy})
    except ValidationError as exc:
        bad = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors())
        raise TaxsimError(f"invalid option: {bad}") from exc
    return rules


def parse_amount(value: str | None, option: str) -> Decimal | None:
    """A EUR amount ≥ 0 from the command line ('52000', '52000.50'; no thousands separators)."""
    if value is None:
        return None
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise TaxsimError(
            f"{option}: expected an amount in EUR like 52000 or 52000.50, got '{value}'"
        )
    return amount


def tax_options(
    rules: RuleSet,
    marginal_rate: str | None = None,
    church: str | None = None,
    taxable_income: str | None = None,
    client_settings: Path | None = None,
    joint: bool | None = None,
    kest_withheld: str | None = None,
) -> TaxOptions:
    """The tax options of a command, validated (an unknown church-tax state is an error)."""
    from ..tax import church_state, load_client_settings

    client = load_client_settings(client_settings) if client_settings else None
    if rules.jurisdiction == "DE":
        church_state(rules, church)
        if client is not None:
            for state in {client.church_tax, *(y.church_tax for y in client.years.values())}:
                try:
                    church_state(rules, state)
                except TaxsimError as exc:
                    raise TaxsimError(f"{client.file}: {exc}") from None
    return TaxOptions(
        parse_rate(marginal_rate, "--marginal-rate"),
        church,
        parse_amount(taxable_income, "--taxable-income"),
        joint,
        parse_amount(kest_withheld, "--kest-withheld"),
        client,
    )


parse_rate = options.parse_rate  # kept importable from here (report uses it)


class Run(NamedTuple):
    ledger: Ledger
    corrections: CorrectionSet | None
    comparison: Comparison


def run_comparison(
    ledger_path: Path,
    rules: RuleSet,
    corrections_path: Path | None,
    *,
    only: str | None = None,
    timezone: str = "Europe/Berlin",
    tax: TaxOptions | None = None,
    worth: bool | None = None,
    quiet: bool = False,
    full: bool = True,
    jobs: int | None = None,
    status: Callable[[str], None] | None = None,
    type_map: Path | None = None,
    encoding: str = "auto",
    on_read: Callable[[Ledger], None] | None = None,
) -> Run:
    """Read the inputs and compare raw and corrected passes (shared by simulate and report).

    Progress goes to ``status`` if given, else to a spinner on stderr (unless ``quiet``).
    ``on_read``: told the raw ledger as soon as it is read, before the passes (the report
    starts its diagnosis then).
    """
    from .. import api  # the same steps as the Python API and ``taxsim batch``
    from . import check_timezone

    check_timezone(timezone)

    def work(step: Callable[[str], None]) -> Run:
        step("reading ledger")
        ledger = api.load_ledger(
            ledger_path,
            timezone=timezone,
            progress=lambda n: step(f"reading ledger: {n:,} rows"),
            type_map=type_map,
            encoding=encoding,
        )
        step(f"{len(ledger.transactions):,} transactions read")
        if on_read is not None:
            on_read(ledger)
        corrections = api.load_corrections(corrections_path) if corrections_path else None
        only_ids = [s.strip() for s in only.split(",") if s.strip()] if only else None
        comparison = api.simulate(
            ledger,
            rules,
            corrections,
            only=only_ids,
            worth=worth,
            tax=tax,
            progress=step,
            jobs=jobs,
            keep_disposals=full,
            timezone=timezone,
        ).comparison
        return Run(ledger, corrections, comparison)

    if status is not None:
        return work(status)
    with Console(stderr=True, quiet=quiet).status("reading ledger …") as spinner:
        return work(lambda label: spinner.update(f"{label} …"))


@app.command()
def simulate(
    ledger: Annotated[
        Path,
        typer.Argument(
            help="Ledger: CoinTracking export or import CSV/XLSX, or taxsim canonical CSV."
        ),
    ],
    jurisdiction: Jurisdiction = "de",
    corrections: CorrectionsFile = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Only this tax year.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as JSON on stdout.")
    ] = False,
    only: Annotated[
        str | None, typer.Option("--only", help="Apply only these corrections, e.g. C1,C3.")
    ] = None,
    marginal_rate: MarginalRate = None,
    church: ChurchTax = None,
    taxable_income: TaxableIncome = None,
    client_settings: ClientSettingsFile = None,
    joint: Joint = None,
    kest_withheld: KestWithheld = None,
    lot_scope: LotScope = None,
    short_policy: ShortPolicy = None,
    value_method: ValueMethod = None,
    lot_order: LotOrder = None,
    airdrops_as_income: AirdropsAsIncome = False,
    timezone: Timezone = "Europe/Berlin",
    worth: Annotated[
        bool | None,
        typer.Option(
            "--worth/--no-worth",
            help="Evaluate what each correction is worth (two extra passes per correction). "
            "Default: only while it stays cheap (2 × corrections × rows ≤ 20 million).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes (default: the number of CPUs)."),
    ] = None,
    all_notes: Annotated[
        bool,
        typer.Option(
            "--all-notes",
            help="List every note on the ledger (missing EUR values, ghost deposits …), not "
            "only the first few.",
        ),
    ] = False,
    type_map: TypeMap = None,
    encoding: Encoding = "auto",
) -> None:
    """Compute the taxes twice (raw and corrected ledger) and show the fictitious profit.

    The raw pass books every sale without purchase history as Short (Warning) at cost 0, as
    CoinTracking does; the corrected pass runs on a copy of the ledger with the corrections
    applied. Per year: the taxable gain of both passes, the fictitious profit, the Freigrenze
    crossing (DE), the tax effect, the sales still uncovered, and what each correction is worth
    (applied alone, and left out of the full set).
    """
    options.check_year(year)
    options.input_file(corrections, "--corrections")
    rules = load_run_rules(
        jurisdiction, lot_scope, short_policy, value_method, lot_order, airdrops_as_income
    )
    tax = tax_options(
        rules, marginal_rate, church, taxable_income, client_settings, joint, kest_withheld
    )
    run = run_comparison(
        ledger,
        rules,
        corrections,
        only=only,
        timezone=timezone,
        tax=tax,
        worth=worth,
        quiet=as_json,
        full=False,
        jobs=jobs,
        type_map=type_map,
        encoding=encoding,
    )
    comp = run.comparison
    for finding in run.ledger.findings:  # e.g. local times at a DST change
        typer.echo(f"warning: {finding}", err=True)
    data = comp.as_json()
    from ..inputs.timezones import DstNotice

    dst = [f.as_json() for f in run.ledger.findings if isinstance(f, DstNotice)]
    if dst:  # only then: a ledger without them keeps the shape of before
        data["input_notes"] = dst
    if year is not None:
        data["years"] = [y for y in data["years"] if y["year"] == year]  # type: ignore[index, union-attr]
        if not data["years"]:
            raise TaxsimError(f"the ledger has no taxable events in {year}")
        for w in data.get("corrections", []):  # type: ignore[union-attr]
            for key in ("alone", "left_out"):
                w[key] = {str(year): w[key].get(str(year), "0.00")}
    from .notes import lines as note_lines

    if as_json:  # the JSON shape is fixed: the notes go to stderr
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        for line in note_lines(comp, all_notes):
            typer.echo(line, err=True)
        return
    print_comparison(data, Console())
    for line in note_lines(comp, all_notes):
        typer.echo(line)


def _n(text: str) -> str:
    """'1234567.89' → '1,234,567.89' for the terminal (JSON keeps plain strings)."""
    return f"{Decimal(text):,.2f}"


def _print_derivatives(data: dict, console: Console, at: bool) -> None:  # type: ignore[type-arg]
    """Margin/derivatives per year (corrected ledger), only when the ledger has any: shown as
    the ledger gives them, outside the figures above, not simulated."""
    years = [y for y in data["years"] if "derivatives" in y["corrected"]]
    if not years:
        return
    law = "§ 27 Abs 4 EStG" if at else "§ 20 EStG, Anlage KAP"
    table = Table(title=f"Margin and derivatives (EUR) — {law}")
    for col in ("Year", "Profit", "Loss", "Fees", "Net", "No value"):
        table.add_column(col, justify="right")
    unvalued = 0
    for y in years:
        d = y["corrected"]["derivatives"]
        unvalued += d["unvalued"]
        table.add_row(
            str(y["year"]),
            _n(d["profit"]),
            _n(d["loss"]),
            _n(d["fees"]),
            _n(d["net"]),
            str(d["unvalued"]),
        )
    console.print(keep_numbers_whole(table), crop=False)
    console.print(
        "Margin/derivatives are not crypto disposals: kept out of the lot matching and the "
        "figures above, shown as the ledger values them. taxsim does not simulate them (no "
        "loss offset, no allowance, no tax effect).",
        markup=False,
    )
    if unvalued:
        console.print(
            f"{unvalued} margin/derivatives legs have no EUR value (counted as 0 €; trade list "
            "exports V1–V3 carry none): the figures are incomplete.",
            markup=False,
        )


def print_comparison(data: dict, console: Console) -> None:  # type: ignore[type-arg]
    at = data["jurisdiction"] == "AT"
    s = data["settings"]
    console.print(
        f"[bold]{data['jurisdiction']}[/bold] — method {s['method']}, lot scope {s['lot_scope']}, "
        f"short policy {s['short_policy']}"
    )
    gain = "§ 27b result (Neu)" if at else "§ 23 taxable gain"
    table = Table(title=f"Raw ledger vs corrected ledger (EUR) — {gain}")
    for col in ("Year", "Raw", "Corrected", "Fictitious", "Shorts", "Tax effect"):
        table.add_column(col, justify="right")
    income = Table(title="Income (EUR) — " + ("§ 27b Abs 2" if at else "§ 22 Nr. 3 EStG"))
    for col in ("Year", "Raw", "Corrected"):
        income.add_column(col, justify="right")
    for y in data["years"]:
        raw, cor = y["raw"], y["corrected"]
        table.add_row(
            str(y["year"]),
            _n(raw["taxable_gain"]),
            _n(cor["taxable_gain"]),
            _n(y["fictitious_profit"]),
            f"{raw['short_count']} → {cor['short_count']}",
            _n(y["tax_effect"]),
        )
        income.add_row(str(y["year"]), _n(raw["income"]), _n(cor["income"]))
    console.print(keep_numbers_whole(table), crop=False)
    console.print(keep_numbers_whole(income), crop=False)
    _print_derivatives(data, console, at)
    for y in data["years"]:
        if y.get("freigrenze_crossing"):
            console.print(f"  {y['year']}: {y['freigrenze_crossing']}", markup=False)
    methods = dict.fromkeys(y["tax"]["method"] for y in data["years"] if "tax" in y)
    for method in methods:
        console.print(f"Tax effect (raw minus corrected): {method}.", markup=False)
    if not methods and at:
        console.print("Tax effect: 27.5 % special rate (§ 27a EStG), raw minus corrected.")
    if data.get("corrections"):
        t = Table(title="What each correction is worth (EUR, all years)")
        for col in ("Id", "Kind", "Gain alone", "Gain left out", "Income alone", "Income left out"):
            t.add_column(col, justify="right" if col not in ("Id", "Kind") else "left")
        for w in data["corrections"]:
            if w.get("error"):
                t.add_row(escape(w["id"]), w["kind"], escape(w["error"]), "", "", "")
                continue
            t.add_row(
                escape(w["id"]),
                w["kind"],
                _n(w["alone"]["total"]),
                _n(w["left_out"]["total"]),
                _n(w["alone_income"]["total"]),
                _n(w["left_out_income"]["total"]),
            )
        console.print(keep_numbers_whole(t), crop=False)
    shorts = data.get("remaining_shorts") or []
    if shorts:
        console.print(
            f"[yellow]{len(shorts)} sale(s) still without purchase history after correction:"
            "[/yellow]"
        )
        for d in shorts[:20]:
            console.print(
                f"  {d['id']}  {d['time'][:16]}  {d['wallet']}  {d['uncovered']} {d['asset']} "
                f"→ {_n(d['proceeds'])} €; {d['resolve']}",
                markup=False,
            )
        if len(shorts) > 20:
            console.print(f"  … and {len(shorts) - 20} more (see --json)")
