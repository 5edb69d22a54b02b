"""A client's settings per tax year (``client.toml``): other taxable income, church tax,
assessment, KESt withheld — what taxsim cannot read from a ledger.

Format (docs/rules.md, "Client settings")::

    [client]                      # defaults for every year (all optional)
    name = "Lena Beispiel"
    church_tax = "Bayern"         # federal state (name or code) or "none"
    assessment = "single"         # "single" | "joint" (§ 32a Abs. 5 splitting)

    [years.2024]
    taxable_income = "52000"      # zvE of the year without the crypto figures (EUR)
    church_tax = "Bayern"         # overrides [client]
    kest_withheld = "484.00"      # AT: KESt withheld by domestic providers (EUR)

Amounts are strings or integers (a TOML float has lost precision already and is refused).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..model import InputError

_CLIENT_KEYS = {"name", "church_tax", "assessment"}
_YEAR_KEYS = {"taxable_income", "church_tax", "assessment", "kest_withheld"}


@dataclass(frozen=True, slots=True)
class YearSettings:
    taxable_income: Decimal | None = None
    church_tax: str | None = None  # as written; validated against the rule set when used
    joint: bool = False
    kest_withheld: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ClientSettings:
    name: str = ""
    church_tax: str | None = None
    joint: bool = False
    years: dict[int, YearSettings] = field(default_factory=dict)
    file: str = ""

    def for_year(self, year: int) -> YearSettings:
        """The year's settings, the [client] defaults filled in."""
        y = self.years.get(year)
        if y is None:
            return YearSettings(None, self.church_tax, self.joint, None)
        return y


def load_client_settings(path: Path | str) -> ClientSettings:
    """Read ``client.toml``; any problem is an InputError naming the file and the key."""
    path = Path(path)
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read client settings: {exc}") from None
    except UnicodeDecodeError:
        raise InputError(name, None, None, "the file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(name, None, None, f"not valid TOML: {exc}") from None
    return parse_client_settings(data, name)


def parse_client_settings(data: dict[str, Any], file: str = "<client>") -> ClientSettings:
    unknown = sorted(set(data) - {"client", "years"})
    if unknown:
        raise InputError(file, None, unknown[0], "unknown key; expected [client] and [years.YYYY]")
    client = _table(data.get("client", {}), file, "client", _CLIENT_KEYS)
    church = _text(client, "church_tax", file, "client")
    joint = _joint(client, file, "client", False)
    years: dict[int, YearSettings] = {}
    for key, table in _table(data.get("years", {}), file, "years", None).items():
        where = f"years.{key}"
        if not (str(key).isdigit() and len(str(key)) == 4):
            raise InputError(file, None, where, "expected a year like [years.2024]")
        t = _table(table, file, where, _YEAR_KEYS)
        y_church = _text(t, "church_tax", file, where)
        years[int(key)] = YearSettings(
            _amount(t, "taxable_income", file, where),
            y_church if "church_tax" in t else church,
            _joint(t, file, where, joint),
            _amount(t, "kest_withheld", file, where),
        )
    return ClientSettings(str(client.get("name", "")), church, joint, years, file)


def _table(value: object, file: str, where: str, keys: set[str] | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(file, None, where, "expected a table")
    if keys is not None:
        extra = sorted(set(value) - keys)
        if extra:
            raise InputError(
                file, None, f"{where}.{extra[0]}", f"unknown key; expected one of {sorted(keys)}"
            )
    return value


def _text(table: dict[str, Any], key: str, file: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(file, None, f"{where}.{key}", 'expected text, e.g. "Bayern"')
    return value


def _joint(table: dict[str, Any], file: str, where: str, default: bool) -> bool:
    value = table.get("assessment")
    if value is None:
        return default
    if value not in ("single", "joint"):
        raise InputError(
            file, None, f"{where}.assessment", f"expected 'single' or 'joint', got {value!r}"
        )
    return value == "joint"


def _amount(table: dict[str, Any], key: str, file: str, where: str) -> Decimal | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, (float, bool)) or not isinstance(value, (str, int)):
        raise InputError(
            file, None, f"{where}.{key}", 'expected an amount as a string or integer, e.g. "52000"'
        )
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(file, None, f"{where}.{key}", f"not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(file, None, f"{where}.{key}", f"expected an amount ≥ 0, got {value!r}")
    return amount
