"""Indicators: the controlled vocabulary of rules/indicators.yaml that a claim's free-text metric
maps to, so that a researcher asks the dataset for `gdp_growth` instead of writing a regex over
metrics that catches neighbours (GDP per capita, regional GDP, sector growth) and misses paraphrases.

A claim maps to the indicator whose phrase found in its metric is the longest, among those whose
dimension (and kinds, when given) fit the claim and none of whose `excludes` the metric holds;
two indicators tied on that length give none: unsure is no answer, not a guess. A population
group chosen as the subject (城镇居民) reads as part of the metric (城镇居民人均可支配收入).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex

from pipeline.rulefiles import read_rules
from pipeline.quantities import load_units
from pipeline.script import to_simplified

RULES = Path(__file__).resolve().parent.parent / "rules" / "indicators.yaml"
CLAIM_KINDS = frozenset({"level", "change", "share", "rank", "comparison"})
_ID = regex.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_NOT_TEXT = regex.compile(r"[\s\p{P}\p{S}]+")
_REQUIRED = {"id", "zh", "en", "dimension", "unit", "phrases", "examples", "negative"}
_OPTIONAL = {"kinds", "excludes"}
_CASE_KEYS = {"metric", "dimension", "kind"}


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str
    dimensions: tuple[str, ...]  # the first is the series' own: a ratio's changes in points are not its levels
    unit: str
    kinds: frozenset[str] | None  # None: any kind of claim
    phrases: tuple[str, ...]
    excludes: tuple[str, ...]
    examples: tuple[dict, ...]
    negative: tuple[dict, ...]

    def fits(self, metric: str, dimension: str, kind: str) -> bool:
        return dimension in self.dimensions and (self.kinds is None or kind in self.kinds) \
            and not any(word in metric for word in self.excludes)


def normalise(metric: str) -> str:
    """The metric as the phrases are written: simplified script, no spaces or punctuation."""
    return _NOT_TEXT.sub("", to_simplified(metric))


class IndicatorTable:
    """The indicators of one rules file, indexed by phrase."""

    def __init__(self, indicators: list[Indicator]):
        self.indicators = {i.id: i for i in indicators}
        self._by_phrase: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            for phrase in indicator.phrases:
                self._by_phrase.setdefault(normalise(phrase), []).append(indicator)
        # every beginning of a phrase: a reading stops as soon as the text begins none
        self._prefixes = {phrase[:n] for phrase in self._by_phrase for n in range(1, len(phrase) + 1)}
        self.match = lru_cache(maxsize=1 << 16)(self._match)

    def _match(self, metric: str | None, dimension: str, kind: str) -> str | None:
        """The id of the indicator a claim's metric names, or None (no phrase, or a tie)."""
        if not metric:
            return None
        text = normalise(metric)
        best: dict[str, int] = {}
        prefixes = self._prefixes
        for start in range(len(text)):
            for end in range(start + 1, len(text) + 1):
                piece = text[start:end]
                if piece not in prefixes:
                    break
                for indicator in self._by_phrase.get(piece, ()):
                    if end - start > best.get(indicator.id, 0) and indicator.fits(text, dimension, kind):
                        best[indicator.id] = end - start
        if not best:
            return None
        length = max(best.values())
        winners = [i for i, n in best.items() if n == length]
        return winners[0] if len(winners) == 1 else None

    def for_claim(self, metric: str | None, dimension: str, kind: str, group: str | None = None) -> str | None:
        """As `match`, reading a population group subject into the metric (城镇居民 + 人均可支配收入)."""
        if group and metric and group not in metric:
            return self.match(group + metric, dimension, kind)
        return self.match(metric, dimension, kind)


def _check_keys(where: str, entry: dict, required: set, optional: set) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a mapping, got {entry!r}")
    unknown = set(entry) - required - optional
    missing = required - set(entry)
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")


def _as_tuple(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def load_indicators(path: Path | str | None = None) -> IndicatorTable:
    """Read and validate an indicators file: unknown or missing keys, ids that are not snake_case
    or repeat, dimensions units.yaml does not define, unknown claim kinds and empty phrase lists
    are errors that name the indicator."""
    path = Path(path) if path is not None else RULES
    data = read_rules(path)
    _check_keys(str(path), data, {"indicators"}, set())
    dimensions = set(load_units().dimensions)
    indicators, seen = [], set()
    for number, entry in enumerate(data["indicators"]):
        where = f"{path.name}: indicator {entry.get('id', number) if isinstance(entry, dict) else number}"
        _check_keys(where, entry, _REQUIRED, _OPTIONAL)
        if not isinstance(entry["id"], str) or not _ID.fullmatch(entry["id"]):
            raise ValueError(f"{where}: id must be snake_case English")
        if entry["id"] in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(entry["id"])
        dims = _as_tuple(entry["dimension"])
        if set(dims) - dimensions:
            raise ValueError(f"{where}: unknown dimension {sorted(set(dims) - dimensions)}")
        kinds = frozenset(_as_tuple(entry["kinds"])) if entry.get("kinds") else None
        if kinds and kinds - CLAIM_KINDS:
            raise ValueError(f"{where}: unknown kind {sorted(kinds - CLAIM_KINDS)}")
        phrases = tuple(entry["phrases"] or ())
        if not phrases or len(set(phrases)) != len(phrases) or not all(isinstance(p, str) and p for p in phrases):
            raise ValueError(f"{where}: phrases must be distinct, non-empty words")
        for case in [*entry["examples"], *entry["negative"]]:
            _check_keys(f"{where}: example {case!r}", case, _CASE_KEYS, set())
        if not entry["examples"]:
            raise ValueError(f"{where}: needs examples")
        indicators.append(Indicator(entry["id"], entry["zh"], entry["en"], dims, str(entry["unit"]), kinds,
                                    phrases, tuple(entry.get("excludes") or ()),
                                    tuple(entry["examples"]), tuple(entry["negative"] or ())))
    return IndicatorTable(indicators)


@cache
def indicators() -> IndicatorTable:
    """The project's indicators, read once per process."""
    return load_indicators()
