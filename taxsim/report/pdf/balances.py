"""The negative balances: a table of every one and the timelines of the important ones."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from .. import charts
from ..labels import LABELS, day, id_list, kind_label, qty
from .base import FONT, Builder, data_table, esc

#: How many balance timelines get a chart; the table lists every negative balance.
MAX_CHARTS = 6


def render(b: Builder) -> None:
    b.h1("sec_balances")
    b.story.append(b.p(esc(b.t("balances_intro"))))
    lines = charts.negative_timelines(b.data.ledger, b.comp.raw.result, b.data.diagnosis)
    if not lines:
        b.story.append(b.p(esc(b.t("no_negative"))))
        return
    header = ["wallet", "asset", "tipping_point", "lowest", "end_balance", "gap_eur"]
    header += ["cause", "priority"]
    rows: list[list[object]] = [b.head(header, right=(3, 4, 5))]
    for line in lines:
        tip = line.tipping
        assert tip is not None
        cause = f"cause_{line.cause}"
        rows.append(
            [
                b.cell(line.wallet),
                b.cell(line.asset),
                b.cell(f"{b.moment(tip[0])} ({tip[2]})"),
                b.cell(qty(line.lowest, b.lang), right=True),
                b.cell(qty(line.end, b.lang), right=True),
                b.cell(b.eur(line.gap_eur) if line.gap_eur is not None else "—", right=True),
                b.cell(b.t(cause) if cause in LABELS else line.cause or "—"),
                b.cell(b.t("prio_" + line.priority)),
            ]
        )
    w = b.width
    widths = [0.15, 0.08, 0.18, 0.11, 0.11, 0.14, 0.14, 0.09]
    b.story += [Spacer(1, 2 * mm), data_table(rows, [x * w for x in widths], long=True)]
    _findings(b)
    shown = [x for x in lines if x.priority == "high"][:MAX_CHARTS] or lines[:1]
    b.story.append(Spacer(1, 3 * mm))
    if len(shown) < len(lines):
        text = b.t("charts_shown", shown=len(shown), total=len(lines))
        b.story.append(b.p(esc(text), b.s.note))
    last_day = max((tx.time for tx in b.data.ledger.transactions), default=None)
    for line in shown:
        assert line.tipping is not None
        title = b.t("balance_of", asset=line.asset, wallet=line.wallet)
        label = f"{b.t('tipping_point')} {day(b.local(line.tipping[0]), b.lang)}"
        # chart strings are drawn as plain text (no markup), so no escaping is needed there
        chart = charts.balance_chart(
            line, title, label, FONT, b.lang, b.width, zone=b.zone, until=last_day
        )
        b.story.append(KeepTogether([Spacer(1, 2 * mm), chart]))


def _findings(b: Builder) -> None:
    """The diagnosis's findings behind the negative balances (``taxsim.diagnosis.Finding``):
    cause and confidence, the ledger rows its evidence is about and the kind of correction
    it drafts (``taxsim diagnose --suggest``)."""
    findings = getattr(b.data.diagnosis, "findings", None) or []
    if not findings:
        return
    header = ["wallet", "asset", "cause", "confidence", "evidence_rows", "draft"]
    rows: list[list[object]] = [b.head(header)]
    for f in findings:
        cause = f"cause_{f.cause}"
        confidence = f"conf_{getattr(f, 'confidence', '')}"
        ids: list[str] = []
        for e in getattr(f, "evidence", []) or []:
            ids += [i for i in getattr(e, "tx_ids", ()) if i not in ids]
        kinds = [
            kind_label(str(getattr(c, "kind", "")), b.lang)
            for c in getattr(f, "corrections", []) or []
        ]
        rows.append(
            [
                b.cell(f.wallet),
                b.cell(f.asset),
                b.cell(b.t(cause) if cause in LABELS else str(f.cause)),
                b.cell(b.t(confidence) if confidence in LABELS else "—"),
                b.cell(id_list(ids, b.lang) or "—"),
                b.cell(", ".join(dict.fromkeys(kinds)) or "—"),
            ]
        )
    w = b.width
    b.story += [
        Spacer(1, 3 * mm),
        b.p(esc(b.t("findings_title")), b.s.h2),
        data_table(rows, [x * w for x in (0.16, 0.08, 0.2, 0.12, 0.24, 0.2)], long=True),
    ]
