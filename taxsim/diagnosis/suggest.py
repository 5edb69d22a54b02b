"""Draft corrections (``diagnose --suggest``)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from ..model import Ledger
from .results import Cause, Finding
from .text import _num

# --- everything at once -----------------------------------------------------------------------


#: The correction kind proposed for each cause (``--suggest`` and the hints on remaining shorts).
PROPOSED_KIND = {
    Cause.SCAM_TOKEN: "mark_scam",
    Cause.DELETED_INFLOW: "restore",
    Cause.AGGREGATOR_SWAP: "add_inflow",
    Cause.ONE_SIDED_BRIDGE: "link_transfer",
    Cause.INCOMPLETE_HISTORY: "merge_export",
    Cause.UNKNOWN: "set_cost_basis",
}


# --- draft corrections ------------------------------------------------------------------------


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


def suggest_corrections(
    findings: Sequence[Finding],
    ledger: Ledger,
    *,
    corrections_path: str | Path,
    previous_path: str | Path | None = None,
) -> str:
    """A draft corrections file (docs/corrections.md): one ``[[correction]]`` per finding, ids
    D1, D2 … in finding order, each with the evidence as its reason. Values a person must supply
    are left as ``# TODO`` comment lines."""
    by_id = {tx.id: tx for tx in ledger.transactions}
    base = Path(corrections_path).resolve().parent
    lines = [
        "# DRAFT — review before use. Proposed by `taxsim diagnose --suggest`.",
        "# Each correction below is a guess from the ledger alone; check the evidence, fill in",
        "# every TODO, and delete what does not hold before running `taxsim apply`.",
        "",
    ]
    for n, f in enumerate(findings, start=1):
        reason = (
            f"{f.asset} in {f.wallet} goes negative at {f.tipping.tx_id} "
            f"({f.tipping.time:%Y-%m-%d}, lowest {_num(f.lowest)}); probable cause "
            f"{f.cause.value}: " + "; ".join(e.text for e in f.evidence)
        )
        evidence = sorted({i for e in f.evidence for i in e.tx_ids})
        body: list[tuple[str, object]] = []
        todo: list[str] = []
        kind = PROPOSED_KIND[f.cause]
        p = f.proposal
        if f.cause is Cause.SCAM_TOKEN:
            if "contract" in p:
                body += [("contract", p["contract"]), ("chain", p["chain"])]
            else:
                body.append(("txids", p["txids"]))
        elif f.cause is Cause.DELETED_INFLOW:
            if previous_path is not None:
                rel = os.path.relpath(Path(previous_path).resolve(), base)
                body.append(("from_file", Path(rel).as_posix()))
            else:
                todo.append('from_file = "TODO: path of the previous export"')
            body.append(("ids", p["ids"]))
        elif f.cause is Cause.AGGREGATOR_SWAP:
            counterpart = by_id[str(p["counterpart"])]
            body += [("asset", f.asset), ("amount", -f.lowest), ("wallet", f.wallet)]
            body += [("time", counterpart.time), ("counterpart_txid", counterpart.txid)]
            sold = counterpart.sell
            if sold is not None and sold.eur is not None:
                todo.append(
                    f"TODO: eur is the value of the {_num(sold.amount)} {sold.asset} given "
                    f"({_num(sold.eur)} €, BMF Rz. 58 fallback); use the value of the "
                    f"{f.asset} received if known"
                )
                body.append(("eur", sold.eur))
            else:
                todo.append('eur = "TODO: EUR value of the inflow (its cost basis)"')
        elif f.cause is Cause.ONE_SIDED_BRIDGE:
            body += [("withdrawal", p["withdrawal"]), ("to_wallet", f.wallet)]
            body += [("amount", p["amount"]), ("time", p["time"])]
            if f.chain:
                body.append(("chain", f.chain))
            todo.append("TODO: amount = units that arrived (bridge fee deducted?)")
        elif f.cause is Cause.INCOMPLETE_HISTORY:
            body += [("file", f"TODO-full-export-{f.wallet}.csv"), ("wallet", f.wallet)]
            todo.append(f"TODO: file = the full export of {f.wallet} (CSV from the exchange)")
        else:
            body += [("disposal", f.tipping.tx_id), ("quantity", -f.lowest)]
            todo.append('acquired = "TODO: time of the documented purchase"')
            todo.append('cost = "TODO: EUR cost incl. fees"')
        lines.append("[[correction]]")
        lines.append(f'id = "D{n}"')
        lines.append(f'kind = "{kind}"')
        lines.append(f"# priority {f.priority.value}; pattern {f.pattern.value}")
        lines.append(f"reason = {_toml(reason)}")
        lines.append(f"evidence = {_toml(evidence)}")
        for key, value in body:
            lines.append(f"{key} = {_toml(value)}")
        lines += [_comment(t) for t in todo]
        lines.append("")
    return "\n".join(lines)
