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
    TRANSFER_IN_TYPES,
    TRANSFER_OUT_TYPES,
    UNIT_DUST,
    Category,
    LineKey,
)
from .categories import format_number as _fmt
from .platform_reports import PlatformReport, ReportLine, resolve_corrections
from .view import Aggregate, Dac8View


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
    reports = list(reports)
    resolve_corrections(reports)
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
    scopes = {(p, y) for p, y in rep.scopes if view.year is None or y == view.year}
    expected_keys = {k for k in view.aggregates if (k.platform, k.year) in scopes}
    tol = _Tolerances(unit_dust, rel_tol, abs_tol_eur)
    out, handled = _reclassified(view, reported, expected_keys, tol)
    for key in sorted((expected_keys | set(reported)) - handled):
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
        if agg is None:
            units = sum((ln.units for ln in lines), ZERO)
            amount = sum((ln.amount for ln in lines), ZERO)
            currency = "/".join(sorted({ln.currency for ln in lines}))
            out.append(
                Deviation(
                    key, "not_in_ledger", Severity.FAIL, None, units,
                    f"{label}: the platform reports {_fmt(units)} {key.asset} "
                    f"({cents(amount)} {currency}) but the ledger has no such transaction.",
                    f"{label}: Die Plattform meldet {_fmt(units)} {key.asset} "
                    f"({cents(amount)} {currency}), im Ledger gibt es dazu keine Transaktion.",
                    [], ", ".join(ln.where for ln in lines),
                )
            )  # fmt: skip
            continue
        out += _compare_line(view, key, agg, lines, tol)
    return out


@dataclass(frozen=True, slots=True)
class _Tolerances:
    unit_dust: Decimal
    rel_tol: Decimal
    abs_tol_eur: Decimal


def _compare_line(
    view: Dac8View,
    key: LineKey,
    agg: Aggregate,
    lines: list[ReportLine],
    tolerances: _Tolerances,
) -> list[Deviation]:
    """Units, count and amount of one line present on both sides."""
    unit_dust = tolerances.unit_dust
    label = _label(key)
    out: list[Deviation] = []
    units = sum((ln.units for ln in lines), ZERO)
    counts = [ln.count for ln in lines]
    count = None if any(c is None for c in counts) else sum(c for c in counts if c is not None)
    where = ", ".join(ln.where for ln in lines)
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
    if key.category is not Category.TRANSFER_WALLET and count is not None and count != agg.count:
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
    out += _compare_amount(view, key, agg, lines, tolerances, where)
    return out


def _compare_amount(
    view: Dac8View,
    key: LineKey,
    agg: Aggregate,
    lines: list[ReportLine],
    tolerances: _Tolerances,
    where: str,
) -> list[Deviation]:
    """The amount, in the report's currency where taxsim has a rate for it (EUR; USD at
    ``--eur-usd``); several currencies with rates are compared in EUR. A currency without a
    rate is never converted by a guess: the amount is shown unconverted and flagged (warn)."""
    label = _label(key)
    ids = list(agg.tx_ids)
    rates = {"EUR": Decimal(1), "USD": view.eur_usd}
    currencies = sorted({ln.currency for ln in lines})
    unknown = [c for c in currencies if c not in rates]
    if unknown:
        shown = ", ".join(
            f"{cents(sum((ln.amount for ln in lines if ln.currency == c), ZERO))} {c}"
            for c in currencies
        )
        return [
            Deviation(
                key, "amount", Severity.WARN, cents(agg.gross), None,
                f"{label}: the platform reports {shown}; taxsim has no rate for "
                f"{', '.join(unknown)} (only EUR and USD at --eur-usd) and does not guess one, "
                f"so the amount is not compared (ledger: {cents(agg.gross)} EUR gross). Units "
                "and count are compared.",
                f"{label}: Die Plattform meldet {shown}; für {', '.join(unknown)} hat taxsim "
                "keinen Kurs (nur EUR und USD zu --eur-usd) und schätzt keinen, daher wird der "
                f"Betrag nicht verglichen (Ledger: {cents(agg.gross)} EUR brutto). Stückzahl und "
                "Anzahl werden verglichen.",
                ids, where,
            )
        ]  # fmt: skip
    if len(currencies) == 1:
        currency = currencies[0]
        amount = sum((ln.amount for ln in lines), ZERO)
    else:  # several currencies with rates: each converted to EUR
        currency = "EUR"
        amount = sum((ln.amount / rates[ln.currency] for ln in lines), ZERO)
    rel_tol, abs_tol_eur = tolerances.rel_tol, tolerances.abs_tol_eur
    out: list[Deviation] = []
    rate = rates[currency]
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
            converted = currency != "EUR" or len(currencies) > 1
            conv = " (converted at a fixed EUR/USD rate)" if converted else ""
            conv_de = " (zum festen EUR/USD-Kurs umgerechnet)" if converted else ""
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


#: The "unknown" transfer types: what a platform reports when it cannot tell the kind.
_UNKNOWN_TYPES = frozenset({"CARF509", "CARF606"})
_TRANSFERS = (Category.CRYPTO_TRANSFER_IN, Category.CRYPTO_TRANSFER_OUT)


def _reclassified(
    view: Dac8View,
    reported: dict[LineKey, list[ReportLine]],
    expected_keys: set[LineKey],
    tolerances: _Tolerances,
) -> tuple[list[Deviation], set[LineKey]]:
    """Transfers the platform reports under another transfer type: one finding, not two fails.

    Per platform × year × asset × CryptoTransferIn/Out: where the lines of single transfer
    types disagree but the units of all types together agree (within the dust), the platform
    classified the same movements differently — typically "unknown" (CARF509/606) where the
    ledger knows a transfer from/to another platform (505/601). That is one ``transfer_type``
    finding (info where the platform fell back to "unknown", warn otherwise); count and amount
    are compared on the totals. A TransferOut moved to or from CARF606 takes its
    ``TransferWallet`` line with it (the schema reports 606-type outflows to unknown addresses
    there too), so a TransferWallet gap of exactly the units moved is part of the same finding.
    Returns the deviations and the keys they cover.
    """
    dust = tolerances.unit_dust
    groups: dict[tuple[str, int, str, Category], list[LineKey]] = defaultdict(list)
    for k in expected_keys | set(reported):
        if k.category in _TRANSFERS:
            groups[(k.platform, k.year, k.asset, k.category)].append(k)
    out: list[Deviation] = []
    handled: set[LineKey] = set()
    for (platform, year, asset, cat), keys in sorted(groups.items()):

        def exp_units(k: LineKey) -> Decimal:
            a = view.aggregates.get(k) if k in expected_keys else None
            return a.units if a is not None else ZERO

        def rep_units(k: LineKey) -> Decimal:
            return sum((ln.units for ln in reported.get(k, [])), ZERO)

        differing = [k for k in keys if abs(exp_units(k) - rep_units(k)) > dust]
        total_e = sum((exp_units(k) for k in keys), ZERO)
        total_r = sum((rep_units(k) for k in keys), ZERO)
        if not differing or abs(total_e - total_r) > dust:
            continue
        grown = [k.transfer_type for k in differing if rep_units(k) > exp_units(k)]
        shrunk = [k.transfer_type for k in differing if rep_units(k) < exp_units(k)]
        severity = Severity.INFO if set(grown) <= _UNKNOWN_TYPES else Severity.WARN
        group_key = LineKey(platform, year, asset, cat, "")
        merged = Aggregate(group_key)
        lines: list[ReportLine] = []
        for k in sorted(keys):
            a = view.aggregates.get(k) if k in expected_keys else None
            if a is not None:
                _merge(merged, a)
            lines += reported.get(k, [])
        ids = list(merged.tx_ids)
        where = ", ".join(ln.where for ln in lines)
        label = _label(group_key)
        moved = sum(
            (rep_units(k) - exp_units(k) for k in differing if rep_units(k) > exp_units(k)), ZERO
        )

        def names(types: list[str]) -> str:
            return ", ".join(f"{t} ({_TYPE_NAMES.get(t, t)})" for t in types)

        out.append(
            Deviation(
                group_key, "transfer_type", severity, total_e, total_r,
                f"{label}: the platform reports {_fmt(moved)} {asset} as {names(grown)} where "
                f"the ledger has {names(shrunk)}; the units of all transfer types agree "
                f"({_fmt(total_r)} {asset}). "
                + ("Platforms report 'unknown' when they cannot tell where coins come from or go "
                   "to: not an error." if severity is Severity.INFO
                   else "Check which kind of transfer these are."),
                f"{label}: Die Plattform meldet {_fmt(moved)} {asset} als {names(grown)}, wo das "
                f"Ledger {names(shrunk)} hat; die Stückzahlen aller Übertragungsarten stimmen "
                f"({_fmt(total_r)} {asset}). "
                + ("Plattformen melden 'unbekannt', wenn sie Herkunft oder Ziel nicht kennen: "
                   "kein Fehler." if severity is Severity.INFO
                   else "Bitte prüfen, welche Art von Übertragung das ist."),
                ids, where,
            )
        )  # fmt: skip
        handled.update(keys)
        out += [d for d in _compare_line(view, group_key, merged, lines, tolerances)
                if d.field != "units"]  # fmt: skip
        if cat is Category.CRYPTO_TRANSFER_OUT:
            # 606 lines are also TransferWallet lines: a shift to/from 606 moves those too.
            k606 = LineKey(platform, year, asset, cat, "CARF606")
            shift = rep_units(k606) - exp_units(k606)
            tw = LineKey(platform, year, asset, Category.TRANSFER_WALLET, "")
            tw_e = exp_units(tw) if tw in expected_keys else ZERO
            tw_r = rep_units(tw)
            present = tw in expected_keys or tw in reported
            if shift and present and abs(tw_e + shift - tw_r) <= dust:
                handled.add(tw)
                a = view.aggregates.get(tw)
                out.append(
                    Deviation(
                        tw, "transfer_type", severity, tw_e, tw_r,
                        f"{_label(tw)}: {_fmt(tw_r)} {asset} reported, {_fmt(tw_e)} expected: "
                        "the difference is the transfers reported as CARF606 above (an outflow "
                        "to an address the platform does not know is reported as TransferWallet "
                        "too).",
                        f"{_label(tw)}: {_fmt(tw_r)} {asset} gemeldet, {_fmt(tw_e)} erwartet: der "
                        "Unterschied sind die oben als CARF606 gemeldeten Übertragungen (ein "
                        "Abfluss an eine der Plattform unbekannte Adresse wird auch als "
                        "TransferWallet gemeldet).",
                        list(a.tx_ids) if a is not None else ids,
                        ", ".join(ln.where for ln in reported.get(tw, [])),
                    )
                )  # fmt: skip
    return out, handled


_TYPE_NAMES = {**TRANSFER_IN_TYPES, **TRANSFER_OUT_TYPES}


def _merge(into: Aggregate, a: Aggregate) -> None:
    into.units += a.units
    into.gross += a.gross
    into.net += a.net
    into.fees += a.fees
    into.fee_units += a.fee_units
    into.count += a.count
    into.tx_ids += a.tx_ids
    into.unvalued += a.unvalued
    into.estimated += a.estimated


def _label(key: LineKey) -> str:
    t = f" {key.transfer_type}" if key.transfer_type else ""
    return f"{key.platform} {key.year} {key.asset} {key.category.value}{t}"
