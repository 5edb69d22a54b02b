"""``taxsim diagnose``: negative balances, their tipping points and probable causes."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import diagnosis as dg
from ..model import TaxsimError
from . import (
    Encoding,
    TypeMap,
    app,
    check_output,
    check_timezone,
    keep_numbers_whole,
    options,
    read_ledger_with_progress,
    same_file,
    writing,
)

try:  # the shared neutraliser, when writers.py provides it
    from ..writers import safe_cell
except ImportError:  # pragma: no cover - fallback with the same rule

    def safe_cell(value: str) -> str:
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else value


def _since(value: str | None, zone: ZoneInfo) -> datetime | None:
    """``--since DATE``: from local midnight of DATE on (inclusive)."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError as exc:
        raise TaxsimError(f"--since: expected a date YYYY-MM-DD, got '{value}'") from exc
    return datetime.combine(day, time(0), tzinfo=zone)


def _short(tx_id: str) -> str:
    """A long id (an on-chain hash) shortened for a table cell; the paragraph below the table
    gives it in full."""
    return tx_id if len(tx_id) <= 20 else f"{tx_id[:8]}…{tx_id[-4:]}"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@app.command()
def diagnose(
    ledger: Annotated[
        Path, typer.Argument(help="Ledger file (CoinTracking export or canonical CSV).")
    ],
    onchain: Annotated[
        Path | None,
        typer.Option(help="On-chain balances CSV: wallet,chain,asset,contract,balance,as_of."),
    ] = None,
    previous: Annotated[
        Path | None, typer.Option(help="An older export of the same account (finds deleted rows).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only gaps whose first tipping point is on/after this date.")
    ] = None,
    suggest: Annotated[
        Path | None, typer.Option(help="Write a DRAFT corrections TOML, one proposal per finding.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Overwrite an existing --suggest/--csv file.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Also write the findings as CSV.")
    ] = None,
    timeline: Annotated[
        bool, typer.Option(help="Show (JSON: include) the running balance of every wallet × asset.")
    ] = False,
    timezone: Annotated[
        str, typer.Option(help="Zone of dates without offset, of --since and of the display.")
    ] = "Europe/Berlin",
    type_map: TypeMap = None,
    encoding: Encoding = "auto",
) -> None:
    """Find every wallet × asset whose balance goes negative, and why.

    For each: where it tips, the pattern, the probable cause with evidence, and the priority."""
    zone = check_timezone(timezone)
    since_at = _since(since, zone)
    options.input_file(previous, "--previous")
    options.input_file(onchain, "--onchain")
    if suggest is not None:
        options.output_format(suggest, "--suggest", "toml")
    if csv_file is not None:
        options.output_format(csv_file, "--csv", "csv")
    for target, option in ((suggest, "--suggest"), (csv_file, "--csv")):
        if target is not None:
            check_output(target, option, [ledger, previous, onchain], force=force)
    if suggest is not None and csv_file is not None and same_file(suggest, csv_file):
        raise TaxsimError(f"--suggest and --csv are the same file: {suggest}")
    book = read_ledger_with_progress(ledger, timezone, type_map=type_map, encoding=encoding)
    old = (
        read_ledger_with_progress(
            previous,
            timezone,
            "reading the previous export",
            type_map=type_map,
            encoding=encoding,
        )
        if previous is not None
        else None
    )
    balances_onchain = dg.read_onchain_balances(onchain) if onchain is not None else None
    with Console(stderr=True).status(f"diagnosing {len(book.transactions):,} transactions …"):
        result = dg.diagnose(book, previous=old, onchain=balances_onchain, since=since_at)

    if suggest is not None:
        text = dg.suggest_corrections(
            result.findings,
            book,
            corrections_path=suggest,
            previous_path=previous,
            row_findings=result.row_findings,
        )
        with writing(suggest, "--suggest"):
            suggest.write_text(text, encoding="utf-8")
    if csv_file is not None:
        with writing(csv_file, "--csv"), csv_file.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(dg.CSV_COLUMNS)
            for row in dg.csv_rows(result.findings):
                writer.writerow([safe_cell(cell) for cell in row])

    if as_json:
        payload = dg.to_json(result, include_timelines=timeline)
        payload["ledger"] = {"file": str(ledger), "format": book.format}
        payload["since"] = since
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    _print(result, zone, timeline, since)
    if suggest is not None:
        typer.echo(f"draft corrections written to {suggest} — review before use")


def _print(result: dg.Diagnosis, zone: ZoneInfo, timeline: bool, since: str | None) -> None:
    console = Console()
    table = Table(title="Balances today (crypto; negative in red)")
    for name in ("wallet", "asset", "balance"):
        table.add_column(name, justify="right" if name == "balance" else "left")
    for b in result.balances:
        if b.fiat or b.balance == 0:
            continue
        style = "bold red" if b.negative else None
        table.add_row(escape(b.wallet), escape(b.asset), dg._num(b.balance), style=style)
    console.print(keep_numbers_whole(table), crop=False)

    title = "Negative balances" + (f" since {since}" if since else "")
    if not result.findings:
        console.print(f"[green]{title}: none[/green]")
    else:
        # few, short columns: at 80 columns no cell may wrap mid-word (before, lowest, today
        # and the pattern are in the paragraph below the table, with ids in full)
        table = Table(title=title)
        for name, right in (
            ("#", False), ("prio", False), ("wallet × asset", False), ("tipping", False),
            ("gap €", True), ("cause", False),
        ):  # fmt: skip
            table.add_column(
                name,
                justify="right" if right else "left",
                no_wrap=name in ("#", "prio", "tipping", "cause"),
            )
        for n, f in enumerate(result.findings, start=1):
            table.add_row(
                str(n),
                f.priority.value,
                escape(f"{f.wallet} × {f.asset}"),
                escape(_short(f.tipping.tx_id)),
                "" if f.gap_eur is None else dg._num(f.gap_eur),
                f.cause.value,
            )
        console.print(keep_numbers_whole(table), crop=False)
        for n, f in enumerate(result.findings, start=1):
            before = f.before.tx_id if f.before else "none"
            console.print(
                f"[bold]#{n} {escape(f.wallet)} × {escape(f.asset)}[/bold] — tips at "
                f"{escape(f.tipping.tx_id)} ({_local(f.tipping.time, zone)} {zone.key}; "
                f"before: {escape(before)}; lowest {dg._num(f.lowest)}; today "
                f"{dg._num(f.today)}): {f.pattern.value}, "
                f"{escape(f.pattern_reason)}; priority {f.priority.value} "
                f"({escape(f.priority_reason)}); cause {f.cause.value} "
                f"({f.confidence.value} confidence)"
            )
            for e in f.evidence:
                console.print(f"  • {escape(e.text)}")
            for cause, confidence, text in f.alternatives:
                console.print(
                    f"  [dim]also possible: {cause.value} ({confidence.value}): "
                    f"{escape(text)}[/dim]"
                )

    if result.dust:
        console.print(
            "[dim]dust, no finding (worth < 1 €): "
            + escape(
                "; ".join(
                    f"{d.wallet} × {d.asset} lowest {dg._num(d.lowest)} at {d.tipping.tx_id}"
                    for d in result.dust
                )
            )
            + "[/dim]"
        )

    if result.row_findings:
        table = Table(title="Duplicates, edits since the previous export, scam inflows, time zone")
        for name in ("#", "prio", "cause", "change", "wallet × asset", "rows", "conf."):
            table.add_column(name)
        for n, r in enumerate(result.row_findings, start=1):
            table.add_row(
                f"R{n}",
                r.priority.value,
                r.cause.value,
                r.change,
                escape(f"{r.wallet} × {r.asset}"),
                escape(", ".join(r.tx_ids)),
                r.confidence.value,
            )
        console.print(keep_numbers_whole(table), crop=False)
        for n, r in enumerate(result.row_findings, start=1):
            for e in r.evidence:
                console.print(f"  R{n} • {escape(e.text)}")

    if result.onchain is not None:
        table = Table(title="Ledger vs on-chain")
        for name in ("wallet", "chain", "asset", "ledger", "on-chain", "difference"):
            table.add_column(name)
        for g in result.onchain:
            style = "bold red" if g.difference != 0 else None
            table.add_row(
                escape(g.wallet),
                escape(g.chain),
                escape(g.asset),
                dg._num(g.ledger),
                dg._num(g.onchain),
                dg._num(g.difference),
                style=style,
            )
        console.print(keep_numbers_whole(table), crop=False)

    if timeline:
        for (wallet, asset), steps in sorted(result.timelines.items()):
            table = Table(title=escape(f"Timeline {wallet} × {asset}"))
            for name in ("time", "tx", "delta", "balance"):
                table.add_column(name)
            for s in steps:
                style = "red" if s.balance < 0 else None
                table.add_row(
                    _local(s.time, zone),
                    escape(s.tx_id),
                    dg._num(s.delta),
                    dg._num(s.balance),
                    style=style,
                )
            console.print(keep_numbers_whole(table), crop=False)
