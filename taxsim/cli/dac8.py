"""``taxsim dac8``: what each platform will have reported (DAC8/CARF) and whether it agrees.

Reads the ledger (applying a corrections file if given), rebuilds the per-platform CARF report,
compares it with any platform reports passed with ``--platform-report`` and runs the checklist.
All ledger text is shown as plain ``rich.text.Text`` so it can never be read as console markup.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import dac8
from ..engine.types import PassResult
from ..model import Ledger
from ..rules import RuleSet, load_rules
from . import Encoding, TypeMap, app, keep_numbers_whole, options, read_ledger_with_progress

_STATUS_STYLE = {"pass": "green", "warn": "yellow", "fail": "red", "n/a": "dim"}
_SEVERITY_STYLE = {"info": "cyan", "warn": "yellow", "fail": "red"}


@app.command(name="dac8")
def dac8_command(
    ledger: Annotated[
        Path,
        typer.Argument(help="Ledger: CoinTracking export/import CSV/XLSX or taxsim canonical CSV."),
    ],
    corrections: Annotated[
        Path | None,
        typer.Option("--corrections", "-c", help="Corrections file (TOML), applied to a copy."),
    ] = None,
    platform_report: Annotated[
        list[Path] | None,
        typer.Option(
            "--platform-report",
            "-r",
            help="A platform's DAC8 report: OECD CARF XML or the taxsim CSV (repeatable).",
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            help="Platform of the XML report(s), if neither the RCASP name nor the file name "
            "tells it.",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="The client in a CARF file that reports several users: a TIN, or words of the "
            "name (e.g. 'Lena Berger'). Without it such a file is refused with the list of users.",
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            "-y",
            help="Only this reporting year (UTC). DAC8 covers 2026 on (first report due "
            "31 July 2027); an earlier year gets one 'not yet reported' line.",
        ),
    ] = None,
    jurisdiction: Annotated[
        str,
        typer.Option(
            "--jurisdiction", "-j", help="'de' or 'at' (local time zone for the year boundary)."
        ),
    ] = "de",
    platforms: Annotated[
        Path | None,
        typer.Option(
            "--platforms", help="TOML list of reporting / self-custody wallets (docs/dac8.md)."
        ),
    ] = None,
    eur_usd: Annotated[
        str,
        typer.Option(
            "--eur-usd", help="Fixed EUR→USD rate for the USD 50,000 limit and USD reports."
        ),
    ] = str(dac8.DEFAULT_EUR_USD),
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="Time zone of local dates in CoinTracking exports (default: the rule set's).",
        ),
    ] = None,
    type_map: TypeMap = None,
    encoding: Encoding = "auto",
) -> None:
    """Show what each platform will have reported under DAC8 and whether the ledger agrees."""
    options.check_year(year)
    options.input_file(corrections, "--corrections")
    options.input_file(platforms, "--platforms")
    for report in platform_report or []:
        options.input_file(report, "--platform-report")
    rules = load_rules(jurisdiction)
    rate = _rate(eur_usd)
    cfg = dac8.load_platforms(platforms)
    book = _read(ledger, corrections, timezone or rules.local_timezone, type_map, encoding)
    wallets = sorted({t.wallet for t in book.transactions})
    assets = {leg.asset for t in book.transactions for leg in (t.buy, t.sell) if leg is not None}
    reports = [
        dac8.read_platform_report(
            p,
            platform=platform,
            platforms=cfg,
            known_wallets=wallets,
            known_assets=assets,
            user=user,
        )
        for p in platform_report or []
    ]
    view = dac8.build_view(book, rules=rules, platforms=cfg, year=year, eur_usd=rate)
    deviations = dac8.compare(view, reports)
    checks = dac8.build_checklist(
        book,
        rules=rules,
        pass_result=_pass(book, rules),
        reports=reports,
        year=year,
        platforms=cfg,
        eur_usd=rate,
        view=view,
        deviations=deviations,
    )
    if as_json:
        data = dac8.to_json(view, reports, deviations, checks)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print(view, reports, deviations, checks, Console())


def _rate(text: str) -> Decimal:
    return options.parse_positive(text, "--eur-usd", "1.08")


def _read(
    path: Path,
    corrections: Path | None,
    timezone: str,
    type_map: Path | None = None,
    encoding: str = "auto",
) -> Ledger:
    book = read_ledger_with_progress(path, timezone, type_map=type_map, encoding=encoding)
    if corrections is None:
        return book
    from ..corrections import apply_corrections, load_corrections

    applied = apply_corrections(
        book,
        load_corrections(corrections),
        base_dir=corrections.resolve().parent,
        timezone=timezone,
    )
    return applied.ledger


def _pass(book: Ledger, rules: RuleSet) -> PassResult | None:
    """The tax pass for the "disposals covered" check; None if the engine is unavailable."""
    try:
        from ..engine import run_pass
    except ImportError:
        return None
    return run_pass(book.transactions, rules)


def _print(
    view: dac8.Dac8View,
    reports: list[dac8.PlatformReport],
    deviations: list[dac8.Deviation],
    checks: list[dac8.Check],
    console: Console,
) -> None:
    status = Table(title="Wallets")
    status.add_column("Wallet")
    status.add_column("DAC8 status")
    for wallet, s in view.platforms.items():
        status.add_row(Text(wallet), s.value)
    console.print(keep_numbers_whole(status), crop=False)

    for p in view.reporting():
        lines = view.lines(platform=p)
        if not lines:
            continue
        table = Table(title=Text(f"Expected DAC8 report: {p}"))
        for col, just in (
            ("Year", "right"),
            ("Asset", "left"),
            ("Category", "left"),
            ("Type", "left"),
            ("Units", "right"),
            ("Amount gross (EUR)", "right"),
            ("Net of fees", "right"),
            ("Count", "right"),
        ):
            table.add_column(col, justify=just)  # type: ignore[arg-type]
        for a in lines:
            table.add_row(
                str(a.key.year),
                Text(a.key.asset),
                a.key.category.value,
                a.key.transfer_type,
                f"{a.units:f}",
                str(dac8.cents(a.gross)),
                str(dac8.cents(a.net)),
                str(a.count),
            )
        console.print(keep_numbers_whole(table), crop=False)

    for rep in reports:
        for note in rep.notes:
            console.print(Text(f"{Path(rep.file).name}: {note}"), crop=False)

    if deviations:
        table = Table(title="Deviations from the platform reports")
        for col in ("Severity", "Report", "Line", "Field", "Expected", "Reported", "Transactions"):
            table.add_column(col)
        for d in deviations:
            k = d.key
            line = f"{k.platform} {k.year} {k.asset} {k.category.value} {k.transfer_type}"
            table.add_row(
                Text(d.severity.value, style=_SEVERITY_STYLE[d.severity.value]),
                Text(Path(d.report).name),
                Text(line.strip()),
                d.field,
                Text(str(d.expected if d.expected is not None else "–")),
                Text(str(d.reported if d.reported is not None else "–")),
                Text(_ids(d.tx_ids)),
            )
        console.print(keep_numbers_whole(table), crop=False)

    table = Table(title="DAC8 checklist")
    for col in ("#", "Check", "Status", "Finding", "Transactions"):
        table.add_column(col)
    for c in checks:
        table.add_row(
            str(c.number),
            c.title_en,
            Text(c.status.value, style=_STATUS_STYLE[c.status.value]),
            Text(c.message_en),
            Text(_ids(c.tx_ids)),
        )
    console.print(keep_numbers_whole(table), crop=False)


def _ids(ids: list[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")
