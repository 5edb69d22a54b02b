"""One client's run: diagnose, simulate raw vs corrected, the DAC8 check and (with reports) the
PDF and the advisor exports — through ``taxsim.api``, the functions the commands use.

``run_client`` never raises: a client whose files are bad gets an outcome with status
``error`` and the message (file, row and column where the reader names them), and the batch
goes on. Its result is plain data (picklable, JSON-able): one triage row, the findings, the
open shorts, and the files written.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import api
from ..api.tables import FindingRow, RowFindingRow
from ..gc_pause import gc_paused
from ..model import ZERO, InputError, TaxsimError
from ..summary import cents
from ..whatif import TaxOptions
from .clients import ClientJob

#: The engine keeps its inputs for the passes' worker processes in a module-level dict
#: (``whatif._SHARED``), so two clients must not run their passes at once in one process
#: (threads of a Dask worker); processes each have their own.
_ENGINE_LOCK = threading.Lock()

#: The files ``--reports`` writes per client (PDF, then ``report.write_exports``).
REPORT_FILES = ("report.pdf", "figures.json", "disposals.csv", "forms.csv", "taxsim-advisor.xlsx")


@dataclass(slots=True)
class Options:
    """The batch options that reach each client's run."""

    reports: bool = False
    lang: str | None = None  # overrides client.toml's language for the PDF

    def key(self) -> dict[str, object]:
        """What of the options changes a client's results (part of its fingerprint)."""
        return {"reports": self.reports, "lang": self.lang}


@dataclass(slots=True)
class Outcome:
    """A client's result, plain data."""

    client: str
    name: str
    row: dict[str, object]  # the triage row (``triage.COLUMNS``; cause counts as cause:<name>)
    findings: list[dict[str, object]] = field(default_factory=list)
    shorts: list[dict[str, object]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)  # files written
    #: what the readers noted about the input (e.g. local times at a DST change)
    notes: list[str] = field(default_factory=list)
    trace: str = ""  # traceback of an unexpected error (for the log only)
    seconds: float = 0.0
    fingerprint: str = ""
    resumed: bool = False

    @property
    def failed(self) -> bool:
        return self.row.get("status") == STATUS_ERROR


STATUS_ERROR = "error"
STATUS_CORRECT = "to correct"
STATUS_SHORTS = "open shorts"
STATUS_DAC8 = "check DAC8"
STATUS_READY = "ready"


def warm_up(jurisdictions: set[str]) -> None:
    """Import what a client's run needs and read the packaged settings once, in the process
    the local workers are forked from: each worker then starts with them (copy-on-write)
    instead of importing and parsing them again (about 0.1 s of CPU a worker)."""
    from .. import dac8, diagnosis
    from ..diagnosis.registry import load as load_detectors
    from ..engine import average, fifo  # noqa: F401  (imported for the workers)

    load_detectors()
    diagnosis.load_settings()
    dac8.load_platforms()
    for jurisdiction in jurisdictions:
        api.rules(jurisdiction)


def run_client(job: ClientJob, options: Options, out_dir: Path | None) -> Outcome:
    """Run one client; ``out_dir``: where its reports go (``--reports``), else nothing is
    written."""
    started = time.perf_counter()
    try:
        if job.problem is not None:
            raise job.problem
        # the client's ledger, balance steps and disposals live until its row is made: the
        # collector's scans of them in between would find nothing (gc_pause.py)
        with _ENGINE_LOCK, gc_paused():
            outcome = _run(job, options, out_dir)
    except TaxsimError as exc:
        outcome = failure(job, exc)
    except Exception as exc:  # isolation: one client's bug must not stop the others
        outcome = failure(job, exc)
        outcome.trace = traceback.format_exc()
    outcome.seconds = time.perf_counter() - started
    outcome.fingerprint = job.fingerprint
    return outcome


def failure(job: ClientJob, exc: BaseException) -> Outcome:
    """The outcome of a client that could not be processed."""
    row: dict[str, object] = base_row(job)
    expected = isinstance(exc, TaxsimError)
    message = str(exc) if expected else f"internal error: {type(exc).__name__}: {exc}"
    row.update(status=STATUS_ERROR, error=message)
    if isinstance(exc, InputError):
        row.update(error_file=exc.file, error_row=exc.row, error_column=exc.column or "")
    what = "fix the input" if expected else "report this error to the taxsim maintainers"
    row["first_action"] = f"{what}: {message}"
    outcome = Outcome(job.id, job.name, row)
    if not expected:  # for the log; and a rerun retries the client
        outcome.trace = "".join(traceback.format_exception(exc))
    outcome.fingerprint = job.fingerprint
    return outcome


def base_row(job: ClientJob) -> dict[str, object]:
    return {
        "client": job.id,
        "name": job.name,
        "jurisdiction": job.settings.jurisdiction.upper(),
        "years": ", ".join(str(y) for y in job.settings.tax_years),
    }


def _tax(job: ClientJob) -> TaxOptions:
    """client.toml → the tax settings (one call: ``api.tax_options``)."""
    s = job.settings
    return api.tax_options(
        marginal_rate=s.marginal_rate,
        church=s.church_tax or None,
        taxable_income=s.taxable_income,
        joint=None if s.assessment is None else s.assessment == "joint",
        kest_withheld=s.kest_withheld,
        client=s.year_settings(str(job.files.settings or "client.toml")),
    )


def _run(job: ClientJob, options: Options, out_dir: Path | None) -> Outcome:
    s, f = job.settings, job.files
    assert f.ledger is not None
    ledger = api.load_ledger(f.ledger, timezone=s.timezone)
    found = api.diagnose(ledger, previous=f.previous, onchain=f.onchain, timezone=s.timezone)
    full = options.reports
    sim = api.simulate(
        ledger,
        s.jurisdiction,
        f.corrections,
        tax=_tax(job),
        # what each correction is worth: for the report (while cheap, as `report` does)
        worth=None if options.reports else False,
        keep_disposals=True,  # the DAC8 check compares every disposal with the reports
        timezone=s.timezone,
    )
    dac8 = api.dac8_check(
        sim.corrected_ledger,
        sim.rules,
        pass_result=sim.comparison.corrected.result,
        platform_reports=f.platform_reports,
        platforms=f.platforms,
        lang="en",  # the triage is in English; the PDF takes the checks in both languages
    )
    outcome = Outcome(job.id, job.name, _row(job, sim, found, dac8))
    outcome.notes = [str(n) for n in getattr(ledger, "findings", [])]
    outcome.row["input_notes"] = len(outcome.notes)
    outcome.findings = [_finding(job, r) for r in found.findings] + [
        _row_finding(job, r) for r in found.row_findings
    ]
    outcome.shorts = [
        {"client": job.id, "name": job.name, **_plain(r)} for r in sim.remaining_shorts
    ]
    if full and out_dir is not None:
        outcome.outputs = write_reports(job, sim, dac8, out_dir, options)
    return outcome


def _row(job: ClientJob, sim: api.Simulation, found: api.Diagnosis, dac8: api.Dac8Check) -> dict:  # type: ignore[type-arg]
    years = set(job.settings.tax_years)
    chosen = [y for y in sim.years if not years or y.year in years]

    def total(name: str) -> Decimal:
        return sum((getattr(y, name) for y in chosen), ZERO)

    shorts = [r for r in sim.remaining_shorts if not years or r.tax_year in years]
    row = base_row(job)
    row.update(
        tax_at_stake=cents(total("tax_effect")),
        fictitious_gain=cents(total("fictitious_gain")),
        fictitious_income=cents(total("fictitious_income")),
        raw_tax=cents(total("raw_tax")),
        corrected_tax=cents(total("corrected_tax")),
        raw_short_proceeds=cents(total("raw_short_proceeds")),
        raw_shorts=sum(y.raw_short_count for y in chosen),
        open_shorts=len(shorts),
        open_short_proceeds=cents(sum((r.proceeds for r in shorts), ZERO)),
        findings=len(found.findings) + len(found.row_findings),
        gap_eur=cents(sum((r.gap_eur or ZERO for r in found.findings), ZERO)),
        corrections=len(sim.corrections.corrections) if sim.corrections else 0,
        dac8_fail=dac8.count("fail"),
        dac8_warn=dac8.count("warn"),
        transactions=len(sim.ledger.transactions),
        ledger_format=sim.ledger.format,
    )
    every = [*found.findings, *found.row_findings]
    for priority in ("high", "medium", "low"):
        row[f"priority_{priority}"] = sum(1 for r in every if r.priority == priority)
    for r in every:
        key = f"cause:{r.cause}"
        row[key] = int(row.get(key, 0)) + 1  # type: ignore[call-overload]
    row["status"], row["first_action"] = _status(row, found, sim, dac8)
    return row


def _status(row: dict, found: api.Diagnosis, sim: api.Simulation, dac8: api.Dac8Check):  # type: ignore[no-untyped-def, type-arg]
    """The client's status and the first thing to do, most urgent first."""
    open_shorts = sim.remaining_shorts
    if sim.corrections is None and (found.findings or found.row_findings or row["raw_shorts"]):
        order = {"high": 0, "medium": 1, "low": 2}
        every = [*found.findings, *found.row_findings]
        ranked = sorted(every, key=lambda r: order.get(r.priority, 3))  # stable: balance first
        if ranked:
            top = ranked[0]
            if isinstance(top, FindingRow):
                what = f"{top.wallet} × {top.asset}"
                gap = f", gap {cents(top.gap_eur)} €" if top.gap_eur is not None else ""
            else:
                what, gap = f"rows {top.tx_ids} ({top.change})", ""
            propose = f", propose {top.proposed_correction}" if top.proposed_correction else ""
            return STATUS_CORRECT, (
                f"write corrections.toml: start with {what} "
                f"(cause {top.cause}, priority {top.priority}{gap}{propose}); "
                f"{len(ranked)} finding(s) — taxsim diagnose --suggest"
            )
        return STATUS_CORRECT, (
            f"write corrections.toml: {row['raw_shorts']} sale(s) booked without purchase "
            "history — taxsim simulate shows them"
        )
    if open_shorts:
        first = max(open_shorts, key=lambda r: r.proceeds)
        return STATUS_SHORTS, (
            f"resolve {len(open_shorts)} open short(s), largest {first.tx_id} "
            f"({first.wallet} × {first.asset}, {cents(first.proceeds)} €): {first.resolve}"
        )
    fails = [c for c in dac8.checklist if c.status == "fail"]
    if fails:
        return STATUS_DAC8, f"DAC8 check {fails[0].number} '{fails[0].title}': {fails[0].message}"
    if sim.corrections is not None:
        return STATUS_READY, "corrected, nothing open: write the report (taxsim report)"
    return STATUS_READY, "no gaps found: write the report (taxsim report)"


def _plain(row: object) -> dict[str, object]:
    """A typed row as a dict (times as ISO text)."""
    out: dict[str, object] = {}
    for name in row.__dataclass_fields__:  # type: ignore[attr-defined]
        value = getattr(row, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _finding(job: ClientJob, r: FindingRow) -> dict[str, object]:
    return {"client": job.id, "name": job.name, "kind": "negative balance", **_plain(r)}


def _row_finding(job: ClientJob, r: RowFindingRow) -> dict[str, object]:
    """A finding about rows, in the Findings sheet's columns."""
    plain = _plain(r)
    return {
        "client": job.id,
        "name": job.name,
        "kind": r.change or "rows",
        **{k: plain[k] for k in ("cause", "priority", "confidence", "wallet", "asset")},
        "number": r.number,
        "tipping_time": plain["time"],
        "rows": r.tx_ids,
        "proposed_correction": r.proposed_correction,
        "evidence": r.evidence,
    }


def write_reports(
    job: ClientJob, sim: api.Simulation, dac8: api.Dac8Check, out_dir: Path, options: Options
) -> list[str]:
    """The client PDF and the advisor exports, as ``taxsim report --export-dir`` writes them."""
    from ..report import ReportInput, build_pdf, write_exports

    out_dir.mkdir(parents=True, exist_ok=True)
    corrections = sim.corrections
    client = job.settings.name or (corrections.meta.client if corrections else "") or job.id
    data = ReportInput(
        ledger=sim.ledger,
        client=client,
        lang=(options.lang or job.settings.language),  # type: ignore[arg-type]
        ledger_name=job.files.ledger.name if job.files.ledger else "",
        corrections_name=job.files.corrections.name if job.files.corrections else "",
        corrections=corrections,
        checklist=dac8.checks,
    )
    pdf = out_dir / REPORT_FILES[0]
    build_pdf(sim.comparison, pdf, data)
    written = [pdf, *write_exports(sim.comparison, out_dir, corrections)]
    return [str(p) for p in written]
