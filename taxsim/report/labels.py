"""German and English labels and number formats of the report.

The report is read by a German or Austrian client and by an adviser who may prefer English, so
every fixed text lives here once per language. Numbers are formatted from ``Decimal`` (never
float): money is rounded once to the cent with ROUND_HALF_UP (``summary.cents``) and written
the way each language expects it (de: ``1.234,56 €``, en: ``€1,234.56``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ..summary import cents

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")

LABELS: dict[str, dict[Lang, str]] = {
    # cover
    "title": {
        "de": "Steuerliche Auswirkung der Ledger-Korrekturen",
        "en": "Tax impact of the ledger corrections",
    },
    "subtitle": {
        "de": "Kryptowerte — Rohdaten und korrigierte Daten im Vergleich",
        "en": "Crypto-assets — raw and corrected ledger compared",
    },
    "client": {"de": "Mandant", "en": "Client"},
    "years": {"de": "Steuerjahre", "en": "Tax years"},
    "jurisdiction": {"de": "Rechtsordnung", "en": "Jurisdiction"},
    "jur_DE": {
        "de": "Deutschland (§ 23, § 22 Nr. 3 EStG)",
        "en": "Germany (§ 23, § 22 no. 3 EStG)",
    },
    "jur_AT": {"de": "Österreich (§ 27b EStG)", "en": "Austria (§ 27b EStG)"},
    "ledger_file": {"de": "Ledger-Datei", "en": "Ledger file"},
    "corrections_file": {"de": "Korrekturdatei", "en": "Corrections file"},
    "generated": {"de": "Erstellt am", "en": "Generated on"},
    "none": {"de": "keine", "en": "none"},
    "cover_note": {
        "de": "Die Rohdaten enthalten Verkäufe ohne Kaufhistorie („Short (Warning)“), die mit "
        "Anschaffungskosten 0 € bewertet werden. Der so entstehende Gewinn ist fiktiv. Dieser "
        "Bericht stellt die Steuer auf die Rohdaten der Steuer nach den dokumentierten "
        "Korrekturen gegenüber. Er ersetzt keine Steuerberatung; die Formularzeilen sind am "
        "amtlichen Formular des Jahres zu prüfen.",
        "en": 'The raw ledger contains sales without purchase history ("Short (Warning)"), '
        "valued at an acquisition cost of €0. The resulting profit is fictitious. This report "
        "sets the tax on the raw ledger against the tax after the documented corrections. It "
        "is not tax advice; form lines must be verified against the official form of the year.",
    },
    "page": {"de": "Seite", "en": "Page"},
    # summary
    "sec_summary": {"de": "1. Zusammenfassung je Steuerjahr", "en": "1. Summary per tax year"},
    "year": {"de": "Jahr", "en": "Year"},
    "raw_taxable": {"de": "Stpfl. Gewinn roh", "en": "Taxable raw"},
    "cor_taxable": {"de": "Stpfl. Gewinn korrigiert", "en": "Taxable corrected"},
    "fictitious": {"de": "Fiktiver Gewinn", "en": "Fictitious profit"},
    "raw_after": {"de": "Roh nach Freigrenze", "en": "Raw after allowance"},
    "cor_after": {"de": "Korrigiert nach Freigrenze", "en": "Corrected after allowance"},
    "income": {"de": "Sonstige Einkünfte (korr.)", "en": "Other income (corr.)"},
    "raw_income": {"de": "Einkünfte roh", "en": "Income raw"},
    "cor_income": {"de": "Einkünfte korrigiert", "en": "Income corrected"},
    "raw_tax": {"de": "Steuer roh", "en": "Tax raw"},
    "cor_tax": {"de": "Steuer korrigiert", "en": "Tax corrected"},
    "income_at": {"de": "Laufende Einkünfte (korr.)", "en": "Current income (corr.)"},
    "exempt": {"de": "Steuerfrei (korr.)", "en": "Tax-free (corr.)"},
    "speculation": {"de": "Spekulation § 31 a. F. (korr.)", "en": "Speculation old § 31 (corr.)"},
    "shorts": {"de": "Shorts roh → korr.", "en": "Shorts raw → corr."},
    "tax_effect": {"de": "Steuer­ersparnis", "en": "Tax effect"},
    "freigrenze": {"de": "Freigrenze", "en": "Allowance"},
    "total": {"de": "Summe", "en": "Total"},
    "tax_note_de": {
        "de": "Steuerersparnis = Steuer auf die Rohdaten minus Steuer auf die korrigierten Daten, "
        "zum Grenzsteuersatz {rate} zuzüglich Solidaritätszuschlag (Kirchensteuer: {church}). "
        "Die Freigrenze des § 23 Abs. 3 S. 5 EStG ist eine Grenze, kein Freibetrag: Wird sie "
        "erreicht, ist der ganze Gewinn steuerpflichtig.",
        "en": "Tax effect = tax on the raw ledger minus tax on the corrected ledger, at the "
        "marginal rate {rate} plus solidarity surcharge (church tax: {church}). The § 23 (3) "
        "sentence 5 EStG Freigrenze is a cliff, not an allowance: once reached, the whole gain "
        "is taxable.",
    },
    "tax_note_at": {
        "de": "Steuerersparnis = 27,5 % Sondersteuersatz (§ 27a EStG) auf die Rohdaten minus "
        "auf die korrigierten Daten (Verlustausgleich nur im selben Jahr).",
        "en": "Tax effect = 27.5 % special rate (§ 27a EStG) on the raw ledger minus on the "
        "corrected ledger (losses offset within the same year only).",
    },
    "crossing_below": {
        "de": "{year}: Der korrigierte Gewinn von {gain} liegt unter der Freigrenze von {limit} "
        "— steuerfrei (roh: {raw}, voll steuerpflichtig).",
        "en": "{year}: the corrected gain of {gain} is below the allowance of {limit} — tax-free "
        "(raw: {raw}, fully taxable).",
    },
    "crossing_above": {
        "de": "{year}: Der korrigierte Gewinn von {gain} erreicht die Freigrenze von {limit} — "
        "voll steuerpflichtig (roh: {raw}).",
        "en": "{year}: the corrected gain of {gain} reaches the allowance of {limit} — fully "
        "taxable (raw: {raw}).",
    },
    "chart_title": {
        "de": "Steuerpflichtiger Gewinn je Jahr: roh und korrigiert (EUR)",
        "en": "Taxable gain per year: raw and corrected (EUR)",
    },
    "raw": {"de": "roh", "en": "raw"},
    "corrected": {"de": "korrigiert", "en": "corrected"},
    "forms_title": {
        "de": "Wohin die korrigierten Zahlen gehören",
        "en": "Where the corrected figures go",
    },
    "figure": {"de": "Kennzahl", "en": "Figure"},
    "amount": {"de": "Betrag", "en": "Amount"},
    "form_line": {"de": "Formular / Zeile", "en": "Form / line"},
    "verify_form": {
        "de": "Am amtlichen Formular des Jahres prüfen.",
        "en": "Verify against the official form of the year.",
    },
    "no_form": {
        "de": "Keine Zuordnung im Regelwerk für dieses Jahr — amtliches Formular verwenden.",
        "en": "No mapping in the rule set for this year — use the official form.",
    },
    "fig_private_sales_gain": {
        "de": "Gewinn private Veräußerungsgeschäfte (§ 23)",
        "en": "Private disposal gain (§ 23)",
    },
    "fig_other_income": {
        "de": "Sonstige Einkünfte (§ 22 Nr. 3)",
        "en": "Other income (§ 22 no. 3)",
    },
    "fig_current_income": {
        "de": "Laufende Einkünfte aus Kryptowährungen",
        "en": "Current crypto income",
    },
    "fig_realized_gain": {
        "de": "Überschüsse aus realisierten Wertsteigerungen",
        "en": "Realized gains",
    },
    "fig_realized_loss": {
        "de": "Verluste aus realisierten Wertsteigerungen",
        "en": "Realized losses",
    },
    "fig_current_income_kest": {
        "de": "Laufende Einkünfte aus Kryptowährungen, mit KESt-Abzug",
        "en": "Current crypto income, KESt withheld",
    },
    "fig_realized_gain_kest": {
        "de": "Überschüsse aus realisierten Wertsteigerungen, mit KESt-Abzug",
        "en": "Realized gains, KESt withheld",
    },
    "fig_realized_loss_kest": {
        "de": "Verluste aus realisierten Wertsteigerungen, mit KESt-Abzug",
        "en": "Realized losses, KESt withheld",
    },
    "fig_speculation_gain": {
        "de": "Spekulationsgewinn (§ 31 a. F., Veräußerung vor 1.3.2022)",
        "en": "Speculation gain (old § 31, sold before 1 March 2022)",
    },
    # negative balances
    "sec_balances": {
        "de": "2. Negative Bestände (Rohdaten)",
        "en": "2. Negative balances (raw ledger)",
    },
    "balances_intro": {
        "de": "Ein negativer Bestand entsteht, wenn mehr verkauft oder abgehoben wird, als das "
        "Ledger an Zugängen zeigt. Der Kipppunkt ist die Transaktion, mit der der Bestand unter "
        "null fällt; dort fehlt meist ein Zugang. Wert der Lücke = |tiefster Stand| × "
        "Stückpreis des Kipppunkts (ohne brauchbaren Preis dort: Median-Stückpreis des Assets im "
        "Ledger); er zählt auch dann, wenn die fehlenden Einheiten erst nach einer Übertragung "
        "in einer anderen Wallet verkauft werden. Sortiert nach Priorität, dann Wert der Lücke; "
        "die Diagramme zeigen die Fälle höchster Priorität.",
        "en": "A negative balance arises when more is sold or withdrawn than the ledger shows "
        "coming in. The tipping point is the transaction that takes the balance below zero; an "
        "inflow is usually missing there. Gap value = |lowest balance| × the unit price at the "
        "tipping point (without a usable price there: the asset's median price in the ledger); "
        "it counts even when the missing units are sold in another wallet after a transfer. "
        "Sorted by priority, then gap value; the charts show the highest-priority cases.",
    },
    "wallet": {"de": "Wallet", "en": "Wallet"},
    "asset": {"de": "Asset", "en": "Asset"},
    "tipping_point": {"de": "Kipppunkt", "en": "Tipping point"},
    "lowest": {"de": "Tiefster Stand", "en": "Lowest balance"},
    "end_balance": {"de": "Endbestand", "en": "End balance"},
    "gap_eur": {"de": "Wert der Lücke", "en": "Gap value"},
    "priority": {"de": "Priorität", "en": "Priority"},
    "cause": {"de": "Ursache", "en": "Cause"},
    "cause_scam_token": {"de": "Scam-Token", "en": "scam token"},
    "cause_deleted_inflow": {"de": "gelöschter Zugang", "en": "deleted inflow"},
    "cause_aggregator_swap": {"de": "Aggregator-Swap", "en": "aggregator swap"},
    "cause_one_sided_bridge": {"de": "einseitige Bridge", "en": "one-sided bridge"},
    "cause_incomplete_history": {"de": "unvollständige Historie", "en": "incomplete history"},
    "cause_unknown": {"de": "unbekannt", "en": "unknown"},
    "prio_high": {"de": "hoch", "en": "high"},
    "prio_medium": {"de": "mittel", "en": "medium"},
    "prio_low": {"de": "niedrig", "en": "low"},
    "balance_of": {"de": "Bestand {asset} in {wallet}", "en": "Balance of {asset} in {wallet}"},
    "no_negative": {
        "de": "Die Rohdaten zeigen keinen negativen Bestand.",
        "en": "The raw ledger shows no negative balance.",
    },
    "charts_shown": {
        "de": "Diagramme für {shown} von {total} negativen Beständen (höchste Priorität); "
        "alle sind in der Tabelle aufgeführt.",
        "en": "Charts for {shown} of {total} negative balances (highest priority); all are "
        "listed in the table.",
    },
    # shorts
    "sec_shorts": {
        "de": "3. Verkäufe ohne Kaufhistorie („Short (Warning)“) in den Rohdaten",
        "en": '3. Sales without purchase history ("Short (Warning)") in the raw ledger',
    },
    "shorts_intro": {
        "de": "Jeder dieser Verkäufe wird in den Rohdaten mit Anschaffungskosten 0 € und "
        "Haltedauer 0 Tage angesetzt. Die letzte Spalte zeigt, welche Korrektur ihn auflöst "
        "oder was noch fehlt.",
        "en": "Each of these sales is valued in the raw ledger at an acquisition cost of €0 and "
        "a holding period of 0 days. The last column shows which correction resolves it or what "
        "is still missing.",
    },
    "no_shorts": {
        "de": "Die Rohdaten enthalten keine Verkäufe ohne Kaufhistorie.",
        "en": "The raw ledger has no sales without purchase history.",
    },
    "date": {"de": "Datum", "en": "Date"},
    "disposal": {"de": "Tx-ID", "en": "Tx id"},
    "uncovered": {"de": "Ungedeckt", "en": "Uncovered"},
    "proceeds": {"de": "Erlös", "en": "Proceeds"},
    "resolution": {"de": "Auflösung", "en": "Resolution"},
    "resolved_by": {"de": "aufgelöst durch {ids}", "en": "resolved by {ids}"},
    "ids_more": {"de": "{ids} und {more} weitere", "en": "{ids} and {more} more"},
    "cell_cut": {
        "de": "… (vollständiger Text in der Berater-Arbeitsmappe / im Audit-CSV)",
        "en": "… (full text in the advisor workbook / audit CSV)",
    },
    "resolved_partly": {
        "de": "teilweise aufgelöst durch {ids}; noch ungedeckt {qty}",
        "en": "partly resolved by {ids}; still uncovered {qty}",
    },
    "resolved_removed": {
        "de": "entfällt: Zeile entfernt durch {ids}",
        "en": "gone: row removed by {ids}",
    },
    "resolved_indirect": {
        "de": "aufgelöst (indirekt durch die Korrekturen)",
        "en": "resolved (indirectly, by the corrections)",
    },
    "open": {
        "de": "offen — Erwerb von {qty} {asset} vor {time} belegen (set_cost_basis) oder "
        "fehlenden Zugang ergänzen (add_inflow / restore / link_transfer / merge_export)",
        "en": "open — document the acquisition of {qty} {asset} before {time} (set_cost_basis) "
        "or add the missing inflow (add_inflow / restore / link_transfer / merge_export)",
    },
    "remaining_title": {
        "de": "Nach der Korrektur verbleiben {n} Verkäufe ohne Kaufhistorie ({eur}).",
        "en": "{n} sales without purchase history remain after correction ({eur}).",
    },
    "remaining_none": {
        "de": "Nach der Korrektur verbleibt kein Verkauf ohne Kaufhistorie.",
        "en": "No sale without purchase history remains after correction.",
    },
    # corrections
    "sec_corrections": {
        "de": "4. Korrekturen: Begründung, Belege, Wirkung",
        "en": "4. Corrections: reasons, evidence, effect",
    },
    "corrections_intro": {
        "de": "„Allein“ = Wirkung der Korrektur allein auf die Rohdaten; „weggelassen“ = Beitrag "
        "der Korrektur zum vollständigen Satz (negativ = weniger steuerpflichtiger Gewinn). Weil "
        "Korrekturen zusammenwirken, müssen sich die Werte nicht aufsummieren.",
        "en": '"Alone" = the correction\'s effect applied alone to the raw ledger; "left out" = '
        "its contribution to the full set (negative = less taxable gain). Because corrections "
        "interact, the figures need not add up.",
    },
    "no_corrections": {
        "de": "Es wurde keine Korrekturdatei angegeben.",
        "en": "No corrections file was given.",
    },
    "id": {"de": "Nr.", "en": "Id"},
    "kind": {"de": "Art", "en": "Kind"},
    "reason": {"de": "Begründung", "en": "Reason"},
    "evidence": {"de": "Belege", "en": "Evidence"},
    "alone": {"de": "Allein", "en": "Alone"},
    "left_out": {"de": "Weggelassen", "en": "Left out"},
    "changes": {"de": "Zeilen", "en": "Rows"},
    "worth_error": {"de": "nicht einzeln bewertbar", "en": "cannot be evaluated alone"},
    "worth_income": {"de": "Einkünfte:", "en": "Income:"},
    "sec_audit": {
        "de": "5. Manuelle Änderungen am Ledger (Prüfpfad)",
        "en": "5. Manual changes to the ledger (audit trail)",
    },
    "audit_intro": {
        "de": "Jede hinzugefügte, entfernte oder geänderte Zeile mit der Korrektur, die sie "
        "bewirkt, und deren Begründung (BMF-Schreiben vom 6.3.2025, Rz. 90: manuelle "
        "Änderungen sind zu kennzeichnen und zu erläutern). Die Eingabedateien bleiben "
        "unverändert.",
        "en": "Every row added, removed or changed, with the correction that did it and its "
        "reason (BMF letter of 6 March 2025, para. 90: manual changes must be marked and "
        "explained). The input files are left unchanged.",
    },
    "no_audit": {"de": "Keine manuellen Änderungen.", "en": "No manual changes."},
    "correction": {"de": "Korrektur", "en": "Correction"},
    "action": {"de": "Aktion", "en": "Action"},
    "row": {"de": "Zeile", "en": "Row"},
    "before": {"de": "Vorher", "en": "Before"},
    "after": {"de": "Nachher", "en": "After"},
    "act_added": {"de": "hinzugefügt", "en": "added"},
    "act_removed": {"de": "entfernt", "en": "removed"},
    "act_changed": {"de": "geändert", "en": "changed"},
    # dac8
    "sec_dac8": {"de": "6. DAC8-Checkliste", "en": "6. DAC8 checklist"},
    "dac8_intro": {
        "de": "Ab dem Meldejahr 2026 melden Plattformen Jahressummen je Kryptowert an die "
        "Finanzverwaltung. Die Checkliste prüft, ob das korrigierte Ledger zu diesen Meldungen "
        "passen wird.",
        "en": "From reporting year 2026 platforms report yearly totals per crypto-asset to the "
        "tax authorities. The checklist tests whether the corrected ledger will agree with "
        "those reports.",
    },
    "dac8_missing": {
        "de": "DAC8-Checkliste nicht verfügbar: {error}",
        "en": "DAC8 checklist not available: {error}",
    },
    "check": {"de": "Prüfung", "en": "Check"},
    "status": {"de": "Status", "en": "Status"},
    "finding": {"de": "Ergebnis", "en": "Finding"},
    "st_pass": {"de": "OK", "en": "pass"},
    "st_warn": {"de": "Warnung", "en": "warn"},
    "st_fail": {"de": "Fehler", "en": "fail"},
    "st_n/a": {"de": "n. a.", "en": "n/a"},
    # settings
    "sec_settings": {"de": "7. Offenlegung der Einstellungen", "en": "7. Disclosure of settings"},
    "settings_intro": {
        "de": "Steuerreports müssen ihre Einstellungen offenlegen (Kurse, Verbrauchsfolge) — "
        "BMF-Schreiben vom 6.3.2025, Rz. 90.",
        "en": "Tax reports must disclose their settings (prices, order of consumption) — BMF "
        "letter of 6 March 2025, para. 90.",
    },
    "setting": {"de": "Einstellung", "en": "Setting"},
    "value": {"de": "Wert", "en": "Value"},
    "set_rule_set": {"de": "Regelwerk", "en": "Rule set"},
    "set_method": {"de": "Bewertungsmethode", "en": "Valuation method"},
    "set_lot_scope": {"de": "Betrachtung der Bestände", "en": "Lot scope"},
    "set_lot_order": {"de": "Verbrauchsfolge", "en": "Order of consumption"},
    "set_holding_period": {"de": "Haltefrist", "en": "Holding period"},
    "set_network_fee": {"de": "Netzwerkgebühren in Krypto", "en": "Network fees in crypto"},
    "set_short_policy": {
        "de": "Verkäufe ohne Kaufhistorie (Rohdaten)",
        "en": "Sales without history (raw pass)",
    },
    "set_local_timezone": {"de": "Zeitzone für Kalenderdaten", "en": "Time zone of calendar dates"},
    "set_price_source": {"de": "Kursquelle", "en": "Price source"},
    "set_marginal_rate": {"de": "Grenzsteuersatz", "en": "Marginal tax rate"},
    "set_church_tax": {"de": "Kirchensteuer", "en": "Church tax"},
    "set_ledger_format": {"de": "Erkanntes Ledger-Format", "en": "Detected ledger format"},
    "set_rounding": {"de": "Rundung", "en": "Rounding"},
    "val_fifo": {"de": "FIFO (first in, first out)", "en": "FIFO (first in, first out)"},
    "val_average": {"de": "gleitender Durchschnittspreis", "en": "moving average cost"},
    "val_wallet": {"de": "je Wallet und Kryptowert", "en": "per wallet and crypto-asset"},
    "val_global": {
        "de": "ein Bestand je Kryptowert über alle Wallets",
        "en": "one pool per crypto-asset across wallets",
    },
    "val_alt_first": {"de": "Altvermögen zuerst", "en": "old assets (Altvermögen) first"},
    "val_neu_first": {"de": "Neuvermögen zuerst", "en": "new assets (Neuvermögen) first"},
    "val_disposal": {"de": "Veräußerung zum Marktwert", "en": "disposal at market value"},
    "val_werbungskosten": {
        "de": "Werbungskosten des Jahres",
        "en": "deductible expense of the year",
    },
    "val_ignore": {"de": "steuerlich unbeachtlich", "en": "ignored for tax"},
    "val_zero_cost_same_day": {
        "de": "Anschaffung am selben Tag zu 0 € angenommen (wie CoinTracking)",
        "en": "purchase assumed on the same day for €0 (as CoinTracking does)",
    },
    "val_backfill": {
        "de": "spätere Zugänge füllen den negativen Bestand auf",
        "en": "later inflows fill the negative balance",
    },
    "val_none": {"de": "keine", "en": "none"},
    "val_price_source": {
        "de": "EUR-Werte aus dem Ledger (zeitgenaue Werte wie exportiert)",
        "en": "EUR values in the ledger (exact-time values as exported)",
    },
    "rounding_text": {
        "de": "exakt gerechnet, einmal kaufmännisch auf Cent gerundet bei der Darstellung",
        "en": "computed exactly, rounded once to the cent (half up) when presented",
    },
    # appendix
    "sec_appendix": {
        "de": "Anhang: Veräußerungen nach Korrektur",
        "en": "Appendix: disposals after correction",
    },
    "appendix_intro": {
        "de": "Eine Zeile je zugeordnetem Erwerb (Lot). Daten in {tz}. Herkunft: „S“ = ohne "
        "Kaufhistorie (Kosten 0), „G“ = Einzahlung ohne Gegenbuchung (Kosten 0). Die Spalte "
        "Korr. nennt die Korrektur, die die Veräußerung oder das Lot hinzugefügt oder "
        "geändert hat. Beträge auf den Cent so gerundet, dass die Zeilen je Jahr und Kennzahl "
        "die Jahreswerte ergeben; Kosten = Erlös − Gebühr − Gewinn (kann um 1–2 Cent von den "
        "einzeln gerundeten Kosten abweichen).",
        "en": 'One line per matched acquisition (lot). Dates in {tz}. Origin: "S" = without '
        'purchase history (cost 0), "G" = deposit without a matching withdrawal (cost 0). '
        "The Corr. column names the correction that added or changed the disposal or the lot. "
        "Amounts are rounded to the cent so that the rows of each year and figure add up to "
        "the yearly figures; cost = proceeds − fee − gain (it may differ by 1–2 cents from the "
        "cost rounded on its own).",
    },
    "no_disposals": {"de": "Keine Veräußerungen.", "en": "No disposals."},
    "qty": {"de": "Menge", "en": "Quantity"},
    "cost": {"de": "Kosten", "en": "Cost"},
    "fee": {"de": "Gebühr", "en": "Fee"},
    "gain": {"de": "Gewinn", "en": "Gain"},
    "lot": {"de": "Lot", "en": "Lot"},
    "acquired": {"de": "Erworben", "en": "Acquired"},
    "days": {"de": "Tage", "en": "Days"},
    "taxable": {"de": "Stpfl.", "en": "Taxable"},
    "origin": {"de": "Herk.", "en": "Origin"},
    "corr_short": {"de": "Korr.", "en": "Corr."},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "not_realized": {"de": "kein Realisat", "en": "not realized"},
    "spec_31": {"de": "§ 31 a. F.", "en": "old § 31"},
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = LABELS[key][lang]
    return text.format(**values) if values else text


#: Most ids named in one table cell; a long list would not fit on a page (the exports and
#: ``taxsim dac8 --json`` carry every id).
MAX_IDS_IN_CELL = 12


def id_list(ids: Sequence[str], lang: Lang, sep: str = ", ") -> str:
    """``ids`` joined, at most ``MAX_IDS_IN_CELL`` of them, then "and N more"."""
    if len(ids) <= MAX_IDS_IN_CELL:
        return sep.join(ids)
    shown = sep.join(ids[:MAX_IDS_IN_CELL])
    more = _group(str(len(ids) - MAX_IDS_IN_CELL), "." if lang == "de" else ",")
    return t("ids_more", lang, ids=shown, more=more)


def _group(integer: str, sep: str) -> str:
    out = []
    while len(integer) > 3:
        out.insert(0, integer[-3:])
        integer = integer[:-3]
    out.insert(0, integer)
    return sep.join(out)


def number(value: Decimal, lang: Lang, places: int | None = 2) -> str:
    """``value`` with the language's separators; ``places=None`` keeps every digit (quantities).

    Money is rounded to the cent (ROUND_HALF_UP) first; quantities are shown exactly as the
    ledger has them, trailing zeros dropped, because a rounded quantity could hide the dust
    that makes a balance negative.
    """
    if places == 2:
        value = cents(value)
        text = f"{value + 0:.2f}" if value else "0.00"
    else:
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text in ("-0", ""):
            text = "0"
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    integer, _, fraction = text.partition(".")
    thousands, decimal_point = (".", ",") if lang == "de" else (",", ".")
    out = _group(integer, thousands)
    if fraction:
        out += decimal_point + fraction
    return sign + out


def eur(value: Decimal, lang: Lang) -> str:
    """Money in EUR: de ``-1.234,56 €``, en ``-€1,234.56``."""
    text = number(value, lang)
    if lang == "de":
        return f"{text} €"
    return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"


def qty(value: Decimal, lang: Lang) -> str:
    return number(value, lang, places=None)


def day(value: date | datetime, lang: Lang) -> str:
    return value.strftime("%d.%m.%Y") if lang == "de" else value.strftime("%Y-%m-%d")


def moment(value: datetime, lang: Lang) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if lang == "de" else value.strftime("%Y-%m-%d %H:%M")


def percent(rate: Decimal, lang: Lang) -> str:
    text = number(rate * 100, lang, places=None)
    return f"{text} %"
