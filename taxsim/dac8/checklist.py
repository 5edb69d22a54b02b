"""The 15 checks of the reference's § 5, as the PDF and ``taxsim dac8`` show them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from itertools import islice
from operator import attrgetter
from zoneinfo import ZoneInfo

from ..engine.types import DisposalKind, PassResult
from ..model import ZERO, IncomeType, Kind, Ledger, Transaction
from ..rules import RuleSet
from ..summary import cents
from .categories import (
    DEFAULT_EUR_USD,
    FIRST_REPORTING_YEAR,
    INCOME_TRANSFER_TYPE,
    REPORT_DUE,
    RRPT_LIMIT_USD,
    SWAP_SPREAD,
    YEAR_BOUNDARY,
    Category,
)
from .compare import Deviation, Severity, compare
from .platform_reports import PlatformReport
from .platforms import PlatformsConfig, PlatformStatus
from .view import Dac8View, build_view


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NA = "n/a"


@dataclass(slots=True)
class Check:
    number: int  # reference § 5 numbering
    key: str
    title_en: str
    title_de: str
    status: Status
    message_en: str
    message_de: str
    tx_ids: list[str] = field(default_factory=list)


def build_checklist(
    ledger: Ledger | Sequence[Transaction],
    *,
    rules: RuleSet,
    pass_result: PassResult | None = None,
    reports: Sequence[PlatformReport] = (),
    year: int | None = None,
    platforms: PlatformsConfig | None = None,
    eur_usd: Decimal = DEFAULT_EUR_USD,
    view: Dac8View | None = None,
    deviations: Sequence[Deviation] | None = None,
) -> list[Check]:
    """The 15 checks of the reference's § 5, each pass / warn / fail / n/a, in German and
    English, with the transactions behind each warning. ``view`` and ``deviations`` may be
    passed when already computed (the CLI does), otherwise they are built here.

    The checks cover reporting years from :data:`FIRST_REPORTING_YEAR` (2026) only. Years
    before it get one line instead (number 0, key ``reporting_period``, status n/a) saying that
    nothing of them is reported under DAC8: alone when ``year`` is before 2026 or the ledger has
    no row from 2026 on, else first, before the 15 checks (then naming the earlier years).
    """
    txs = ledger.transactions if isinstance(ledger, Ledger) else ledger
    years = {t.time.year for t in txs}
    if year is not None and year < FIRST_REPORTING_YEAR:
        return [_before_dac8([year], alone=True)]
    earlier = sorted(y for y in years if y < FIRST_REPORTING_YEAR) if year is None else []
    if years and year is None and max(years) < FIRST_REPORTING_YEAR:
        return [_before_dac8(earlier, alone=True)]
    if view is None:
        view = build_view(ledger, rules=rules, platforms=platforms, year=year, eur_usd=eur_usd)
    if deviations is None:
        deviations = compare(view, reports)
    checks = [
        _check_rebuild(view),
        _check_deviation(2, "units", "Units match", "Stückzahlen stimmen", reports, deviations),
        _check_deviation(3, "count", "Counts match", "Anzahl stimmt", reports, deviations),
        _check_deviation(4, "amount", "Amounts match", "Beträge stimmen", reports, deviations),
        _check_fees(view, reports, deviations),
        _check_swaps(view),
        _check_disposals(view, pass_result, year),
        _check_income(view, reports),
        _check_own_transfers(view),
        _check_unmatched_deposits(view),
        _check_year_boundary(view, rules, year),
        _check_one_sided(view),
        _check_rrpt(view),
        Check(
            14,
            "identity",
            "Identity data",
            "Identitätsdaten",
            Status.NA,
            "taxsim has no identity data. Compare the name, tax ID (TIN) and country of "
            "residence the platform holds with your tax return: an outdated residence sends "
            "the data to the wrong country.",
            "taxsim kennt keine Identitätsdaten. Vergleichen Sie Name, Steuer-ID und "
            "Wohnsitzland bei der Plattform mit Ihrer Steuererklärung: ein veralteter Wohnsitz "
            "schickt die Daten an das falsche Land.",
        ),  # fmt: skip
        _check_coverage(view, reports),
    ]
    return ([_before_dac8(earlier, alone=False)] if earlier else []) + checks


def _span(years: Sequence[int]) -> str:
    if len(years) > 1 and list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def _before_dac8(years: Sequence[int], *, alone: bool) -> Check:
    """The one line for years before DAC8: nothing of them is reported, so nothing is checked.
    ``alone``: no check follows (no year from 2026 on is asked for or in the ledger)."""
    first, due = FIRST_REPORTING_YEAR, FIRST_REPORTING_YEAR + 1
    span = _span(years)
    tail_en = (
        "There is nothing to compare with a platform report yet."
        if alone
        else f"The checks below cover only the years from {first} on."
    )
    tail_de = (
        "Es gibt noch nichts mit einer Meldung zu vergleichen."
        if alone
        else f"Die Prüfungen unten betreffen nur die Jahre ab {first}."
    )
    return Check(
        0, "reporting_period", "Reporting period", "Meldezeitraum", Status.NA,
        f"{span}: not yet reported under DAC8. Platforms collect data from 1 January {first}; "
        f"the first report, for {first}, is due by {REPORT_DUE} {due}, so the tax office has no "
        f"DAC8 data on {span}. {tail_en}",
        f"{span}: noch nicht nach DAC8 gemeldet. Plattformen erfassen Daten ab 1. Januar "
        f"{first}; die erste Meldung, für {first}, ist bis 31. Juli {due} fällig. Das "
        f"Finanzamt hat zu {span} keine DAC8-Daten. {tail_de}",
    )  # fmt: skip


_NOTHING = (
    "None on reporting platforms: nothing to check.",
    "Keine auf meldenden Plattformen: nichts zu prüfen.",
)


def _check_rebuild(view: Dac8View) -> Check:
    lines = list(view.aggregates.values())
    unvalued = sorted({t for a in lines for t in a.unvalued})
    estimated = sorted({t for a in lines for t in a.estimated})
    n, p = len(lines), len({a.key.platform for a in lines})
    if unvalued:
        return Check(
            1, "rebuild", "Expected report rebuilt", "Erwartete Meldung nachgebildet", Status.WARN,
            f"{n} report lines rebuilt for {p} platform(s), but {len(unvalued)} transaction(s) "
            "have no EUR value, so their amounts count as 0.",
            f"{n} Meldezeilen für {p} Plattform(en) nachgebildet, aber {len(unvalued)} "
            "Transaktion(en) haben keinen EUR-Wert; ihre Beträge zählen als 0.",
            unvalued,
        )  # fmt: skip
    extra_en = (
        f" {len(estimated)} transaction(s) valued at the last price in the ledger."
        if estimated
        else ""
    )
    extra_de = (
        f" {len(estimated)} Transaktion(en) mit dem letzten Kurs im Ledger bewertet."
        if estimated
        else ""
    )
    return Check(
        1, "rebuild", "Expected report rebuilt", "Erwartete Meldung nachgebildet", Status.PASS,
        f"{n} report lines rebuilt for {p} reporting platform(s) from your ledger.{extra_en}",
        f"{n} Meldezeilen für {p} meldende Plattform(en) aus Ihrem Ledger nachgebildet.{extra_de}",
        estimated,
    )  # fmt: skip


def _check_deviation(
    number: int,
    fld: str,
    title_en: str,
    title_de: str,
    reports: Sequence[PlatformReport],
    deviations: Sequence[Deviation],
) -> Check:
    if not reports:
        return Check(
            number, fld, title_en, title_de, Status.NA,
            "No platform report loaded, so there is nothing to compare with.",
            "Keine Meldung einer Plattform geladen, daher kein Vergleich möglich.",
        )  # fmt: skip
    extra = {"not_reported", "not_in_ledger", "transfer_type"} if fld == "units" else set()
    devs = [d for d in deviations if d.field in {fld} | extra]
    hard = [d for d in devs if d.severity is Severity.FAIL]
    warn = [d for d in devs if d.severity is Severity.WARN]
    soft = [d for d in devs if d.severity is Severity.INFO]
    ids = sorted({t for d in devs for t in d.tx_ids})
    if hard:
        status = Status.FAIL if fld != "count" else Status.WARN
        return Check(
            number, fld, title_en, title_de, status,
            f"{len(hard)} line(s) differ from the platform's report: "
            + " ".join(d.message_en for d in hard + warn),
            f"{len(hard)} Zeile(n) weichen von der Meldung der Plattform ab: "
            + " ".join(d.message_de for d in hard + warn),
            ids,
        )  # fmt: skip
    if warn:
        return Check(
            number, fld, title_en, title_de, Status.WARN,
            " ".join(d.message_en for d in warn),
            " ".join(d.message_de for d in warn),
            ids,
        )  # fmt: skip
    if soft and fld == "count":
        return Check(
            number, fld, title_en, title_de, Status.WARN,
            f"{len(soft)} line(s) have a different number of transactions. Where units and "
            "amounts agree, the platform most likely split or merged order fills.",
            f"{len(soft)} Zeile(n) haben eine andere Anzahl Transaktionen. Wo Stückzahlen und "
            "Beträge stimmen, hat die Plattform wohl Teilausführungen geteilt oder gebündelt.",
            ids,
        )  # fmt: skip
    why_en = sorted({"transfer type" if d.field == "transfer_type" else "fees" for d in soft})
    why_de = sorted({"Übertragungsart" if d.field == "transfer_type" else "Gebühren" for d in soft})
    return Check(
        number, fld, title_en, title_de, Status.PASS,
        "The platform's report agrees with your ledger"
        + (f" (differences explained by {' and '.join(why_en)})." if soft else "."),
        "Die Meldung der Plattform stimmt mit Ihrem Ledger überein"
        + (f" (Unterschiede durch {' und '.join(why_de)} erklärt)." if soft else "."),
        ids,
    )  # fmt: skip


def _check_fees(
    view: Dac8View, reports: Sequence[PlatformReport], deviations: Sequence[Deviation]
) -> Check:
    fees = sum((e.fee for e in view.entries), ZERO)
    explained = [
        d
        for d in deviations
        if d.severity is Severity.INFO and d.field not in ("count", "transfer_type")
    ]
    title = ("Fees: gross and net", "Gebühren: brutto und netto")
    if explained:
        return Check(
            5, "fees", *title, Status.PASS,
            f"{len(explained)} line(s) differ from the report by exactly the fees: the "
            "platform counts fees differently, which is not an error.",
            f"{len(explained)} Zeile(n) weichen genau um die Gebühren ab: die Plattform "
            "behandelt Gebühren anders, das ist kein Fehler.",
            sorted({t for d in explained for t in d.tx_ids}),
        )  # fmt: skip
    return Check(
        5, "fees", *title, Status.PASS,
        f"Amounts are computed both gross and net of fees (fees: {cents(fees)} EUR), so a "
        "report in either convention can be checked."
        + ("" if reports else " No report loaded yet."),
        f"Beträge werden brutto und netto nach Gebühren berechnet (Gebühren: {cents(fees)} EUR); "
        "eine Meldung in beiden Varianten lässt sich prüfen."
        + ("" if reports else " Noch keine Meldung geladen."),
    )  # fmt: skip


def _check_swaps(view: Dac8View) -> Check:
    title = ("Both sides of swaps", "Beide Seiten von Tauschgeschäften")
    bad: list[str] = []
    n = 0
    for tx in view.reported:
        if not tx.is_swap:
            continue
        n += 1
        assert tx.buy is not None and tx.sell is not None
        out_v, in_v = tx.sell.eur, tx.buy.eur
        if out_v is None or in_v is None:
            continue  # one leg priced from the other: symmetric by construction
        hi = max(out_v, in_v)
        if hi and abs(out_v - in_v) / hi > SWAP_SPREAD:
            bad.append(tx.id)
    if bad:
        return Check(
            6, "swaps", *title, Status.WARN,
            f"In {len(bad)} of {n} swap(s) the value given and the value received differ by "
            f"more than {SWAP_SPREAD:%}; the platform may report other values. Check the prices.",
            f"Bei {len(bad)} von {n} Tauschgeschäft(en) weichen hingegebener und erhaltener Wert "
            f"um mehr als {SWAP_SPREAD:%} ab; die Plattform meldet womöglich andere Werte.",
            bad,
        )  # fmt: skip
    if not n:
        return Check(6, "swaps", *title, Status.PASS, *_NOTHING)
    return Check(
        6, "swaps", *title, Status.PASS,
        f"All {n} swap(s) on reporting platforms appear on both sides with matching values.",
        f"Alle {n} Tauschgeschäft(e) erscheinen auf beiden Seiten mit passenden Werten.",
    )  # fmt: skip


_DISPOSAL_CATEGORIES = {Category.CRYPTO_FIAT_OUT, Category.CRYPTO_TO_CRYPTO_OUT, Category.RRPT}


def _check_disposals(view: Dac8View, pass_result: PassResult | None, year: int | None) -> Check:
    title = ("Disposals covered", "Veräußerungen abgedeckt")
    if pass_result is None:
        return Check(
            7, "disposals", *title, Status.NA,
            "Needs the tax computation; run it together with the tax report.",
            "Dafür wird die Steuerberechnung benötigt; zusammen mit dem Steuerbericht ausführen.",
        )  # fmt: skip
    kinds = {DisposalKind.SALE, DisposalKind.SWAP, DisposalKind.SPEND}
    taxed = {
        d.tx_id
        for d in pass_result.disposals
        if d.kind in kinds
        and view.platforms.get(d.wallet) is PlatformStatus.REPORTING
        and d.time.year >= FIRST_REPORTING_YEAR
        and (year is None or d.time.year == year)
    }
    reported = {
        e.tx_id
        for e in view.entries
        if e.key.category in _DISPOSAL_CATEGORIES or e.key.transfer_type == "CARF603"
    }
    missing, extra = sorted(taxed - reported), sorted(reported - taxed)
    if missing or extra:
        return Check(
            7, "disposals", *title, Status.WARN,
            f"{len(missing)} disposal(s) of the tax computation will not appear as a sale, swap "
            f"or payment in the platforms' reports, and {len(extra)} reported sale(s) or "
            "payment(s) are not a disposal in the tax computation. Check these transactions.",
            f"{len(missing)} Veräußerung(en) der Steuerberechnung erscheinen in den Meldungen "
            f"nicht als Verkauf, Tausch oder Zahlung, und {len(extra)} gemeldete Verkäufe oder "
            "Zahlungen sind in der Steuerberechnung keine Veräußerung. Bitte prüfen.",
            missing + extra,
        )  # fmt: skip
    if not taxed:
        return Check(7, "disposals", *title, Status.PASS, *_NOTHING)
    return Check(
        7, "disposals", *title, Status.PASS,
        f"All {len(taxed)} disposal(s) on reporting platforms in the tax computation match the "
        "sales, swaps and payments the platforms report.",
        f"Alle {len(taxed)} Veräußerung(en) auf meldenden Plattformen entsprechen den gemeldeten "
        "Verkäufen, Tauschgeschäften und Zahlungen.",
    )  # fmt: skip


def _check_income(view: Dac8View, reports: Sequence[PlatformReport]) -> Check:
    title = ("Income types", "Einkunftsarten")
    income = [t for t in view.reported if t.kind is Kind.INCOME]
    vague = [
        t.id for t in income if INCOME_TRANSFER_TYPE[t.income_type or IncomeType.OTHER] == "CARF508"
    ]
    # Where the platform reported 508/509 for an asset the client records as typed income.
    typed = defaultdict(list)
    for t in income:
        code = INCOME_TRANSFER_TYPE[t.income_type or IncomeType.OTHER]
        if code != "CARF508" and t.buy is not None:
            typed[(view.platform_of(t.wallet), t.time.year, t.buy.asset)].append(t.id)
    relabeled: list[str] = []
    for rep in reports:
        for ln in rep.lines:
            k = ln.key
            if k.category is Category.CRYPTO_TRANSFER_IN and k.transfer_type in (
                "CARF508",
                "CARF509",
            ):
                relabeled.extend(typed.get((k.platform, k.year, k.asset), []))
    if relabeled or vague:
        return Check(
            8, "income", *title, Status.WARN,
            f"{len(relabeled)} income transaction(s) are reported by the platform as 'other' or "
            f"'unknown' transfers, and {len(vague)} have a type without its own DAC8 code. "
            "Keep proof of what this income is (staking, lending, airdrop …).",
            f"{len(relabeled)} Einnahme(n) meldet die Plattform als 'sonstige' oder 'unbekannte' "
            f"Übertragung, und {len(vague)} haben eine Art ohne eigenen DAC8-Code. Belege für "
            "die Art der Einnahme (Staking, Lending, Airdrop …) aufbewahren.",
            sorted(set(relabeled + vague)),
        )  # fmt: skip
    if not income:
        return Check(8, "income", *title, Status.PASS, *_NOTHING)
    return Check(
        8, "income", *title, Status.PASS,
        f"All {len(income)} income transaction(s) map to a DAC8 transfer type "
        "(staking 502, mining 503, airdrop 501, lending 504).",
        f"Alle {len(income)} Einnahme(n) passen zu einem DAC8-Übertragungstyp "
        "(Staking 502, Mining 503, Airdrop 501, Lending 504).",
    )  # fmt: skip


def _check_own_transfers(view: Dac8View) -> Check:
    title = ("Own-wallet transfers", "Übertragungen zwischen eigenen Wallets")
    outs = [
        t for t in view.reported
        if t.kind is Kind.WITHDRAWAL and t.sell is not None and not t.sell.is_fiat
    ]  # fmt: skip
    unpaired = [t.id for t in outs if t.id not in view.pairs]
    if unpaired:
        return Check(
            9, "own_transfers", *title, Status.WARN,
            f"{len(unpaired)} of {len(outs)} withdrawal(s) from reporting platforms have no "
            "matching deposit in another of your wallets. The tax office sees an outflow with "
            "no destination: add the receiving wallet or explain the withdrawal.",
            f"{len(unpaired)} von {len(outs)} Auszahlung(en) von meldenden Plattformen haben "
            "keine passende Einzahlung in einer anderen Ihrer Wallets. Das Finanzamt sieht einen "
            "Abfluss ohne Ziel: empfangende Wallet ergänzen oder Auszahlung erklären.",
            unpaired,
        )  # fmt: skip
    if not outs:
        return Check(9, "own_transfers", *title, Status.PASS, *_NOTHING)
    return Check(
        9, "own_transfers", *title, Status.PASS,
        f"All {len(outs)} withdrawal(s) from reporting platforms arrive in another of "
        "your wallets.",
        f"Alle {len(outs)} Auszahlung(en) von meldenden Plattformen kommen in einer anderen "
        "Ihrer Wallets an.",
    )  # fmt: skip


def _check_unmatched_deposits(view: Dac8View) -> Check:
    title = ("Deposits with no known source", "Einzahlungen ohne bekannte Herkunft")
    ins = [
        t for t in view.reported
        if t.kind is Kind.DEPOSIT and t.buy is not None and not t.buy.is_fiat
    ]  # fmt: skip
    sources = set(view.pairs.values())
    unknown = [t.id for t in ins if t.id not in sources]
    if unknown:
        return Check(
            10, "unmatched_deposits", *title, Status.WARN,
            f"{len(unknown)} of {len(ins)} deposit(s) on reporting platforms come from no wallet "
            "in your ledger, so their purchase cost is missing. The tax office may estimate it; "
            "a cost of 0 overstates your profit. Add where these coins came from.",
            f"{len(unknown)} von {len(ins)} Einzahlung(en) auf meldenden Plattformen stammen aus "
            "keiner Wallet Ihres Ledgers; ihre Anschaffungskosten fehlen. Das Finanzamt kann "
            "schätzen; Kosten 0 überzeichnen den Gewinn. Herkunft ergänzen.",
            unknown,
        )  # fmt: skip
    if not ins:
        return Check(10, "unmatched_deposits", *title, Status.PASS, *_NOTHING)
    return Check(
        10, "unmatched_deposits", *title, Status.PASS,
        f"All {len(ins)} deposit(s) on reporting platforms come from another of your wallets.",
        f"Alle {len(ins)} Einzahlung(en) auf meldenden Plattformen stammen aus einer anderen "
        "Ihrer Wallets.",
    )  # fmt: skip


def _check_year_boundary(view: Dac8View, rules: RuleSet, year: int | None) -> Check:
    title = ("Year boundary", "Jahreswechsel")
    tz = ZoneInfo(rules.local_timezone)
    near: list[str] = []
    rows = view.transactions  # in processing order: by time
    if not rows:
        return _no_year_boundary(title)
    # Only the rows within a day of a local New Year that starts a reported year (2026 on;
    # with ``year``: that one or the next) can be counted in the other year's report: found
    # by bisection in the rows sorted by time, not by looking at every row.
    years = range(FIRST_REPORTING_YEAR, rows[-1].time.year + 2)
    chosen = [ny for ny in years if year is None or ny in (year, year + 1)]
    moment = attrgetter("time")
    for ny in chosen:
        new_year = datetime(ny, 1, 1, tzinfo=tz)
        start = bisect_left(rows, new_year - YEAR_BOUNDARY, key=moment)
        end = bisect_right(rows, new_year + YEAR_BOUNDARY, key=moment)
        for tx in islice(rows, start, end):
            if view.platforms.get(tx.wallet) is not PlatformStatus.REPORTING:
                continue
            if not any(leg is not None and not leg.is_fiat for leg in (tx.buy, tx.sell)):
                continue  # fiat-only rows (SEPA deposits) are not reported under CARF
            near.append(tx.id)
    if near:
        return Check(
            11, "year_boundary", *title, Status.WARN,
            f"{len(near)} transaction(s) lie within 24 hours of New Year ({rules.local_timezone}). "
            "Platforms count years in UTC, so they may appear in the other year's report.",
            f"{len(near)} Transaktion(en) liegen innerhalb von 24 Stunden um den Jahreswechsel "
            f"({rules.local_timezone}). Plattformen zählen Jahre in UTC; sie können in der "
            "Meldung des anderen Jahres stehen.",
            near,
        )  # fmt: skip
    return _no_year_boundary(title)


def _no_year_boundary(title: tuple[str, str]) -> Check:
    return Check(
        11, "year_boundary", *title, Status.PASS,
        "No transaction on a reporting platform lies within 24 hours of New Year.",
        "Keine Transaktion auf einer meldenden Plattform liegt innerhalb von 24 Stunden um den "
        "Jahreswechsel.",
    )  # fmt: skip


def _check_one_sided(view: Dac8View) -> Check:
    title = ("One-sided trades", "Einseitige Trades")
    one = [
        t.id for t in view.reported
        if t.kind is Kind.TRADE and (t.buy is None) != (t.sell is None)
    ]  # fmt: skip
    if one:
        return Check(
            12, "one_sided", *title, Status.WARN,
            f"{len(one)} trade(s) have only one side on the platform; the platform reports them "
            "as transfers, not as purchases or sales. Not a missing disposal, but keep the "
            "other side's records.",
            f"{len(one)} Trade(s) haben nur eine Seite auf der Plattform; sie werden als "
            "Übertragung gemeldet, nicht als Kauf oder Verkauf. Keine fehlende Veräußerung, aber "
            "Belege der Gegenseite aufbewahren.",
            one,
        )  # fmt: skip
    return Check(
        12, "one_sided", *title, Status.PASS,
        "Every trade on a reporting platform has both sides there.",
        "Jeder Trade auf einer meldenden Plattform hat dort beide Seiten.",
    )  # fmt: skip


def _check_rrpt(view: Dac8View) -> Check:
    title = ("Payments over USD 50,000", "Zahlungen über 50.000 USD")
    rrpt = [e.tx_id for e in view.entries if e.key.category is Category.RRPT]
    small = [e for e in view.entries if e.key.transfer_type == "CARF603"]
    # Within 10 % of the limit the fixed EUR/USD rate may put a payment on the wrong side.
    close = [
        e.tx_id for e in view.entries
        if (e.key.category is Category.RRPT or e.key.transfer_type == "CARF603")
        and e.value is not None
        and abs(e.value * view.eur_usd - RRPT_LIMIT_USD) <= RRPT_LIMIT_USD / 10
    ]  # fmt: skip
    if close:
        return Check(
            13, "rrpt", *title, Status.WARN,
            f"{len(close)} payment(s) are within 10 % of USD 50,000; depending on the exchange "
            "rate the platform reports them as a large retail payment (RRPT) or as a normal "
            "purchase of goods (CARF603).",
            f"{len(close)} Zahlung(en) liegen innerhalb von 10 % um 50.000 USD; je nach Kurs "
            "meldet die Plattform sie als große Zahlung (RRPT) oder als normalen Kauf (CARF603).",
            close,
        )  # fmt: skip
    return Check(
        13, "rrpt", *title, Status.PASS,
        f"{len(rrpt)} payment(s) over USD 50,000 (reported as RRPT) and {len(small)} smaller "
        "payment(s) (CARF603).",
        f"{len(rrpt)} Zahlung(en) über 50.000 USD (als RRPT gemeldet) und {len(small)} kleinere "
        "Zahlung(en) (CARF603).",
        rrpt,
    )  # fmt: skip


def _check_coverage(view: Dac8View, reports: Sequence[PlatformReport]) -> Check:
    title = ("Platform coverage", "Abdeckung der Plattformen")
    used = {t.wallet for t in view.in_scope}
    unknown = sorted(w for w in used if view.platforms.get(w) is PlatformStatus.UNKNOWN)
    with_report = {p for rep in reports for p, _y in rep.scopes}
    no_report = sorted(
        {
            view.platform_of(w)
            for w in used
            if view.platforms.get(w) is PlatformStatus.REPORTING
            and view.platform_of(w) not in with_report
        }
    )
    if unknown or no_report:
        parts_en, parts_de = [], []
        if unknown:
            parts_en.append(
                f"We do not know whether {', '.join(unknown)} report(s) to the tax office; "
                "mark each as reporting or not (--platforms)."
            )
            parts_de.append(
                f"Ob {', '.join(unknown)} an das Finanzamt meldet/melden, ist unbekannt; "
                "als meldend oder nicht meldend kennzeichnen (--platforms)."
            )
        if no_report:
            parts_en.append(
                f"No report loaded for {', '.join(no_report)}: the figures shown are our "
                "reconstruction of what they report."
            )
            parts_de.append(
                f"Keine Meldung geladen für {', '.join(no_report)}: die Zahlen sind unsere "
                "Nachbildung dessen, was gemeldet wird."
            )
        return Check(15, "coverage", *title, Status.WARN, " ".join(parts_en), " ".join(parts_de))
    return Check(
        15, "coverage", *title, Status.PASS,
        "Every platform has a report loaded or is marked as not reporting.",
        "Für jede Plattform ist eine Meldung geladen oder sie ist als nicht meldend "
        "gekennzeichnet.",
    )  # fmt: skip
