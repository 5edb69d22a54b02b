"""The labels of the front of the report: the cover, page 1 "Auf einen Blick", the
per-year summary and the correction kinds in words.
"""

from __future__ import annotations

from .lang import Lang

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
}
