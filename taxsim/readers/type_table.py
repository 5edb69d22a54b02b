"""CoinTracking transaction types → taxsim kinds."""

from __future__ import annotations

import re

from ..model import IncomeType, Kind

_IN, _OUT, _ANY, _OTHER_FEE = "in", "out", "any", "other_fee"

_TYPES: dict[str, tuple[Kind, IncomeType | None, str]] = {
    "trade": (Kind.TRADE, None, _ANY),
    "deposit": (Kind.DEPOSIT, None, _IN),
    "withdrawal": (Kind.WITHDRAWAL, None, _OUT),
    "income": (Kind.INCOME, IncomeType.OTHER, _IN),
    "otherincome": (Kind.INCOME, IncomeType.OTHER, _IN),
    "dividendsincome": (Kind.INCOME, IncomeType.OTHER, _IN),
    "reward/bonus": (Kind.INCOME, IncomeType.BOUNTY, _IN),
    "interestincome": (Kind.INCOME, IncomeType.INTEREST, _IN),
    "staking": (Kind.INCOME, IncomeType.STAKING, _IN),
    "masternode": (Kind.INCOME, IncomeType.STAKING, _IN),
    "minting": (Kind.INCOME, IncomeType.STAKING, _IN),
    "mining": (Kind.INCOME, IncomeType.MINING, _IN),
    "mining(commercial)": (Kind.INCOME, IncomeType.MINING, _IN),
    "airdrop": (Kind.INCOME, IncomeType.AIRDROP, _IN),
    "lendingincome": (Kind.INCOME, IncomeType.LENDING, _IN),
    # Received without being income (CoinTracking's "non taxable" income). taxsim's only
    # income type that is not income on receipt is "hardfork" (cost 0 in both rule sets).
    "income(nontaxable)": (Kind.INCOME, IncomeType.HARDFORK, _IN),
    "otherincome(nontaxable)": (Kind.INCOME, IncomeType.HARDFORK, _IN),
    "gift/tip": (Kind.GIFT, None, _IN),
    "gift/tip(in)": (Kind.GIFT, None, _IN),
    "gift": (Kind.GIFT, None, _OUT),
    "gift(out)": (Kind.GIFT, None, _OUT),
    "donation": (Kind.GIFT, None, _OUT),
    "spend": (Kind.SPEND, None, _OUT),
    "expense": (Kind.SPEND, None, _OUT),
    "otherexpense": (Kind.SPEND, None, _OUT),
    "otherfee": (Kind.SPEND, None, _OTHER_FEE),
    "lost": (Kind.LOST, None, _OUT),
    "stolen": (Kind.STOLEN, None, _OUT),
    "hacked": (Kind.STOLEN, None, _OUT),
    "fraud": (Kind.STOLEN, None, _OUT),
    "stolen/hacked/fraud": (Kind.STOLEN, None, _OUT),
}
_UNSUPPORTED_WORDS = ("margin", "derivative", "futures", "borrowingfee", "settlementfee")
_ACCEPTED_TYPES = (
    "Trade, Deposit, Withdrawal, Income, Other Income, Dividends Income, Reward / Bonus, "
    "Interest Income, Staking, Masternode, Minting, Mining, Mining (commercial), Airdrop, "
    "Lending Income, Income (non taxable), Other Income (non taxable), Gift / Tip, "
    "Gift/Tip(In), Gift, Gift(Out), Donation, Spend, Expense, Other Expense, Other Fee, Lost, "
    "Stolen, Hacked, Fraud, Stolen / Hacked / Fraud"
)


def _map_type(raw: str) -> tuple[Kind, IncomeType | None, str] | str:
    """The mapping for a type label, or an error message."""
    key = re.sub(r"\s+", "", raw.lower())
    if key in _TYPES:
        return _TYPES[key]
    if any(word in key for word in _UNSUPPORTED_WORDS):
        return (
            f"type '{raw}' is not supported (margin/derivatives are § 20 EStG, out of scope); "
            "remove the row or export without margin trades"
        )
    if not key:
        return f"expected a transaction type, one of: {_ACCEPTED_TYPES}"
    return f"unknown type '{raw}'; accepted: {_ACCEPTED_TYPES}"
