"""The simple CSV report (docs/dac8.md, "CSV")."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence

from ...inputs.encoding import not_utf8
from ...inputs.text import Role, checked_row, row_is_clean
from ...model import InputError
from ..categories import _CATEGORY_BY_LOWER, Category, LineKey
from ..platforms import PlatformsConfig
from .base import (
    CSV_COLUMNS,
    PlatformReport,
    ReportLine,
    _check_type,
    _count,
    _currency,
    _decimal,
    _resolve_platform,
)


def _read_csv(
    name: str,
    data: bytes,
    platform: str | None,
    cfg: PlatformsConfig,
    known: Sequence[str],
    assets: Collection[str] = (),
) -> PlatformReport:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(name, ",", "platform report CSV (or a CARF XML)") from None
    # The csv module on the whole text: quoted cells may hold line breaks (and U+2028, which
    # str.splitlines would split on). Rows are numbered as a spreadsheet shows them: the
    # header is row 1, and a record spanning several lines is one row.
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0  # the last row read without error
    try:
        header = [h.strip().lower() for h in next(records, [])]
        number = 1
        if sorted(header) != sorted(CSV_COLUMNS):
            raise InputError(
                name,
                1,
                None,
                f"expected the CSV header {','.join(CSV_COLUMNS)} (any order), "
                f"got {','.join(header) or 'an empty file'}",
            )
        rows: list[tuple[int, list[str]]] = []
        # every cell refused, not shown; the platform is matched by its words (free text);
        # the asset is compared after NFKC like the ledger's tickers
        named = {"platform": Role.FREE, "asset": Role.TICKER}
        roles = [named.get(h, Role.OTHER) for h in header]
        for number, raw in enumerate(records, start=2):
            if not row_is_clean(raw):  # the input boundary (taxsim.inputs)
                raw = checked_row(raw, roles, name, number, header)  # type: ignore[assignment]
            rows.append((number, raw))
    except csv.Error as exc:
        raise InputError(name, number + 1, None, f"malformed CSV: {exc}") from None
    lines: list[ReportLine] = []
    for i, raw in rows:
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            raise InputError(name, i, None, f"expected {len(header)} cells, got {len(raw)}")
        row = dict(zip(header, raw, strict=True))
        pname = row["platform"].strip() or (platform or "")
        if not pname:
            raise InputError(name, i, "platform", "expected a platform name")
        resolved = _resolve_platform([pname], known)
        year_t = row["year"].strip()
        if not (year_t.isdigit() and len(year_t) == 4):
            raise InputError(name, i, "year", f"expected a year like 2026, got {year_t!r}")
        cat = _CATEGORY_BY_LOWER.get(row["category"].strip().lower())
        if cat is None:
            raise InputError(
                name,
                i,
                "category",
                f"unknown category {row['category']!r}: expected one of "
                + ", ".join(c.value for c in Category),
            )
        ttype = _check_type(cat, row["transfer_type"], name, i, "transfer_type")
        asset = row["asset"].strip()
        if not asset:
            raise InputError(name, i, "asset", "expected a crypto-asset (ticker or name)")
        currency = _currency(row["currency"], name, i, "currency")
        count_t = row["count"].strip()
        count = _count(count_t, name, i, "count") if count_t else None
        if count is None and cat is not Category.TRANSFER_WALLET:
            raise InputError(name, i, "count", "expected the number of transactions")
        key = LineKey(
            cfg.platform_of(resolved or pname), int(year_t), cfg.ticker(asset, assets), cat, ttype
        )
        lines.append(
            ReportLine(
                key,
                _decimal(row["units"], name, i, "units", "a number of units"),
                _decimal(row["amount"], name, i, "amount", "an amount"),
                currency,
                count,
                f"{name}:{i}",
            )
        )
    return PlatformReport(name, "csv", lines)
