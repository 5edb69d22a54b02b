"""Results remembered per configuration object (the diagnosis settings, the platform list).

A batch classifies the same few wallet names against the same lists for hundreds of clients;
the lists are frozen pydantic models, which cannot be hashed (they hold dicts) and compare by
value. So the memo is keyed by the object's identity and holds the object itself, which keeps
its id from being reused while the memo lives; only the last few objects are kept.
"""

from __future__ import annotations

from collections import OrderedDict

_KEEP = 8  # configurations remembered at once (one per jurisdiction or platforms file)
_memos: OrderedDict[int, tuple[object, dict[object, object]]] = OrderedDict()


def memo_of(owner: object) -> dict[object, object]:
    """The memo dict belonging to ``owner`` (empty at first)."""
    key = id(owner)
    held = _memos.get(key)
    if held is not None and held[0] is owner:
        _memos.move_to_end(key)
        return held[1]
    memo: dict[object, object] = {}
    _memos[key] = (owner, memo)
    if len(_memos) > _KEEP:
        _memos.popitem(last=False)
    return memo
