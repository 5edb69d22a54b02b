"""Generate the sample client "Lena Berger" (and two tiny CoinTracking exports).

Run from anywhere: ``python samples/make_client.py``. The output is deterministic (seeded
``random.Random`` for hashes/addresses/seconds, exact ``Decimal`` arithmetic for every amount),
so re-running it reproduces the committed files byte for byte.

Price path (documented because every EUR value in the ledger comes from it): for each asset a
list of anchor prices (``ANCHORS``, EUR per unit, rounded from the real market history) is
interpolated *linearly in time* between anchors, and the result is rounded to 4 decimals. A leg's
EUR value is ``amount × price`` rounded to cents. The rows that plant the five gaps carry
hand-picked ROUND values instead (marked ``planted`` below) so their tax effect can be worked out
by hand in ``samples/client/README.md``; they also carry no network fee for the same reason.

The generator checks its own output: replaying ``ledger.csv`` must make exactly the five planted
wallet × asset balances negative, nothing else (see ``check_balances``).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from taxsim.readers import CANONICAL_COLUMNS
from taxsim.writers import CT_IMPORT_HEADER

HERE = Path(__file__).resolve().parent
CLIENT = HERE / "client"
CT_DIR = HERE / "cointracking"
TODAY = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
PREVIOUS_EXPORT_UNTIL = datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)

D = Decimal
BERLIN = ZoneInfo("Europe/Berlin")
Q8 = D("0.00000001")
CENT = D("0.01")

HEADER = CANONICAL_COLUMNS

# --- real, public addresses -------------------------------------------------------------
USDC_ETH = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
USDC_ARB = "0xaf88d065e77c8cc2239327c5edb3a432268e5831"
USDC_SOL = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
LINK_ETH = "0x514910771af9ca656af840dff83e8264ecf986ca"
UNISWAP_V3_ROUTER = "0xe592427a0aece92de3edee1f18e0157c05861564"
UNISWAP_UNIVERSAL_ROUTER = "0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad"
JUPITER_V6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QUWpLRvmHB"
ARBITRUM_DELAYED_INBOX = "0x4dbd4fc535ac27206064b68ffcf827b0a60bab3f"

# --- price anchors (EUR) ------------------------------------------------------------------
ANCHORS: dict[str, list[tuple[str, str]]] = {
    "BTC": [
        ("2021-01-01", "24000"),
        ("2021-04-15", "52000"),
        ("2021-07-15", "27000"),
        ("2021-11-10", "58000"),
        ("2022-06-30", "19000"),
        ("2022-11-15", "16000"),
        ("2023-06-30", "28000"),
        ("2023-12-31", "38000"),
        ("2024-03-14", "66000"),
        ("2024-08-05", "50000"),
        ("2024-12-17", "100000"),
        ("2025-04-08", "70000"),
        ("2025-10-06", "107000"),
        ("2026-11-27", "90000"),
    ],
    "ETH": [
        ("2021-01-01", "600"),
        ("2021-05-12", "3500"),
        ("2021-07-20", "1600"),
        ("2021-11-10", "4200"),
        ("2022-06-18", "950"),
        ("2022-12-31", "1150"),
        ("2023-06-30", "1700"),
        ("2023-12-31", "2100"),
        ("2024-03-12", "3700"),
        ("2024-09-06", "2100"),
        ("2024-12-16", "3800"),
        ("2025-04-08", "1400"),
        ("2025-08-23", "4100"),
        ("2026-11-27", "3000"),
    ],
    "SOL": [
        ("2021-01-01", "1.2"),
        ("2021-09-06", "160"),
        ("2021-11-06", "220"),
        ("2022-06-30", "32"),
        ("2022-12-29", "8.5"),
        ("2023-06-30", "17"),
        ("2023-12-31", "92"),
        ("2024-03-18", "190"),
        ("2024-08-05", "120"),
        ("2025-01-19", "250"),
        ("2025-04-08", "95"),
        ("2025-09-18", "210"),
        ("2026-11-27", "150"),
    ],
    "LINK": [
        ("2021-01-01", "9"),
        ("2021-05-10", "44"),
        ("2021-10-05", "25"),
        ("2022-06-30", "6"),
        ("2023-12-31", "14"),
        ("2024-03-11", "19"),
        ("2025-01-01", "20"),
        ("2025-04-08", "11"),
        ("2026-11-27", "15"),
    ],
    "USDC": [
        ("2021-01-01", "0.82"),
        ("2022-09-27", "1.04"),
        ("2023-07-18", "0.89"),
        ("2024-04-16", "0.94"),
        ("2025-01-13", "0.98"),
        ("2025-07-01", "0.85"),
        ("2026-11-27", "0.86"),
    ],
    "DOT": [
        ("2021-01-01", "7"),
        ("2021-05-14", "38"),
        ("2021-11-04", "45"),
        ("2022-06-30", "7"),
        ("2023-06-30", "4.6"),
        ("2024-03-14", "11"),
        ("2025-04-08", "3.6"),
        ("2026-11-27", "4.2"),
    ],
    "ADA": [
        ("2021-01-01", "0.15"),
        ("2021-05-16", "1.90"),
        ("2021-09-02", "2.40"),
        ("2022-06-30", "0.45"),
        ("2026-11-27", "0.60"),
    ],
}


def day(s: str, hms: str = "12:00:00") -> datetime:
    return datetime.fromisoformat(f"{s}T{hms}+00:00")


def price(asset: str, when: datetime) -> Decimal:
    """EUR per unit on the documented piecewise-linear path (4 decimals)."""
    points = [(day(d, "00:00:00"), D(p)) for d, p in ANCHORS[asset]]
    if when <= points[0][0]:
        return points[0][1]
    for (t0, p0), (t1, p1) in zip(points, points[1:], strict=False):
        if t0 <= when <= t1:
            frac = D((when - t0).total_seconds()) / D((t1 - t0).total_seconds())
            return (p0 + (p1 - p0) * frac).quantize(D("0.0001"))
    return points[-1][1]


def eur(asset: str, amount: Decimal, when: datetime) -> Decimal:
    if asset == "EUR":
        return amount
    return (amount * price(asset, when)).quantize(CENT)


def qty_for(asset: str, euros: Decimal, when: datetime) -> Decimal:
    return (euros / price(asset, when)).quantize(Q8, rounding=ROUND_DOWN)


def fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


# --- deterministic identifiers ----------------------------------------------------------
RNG = random.Random(20261127)
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def hexs(n: int) -> str:
    return "".join(RNG.choice("0123456789abcdef") for _ in range(n))


def evm_tx() -> str:
    return "0x" + hexs(64)


def evm_addr() -> str:
    return "0x" + hexs(40)


def sol_sig() -> str:
    return "".join(RNG.choice(B58) for _ in range(88))


def sol_addr() -> str:
    return "".join(RNG.choice(B58) for _ in range(44))


def btc_tx() -> str:
    return hexs(64)


def btc_addr() -> str:
    return "bc1q" + "".join(RNG.choice(BECH32) for _ in range(38))


def kraken_id() -> str:
    a = "ABCDEFGHJKLMNPQRSTUVWXYZ234567"
    return "-".join("".join(RNG.choice(a) for _ in range(n)) for n in (6, 5, 6))


def jitter(t: datetime) -> datetime:
    return t + timedelta(minutes=RNG.randrange(0, 50), seconds=RNG.randrange(0, 60))


LENA_EVM = evm_addr()
LENA_SOL = sol_addr()
LENA_BTC = btc_addr()
KRAKEN_HOT_EVM = evm_addr()
KRAKEN_DEPOSIT_EVM = evm_addr()
KRAKEN_HOT_BTC = btc_addr()
KRAKEN_HOT_SOL = sol_addr()
KRAKEN_DEPOSIT_SOL = sol_addr()
BITPANDA_DEPOSIT_BTC = btc_addr()
FAKE_USDC = evm_addr()  # the scam token's contract: not Circle's USDC
# address poisoning: same first 6 and last 4 characters as Lena's Kraken deposit address
POISON_ADDR = KRAKEN_DEPOSIT_EVM[:6] + hexs(30) + KRAKEN_DEPOSIT_EVM[-4:]
SCAM_SENDER = evm_addr()

PREFIX = {
    "Kraken": "K",
    "Binance": "BN",
    "Bitpanda": "BP",
    "MetaMask": "MM",
    "MetaMask Arbitrum": "MA",
    "Phantom": "PH",
    "Ledger": "LG",
}


@dataclass
class Row:
    time: datetime
    kind: str
    wallet: str
    buy: tuple[Decimal, str, Decimal] | None = None
    sell: tuple[Decimal, str, Decimal] | None = None
    fee: tuple[Decimal, str, Decimal] | None = None
    income_type: str = ""
    comment: str = ""
    txid: str = ""
    chain: str = ""
    contract: str = ""
    from_address: str = ""
    to_address: str = ""
    tag: str = ""  # name used by the README for planted / notable rows
    deleted: bool = False  # present in previous_export.csv only (gap 3)
    binance_hidden: bool = False  # present in binance_full_export.csv only (gap 5)
    id: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def cells(self) -> dict[str, str]:
        out = dict.fromkeys(HEADER, "")
        out.update(
            id=self.id,
            time=self.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            kind=self.kind,
            income_type=self.income_type,
            wallet=self.wallet,
            comment=self.comment,
            txid=self.txid,
            chain=self.chain,
            contract=self.contract,
            from_address=self.from_address,
            to_address=self.to_address,
        )
        for name, leg in (("buy", self.buy), ("sell", self.sell), ("fee", self.fee)):
            if leg:
                out[f"{name}_amount"], out[f"{name}_asset"], out[f"{name}_eur"] = (
                    fmt(leg[0]),
                    leg[1],
                    fmt(leg[2]),
                )
        return out


ROWS: list[Row] = []


def leg(amount: Decimal | str, asset: str, when: datetime, value: str | None = None):
    amount = D(amount)
    return (amount, asset, D(value) if value is not None else eur(asset, amount, when))


def add(row: Row) -> Row:
    ROWS.append(row)
    return row


# --- Kraken: savings plan, lumps, staking, sales ---------------------------------------
def kraken_buy(
    when: datetime, asset: str, euros: str, comment: str = "", qty: Decimal | None = None
) -> Row:
    euros_d = D(euros)
    fee = (euros_d * D("0.0026")).quantize(CENT)
    return add(
        Row(
            when,
            "trade",
            "Kraken",
            buy=leg(qty if qty is not None else qty_for(asset, euros_d, when), asset, when, euros),
            sell=leg(euros_d, "EUR", when),
            fee=leg(fee, "EUR", when),
            comment=comment,
            txid=kraken_id(),
        )
    )


def kraken_buy_qty(when: datetime, asset: str, qty: str, comment: str = "") -> Row:
    value = eur(asset, D(qty), when)
    return kraken_buy(when, asset, str(value), comment, qty=D(qty))


def kraken_sell(when: datetime, asset: str, qty: str, value: str | None = None, tag: str = ""):
    q = D(qty)
    proceeds = D(value) if value is not None else eur(asset, q, when)
    fee = (proceeds * D("0.0026")).quantize(CENT) if value is None else None
    return add(
        Row(
            when,
            "trade",
            "Kraken",
            buy=leg(proceeds, "EUR", when),
            sell=(q, asset, proceeds),
            fee=leg(fee, "EUR", when) if fee else None,
            txid=kraken_id(),
            tag=tag,
        )
    )


def fiat(when: datetime, wallet: str, kind: str, euros: str | Decimal, comment: str) -> Row:
    amount = D(euros)
    if kind == "withdrawal":  # never pay out more than is there (rounded down to 100 €)
        amount = min(amount, (balance_at(wallet, "EUR", when) // 100) * 100)
    legs = (
        {"buy": leg(amount, "EUR", when)}
        if kind == "deposit"
        else {"sell": leg(amount, "EUR", when)}
    )
    return add(
        Row(
            when,
            kind,
            wallet,
            comment=comment,
            txid=kraken_id() if wallet == "Kraken" else "",
            **legs,
        )
    )


def own_transfer(
    when: datetime,
    src: str,
    dst: str,
    asset: str,
    qty: str,
    fee: str | None,
    *,
    chain: str,
    txid: str,
    from_addr: str,
    to_addr: str,
    contract: str = "",
    arrive: timedelta = timedelta(minutes=20),
    tag: str = "",
    deleted: bool = False,
    src_chain: str = "",
    fee_asset: str | None = None,
    comment_src: str = "",
    value: str | None = None,
) -> tuple[Row, Row]:
    """Withdrawal row on ``src`` + deposit row on ``dst`` sharing the on-chain hash."""
    q = D(qty)
    out = add(
        Row(
            when,
            "withdrawal",
            src,
            sell=leg(q, asset, when, value),
            fee=leg(fee, fee_asset or asset, when) if fee else None,
            txid=txid,
            chain=src_chain,
            contract=contract if src_chain else "",
            from_address=from_addr if src_chain else "",
            to_address=to_addr,
            comment=comment_src or f"to {dst}",
            tag=tag + "_out" if tag else "",
        )
    )
    t_in = when + arrive
    inn = add(
        Row(
            t_in,
            "deposit",
            dst,
            buy=leg(q, asset, t_in, value),
            txid=txid,
            chain=chain if dst in ONCHAIN else "",
            contract=contract if dst in ONCHAIN else "",
            from_address=from_addr,
            to_address=to_addr if dst in ONCHAIN else "",
            comment=f"from {src}",
            tag=tag + "_in" if tag else "",
            deleted=deleted,
        )
    )
    return out, inn


ONCHAIN = {
    "MetaMask": "ethereum",
    "MetaMask Arbitrum": "arbitrum",
    "Phantom": "solana",
    "Ledger": "bitcoin",
}


def month_iter(start: tuple[int, int], end: tuple[int, int]):
    y, m = start
    while (y, m) <= end:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def build() -> None:
    # Kraken savings plan: EUR in on the 1st, BTC 150 € and ETH 100 € on the 3rd (0.26 % fee).
    for y, m in month_iter((2021, 1), (2026, 11)):
        fiat(
            jitter(datetime(y, m, 1, 7, 0, tzinfo=UTC)), "Kraken", "deposit", "260", "SEPA Sparplan"
        )
        t = jitter(datetime(y, m, 3, 9, 0, tzinfo=UTC))
        kraken_buy(t, "BTC", "150", "Sparplan BTC")
        kraken_buy(t + timedelta(minutes=3), "ETH", "100", "Sparplan ETH")

    # Bitpanda savings plan: 50 € DOT on the 15th from 2022.
    for y, m in month_iter((2022, 1), (2026, 11)):
        t = jitter(datetime(y, m, 14, 8, 0, tzinfo=UTC))
        fiat(t, "Bitpanda", "deposit", "50", "SEPA")
        t2 = jitter(datetime(y, m, 15, 10, 0, tzinfo=UTC))
        add(
            Row(
                t2,
                "trade",
                "Bitpanda",
                buy=leg(qty_for("DOT", D(50), t2), "DOT", t2, "50"),
                sell=leg("50", "EUR", t2),
                comment="Sparplan DOT",
            )
        )

    # ---- 2021 -------------------------------------------------------------------------
    t = day("2021-01-19", "10:12:40")
    fiat(t, "Kraken", "deposit", "7500", "SEPA Einmalbetrag")
    kraken_buy(day("2021-01-20", "08:31:02"), "BTC", "7480", "Einmalkauf BTC")
    fiat(day("2021-03-05", "09:02:11"), "Kraken", "deposit", "3000", "SEPA")
    kraken_buy(day("2021-03-06", "11:45:19"), "ETH", "2990", "ETH für MetaMask")
    own_transfer(
        day("2021-03-10", "18:02:11"),
        "Kraken",
        "MetaMask",
        "ETH",
        "1.5",
        "0.0035",
        chain="ethereum",
        txid=evm_tx(),
        from_addr=KRAKEN_HOT_EVM,
        to_addr=LENA_EVM,
    )
    fiat(day("2021-02-10", "13:20:00"), "Bitpanda", "deposit", "1000", "SEPA")
    t = day("2021-02-10", "13:41:27")
    add(
        Row(
            t,
            "trade",
            "Bitpanda",
            buy=leg(qty_for("ADA", D(1000), t), "ADA", t, "1000"),
            sell=leg("1000", "EUR", t),
        )
    )
    fiat(day("2021-04-01", "09:00:00"), "Bitpanda", "deposit", "500", "SEPA")
    t = day("2021-04-01", "09:14:51")
    add(
        Row(
            t,
            "trade",
            "Bitpanda",
            buy=leg(qty_for("LINK", D(500), t), "LINK", t, "500"),
            sell=leg("500", "EUR", t),
            tag="bp_link_buy",
        )
    )
    own_transfer(
        day("2021-07-01", "16:40:05"),
        "Kraken",
        "Ledger",
        "BTC",
        "0.2",
        "0.00015",
        chain="bitcoin",
        txid=btc_tx(),
        from_addr=KRAKEN_HOT_BTC,
        to_addr=LENA_BTC,
        arrive=timedelta(minutes=35),
        tag="ledger1",
    )
    fiat(day("2021-08-28", "10:00:00"), "Kraken", "deposit", "3000", "SEPA")
    kraken_buy(day("2021-08-28", "10:30:44"), "ETH", "2990")
    own_transfer(
        day("2021-09-01", "19:11:37"),
        "Kraken",
        "MetaMask",
        "ETH",
        "1.0",
        "0.0035",
        chain="ethereum",
        txid=evm_tx(),
        from_addr=KRAKEN_HOT_EVM,
        to_addr=LENA_EVM,
    )
    # Bitpanda: all ADA sold within the year (taxable gain)
    t = day("2021-09-02", "15:03:12")
    ada = [r for r in ROWS if r.buy and r.buy[1] == "ADA"][0].buy[0]
    add(
        Row(
            t,
            "trade",
            "Bitpanda",
            buy=leg(eur("ADA", ada, t), "EUR", t),
            sell=leg(ada, "ADA", t),
            tag="bp_ada_sale",
        )
    )
    ada_eur = ROWS[-1].buy[0]
    fiat(
        day("2021-09-06", "08:00:00"),
        "Bitpanda",
        "withdrawal",
        (ada_eur // 100) * 100,
        "Auszahlung Girokonto",
    )
    # MetaMask: swap 0.5 ETH -> LINK on Uniswap (one trade row with both legs)
    t = day("2021-10-05", "20:14:09")
    link_q = qty_for("LINK", eur("ETH", D("0.5"), t), t)
    add(
        Row(
            t,
            "trade",
            "MetaMask",
            buy=leg(link_q, "LINK", t, str(eur("ETH", D("0.5"), t))),
            sell=leg("0.5", "ETH", t),
            fee=leg("0.004", "ETH", t),
            comment="Uniswap",
            txid=evm_tx(),
            chain="ethereum",
            contract=LINK_ETH,
            from_address=LENA_EVM,
            to_address=UNISWAP_V3_ROUTER,
            tag="mm_link_swap",
        )
    )
    kraken_sell(day("2021-11-10", "14:22:31"), "BTC", "0.05", tag="k_btc_sale_2021")
    fiat(day("2021-11-12", "09:30:00"), "Kraken", "withdrawal", "5000", "Auszahlung Girokonto")

    # ---- 2022 -------------------------------------------------------------------------
    fiat(day("2022-01-25", "08:15:00"), "Kraken", "deposit", "4000", "SEPA")
    kraken_buy(day("2022-01-26", "09:40:00"), "ETH", "3990")
    own_transfer(
        day("2022-02-01", "17:55:21"),
        "Kraken",
        "MetaMask",
        "ETH",
        "1.5",
        "0.0035",
        chain="ethereum",
        txid=evm_tx(),
        from_addr=KRAKEN_HOT_EVM,
        to_addr=LENA_EVM,
    )
    # Binance: full history starts here; ledger.csv only has it from 2023-05 (gap 5)
    add(
        Row(
            day("2022-01-14", "11:02:44"),
            "deposit",
            "Binance",
            buy=leg("5000", "EUR", day("2022-01-14")),
            txid="D-220114-5519874",
            binance_hidden=True,
            comment="SEPA",
        )
    )
    add(
        Row(
            day("2022-01-15", "10:20:00"),
            "trade",
            "Binance",
            buy=(D("2.0"), "ETH", D("5000")),
            sell=(D("5000"), "EUR", D("5000")),
            txid="1043265571",
            binance_hidden=True,
            tag="bn_buy",
        )
    )
    t = day("2022-05-20", "19:48:02")  # planted-ish round: 1 ETH -> 2,000 USDC (1,900 €)
    add(
        Row(
            t,
            "trade",
            "MetaMask",
            buy=(D("2000"), "USDC", D("1900")),
            sell=(D("1.0"), "ETH", D("1900")),
            fee=leg("0.006", "ETH", t),
            comment="Uniswap",
            txid=evm_tx(),
            chain="ethereum",
            contract=USDC_ETH,
            from_address=LENA_EVM,
            to_address=UNISWAP_UNIVERSAL_ROUTER,
            tag="mm_usdc_swap",
        )
    )
    fiat(
        day("2022-11-14", "08:05:00"),
        "Kraken",
        "deposit",
        "8100",
        "SEPA (FTX-Pleite: ab in Cold Storage)",
    )
    kraken_buy_qty(day("2022-11-15", "09:12:45"), "BTC", "0.5", "Einmalkauf BTC")
    own_transfer(
        day("2022-11-20", "15:30:00"),
        "Kraken",
        "Ledger",
        "BTC",
        "0.5",
        "0.00015",
        chain="bitcoin",
        txid=btc_tx(),
        from_addr=KRAKEN_HOT_BTC,
        to_addr=LENA_BTC,
        arrive=timedelta(minutes=40),
        tag="ledger2",
        deleted=True,
    )

    # ---- 2023 -------------------------------------------------------------------------
    fiat(day("2023-01-09", "08:00:00"), "Kraken", "deposit", "600", "SEPA")
    kraken_buy_qty(day("2023-01-10", "10:05:33"), "SOL", "51")
    own_transfer(
        day("2023-01-12", "12:31:08"),
        "Kraken",
        "Phantom",
        "SOL",
        "50",
        "0.025",
        chain="solana",
        txid=sol_sig(),
        from_addr=KRAKEN_HOT_SOL,
        to_addr=LENA_SOL,
        arrive=timedelta(seconds=40),
    )
    # a correctly imported bridge: both sides present (different hashes on L1 and L2)
    t = day("2023-01-20", "21:03:50")
    add(
        Row(
            t,
            "withdrawal",
            "MetaMask",
            sell=leg("0.05", "ETH", t),
            fee=leg("0.002", "ETH", t),
            comment="Arbitrum bridge",
            txid=evm_tx(),
            chain="ethereum",
            from_address=LENA_EVM,
            to_address=ARBITRUM_DELAYED_INBOX,
            tag="bridge_ok_out",
        )
    )
    t2 = t + timedelta(minutes=12)
    add(
        Row(
            t2,
            "deposit",
            "MetaMask Arbitrum",
            buy=leg("0.05", "ETH", t2),
            comment="Arbitrum bridge",
            txid=evm_tx(),
            chain="arbitrum",
            from_address=LENA_EVM,
            to_address=LENA_EVM,
            tag="bridge_ok_in",
        )
    )
    # gap 5: Binance, API history starts 2023-05 (gradual decline)
    for tag, when, value, tid in (
        ("bn_sale1", day("2023-05-10", "12:30:00"), "850", "1287710043"),
        ("bn_sale2", day("2023-08-15", "13:45:00"), "800", "1319982567"),
        ("bn_sale3", day("2024-02-20", "09:15:00"), "1200", "1422290871"),
    ):
        add(
            Row(
                when,
                "trade",
                "Binance",
                buy=(D(value), "EUR", D(value)),
                sell=(D("0.5"), "ETH", D(value)),
                txid=tid,
                tag=tag,
            )
        )
    add(
        Row(
            day("2023-05-11", "08:00:00"),
            "withdrawal",
            "Binance",
            sell=(D("850"), "EUR", D("850")),
            txid="W-230511-7781120",
            comment="SEPA",
        )
    )
    # gap 1: scam token with the ticker USDC (address poisoning)
    add(
        Row(
            day("2023-06-02", "14:03:11"),
            "withdrawal",
            "MetaMask",
            sell=(D("5000000"), "USDC", D("4650000")),
            txid=evm_tx(),
            chain="ethereum",
            contract=FAKE_USDC,
            from_address=LENA_EVM,
            to_address=POISON_ADDR,
            tag="scam_out",
        )
    )
    add(
        Row(
            day("2023-06-09", "03:17:45"),
            "income",
            "MetaMask",
            income_type="airdrop",
            buy=(D("5000000"), "USDC", D("4650000")),
            txid=evm_tx(),
            chain="ethereum",
            contract=FAKE_USDC,
            from_address=SCAM_SENDER,
            to_address=LENA_EVM,
            tag="scam_airdrop",
        )
    )
    add(
        Row(
            day("2023-08-16", "08:00:00"),
            "withdrawal",
            "Binance",
            sell=(D("800"), "EUR", D("800")),
            txid="W-230816-7990412",
            comment="SEPA",
        )
    )
    fiat(day("2023-09-29", "08:00:00"), "Kraken", "deposit", "240", "SEPA")
    kraken_buy_qty(day("2023-10-01", "09:20:00"), "USDC", "251")
    own_transfer(
        day("2023-10-02", "17:10:26"),
        "Kraken",
        "Phantom",
        "USDC",
        "250",
        "1",
        chain="solana",
        txid=sol_sig(),
        from_addr=KRAKEN_HOT_SOL,
        to_addr=LENA_SOL,
        contract=USDC_SOL,
        arrive=timedelta(seconds=30),
        tag="ph_usdc",
    )
    t = day("2023-12-20", "20:44:12")  # a complete Jupiter swap: both legs in one row
    add(
        Row(
            t,
            "trade",
            "Phantom",
            buy=leg(
                qty_for("SOL", eur("USDC", D(250), t), t), "SOL", t, str(eur("USDC", D(250), t))
            ),
            sell=leg("250", "USDC", t),
            fee=leg("0.000005", "SOL", t),
            comment="Jupiter",
            txid=sol_sig(),
            chain="solana",
            contract=USDC_SOL,
            from_address=LENA_SOL,
            to_address=JUPITER_V6,
            tag="ph_jup_ok",
        )
    )
    t = day("2023-12-28", "10:10:10")
    link_bp = [r for r in ROWS if r.tag == "bp_link_buy"][0].buy[0]
    half = (link_bp / 2).quantize(Q8, rounding=ROUND_DOWN)
    add(
        Row(
            t,
            "trade",
            "Bitpanda",
            buy=leg(eur("LINK", half, t), "EUR", t),
            sell=leg(half, "LINK", t),
            tag="bp_link_sale",
        )
    )

    # ---- 2024 -------------------------------------------------------------------------
    add(
        Row(
            day("2024-02-21", "08:00:00"),
            "withdrawal",
            "Binance",
            sell=(D("1200"), "EUR", D("1200")),
            txid="W-240221-8412219",
            comment="SEPA",
        )
    )
    # gap 2: one-sided Jupiter swap 40 SOL -> 6,000 USDC; only the SOL outflow was imported
    jup = sol_sig()
    add(
        Row(
            day("2024-03-04", "19:22:05"),
            "withdrawal",
            "Phantom",
            sell=(D("40"), "SOL", D("5400")),
            txid=jup,
            chain="solana",
            from_address=LENA_SOL,
            to_address=JUPITER_V6,
            comment="",
            tag="jup_one_sided",
        )
    )
    own_transfer(
        day("2024-03-06", "09:41:30"),
        "Phantom",
        "Kraken",
        "USDC",
        "6000",
        None,
        chain="solana",
        txid=sol_sig(),
        from_addr=LENA_SOL,
        to_addr=KRAKEN_DEPOSIT_SOL,
        contract=USDC_SOL,
        arrive=timedelta(minutes=2),
        tag="ph_send",
        src_chain="solana",
        value="5460",
    )
    kraken_sell(day("2024-03-07", "10:02:00"), "USDC", "6000", value="5460", tag="k_usdc_sale")
    kraken_sell(day("2024-03-12", "16:40:00"), "ETH", "0.5", tag="k_eth_sale_2024")
    fiat(day("2024-03-14", "08:00:00"), "Kraken", "withdrawal", "7000", "Auszahlung Girokonto")
    t = day("2024-03-18", "19:05:45")
    mm_link = [r for r in ROWS if r.tag == "mm_link_swap"][0].buy[0]
    add(
        Row(
            t,
            "trade",
            "MetaMask",
            buy=leg(
                qty_for("ETH", eur("LINK", mm_link, t), t), "ETH", t, str(eur("LINK", mm_link, t))
            ),
            sell=leg(mm_link, "LINK", t),
            fee=leg("0.003", "ETH", t),
            comment="Uniswap",
            txid=evm_tx(),
            chain="ethereum",
            contract=LINK_ETH,
            from_address=LENA_EVM,
            to_address=UNISWAP_UNIVERSAL_ROUTER,
            tag="mm_link_back",
        )
    )
    # gap 3: Ledger -> Bitpanda 0.6 BTC (the 0.5 BTC deposit of 2022-11-20 was deleted)
    own_transfer(
        day("2024-04-16", "11:20:00"),
        "Ledger",
        "Bitpanda",
        "BTC",
        "0.6",
        None,
        chain="bitcoin",
        txid=btc_tx(),
        from_addr=LENA_BTC,
        to_addr=BITPANDA_DEPOSIT_BTC,
        arrive=timedelta(minutes=45),
        tag="lg_send",
        src_chain="bitcoin",
        comment_src="to Bitpanda",
        value="36000",
    )
    add(
        Row(
            day("2024-04-17", "09:30:00"),
            "trade",
            "Bitpanda",
            buy=(D("36000"), "EUR", D("36000")),
            sell=(D("0.6"), "BTC", D("36000")),
            tag="bp_btc_sale",
        )
    )
    fiat(day("2024-04-19", "08:00:00"), "Bitpanda", "withdrawal", "36000", "Auszahlung Girokonto")
    # gap 4: one-sided bridge to Arbitrum
    add(
        Row(
            day("2024-09-10", "17:26:40"),
            "withdrawal",
            "MetaMask",
            sell=(D("2.0"), "ETH", D("4400")),
            txid=evm_tx(),
            chain="ethereum",
            from_address=LENA_EVM,
            to_address=ARBITRUM_DELAYED_INBOX,
            comment="",
            tag="bridge_out",
        )
    )
    kraken_sell(day("2024-12-17", "13:00:00"), "BTC", "0.1", tag="k_btc_sale_2024")
    fiat(day("2024-12-19", "08:00:00"), "Kraken", "withdrawal", "9000", "Auszahlung Girokonto")

    # ---- 2025 / 2026 ------------------------------------------------------------------
    add(
        Row(
            day("2025-02-03", "18:12:09"),
            "trade",
            "MetaMask Arbitrum",
            buy=(D("4200"), "USDC", D("4050")),
            sell=(D("1.5"), "ETH", D("4050")),
            txid=evm_tx(),
            chain="arbitrum",
            contract=USDC_ARB,
            from_address=LENA_EVM,
            to_address=UNISWAP_UNIVERSAL_ROUTER,
            comment="Uniswap",
            tag="arb_swap",
        )
    )
    own_transfer(
        day("2025-03-01", "10:00:00"),
        "Kraken",
        "Ledger",
        "BTC",
        "0.1",
        "0.00015",
        chain="bitcoin",
        txid=btc_tx(),
        from_addr=KRAKEN_HOT_BTC,
        to_addr=LENA_BTC,
        arrive=timedelta(minutes=30),
        tag="ledger3",
    )
    own_transfer(
        day("2025-06-10", "18:20:00"),
        "Kraken",
        "MetaMask",
        "ETH",
        "0.5",
        "0.0035",
        chain="ethereum",
        txid=evm_tx(),
        from_addr=KRAKEN_HOT_EVM,
        to_addr=LENA_EVM,
    )
    kraken_sell(day("2025-08-23", "12:00:00"), "ETH", "0.3", tag="k_eth_sale_2025")
    fiat(day("2025-08-25", "08:00:00"), "Kraken", "withdrawal", "1200", "Auszahlung Girokonto")
    kraken_sell(day("2026-10-06", "12:00:00"), "BTC", "0.05", tag="k_btc_sale_2026")

    # Kraken ETH staking reward on the 28th: 0.3 % of the ETH held on Kraken at that moment.
    for y, m in month_iter((2021, 2), (2026, 11)):
        t = jitter(datetime(y, m, 28, 6, 0, tzinfo=UTC))
        if t > TODAY:
            break
        held = balance_at("Kraken", "ETH", t)
        reward = (held * D("0.003")).quantize(Q8, rounding=ROUND_DOWN)
        if reward > 0:
            add(
                Row(
                    t,
                    "income",
                    "Kraken",
                    income_type="staking",
                    buy=leg(reward, "ETH", t),
                    comment="ETH Staking",
                    txid=kraken_id(),
                )
            )


def effect(row: Row, wallet: str, asset: str) -> Decimal:
    delta = D(0)
    if row.buy and row.buy[1] == asset and row.wallet == wallet:
        delta += row.buy[0]
    if row.wallet == wallet:
        if row.sell and row.sell[1] == asset:
            delta -= row.sell[0]
        if row.fee and row.fee[1] == asset:
            delta -= row.fee[0]
    return delta


def balance_at(wallet: str, asset: str, when: datetime) -> Decimal:
    return sum(
        (
            effect(r, wallet, asset)
            for r in ROWS
            if r.time < when and not r.deleted and not r.binance_hidden
        ),
        D(0),
    )


def assign_ids(rows: list[Row]) -> None:
    counters: dict[str, int] = {}
    for r in rows:
        if r.binance_hidden:
            continue
        p = PREFIX[r.wallet]
        counters[p] = counters.get(p, 0) + 1
        r.id = f"{p}-{counters[p]:04d}"


def sort_key(r: Row) -> tuple[datetime, int, str]:
    rank = 0 if r.kind in ("deposit", "income") else 1 if r.kind == "trade" else 2
    return (r.time, rank, r.wallet)


def check_balances(rows: list[Row]) -> dict[tuple[str, str], Decimal]:
    """Replay; return the lowest balance of every wallet × asset that ever goes negative."""
    bal: dict[tuple[str, str], Decimal] = {}
    low: dict[tuple[str, str], Decimal] = {}
    for r in rows:
        for name, lg in (("buy", r.buy), ("sell", r.sell), ("fee", r.fee)):
            if not lg:
                continue
            key = (r.wallet, lg[1])
            bal[key] = bal.get(key, D(0)) + (lg[0] if name == "buy" else -lg[0])
            if bal[key] < 0:
                low[key] = min(low.get(key, D(0)), bal[key])
    return low


def write_canonical(path: Path, rows: list[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r.cells())


def ct_import_row(r: Row) -> list[str]:
    ctype = {"trade": "Trade", "deposit": "Deposit", "withdrawal": "Withdrawal"}[r.kind]

    def part(lg):
        return (fmt(lg[0]), lg[1]) if lg else ("", "")

    b, s, f = part(r.buy), part(r.sell), part(r.fee)
    return [
        ctype,
        *b,
        *s,
        *f,
        r.wallet,
        "",
        r.comment,
        r.time.strftime("%Y-%m-%d %H:%M:%S"),
        r.txid,
        fmt(r.buy[2]) if r.buy else "",
        fmt(r.sell[2]) if r.sell else "",
    ]


def write_binance_full(rows: list[Row]) -> None:
    with (CLIENT / "binance_full_export.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(CT_IMPORT_HEADER)
        for r in rows:
            if r.wallet == "Binance":
                w.writerow(ct_import_row(r))


def write_onchain(rows: list[Row]) -> dict[tuple[str, str], Decimal]:
    """Real chain balances today: the ledger's, plus what the planted gaps hide on chain."""
    contracts = {
        ("MetaMask", "USDC"): USDC_ETH,
        ("MetaMask", "LINK"): LINK_ETH,
        ("MetaMask Arbitrum", "USDC"): USDC_ARB,
        ("Phantom", "USDC"): USDC_SOL,
    }
    hidden = {  # units that exist on chain but not in ledger.csv
        ("Ledger", "BTC"): D("0.5"),  # gap 3: deposit deleted by hand
        ("MetaMask Arbitrum", "ETH"): D("2.0"),  # gap 4: bridge inflow never imported
        ("Phantom", "USDC"): D("6000"),  # gap 2: swap inflow never imported
    }
    result: dict[tuple[str, str], Decimal] = {}
    with (CLIENT / "onchain_balances.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["wallet", "chain", "asset", "contract", "balance", "as_of"])
        for wallet, chain in ONCHAIN.items():
            assets = sorted(
                {
                    leg[1]
                    for r in rows
                    if r.wallet == wallet
                    for leg in (r.buy, r.sell, r.fee)
                    if leg
                }
            )
            for asset in assets:
                # the fake USDC is not Circle's USDC: a chain explorer lists it separately
                real_rows = [r for r in rows if r.contract != FAKE_USDC]
                bal = sum((effect(r, wallet, asset) for r in real_rows), D(0))
                bal += hidden.get((wallet, asset), D(0))
                result[(wallet, asset)] = bal
                w.writerow(
                    [
                        wallet,
                        chain,
                        asset,
                        contracts.get((wallet, asset), ""),
                        fmt(bal),
                        "2026-11-27T12:00:00Z",
                    ]
                )
    return result


def write_cointracking_samples() -> None:
    """Tiny DE client "Max Vogel": the same 24 events as V2 trade list and as import format."""
    CT_DIR.mkdir(exist_ok=True)
    rng = random.Random(4711)
    events = []
    for i, (y, m) in enumerate(month_iter((2023, 1), (2024, 6))):
        t = datetime(y, m, 2, 8 + i % 3, 15, rng.randrange(60), tzinfo=UTC)
        q = qty_for("BTC", D(100), t)
        events.append(
            (
                "Trade",
                q,
                "BTC",
                D(100),
                "EUR",
                D("0.26"),
                "EUR",
                "Kraken",
                "",
                t,
                "T"
                + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ234567") for _ in range(5))
                + f"-{i:05d}",
                D(100),
                D(100),
            )
        )
    t = datetime(2023, 11, 5, 17, 30, 12, tzinfo=UTC)
    events.append(
        (
            "Withdrawal",
            None,
            "",
            D("0.012"),
            "BTC",
            D("0.00015"),
            "BTC",
            "Kraken",
            "to Ledger",
            t,
            hexs(64),
            None,
            eur("BTC", D("0.012"), t),
        )
    )
    events.append(
        (
            "Deposit",
            D("0.012"),
            "BTC",
            None,
            "",
            None,
            "",
            "Ledger Nano",
            "from Kraken",
            t + timedelta(minutes=40),
            "",
            eur("BTC", D("0.012"), t),
            None,
        )
    )
    t = datetime(2024, 3, 13, 15, 2, 9, tzinfo=UTC)
    v = eur("BTC", D("0.005"), t)
    events.append(
        (
            "Trade",
            v,
            "EUR",
            D("0.005"),
            "BTC",
            D("0.45"),
            "EUR",
            "Kraken",
            "",
            t,
            "TSALE-00001",
            v,
            v,
        )
    )
    t = datetime(2024, 5, 28, 6, 0, 0, tzinfo=UTC)
    events.append(
        (
            "Staking",
            D("0.0123"),
            "ETH",
            None,
            "",
            None,
            "",
            "Kraken",
            "",
            t,
            "",
            eur("ETH", D("0.0123"), t),
            None,
        )
    )
    events.sort(key=lambda e: e[9])

    def n(x):
        return "" if x is None else format(x, "f")

    with (CT_DIR / "trade_list_v2.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(
            [
                "Type",
                "Buy",
                "Cur.",
                "Sell",
                "Cur.",
                "Fee",
                "Cur.",
                "Exchange",
                "Group",
                "Comment",
                "Date",
                "Tx-ID",
            ]
        )
        for e in events:
            ty, b, bc, s, sc, f, fc, ex, com, t, tx, _bv, _sv = e
            w.writerow(
                [
                    ty,
                    n(b.quantize(Q8)) if b is not None else "-",
                    bc,
                    n(s.quantize(Q8)) if s is not None else "-",
                    sc,
                    n(f.quantize(Q8)) if f is not None else "-",
                    fc,
                    ex,
                    "",
                    com,
                    # both exports are in the account's zone (Europe/Berlin)
                    t.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M:%S"),
                    tx,
                ]
            )
    with (CT_DIR / "import_format.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(CT_IMPORT_HEADER)
        for e in events:
            ty, b, bc, s, sc, f, fc, ex, com, t, tx, bv, sv = e
            w.writerow(
                [
                    ty,
                    n(b),
                    bc,
                    n(s),
                    sc,
                    n(f),
                    fc,
                    ex,
                    "",
                    com,
                    t.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S"),
                    tx,
                    n(bv),
                    n(sv),
                ]
            )


def main() -> None:
    build()
    ROWS.sort(key=sort_key)
    assign_ids(ROWS)
    ledger = [r for r in ROWS if not r.deleted and not r.binance_hidden]
    previous = [r for r in ROWS if not r.binance_hidden and r.time <= PREVIOUS_EXPORT_UNTIL]
    assert all(r.time <= TODAY for r in ROWS)
    lows = check_balances(ledger)
    expected = {
        ("MetaMask", "USDC"),
        ("Phantom", "USDC"),
        ("Ledger", "BTC"),
        ("MetaMask Arbitrum", "ETH"),
        ("Binance", "ETH"),
    }
    assert set(lows) == expected, lows
    assert not check_balances(previous).keys() - {("MetaMask", "USDC"), ("Binance", "ETH")}
    assert not check_balances([r for r in ROWS if r.wallet == "Binance"])
    CLIENT.mkdir(exist_ok=True)
    write_canonical(CLIENT / "ledger.csv", ledger)
    write_canonical(CLIENT / "previous_export.csv", previous)
    write_binance_full([r for r in ROWS if r.wallet == "Binance"])
    onchain = write_onchain(ledger)
    write_cointracking_samples()
    ids = {r.tag: r.id for r in ROWS if r.tag}
    (CLIENT / "ids.txt").write_text(
        "".join(f"{k}={v}\n" for k, v in sorted(ids.items())), encoding="utf-8"
    )
    print(f"ledger.csv: {len(ledger)} rows; previous_export.csv: {len(previous)} rows")
    for k, v in sorted(lows.items()):
        print("negative", k, v)
    for k, v in sorted(onchain.items()):
        print("onchain", k, v)


if __name__ == "__main__":
    main()
