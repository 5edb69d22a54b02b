"""Which wallets belong to Reporting Crypto-Asset Service Providers (reporting_platforms.toml)."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Collection, Iterable
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..memo import memo_of
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
    #: Ledger wallet → the platform (RCASP) it is an account of, where the name does not tell.
    accounts: dict[str, str] = {}
    #: Legal name of an RCASP (CARF ``RCASP/…/Name``) → the platform as the ledger calls it.
    rcasp_names: dict[str, str] = {}

    def classify(self, wallet: str, *, on_chain: bool = False) -> PlatformStatus:
        """Classify a wallet name; ``on_chain`` = some of its rows carry a ``chain``.

        Order: not_reporting, an ``[accounts]`` entry (the status of its platform), reporting,
        self_custody, a sub-account by name ("Binance Earn": a reporting name + more words),
        on-chain rows, otherwise unknown.
        """
        if self.not_reporting.matches(wallet):
            return PlatformStatus.NOT_REPORTING
        parent = self._account_of(wallet)
        if parent is not None and parent.casefold() != wallet.casefold():
            return self._status(parent, on_chain=False)  # one step: no loop through accounts
        return self._status(wallet, on_chain=on_chain)

    def _status(self, wallet: str, *, on_chain: bool) -> PlatformStatus:
        if self.not_reporting.matches(wallet):
            return PlatformStatus.NOT_REPORTING
        if self.reporting.matches(wallet):
            return PlatformStatus.REPORTING
        if self.self_custody.matches(wallet):
            return PlatformStatus.SELF_CUSTODY
        if self._prefix_platform(wallet) is not None:
            return PlatformStatus.REPORTING
        if on_chain:
            return PlatformStatus.SELF_CUSTODY
        return PlatformStatus.UNKNOWN

    def platform_of(self, wallet: str) -> str:
        """The platform (RCASP) a reporting wallet is an account of: its ``[accounts]`` entry,
        else the longest reporting name it starts with followed by more words ("Binance Earn",
        "Kraken Pro" → Binance, Kraken), else the wallet itself. One RCASP reports all
        accounts of a user together, and a move between them is no transfer (Krypto-MPfG
        § 6(3): moves the provider manages for the same user)."""
        parent = self._account_of(wallet)
        if parent is not None:
            return parent
        return self._prefix_platform(wallet) or wallet

    def rcasp(self, legal_name: str) -> str | None:
        """The platform of an RCASP's legal name (``[rcasp_names]``), None if not listed."""
        name = " ".join(legal_name.split()).casefold()
        return next((v for k, v in self.rcasp_names.items() if k.casefold() == name), None)

    def _account_of(self, wallet: str) -> str | None:
        w = wallet.casefold()
        return next((v for k, v in self.accounts.items() if k.casefold() == w), None)

    def _prefix_platform(self, wallet: str) -> str | None:
        w = wallet.casefold()
        for name in sorted(self.reporting.names, key=len, reverse=True):
            n = name.casefold()
            if w != n and w.startswith(n + " ") and not self.self_custody.matches(wallet):
                return name
        return None

    def ticker(self, crypto_asset: str, known_assets: Collection[str] = ()) -> str:
        """Ledger ticker for a report's ``CryptoAsset`` (docs/dac8.md, "Asset names").

        CARF asks for the asset's full name (DTI name where one exists), so reports write
        "Bitcoin", "BTC" or "Bitcoin (BTC)". In this order: the whole name in
        ``[asset_names]``; for "Name (X)" or "X (Name)", a part in ``[asset_names]``, then a
        part that is a ticker of the ledger, then the part in brackets when it is written
        like a ticker (capitals and digits); otherwise the name itself, upper-cased.
        """
        name = " ".join(crypto_asset.split())
        by_name = {k.casefold(): v.upper() for k, v in self.asset_names.items()}
        if name.casefold() in by_name:
            return by_name[name.casefold()]
        m = _NAME_AND_TICKER.fullmatch(name)
        if m is None:
            return name.upper()
        outer, inner = m.group(1).strip(), m.group(2).strip()
        for part in (inner, outer):
            if part.casefold() in by_name:
                return by_name[part.casefold()]
        known = {a.upper() for a in known_assets}
        for part in (inner, outer):
            if part.upper() in known:
                return part.upper()
        return inner if _TICKER_LIKE.fullmatch(inner) else name.upper()


#: "Bitcoin (BTC)", "Bitcoin [BTC]": a name and a bracketed part.
_NAME_AND_TICKER = re.compile(r"(.+?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]")
_TICKER_LIKE = re.compile(r"[A-Z0-9][A-Z0-9.\-]{0,14}")


@cache
def _packaged() -> tuple[dict[str, object], PlatformsConfig]:
    """The packaged platform list, as data and validated (read once per process: a batch
    checks hundreds of clients against it; the model is frozen)."""
    text = resources.files("taxsim.data").joinpath("reporting_platforms.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return data, PlatformsConfig.model_validate(data)


def load_platforms(path: str | Path | None = None) -> PlatformsConfig:
    """The packaged platform list, with the sections of ``path`` (if given) replacing it."""
    packaged, config = _packaged()
    if path is None:
        return config
    data = dict(packaged)  # the sections are replaced whole, never changed in place
    name = str(path)
    try:
        override = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(name, None, None, "file not found") from exc
    except OSError as exc:  # a folder, no permission …
        raise InputError(name, None, None, f"cannot read the file: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(name, None, None, f"not valid TOML: {exc}") from exc
    data.update(override)
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
            f"(names, patterns), asset_names, accounts and rcasp_names: {problems}",
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
    known = memo_of(platforms)  # the same wallet names come back client after client
    status: dict[str, PlatformStatus] = {}
    for w, c in sorted(on_chain.items()):
        found = known.get((w, c))
        if found is None:
            found = known[(w, c)] = platforms.classify(w, on_chain=c)
        status[w] = found  # type: ignore[assignment]
    return status
