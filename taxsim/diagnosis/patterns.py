"""The shape of a negative episode: extreme spike, sudden jump, gradual decline."""

from __future__ import annotations

from decimal import Decimal
from statistics import median

from .results import Pattern, Step
from .text import _num
from .view import BalanceView, _leg_of, _unit_price


def spike_reason(view: BalanceView, wallet: str, asset: str, steps: list[Step], i: int) -> str:
    """Why step ``i`` is absurd (empty if it is not)."""
    spike = view.settings.spike
    step = steps[i]
    earlier = [abs(s.delta) for s in steps[:i] if s.delta != 0]
    if earlier:
        typical = median(earlier)
        if typical > 0 and abs(step.delta) > spike.quantity_factor * typical:
            return (
                f"{step.tx_id} moves {_num(abs(step.delta))} {asset}, "
                f"{_num((abs(step.delta) / typical).quantize(Decimal(1)))}× the median earlier "
                f"movement of {_num(typical)} (threshold {_num(spike.quantity_factor)}×)"
            )
    leg = _leg_of(view.by_id[step.tx_id], wallet, asset)
    ref = view.ref_price.get(asset)
    price = _unit_price(*leg) if leg else None
    if price is not None and ref and price > 0:
        ratio = max(price / ref, ref / price)
        if ratio > spike.price_factor:
            return (
                f"{step.tx_id} implies {_num(price.quantize(Decimal('0.0001')))} €/{asset}, "
                f"against a reference of {_num(ref.quantize(Decimal('0.0001')))} € "
                f"(threshold {_num(spike.price_factor)}×)"
            )
    return ""


def deepening_steps(steps: list[Step], tip: int) -> list[int]:
    """The tipping step and every later outflow of the episode (until the balance is back at
    >= 0) that sets a new low."""
    end = tip
    while end + 1 < len(steps) and steps[end + 1].balance < 0:
        end += 1
    deepening = [tip]
    low = steps[tip].balance
    for i in range(tip + 1, end + 1):
        if steps[i].delta < 0 and steps[i].balance < low:
            deepening.append(i)
            low = steps[i].balance
    return deepening


def classify_pattern(
    view: BalanceView, wallet: str, asset: str, steps: list[Step], tip: int
) -> tuple[Pattern, str]:
    deepening = deepening_steps(steps, tip)
    for i in deepening:
        reason = spike_reason(view, wallet, asset, steps, i)
        if reason:
            return Pattern.EXTREME_SPIKE, reason
    if len(deepening) == 1:
        return Pattern.SUDDEN_JUMP, (
            f"one transaction ({steps[tip].tx_id}) takes the balance from "
            f"{_num(steps[tip].balance - steps[tip].delta)} to {_num(steps[tip].balance)}"
        )
    ids = ", ".join(steps[i].tx_id for i in deepening)
    low = steps[deepening[-1]].balance
    return Pattern.GRADUAL_DECLINE, (
        f"{len(deepening)} outflows deepen the gap step by step ({ids}) down to {_num(low)}"
    )
