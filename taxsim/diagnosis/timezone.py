"""Cause "time zone": rows whose local time is skipped or repeated at a daylight-saving change
of the zone the file was read in (``inputs.timezones``; the reader puts one ``DstNotice`` per
change day in ``Ledger.findings``). Rows in the skipped hour cannot come from a clock in that
zone: evidence that the file is in UTC or another zone (``--timezone``). The processing order
does not depend on how such a time is resolved (docs/formats.md), so this finding changes no
figure by itself; it is a row finding, not the explanation of a negative balance."""

from __future__ import annotations

from ..inputs.timezones import SKIPPED, DstNotice
from ..model import Transaction
from .registry import row_detector
from .results import Cause, Confidence, Evidence, Priority, RowFinding
from .view import BalanceView


@row_detector("time_zone")
def time_zone(view: BalanceView) -> list[RowFinding]:
    notices = [f for f in view.ledger.findings if isinstance(f, DstNotice)]
    if not notices:
        return []
    by_row: dict[tuple[str, int], Transaction] = {
        (tx.source.file, tx.source.row): tx for tx in view.ledger.transactions if tx.source
    }
    out: list[RowFinding] = []
    for notice in notices:
        txs = [by_row[(notice.file, r)] for r in notice.rows if (notice.file, r) in by_row]
        if not txs:
            continue
        skipped = notice.kind == SKIPPED
        ids = tuple(tx.id for tx in txs)
        out.append(
            RowFinding(
                cause=Cause.TIME_ZONE,
                change=f"dst_{notice.kind}",
                wallet=txs[0].wallet,
                asset="",
                time=min(tx.time for tx in txs),
                tx_ids=ids,
                # a skipped hour is direct evidence of another zone; a repeated one is not
                confidence=Confidence.MEDIUM if skipped else Confidence.LOW,
                evidence=[Evidence(str(notice), ids)],
                priority=Priority.MEDIUM if skipped else Priority.LOW,
                priority_reason=(
                    f"local times that never exist in {notice.zone}: check --timezone"
                    if skipped
                    else f"local times that exist twice in {notice.zone}: check --timezone"
                ),
            )
        )
    return out
