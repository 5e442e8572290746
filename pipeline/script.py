"""Traditional → simplified Chinese, character by character (rules/ts_characters.tsv,
OpenCC's table): a folded text has the same length and offsets as the original, so a stage can
match its simplified-script rules on it and slice its answers from either."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "rules" / "ts_characters.tsv"


@cache
def _translation() -> tuple[re.Pattern, dict[int, str]]:
    """A character class finding the traditional characters (most text has none, some a few) and
    their simplified forms."""
    with TABLE.open(encoding="utf-8", newline="") as handle:
        table = {ord(row["traditional"]): row["simplified"] for row in csv.DictReader(handle, delimiter="\t")}
    return re.compile("[" + "".join(re.escape(chr(c)) for c in table) + "]"), table


def to_simplified(text: str) -> str:
    """`text` with every traditional character replaced by its simplified form (same length)."""
    traditional, table = _translation()
    return traditional.sub(lambda m: table[ord(m[0])], text)
