"""Generate the sample client "Jonas Weber" in every CoinTracking layout taxsim reads.

Run from the repository root: ``python samples/ct_client/make_ct_client.py``. Deterministic
(seeded ``random.Random`` for ids, hashes, addresses and seconds; exact ``Decimal`` for every
amount): re-running it reproduces the committed files byte for byte.

One ledger (``ROWS``, 2021–2026, Europe/Berlin local times), written six times:

=====================  ===============================================================
``trade_list_v1.csv``   CoinTracking trade list, simple (11 columns, no id, no values)
``trade_list_v2.csv``   + Tx-ID (12 columns), minimal quoting and CRLF line ends
``trade_list_v3.csv``   extended (19 columns: Trade ID, Imported From, Add Date, addresses,
                        hashes)
``full_view_v4.csv``    the full trade view with values in BTC and EUR (no fee, no comment)
``import.csv``          CoinTracking's import format with the EUR values of both legs
``import.xlsx``         the same as an XLSX workbook with title rows above the header
=====================  ===============================================================

and ``previous_export_*.csv``: the same account exported on 31.12.2023 (V2, V3, import),
before one deposit was deleted and one row edited by hand.

Price path: for each asset a list of anchor prices (``ANCHORS``, EUR per unit, rounded from
the market history) is interpolated linearly in time and rounded to 4 decimals; a leg's EUR
value is ``amount × price`` rounded to cents, as CoinTracking shows the trade value: the same
value on both legs of a trade (a fiat leg is its own value). The planted rows carry round
values so README.md can work their effect out by hand.

The generator checks its output: replaying the ledger must make exactly the planted wallet ×
asset balances negative (``check_balances``), nothing else except the documented fee dust.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
D = Decimal
Q8 = D("0.00000001")
CENT = D("0.01")
BERLIN = ZoneInfo("Europe/Berlin")
PREVIOUS_EXPORT_AT = datetime(2023, 12, 31, 18, 0, 0)
RNG = random.Random(20261203)

# --- prices (EUR) ---------------------------------------------------------------------------
ANCHORS: dict[str, list[tuple[str, str]]] = {
    "BTC": [("2021-01-01", "24000"), ("2021-04-15", "52000"), ("2021-07-15", "27000"),
            ("2021-11-10", "58000"), ("2022-06-30", "19000"), ("2022-11-15", "16000"),
            ("2023-06-30", "28000"), ("2023-12-31", "38000"), ("2024-03-14", "66000"),
            ("2024-08-05", "50000"), ("2024-12-17", "100000"), ("2025-04-08", "70000"),
            ("2025-10-06", "107000"), ("2026-11-27", "90000")],
    "ETH": [("2021-01-01", "600"), ("2021-05-12", "3500"), ("2021-07-20", "1600"),
            ("2021-11-10", "4200"), ("2022-06-18", "950"), ("2022-12-31", "1150"),
            ("2023-06-30", "1700"), ("2023-12-31", "2100"), ("2024-03-12", "3700"),
            ("2024-09-06", "2100"), ("2024-12-16", "3800"), ("2025-04-08", "1400"),
            ("2025-08-23", "4100"), ("2026-11-27", "3000")],
    "SOL": [("2021-01-01", "1.2"), ("2021-11-06", "220"), ("2022-12-29", "8.5"),
            ("2023-12-31", "92"), ("2024-03-18", "190"), ("2024-08-05", "120"),
            ("2025-01-19", "250"), ("2025-04-08", "95"), ("2026-11-27", "150")],
    "USDC": [("2021-01-01", "0.82"), ("2022-09-27", "1.04"), ("2023-07-18", "0.89"),
             ("2024-04-16", "0.94"), ("2025-01-13", "0.98"), ("2025-07-01", "0.85"),
             ("2026-11-27", "0.86")],
    "ADA": [("2021-01-01", "0.15"), ("2021-09-02", "2.40"), ("2022-06-30", "0.45"),
            ("2023-06-30", "0.26"), ("2026-11-27", "0.60")],
    "BNB": [("2021-01-01", "32"), ("2021-05-10", "550"), ("2022-06-30", "210"),
            ("2023-06-30", "220"), ("2024-06-06", "650"), ("2026-11-27", "800")],
    "JUP": [("2024-01-31", "0.55"), ("2024-03-20", "1.10"), ("2024-08-05", "0.65"),
            ("2026-11-27", "0.45")],
    "ARB": [("2023-03-23", "1.20"), ("2024-01-31", "1.80"), ("2025-04-08", "0.28"),
            ("2026-11-27", "0.35")],
}  # fmt: skip
SAME_PRICE = {"USDT": "USDC", "USDC.E": "USDC", "WETH": "ETH"}


def price(asset: str, when: datetime) -> Decimal:
    points = [(datetime.fromisoformat(d), D(p)) for d, p in ANCHORS[SAME_PRICE.get(asset, asset)]]
    if when <= points[0][0]:
        return points[0][1]
    for (t0, p0), (t1, p1) in zip(points, points[1:], strict=False):
        if t0 <= when <= t1:
            frac = D((when - t0).total_seconds()) / D((t1 - t0).total_seconds())
            return (p0 + (p1 - p0) * frac).quantize(D("0.0001"))
    return points[-1][1]


def value(asset: str, amount: Decimal, when: datetime) -> Decimal:
    return amount if asset == "EUR" else (amount * price(asset, when)).quantize(CENT)


def qty_for(asset: str, euros: Decimal, when: datetime) -> Decimal:
    return (euros / price(asset, when)).quantize(Q8, rounding=ROUND_DOWN)


# --- identifiers --------------------------------------------------------------------------------
def hexs(n: int) -> str:
    return "".join(RNG.choice("0123456789abcdef") for _ in range(n))


def evm() -> str:
    return "0x" + hexs(40)


def kraken_id() -> str:
    a = "ABCDEFGHJKLMNPQRSTUVWXYZ234567"
    return "-".join("".join(RNG.choice(a) for _ in range(n)) for n in (6, 5, 6))


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
JONAS_EVM = evm()
JONAS_SOL = "".join(RNG.choice(B58) for _ in range(44))
JONAS_BTC = "bc1q" + "".join(RNG.choice("qpzry9x8gf2tvdw0s3jn54khce6mua7l") for _ in range(38))
KRAKEN_EVM = evm()
FAKE_USDC = evm()  # the scam token's contract (Circle's USDC is 0xa0b86991…eb48)
SCAM_SENDER = evm()
STARGATE_ROUTER = "0x8731d54e9d02c286767d56ac03e8037c07e01e98"  # Stargate Router (Ethereum)
UNISWAP_ROUTER = "0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad"  # Uniswap Universal Router
JUPITER_V6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QUWpLRvmHB"


# --- rows ---------------------------------------------------------------------------------------
@dataclass
class Row:
    type: str
    when: datetime  # Europe/Berlin wall-clock time
    exchange: str
    buy: Decimal | None = None
    buy_cur: str = ""
    sell: Decimal | None = None
    sell_cur: str = ""
    fee: Decimal | None = None
    fee_cur: str = ""
    group: str = ""
    comment: str = ""
    txid: str = ""  # V2/import Tx-ID (exchange id or on-chain hash)
    imported_from: str = ""
    from_address: str = ""
    to_address: str = ""
    tx_hash: str = ""
    value_eur: Decimal | None = None  # the trade value; None: from the price path
    plant: str = ""  # which planted gap this row belongs to (README), "" for ordinary rows

    def values(self) -> tuple[Decimal | None, Decimal | None]:
        """(buy value, sell value) in EUR, as CoinTracking shows them."""
        fiat = {"EUR"}
        if self.value_eur is not None:
            v = self.value_eur
        elif self.buy_cur in fiat and self.buy:
            v = self.buy
        elif self.sell_cur in fiat and self.sell:
            v = self.sell
        elif self.buy:
            v = value(self.buy_cur, self.buy, self.when)
        elif self.sell:
            v = value(self.sell_cur, self.sell, self.when)
        else:
            v = None
        return (v if self.buy else None), (v if self.sell else None)


ROWS: list[Row] = []
DELETED: list[Row] = []  # in the previous export only
EDITED: dict[str, Row] = {}  # Tx-ID → the row as the previous export had it


def add(row: Row) -> Row:
    if not row.txid and row.imported_from not in ("Coinbase CSV",):
        row.txid = (
            kraken_id() if row.exchange in ("Kraken", "Binance", "Bybit") else "0x" + hexs(64)
        )
    if not row.tx_hash and row.exchange in (
        "ETH Transaction",
        "Arbitrum One",
        "Phantom",
        "Ledger BTC",
    ):
        row.tx_hash = row.txid
    if not row.imported_from:
        row.imported_from = {
            "Kraken": "Kraken API", "Binance": "Binance API", "Bybit": "Bybit API",
            "Coinbase": "Coinbase API", "ETH Transaction": "ETH Transaction",
            "Arbitrum One": "Arbitrum One", "Phantom": "Solana Wallet",
            "Ledger BTC": "BTC Transaction",
        }[row.exchange]  # fmt: skip
    ROWS.append(row)
    return row


def t(date: str, hms: str | None = None) -> datetime:
    if hms is None:
        hms = f"{RNG.randrange(8, 22):02d}:{RNG.randrange(60):02d}:{RNG.randrange(60):02d}"
    return datetime.fromisoformat(f"{date}T{hms}")


def months(start: tuple[int, int], end: tuple[int, int]):
    y, m = start
    while (y, m) <= end:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def transfer(
    when: datetime,
    src: str,
    dst: str,
    asset: str,
    amount: Decimal,
    fee: Decimal,
    comment: str = "",
    deposit_delay: timedelta = timedelta(minutes=25),
) -> None:
    """An own transfer: a Withdrawal (fee in the same asset) and the Deposit of what arrives."""
    txh = "0x" + hexs(64)
    add(Row("Withdrawal", when, src, sell=amount, sell_cur=asset, fee=fee, fee_cur=asset,
            comment=comment, txid="" if src in ("Kraken", "Binance") else txh, tx_hash=txh,
            to_address=JONAS_EVM))  # fmt: skip
    add(Row("Deposit", when + deposit_delay, dst, buy=amount, buy_cur=asset, comment=comment,
            txid="" if dst in ("Kraken", "Bybit") else txh, tx_hash=txh,
            from_address=KRAKEN_EVM))  # fmt: skip


def build() -> None:
    # --- Kraken: savings plan, staking, lending, the EUR side --------------------------------
    for y, m in months((2021, 1), (2026, 10)):
        add(Row("Deposit", t(f"{y}-{m:02d}-01", "07:12:00"), "Kraken", buy=D(300), buy_cur="EUR",
                comment="SEPA Sparplan"))  # fmt: skip
        for asset, euros, minute in (("BTC", D(200), 30), ("ETH", D(100), 33)):
            when = t(f"{y}-{m:02d}-03", f"09:{minute}:{RNG.randrange(60):02d}")
            add(Row("Trade", when, "Kraken", buy=qty_for(asset, euros, when), buy_cur=asset,
                    sell=euros, sell_cur="EUR", fee=D("0.52") if asset == "BTC" else D("0.26"),
                    fee_cur="EUR", comment=f"Sparplan {asset}"))  # fmt: skip
        if (y, m) >= (2022, 1):
            when = t(f"{y}-{m:02d}-15", "02:00:00")
            add(Row("Staking", when, "Kraken", buy=qty_for("ETH", D(9), when), buy_cur="ETH",
                    comment="ETH staking reward"))  # fmt: skip
    # the one-off purchase that the client later edited by hand (gap 4b)
    big = add(Row("Trade", t("2021-05-06", "11:02:40"), "Kraken", buy=D(2), buy_cur="ETH",
                  sell=D(5600), sell_cur="EUR", fee=D("14.56"), fee_cur="EUR",
                  comment="Einmalkauf ETH", plant="edited"))  # fmt: skip
    add(Row("Deposit", t("2021-05-05", "08:00:00"), "Kraken", buy=D(5700), buy_cur="EUR",
            comment="SEPA Einmalbetrag"))  # fmt: skip
    add(Row("Trade", t("2021-11-09", "20:14:05"), "Kraken", buy=D(6300), buy_cur="EUR",
            sell=D("1.5"), sell_cur="ETH", fee=D("16.38"), fee_cur="EUR", comment="Gewinnmitnahme",
            plant="edited"))  # fmt: skip
    add(Row("Withdrawal", t("2021-11-12", "10:00:00"), "Kraken", sell=D(8000), sell_cur="EUR",
            comment="SEPA an Girokonto"))  # fmt: skip
    # lending income in USDC (needs USDC on Kraken) and stablecoin trades (clean)
    w = t("2023-05-08", "10:15:00")
    add(Row("Trade", w, "Kraken", buy=D(1100), buy_cur="USDC", sell=D(1000), sell_cur="EUR",
            fee=D("2.00"), fee_cur="EUR", comment="USDC für Earn"))  # fmt: skip
    add(Row("Trade", t("2023-05-20", "12:00:00"), "Kraken", buy=D("499.5"), buy_cur="USDT",
            sell=D(500), sell_cur="USDC", comment="Stablecoin-Tausch"))  # fmt: skip
    add(Row("Trade", t("2023-08-20", "12:00:00"), "Kraken", buy=D("499.0"), buy_cur="USDC",
            sell=D("499.5"), sell_cur="USDT", comment="Stablecoin-Tausch zurück"))  # fmt: skip
    for y, m in months((2023, 6), (2024, 5)):
        add(Row("Lending Income", t(f"{y}-{m:02d}-28", "03:00:00"), "Kraken", buy=D("4.12"),
                buy_cur="USDC", comment="Kraken Earn USDC"))  # fmt: skip
    add(
        Row(
            "Trade",
            t("2024-03-14", "15:40:10"),
            "Kraken",
            buy=D(6600),
            buy_cur="EUR",
            sell=D("0.1"),
            sell_cur="BTC",
            fee=D("17.16"),
            fee_cur="EUR",
            comment="Teilverkauf",
        )
    )
    add(
        Row(
            "Trade",
            t("2025-01-20", "09:05:00"),
            "Kraken",
            buy=D(2720),
            buy_cur="EUR",
            sell=D("0.8"),
            sell_cur="ETH",
            fee=D("7.07"),
            fee_cur="EUR",
            comment="Verkauf ETH",
        )
    )
    add(Row("Income", t("2023-04-03", "14:00:00"), "Kraken", buy=D("0.01"), buy_cur="BTC",
            comment="Rechnung 2023-017 (Webdesign)"))  # fmt: skip
    add(Row("Donation", t("2022-12-20", "18:30:00"), "Kraken", sell=D("0.01"), sell_cur="BTC",
            comment="Spende Wikimedia"))  # fmt: skip
    add(Row("Spend", t("2023-03-11", "11:11:11"), "Kraken", sell=D("0.005"), sell_cur="BTC",
            comment="Bitrefill Gutschein"))  # fmt: skip
    add(Row("Lost", t("2022-06-15", "09:00:00"), "Kraken", sell=D("0.001"), sell_cur="BTC",
            comment="Lightning channel force-close"))  # fmt: skip
    # fee dust (clean): the whole Kraken BTC balance leaves for a new hardware wallet, and the
    # fee rounding leaves 0.00000003 BTC too little until the next savings-plan purchase
    add(
        Row(
            "Withdrawal",
            t("2026-06-14", "20:00:00"),
            "Kraken",
            sell=None,
            sell_cur="BTC",
            fee=D("0.00015"),
            fee_cur="BTC",
            comment="alles zur BitBox",
            plant="dust",
        )
    )

    # --- Ledger BTC: cold wallet; the deleted deposit (gap 4a) ---------------------------------
    transfer(t("2021-12-10", "19:00:00"), "Kraken", "Ledger BTC", "BTC", D("0.04"), D("0.00015"))
    DELETED.append(Row("Deposit", t("2022-02-02", "21:10:00"), "Ledger BTC", buy=D("0.8"),
                       buy_cur="BTC", comment="von altem Electrum-Wallet", txid=hexs(64),
                       imported_from="BTC Transaction", from_address="bc1q" + hexs(38),
                       to_address=JONAS_BTC, plant="deleted"))  # fmt: skip
    DELETED[0].tx_hash = DELETED[0].txid
    add(Row("Mining", t("2022-08-01", "06:00:00"), "Ledger BTC", buy=D("0.002"), buy_cur="BTC",
            comment="NiceHash Auszahlung", to_address=JONAS_BTC))  # fmt: skip
    transfer(t("2024-03-12", "08:00:00"), "Ledger BTC", "Kraken", "BTC", D("0.8"),
             D("0.0001"), comment="für Verkauf")  # fmt: skip
    ROWS[-2].plant = "deleted"
    add(Row("Trade", t("2024-03-13", "10:30:00"), "Kraken", buy=D("52000"), buy_cur="EUR",
            sell=D("0.8"), sell_cur="BTC", fee=D("135.20"), fee_cur="EUR",
            comment="Verkauf Cold-Storage-BTC"))  # fmt: skip

    # --- Coinbase: history imported twice, API and CSV (gap 7) ---------------------------------
    add(Row("Deposit", t("2021-12-01", "09:00:00"), "Coinbase", buy=D(500), buy_cur="EUR"))
    add(Row("Trade", t("2021-12-02", "10:20:30"), "Coinbase", buy=D("0.2"), buy_cur="ETH",
            sell=D(800), sell_cur="EUR", fee=D("7.96"), fee_cur="EUR"))  # fmt: skip
    add(Row("Deposit", t("2022-03-01", "09:00:00"), "Coinbase", buy=D(1300), buy_cur="EUR"))
    add(Row("Trade", t("2022-03-10", "16:45:12"), "Coinbase", buy=D("0.5"), buy_cur="ETH",
            sell=D(1250), sell_cur="EUR", fee=D("12.44"), fee_cur="EUR"))  # fmt: skip
    for when, qty, euros in (
        ("2022-04-20 18:03:44", "0.3", "900"),
        ("2022-05-15 11:27:09", "0.15", "330"),
    ):
        day, hms = when.split()
        for source in ("Coinbase API", "Coinbase CSV"):
            add(Row("Trade", t(day, hms), "Coinbase", buy=D(euros), buy_cur="EUR", sell=D(qty),
                    sell_cur="ETH", fee=D("4.95"), fee_cur="EUR", imported_from=source,
                    txid=kraken_id().lower() if source.endswith("API") else "",
                    group="" if source.endswith("API") else "Coinbase CSV",
                    plant="duplicate"))  # fmt: skip

    # --- Binance: the API delivered only from June 2023 (gap 6) --------------------------------
    add(
        Row(
            "Trade",
            t("2023-06-20", "13:13:13"),
            "Binance",
            buy=D(1080),
            buy_cur="USDT",
            sell=D(4000),
            sell_cur="ADA",
            fee=D("1.08"),
            fee_cur="USDT",
            plant="history",
        )
    )
    add(
        Row(
            "Trade",
            t("2023-07-04", "08:08:08"),
            "Binance",
            buy=D(690),
            buy_cur="USDT",
            sell=D(3),
            sell_cur="BNB",
            fee=D("0.0023"),
            fee_cur="BNB",
            plant="history",
        )
    )
    add(Row("Reward / Bonus", t("2023-08-01", "12:00:00"), "Binance", buy=D(10), buy_cur="USDT",
            comment="Referral-Bonus"))  # fmt: skip
    transfer(t("2023-09-05", "10:00:00"), "Binance", "Bybit", "USDT", D(1000), D(1))

    # --- Bybit: margin and derivatives -----------------------------------------------------------
    transfer(t("2023-09-06", "11:00:00"), "Kraken", "Bybit", "BTC", D("0.05"), D("0.00015"))
    by = "Bybit"
    add(Row("Margin Trade", t("2024-01-10", "10:00:00"), by, buy=D("0.1"), buy_cur="BTC",
            sell=D(3900), sell_cur="USDT", comment="Long BTC 5x (offen)"))  # fmt: skip
    add(Row("Margin Profit", t("2024-02-10", "10:00:00"), by, buy=D("0.02"), buy_cur="BTC",
            comment="Long BTC geschlossen"))  # fmt: skip
    add(Row("Margin Fee", t("2024-02-10", "10:00:01"), by, sell=D("3.2"), sell_cur="USDT"))
    add(Row("Borrowing Fee", t("2024-02-10", "10:00:02"), by, sell=D("1.1"), sell_cur="USDT"))
    add(Row("Margin Loss", t("2024-05-02", "16:00:00"), by, sell=D(150), sell_cur="USDT",
            comment="Short ETH gestoppt"))  # fmt: skip
    add(
        Row(
            "Derivatives / Futures Trade",
            t("2024-09-01", "09:00:00"),
            by,
            buy=D("1"),
            buy_cur="ETH",
            sell=D(2300),
            sell_cur="USDT",
            comment="ETH-Perp (offen)",
        )
    )
    add(Row("Derivatives / Futures Profit", t("2024-10-01", "09:00:00"), by, buy=D(420),
            buy_cur="USDT", comment="ETH-Perp geschlossen"))  # fmt: skip
    add(Row("Settlement Fee", t("2024-10-01", "09:00:01"), by, sell=D("0.8"), sell_cur="USDT"))
    add(Row("Derivatives / Futures Loss", t("2025-03-03", "09:00:00"), by, sell=D("0.01"),
            sell_cur="BTC", comment="BTC-Perp Verlust"))  # fmt: skip

    # --- ETH Transaction (MetaMask on Ethereum) ----------------------------------------------
    eth = "ETH Transaction"
    # a deposit booked 4 minutes before its withdrawal (clock skew; clean)
    transfer(t("2022-03-20", "12:00:00"), "Kraken", eth, "ETH", D("0.9"), D("0.0035"),
             deposit_delay=timedelta(minutes=-4))  # fmt: skip
    add(Row("Gift / Tip", t("2022-04-24", "15:00:00"), eth, buy=D("0.02"), buy_cur="ETH",
            comment="Geschenk von Oma", to_address=JONAS_EVM))  # fmt: skip
    # gap 3: a Uniswap trade exported with "Buy 0 USDC"; the USDC spent later goes negative
    add(Row("Trade", t("2022-09-14", "21:40:05"), eth, buy=D(0), buy_cur="USDC", sell=D("0.5"),
            sell_cur="ETH", fee=D("0.0042"), fee_cur="ETH", comment="Uniswap V3",
            to_address=UNISWAP_ROUTER, value_eur=D(780), plant="zero_buy"))  # fmt: skip
    add(Row("Trade", t("2022-11-02", "19:12:45"), eth, buy=D("0.5"), buy_cur="ETH", sell=D(600),
            sell_cur="USDC", fee=D("0.003"), fee_cur="ETH", comment="Uniswap V3",
            to_address=UNISWAP_ROUTER, value_eur=D(580), plant="zero_buy"))  # fmt: skip
    add(Row("Swap (non taxable)", t("2023-02-08", "20:00:00"), eth, buy=D("0.5"), buy_cur="WETH",
            sell=D("0.5"), sell_cur="ETH", fee=D("0.0011"), fee_cur="ETH", comment="wrap",
            to_address="0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"))  # fmt: skip
    add(Row("Other Fee", t("2023-02-09", "20:10:00"), eth, sell=D("0.0016"), sell_cur="ETH",
            comment="approve() gas"))  # fmt: skip
    add(Row("Swap (non taxable)", t("2023-09-12", "19:30:00"), eth, buy=D(520), buy_cur="USDC",
            sell=D("0.3"), sell_cur="WETH", fee=D("0.002"), fee_cur="ETH",
            comment="CowSwap WETH→USDC", value_eur=D(468)))  # fmt: skip
    add(Row("Gift", t("2023-12-24", "17:00:00"), eth, sell=D("0.1"), sell_cur="ETH",
            comment="Geschenk an Bruder", to_address=evm()))  # fmt: skip
    add(Row("Expense (non taxable)", t("2023-10-05", "10:00:00"), eth, sell=D("0.05"),
            sell_cur="ETH", comment="an eigenen Safe (nicht erfasst)"))  # fmt: skip
    # gap 1: 5,000,000 "USDC" from a scam contract, booked as a plain Deposit, partly "sold"
    add(Row("Deposit", t("2024-02-19", "03:14:15"), eth, buy=D(5000000), buy_cur="USDC",
            from_address=SCAM_SENDER, to_address=JONAS_EVM, comment="",
            value_eur=D(4700000), plant="scam"))  # fmt: skip
    add(Row("Trade", t("2024-04-02", "22:05:00"), eth, buy=D("0.0021"), buy_cur="ETH",
            sell=D(1250000), sell_cur="USDC", fee=D("0.0009"), fee_cur="ETH",
            to_address=FAKE_USDC, value_eur=D(1175000), plant="scam"))  # fmt: skip
    # gap 5: a one-sided bridge to Arbitrum One (USDC → USDC.e, Stargate fee)
    add(Row("Withdrawal", t("2024-06-03", "18:20:00"), eth, sell=D(2000), sell_cur="USDC",
            fee=D("0.0021"), fee_cur="ETH", comment="Stargate Bridge → Arbitrum",
            to_address=STARGATE_ROUTER, plant="bridge"))  # fmt: skip
    arb = "Arbitrum One"
    add(Row("Trade", t("2024-06-03", "18:41:07"), arb, buy=D("0.55"), buy_cur="ETH",
            sell=D(1995), sell_cur="USDC.E", fee=D("0.00004"), fee_cur="ETH", comment="Uniswap",
            value_eur=D(1870), plant="bridge"))  # fmt: skip
    add(Row("Income (non taxable)", t("2024-06-04", "10:00:00"), arb, buy=D(50), buy_cur="ARB",
            comment="ARB Airdrop (claim)"))  # fmt: skip
    add(Row("Trade", t("2024-09-10", "12:00:00"), arb, buy=D(1050), buy_cur="USDC.E",
            sell=D("0.5"), sell_cur="ETH", fee=D("0.00003"), fee_cur="ETH", comment="Uniswap",
            value_eur=D(1000)))  # fmt: skip

    # --- Phantom (Solana): a one-sided Jupiter swap (gap 2) ------------------------------------
    add(
        Row(
            "Trade",
            t("2023-12-14", "17:00:00"),
            "Kraken",
            buy=D(40),
            buy_cur="SOL",
            sell=D(3600),
            sell_cur="EUR",
            fee=D("9.36"),
            fee_cur="EUR",
            comment="SOL für Phantom",
        )
    )
    transfer(t("2023-12-15", "09:00:00"), "Kraken", "Phantom", "SOL", D(40), D("0.02"))
    ROWS[-2].fee = None  # the SOL arrives in full; Kraken's fee was booked in EUR
    for day in ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31"):
        add(Row("Staking", t(day, "23:00:00"), "Phantom", buy=D("0.21"), buy_cur="SOL",
                comment="Marinade"))  # fmt: skip
    add(Row("Airdrop", t("2024-01-31", "16:00:00"), "Phantom", buy=D(1200), buy_cur="JUP",
            comment="Jupuary", value_eur=D(660)))  # fmt: skip
    add(Row("Withdrawal", t("2024-02-06", "20:31:00"), "Phantom", sell=D(25), sell_cur="SOL",
            fee=D("0.000005"), fee_cur="SOL", comment="Jupiter Swap", to_address=JUPITER_V6,
            plant="one_sided"))  # fmt: skip
    add(Row("Trade", t("2024-02-09", "11:00:00"), "Phantom", buy=D(2400), buy_cur="USDC",
            sell=D(3000), sell_cur="JUP", fee=D("0.000005"), fee_cur="SOL", comment="Jupiter",
            value_eur=D(2200), plant="one_sided"))  # fmt: skip
    add(Row("Stolen / Hacked / Fraud", t("2024-11-11", "04:44:00"), "Phantom", sell=D(10),
            sell_cur="SOL", comment="Wallet-Drainer"))  # fmt: skip

    # the edit and the deleted deposit, against the previous export
    first_trade = next(i for i, r in enumerate(ROWS) if r is big)
    EDITED[big.txid] = replace(big)
    ROWS[first_trade] = replace(big, type="Deposit", buy=D("0.2"), sell=None, sell_cur="",
                                fee=None, fee_cur="", comment="Einmalkauf ETH")  # fmt: skip
    # fee dust: withdraw the whole Kraken BTC balance + 0.00000003 (fee rounding)
    dust = next(r for r in ROWS if r.plant == "dust")
    dust.sell = balance_at("Kraken", "BTC", dust.when) - D("0.00015") + D("0.00000003")
    ROWS.sort(key=lambda r: r.when)


def balance_at(wallet: str, asset: str, when: datetime) -> Decimal:
    total = D(0)
    for r in ROWS:
        if (
            r.exchange != wallet
            or r.when >= when
            or r.type in ("Margin Trade", "Derivatives / Futures Trade")
        ):
            continue
        if r.buy and r.buy_cur == asset:
            total += r.buy
        if r.sell and r.sell_cur == asset:
            total -= r.sell
        if r.fee and r.fee_cur == asset:
            total -= r.fee
    return total


# --- writers ------------------------------------------------------------------------------------
def num(x: Decimal | None) -> str:
    return "" if x is None else f"{x:.8f}"


def de_date(when: datetime) -> str:
    return when.strftime("%d.%m.%Y %H:%M:%S")


def iso_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


V1 = ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group", "Comment", "Date"]
V3 = ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group", "Comment",
      "Trade ID", "Imported From", "Add Date", "Date", "From Address", "To Address", "Tx Hash",
      "Sell From Address", "Sell To Address"]  # fmt: skip
V4 = ["Type", "Buy", "Cur.", "Value in BTC", "Value in EUR", "Sell", "Cur.", "Value in BTC",
      "Value in EUR", "Spread", "Exchange", "Group", "Date"]  # fmt: skip
IMPORT = ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Trade-Group",
          "Comment", "Date", "Tx-ID", "Buy Value in your Account Currency",
          "Sell Value in your Account Currency"]  # fmt: skip


def legs(r: Row) -> list[str]:
    return [r.type, num(r.buy), r.buy_cur if r.buy is not None else "", num(r.sell),
            r.sell_cur if r.sell is not None else "", num(r.fee),
            r.fee_cur if r.fee is not None else ""]  # fmt: skip


def v1(r: Row) -> list[str]:
    return [*legs(r), r.exchange, r.group, r.comment, de_date(r.when)]


def v2(r: Row) -> list[str]:
    return [*v1(r), r.txid]


def v3(r: Row) -> list[str]:
    added = de_date(r.when + timedelta(hours=RNG.randrange(1, 400)))
    on_chain = r.exchange in ("ETH Transaction", "Arbitrum One", "Phantom", "Ledger BTC")
    trade_id = "" if on_chain else r.txid
    sell_side = bool(r.sell and not r.buy)
    addresses = [r.from_address, r.to_address]
    return [*legs(r), r.exchange, r.group, r.comment, trade_id, r.imported_from, added,
            de_date(r.when), *([""] * 2 if sell_side else addresses), r.tx_hash,
            *(addresses if sell_side else [""] * 2)]  # fmt: skip


def v4(r: Row) -> list[str]:
    bv, sv = r.values()

    def btc(v: Decimal | None) -> str:
        return "-" if v is None else f"{v / price('BTC', r.when):.8f}"

    def eur(v: Decimal | None) -> str:
        return "-" if v is None else f"{v:.2f}"

    return [r.type, num(r.buy) or "-", r.buy_cur if r.buy is not None else "-", btc(bv),
            eur(bv), num(r.sell) or "-", r.sell_cur if r.sell is not None else "-", btc(sv),
            eur(sv), "-",
            r.exchange, r.group, de_date(r.when)]  # fmt: skip


def imp(r: Row) -> list[str]:
    bv, sv = r.values()
    return [*legs(r), r.exchange, r.group, r.comment, iso_date(r.when), r.txid,
            "" if bv is None else f"{bv:.2f}", "" if sv is None else f"{sv:.2f}"]  # fmt: skip


def write_csv(name: str, header: list[str], rows: list[list[str]], *, quote_all: bool = True,
              crlf: bool = False) -> None:  # fmt: skip
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                   lineterminator="\r\n" if crlf else "\n")  # fmt: skip
    w.writerow(header)
    w.writerows(rows)
    (HERE / name).write_bytes(out.getvalue().encode("utf-8"))


def write_xlsx(name: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "CoinTracking"
    ws.append(["CoinTracking · Trade Table · Jonas Weber"])
    ws.append(["Exported: 27.11.2026 12:00"])
    ws.append([])
    ws.append(IMPORT)
    for r in ROWS:
        cells: list[object] = imp(r)
        for i in (1, 3, 5, 12, 13):  # amounts and values as numbers, as Excel stores them
            cells[i] = float(cells[i]) if cells[i] else None
        cells[10] = r.when  # a date cell: local wall-clock time
        ws.append(cells)
    wb.properties.creator = "taxsim samples"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 27, 12, 0, 0)
    wb.save(HERE / name)


def check_balances() -> list[tuple[str, str, str, Decimal]]:
    """Replay the rows in time order: every wallet × asset that goes below zero, with the first
    row that takes it there and the lowest balance (the planted gaps and the fee dust)."""
    balances: dict[tuple[str, str], Decimal] = {}
    found: dict[tuple[str, str], tuple[str, Decimal]] = {}
    ins_first = sorted(ROWS, key=lambda r: (r.when, 0 if r.buy and not r.sell else 1))
    for r in ins_first:
        if r.type in ("Margin Trade", "Derivatives / Futures Trade"):
            continue
        for amount, asset, sign in ((r.buy, r.buy_cur, 1), (r.sell, r.sell_cur, -1),
                                    (r.fee, r.fee_cur, -1)):  # fmt: skip
            if not amount or asset == "EUR":
                continue
            key = (r.exchange, asset)
            balances[key] = balances.get(key, D(0)) + sign * amount
            if balances[key] < 0:
                first, low = found.get(key, (f"{r.type} {iso_date(r.when)}", balances[key]))
                found[key] = (first, min(low, balances[key]))
    return [(w, a, first, low) for (w, a), (first, low) in sorted(found.items())]


def main() -> None:
    build()
    write_csv("trade_list_v1.csv", V1, [v1(r) for r in ROWS])
    write_csv("trade_list_v2.csv", [*V1, "Tx-ID"], [v2(r) for r in ROWS], quote_all=False,
              crlf=True)  # fmt: skip
    write_csv("trade_list_v3.csv", V3, [v3(r) for r in ROWS])
    write_csv("full_view_v4.csv", V4, [v4(r) for r in ROWS])
    write_csv("import.csv", IMPORT, [imp(r) for r in ROWS])
    write_xlsx("import.xlsx")
    previous = [EDITED.get(r.txid, r) if r.txid else r for r in ROWS]  # before the edit
    previous = sorted([*previous, *DELETED], key=lambda r: r.when)
    previous = [r for r in previous if r.when <= PREVIOUS_EXPORT_AT]
    write_csv("previous_export_v2.csv", [*V1, "Tx-ID"], [v2(r) for r in previous],
              quote_all=False, crlf=True)  # fmt: skip
    write_csv("previous_export_v3.csv", V3, [v3(r) for r in previous])
    write_csv("previous_export_import.csv", IMPORT, [imp(r) for r in previous])
    print(f"{len(ROWS)} rows; previous export {len(previous)} rows")
    for wallet, asset, first, low in check_balances():
        print(f"negative: {wallet} {asset}: first {first}, lowest {low}")


if __name__ == "__main__":
    main()
