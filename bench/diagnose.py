"""Benchmark of ``taxsim diagnose``: the code of another checkout (default: tag ``round-start``,
checked out with ``git worktree add /tmp/<you>-base round-start``) against this one, on the same
generated ledger, each in a fresh process, alternating, in one run (the machine is shared:
compare the ratio, not the seconds).

    python bench/diagnose.py --rows 1000000 --base /tmp/i15-base [--repeat 1]

Times: reading the ledger (``read_ledger``) and the diagnosis (``diagnosis.diagnose``), which is
what ``taxsim diagnose`` does before printing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

_CHILD = """
import json, sys, time
from taxsim.readers import read_ledger
from taxsim import diagnosis as dg
t0 = time.perf_counter()
ledger = read_ledger(sys.argv[1])
t1 = time.perf_counter()
result = dg.diagnose(ledger)
t2 = time.perf_counter()
rows = len(getattr(result, "row_findings", []) or [])
print(json.dumps({"read": t1 - t0, "diagnose": t2 - t1, "findings": len(result.findings),
                  "row_findings": rows}))
"""


def run(tree: Path, ledger: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ledger)],
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--base", type=Path, required=True, help="checkout of the old code")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--ledger", type=Path, help="use this ledger instead of generating one")
    args = ap.parse_args()
    ledger = args.ledger
    if ledger is None:
        ledger = Path(f"/tmp/bench-diagnose-{args.rows}.csv")
        if not ledger.exists():
            subprocess.run(
                [sys.executable, str(HERE / "bench" / "generate.py"), "--rows", str(args.rows),
                 "-o", str(ledger)],
                check=True,
            )  # fmt: skip
    print(f"ledger {ledger} ({args.rows:,} rows)")
    print("| run | code | read | diagnose | read + diagnose | findings | row findings |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    totals: dict[str, list[float]] = {"old": [], "new": []}
    for n in range(args.repeat):
        order = (("old", args.base), ("new", HERE))
        for name, tree in order if n % 2 == 0 else reversed(order):
            start = time.perf_counter()
            r = run(tree, ledger)
            del start
            total = r["read"] + r["diagnose"]
            totals[name].append(r["diagnose"])
            print(
                f"| {n + 1} | {name} | {r['read']:.2f} s | {r['diagnose']:.2f} s | "
                f"{total:.2f} s | {r['findings']} | {r['row_findings']} |",
                flush=True,
            )
    old, new = min(totals["old"]), min(totals["new"])
    print(f"diagnose new/old: {new / old:.2f}× (best of {args.repeat})")


if __name__ == "__main__":
    main()
