"""Kind linker: level, change, share, rank or comparison, with direction and basis, from the
words right before the number (rules/claims/kind.yaml)."""

from __future__ import annotations

import regex

from pipeline.claims.context import TRIM, Patterns, bases
from pipeline.records import Quantity

_KIND_TAIL = regex.compile(r"(?:分别|约|了|达|为)$")
_LOWER = regex.compile(r"(?:低|少|慢)(?:于|出)?$")
_SHARE = regex.compile(r"占|比重|比例|份额")
_LEVEL_QUALIFIERS = {"到", "至", "为", "达", "达到", "提高到", "增加到", "降到", "降至"}


def _tail(left: str) -> str:
    """The words right before the number, without 分别/约/了/达/为."""
    return _KIND_TAIL.sub("", left.rstrip(TRIM)) or left


def change_verb(patterns: Patterns, left: str) -> str | None:
    """The verb of a change right before its number, as written (上涨, 回落), without 了."""
    tail = _tail(left)
    found = patterns.change_up.search(tail) or patterns.change_down.search(tail)
    return found[0].removesuffix("了") if found else None


def link_kind(patterns: Patterns, left: str, quantity: Quantity) -> tuple[str, str, str | None]:
    """(kind, direction, basis) of a claim; `提高到100%` is the level reached, not a change."""
    tail = _tail(left)
    found = bases(left, patterns)
    basis = found[-1] if found else None
    if quantity.dimension == "rank":
        return "rank", "none", basis
    if quantity.qualifier not in _LEVEL_QUALIFIERS:
        if patterns.change_up.search(tail):
            return "change", "up", basis
        if patterns.change_down.search(tail):
            return "change", "down", basis
        if basis and basis.startswith(("比", "较")) and patterns.comparison.search(tail):
            return "comparison", "down" if _LOWER.search(tail) else "up", basis
    if quantity.dimension in ("percent", "percentage_point") and _SHARE.search(left):
        return "share", "none", basis
    return "level", "none", basis
