"""Cause: a scam token (foreign contract, absurd free inflow)."""

from __future__ import annotations

from ..model import Kind
from .context import _Context
from .results import Evidence, Step
from .settings import _UNBOUGHT_INCOME, ABSURD_AIRDROP_EUR
from .text import _num


def _cause_scam(ctx: _Context, wallet: str, asset: str, steps: list[Step]) -> tuple | None:
    foreign: dict[str, list[str]] = {}
    chain = ""
    absurd: list[str] = []
    for step in steps:
        tx = ctx.by_id[step.tx_id]
        official = ctx.official.get((asset, tx.chain.lower()))
        if tx.contract and official and tx.contract.lower() not in official:
            foreign.setdefault(tx.contract.lower(), []).append(tx.id)
            chain = tx.chain.lower()
        if (
            tx.kind is Kind.INCOME
            and (tx.income_type or "other") in _UNBOUGHT_INCOME
            and tx.buy is not None
            and tx.buy.eur is not None
            and tx.buy.eur > ABSURD_AIRDROP_EUR
        ):
            absurd.append(tx.id)
    if foreign:
        contract, ids = max(foreign.items(), key=lambda kv: len(kv[1]))
        official = sorted(ctx.official[(asset, chain)])
        evidence = [
            Evidence(
                f"{len(ids)} transaction(s) of {asset} in {wallet} carry contract {contract}, "
                f"not the official {asset} contract on {chain} ({', '.join(official)})",
                tuple(ids),
            )
        ]
        if absurd:
            evidence.append(_absurd_evidence(ctx, absurd))
        return evidence, {"contract": contract, "chain": chain}
    if absurd:
        return [_absurd_evidence(ctx, absurd)], {"txids": [ctx.by_id[i].txid for i in absurd]}
    return None


def _absurd_evidence(ctx: _Context, ids: list[str]) -> Evidence:
    parts = []
    for i in ids:
        tx = ctx.by_id[i]
        assert tx.buy is not None and tx.buy.eur is not None
        parts.append(f"{i}: {_num(tx.buy.amount)} {tx.buy.asset} worth {_num(tx.buy.eur)} €")
    return Evidence(
        "received without buying and worth more than "
        f"{_num(ABSURD_AIRDROP_EUR)} € ({'; '.join(parts)})",
        tuple(ids),
    )
