"""Benchmark: import + raw pass + corrected pass on generated ledgers, with peak memory.

Each size runs in a fresh subprocess so its peak resident memory (ru_maxrss) is its own.

    python bench/run.py --rows 10000 100000 1000000 [--jurisdiction de] [--jobs 2]

The generated ledger (bench/generate.py) has own transfers whose deposit side is missing; the
corrections file has one ``link_transfer`` per such gap. Timed: reading the ledger, then
``whatif.compare`` — applying the corrections and running the raw and the corrected pass, as
``taxsim simulate`` does (with ``--jobs 2`` the corrected pass runs in a forked worker while
the raw pass runs in the main process; ``--jobs 1`` runs them one after the other).
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
    from taxsim.corrections import load_corrections
    from taxsim.readers import read_ledger
    from taxsim.rules import load_rules
    from taxsim.whatif import compare

    rules = load_rules(jurisdiction)
    t0 = time.perf_counter()
    raw = read_ledger(ledger)
    t1 = time.perf_counter()
    fixes = load_corrections(corrections)
    comp = compare(
        raw, rules, fixes, base_dir=corrections.parent, worth=False, full=False, jobs=jobs
    )
    t2 = time.perf_counter()
    return {
        "rows": len(raw.transactions),
        "import_s": t1 - t0,
        "passes_s": t2 - t1,
        "total_s": t2 - t0,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "shorts_raw": sum(f.short_count for f in comp.raw.figures.values()),
        "shorts_corrected": sum(f.short_count for f in comp.corrected.figures.values()),
        "corrections": len(fixes.corrections),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--jurisdiction", default="de")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="1 = both passes in one process")
    ap.add_argument("--child", nargs=2, metavar=("LEDGER", "CORRECTIONS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        ledger, corrections = map(Path, args.child)
        print(json.dumps(measure(ledger, corrections, args.jurisdiction, args.jobs)))
        return

    sys.path.insert(0, str(HERE))
    from generate import generate, write, write_corrections

    print(
        f"{'rows':>9} {'import':>8} {'corr.+passes':>13} {'total':>8} {'peak MiB':>9} "
        f"{'worker MiB':>10} {'corrections':>11} {'shorts raw→corr.':>17}"
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
            m = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            print(
                f"{m['rows']:>9,} {m['import_s']:>7.2f}s {m['passes_s']:>12.2f}s "
                f"{m['total_s']:>7.2f}s {m['peak_mib']:>9.0f} {m['worker_peak_mib']:>10.0f} "
                f"{m['corrections']:>11} {m['shorts_raw']:>8} → {m['shorts_corrected']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
