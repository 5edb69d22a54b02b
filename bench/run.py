"""Benchmark: import + raw pass + corrected pass on generated ledgers, with peak memory.

Each size runs in a fresh subprocess so its peak resident memory (ru_maxrss) is its own.

    python bench/run.py --rows 10000 100000 1000000 [--jurisdiction de]

Prints one line per size: rows, seconds for import / corrections / raw pass / corrected pass /
total, and the peak memory of the process.
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


def measure(ledger: Path, corrections: Path, jurisdiction: str) -> dict[str, float]:
    from taxsim.corrections import apply_corrections, load_corrections
    from taxsim.engine import run_pass
    from taxsim.readers import read_ledger
    from taxsim.rules import load_rules

    rules = load_rules(jurisdiction)
    t0 = time.perf_counter()
    raw = read_ledger(ledger)
    t1 = time.perf_counter()
    fixed = apply_corrections(raw, load_corrections(corrections), base_dir=corrections.parent)
    t2 = time.perf_counter()
    r = run_pass(raw.transactions, rules)
    t3 = time.perf_counter()
    c = run_pass(fixed.ledger.transactions, rules)
    t4 = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": len(raw.transactions),
        "import_s": t1 - t0,
        "corrections_s": t2 - t1,
        "raw_pass_s": t3 - t2,
        "corrected_pass_s": t4 - t3,
        "total_s": t4 - t0,
        "peak_mib": peak_kib / 1024,
        "disposals": len(r.disposals),
        "shorts_raw": sum(d.is_short for d in r.disposals),
        "shorts_corrected": sum(d.is_short for d in c.disposals),
        "corrections": len(fixed.by_correction),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--jurisdiction", default="de")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child", nargs=2, metavar=("LEDGER", "CORRECTIONS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        ledger, corrections = map(Path, args.child)
        print(json.dumps(measure(ledger, corrections, args.jurisdiction)))
        return

    sys.path.insert(0, str(HERE))
    from generate import generate, write, write_corrections

    print(
        f"{'rows':>9} {'import':>8} {'corr.':>7} {'raw':>8} {'corrected':>9} {'total':>8} "
        f"{'peak MiB':>9} {'shorts raw→corr.':>17}  ({args.jurisdiction.upper()})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.rows:
            ledger, corrections = Path(tmp, f"l{n}.csv"), Path(tmp, f"c{n}.toml")
            rows, gaps = generate(n, args.seed)
            write(rows, ledger)
            write_corrections(gaps, corrections)
            del rows
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--jurisdiction",
                    args.jurisdiction,
                    "--child",
                    str(ledger),
                    str(corrections),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            m = json.loads(out.stdout)
            print(
                f"{m['rows']:>9,} {m['import_s']:>7.2f}s {m['corrections_s']:>6.2f}s "
                f"{m['raw_pass_s']:>7.2f}s {m['corrected_pass_s']:>8.2f}s {m['total_s']:>7.2f}s "
                f"{m['peak_mib']:>9.0f} {m['shorts_raw']:>8} → {m['shorts_corrected']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
