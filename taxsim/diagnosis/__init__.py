"""Diagnosis of a ledger: balance timelines, negative balances, their tipping points and causes.

This is what a specialist does by hand in CoinTracking's Transaction Flow report: replay every
wallet × asset in time order, find where a balance first drops below zero (the *tipping point*;
the transaction just before it is usually where the real error lies), classify the shape of the
gap (*pattern*), name the probable *cause* with the evidence for it, and triage (*priority*).

Everything here is a pure function over a :class:`~taxsim.model.Ledger`: no printing, no file
writing (reading the shipped reference lists and an on-chain balance file excepted). Amounts stay
exact ``Decimal``: a ledger without gaps shows no negative dust.

One module per concern: ``balances`` (the balance view), ``tipping`` (findings), ``patterns``,
one module per cause, ``priority``, ``suggest`` (draft corrections), ``output`` (JSON/CSV
shapes), ``onchain``. The public names are importable from here.
"""

from .api import diagnose, explain_shorts
from .balances import balance_at, balances, effects, timelines
from .onchain import ONCHAIN_COLUMNS, onchain_gaps, read_onchain_balances
from .output import CSV_COLUMNS, csv_rows, to_json
from .reference import KnownAddress, known_addresses, official_contracts
from .registry import Candidate, Gap, gap_detector, row_detector
from .results import (
    CAUSE_ORDER,
    Balance,
    Cause,
    Confidence,
    Correction,
    Diagnosis,
    Evidence,
    Finding,
    OnchainBalance,
    OnchainGap,
    Pattern,
    Priority,
    RowFinding,
    Step,
)
from .settings import (
    ABSURD_AIRDROP_EUR,
    AGGREGATOR_WINDOW_DAYS,
    BRIDGE_FEE_TOLERANCE,
    BRIDGE_WINDOW_DAYS,
    DUST_EUR,
    EXTREME_PRICE_FACTOR,
    EXTREME_QUANTITY_FACTOR,
    MAJOR_ASSETS,
    Settings,
    load_settings,
)
from .suggest import PROPOSED_KIND, suggest_corrections
from .text import _num
from .tipping import find_negatives
from .view import BalanceView, reference_prices, wallet_chains
from .wallets import Custody, WalletInfo, classify_wallets

__all__ = [
    "BalanceView",
    "Candidate",
    "Confidence",
    "Correction",
    "Custody",
    "Gap",
    "RowFinding",
    "Settings",
    "WalletInfo",
    "classify_wallets",
    "gap_detector",
    "load_settings",
    "row_detector",
    "ABSURD_AIRDROP_EUR",
    "AGGREGATOR_WINDOW_DAYS",
    "BRIDGE_FEE_TOLERANCE",
    "BRIDGE_WINDOW_DAYS",
    "CAUSE_ORDER",
    "CSV_COLUMNS",
    "DUST_EUR",
    "EXTREME_PRICE_FACTOR",
    "EXTREME_QUANTITY_FACTOR",
    "MAJOR_ASSETS",
    "ONCHAIN_COLUMNS",
    "PROPOSED_KIND",
    "Balance",
    "Cause",
    "Diagnosis",
    "Evidence",
    "Finding",
    "KnownAddress",
    "OnchainBalance",
    "OnchainGap",
    "Pattern",
    "Priority",
    "Step",
    "_num",
    "balance_at",
    "balances",
    "csv_rows",
    "diagnose",
    "effects",
    "explain_shorts",
    "find_negatives",
    "known_addresses",
    "official_contracts",
    "onchain_gaps",
    "read_onchain_balances",
    "reference_prices",
    "suggest_corrections",
    "timelines",
    "to_json",
    "wallet_chains",
]
