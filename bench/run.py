"""Benchmark: import + raw pass + corrected pass on generated ledgers, with peak memory.

Each size runs in a fresh subprocess so its peak resident memory (ru_maxrss) is its own.

    python bench/run.py --rows 10000 100000 1000000 [--jurisdiction de] [--jobs 2]

The generated ledger (bench/generate.py) has own transfers whose deposit side is missing; the
corrections file has one ``link_transfer`` per gap. Timed is what ``taxsim simulate --no-worth``
does (``cli.simulate.run_comparison``): reading the ledger ("import"), then applying the
corrections, the raw and the corrected pass and the per-year figures. With ``--jobs 2``
(default) the corrected pass runs in a worker forked after reading (ledgers of 20,000 rows or
more) while the raw pass runs in the main process; ``--jobs 1`` runs them one after the other.

Timings on a shared virtual machine vary with the host's load: ``--repeat`` runs each size
several times, and each line also shows ``ref``, the seconds a fixed pure-Python loop takes
just before the run (lower = faster machine at that moment), so runs can be compared.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(ledger: Path, corrections: Path, jurisdiction: str, jobs: int) -> dict[str, float]:
    from taxsim.cli.simulate import run_comparison
    from taxsim.rules import load_rules

    rules = load_rules(jurisdiction)
    read_at: list[float] = []
    t0 = time.perf_counter()

    def status(label: str) -> None:
        if label.endswith("transactions read"):
            read_at.append(time.perf_counter() - t0)

    run = run_comparison(
        ledger, rules, corrections, worth=False, full=False, jobs=jobs, status=status
    )
    total = time.perf_counter() - t0
    comp = run.comparison
    return {
        "rows": len(run.ledger.transactions),
        "import_s": read_at[0],
        "passes_s": total - read_at[0],
        "total_s": total,
        "peak_mib": peak_mib(),
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "shorts_raw": sum(f.short_count for f in comp.raw.figures.values()),
        "shorts_corrected": sum(f.short_count for f in comp.corrected.figures.values()),
        "corrections": len(run.corrections.corrections) if run.corrections else 0,
    }


def peak_mib() -> float:
    """Peak resident memory of this process. Linux: VmHWM, which starts afresh with the
    program; ``ru_maxrss`` would also count the parent's memory at the fork (here the parent
    that generated the ledger)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop (10 M additions): the machine's speed right now."""
    t0 = time.perf_counter()
    x = 0
    for i in range(10_000_000):
        x += i
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--jurisdiction", default="de")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="1 = both passes in one process")
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs per size (timings on shared machines vary)"
    )
    ap.add_argument("--child", nargs=2, metavar=("LEDGER", "CORRECTIONS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        ledger, corrections = map(Path, args.child)
        print(json.dumps(measure(ledger, corrections, args.jurisdiction, args.jobs)))
        return

    sys.path.insert(0, str(HERE))
    from generate import generate, write, write_corrections

    print(
        f"{'rows':>9} {'import':>8} {'then passes':>12} {'total':>8} {'peak MiB':>9} "
        f"{'worker MiB':>10} {'corrections':>11} {'shorts raw→corr.':>17} {'ref':>6}"
        f"  ({args.jurisdiction.upper()}, jobs={args.jobs})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.rows:
            ledger, corrections = Path(tmp, f"l{n}.csv"), Path(tmp, f"c{n}.toml")
            rows, gaps = generate(n, args.seed)
            write(rows, ledger)
            write_corrections(gaps, corrections)
            del rows
            cmd = [sys.executable, __file__, "--jurisdiction", args.jurisdiction]
            cmd += ["--jobs", str(args.jobs), "--child", str(ledger), str(corrections)]
            for _ in range(args.repeat):
                ref = reference_loop()
                run = subprocess.run(cmd, check=True, capture_output=True, text=True)
                m = json.loads(run.stdout)
                print(
                    f"{m['rows']:>9,} {m['import_s']:>7.2f}s {m['passes_s']:>11.2f}s "
                    f"{m['total_s']:>7.2f}s {m['peak_mib']:>9.0f} {m['worker_peak_mib']:>10.0f} "
                    f"{m['corrections']:>11} {m['shorts_raw']:>8} → {m['shorts_corrected']:<6} "
                    f"{ref:>5.2f}s",
                    flush=True,
                )


if __name__ == "__main__":
    main()
