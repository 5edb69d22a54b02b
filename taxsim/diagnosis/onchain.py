"""On-chain balances against the ledger."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from ..inputs import limits
from ..inputs.encoding import not_utf8
from ..inputs.text import Role, checked_row, row_is_clean
from ..model import InputError, plain_number
from .balances import balance_at
from .results import OnchainBalance, OnchainGap, Step

# --- on-chain balances ------------------------------------------------------------------------

ONCHAIN_COLUMNS = ("wallet", "chain", "asset", "contract", "balance", "as_of")
_ROLES = (Role.IDENTIFIER, Role.IDENTIFIER, Role.TICKER, Role.IDENTIFIER, Role.OTHER, Role.OTHER)


def read_onchain_balances(path: str | Path) -> list[OnchainBalance]:
    """Read ``wallet,chain,asset,contract,balance,as_of`` (as_of: ISO 8601 with offset).

    Read with the csv module, so a quoted field may span lines (and U+2028 in a field is
    text, not a line break); errors name the spreadsheet row (the header is row 1) and the
    column. ``balance`` is a plain decimal number like the ledgers' (``0.25``; no exponent).
    """
    file = str(path)
    records: list[tuple[int, list[str]]] = []  # (spreadsheet row, cells)
    try:
        limits.check_file_size(file, Path(path).stat().st_size)
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            for cells in reader:
                records.append((len(records) + 1, cells))
    except FileNotFoundError as exc:
        raise InputError(file, None, None, "file not found") from exc
    except UnicodeDecodeError:
        raise not_utf8(file, ",", "on-chain balances CSV") from None
    except csv.Error as exc:
        raise InputError(
            file, len(records) + 1, None, f"expected a CSV row (quotes around fields): {exc}"
        ) from None
    except OSError as exc:
        raise InputError(file, None, None, f"cannot read the file: {exc}") from None
    header = records[0][1] if records else None
    if header is None or [h.strip() for h in header] != list(ONCHAIN_COLUMNS):
        raise InputError(file, 1, None, f"expected the header {','.join(ONCHAIN_COLUMNS)}")
    result = []
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(ONCHAIN_COLUMNS):
            raise InputError(
                file,
                number,
                None,
                f"expected {len(ONCHAIN_COLUMNS)} columns ({','.join(ONCHAIN_COLUMNS)}), "
                f"found {len(cells)}",
            )
        if not row_is_clean(cells):  # the input boundary (taxsim.inputs)
            cells = checked_row(cells, _ROLES, file, number, ONCHAIN_COLUMNS)  # type: ignore[assignment]
        row = dict(zip(ONCHAIN_COLUMNS, (c.strip() for c in cells), strict=True))
        for name in ("wallet", "asset"):
            if not row[name]:
                raise InputError(file, number, name, "expected a value")
        if not plain_number(row["balance"]) or Decimal(row["balance"]) < 0:
            raise InputError(
                file,
                number,
                "balance",
                "expected a plain decimal number >= 0 such as 0.25 (digits with at most one "
                "decimal point; no exponent, thousands separator or comma), "
                f"got '{row['balance']}'",
            )
        amount = Decimal(row["balance"])
        try:
            as_of = datetime.fromisoformat(row["as_of"].replace("Z", "+00:00"))
        except ValueError:
            as_of = None
        if as_of is None or as_of.tzinfo is None:
            raise InputError(
                file, number, "as_of", f"expected ISO 8601 with offset, got '{row['as_of']}'"
            )
        result.append(
            OnchainBalance(
                row["wallet"],
                row["chain"].lower(),
                row["asset"].upper(),
                row["contract"],
                amount,
                as_of,
            )
        )
    return result


def onchain_gaps(
    lines: dict[tuple[str, str], list[Step]], onchain: Iterable[OnchainBalance]
) -> list[OnchainGap]:
    """Ledger balance at ``as_of`` against the chain, per row of the on-chain file."""
    return [
        OnchainGap(
            b.wallet,
            b.chain,
            b.asset,
            b.contract,
            balance_at(lines.get((b.wallet, b.asset), []), b.as_of),
            b.balance,
            b.as_of,
        )
        for b in onchain
    ]
