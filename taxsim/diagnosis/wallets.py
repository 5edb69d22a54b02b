"""What kind of wallet a CoinTracking "Exchange" is: an exchange, a self-custody wallet or a
chain import, and on which chain — from the rows' ``chain`` where present, else from the name
(``ETH Transaction``, ``Arbitrum One``, ``MetaMask``; lists in ``rules/diagnosis.toml``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from ..memo import memo_of
from ..model import Transaction
from .settings import Settings


class Custody(StrEnum):
    EXCHANGE = "exchange"  # a custodial account: its history is the exchange's export
    SELF_CUSTODY = "self_custody"  # a wallet the client holds the keys of
    CHAIN = "chain"  # a chain import ("ETH Transaction") or a wallet named after a chain
    UNKNOWN = "unknown"  # a name in no list and rows without a chain


@dataclass(frozen=True, slots=True)
class WalletInfo:
    name: str
    custody: Custody
    chain: str  # "" when unknown
    why: str  # how it was decided, for the evidence
    #: the exchange a custodial wallet belongs to ("Coinbase API" and "Coinbase CSV": coinbase),
    #: else the wallet's own name — one account imported twice under two names
    family: str = ""

    @property
    def on_chain(self) -> bool:
        """Not an exchange: its gap is a bridge, swap or deletion before an incomplete export."""
        return self.custody in (Custody.SELF_CUSTODY, Custody.CHAIN)


_TX_NAME = re.compile(r"^\s*([A-Za-z0-9.]{2,10})\s+transactions?\s*$", re.IGNORECASE)


def _phrase_in(phrase: str, name: str) -> bool:
    return _phrase_pattern(phrase).search(name) is not None


@lru_cache(maxsize=4096)  # the lists' phrases: compiled once, not once per wallet and phrase
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])")


def classify(name: str, row_chains: Counter[str], settings: Settings) -> WalletInfo:
    """One wallet. The rows' own chain wins; then the name: ``<TICKER> Transaction``, a chain
    word, a self-custody wallet, an exchange (the longest matching phrase decides between the
    last two, so "Coinbase Wallet" is self-custody and "Coinbase" an exchange)."""
    w = settings.wallets
    lower = " ".join(name.lower().split())
    chain = row_chains.most_common(1)[0][0] if row_chains else ""
    why = f"its rows carry chain '{chain}'" if chain else ""
    match = _TX_NAME.match(name)
    if match and match.group(1).upper() in w.ticker_chains:
        ticker_chain = w.ticker_chains[match.group(1).upper()]
        return WalletInfo(
            name, Custody.CHAIN, chain or ticker_chain, why or f"'{name}' is a chain import"
        )
    word_chain = ""
    for phrase in sorted(w.chain_words, key=len, reverse=True):
        if _phrase_in(phrase, lower):
            word_chain = w.chain_words[phrase]
            break
    custody_hits = [
        (len(p), p, Custody.SELF_CUSTODY) for p in w.self_custody if _phrase_in(p, lower)
    ]
    custody_hits += [(len(p), p, Custody.EXCHANGE) for p in w.exchanges if _phrase_in(p, lower)]
    if custody_hits:
        _, phrase, custody = max(custody_hits)
        if custody is Custody.SELF_CUSTODY:
            usual = w.self_custody[phrase]
            found = chain or word_chain or usual
            return WalletInfo(
                name, custody, found, why or f"'{name}' names the self-custody wallet '{phrase}'"
            )
        if not word_chain and not chain:
            return WalletInfo(name, custody, "", f"'{name}' names the exchange '{phrase}'", phrase)
    if word_chain or chain:
        return WalletInfo(
            name, Custody.CHAIN, chain or word_chain, why or f"'{name}' names the chain"
        )
    return WalletInfo(name, Custody.UNKNOWN, "", f"'{name}' is in no wallet list")


def classify_wallets(
    transactions: Iterable[Transaction], settings: Settings
) -> dict[str, WalletInfo]:
    chains: dict[str, Counter[str]] = {}
    for tx in transactions:
        per = chains.get(tx.wallet)
        if per is None:
            per = chains[tx.wallet] = Counter()
        if tx.chain:
            per[tx.chain.lower()] += 1
        if tx.to_wallet and tx.to_wallet not in chains:
            chains[tx.to_wallet] = Counter()
    known = memo_of(settings)  # the same wallet names come back client after client
    out: dict[str, WalletInfo] = {}
    for name, counts in chains.items():
        chain = counts.most_common(1)[0][0] if counts else ""  # all ``classify`` reads of them
        info = known.get((name, chain))
        if info is None:
            info = known[(name, chain)] = classify(name, counts, settings)
        out[name] = info  # type: ignore[assignment]
    return out
