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


REMEMBERED_CHARS = 1000  # texts this long (a document's, not the fragments linkers fold) are remembered
_last_folded: tuple[str, str] = ("", "")  # (text, its folded form) of the latest long text


def to_simplified(text: str) -> str:
    """`text` with every traditional character replaced by its simplified form (same length).

    Segmentation, times, entities and claims each fold the same document text in turn: the
    latest long text's answer is kept and returned for that very string (an identity test)."""
    global _last_folded
    if text is _last_folded[0]:
        return _last_folded[1]
    traditional, table = _translation()
    folded = traditional.sub(lambda m: table[ord(m[0])], text)
    if len(text) >= REMEMBERED_CHARS:
        _last_folded = (text, folded)
    return folded
