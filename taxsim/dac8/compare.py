"""The platform reports compared with the expected view, line by line with tolerances."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..model import ZERO
from ..summary import cents
from .categories import (
    AMOUNT_ABS_TOL_EUR,
    AMOUNT_REL_TOL,
    UNIT_DUST,
    Category,
    LineKey,
)
from .categories import format_number as _fmt
from .platform_reports import PlatformReport, ReportLine
from .view import Dac8View


class Severity(StrEnum):
    INFO = "info"  # explainable (fee treatment, split fills)
    WARN = "warn"
    FAIL = "fail"


@dataclass(slots=True)
class Deviation:
    key: LineKey
    field: str  # "units" | "count" | "amount" | "not_reported" | "not_in_ledger"
    severity: Severity
    expected: Decimal | int | None
    reported: Decimal | int | None
    message_en: str
    message_de: str
    tx_ids: list[str]
    where: str = ""  # report location(s), "file:line"
    report: str = ""  # the report file compared


def compare(
    view: Dac8View,
    reports: Iterable[PlatformReport],
    *,
    unit_dust: Decimal = UNIT_DUST,
    rel_tol: Decimal = AMOUNT_REL_TOL,
    abs_tol_eur: Decimal = AMOUNT_ABS_TOL_EUR,
) -> list[Deviation]:
    """Compare the reports with the expected view, per platform × year × asset × category.

    Units must agree within ``unit_dust`` (a gap equal to the fee units is "fee treatment",
    info); counts differing is info (split or merged fills); amounts must agree within
    max(``rel_tol``, ``abs_tol_eur``) with either the gross or the net amount (net = info).
    A line on one side only is a failure. Each report is compared on its own (two reports of
    the same platform and year are two opinions, not two halves); with ``view.year`` set, lines
    of other years are left out.
    """
    out: list[Deviation] = []
    for rep in reports:
        for d in _compare_report(view, rep, unit_dust, rel_tol, abs_tol_eur):
            d.report = rep.file
            out.append(d)
    return out


def _compare_report(
    view: Dac8View,
    rep: PlatformReport,
    unit_dust: Decimal,
    rel_tol: Decimal,
    abs_tol_eur: Decimal,
) -> list[Deviation]:
    reported: dict[LineKey, list[ReportLine]] = defaultdict(list)
    for ln in rep.lines:
        if view.year is None or ln.key.year == view.year:
            reported[ln.key].append(ln)
    scopes = {(k.platform, k.year) for k in reported}
    expected_keys = {k for k in view.aggregates if (k.platform, k.year) in scopes}
    out: list[Deviation] = []
    for key in sorted(expected_keys | set(reported)):
        agg = view.aggregates.get(key)
        lines = reported.get(key)
        label = _label(key)
        if lines is None:
            assert agg is not None
            out.append(
                Deviation(
                    key, "not_reported", Severity.FAIL, agg.units, None,
                    f"{label}: the ledger has {agg.count} transaction(s) "
                    f"({_fmt(agg.units)} {key.asset}) the platform's report does not show.",
                    f"{label}: Im Ledger stehen {agg.count} Transaktion(en) "
                    f"({_fmt(agg.units)} {key.asset}), die in der Meldung der Plattform fehlen.",
                    list(agg.tx_ids), rep.file,
                )
            )  # fmt: skip
            continue
        units = sum((ln.units for ln in lines), ZERO)
        amount = sum((ln.amount for ln in lines), ZERO)
        counts = [ln.count for ln in lines]
        count = None if any(c is None for c in counts) else sum(c for c in counts if c is not None)
        currency = lines[0].currency
        where = ", ".join(ln.where for ln in lines)
        if agg is None:
            out.append(
                Deviation(
                    key, "not_in_ledger", Severity.FAIL, None, units,
                    f"{label}: the platform reports {_fmt(units)} {key.asset} "
                    f"({cents(amount)} {currency}) but the ledger has no such transaction.",
                    f"{label}: Die Plattform meldet {_fmt(units)} {key.asset} "
                    f"({cents(amount)} {currency}), im Ledger gibt es dazu keine Transaktion.",
                    [], where,
                )
            )  # fmt: skip
            continue
        ids = list(agg.tx_ids)
        diff = units - agg.units
        if abs(diff) > unit_dust:
            if agg.fee_units and abs(diff - agg.fee_units) <= unit_dust:
                out.append(
                    Deviation(
                        key, "units", Severity.INFO, agg.units, units,
                        f"{label}: the report counts the fee units too "
                        f"({_fmt(agg.fee_units)} {key.asset}); this is fee treatment, "
                        "not an error.",
                        f"{label}: Die Meldung zählt die Gebühr mit "
                        f"({_fmt(agg.fee_units)} {key.asset}); das ist Gebührenbehandlung, "
                        "kein Fehler.",
                        ids, where,
                    )
                )  # fmt: skip
            else:
                out.append(
                    Deviation(
                        key, "units", Severity.FAIL, agg.units, units,
                        f"{label}: the platform reports {_fmt(units)} {key.asset}, the ledger has "
                        f"{_fmt(agg.units)} (difference {_fmt(diff)}). Units do not depend on "
                        "prices: a transaction is missing, extra or booked differently.",
                        f"{label}: Die Plattform meldet {_fmt(units)} {key.asset}, das Ledger "
                        f"{_fmt(agg.units)} (Differenz {_fmt(diff)}). Stückzahlen hängen nicht "
                        "vom Kurs ab: eine Transaktion fehlt, ist zu viel oder anders gebucht.",
                        ids, where,
                    )
                )  # fmt: skip
        if (
            key.category is not Category.TRANSFER_WALLET
            and count is not None
            and count != agg.count
        ):
            out.append(
                Deviation(
                    key, "count", Severity.INFO, agg.count, count,
                    f"{label}: {count} transaction(s) reported, {agg.count} in the ledger; "
                    "platforms often split or merge order fills, so this alone is no error.",
                    f"{label}: {count} Transaktion(en) gemeldet, {agg.count} im Ledger; "
                    "Plattformen teilen oder bündeln Teilausführungen oft, das allein ist "
                    "kein Fehler.",
                    ids, where,
                )
            )  # fmt: skip
        rate = view.eur_usd if currency == "USD" else Decimal(1)
        gross, net = agg.gross * rate, agg.net * rate
        tol = max(abs(gross) * rel_tol, abs_tol_eur * rate)
        if abs(amount - gross) > tol:
            if agg.fees and abs(amount - net) <= tol:
                out.append(
                    Deviation(
                        key, "amount", Severity.INFO, cents(gross), amount,
                        f"{label}: the platform reports the amount net of fees "
                        f"({cents(amount)} {currency}; gross {cents(gross)}, fees "
                        f"{cents(agg.fees * rate)}); this is fee treatment, not an error.",
                        f"{label}: Die Plattform meldet den Betrag nach Gebühren "
                        f"({cents(amount)} {currency}; brutto {cents(gross)}, Gebühren "
                        f"{cents(agg.fees * rate)}); das ist Gebührenbehandlung, kein Fehler.",
                        ids, where,
                    )
                )  # fmt: skip
            else:
                conv = " (converted at a fixed EUR/USD rate)" if currency == "USD" else ""
                conv_de = " (zum festen EUR/USD-Kurs umgerechnet)" if currency == "USD" else ""
                out.append(
                    Deviation(
                        key, "amount", Severity.FAIL, cents(gross), amount,
                        f"{label}: the platform reports {cents(amount)} {currency}, the ledger "
                        f"gives {cents(gross)} {currency}{conv} — more than the tolerance of "
                        f"{cents(tol)}.",
                        f"{label}: Die Plattform meldet {cents(amount)} {currency}, das Ledger "
                        f"ergibt {cents(gross)} {currency}{conv_de} — mehr als die Toleranz von "
                        f"{cents(tol)}.",
                        ids, where,
                    )
                )  # fmt: skip
    return out


def _label(key: LineKey) -> str:
    t = f" {key.transfer_type}" if key.transfer_type else ""
    return f"{key.platform} {key.year} {key.asset} {key.category.value}{t}"
