"""``figures.json``: the comparison's figures as ``simulate --json`` gives them."""

from __future__ import annotations

import json
from pathlib import Path

from ...whatif import Comparison


def write_figures_json(comp: Comparison, path: Path) -> None:
    path.write_text(
        json.dumps(comp.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
