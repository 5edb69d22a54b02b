"""Generate ``samples/batch/``: twelve client folders for ``taxsim batch`` (docs/batch.md).

Run from the repository root: ``python samples/batch/make_batch.py``. Deterministic: the
folders are built from the committed samples (``samples/client``, ``samples/cointracking``) and
from ``bench/generate.py`` with fixed seeds, so re-running reproduces them byte for byte.

| folder | what | expected status |
|---|---|---|
| berger-lena | the sample client (DE, 471 rows, five gaps corrected, DAC8 reports) | check DAC8 |
| berger-lena-draft | the same ledger without its corrections | to correct |
| vogel-max | CoinTracking trade list V2, no EUR values (DE, 22 rows) | ready or to correct |
| hofer-anna | AT, 1,200 generated rows, every gap corrected | ready |
| gruber-paul | AT, 600 rows, gaps, no corrections | to correct |
| schmidt-eva | DE, 500 rows, no gaps | ready |
| mueller-tom | DE, 1,500 rows, only half of the gaps corrected | open shorts |
| weber-lisa | DE, 400 rows, every gap corrected, church tax BW | ready |
| koch-jan | DE, 700 rows as an XLSX ledger, gaps, no corrections | to correct |
| bauer-mia | AT, 900 rows, ledger named by client.toml [files] | to correct |
| bad-ledger | DE, a date that is no date in row 58 | error (file, row 58, column time) |
| bad-settings | client.toml with a float as taxable income | error (client.toml, taxable_income) |
"""

from __future__ import annotations

import csv
import shutil
import sys
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from generate import ASSETS, generate, write, write_corrections  # noqa: E402  (bench/generate.py)

LENA_FILES = (
    "ledger.csv", "corrections.toml", "previous_export.csv", "onchain_balances.csv",
    "binance_full_export.csv", "carf_kraken_2026.xml", "dac8_kraken_2026.csv",
)  # fmt: skip


def settings(**values: object) -> str:
    """client.toml text: strings quoted, lists and numbers as written."""
    lines = []
    for key, value in values.items():
        if isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(str(v) for v in value)}]")
        elif isinstance(value, dict):
            lines.append(f"\n[{key}]")
            lines += [f'{k} = "{v}"' for k, v in value.items()]
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def folder(name: str, toml: str | None) -> Path:
    path = HERE / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir()
    if toml is not None:
        (path / "client.toml").write_text(toml, encoding="utf-8")
    return path


def sold_after_gap(data: list[dict[str, str]], gaps: list[tuple[str, str, str]]) -> None:
    """After each planted gap the receiving wallet swaps most of the units it never saw arrive
    into USDC on a DEX (``bench/generate.py`` rarely spends them): the gap becomes a short."""
    by_id = {row["id"]: row for row in data}
    for n, (withdrawal, wallet, chain) in enumerate(gaps, start=1):
        sent = by_id[withdrawal]
        asset, qty = sent["sell_asset"], Decimal(sent["sell_amount"])
        when = datetime.fromisoformat(sent["time"].replace("Z", "+00:00")) + timedelta(hours=3)
        sold = (qty * Decimal("0.9")).quantize(Decimal("0.00000001"))
        eur = (sold * Decimal(ASSETS[asset])).quantize(Decimal("0.01"))
        row = dict.fromkeys(data[0], "")
        row.update(
            id=f"DEX{n:05d}", time=when.strftime("%Y-%m-%dT%H:%M:%SZ"), kind="trade",
            wallet=wallet, chain=chain, buy_amount=format(eur, "f"), buy_asset="USDC",
            buy_eur=format(eur, "f"), sell_amount=format(sold, "f"), sell_asset=asset,
            sell_eur=format(eur, "f"), comment="DEX swap",
        )  # fmt: skip
        data.append(row)


def generated(
    name: str,
    toml: str,
    rows: int,
    seed: int,
    gap_rate: float,
    corrected: float = 0.0,
    ledger: str = "ledger.csv",
) -> None:
    """A ledger of ``bench/generate.py``; ``corrected``: the share of its gaps corrected."""
    path = folder(name, toml)
    data, gaps = generate(rows, seed, gap_rate)
    sold_after_gap(data, gaps)
    write(data, path / ledger)
    if corrected:
        write_corrections(gaps[: round(len(gaps) * corrected)], path / "corrections.toml")


def xlsx_ledger(name: str, toml: str, rows: int, seed: int, gap_rate: float) -> None:
    """The generated ledger as an XLSX workbook (every cell text, as exports hold it)."""
    import xlsxwriter

    path = folder(name, toml)
    data, gaps = generate(rows, seed, gap_rate)
    sold_after_gap(data, gaps)
    wb = xlsxwriter.Workbook(str(path / "ledger.xlsx"))
    wb.set_properties({"created": datetime(2026, 11, 27, 12, 0, 0)})  # byte-identical reruns
    ws = wb.add_worksheet("Ledger")
    header = list(data[0])
    for c, key in enumerate(header):
        ws.write_string(0, c, key)
    for r, row in enumerate(data, start=1):
        for c, key in enumerate(header):
            if row[key]:
                ws.write_string(r, c, row[key])
    wb.close()


def main() -> None:
    lena = ROOT / "samples" / "client"
    path = folder(
        "berger-lena",
        settings(
            name="Lena Berger", jurisdiction="de", years=[2023, 2024, 2025],
            church_tax="BY", marginal_rate="42%", language="de",
            taxable_income={"2023": "58000", "2024": "61000", "2025": "64000"},
        ),
    )  # fmt: skip
    for name in LENA_FILES:
        shutil.copyfile(lena / name, path / name)
    path = folder("berger-lena-draft", settings(name="Lena Berger (draft)", jurisdiction="de"))
    for name in ("ledger.csv", "previous_export.csv", "onchain_balances.csv"):
        shutil.copyfile(lena / name, path / name)
    path = folder("vogel-max", settings(name="Max Vogel", jurisdiction="de", language="en"))
    shutil.copyfile(ROOT / "samples" / "cointracking" / "trade_list_v2.csv", path / "ledger.csv")

    generated(
        "hofer-anna", settings(name="Anna Hofer", jurisdiction="at", timezone="Europe/Vienna"),
        1200, 11, 0.05, corrected=1.0,
    )  # fmt: skip
    generated(
        "gruber-paul", settings(name="Paul Gruber", jurisdiction="at", timezone="Europe/Vienna"),
        600, 12, 0.08,
    )  # fmt: skip
    generated(
        "schmidt-eva", settings(name="Eva Schmidt", jurisdiction="de", taxable_income="45000"),
        500, 13, 0.0,
    )  # fmt: skip
    generated(
        "mueller-tom", settings(name="Tom Müller", jurisdiction="de", marginal_rate="0.35"),
        1500, 14, 0.05, corrected=0.5,
    )  # fmt: skip
    generated(
        "weber-lisa", settings(name="Lisa Weber", jurisdiction="de", church_tax="BW"),
        400, 15, 0.1, corrected=1.0,
    )  # fmt: skip
    xlsx_ledger("koch-jan", settings(name="Jan Koch", jurisdiction="de"), 700, 16, 0.06)
    generated(
        "bauer-mia",
        settings(name="Mia Bauer", jurisdiction="at", files={"ledger": "export_2026.csv"}),
        900, 17, 0.05, ledger="export_2026.csv",
    )  # fmt: skip

    path = folder("bad-ledger", settings(name="Bad Ledger GmbH", jurisdiction="de"))
    data, _ = generate(300, 18, 0.0)
    data[56]["time"] = "2024-02-30T10:00:00Z"  # row 58 of the file (header = row 1)
    write(data, path / "ledger.csv")
    path = folder("bad-settings", 'name = "Ida Fuchs"\ntaxable_income = 52000.50\n')
    data, _ = generate(300, 19, 0.0)
    write(data, path / "ledger.csv")
    # the generator's own check: the planted bad row is where the README says
    with (HERE / "bad-ledger" / "ledger.csv").open(encoding="utf-8") as fh:
        assert list(csv.reader(fh))[57][1] == "2024-02-30T10:00:00Z"


if __name__ == "__main__":
    main()
