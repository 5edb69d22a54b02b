"""Benchmark of ``taxsim batch``: N generated clients, each a ledger of ROWS rows with gaps and
a corrections file (``bench/generate.py``, seed = client number), in one run:

* **simulate, one by one** — for each client the computation of ``taxsim simulate
  --no-worth`` (read the ledger and the corrections, raw and corrected pass, year figures:
  ``api.simulate`` with ``keep_disposals=False``), one after the other in one fresh process;
  the sum of these times divided by the number of workers is the strictest yardstick;
* **simulate command, one by one** — the command itself per client in one process (its
  options, the computation, its tables written to /dev/null), without the interpreter's
  start-up that running it once per client would add;
* **batch work, one by one** — each client's whole batch job (read, diagnose, both passes with
  every disposal, DAC8 view and checklist: ``batch.job.run_client``) one after the other, in
  one fresh process: the work the batch spreads over its workers;
* **batch** — ``run_batch`` with ``--jobs`` worker processes, in a fresh process: wall time,
  peak memory of the main process and of the largest worker (VmHWM / ru_maxrss).

Ratios: batch wall ÷ (simulate sum ÷ jobs), ÷ (simulate command sum ÷ jobs) and
÷ (batch work sum ÷ jobs). The
machine is shared: ``ref`` is the seconds a fixed pure-Python loop took before each phase.

``--interleaved N``: the clients in chunks of N; per chunk, in turn, ``simulate`` in
``jobs`` processes at once (each a share of the chunk's clients, one by one, started
together after their imports) and ``run_batch`` on the chunk. Both see the same load of the
shared machine and the same contention of ``jobs`` busy cores; the yardstick is the sum of
the simulate times measured so, ÷ jobs. Each chunk is a whole batch (pool start, triage
files), so the batch's fixed costs weigh more than in one run over all clients.

    python bench/batch.py --clients 1000 --rows 2000 --jobs 2
    python bench/batch.py --clients 1000 --rows 2000 --jobs 2 --interleaved 250
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from generate import generate, write, write_corrections  # noqa: E402
from run import peak_mib, reference_loop  # noqa: E402


def make_clients(folder: Path, clients: int, rows: int) -> None:
    """``clients`` folders (kept between runs when their number and size match)."""
    stamp = folder / f".made-{clients}-{rows}"
    if stamp.exists():
        return
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for n in range(1, clients + 1):
        client = folder / f"client-{n:05d}"
        client.mkdir()
        data, gaps = generate(rows, seed=n, gap_rate=0.02)
        write(data, client / "ledger.csv")
        write_corrections(gaps, client / "corrections.toml")
        jurisdiction = "at" if n % 4 == 0 else "de"
        (client / "client.toml").write_text(
            f'name = "Client {n}"\njurisdiction = "{jurisdiction}"\n', encoding="utf-8"
        )
    stamp.touch()


def child_simulate(folder: Path) -> dict[str, float]:
    from taxsim import api  # noqa: F401  (imported before the timing starts)

    total = 0.0
    for client in sorted(p for p in folder.iterdir() if p.is_dir()):
        started = time.perf_counter()
        _simulate_one(client)
        total += time.perf_counter() - started
    return {"seconds": total, "cpu": time.process_time(), "peak_mib": peak_mib()}


def child_command(folder: Path) -> dict[str, float]:
    """``taxsim simulate --no-worth`` per client as the command runs it — its options, the
    passes and its table on stdout (to /dev/null) — in this process: without the
    interpreter's start-up, which running the command once per client would add."""
    from taxsim.cli import _register

    _register()
    clients = sorted(p for p in folder.iterdir() if p.is_dir())
    _command_one(clients[0])  # warm-up, untimed: lazy imports of the command's output
    total = 0.0
    for client in clients:
        started = time.perf_counter()
        _command_one(client)
        total += time.perf_counter() - started
    return {"seconds": total, "cpu": time.process_time(), "peak_mib": peak_mib()}


def _command_one(client: Path) -> None:
    import contextlib

    from taxsim.cli import app

    toml = (client / "client.toml").read_text()
    jurisdiction = "at" if 'jurisdiction = "at"' in toml else "de"
    args = ["simulate", str(client / "ledger.csv"), "-j", jurisdiction, "--no-worth"]
    args += ["--corrections", str(client / "corrections.toml")]
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        app(args, standalone_mode=False)


def child_jobs(folder: Path) -> dict[str, float]:
    from taxsim.batch import Options, prepare_job, run_client

    total = 0.0
    for client in sorted(p for p in folder.iterdir() if p.is_dir()):
        started = time.perf_counter()
        outcome = run_client(prepare_job(client), Options(), None)
        assert not outcome.failed, outcome.row
        total += time.perf_counter() - started
    return {"seconds": total, "cpu": time.process_time(), "peak_mib": peak_mib()}


def child_paired(folder: Path, clients: int) -> dict[str, float]:
    """Per client, one after the other: simulate, then the batch job; CPU seconds of each.
    Alternating client by client, both see the same load of the shared machine, so their
    ratio holds where the phases' separate totals do not."""
    from taxsim.batch import Options, prepare_job, run_client

    folders = sorted(p for p in folder.iterdir() if p.is_dir())[:clients]
    _simulate_one(folders[0])  # warm-up, untimed: rule files and lazy imports of both
    run_client(prepare_job(folders[0]), Options(), None)
    simulate = batch = 0.0
    for client in folders:
        started = time.process_time()
        _simulate_one(client)
        simulate += time.process_time() - started
        started = time.process_time()
        outcome = run_client(prepare_job(client), Options(), None)
        batch += time.process_time() - started
        assert not outcome.failed, outcome.row
    return {"clients": len(folders), "simulate_cpu": simulate, "batch_cpu": batch}


def _simulate_one(client: Path) -> None:
    from taxsim import api

    toml = (client / "client.toml").read_text()
    jurisdiction = "at" if 'jurisdiction = "at"' in toml else "de"
    api.simulate(
        client / "ledger.csv",
        jurisdiction,
        client / "corrections.toml",
        keep_disposals=False,
        worth=False,
    )


def _wait_for(start_at: float) -> None:
    """Sleep until ``start_at`` (epoch seconds): the processes of one turn start together,
    after their imports."""
    time.sleep(max(0.0, start_at - time.time()))


def child_simulate_share(folder: Path, share: int, shares: int, start_at: float) -> dict:
    """Every ``shares``-th client from ``share`` on, one by one, from ``start_at``."""
    from taxsim import api  # noqa: F401  (imported before the timing starts)

    clients = sorted(p for p in folder.iterdir() if p.is_dir())[share::shares]
    _simulate_one(clients[0])  # warm-up, untimed, as the batch's workers are forked warm
    _wait_for(start_at)
    total = 0.0
    for client in clients:
        started = time.perf_counter()
        _simulate_one(client)
        total += time.perf_counter() - started
    return {"seconds": total, "clients": len(clients)}


def child_batch_at(folder: Path, out: Path, jobs: int, start_at: float) -> dict[str, float]:
    from taxsim.batch import run_batch  # noqa: F401

    if out.exists():
        shutil.rmtree(out)
    _wait_for(start_at)
    return child_batch(folder, out, jobs)


def child_batch(folder: Path, out: Path, jobs: int) -> dict[str, float]:
    from taxsim.batch import run_batch

    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    result = run_batch(folder, out, jobs=jobs)
    wall = time.perf_counter() - started
    assert not result.failed and result.skipped == 0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": wall,
        # CPU seconds of the main process and of all its workers: the work done, whatever
        # share of the two cores the other users of the machine left
        "cpu": time.process_time() + children.ru_utime + children.ru_stime,
        "peak_mib": peak_mib(),
        "worker_mib": children.ru_maxrss / 1024,  # the largest worker; KiB on Linux
    }


def fresh(
    phase: str, folder: Path, out: Path, jobs: int, extra: list[str] | None = None
) -> dict[str, float]:
    """Run one phase in a new Python process (no memory or caches carried over)."""
    return _result(_spawn(phase, folder, out, jobs, extra or []), phase)


def _spawn(phase: str, folder: Path, out: Path, jobs: int, extra: list[str]) -> subprocess.Popen:
    """Start one phase in a new Python process; ``_result`` waits for what it prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, __file__, "--child", phase, "--folder", str(folder), "--out", str(out)]
    cmd += ["--jobs", str(jobs), *extra]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(proc: subprocess.Popen, phase: str = "child") -> dict[str, float]:
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{err}")
    return json.loads(out.strip().splitlines()[-1])


#: Seconds the processes of a turn get for their imports before they start together.
_LEAD = 3.0


def interleaved(folder: Path, work: Path, chunk: int, jobs: int) -> tuple[float, float]:
    """Per chunk: simulate in ``jobs`` processes at once, then the batch; returns (simulate
    sum ÷ jobs, batch wall), summed over the chunks, and prints each chunk."""
    clients = sorted(p for p in folder.iterdir() if p.is_dir())
    yard = wall = 0.0
    for n, first in enumerate(range(0, len(clients), chunk), 1):
        part = work / "chunk"
        if part.exists():
            shutil.rmtree(part)
        part.mkdir(parents=True)
        for client in clients[first : first + chunk]:
            (part / client.name).symlink_to(client)
        start = time.time() + _LEAD
        procs = [
            _spawn("simulate-share", part, work / "out", jobs,
                   ["--share", str(k), "--start-at", str(start)])
            for k in range(jobs)
        ]  # fmt: skip
        shares = [_result(p) for p in procs]
        sim = sum(r["seconds"] for r in shares) / jobs
        start = time.time() + _LEAD
        batch = _result(_spawn("batch-at", part, work / "out", jobs, ["--start-at", str(start)]))[
            "seconds"
        ]
        yard, wall = yard + sim, wall + batch
        print(
            f"  chunk {n}: {len(list(part.iterdir()))} clients, simulate sum ÷ {jobs} "
            f"{sim:.1f} s, batch {batch:.1f} s, ratio {batch / sim:.3f}",
            flush=True,
        )
    return yard, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path("/tmp/taxsim-bench-batch"))
    ap.add_argument("--repeat", type=int, default=1, help="rounds of the three phases, in turn")
    ap.add_argument(
        "--paired",
        type=int,
        default=0,
        help="only: simulate and the batch job alternating client by client, on this many "
        "clients (CPU ratio robust to a shared machine)",
    )
    ap.add_argument(
        "--interleaved",
        type=int,
        default=0,
        help="only: chunks of this many clients, simulate (in --jobs processes at once) and "
        "the batch in turn per chunk (wall ratio robust to a shared machine)",
    )
    ap.add_argument(
        "--child",
        choices=["simulate", "command", "jobs", "batch", "paired", "simulate-share", "batch-at"],
    )
    ap.add_argument("--share", type=int, default=0)
    ap.add_argument("--start-at", type=float, default=0.0)
    ap.add_argument("--folder", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.child:
        run = {
            "simulate": lambda: child_simulate(args.folder),
            "command": lambda: child_command(args.folder),
            "jobs": lambda: child_jobs(args.folder),
            "batch": lambda: child_batch(args.folder, args.out, args.jobs),
            "paired": lambda: child_paired(args.folder, args.paired),
            "simulate-share": lambda: child_simulate_share(
                args.folder, args.share, args.jobs, args.start_at
            ),
            "batch-at": lambda: child_batch_at(args.folder, args.out, args.jobs, args.start_at),
        }[args.child]
        print(json.dumps(run()))
        return

    folder = args.work / "clients"
    started = time.perf_counter()
    make_clients(folder, args.clients, args.rows)
    made = time.perf_counter() - started
    print(f"{args.clients} clients × {args.rows} rows in {folder} ({made:.0f} s)")
    if args.interleaved:
        for round_ in range(1, args.repeat + 1):
            yard, wall = interleaved(folder, args.work, args.interleaved, args.jobs)
            print(
                f"round {round_}: simulate sum ÷ {args.jobs} = {yard:.1f} s, batch {wall:.1f} s, "
                f"ratio {wall / yard:.3f}",
                flush=True,
            )
        return
    if args.paired:
        for round_ in range(1, args.repeat + 1):
            r = fresh(
                "paired", folder, args.work / "out", args.jobs, ["--paired", str(args.paired)]
            )
            print(
                f"round {round_}: {r['clients']:.0f} clients, simulate {r['simulate_cpu']:.2f} "
                f"CPU s, batch job {r['batch_cpu']:.2f} CPU s, "
                f"ratio {r['batch_cpu'] / r['simulate_cpu']:.3f}",
                flush=True,
            )
        return
    for round_ in range(1, args.repeat + 1):
        results = {}
        for phase in ("simulate", "command", "jobs", "batch"):
            ref = reference_loop()
            results[phase] = fresh(phase, folder, args.work / "out", args.jobs)
            results[phase]["ref"] = ref
            print(f"  {phase}: {results[phase]}", flush=True)
        print(f"\nround {round_}:")
        report(results, args.clients, args.rows, args.jobs)


def report(results: dict[str, dict[str, float]], clients: int, rows: int, jobs: int) -> None:
    sim, work, batch = results["simulate"], results["jobs"], results["batch"]
    command = results["command"]
    yard, spread = sim["seconds"] / jobs, work["seconds"] / jobs
    lines = [
        f"clients {clients}, rows {rows}, jobs {jobs}",
        f"simulate one by one: {sim['seconds']:.1f} s (÷ {jobs} = {yard:.1f} s), "
        f"peak {sim['peak_mib']:.0f} MiB, ref {sim['ref']:.2f} s",
        f"batch work one by one: {work['seconds']:.1f} s (÷ {jobs} = {spread:.1f} s), "
        f"peak {work['peak_mib']:.0f} MiB, ref {work['ref']:.2f} s",
        f"batch --jobs {jobs}: {batch['seconds']:.1f} s, peak {batch['peak_mib']:.0f} MiB main, "
        f"{batch['worker_mib']:.0f} MiB largest worker, ref {batch['ref']:.2f} s",
        f"simulate command one by one: {command['seconds']:.1f} s "
        f"(÷ {jobs} = {command['seconds'] / jobs:.1f} s), ref {command['ref']:.2f} s",
        f"ratio batch ÷ (simulate sum ÷ jobs) = {batch['seconds'] / yard:.2f}",
        f"ratio batch ÷ (simulate command sum ÷ jobs) = "
        f"{batch['seconds'] / (command['seconds'] / jobs):.2f}",
        f"ratio batch ÷ (batch work sum ÷ jobs) = {batch['seconds'] / spread:.2f}",
        f"CPU seconds: simulate {sim['cpu']:.1f}, batch work {work['cpu']:.1f}, "
        f"batch {batch['cpu']:.1f} (batch ÷ batch work {batch['cpu'] / work['cpu']:.2f}; "
        f"batch ÷ simulate {batch['cpu'] / sim['cpu']:.2f})",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
