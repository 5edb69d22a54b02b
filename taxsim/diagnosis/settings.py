"""Diagnosis settings: windows, tolerances, word lists and wallet names (``rules/diagnosis.toml``).

The file ships with taxsim (package ``taxsim.rules_data``) and is validated here: an unknown
key, a wrong type or an out-of-range value is a :class:`~taxsim.model.TaxsimError` naming the
key. ``load_settings(path)`` reads another file for a what-if; the module constants below are
the shipped defaults, kept for code that imported them.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..model import TaxsimError
from ..rules import rules_file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _upper(values: list[str]) -> list[str]:
    return [v.strip().upper() for v in values]


def _lower(values: list[str]) -> list[str]:
    return [v.strip().lower() for v in values if v.strip()]


class Spike(_Strict):
    quantity_factor: Decimal = Field(gt=1)
    price_factor: Decimal = Field(gt=1)


class Scam(_Strict):
    absurd_free_inflow_eur: Decimal = Field(gt=0)
    free_inflow_factor: Decimal = Field(gt=1)
    peg_band: tuple[Decimal, Decimal]
    history_factor: Decimal = Field(gt=1)
    history_days: int = Field(ge=1)
    bad_words: list[str]

    _words = field_validator("bad_words")(_lower)

    @field_validator("peg_band")
    @classmethod
    def _band(cls, value: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
        if not 0 < value[0] < 1 < value[1]:
            raise ValueError("expected [low, high] with 0 < low < 1 < high")
        return value


class Peg(_Strict):
    assets: list[str]
    eur: tuple[Decimal, Decimal]

    _assets = field_validator("assets")(_upper)

    @field_validator("eur")
    @classmethod
    def _range(cls, value: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
        if not 0 < value[0] <= value[1]:
            raise ValueError("expected [min, max] EUR with 0 < min <= max")
        return value


class Aggregator(_Strict):
    window_days: int = Field(ge=0)
    value_tolerance: Decimal = Field(ge=0, lt=1)
    words: list[str]

    _words = field_validator("words")(_lower)


class Bridge(_Strict):
    match_days: int = Field(ge=0)
    fee_tolerance: Decimal = Field(ge=0, lt=1)
    lookback_days: int = Field(ge=0)
    words: list[str]
    forms: list[list[str]]

    _words = field_validator("words")(_lower)

    @field_validator("forms")
    @classmethod
    def _forms(cls, value: list[list[str]]) -> list[list[str]]:
        return [_upper(group) for group in value]


class Transfers(_Strict):
    hours_before: int = Field(ge=0)
    hours_after: int = Field(ge=0)
    amount_tolerance: Decimal = Field(ge=0, lt=1)


class Duplicates(_Strict):
    seconds: int = Field(ge=0)
    max_hour_shift: int = Field(ge=0, le=14)


class Edits(_Strict):
    date_days: int = Field(ge=0)


class PrioritySettings(_Strict):
    dust_eur: Decimal = Field(ge=0)
    major_assets: list[str]

    _assets = field_validator("major_assets")(_upper)


class Wallets(_Strict):
    chain_words: dict[str, str]
    ticker_chains: dict[str, str]
    self_custody: dict[str, str]
    exchanges: list[str]

    _exchanges = field_validator("exchanges")(_lower)

    @field_validator("chain_words", "self_custody")
    @classmethod
    def _keys(cls, value: dict[str, str]) -> dict[str, str]:
        return {k.strip().lower(): v.strip().lower() for k, v in value.items() if k.strip()}

    @field_validator("ticker_chains")
    @classmethod
    def _tickers(cls, value: dict[str, str]) -> dict[str, str]:
        return {k.strip().upper(): v.strip().lower() for k, v in value.items()}


class Settings(_Strict):
    spike: Spike
    scam: Scam
    pegs: dict[str, Peg]
    aggregator: Aggregator
    bridge: Bridge
    transfers: Transfers
    duplicates: Duplicates
    edits: Edits
    priority: PrioritySettings
    wallets: Wallets

    def peg_of(self, asset: str) -> Peg | None:
        for peg in self.pegs.values():
            if asset in peg.assets:
                return peg
        return None

    def forms_of(self, asset: str) -> frozenset[str]:
        """The asset and its bridged/wrapped forms (itself alone if it has none)."""
        for group in self.bridge.forms:
            if asset in group:
                return frozenset(group)
        return frozenset((asset,))


def load_settings(path: str | Path | None = None) -> Settings:
    """The shipped ``rules/diagnosis.toml``, or another settings file."""
    if path is None:
        return default_settings()
    return _parse(str(path), Path(path).read_text(encoding="utf-8"))


@cache
def default_settings() -> Settings:
    return _parse("rules/diagnosis.toml", rules_file("diagnosis.toml").read_text(encoding="utf-8"))


def _parse(name: str, text: str) -> Settings:
    try:
        return Settings.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise TaxsimError(f"{name}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise TaxsimError(f"{name}: invalid diagnosis settings: {problems}") from exc


def word_pattern(words: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for a word list: whole words, except entries with a dot or
    slash (".com", "t.me"), which also match inside a word."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        if "." in word or "/" in word:
            parts.append(escaped)
        else:
            parts.append(rf"(?<![\w]){escaped}(?![\w])")
    return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)


_DEFAULT = default_settings()

# --- the shipped defaults as constants (docs/diagnosis.md) ------------------------------------

EXTREME_QUANTITY_FACTOR = _DEFAULT.spike.quantity_factor
EXTREME_PRICE_FACTOR = _DEFAULT.spike.price_factor
ABSURD_AIRDROP_EUR = _DEFAULT.scam.absurd_free_inflow_eur
DUST_EUR = _DEFAULT.priority.dust_eur
BRIDGE_WINDOW_DAYS = _DEFAULT.bridge.match_days
BRIDGE_FEE_TOLERANCE = _DEFAULT.bridge.fee_tolerance
AGGREGATOR_WINDOW_DAYS = _DEFAULT.aggregator.window_days
MAJOR_ASSETS = frozenset(_DEFAULT.priority.major_assets)
#: Income types that are "received without buying" for the free-inflow scam test.
_UNBOUGHT_INCOME = frozenset({"airdrop", "bounty", "other"})
