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
    "cover_note_raw": {
        "de": "Die Rohdaten enthalten Verkäufe ohne Kaufhistorie („Short (Warning)“), die mit "
        "Anschaffungskosten 0 € bewertet werden; der so entstehende Gewinn kann fiktiv sein. "
        "Dieser Entwurf zeigt die Steuer auf die unkorrigierten Rohdaten und wo Lücken sind. "
        "Er ersetzt keine Steuerberatung und ist nicht zur Abgabe bestimmt.",
        "en": 'The raw ledger contains sales without purchase history ("Short (Warning)"), '
        "valued at an acquisition cost of €0; the resulting profit may be fictitious. This "
        "draft shows the tax on the uncorrected ledger and where the gaps are. It is not tax "
        "advice and not meant for filing.",
    },
    "not_computed_short": {"de": "—", "en": "—"},
    "no_corrections_given": {"de": "keine Korrekturen angegeben", "en": "no corrections given"},
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
    # correction kinds in words (the code in brackets in the workbook)
    "kind_add_inflow": {"de": "Zugang ergänzt", "en": "Inflow added"},
    "kind_delete": {"de": "Zeile entfernt", "en": "Row removed"},
    "kind_link_transfer": {"de": "Übertrag verknüpft", "en": "Transfer linked"},
    "kind_mark_scam": {"de": "Scam-Token ausgebucht", "en": "Scam token removed"},
    "kind_merge_export": {"de": "Export ergänzt", "en": "Export merged"},
    "kind_reclassify": {"de": "Art geändert", "en": "Type changed"},
    "kind_rename_ticker": {"de": "Kürzel geändert", "en": "Ticker renamed"},
    "kind_restore": {"de": "Zeile wiederhergestellt", "en": "Row restored"},
    "kind_set_cost_basis": {"de": "Kosten belegt", "en": "Cost documented"},
    "page_of": {"de": "Seite {n} von {m}", "en": "Page {n} of {m}"},
    # page 1: at a glance
    "title_raw": {
        "de": "Rohdaten — nicht zur Abgabe geeignet",
        "en": "Raw ledger — not fit for filing",
    },
    "subtitle_raw": {
        "de": "Diagnose des Krypto-Ledgers ohne Korrekturen (Entwurf)",
        "en": "Diagnosis of the crypto ledger without corrections (draft)",
    },
    "draft_mark": {"de": "ENTWURF", "en": "DRAFT"},
    "sec_glance": {"de": "Auf einen Blick", "en": "At a glance"},
    "fict_gains": {"de": "Fiktive Gewinne", "en": "Fictitious gains"},
    "fict_income": {"de": "Fiktive Einkünfte", "en": "Fictitious income"},
    "pot_fict_gains": {"de": "Potenziell fiktive Gewinne", "en": "Potentially fictitious gains"},
    "pot_fict_income": {
        "de": "Potenziell fiktive Einkünfte",
        "en": "Potentially fictitious income",
    },
    "fict_gains_de": {"de": "§ 23 EStG, Verkäufe", "en": "§ 23 EStG, disposals"},
    "fict_gains_at": {"de": "§ 27b EStG, Realisierungen", "en": "§ 27b EStG, realizations"},
    "fict_income_de": {"de": "§ 22 Nr. 3 EStG", "en": "§ 22 no. 3 EStG"},
    "fict_income_at": {"de": "laufende Einkünfte § 27b", "en": "current income § 27b"},
    "tax_raw_long": {"de": "Steuer auf die Rohdaten", "en": "Tax on the raw ledger"},
    "tax_cor_long": {"de": "Steuer nach Korrektur", "en": "Tax after correction"},
    "tax_diff_long": {"de": "Differenz (fiktive Mehrsteuer)", "en": "Difference (fictitious tax)"},
    "not_computed": {"de": "— (keine Korrekturen)", "en": "— (no corrections)"},
    "open_items": {"de": "Offene Punkte", "en": "Open items"},
    "open_shorts_item": {
        "de": "{n} Verkäufe ohne Kaufhistorie über {eur} Erlös sind offen.",
        "en": "{n} sales without purchase history with {eur} of proceeds are open.",
    },
    "open_none": {
        "de": "Keine: Jeder Verkauf hat eine Kaufhistorie.",
        "en": "None: every sale has a purchase history.",
    },
    "open_worth_errors": {
        "de": "Die Wirkung von {ids} ließ sich nicht einzeln berechnen.",
        "en": "The effect of {ids} could not be computed on its own.",
    },
    "open_dac8": {
        "de": "DAC8-Checkliste: {fail} Fehler, {warn} {warnings} (Abschnitt 6).",
        "en": "DAC8 checklist: {fail} failures, {warn} {warnings} (section 6).",
    },
    "status_clean": {
        "de": "Bereinigt: Die Rohdaten überzeichnen Ihre Steuer um {diff}; nach {n} "
        "Korrekturen ist kein Verkauf ohne Kaufhistorie mehr offen.",
        "en": "Clean: the raw ledger overstates your tax by {diff}; after {n} corrections no "
        "sale without purchase history is left open.",
    },
    "status_open": {
        "de": "Offene Lücken: Die Rohdaten überzeichnen Ihre Steuer um {diff}, aber nach {n} "
        "Korrekturen sind noch {open} Verkäufe ohne Kaufhistorie offen — die Zahlen sind "
        "vorläufig.",
        "en": "Open gaps: the raw ledger overstates your tax by {diff}, but after {n} "
        "corrections {open} sales without purchase history are still open — the figures are "
        "provisional.",
    },
    "status_draft": {
        "de": "Entwurf: Die Rohdaten enthalten {open} Verkäufe ohne Kaufhistorie und "
        "potenziell fiktive Beträge von {fict}; ohne Korrekturen sind sie nicht zur Abgabe "
        "geeignet.",
        "en": "Draft: the raw ledger holds {open} sales without purchase history and "
        "potentially fictitious amounts of {fict}; without corrections it is not fit for "
        "filing.",
    },
    "status_draft_clean": {
        "de": "Entwurf: Die Rohdaten enthalten keine Verkäufe ohne Kaufhistorie; ohne geprüfte "
        "Korrekturdatei ist der Bericht dennoch nicht zur Abgabe bestimmt.",
        "en": "Draft: the raw ledger holds no sale without purchase history; without a reviewed "
        "corrections file the report is still not meant for filing.",
    },
    "status_label": {"de": "Status", "en": "Status"},
    "glance_chart": {
        "de": "Steuer je Jahr: Rohdaten und korrigiert (EUR; unten Gewinne, oben Einkünfte)",
        "en": "Tax per year: raw and corrected (EUR; gains below, income on top)",
    },
    "glance_chart_raw": {
        "de": "Steuer je Jahr auf die Rohdaten (EUR; unten Gewinne, oben Einkünfte)",
        "en": "Tax per year on the raw ledger (EUR; gains below, income on top)",
    },
    "on_gains": {"de": "auf Gewinne", "en": "on gains"},
    "on_income": {"de": "auf Einkünfte", "en": "on income"},
    "raw_short": {"de": "roh", "en": "raw"},
    "cor_short": {"de": "korr.", "en": "corr."},
    "glance_fict_note": {
        "de": "Fiktiv = Rohdaten minus korrigierte Daten: Gewinne aus Verkäufen, die mit "
        "Anschaffungskosten 0 € gebucht wurden, und Einkünfte, die es nicht gab (z. B. ein "
        "wertloser Scam-Token mit echtem Kürzel).",
        "en": "Fictitious = raw minus corrected: gains from sales booked at an acquisition cost "
        "of €0 and income that did not exist (e.g. a worthless scam token with a real ticker).",
    },
    "glance_pot_note": {
        "de": "Potenziell fiktiv = Gewinne auf Einheiten ohne Kaufhistorie (Kosten 0 €) und "
        "Einkünfte aus Token, die die Diagnose als Scam-Token einstuft. Erst die Korrekturen "
        "zeigen, was davon wirklich fiktiv ist.",
        "en": "Potentially fictitious = gains on units without purchase history (cost €0) and "
        "income from tokens the diagnosis classes as scam tokens. Only the corrections show "
        "how much of it really is fictitious.",
    },
    # summary
    "sec_summary": {"de": "1. Zusammenfassung je Steuerjahr", "en": "1. Summary per tax year"},
    "year": {"de": "Jahr", "en": "Year"},
    "raw_taxable": {"de": "Stpfl. Gewinn roh", "en": "Taxable raw"},
    "cor_taxable": {"de": "Stpfl. Gewinn korrigiert", "en": "Taxable corrected"},
    "fictitious": {"de": "Fiktive Gewinne", "en": "Fictitious gains"},
    "raw_after": {"de": "Roh nach Freigrenze", "en": "Raw after allowance"},
    "cor_after": {"de": "Korrigiert nach Freigrenze", "en": "Corrected after allowance"},
    "income": {"de": "Sonstige Einkünfte (korr.)", "en": "Other income (corr.)"},
    "raw_income": {"de": "Einkünfte roh", "en": "Income raw"},
    "pot_fictitious": {"de": "Potenziell fiktiv", "en": "Potentially fictitious"},
    "pot_fict_income_short": {"de": "Potenziell fiktiv", "en": "Potentially fictitious"},
    "fict_income_short": {"de": "Fiktive Einkünfte", "en": "Fictitious income"},
    "raw_income_after": {"de": "Roh nach Freigrenze", "en": "Raw after allowance"},
    "no_forms_raw": {
        "de": "Keine Formularzuordnung: Rohdaten mit offenen Lücken sind nicht zur Abgabe "
        "geeignet.",
        "en": "No form mapping: a raw ledger with open gaps is not fit for filing.",
    },
    "derivatives_de": {
        "de": "Derivate (Termingeschäfte, § 20 Abs. 2 S. 1 Nr. 3 EStG, Anlage KAP) — von taxsim "
        "nicht simuliert, nur ausgewiesen: {lines}.",
        "en": "Derivatives (§ 20 (2) sentence 1 no. 3 EStG, Anlage KAP) — not simulated by "
        "taxsim, shown only: {lines}.",
    },
    "derivatives_at": {
        "de": "Derivate (§ 27 Abs. 4 EStG) — von taxsim nicht simuliert, nur ausgewiesen: {lines}.",
        "en": "Derivatives (§ 27 (4) EStG) — not simulated by taxsim, shown only: {lines}.",
    },
    "cor_income": {"de": "Einkünfte korrigiert", "en": "Income corrected"},
    "raw_tax": {"de": "Steuer roh", "en": "Tax raw"},
    "cor_tax": {"de": "Steuer korrigiert", "en": "Tax corrected"},
    "income_at": {"de": "Laufende Einkünfte (korr.)", "en": "Current income (corr.)"},
    "exempt": {"de": "Steuerfrei (korr.)", "en": "Tax-free (corr.)"},
    "exempt_raw": {"de": "Steuerfrei", "en": "Tax-free"},
    "tax_note_raw": {
        "de": "Steuer roh = Steuer auf die unkorrigierten Rohdaten ({basis}). Ohne Korrekturen "
        "gibt es keine korrigierte Steuer und keine Differenz.",
        "en": "Tax raw = tax on the uncorrected ledger ({basis}). Without corrections there is "
        "no corrected tax and no difference.",
    },
    "speculation": {"de": "Spekulation § 31 a. F. (korr.)", "en": "Speculation old § 31 (corr.)"},
    "shorts": {"de": "Verkäufe ohne Kaufhistorie", "en": "Sales without purchase history"},
    "tax_effect": {"de": "Differenz", "en": "Difference"},
    "freigrenze": {"de": "Freigrenze", "en": "Allowance"},
    "total": {"de": "Summe", "en": "Total"},
    "tax_note_de": {
        "de": "Differenz = Steuer auf die Rohdaten minus Steuer auf die korrigierten Daten, "
        "geschätzt zum Grenzsteuersatz {rate} zuzüglich Solidaritätszuschlag (Kirchensteuer: "
        "{church}), ohne Soli-Freigrenze, Kirchensteuer als Sonderausgabe und 45-%-Satz. "
        "Die Freigrenze des § 23 Abs. 3 S. 5 EStG ist eine Grenze, kein Freibetrag: Wird sie "
        "erreicht, ist der ganze Gewinn steuerpflichtig.",
        "en": "Difference = tax on the raw ledger minus tax on the corrected ledger, estimated at "
        "the marginal rate {rate} plus solidarity surcharge (church tax: {church}), ignoring the "
        "Soli threshold, church tax as a special expense and the 45 % rate. The § 23 (3) "
        "sentence 5 EStG Freigrenze is a cliff, not an allowance: once reached, the whole gain "
        "is taxable.",
    },
    "tax_note_de_exact": {
        "de": "Differenz = Steuer auf die Rohdaten minus Steuer auf die korrigierten Daten: "
        "Einkommensteuer nach dem Tarif des § 32a EStG des Jahres auf das angegebene übrige zu "
        "versteuernde Einkommen zuzüglich der Kryptoergebnisse, Solidaritätszuschlag mit "
        "Freigrenze und Milderungszone (§§ 3, 4 SolZG), Kirchensteuer ({church}) mit ihrem "
        "Sonderausgabenabzug; Jahre ohne Angabe: Schätzung zum Grenzsteuersatz. Die Freigrenze "
        "des § 23 Abs. 3 S. 5 EStG ist eine Grenze, kein Freibetrag.",
        "en": "Difference = tax on the raw ledger minus tax on the corrected ledger: income tax "
        "by the § 32a EStG tariff of the year on the stated other taxable income plus the crypto "
        "figures, solidarity surcharge with its threshold and phase-in (§§ 3, 4 SolZG), church "
        "tax ({church}) deducted as a special expense; years without a stated income: estimate "
        "at the marginal rate. The § 23 (3) sentence 5 EStG Freigrenze is a cliff.",
    },
    "tax_note_at": {
        "de": "Differenz = 27,5 % Sondersteuersatz (§ 27a EStG) auf die Rohdaten minus "
        "auf die korrigierten Daten (Verlustausgleich nur im selben Jahr).",
        "en": "Difference = 27.5 % special rate (§ 27a EStG) on the raw ledger minus on the "
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
    "forms_omitted_one": {
        "de": "1 Zeile mit 0,00 € ist weggelassen; die Arbeitsmappe und forms.csv führen alle.",
        "en": "1 line of €0.00 is left out; the workbook and forms.csv list all of them.",
    },
    "forms_omitted": {
        "de": "{omitted} Zeilen mit 0,00 € sind weggelassen; die Arbeitsmappe und forms.csv "
        "führen alle.",
        "en": "{omitted} lines of €0.00 are left out; the workbook and forms.csv list all of them.",
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
    "cause_manual_edit": {"de": "von Hand geändert", "en": "edited by hand"},
    "cause_duplicate": {"de": "doppelt gebucht", "en": "booked twice"},
    "conf_high": {"de": "hoch", "en": "high"},
    "conf_medium": {"de": "mittel", "en": "medium"},
    "conf_low": {"de": "niedrig", "en": "low"},
    "confidence": {"de": "Sicherheit", "en": "Confidence"},
    "evidence_rows": {"de": "Belegzeilen", "en": "Evidence rows"},
    "draft": {"de": "Korrekturentwurf", "en": "Draft correction"},
    "findings_title": {
        "de": "Befunde der Diagnose (wie taxsim diagnose)",
        "en": "Findings of the diagnosis (as taxsim diagnose)",
    },
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
        "de": "offen — den Erwerb von {qty} {asset} vor {time} belegen oder den fehlenden "
        "Zugang ergänzen (Ursache: Abschnitt 2)",
        "en": "open — document the acquisition of {qty} {asset} before {time} or add the "
        "missing inflow (cause: section 2)",
    },
    "remaining_title_raw": {
        "de": "In den Rohdaten sind {n} Verkäufe ohne Kaufhistorie offen ({eur}); keine "
        "Korrekturen angegeben.",
        "en": "{n} sales without purchase history are open in the raw ledger ({eur}); no "
        "corrections given.",
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
    "audit_intro_AT": {
        "de": "Jede hinzugefügte, entfernte oder geänderte Zeile mit der Korrektur, die sie "
        "bewirkt, und deren Begründung — offengelegt nach § 119 BAO (Offenlegungs- und "
        "Wahrheitspflicht). Die Eingabedateien bleiben unverändert.",
        "en": "Every row added, removed or changed, with the correction that did it and its "
        "reason — disclosed under § 119 BAO (duty of full and truthful disclosure). The input "
        "files are left unchanged.",
    },
    "audit_intro_DE": {
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
    "settings_intro_DE": {
        "de": "Steuerreports müssen ihre Einstellungen offenlegen (Kurse, Verbrauchsfolge) — "
        "BMF-Schreiben vom 6.3.2025, Rz. 90.",
        "en": "Tax reports must disclose their settings (prices, order of consumption) — BMF "
        "letter of 6 March 2025, para. 90.",
    },
    "settings_intro_AT": {
        "de": "Die Einstellungen der Berechnung, offengelegt nach § 119 BAO: gleitender "
        "Durchschnittspreis nach § 27a Abs. 4 Z 3a EStG und KryptowährungsVO (BGBl. II "
        "Nr. 455/2022); Altvermögen nach § 31 EStG a. F. (EStR Rz. 6103j f.).",
        "en": "The settings of the computation, disclosed under § 119 BAO: moving average "
        "cost under § 27a (4) no. 3a EStG and the KryptowährungsVO (BGBl. II no. 455/2022); "
        "old assets under § 31 EStG (old version; EStR para. 6103j f.).",
    },
    "rules_basis_DE": {
        "de": "private Veräußerungsgeschäfte (§ 23 EStG), sonstige Einkünfte (§ 22 Nr. 3 EStG)",
        "en": "private disposals (§ 23 EStG), other income (§ 22 no. 3 EStG)",
    },
    "rules_basis_AT": {
        "de": "Einkünfte aus Kapitalvermögen (§ 27 Abs. 4a, § 27b EStG), Altvermögen § 31 a. F.",
        "en": "income from capital assets (§ 27 (4a), § 27b EStG), old assets § 31 (old version)",
    },
    "hold_calendar_DE": {
        "de": "Kalenderregel §§ 187, 188 BGB",
        "en": "calendar rule §§ 187, 188 BGB",
    },
    "hold_calendar_AT": {"de": "nach dem Kalender", "en": "by the calendar"},
    "hold_days_DE": {"de": "gezählte Tage", "en": "counted days"},
    "hold_days_AT": {"de": "gezählte Tage", "en": "counted days"},
    "holding_DE": {
        "de": "{n} Jahr ({rule}); danach steuerfrei",
        "en": "{n} year ({rule}); tax-free after it",
    },
    "holding_AT": {
        "de": "{n} Jahr, nur für Altvermögen (vor dem 1.3.2021 angeschafft; {rule})",
        "en": "{n} year, for old assets only (acquired before 1 March 2021; {rule})",
    },
    "set_display_zone": {"de": "Zeitzone aller Zeitangaben", "en": "Time zone of all times"},
    "zone_text": {
        "de": "{zone} (Ortszeit, wie bei taxsim diagnose)",
        "en": "{zone} (local time, as taxsim diagnose shows it)",
    },
    "set_soli": {"de": "Solidaritätszuschlag", "en": "Solidarity surcharge"},
    "soli_text": {
        "de": "{rate} der Einkommensteuer, ohne Freigrenze und Milderungszone",
        "en": "{rate} of the income tax, without its exemption limit and phase-in zone",
    },
    "set_freigrenze_23": {"de": "Freigrenze § 23 Abs. 3 S. 5 EStG", "en": "§ 23 (3) s. 5 limit"},
    "set_freigrenze_22_3": {"de": "Freigrenze § 22 Nr. 3 S. 2 EStG", "en": "§ 22 no. 3 limit"},
    "set_special_rate": {"de": "Sondersteuersatz § 27a EStG", "en": "Special rate § 27a EStG"},
    "set_special_from": {"de": "Neues Regime ab", "en": "New regime from"},
    "special_from_text": {
        "de": "{day} (frühere Realisierungen: § 31 EStG a. F.)",
        "en": "{day} (earlier realizations: § 31 EStG old version)",
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
    "val_fifo": {
        "de": "FIFO (zuerst angeschafft, zuerst veräußert)",
        "en": "FIFO (first in, first out)",
    },
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
    # notes and assumptions
    "sec_notes": {"de": "8. Hinweise und Annahmen", "en": "8. Notes and assumptions"},
    "assume_tax_DE": {
        "de": "Die Steuer ist eine Schätzung zum angegebenen Grenzsteuersatz zuzüglich "
        "Solidaritätszuschlag: Freigrenze und Milderungszone des Solidaritätszuschlags, der "
        "Spitzensteuersatz von 45 % und die Abziehbarkeit der Kirchensteuer sind nicht "
        "berücksichtigt.",
        "en": "The tax is an estimate at the marginal rate given plus solidarity surcharge: the "
        "surcharge's exemption limit and phase-in zone, the top rate of 45 % and the "
        "deductibility of church tax are not taken into account.",
    },
    "assume_tax_AT": {
        "de": "Die Steuer ist 27,5 % auf die Einkünfte aus Kryptowährungen nach § 27b EStG "
        "(Verlustausgleich nur im selben Jahr). Spekulationsgewinne nach § 31 EStG a. F. "
        "unterliegen dem Tarif und sind nicht eingerechnet; Einkünfte vor dem 1.3.2022 aus dem "
        "alten Recht ebenso nicht.",
        "en": "The tax is 27.5 % on crypto income under § 27b EStG (losses offset within the "
        "same year only). Speculation gains under § 31 EStG (old version) are taxed at the "
        "progressive rate and not included; neither is old-law income before 1 March 2022.",
    },
    "assume_prices": {
        "de": "Kurse: die EUR-Werte des Ledgers; fehlt einer, zählt der Vorgang mit 0 € oder "
        "mit einem geschätzten Wert (siehe die Hinweise unten).",
        "en": "Prices: the ledger's EUR values; where one is missing the row counts at €0 or "
        "at an estimated value (see the notes below).",
    },
    "assume_years": {
        "de": "Ein laufendes Steuerjahr ist vorläufig: spätere Vorgänge können seine Zahlen "
        "ändern.",
        "en": "A tax year still running is provisional: later transactions may change its figures.",
    },
    "no_notes": {
        "de": "Die Berechnung hat keine Hinweise zum Ledger.",
        "en": "The computation has no notes on the ledger.",
    },
    "notes_intro": {
        "de": "Hinweise der Berechnung zum Ledger ({n}); die Zahlen behandeln diese Zeilen wie "
        "angegeben:",
        "en": "Notes of the computation on the ledger ({n}); the figures treat these rows as "
        "stated:",
    },
    "notes_more": {
        "de": "… und {n} weitere (alle im Blatt „Hinweise“ der Berater-Arbeitsmappe).",
        "en": '… and {n} more (all of them in the "Notes" sheet of the advisor workbook).',
    },
    "note_kind": {"de": "Art", "en": "Kind"},
    "pass": {"de": "Durchlauf", "en": "Pass"},
    "note_text": {"de": "Hinweis", "en": "Note (as computed)"},
    "note_unvalued": {"de": "ohne EUR-Wert: mit 0 € gezählt", "en": "no EUR value: counted as €0"},
    "note_estimated": {"de": "EUR-Wert geschätzt", "en": "EUR value estimated"},
    "note_ghost_deposit": {
        "de": "Einzahlung ohne passende Auszahlung: Kosten 0",
        "en": "deposit without a matching withdrawal: cost 0",
    },
    "note_unmatched_withdrawal": {
        "de": "Auszahlung ohne passende Einzahlung",
        "en": "withdrawal without a matching deposit",
    },
    "note_gift_received": {"de": "Schenkung erhalten: Kosten 0", "en": "gift received: cost 0"},
    "note_old_law_income": {
        "de": "Einkünfte nach altem Recht: nicht in der Schätzung",
        "en": "old-law income: not in the estimate",
    },
    "note_fee_exceeds_buy": {
        "de": "Gebühr größer als der gekaufte Betrag",
        "en": "fee larger than the amount bought",
    },
    "note_beyond_holdings": {"de": "mehr gesendet als gehalten", "en": "more sent than held"},
    "note_transfer_fee": {
        "de": "Übertrag: weniger erhalten als gesendet",
        "en": "transfer: less received than sent",
    },
    "note_amounts_differ": {"de": "Übertrag: Beträge weichen ab", "en": "transfer: amounts differ"},
    "note_fork_origin": {
        "de": "Hard Fork: Anschaffungsdaten oder Kostenaufteilung nicht übernommen",
        "en": "hard fork: original dates or cost split not applied",
    },
    "note_swap_non_taxable": {
        "de": "„Swap (non taxable)“ als Tausch besteuert",
        "en": "'Swap (non taxable)' taxed as a swap",
    },
    "note_carry_over": {
        "de": "1:1-Migration/Wrap: Lots übernommen",
        "en": "1:1 migration/wrap: lots carried over",
    },
    "note_derivatives": {
        "de": "Margin/Derivate: nicht simuliert",
        "en": "margin/derivatives: not simulated",
    },
    "note_other": {"de": "sonstiger Hinweis", "en": "other"},
    # reproducibility
    "sec_repro": {"de": "Reproduzierbarkeit", "en": "Reproducibility"},
    "repro_intro": {
        "de": "Mit diesen Eingaben und dieser Version ergibt taxsim dieselben Zahlen. Die "
        "SHA-256-Prüfsummen zeigen, welche Dateien die Zahlen erzeugt haben.",
        "en": "With these inputs and this version taxsim gives the same figures. The SHA-256 "
        "checksums show which files produced the figures.",
    },
    "repro_version": {"de": "Programmversion", "en": "Program version"},
    "repro_rules": {"de": "Regelwerk", "en": "Rule set"},
    "repro_rules_version": {
        "de": "Regelwerk-Version (Fingerabdruck)",
        "en": "Rule-set version (fingerprint)",
    },
    "repro_role": {"de": "Rolle", "en": "Role"},
    "repro_file": {"de": "Datei", "en": "File"},
    "repro_sha": {"de": "SHA-256", "en": "SHA-256"},
    "role_ledger": {"de": "Ledger", "en": "Ledger"},
    "role_corrections": {"de": "Korrekturen", "en": "Corrections"},
    "role_previous": {"de": "Älterer Export", "en": "Previous export"},
    "role_onchain": {"de": "On-Chain-Bestände", "en": "On-chain balances"},
    "role_platforms": {"de": "Plattformliste", "en": "Platforms file"},
    "role_platform_report": {"de": "DAC8-Meldung", "en": "DAC8 report"},
    # appendix
    "sec_appendix": {
        "de": "Anhang: Veräußerungen nach Korrektur",
        "en": "Appendix: disposals after correction",
    },
    "sec_appendix_full": {
        "de": "Anhang: alle Veräußerungen nach Korrektur",
        "en": "Appendix: every disposal after correction",
    },
    "appendix_intro_summary": {
        "de": "Summen je Kryptowert über alle Veräußerungen; danach jede Veräußerung, die eine "
        "Korrektur geändert hat oder die in den Rohdaten ohne Kaufhistorie war, eine Zeile je "
        "Lot. Alle Veräußerungen stehen in disposals.csv und der Berater-Arbeitsmappe "
        "(--export-dir) und mit --appendix full hier. Zeiten in {tz}. Beträge in EUR.",
        "en": "Totals per crypto-asset over all disposals; then every disposal a correction "
        "changed or that had no purchase history in the raw ledger, one line per lot. Every "
        "disposal is in disposals.csv and the advisor workbook (--export-dir), and here with "
        "--appendix full. Times in {tz}. Amounts in EUR.",
    },
    "appendix_none_changed": {
        "de": "Keine Veräußerung wurde von einer Korrektur geändert oder war ohne Kaufhistorie.",
        "en": "No disposal was changed by a correction or lacked a purchase history.",
    },
    "appendix_rows": {
        "de": "Geänderte und ungedeckte Veräußerungen ({n} von {total})",
        "en": "Changed and uncovered disposals ({n} of {total})",
    },
    "asset_totals": {"de": "Summen je Kryptowert (EUR)", "en": "Totals per crypto-asset (EUR)"},
    "disposals_n": {"de": "Veräußerungen", "en": "Disposals"},
    "taxable_part": {"de": "davon steuerpflichtig", "en": "of which taxable"},
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


def kind_label(kind: str, lang: Lang) -> str:
    """A correction kind in words ("mark_scam" → "Scam-Token ausgebucht")."""
    key = f"kind_{kind}"
    return t(key, lang) if key in LABELS else kind


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


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
