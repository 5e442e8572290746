"""Traditional → simplified Chinese, character by character (rules/ts_characters.tsv,
OpenCC's table): a folded text has the same length and offsets as the original, so a stage can
match its simplified-script rules on it and slice its answers from either."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "rules" / "ts_characters.tsv"


@cache
def _translation() -> dict[int, str]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {ord(row["traditional"]): row["simplified"] for row in csv.DictReader(handle, delimiter="\t")}


def to_simplified(text: str) -> str:
    """`text` with every traditional character replaced by its simplified form (same length)."""
    return text.translate(_translation())
