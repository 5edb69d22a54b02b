"""Draft corrections (``diagnose --suggest``): every finding's draft correction(s), the
finding and its evidence in the reason (docs/corrections.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from ..model import Ledger, Transaction
from .results import Cause, Correction, Finding, RowFinding
from .text import _num

#: The correction kind usually proposed for each cause (hints on remaining shorts).
PROPOSED_KIND = {
    Cause.SCAM_TOKEN: "mark_scam",
    Cause.DELETED_INFLOW: "restore",
    Cause.MANUAL_EDIT: "restore",
    Cause.DUPLICATE: "delete",
    Cause.AGGREGATOR_SWAP: "add_inflow",
    Cause.ONE_SIDED_BRIDGE: "link_transfer",
    Cause.INCOMPLETE_HISTORY: "merge_export",
    Cause.UNKNOWN: "set_cost_basis",
    Cause.GIFT_COST_UNKNOWN: "gift_received",
}


def _toml(value: object) -> str:
    """A TOML value: strings as basic strings (JSON escaping is valid TOML), amounts and times
    as strings (the corrections file refuses floats), lists of those."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return json.dumps(_num(value))
    if isinstance(value, datetime):
        return json.dumps(value.isoformat().replace("+00:00", "Z"))
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def transaction_table(tx: Transaction) -> list[tuple[str, object]]:
    """A row in the canonical columns (docs/canonical-csv.md), for an inline ``restore``."""
    keys: list[tuple[str, object]] = [("time", tx.time), ("kind", tx.kind.value)]
    if tx.income_type is not None:
        keys.append(("income_type", tx.income_type.value))
    keys.append(("wallet", tx.wallet))
    if tx.to_wallet:
        keys.append(("to_wallet", tx.to_wallet))
    for name, leg in (("buy", tx.buy), ("sell", tx.sell), ("fee", tx.fee)):
        if leg is not None:
            keys += [(f"{name}_amount", leg.amount), (f"{name}_asset", leg.asset)]
            if leg.eur is not None:
                keys.append((f"{name}_eur", leg.eur))
    for name in ("group", "comment", "txid", "chain", "contract"):
        if getattr(tx, name):
            keys.append((name, getattr(tx, name)))
    return keys


def correction_keys(
    c: Correction, previous: str | None
) -> tuple[list[tuple[str, object]], list[str], Transaction | None]:
    """The keys as written (``@previous`` resolved), the TODO lines, and an inline row."""
    keys: list[tuple[str, object]] = []
    todo = list(c.todo)
    inline = None
    for key, value in c.keys:
        if key == "from_file" and value == "@previous":
            if previous is None:
                todo.insert(0, 'from_file = "TODO: path of the previous export"')
                continue
            value = previous
        if key == "transaction" and isinstance(value, Transaction):
            inline = value
            continue
        keys.append((key, value))
    return keys, todo, inline


def suggest_corrections(
    findings: Sequence[Finding],
    ledger: Ledger,
    *,
    corrections_path: str | Path,
    previous_path: str | Path | None = None,
    row_findings: Sequence[RowFinding] = (),
) -> str:
    """A draft corrections file (docs/corrections.md): the draft correction(s) of every finding
    — negative balances first, then the row findings (duplicates, edits, scam inflows) — ids
    D1, D2 … in that order, each with the finding and its evidence as its reason. Values a
    person must supply are ``# TODO`` comment lines."""
    del ledger  # the findings carry everything; kept for callers
    base = Path(corrections_path).resolve().parent
    previous = (
        Path(os.path.relpath(Path(previous_path).resolve(), base)).as_posix()
        if previous_path is not None
        else None
    )
    lines = [
        "# DRAFT — review before use. Proposed by `taxsim diagnose --suggest`.",
        "# Each correction below is a guess from the ledger alone; check the evidence, fill in",
        "# every TODO, and delete what does not hold before running `taxsim apply`.",
        "",
    ]
    n = 0
    entries: list[tuple[str, str, str, list[str], list[Correction]]] = []
    for f in findings:
        reason = (
            f"{f.asset} in {f.wallet} goes negative at {f.tipping.tx_id} "
            f"({f.tipping.time:%Y-%m-%d}, lowest {_num(f.lowest)}); probable cause "
            f"{f.cause.value} ({f.confidence.value} confidence): "
            + "; ".join(e.text for e in f.evidence)
        )
        header = f"# priority {f.priority.value}; pattern {f.pattern.value}"
        ids = sorted({i for e in f.evidence for i in e.tx_ids})
        entries.append((header, reason, f.cause.value, ids, f.corrections))
    for r in row_findings:
        reason = (
            f"{r.change.replace(',', ', ')} ({r.cause.value}, {r.confidence.value} confidence): "
            + "; ".join(e.text for e in r.evidence)
        )
        header = f"# priority {r.priority.value}; {r.change}"
        ids = sorted({i for e in r.evidence for i in e.tx_ids})
        entries.append((header, reason, r.cause.value, ids, r.corrections))
    seen: set[str] = set()
    for header, reason, _cause, evidence, corrections in entries:
        for c in corrections:
            # a row finding often proposes what its negative balance's finding proposed (the
            # same restore, the same delete): once only, or apply would see a conflict
            key = repr((c.kind, c.keys))
            if key in seen:
                continue
            seen.add(key)
            n += 1
            keys, todo, inline = correction_keys(c, previous)
            lines.append("[[correction]]")
            lines.append(f'id = "D{n}"')
            lines.append(f'kind = "{c.kind}"')
            lines.append(header)
            lines.append(f"reason = {_toml(reason)}")
            lines.append(f"evidence = {_toml(evidence)}")
            for key, value in keys:
                lines.append(f"{key} = {_toml(value)}")
            lines += [_comment(t) for t in todo]
            if inline is not None:
                lines.append("[correction.transaction]")
                for key, value in transaction_table(inline):
                    lines.append(f"{key} = {_toml(value)}")
            lines.append("")
    return "\n".join(lines)
