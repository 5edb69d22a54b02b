"""German and English labels and number formats of the report.

The report is read by a German or Austrian client and by an adviser who may prefer English, so
every fixed text lives here once per language, in one module per part of the report
(``texts_front``, ``texts_sections``, ``texts_back``); ``formats`` writes numbers and dates.
"""

from __future__ import annotations

from collections.abc import Sequence

from .formats import _group, day, eur, moment, number, percent, qty
from .lang import LANGS, Lang
from .texts_back import LABELS as _BACK
from .texts_front import LABELS as _FRONT
from .texts_sections import LABELS as _SECTIONS

__all__ = [
    "LABELS",
    "LANGS",
    "MAX_IDS_IN_CELL",
    "Lang",
    "day",
    "eur",
    "id_list",
    "kind_label",
    "moment",
    "number",
    "percent",
    "plural",
    "qty",
    "t",
]

#: Every label by key; a key stands in one part only (tests/test_report.py checks it).
LABELS: dict[str, dict[Lang, str]] = {**_FRONT, **_SECTIONS, **_BACK}


def t(key: str, lang: Lang, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = LABELS[key][lang]
    return text.format(**values) if values else text


#: Most ids named in one table cell; a long list would not fit on a page (the exports and
#: ``taxsim dac8 --json`` carry every id).
MAX_IDS_IN_CELL = 12


def kind_label(kind: str, lang: Lang) -> str:
    """A correction kind in words ("mark_scam" → "Scam-Token ausgebucht")."""
    key = f"kind_{kind}"
    return t(key, lang) if key in LABELS else kind


def action_label(action: str, lang: Lang) -> str:
    """What a correction did to a row, in words ("removed" → "entfernt")."""
    key = f"act_{action}"
    return t(key, lang) if key in LABELS else action


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def id_list(ids: Sequence[str], lang: Lang, sep: str = ", ") -> str:
    """``ids`` joined, at most ``MAX_IDS_IN_CELL`` of them, then "and N more"."""
    if len(ids) <= MAX_IDS_IN_CELL:
        return sep.join(ids)
    shown = sep.join(ids[:MAX_IDS_IN_CELL])
    more = _group(str(len(ids) - MAX_IDS_IN_CELL), "." if lang == "de" else ",")
    return t("ids_more", lang, ids=shown, more=more)
