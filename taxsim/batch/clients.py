"""Client folders: what each holds (by ``client.toml`` or by file name), its settings, and the
fingerprint that decides whether a rerun can skip it.

One folder per client directly below the clients folder (names starting with ``.`` or ``_``
are left out). The files are found by name unless ``client.toml [files]`` names them:

=================  =======================================================================
role               found as
=================  =======================================================================
ledger             ``ledger.csv`` / ``ledger.xlsx``; else the one CSV/XLSX no other role takes
corrections        ``corrections.toml``
previous           ``previous*.csv`` / ``previous*.xlsx`` (an earlier export)
onchain            ``onchain*.csv`` (on-chain balances)
platform reports   ``*.xml``, ``dac8*.csv``, ``carf*.csv``, and every file in ``platform_reports/``
platforms          ``platforms.toml`` (reporting / self-custody wallets, docs/dac8.md)
=================  =======================================================================
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..model import InputError, TaxsimError, plain_number

SETTINGS_FILE = "client.toml"
LEDGER_SUFFIXES = (".csv", ".xlsx")
REPORTS_FOLDER = "platform_reports"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _amount(value: object) -> Decimal:
    """An amount in EUR: a string like "65000.00" or a whole number; floats are refused (their
    binary value is not the number written)."""
    if isinstance(value, bool | float):
        raise ValueError('write the amount as a string, e.g. "65000.00", or a whole number')
    text = str(value).strip()
    if not plain_number(text):
        raise ValueError(f"expected an amount like 65000.00, got '{value}'")
    return Decimal(text)


class Files(_Strict):
    """Paths relative to the client folder, where the files are not named by the convention."""

    ledger: str | None = None
    corrections: str | None = None
    previous: str | None = None
    onchain: str | None = None
    platform_reports: list[str] | None = None
    platforms: str | None = None


class ClientSettings(_Strict):
    """``client.toml``: who the client is and how the tax is computed (docs/batch.md).

    It also takes the per-year tax settings of ``--client-settings`` (docs/rules.md, "Client
    settings"): a ``[client]`` table and ``[years.YYYY]`` tables; then the triage sums the
    years those tables name.
    """

    name: str = ""
    jurisdiction: Literal["de", "at"] = "de"
    #: the tax years the triage sums (all years of the ledger if empty) — or, as tables
    #: ``[years.2024]``, the per-year tax settings (taxable_income, church_tax, assessment,
    #: kest_withheld) of those years
    years: list[int] | dict[str, dict[str, Any]] = Field(default_factory=list)
    #: defaults of the per-year settings: name, church_tax, assessment
    client: dict[str, Any] | None = None
    #: DE: the client's other taxable income of the year (one amount, or per year) for the
    #: exact tax; see ``api.tax_options``
    taxable_income: Decimal | dict[int, Decimal] | None = None
    #: DE: church tax by federal state (e.g. "BY", "Bayern"), none if empty
    church_tax: str = ""
    #: DE: "single" or "joint" (§ 32a Abs. 5 splitting)
    assessment: Literal["single", "joint"] | None = None
    #: AT: KESt withheld by domestic providers (EUR)
    kest_withheld: Decimal | None = None
    #: DE: marginal rate for the estimate where the exact tax is not available: "42%" or "0.42"
    marginal_rate: Decimal | None = None
    language: Literal["de", "en"] = "de"
    timezone: str = "Europe/Berlin"
    files: Files = Field(default_factory=Files)

    @property
    def tax_years(self) -> list[int]:
        """The years the triage sums ([] = all)."""
        if isinstance(self.years, dict):
            return sorted(int(y) for y in self.years if str(y).isdigit())
        return list(self.years)

    def year_settings(self, file: str = "client.toml") -> object | None:
        """The per-year tax settings (``tax.ClientSettings``) where the file has them."""
        if self.client is None and not isinstance(self.years, dict):
            return None
        from ..tax import parse_client_settings

        years = self.years if isinstance(self.years, dict) else {}
        return parse_client_settings({"client": self.client or {}, "years": years}, file)

    @field_validator("jurisdiction", "language", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("kest_withheld", mode="before")
    @classmethod
    def _kest(cls, value: object) -> object:
        return None if value is None else _amount(value)

    @field_validator("taxable_income", mode="before")
    @classmethod
    def _income(cls, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, dict):
            out = {}
            for year, amount in value.items():
                try:
                    out[int(year)] = _amount(amount)
                except ValueError as exc:
                    raise ValueError(f"year {year}: {exc}") from None
            return out
        return _amount(value)

    @field_validator("marginal_rate", mode="before")
    @classmethod
    def _rate(cls, value: object) -> object:
        if value is None:
            return None
        text = str(value).strip()
        percent = text.endswith("%")
        number = text.rstrip("%").strip()
        if isinstance(value, float) or not plain_number(number):
            raise ValueError(f'expected a rate like "42%" or "0.42", got {value!r}')
        rate = Decimal(number) / 100 if percent or Decimal(number) > 1 else Decimal(number)
        if not 0 <= rate <= 1:
            raise ValueError(f"expected a rate between 0 and 100 %, got {value!r}")
        return rate

    @field_validator("years")
    @classmethod
    def _years(cls, value: list[int] | dict[str, Any]) -> list[int] | dict[str, Any]:
        if isinstance(value, dict):
            return value
        for year in value:
            if not 2009 <= year <= 2100:
                raise ValueError(f"expected tax years like 2024, got {year}")
        return sorted(set(value))


def load_settings(path: Path) -> ClientSettings:
    """Read ``client.toml``; a problem is an ``InputError`` naming the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(str(path), None, None, f"not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), None, None, f"not valid TOML: {exc}") from None
    try:
        settings = ClientSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = f"unknown key (known: {', '.join(ClientSettings.model_fields)})"
        raise InputError(str(path), None, key or None, message) from None
    settings.year_settings(str(path))  # the per-year tables, checked now (InputError)
    return settings


@dataclass(slots=True)
class ClientFiles:
    """The inputs of one client, as paths."""

    ledger: Path | None = None
    corrections: Path | None = None
    previous: Path | None = None
    onchain: Path | None = None
    platform_reports: list[Path] = field(default_factory=list)
    platforms: Path | None = None
    settings: Path | None = None

    def roles(self) -> list[tuple[str, Path]]:
        """(role, path) of every input given, in a fixed order."""
        out: list[tuple[str, Path]] = []
        for role in ("settings", "ledger", "corrections", "previous", "onchain", "platforms"):
            path = getattr(self, role)
            if path is not None:
                out.append((role, path))
        out += [("platform_report", p) for p in self.platform_reports]
        return out


@dataclass(slots=True)
class ClientJob:
    """Everything one client's run needs; picklable (it travels to worker processes)."""

    id: str  # the folder's name
    folder: Path
    settings: ClientSettings
    files: ClientFiles
    #: every file in the folder (relative path → SHA-256): what a rerun compares
    hashes: dict[str, str]
    #: a problem found before the run (bad client.toml, no ledger): the client's error
    problem: TaxsimError | None = None
    fingerprint: str = ""

    @property
    def name(self) -> str:
        return self.settings.name or self.id


def client_folders(root: Path) -> list[Path]:
    """The client folders below ``root``, sorted by name."""
    if not root.is_dir():
        raise TaxsimError(f"{root}: not a folder; expected a folder with one folder per client")
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _all_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def prepare_job(folder: Path) -> ClientJob:
    """Read a client folder's settings and find its files; problems become the job's error."""
    files = _all_files(folder)
    hashes = {p.relative_to(folder).as_posix(): sha256(p) for p in files}
    settings = ClientSettings()
    job = ClientJob(folder.name, folder, settings, ClientFiles(), hashes)
    try:
        settings_path = folder / SETTINGS_FILE
        if settings_path.is_file():
            job.settings = load_settings(settings_path)
            job.files.settings = settings_path
        job.files = find_files(folder, job.settings.files, files, job.files.settings)
    except TaxsimError as exc:
        job.problem = exc
    return job


def _named(folder: Path, relative: str, key: str, settings: Path | None) -> Path:
    path = folder / relative
    if not path.is_file():
        where = str(settings) if settings is not None else str(folder)
        raise InputError(where, None, f"files.{key}", f"{path}: file not found")
    return path


def find_files(folder: Path, named: Files, files: list[Path], settings: Path | None) -> ClientFiles:
    """The client's inputs: those ``client.toml [files]`` names, the others by file name."""
    out = ClientFiles(settings=settings)
    top = [p for p in files if p.parent == folder]
    lower = {p: p.name.lower() for p in files}

    def pick(key: str, match) -> Path | None:  # type: ignore[no-untyped-def]
        given = getattr(named, key)
        if given is not None:
            return _named(folder, given, key, settings)
        found = [p for p in top if match(lower[p])]
        return found[0] if found else None

    out.corrections = pick("corrections", lambda n: n == "corrections.toml")
    out.platforms = pick("platforms", lambda n: n == "platforms.toml")
    out.previous = pick(
        "previous", lambda n: n.startswith("previous") and n.endswith(LEDGER_SUFFIXES)
    )
    out.onchain = pick("onchain", lambda n: n.startswith("onchain") and n.endswith(".csv"))
    if named.platform_reports is not None:
        out.platform_reports = [
            _named(folder, r, "platform_reports", settings) for r in named.platform_reports
        ]
    else:
        out.platform_reports = [
            p
            for p in files
            if (p.parent == folder and _is_platform_report(lower[p]))
            or (p.parent.name == REPORTS_FOLDER and p.parent.parent == folder)
        ]
    if named.ledger is not None:
        out.ledger = _named(folder, named.ledger, "ledger", settings)
        return out
    taken = {out.previous, out.onchain, *out.platform_reports}
    exact = [p for p in top if lower[p] in ("ledger.csv", "ledger.xlsx")]
    rest = [p for p in top if lower[p].endswith(LEDGER_SUFFIXES) and p not in taken]
    if exact:
        out.ledger = exact[0]
    elif len(rest) == 1:
        out.ledger = rest[0]
    else:
        which = ", ".join(p.name for p in rest) if rest else "no CSV or XLSX file"
        raise InputError(
            str(folder),
            None,
            None,
            f"cannot tell the ledger ({which}): name it ledger.csv / ledger.xlsx or set "
            f'[files] ledger = "…" in {SETTINGS_FILE}',
        )
    return out


def _is_platform_report(name: str) -> bool:
    return name.endswith(".xml") or (name.endswith(".csv") and name.startswith(("dac8", "carf")))


@lru_cache(maxsize=8)  # once per jurisdiction and run, not per client (2 ms each)
def _rules_digest(jurisdiction: str) -> str:
    """SHA-256 of the rule set's JSON: a changed rule file reruns its clients."""
    from ..rules import load_rules

    return hashlib.sha256(load_rules(jurisdiction).model_dump_json().encode()).hexdigest()


def fingerprint(job: ClientJob, options: dict[str, object]) -> str:
    """SHA-256 of what decides a client's results: every file in its folder (by content), the
    roles found, the batch options that change results, the rule set and the taxsim version."""
    from .. import __version__

    rules = _rules_digest(job.settings.jurisdiction) if job.problem is None else ""
    payload = {
        "taxsim": __version__,
        "files": job.hashes,
        "roles": [(role, str(p.relative_to(job.folder))) for role, p in job.files.roles()],
        "settings": job.settings.model_dump(mode="json"),
        "problem": str(job.problem or ""),
        "options": options,
        "rules": rules or hashlib.sha256(b"").hexdigest(),
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
