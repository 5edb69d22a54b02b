"""Benchmark: ``taxsim report`` against ``taxsim simulate`` on the same generated ledger.

    python bench/report.py [--rows 100000] [--repeat 2] [--old PATH]

Each command runs as the user runs it, in a fresh process (``python -m taxsim …``), in turns
(simulate, report PDF only, report PDF + all exports, again …) so that the load of the shared
machine hits all of them alike; the ratios report / simulate are what the issue bounds (PDF
≤ 3×, with every export ≤ 10×). ``--old PATH``: also time the report of another checkout (e.g.
``git worktree add /tmp/base round-start``) in the same turns, old and new side by side.

The ledger and corrections come from ``bench/generate.py`` (seeded).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(code: Path, args: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=str(code))
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "taxsim", *args],
        check=True,
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--old", type=Path, help="another checkout whose report is timed too")
    ap.add_argument(
        "--no-worth",
        action="store_true",
        help="pass --no-worth to every command (the worth of each correction re-runs the "
        "passes per correction and dominates both simulate and report on large ledgers)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="taxsim-bench-report-") as tmp:
        folder = Path(tmp)
        ledger, corrections = folder / "ledger.csv", folder / "corrections.toml"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--rows", str(args.rows), "--seed",
             str(args.seed), "-o", str(ledger), "--corrections", str(corrections)],
            check=True,
        )  # fmt: skip
        common = [str(ledger), "-c", str(corrections)]
        if args.no_worth:
            common.append("--no-worth")
        jobs = {
            "simulate": (ROOT, ["simulate", *common, "--json"]),
            "report pdf": (ROOT, ["report", *common, "-o", str(folder / "r.pdf"), "-q"]),
            "report pdf+exports": (
                ROOT,
                [
                    "report",
                    *common,
                    "-o",
                    str(folder / "e.pdf"),
                    "-q",
                    "--export-dir",
                    str(folder / "out"),
                ],
            ),  # fmt: skip
        }
        if args.old is not None:
            jobs["old report pdf"] = (
                args.old,
                ["report", *common, "-o", str(folder / "o.pdf"), "-q"],
            )
            jobs["old report pdf+exports"] = (
                args.old,
                ["report", *common, "-o", str(folder / "oe.pdf"), "-q",
                 "--export-dir", str(folder / "oout")],
            )  # fmt: skip
        times: dict[str, list[float]] = {name: [] for name in jobs}
        for turn in range(args.repeat):
            for name, (code, cmd) in jobs.items():
                seconds = run(code, cmd)
                times[name].append(seconds)
                print(f"turn {turn + 1}: {name:24} {seconds:7.2f} s", flush=True)
        base = statistics.median(times["simulate"])
        print(f"\n{args.rows:,} rows, median of {args.repeat} turns")
        print(f"{'command':24} {'seconds':>8} {'× simulate':>11}")
        for name, values in times.items():
            middle = statistics.median(values)
            print(f"{name:24} {middle:8.2f} {middle / base:10.2f}×")


if __name__ == "__main__":
    main()
