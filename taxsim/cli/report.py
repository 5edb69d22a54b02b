"""``taxsim report``: the client PDF and, with ``--export-dir``, the advisor exports.

This is the main job of taxsim: read the ledger and the corrections, compute both passes and
each correction's worth, run the DAC8 checklist on the corrected ledger, and write a PDF the
specialist can hand to the client and the adviser. Progress is shown on stderr, because the
what-if passes and the appendix take a while on long ledgers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..forked import SideJobs
from ..gc_pause import keep_for_good
from ..model import Ledger, TaxsimError
from ..whatif import PARALLEL_MIN_ROWS
from . import (
    Encoding,
    TypeMap,
    app,
    check_output,
    options,
    read_ledger_with_progress,
    same_file,
    writing,
)
from .dac8 import _rate
from .simulate import (
    AirdropsAsIncome,
    ChurchTax,
    ClientSettingsFile,
    CorrectionsFile,
    Joint,
    Jurisdiction,
    KestWithheld,
    LotOrder,
    LotScope,
    MarginalRate,
    ShortPolicy,
    TaxableIncome,
    Timezone,
    ValueMethod,
    load_run_rules,
    run_comparison,
    tax_options,
)

#: The files ``report.write_exports`` writes into ``--export-dir`` (a test keeps them in step).
EXPORT_FILES = ("figures.json", "disposals.csv", "forms.csv", "taxsim-advisor.xlsx")


#: With stderr not a terminal, a progress line is printed at most this often (seconds) unless
#: the stage changes.
PLAIN_PROGRESS_SECONDS = 2.0


@contextmanager
def progress_display(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A progress callback: a spinner with the stage on a terminal; plain lines on stderr
    otherwise (a log file, CI), one per stage and at most one every
    ``PLAIN_PROGRESS_SECONDS`` within a stage, each with the seconds since the start."""
    if quiet:
        yield lambda _label: None
        return
    console = Console(stderr=True)
    if console.is_terminal:
        with console.status("reading ledger …") as status:
            yield lambda label: status.update(f"{label} …")
        return
    start = time.monotonic()
    last = {"stage": "", "at": -PLAIN_PROGRESS_SECONDS}

    def plain(label: str) -> None:
        now = time.monotonic()
        stage = label.split(":")[0].split(" ")[0]
        if stage != last["stage"] or now - float(last["at"]) >= PLAIN_PROGRESS_SECONDS:
            sys.stderr.write(f"[{now - start:6.1f} s] {label}\n")
            sys.stderr.flush()
            last["stage"], last["at"] = stage, now

    yield plain


def _refuse_overwrite(
    output: Path, export_dir: Path | None, inputs: list[Path | str | None]
) -> None:
    """Input files are never modified: neither the PDF nor an export may be written over one of
    them (whatever link leads there); ``--export-dir`` must be a folder (created if missing)."""
    check_output(output, "-o", inputs)
    if export_dir is None:
        return
    if export_dir.exists() and not export_dir.is_dir():
        raise TaxsimError(f"--export-dir {export_dir} is a file; expected a folder")
    for name in EXPORT_FILES:
        target = export_dir / name
        check_output(target, "--export-dir", inputs)
        if same_file(target, output):
            raise TaxsimError(f"-o {output} is also an export of --export-dir {export_dir}")


@app.command()
def report(
    ledger: Annotated[
        Path,
        typer.Argument(help="Ledger: CoinTracking export or import CSV/XLSX, or canonical CSV."),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF to write.")],
    jurisdiction: Jurisdiction = "de",
    corrections: CorrectionsFile = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            help="Client name on the cover (default: the client named in the corrections file).",
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: de or en.")] = "de",
    export_dir: Annotated[
        Path | None,
        typer.Option(
            "--export-dir",
            help="Also write figures.json, disposals.csv, forms.csv and taxsim-advisor.xlsx here.",
        ),
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
            help="Evaluate what each correction is worth (default: while it stays cheap).",
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            help="An older export of the same account (as `diagnose`: finds deleted rows)."
        ),
    ] = None,
    onchain: Annotated[
        Path | None,
        typer.Option(help="On-chain balances CSV (as `diagnose`): wallet,chain,asset,contract,..."),
    ] = None,
    platform_report: Annotated[
        list[Path] | None,
        typer.Option(
            "--platform-report",
            "-r",
            help="A platform's DAC8 report, OECD CARF XML or taxsim CSV (as `dac8`; repeatable).",
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option("--platform", help="Platform of the XML report(s) (as `dac8`)."),
    ] = None,
    platforms: Annotated[
        Path | None,
        typer.Option(
            "--platforms", help="TOML list of reporting / self-custody wallets (as `dac8`)."
        ),
    ] = None,
    eur_usd: Annotated[
        str | None,
        typer.Option("--eur-usd", help="Fixed EUR→USD rate for the DAC8 checks (as `dac8`)."),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option(
            "--year", "-y", help="Only this tax year in the PDF (repeatable; default all)."
        ),
    ] = None,
    appendix: Annotated[
        str,
        typer.Option(
            "--appendix",
            help="PDF appendix: 'none'; 'summary' (default: the disposals a correction changed "
            "or that were short, plus totals per asset); 'full' (every disposal). The CSV and "
            "the workbook always hold every disposal.",
        ),
    ] = "summary",
    csv_dialect: Annotated[
        str,
        typer.Option(
            "--csv-dialect",
            help="CSV exports: 'plain' (default: ',' and decimal point, UTF-8, for programs) or "
            "'de' (';', decimal comma, UTF-8 with BOM: German Excel opens it in columns).",
        ),
    ] = "plain",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    type_map: TypeMap = None,
    encoding: Encoding = "auto",
) -> None:
    """Write the client report (PDF) and, with --export-dir, the figures for tax advisors.

    The PDF shows fictitious vs real taxable profit per year with charts, the uncovered sales
    and what resolves them, the corrections with reasons, evidence and effect, the audit trail
    of every manual change, the DAC8 checklist and the disclosure of settings.
    """
    if lang not in ("de", "en"):
        raise TaxsimError(f"--lang: expected 'de' or 'en', got '{lang}'")
    if appendix not in ("none", "summary", "full"):
        raise TaxsimError(f"--appendix: expected none, summary or full, got '{appendix}'")
    if csv_dialect not in ("plain", "de"):
        raise TaxsimError(f"--csv-dialect: expected plain or de, got '{csv_dialect}'")
    for y in year or []:
        options.check_year(y)
    options.output_format(output, "-o", "pdf")
    options.input_file(corrections, "--corrections")
    options.input_file(previous, "--previous")
    options.input_file(onchain, "--onchain")
    options.input_file(platforms, "--platforms")
    for report_file in platform_report or []:
        options.input_file(report_file, "--platform-report")
    evidence = [previous, onchain, platforms, *(platform_report or [])]
    _refuse_overwrite(output, export_dir, [ledger, corrections, *evidence])
    rules = load_run_rules(
        jurisdiction, lot_scope, short_policy, value_method, lot_order, airdrops_as_income
    )
    tax = tax_options(
        rules, marginal_rate, church, taxable_income, client_settings, joint, kest_withheld
    )

    from ..report import ReportInput, build_pdf, write_exports
    from ..report.export import pass_money

    with progress_display(quiet) as step, ExitStack() as stack:
        early: dict[str, object] = {}

        def diagnose_meanwhile(raw: Ledger) -> None:
            """The diagnosis needs only the raw ledger: on a large one it runs in a forked
            worker while this process runs the tax passes. Its evidence files are read here
            first, so that an error in them stops the report as in `taxsim diagnose`."""
            evidence = _diagnosis_inputs(previous, onchain, timezone)
            large = len(raw.transactions) >= PARALLEL_MIN_ROWS
            jobs = stack.enter_context(SideJobs(large, workers=1))
            early["diagnosis"] = jobs.submit(_diagnosis, raw, *evidence)

        raw_ledger, correction_set, comp = run_comparison(
            ledger,
            rules,
            corrections,
            timezone=timezone,
            tax=tax,
            worth=worth,
            full=True,
            status=step,
            type_map=type_map,
            encoding=encoding,
            on_read=diagnose_meanwhile,
        )
        warnings = list(raw_ledger.findings)  # e.g. local times at a DST change
        if comp.applied is not None:  # also the files the corrections read
            _refuse_overwrite(output, export_dir, comp.applied.ledger.files)  # type: ignore[attr-defined]
        step("diagnosis")
        diagnosis = early["diagnosis"].result()  # type: ignore[attr-defined]
        stack.close()  # its worker is done: no other process while the next one forks
        keep_for_good()  # both passes and the diagnosis: read by every later step
        cents = pass_money(comp)
        # The DAC8 checklist needs the corrected pass; on a large ledger it runs in a forked
        # worker while this process works out the cents of the appendix.
        step("DAC8 checklist")
        with SideJobs(len(raw_ledger.transactions) >= PARALLEL_MIN_ROWS, workers=1) as jobs:
            checked = jobs.submit(
                _checklist, comp, raw_ledger, rules, platform_report, platform, platforms, eur_usd
            )
            if jobs.forked:
                cents["corrected"]  # noqa: B018 - worked out now, while the worker runs
            checklist, checklist_error = checked.result()
        keep_for_good()
        name = client
        if name is None and correction_set is not None:
            name = correction_set.meta.client
        step("hashing the inputs")
        data = ReportInput(
            ledger=raw_ledger,
            client=name or "",
            lang=lang,  # type: ignore[arg-type]
            ledger_name=ledger.name,
            corrections_name=corrections.name if corrections else "",
            corrections=correction_set,
            checklist=checklist,
            checklist_error=checklist_error,
            diagnosis=diagnosis,
            # times are shown in the zone the ledger was read in; left at its default, in the
            # rule set's zone (Europe/Vienna for AT: the same clock as Berlin, named right)
            timezone=rules.local_timezone if timezone == "Europe/Berlin" else timezone,
            years=year or None,
            appendix=appendix,
            cents=cents,  # each pass's per-row cents once, for the PDF and the exports
            inputs=input_hashes(
                [
                    ("ledger", ledger),
                    ("corrections", corrections),
                    ("previous", previous),
                    ("onchain", onchain),
                    ("platforms", platforms),
                    *(("platform_report", r) for r in platform_report or []),
                ]
            ),
        )
        with writing(output, "-o"):
            build_pdf(comp, output, data, progress=step)
        written = [output]
        if export_dir is not None:
            step("advisor exports")
            with writing(export_dir / EXPORT_FILES[0], "--export-dir"):
                written += write_exports(
                    comp, export_dir, correction_set, data=data, dialect=csv_dialect, progress=step
                )
    console = Console(stderr=True, quiet=quiet)
    for finding in warnings:
        console.print(f"warning: {finding}", markup=False, highlight=False)
    for path in written:
        console.print(f"wrote {path}", markup=False, highlight=False)


def _diagnosis_inputs(previous: Path | None, onchain: Path | None, timezone: str) -> tuple:
    """The evidence files of the diagnosis, read (an error in them stops the report, as in
    `taxsim diagnose`): the previous export and the on-chain balances, or None."""
    try:
        from .. import diagnosis as dg
    except ImportError:  # the diagnosis is optional in the architecture
        return None, None
    old = (
        read_ledger_with_progress(previous, timezone, "reading the previous export")
        if previous
        else None
    )
    balances = dg.read_onchain_balances(onchain) if onchain is not None else None
    return old, balances


def _diagnosis(ledger, old, balances):  # type: ignore[no-untyped-def]
    """The diagnosis of the raw ledger with the same evidence as `taxsim diagnose`; of the
    balance timelines only those of its findings, which the report charts (the rest would
    only cost time on the way back from a worker)."""
    try:
        from .. import diagnosis as dg
    except ImportError:  # the diagnosis is optional in the architecture
        return None
    found = dg.diagnose(ledger, previous=old, onchain=balances)
    charted = {(f.wallet, f.asset) for f in found.findings}
    lines = {key: steps for key, steps in found.timelines.items() if key in charted}
    return dataclasses.replace(found, timelines=lines)


def _checklist(comp, raw_ledger, rules, reports, platform, platforms, eur_usd):  # type: ignore[no-untyped-def]
    """The DAC8 checklist on the ledger that will be filed (the corrected one), with the
    platform reports and the platforms file as `taxsim dac8` takes them (``api.dac8_check``).

    A user-facing error in the DAC8 module (e.g. a bad platforms file) must not cost the client
    the whole report: it is shown in the DAC8 section instead.
    """
    from .. import api  # the same steps as ``taxsim dac8`` and the batch

    filed = comp.applied.ledger if comp.applied is not None else raw_ledger
    try:
        checked = api.dac8_check(
            filed,
            rules,
            pass_result=comp.corrected.result,
            platform_reports=reports or [],
            platform=platform,
            platforms=platforms,
            eur_usd=_rate(eur_usd) if eur_usd is not None else None,
        )
    except ImportError as exc:  # the DAC8 module is optional in the architecture
        return None, str(exc)
    except TaxsimError as exc:
        return None, str(exc)
    return checked.checks, ""


def input_hashes(files: list[tuple[str, Path | None]]) -> list[tuple[str, str, str]]:
    """(role, file name, SHA-256) of every input file given, for the reproducibility page."""
    out = []
    for role, path in files:
        if path is None:
            continue
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        out.append((role, path.name, digest.hexdigest()))
    return out
