"""Seeded generator of realistic ledgers in the taxsim canonical CSV format.

Several exchanges and self-custody wallets, EUR savings-plan buys, sales, swaps, own transfers
(withdrawal + deposit sharing a txid), staking income, network fees — and some gaps: a share of
the deposits is dropped so the ledger shows negative balances, as real client ledgers do.

    python bench/generate.py --rows 100000 --seed 1 -o /tmp/ledger.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from taxsim.readers import CANONICAL_COLUMNS

HEADER = CANONICAL_COLUMNS
EXCHANGES = ["Kraken", "Binance", "Bitpanda"]
WALLETS = {"Ledger": "bitcoin", "MetaMask": "ethereum", "Phantom": "solana"}
ASSETS = {"BTC": 30000, "ETH": 2000, "SOL": 80, "LINK": 12, "USDC": 1}
Q8 = Decimal("0.00000001")
C2 = Decimal("0.01")


def generate(
    rows: int, seed: int, gap_rate: float = 0.005
) -> tuple[list[dict[str, str]], list[tuple[str, str, str]]]:
    """Ledger rows and the gaps planted: (withdrawal id, receiving wallet, chain)."""
    rnd = random.Random(seed)
    price = {a: Decimal(p) for a, p in ASSETS.items()}
    held: dict[tuple[str, str], Decimal] = {}
    out: list[dict[str, str]] = []
    gaps: list[tuple[str, str, str]] = []
    t = datetime(2021, 1, 1, tzinfo=UTC)
    step = timedelta(seconds=max(1, int(6 * 365 * 86400 / max(rows, 1))))
    n = 0

    def row(kind: str, wallet: str, **kw: object) -> None:
        nonlocal n
        n += 1
        r = dict.fromkeys(HEADER, "")
        r.update(id=f"G{n:08d}", time=t.strftime("%Y-%m-%dT%H:%M:%SZ"), kind=kind, wallet=wallet)
        r.update({k: format(v, "f") if isinstance(v, Decimal) else str(v) for k, v in kw.items()})
        out.append(r)

    while len(out) < rows:
        t += step
        for a in price:
            if a != "USDC":
                drift = Decimal(rnd.randint(-200, 203)) / 10000
                base = Decimal(ASSETS[a])  # random walk kept within 0.2× … 5× of the start
                moved = (price[a] * (1 + drift)).quantize(C2)
                price[a] = min(max(moved, base / 5, Decimal("0.5")), base * 5)
        ex = rnd.choice(EXCHANGES)
        asset = rnd.choice(["BTC", "ETH", "SOL", "LINK"])
        p = price[asset]
        roll = rnd.random()
        if roll < 0.40:  # savings-plan buy
            eur = Decimal(rnd.randint(25, 2000))
            qty = (eur / p).quantize(Q8)
            fee = (eur * Decimal("0.0026")).quantize(C2)
            row(
                "trade",
                ex,
                buy_amount=qty,
                buy_asset=asset,
                buy_eur=eur,
                sell_amount=eur,
                sell_asset="EUR",
                sell_eur=eur,
                fee_amount=fee,
                fee_asset="EUR",
                fee_eur=fee,
            )
            held[(ex, asset)] = held.get((ex, asset), Decimal(0)) + qty
        elif roll < 0.62:  # sale of part of a holding
            have = held.get((ex, asset), Decimal(0))
            if have <= 0:
                continue
            qty = (have * Decimal(rnd.randint(5, 60)) / 100).quantize(Q8)
            eur = (qty * p).quantize(C2)
            if qty <= 0 or eur <= 0:
                continue
            row(
                "trade",
                ex,
                buy_amount=eur,
                buy_asset="EUR",
                buy_eur=eur,
                sell_amount=qty,
                sell_asset=asset,
                sell_eur=eur,
            )
            held[(ex, asset)] = have - qty
        elif roll < 0.74:  # swap into another asset, on an exchange or a self-custody wallet
            if rnd.random() < 0.4:
                ex = rnd.choice(list(WALLETS))
            have = held.get((ex, asset), Decimal(0))
            other = rnd.choice([a for a in ASSETS if a != asset])
            if have <= 0:
                continue
            qty = (have * Decimal(rnd.randint(10, 50)) / 100).quantize(Q8)
            eur = (qty * p).quantize(C2)
            got = (eur / price[other]).quantize(Q8)
            if qty <= 0 or got <= 0:
                continue
            row(
                "trade",
                ex,
                buy_amount=got,
                buy_asset=other,
                buy_eur=eur,
                sell_amount=qty,
                sell_asset=asset,
                sell_eur=eur,
            )
            held[(ex, asset)] = have - qty
            held[(ex, other)] = held.get((ex, other), Decimal(0)) + got
        elif roll < 0.90:  # own transfer exchange → self-custody wallet
            wallet, chain = rnd.choice(list(WALLETS.items()))
            have = held.get((ex, asset), Decimal(0))
            fee = Decimal("0.0001") if have > Decimal("0.01") else Decimal(0)
            qty = (have * Decimal(rnd.randint(20, 90)) / 100).quantize(Q8)
            if qty <= 0 or have < qty + fee:
                continue
            txid = f"0x{rnd.getrandbits(256):064x}"
            fee_kw = {}
            if fee:
                fee_kw = dict(fee_amount=fee, fee_asset=asset, fee_eur=(fee * p).quantize(C2))
            row("withdrawal", ex, sell_amount=qty, sell_asset=asset, txid=txid, **fee_kw)
            held[(ex, asset)] = have - qty - fee
            if rnd.random() >= gap_rate:
                t += timedelta(minutes=rnd.randint(1, 90))
                row("deposit", wallet, buy_amount=qty, buy_asset=asset, txid=txid, chain=chain)
            else:  # a gap: the deposit was never imported
                gaps.append((out[-1]["id"], wallet, chain))
            held[(wallet, asset)] = held.get((wallet, asset), Decimal(0)) + qty
        else:  # staking reward
            qty = (Decimal(rnd.randint(1, 5000)) / Decimal(10**6) * 100 / p).quantize(Q8)
            if qty <= 0:
                continue
            row(
                "income",
                ex,
                income_type="staking",
                buy_amount=qty,
                buy_asset=asset,
                buy_eur=(qty * p).quantize(C2),
            )
            held[(ex, asset)] = held.get((ex, asset), Decimal(0)) + qty
    kept = out[:rows]
    ids = {r["id"] for r in kept}
    return kept, [g for g in gaps if g[0] in ids]


def write_corrections(gaps: list[tuple[str, str, str]], path: Path) -> None:
    """One ``link_transfer`` per planted gap: the missing deposit side of the transfer."""
    with path.open("w", encoding="utf-8") as fh:
        for n, (withdrawal, wallet, chain) in enumerate(gaps, 1):
            fh.write(
                f'[[correction]]\nid = "G{n}"\nkind = "link_transfer"\n'
                f'reason = "deposit side of the transfer missing from the import"\n'
                f'withdrawal = "{withdrawal}"\nto_wallet = "{wallet}"\nchain = "{chain}"\n\n'
            )


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, HEADER)
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--corrections", type=Path, help="also write a corrections file for the gaps")
    args = ap.parse_args()
    rows, gaps = generate(args.rows, args.seed)
    write(rows, args.output)
    if args.corrections:
        write_corrections(gaps, args.corrections)


if __name__ == "__main__":
    main()
