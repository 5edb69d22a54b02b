"""The raw pass's "Short (Warning)" sales and what resolves each."""

from __future__ import annotations

from datetime import datetime, timedelta

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ...engine.types import Disposal
from ...model import ZERO
from ..export import corrections_by_tx
from ..labels import id_list, qty
from .base import Builder, data_table, esc


def render(b: Builder) -> None:
    b.h1("sec_shorts")
    raw_shorts = [d for d in b.comp.raw.result.disposals if d.is_short]
    if not raw_shorts:
        b.story.append(b.p(esc(b.t("no_shorts"))))
        return
    b.story.append(b.p(esc(b.t("shorts_intro"))))
    header = ["date", "disposal", "wallet", "asset", "uncovered", "proceeds", "resolution"]
    rows: list[list[object]] = [b.head(header, right=(4, 5))]
    resolution = _resolutions(b, raw_shorts)
    for d in raw_shorts:
        rows.append(
            [
                b.cell(b.moment(d.time)),
                b.cell(d.tx_id),
                b.cell(d.wallet),
                b.cell(d.asset),
                b.cell(qty(d.short_quantity, b.lang), right=True),
                b.cell(b.eur(d.short_proceeds), right=True),
                b.cell(resolution[d.tx_id]),
            ]
        )
    w = b.width
    b.story += [
        Spacer(1, 2 * mm),
        data_table(
            rows,
            [0.14 * w, 0.1 * w, 0.13 * w, 0.08 * w, 0.1 * w, 0.12 * w, 0.33 * w],
            long=True,
        ),
    ]
    remaining = b.comp.remaining_shorts() if b.comp.applied is not None else raw_shorts
    total = sum((d.short_proceeds for d in remaining), ZERO)
    text = (
        b.t(
            "remaining_title_raw" if b.raw_mode else "remaining_title",
            n=len(remaining),
            eur=b.eur(total),
        )  # fmt: skip
        if remaining
        else b.t("remaining_none")
    )
    b.story += [Spacer(1, 2 * mm), b.p(f"<b>{esc(text)}</b>")]


def _resolutions(b: Builder, raw_shorts: list[Disposal]) -> dict[str, str]:
    """What resolves each raw short: the corrections that removed the sale or added/changed
    a row crediting its asset to its wallet before it; else the open task."""
    marks = corrections_by_tx(b.comp)
    corrected = {d.tx_id: d for d in b.comp.corrected.result.disposals}
    applied = b.comp.applied
    traced = resolvers(b)
    out: dict[str, str] = {}
    for d in raw_shorts:
        helpers = traced.get(d.tx_id, [])
        after = corrected.get(d.tx_id)
        if applied is not None and after is None:
            ids = marks.get(d.tx_id) or helpers
            out[d.tx_id] = b.t("resolved_removed", ids=id_list(ids, b.lang) or "—")
        elif after is not None and after.is_short and after.short_quantity >= d.short_quantity:
            out[d.tx_id] = b.t(
                "open",
                qty=qty(after.short_quantity, b.lang),
                asset=d.asset,
                time=b.moment(d.time),
            )
        elif after is not None and after.is_short:
            out[d.tx_id] = b.t(
                "resolved_partly",
                ids=id_list(helpers, b.lang) or "—",
                qty=qty(after.short_quantity, b.lang),
            )
        elif helpers or marks.get(d.tx_id):
            out[d.tx_id] = b.t(
                "resolved_by",
                ids=id_list(list(dict.fromkeys(marks.get(d.tx_id, []) + helpers)), b.lang),
            )
        else:
            out[d.tx_id] = b.t("resolved_indirect")
    return out


#: How many own transfers back from the selling wallet a correction is searched for.
MAX_TRANSFER_HOPS = 6


def _inflows(b: Builder) -> dict[tuple[str, str], list[tuple[datetime, str, str, str]]]:
    """(receiving wallet, asset) → own transfers of the corrected pass into it: (time of the
    deposit, sending wallet, withdrawal id, deposit id)."""
    by_id = {tx.id: tx for tx in b.comp.applied.ledger.transactions}  # type: ignore[attr-defined]
    out: dict[tuple[str, str], list[tuple[datetime, str, str, str]]] = {}
    for out_id, in_id in b.comp.corrected.result.transfers.items():
        sent, got = by_id.get(out_id), by_id.get(in_id)
        if sent is None or got is None:
            continue
        leg = got.buy or sent.sell
        if leg is None:
            continue
        receiver = got.to_wallet or got.wallet
        out.setdefault((receiver, leg.asset), []).append((got.time, sent.wallet, out_id, in_id))
    return out


def _credited_by(
    wallet: str,
    asset: str,
    before: datetime,
    credits: dict[str, list[tuple[str, str, datetime]]],
    inflows: dict[tuple[str, str], list[tuple[datetime, str, str, str]]],
    marks: dict[str, list[str]],
) -> list[str]:
    """The corrections that put ``asset`` into ``wallet`` before ``before``: directly (a row
    added or changed there) or through the own transfers that brought it there (followed back
    wallet by wallet, ``MAX_TRANSFER_HOPS`` at most) — e.g. a restored deposit on a hardware
    wallet whose coins were later sent to the exchange that sold them.

    Each wallet is searched once per hop with the latest moment that matters there (an
    earlier moment finds a subset), so a wallet with thousands of transfers costs one scan."""
    found: list[str] = []
    frontier = {wallet: before}
    done: dict[str, datetime] = {}
    for _ in range(MAX_TRANSFER_HOPS):
        following: dict[str, datetime] = {}
        for w, until in frontier.items():
            if w in done and done[w] >= until:
                continue
            done[w] = until
            for cid, moves in credits.items():
                if cid not in found and any(
                    mw == w and ma == asset and when <= until for mw, ma, when in moves
                ):
                    found.append(cid)
            for when, sender, out_id, in_id in inflows.get((w, asset), []):
                if when <= until:
                    for cid in marks.get(out_id, []) + marks.get(in_id, []):
                        if cid not in found:
                            found.append(cid)
                    if when > following.get(sender, when - timedelta(seconds=1)):
                        following[sender] = when
        if not following:
            break
        frontier = following
    return found


def resolvers(b: Builder) -> dict[str, list[str]]:
    """Raw short sale → the corrections that resolved it (``_credited_by``), computed once
    for the shorts section and the appendix."""
    cached = getattr(b, "_resolvers", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    out: dict[str, list[str]] = {}
    applied = b.comp.applied
    if applied is not None:
        by_id = {tx.id: tx for tx in applied.ledger.transactions}  # type: ignore[attr-defined]
        credits: dict[str, list[tuple[str, str, datetime]]] = {}
        for a in applied.audit:  # type: ignore[attr-defined]
            tx = by_id.get(a.tx_id)
            if tx is not None and tx.buy is not None and a.action != "removed":
                credits.setdefault(a.correction, []).append(
                    (tx.to_wallet or tx.wallet, tx.buy.asset, tx.time)
                )
        inflows = _inflows(b)
        marks = corrections_by_tx(b.comp)
        for d in b.comp.raw.result.disposals:
            if d.is_short:
                out[d.tx_id] = _credited_by(d.wallet, d.asset, d.time, credits, inflows, marks)
    b._resolvers = out  # type: ignore[attr-defined]
    return out
