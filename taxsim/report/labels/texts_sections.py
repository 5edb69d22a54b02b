"""The labels of the report's middle sections: negative balances, sales without purchase
history, corrections and the DAC8 checklist.
"""

from __future__ import annotations

from .lang import Lang

LABELS: dict[str, dict[Lang, str]] = {
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
}
