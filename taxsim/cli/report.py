"""``taxsim report``: the client PDF and, with ``--export-dir``, the advisor exports.

This is the main job of taxsim: read the ledger and the corrections, compute both passes and
each correction's worth, run the DAC8 checklist on the corrected ledger, and write a PDF the
specialist can hand to the client and the adviser. Progress is shown on stderr, because the
what-if passes and the appendix take a while on long ledgers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..model import TaxsimError
from ..whatif import TaxOptions
from . import Encoding, TypeMap, app, check_output, options, same_file, writing
from .simulate import (
    ChurchTax,
    CorrectionsFile,
    Jurisdiction,
    LotScope,
    MarginalRate,
    ShortPolicy,
    Timezone,
    ValueMethod,
    load_run_rules,
    parse_rate,
    run_comparison,
)

#: The files ``report.write_exports`` writes into ``--export-dir`` (a test keeps them in step).
EXPORT_FILES = ("figures.json", "disposals.csv", "forms.csv", "taxsim-advisor.xlsx")


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
    lot_scope: LotScope = None,
    short_policy: ShortPolicy = None,
    value_method: ValueMethod = None,
    timezone: Timezone = "Europe/Berlin",
    worth: Annotated[
        bool | None,
        typer.Option(
            "--worth/--no-worth",
            help="Evaluate what each correction is worth (default: while it stays cheap).",
        ),
    ] = None,
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
    options.output_format(output, "-o", "pdf")
    options.input_file(corrections, "--corrections")
    _refuse_overwrite(output, export_dir, [ledger, corrections])
    rules = load_run_rules(jurisdiction, lot_scope, short_policy, value_method)
    tax = TaxOptions(parse_rate(marginal_rate, "--marginal-rate"), church)

    from ..report import ReportInput, build_pdf, write_exports

    console = Console(stderr=True, quiet=quiet)
    with console.status("reading ledger …") as status:

        def step(label: str) -> None:
            status.update(f"{label} …")

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
        )
        for finding in raw_ledger.findings:  # e.g. local times at a DST change
            console.print(f"warning: {finding}", markup=False, highlight=False)
        if comp.applied is not None:  # also the files the corrections read
            _refuse_overwrite(output, export_dir, comp.applied.ledger.files)  # type: ignore[attr-defined]
        step("DAC8 checklist")
        checklist, checklist_error = _checklist(comp, raw_ledger, rules)
        name = client
        if name is None and correction_set is not None:
            name = correction_set.meta.client
        data = ReportInput(
            ledger=raw_ledger,
            client=name or "",
            lang=lang,  # type: ignore[arg-type]
            ledger_name=ledger.name,
            corrections_name=corrections.name if corrections else "",
            corrections=correction_set,
            checklist=checklist,
            checklist_error=checklist_error,
        )
        with writing(output, "-o"):
            build_pdf(comp, output, data, progress=step)
        written = [output]
        if export_dir is not None:
            step("advisor exports")
            with writing(export_dir / EXPORT_FILES[0], "--export-dir"):
                written += write_exports(comp, export_dir, correction_set)
    for path in written:
        console.print(f"wrote {path}", markup=False, highlight=False)


def _checklist(comp, raw_ledger, rules):  # type: ignore[no-untyped-def]
    """The DAC8 checklist on the ledger that will be filed (the corrected one).

    A user-facing error in the DAC8 module (e.g. a bad platforms file) must not cost the client
    the whole report: it is shown in the DAC8 section instead.
    """
    try:
        from ..dac8 import build_checklist
    except ImportError as exc:  # the DAC8 module is optional in the architecture
        return None, str(exc)
    filed = comp.applied.ledger if comp.applied is not None else raw_ledger
    try:
        return build_checklist(filed, rules=rules, pass_result=comp.corrected.result), ""
    except TaxsimError as exc:
        return None, str(exc)
