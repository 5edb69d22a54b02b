"""Reading speed: the code at ``round-start`` against the current tree, in one run.

Each reading runs in a fresh process (``read_ledger`` only), alternating old and new, so both
see the same machine load; the median of ``--repeat`` runs is reported, and the ratio
new / old. Files: the generated canonical CSV, the same ledger in CoinTracking's import format
(plain ASCII, and with German comments in one row of five, which takes the boundary's slow
path), and an XLSX of the import format.

    git worktree add /tmp/i19-base round-start
    python bench/read_speed.py --base /tmp/i19-base --rows 200000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEW = HERE.parent
TIMER = (
    "import sys, time\n"
    "from taxsim.readers import read_ledger\n"
    "t = time.perf_counter()\n"
    "n = len(read_ledger(sys.argv[1]).transactions)\n"
    "print(time.perf_counter() - t, n)\n"
)


def make_files(folder: Path, rows: int, xlsx_rows: int) -> dict[str, Path]:
    sys.path.insert(0, str(NEW))
    sys.path.insert(0, str(HERE))
    from generate import generate, write  # type: ignore[import-not-found]

    from taxsim.readers import read_ledger
    from taxsim.writers import write_cointracking_import

    canonical = folder / "canonical.csv"
    generated, _ = generate(rows, 1)
    write(generated, canonical)
    txs = read_ledger(canonical).transactions
    ascii_import = folder / "import.csv"
    write_cointracking_import(txs, ascii_import)
    german = folder / "import_german.csv"
    umlauts = [
        t.with_(comment=f"Überweisung für Bärbel Nr. {i}") if i % 5 == 0 else t
        for i, t in enumerate(txs)
    ]
    write_cointracking_import(umlauts, german)
    xlsx = folder / "import.xlsx"
    _write_xlsx(ascii_import, xlsx, xlsx_rows)
    return {"canonical": canonical, "import": ascii_import, "import+umlauts": german,
            "import.xlsx": xlsx}  # fmt: skip


def _write_xlsx(source: Path, target: Path, rows: int) -> None:
    import csv

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    with source.open(encoding="utf-8", newline="") as f:
        for i, record in enumerate(csv.reader(f)):
            if i > rows:
                break
            ws.append(record)
    wb.save(target)


def once(tree: Path, path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMER, str(path)],
        capture_output=True, text=True, check=True, env={"PYTHONPATH": str(tree)},
    ).stdout.split()  # fmt: skip
    return float(out[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--base", type=Path, required=True, help="worktree at round-start")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--xlsx-rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", nargs="*", help="file names to time (default: all)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        files = make_files(Path(d), args.rows, args.xlsx_rows)
        print(f"{'file':<16}{'rows':>9}{'old s':>9}{'new s':>9}{'new/old':>9}")
        for name, path in files.items():
            if args.only and name not in args.only:
                continue
            old: list[float] = []
            new: list[float] = []
            for _ in range(args.repeat):  # alternating, so both see the same load
                old.append(once(args.base, path))
                new.append(once(NEW, path))
            o, n = statistics.median(old), statistics.median(new)
            rows = args.xlsx_rows if name.endswith("xlsx") else args.rows
            print(f"{name:<16}{rows:>9,}{o:>9.2f}{n:>9.2f}{n / o:>9.3f}", flush=True)


if __name__ == "__main__":
    main()
