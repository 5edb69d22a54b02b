"""``run_batch``: find the clients, skip those unchanged since the last run, run the others on
the chosen backend, keep each result, and write the triage files and the batch log.

Output folder layout::

    OUT_DIR/triage.xlsx, triage.csv, triage.parquet, findings.csv, findings.parquet
    OUT_DIR/batch.log                      every run: each input (SHA-256) and output
    OUT_DIR/clients/<client>/result.json   the client's result and fingerprint (resumption)
    OUT_DIR/clients/<client>/report.pdf …  with --reports: the PDF and the advisor exports
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..gc_pause import keep_for_good
from ..model import TaxsimError
from . import triage
from .backends import run_dask, run_inline, run_pool
from .clients import ClientJob, client_folders, fingerprint, prepare_job
from .job import Options, Outcome, run_client, warm_up
from .log import BatchLog

RESULT_FILE = "result.json"
RESULT_VERSION = 1


@dataclass(slots=True)
class BatchResult:
    outcomes: list[Outcome]
    outputs: list[Path]
    skipped: int  # clients taken from the previous run
    log: Path
    failed: list[str] = field(default_factory=list)


def run_batch(
    clients_dir: Path,
    out_dir: Path,
    *,
    options: Options | None = None,
    jobs: int = 1,
    backend: str = "local",  # local | dask
    scheduler: object | None = None,
    force: bool = False,
    only: Sequence[str] | None = None,
    csv_dialect: str = "excel-de",
    progress: Callable[[int, int, Outcome], None] | None = None,
    announce: Callable[[str], None] | None = None,
) -> BatchResult:
    """Run every client of ``clients_dir``; ``progress(done, total, outcome)`` after each.

    ``jobs``: worker processes (local) or, for ``backend="dask"`` without a scheduler, the
    local cluster's workers. ``only``: these client folders (the others keep their last
    result, if any, in the triage).
    """
    options = options or Options()
    say = announce or (lambda _text: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    log = BatchLog(out_dir / "batch.log")
    folders = client_folders(clients_dir)
    if only:
        unknown = set(only) - {f.name for f in folders}
        if unknown:
            raise TaxsimError(f"--client: no such client folder: {', '.join(sorted(unknown))}")
    if not folders:
        raise TaxsimError(f"{clients_dir}: no client folders (expected one folder per client)")
    log.start(clients_dir, out_dir, options, backend, jobs, scheduler)
    say(f"reading {len(folders)} client folders …")
    code = code_fingerprint()
    all_jobs = [prepare_job(folder) for folder in folders]
    for job in all_jobs:
        job.fingerprint = fingerprint(job, {**options.key(), "code": code})
        log.inputs(job)

    outcomes: dict[str, Outcome] = {}
    todo: list[ClientJob] = []
    for job in all_jobs:
        chosen = not only or job.id in only
        previous = load_result(out_dir, job.id)
        if previous is not None and (not chosen or _reusable(previous, job, force)):
            previous.resumed = True
            outcomes[job.id] = previous
        elif chosen:
            todo.append(job)
    skipped = len(outcomes)
    total = len(todo)
    say(
        f"{len(all_jobs)} clients: {total} to run, {skipped} unchanged since the last run"
        + (" (--force redoes them)" if skipped and not force else "")
    )
    for done, outcome in enumerate(_execute(todo, options, out_dir, backend, jobs, scheduler), 1):
        outcomes[outcome.client] = outcome
        log.outcome(outcome, save_result(out_dir, outcome))
        if progress is not None:
            progress(done, total, outcome)

    finished = [outcomes[j.id] for j in all_jobs if j.id in outcomes]
    written = triage.write_all(finished, out_dir, csv_dialect)
    for o in finished:
        if o.resumed:
            log.resumed(o)
    log.outputs(written)
    failed = [o.client for o in finished if o.failed]
    log.finish(len(finished), skipped, failed)
    return BatchResult(finished, written, skipped, log.path, failed)


def _reusable(previous: Outcome, job: ClientJob, force: bool) -> bool:
    """The last result stands if nothing it depends on changed — unless it was an unexpected
    error (a crash or a worker that died), which a rerun retries."""
    if force or previous.fingerprint != job.fingerprint:
        return False
    return not (previous.failed and previous.trace)


def _execute(
    todo: list[ClientJob],
    options: Options,
    out_dir: Path,
    backend: str,
    jobs: int,
    scheduler: object | None,
) -> Iterator[Outcome]:
    def out(job: ClientJob) -> Path | None:
        return client_dir(out_dir, job.id) if options.reports else None

    # clients whose folder is already known to be unusable fail here, without a worker
    broken = [j for j in todo if j.problem is not None]
    for job in broken:
        yield run_client(job, options, None)
    ready = [j for j in todo if j.problem is None]
    if not ready:
        return
    if backend == "dask":
        yield from run_dask(ready, options, out, scheduler, workers=jobs)
    elif jobs > 1 and len(ready) > 1:
        warm_up({j.settings.jurisdiction for j in ready})  # before the workers are forked
        keep_for_good()  # the workers' collections then skip what they inherit (no copies)
        yield from run_pool(ready, options, out, min(jobs, len(ready)))
    else:
        yield from run_inline(ready, options, out)


def client_dir(out_dir: Path, client: str) -> Path:
    return out_dir / "clients" / client


def code_fingerprint() -> str:
    """SHA-256 of taxsim's own source and rule files: a new taxsim version redoes every client."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml", ".csv", ".txt") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    rules = root.parent / "rules"
    if rules.is_dir():
        for path in sorted(rules.glob("*.toml")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --- results kept between runs ----------------------------------------------------------------


def _encode(value: object) -> object:
    if isinstance(value, Decimal):
        return {"decimal": format(value, "f")}
    raise TypeError(f"not JSON: {type(value).__name__}")


def _decode(obj: dict[str, object]) -> object:
    if set(obj) == {"decimal"}:
        return Decimal(str(obj["decimal"]))
    return obj


def save_result(out_dir: Path, outcome: Outcome) -> Path:
    folder = client_dir(out_dir, outcome.client)
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "version": RESULT_VERSION,
        "client": outcome.client,
        "name": outcome.name,
        "fingerprint": outcome.fingerprint,
        "row": outcome.row,
        "findings": outcome.findings,
        "shorts": outcome.shorts,
        "outputs": outcome.outputs,
        "notes": outcome.notes,
        "trace": outcome.trace,
        "seconds": outcome.seconds,
    }
    path = folder / RESULT_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, default=_encode, ensure_ascii=False, indent=1), "utf-8")
    tmp.replace(path)  # a batch stopped midway never leaves half a result
    return path


def load_result(out_dir: Path, client: str) -> Outcome | None:
    """The client's result of an earlier run, or None (none, or unreadable: then redone)."""
    path = client_dir(out_dir, client) / RESULT_FILE
    try:
        data = json.loads(path.read_text("utf-8"), object_hook=_decode)
        if data.get("version") != RESULT_VERSION:
            return None
        return Outcome(
            client=data["client"],
            name=data["name"],
            row=data["row"],
            findings=data["findings"],
            shorts=data["shorts"],
            outputs=data["outputs"],
            notes=data.get("notes", []),
            trace=data["trace"],
            seconds=data["seconds"],
            fingerprint=data["fingerprint"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
