"""The labels of the back of the report: the settings, the notes and assumptions, the
reproducibility page and the appendix (also the workbook's column headings).
"""

from __future__ import annotations

from .lang import Lang

LABELS: dict[str, dict[Lang, str]] = {
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
