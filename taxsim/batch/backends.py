"""Where the clients run: in this process (one worker), in a pool of local worker processes,
or on a Dask distributed cluster.

Each backend takes the jobs and yields each client's outcome as soon as it is done (in the
order they finish). At most ``window`` clients are handed out at a time, so a batch of
thousands keeps little in flight.

The Dask backend ships each client's files to the worker and its outputs back (``ship``):
the workers need neither the clients folder nor the output folder, only taxsim installed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import replace
from pathlib import Path

from .clients import ClientFiles, ClientJob
from .job import Options, Outcome, failure, run_client

#: Gives a client's folder for its reports, or None where nothing is written.
OutFolder = Callable[[ClientJob], Path | None]


def run_inline(jobs: Sequence[ClientJob], options: Options, out: OutFolder) -> Iterator[Outcome]:
    for job in jobs:
        yield run_client(job, options, out(job))


class WorkerDied(RuntimeError):
    """A worker process ended without a result (killed, or out of memory)."""


def run_pool(
    jobs: Sequence[ClientJob], options: Options, out: OutFolder, workers: int
) -> Iterator[Outcome]:
    """Local worker processes (``ProcessPoolExecutor``). If a worker process dies, every
    client the pool held is run again alone in a fresh process: the one that kills its
    process fails (a rerun retries it), the others get their results; a new pool takes the
    rest."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    queue = list(reversed(jobs))
    window = max(2 * workers, 4)
    pool = ProcessPoolExecutor(max_workers=workers)
    running: dict[Future[Outcome], ClientJob] = {}
    try:
        while queue or running:
            while queue and len(running) < window:
                job = queue.pop()
                running[pool.submit(run_client, job, options, out(job))] = job
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            held: list[ClientJob] = []
            for future in done:
                job = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    held.append(job)
            if held:
                held += running.values()
                running.clear()
                pool.shutdown(cancel_futures=True)
                yield from (_alone(job, options, out(job)) for job in held)
                pool = ProcessPoolExecutor(max_workers=workers)
    finally:
        pool.shutdown(cancel_futures=True)


def _alone(job: ClientJob, options: Options, folder: Path | None) -> Outcome:
    """One client in a process of its own (after a worker died)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1) as single:
        try:
            return single.submit(run_client, job, options, folder).result()
        except BrokenProcessPool:
            return failure(job, WorkerDied(_DIED))


_DIED = "the worker process ended without a result (killed, or out of memory?); a rerun retries"


# --- Dask -------------------------------------------------------------------------------------


def run_dask(
    jobs: Sequence[ClientJob],
    options: Options,
    out: OutFolder,
    scheduler: object | None = None,
    workers: int = 2,
) -> Iterator[Outcome]:
    """On a Dask distributed cluster: ``scheduler`` an address (``tcp://host:8786``), a
    ``distributed.Client`` or ``Cluster``; None starts a local cluster of ``workers`` processes.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - the optional extra
        from ..model import TaxsimError

        raise TaxsimError(
            "--dask / --scheduler need dask.distributed: pip install 'taxsim[dask]'"
        ) from exc

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    elif isinstance(scheduler, Client):
        client = scheduler
    else:
        try:
            client = Client(scheduler, timeout="20s")  # an address or a Cluster
        except (OSError, TimeoutError, ValueError) as exc:
            from ..model import TaxsimError

            raise TaxsimError(f"--scheduler {scheduler}: cannot connect to it: {exc}") from None
    try:
        total = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        window = max(2 * total, 4)
        queue = list(reversed(jobs))
        pending = as_completed()
        held: dict[str, ClientJob] = {}

        def submit() -> None:
            job = queue.pop()
            reports = out(job) is not None
            future = client.submit(run_shipped, job, _payload(job), options, reports, pure=False)
            held[future.key] = job
            pending.add(future)

        for _ in range(min(window, len(queue))):
            submit()
        for future in pending:
            job = held.pop(future.key)
            try:
                outcome, files = future.result()
            except Exception as exc:  # a worker lost, a pickling problem: this client fails
                outcome, files = failure(job, WorkerDied(f"on the Dask cluster: {exc}")), {}
            folder = out(job)
            if folder is not None and files:
                folder.mkdir(parents=True, exist_ok=True)
                for name, data in files.items():
                    (folder / name).write_bytes(data)
                outcome.outputs = [str(folder / name) for name in files]
            yield outcome
            if queue:
                submit()
    finally:
        if scheduler is None or not isinstance(scheduler, Client):
            client.close()
        if cluster is not None:
            cluster.close()


def _payload(job: ClientJob) -> dict[str, bytes]:
    """The client's files, relative path → content."""
    return {rel: (job.folder / rel).read_bytes() for rel in job.hashes}


def relocate(job: ClientJob, folder: Path) -> ClientJob:
    """The same job with its folder moved to ``folder``."""

    def move(p: Path | None) -> Path | None:
        return None if p is None else folder / p.relative_to(job.folder)

    files = ClientFiles(
        ledger=move(job.files.ledger),
        corrections=move(job.files.corrections),
        previous=move(job.files.previous),
        onchain=move(job.files.onchain),
        platform_reports=[folder / p.relative_to(job.folder) for p in job.files.platform_reports],
        platforms=move(job.files.platforms),
        settings=move(job.files.settings),
    )
    return replace(job, folder=folder, files=files)


def run_shipped(
    job: ClientJob, payload: dict[str, bytes], options: Options, reports: bool
) -> tuple[Outcome, dict[str, bytes]]:
    """On a worker: the client's files into a temporary folder, the run, and the outputs back
    as bytes; paths in messages name the client's own folder again."""
    with tempfile.TemporaryDirectory(prefix="taxsim-batch-") as tmp:
        folder = Path(tmp) / "in" / job.id
        for rel, data in payload.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        out = Path(tmp) / "out"
        outcome = run_client(relocate(job, folder), options, out if reports else None)
        files = {p.name: p.read_bytes() for p in sorted(out.glob("*"))} if reports else {}
    outcome.outputs = []
    return _renamed(outcome, str(folder), str(job.folder)), files


def _renamed(outcome: Outcome, old: str, new: str) -> Outcome:
    """Every text of ``outcome`` with the path ``old`` replaced by ``new``."""

    def fix(value: object) -> object:
        return value.replace(old, new) if isinstance(value, str) else value

    outcome.row = {k: fix(v) for k, v in outcome.row.items()}
    outcome.findings = [{k: fix(v) for k, v in f.items()} for f in outcome.findings]
    outcome.shorts = [{k: fix(v) for k, v in s.items()} for s in outcome.shorts]
    outcome.notes = [str(fix(n)) for n in outcome.notes]
    outcome.trace = str(fix(outcome.trace))
    return outcome
