"""Which wallets belong to Reporting Crypto-Asset Service Providers (reporting_platforms.toml)."""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable
from enum import StrEnum
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..model import InputError, Transaction


class PlatformStatus(StrEnum):
    REPORTING = "reporting"  # a CASP that reports (DAC8/CARF)
    SELF_CUSTODY = "self_custody"  # the client's own wallet: nobody reports it
    NOT_REPORTING = "not_reporting"  # custodial but outside CARF (non-EU, DeFi front end …)
    UNKNOWN = "unknown"  # not in the list: treated as not reporting, the client is asked


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NameList(_Strict):
    names: list[str] = []
    patterns: list[str] = []

    def matches(self, wallet: str) -> bool:
        w = wallet.casefold()
        return any(n.casefold() == w for n in self.names) or any(
            fnmatch.fnmatchcase(w, p.casefold()) for p in self.patterns
        )


class PlatformsConfig(_Strict):
    """The shape of ``taxsim/data/reporting_platforms.toml`` (and of ``--platforms FILE``)."""

    reporting: NameList = NameList()
    self_custody: NameList = NameList()
    not_reporting: NameList = NameList()
    asset_names: dict[str, str] = {}

    def classify(self, wallet: str, *, on_chain: bool = False) -> PlatformStatus:
        """Classify a wallet name; ``on_chain`` = some of its rows carry a ``chain``."""
        if self.not_reporting.matches(wallet):
            return PlatformStatus.NOT_REPORTING
        if self.reporting.matches(wallet):
            return PlatformStatus.REPORTING
        if self.self_custody.matches(wallet) or on_chain:
            return PlatformStatus.SELF_CUSTODY
        return PlatformStatus.UNKNOWN

    def ticker(self, crypto_asset: str) -> str:
        """Ledger ticker for a report's ``CryptoAsset`` (full name or ticker)."""
        name = crypto_asset.strip()
        for full, tick in self.asset_names.items():
            if full.casefold() == name.casefold():
                return tick.upper()
        return name.upper()


def load_platforms(path: str | Path | None = None) -> PlatformsConfig:
    """The packaged platform list, with the sections of ``path`` (if given) replacing it."""
    text = resources.files("taxsim.data").joinpath("reporting_platforms.toml").read_text("utf-8")
    data = tomllib.loads(text)
    if path is not None:
        name = str(path)
        try:
            override = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InputError(name, None, None, "file not found") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(name, None, None, f"not valid TOML: {exc}") from exc
        data.update(override)
    else:
        name = "taxsim/data/reporting_platforms.toml"
    try:
        return PlatformsConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(
            name,
            None,
            None,
            f"expected sections reporting/self_custody/not_reporting "
            f"(names, patterns) and asset_names: {problems}",
        ) from exc


def classify_wallets(
    txs: Iterable[Transaction], platforms: PlatformsConfig
) -> dict[str, PlatformStatus]:
    """Status of every wallet (and ``to_wallet``) that occurs in the ledger."""
    on_chain: dict[str, bool] = {}
    for tx in txs:
        on_chain[tx.wallet] = on_chain.get(tx.wallet, False) or bool(tx.chain)
        if tx.to_wallet:
            on_chain.setdefault(tx.to_wallet, False)
    return {w: platforms.classify(w, on_chain=c) for w, c in sorted(on_chain.items())}
