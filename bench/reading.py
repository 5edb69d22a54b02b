"""Reading speed, old code against new, in one run: ``read_ledger`` on the same files with the
round-start checkout and with this checkout, alternating, each read in a fresh process.

    git worktree add /tmp/base round-start
    python bench/reading.py --base /tmp/base --rows 200000 --repeat 5

The files come from ``bench/generate.py`` (seeded): the canonical CSV, the same ledger in
CoinTracking's import format (``writers.write_cointracking_import``: EUR values, ISO dates) and
as a CoinTracking trade list V2 (German dates, no values). The machine is shared by several
processes: wall-clock time includes waiting for a core, so each line gives the fastest run's
CPU time of the reading process (``time.process_time``; what the code costs) and its wall time,
and the ratio new / old of the fastest CPU times; runs alternate old/new so drift hits both
alike.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_READ = """
import sys, time
from taxsim.readers import read_ledger
t0, c0 = time.perf_counter(), time.process_time()
ledger = read_ledger(sys.argv[1])
print(time.perf_counter() - t0, time.process_time() - c0, len(ledger.transactions))
"""


def write_files(rows: int, folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate, write
    from taxsim.readers import read_ledger
    from taxsim.writers import write_cointracking_import

    canonical = folder / "canonical.csv"
    write(generate(rows, 1)[0], canonical)
    txs = read_ledger(canonical).transactions
    imported = folder / "import.csv"
    write_cointracking_import(txs, imported, timezone="Europe/Berlin")
    v2 = folder / "trade_list_v2.csv"
    with imported.open(encoding="utf-8", newline="") as f, v2.open("w", newline="") as out:
        reader, writer = csv.reader(f), csv.writer(out, quoting=csv.QUOTE_ALL)
        next(reader)
        header = "Type,Buy,Cur.,Sell,Cur.,Fee,Cur.,Exchange,Group,Comment,Date,Tx-ID"
        writer.writerow(header.split(","))
        for r in reader:
            day, time = r[10].split(" ")
            y, m, d = day.split("-")
            writer.writerow([*r[:10], f"{d}.{m}.{y} {time}", r[11]])
    return {"canonical": canonical, "import": imported, "trade list v2": v2}


def read_once(checkout: Path, path: Path) -> tuple[float, float, int]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, "-c", _READ, str(path)], env=env, capture_output=True, text=True,
        check=True,
    ).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--base", type=Path, required=True, help="checkout of the old code")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = write_files(args.rows, Path(tmp))
        print(f"{args.rows:,} generated rows; fastest of {args.repeat} runs each, alternating")
        print("| file | rows read | old CPU (wall) | new CPU (wall) | new / old (CPU) |")
        print("|---|---:|---:|---:|---:|")
        for name, path in files.items():
            old: list[tuple[float, float]] = []
            new: list[tuple[float, float]] = []
            counts = set()
            for _ in range(args.repeat):
                for checkout, times in ((args.base, old), (ROOT, new)):
                    wall, cpu, n = read_once(checkout, path)
                    times.append((cpu, wall))
                    counts.add(n)
            assert len(counts) == 1, f"{name}: old and new read different row counts {counts}"
            (oc, ow), (nc, nw) = min(old), min(new)
            print(
                f"| {name} | {counts.pop():,} | {oc:.2f} s ({ow:.2f} s) | {nc:.2f} s ({nw:.2f} s) "
                f"| {nc / oc:.3f} |"
            )


if __name__ == "__main__":
    main()
