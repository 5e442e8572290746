"""The claim rules: the word lists and the id'd rules of `rules/claims/*.yaml`, read once.

Each file is `words:` (named word lists the linkers match) and `rules:` (one entry per rule id a
linker can write into a claim's `<field>_rule` column, each with `does`, `examples` and
`negative`). Loading refuses unknown keys, unknown or missing word lists, duplicate words, rules
whose id does not belong to the file's field, and rules without examples or negatives.
`examples.yaml` holds whole-sentence examples that check several fields at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from pipeline.rulefiles import read_rules

RULES_DIR = Path(__file__).resolve().parents[2] / "rules" / "claims"

# The word lists each file must have: a missing or an unknown one is an error.
WORD_LISTS = {
    "modality": {"proposal_titles", "goals_named_after", "target", "target_near", "forecast", "forecast_governs", "target_qualifiers", "fact", "not_target",
                 "done_after", "done_in_review", "basis_frames", "will", "outcome_verbs", "announcing_will", "done_before", "source_openers", "plan_near", "goal_verbs",
                 "plan_share_verbs", "plan_nouns", "continuers", "comparing_continuers"},
    "time": {"context_year", "bare_year_edges", "review_words", "past_year", "basis_before", "episode", "event_heads",
             "span_after", "span_before", "dated_acts", "average_rate", "survey", "ages", "flows", "frame_opens", "framing_clauses", "emphasis_before", "century_edges", "split_range_starts", "split_range_ends",
             "frame_closers", "same_period", "open_edges", "ahead_words", "horizon_before", "done_by", "ongoing", "not_year_count", "streak_words"},
    "metric": {"standings", "copula", "opener", "frame_nouns", "plans", "verbal_classifiers", "score", "score_kinds", "points", "match_periods", "naming_classifiers", "share_words", "aspect_words", "size_words", "scored_classifiers", "capacity_heads", "duration_nouns", "stake_nouns", "rank_scopes", "rank_verbs", "rank_moves", "possession_verbs", "list_openers", "goal_nouns", "rate_nouns"},
    "subject": {"object_markers", "time_zones", "territory", "national", "named_in_metric", "frame_openers", "citation_openers", "country", "territory_objects", "groups", "group_compounds", "group_qualifiers", "qualified_group_heads", "territory_parts", "territory_part_followers", "national_rates", "existence_after_place", "apposed_sexes", "route_joiners", "qualifying_nouns", "local_levels", "local_organs", "group_objects", "indices", "titles", "speech", "first_person",
                "third_person", "score_verbs", "stating", "aforementioned_plural", "aforementioned_org", "including", "part_labels", "frame_closers",
                "aforementioned_place", "source_openers", "source_closers", "breakdown",
                "aforementioned_bare", "holder_heads", "team_heads", "holder_links", "sector_heads", "own_country", "world", "honorifics"},
    "kind": {"change_up", "change_down", "comparison", "basis_glued"},
    "discourse": {"report_words", "resolution_words", "plan_headings", "review_headings", "dateline_agencies",
                  "dateline_ends"},
}
_RULE_KEYS = {"id", "does", "examples", "negative"}
_EXAMPLE_KEYS = {"text", "number", "published", "title", "genre", "expect"}
_FILE_KEYS = {"words", "rules", "speaks_for", "examples"}


@dataclass(frozen=True)
class ClaimRules:
    words: dict[str, dict[str, tuple[str, ...]]]  # file → list name → words
    rules: dict[str, dict]  # rule id → its entry
    speaks_for: dict[str, str]  # genre → the subject its documents speak for
    examples: list[dict]  # whole-sentence examples (examples.yaml)

    def pattern(self, file: str, name: str, anchor: str = "") -> regex.Pattern:
        """One word list as an alternation, longest words first; `anchor` is `^` or `$`."""
        body = self.alternation(file, name)
        return regex.compile(f"^(?:{body})" if anchor == "^" else f"(?:{body})$" if anchor == "$" else body)

    def alternation(self, file: str, *names: str) -> str:
        return alternation([w for name in names for w in self.words[file][name]])


def alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _check_examples(path: Path, where: str, examples) -> None:
    if not isinstance(examples, list) or not examples:
        raise ValueError(f"{path.name}: {where} needs a non-empty list")
    for example in examples:
        unknown = set(example) - _EXAMPLE_KEYS
        if unknown or "text" not in example or "number" not in example:
            raise ValueError(f"{path.name}: {where}: example {example} has {sorted(unknown)} or lacks text/number")


def _load_file(path: Path, field: str) -> dict:
    data = read_rules(path)
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise ValueError(f"{path.name}: unexpected keys {sorted(unknown)}")
    lists = data.get("words") or {}
    if set(lists) != WORD_LISTS[field]:
        raise ValueError(f"{path.name}: word lists {sorted(set(lists) ^ WORD_LISTS[field])} unexpected or missing")
    for name, words in lists.items():
        if not words or len(words) != len(set(words)):
            raise ValueError(f"{path.name}: words.{name} is empty or has duplicates")
    for rule in data.get("rules") or []:
        unknown = set(rule) - _RULE_KEYS
        if unknown or not rule.get("id") or not rule.get("does"):
            raise ValueError(f"{path.name}: rule {rule.get('id')} has {sorted(unknown)} or lacks id/does")
        if not rule["id"].startswith(f"{field}."):
            raise ValueError(f"{path.name}: rule {rule['id']} does not belong to {field}")
        _check_examples(path, f"{rule['id']}.examples", rule.get("examples"))
        _check_examples(path, f"{rule['id']}.negative", rule.get("negative"))
    return data


@cache
def load_rules(directory: Path = RULES_DIR) -> ClaimRules:
    """Read and validate every rules file of the claims stage."""
    words: dict[str, dict[str, tuple[str, ...]]] = {}
    rules: dict[str, dict] = {}
    speaks_for: dict[str, str] = {}
    for field in WORD_LISTS:
        data = _load_file(directory / f"{field}.yaml", field)
        words[field] = {name: tuple(ws) for name, ws in data["words"].items()}
        for rule in data.get("rules") or []:
            if rule["id"] in rules:
                raise ValueError(f"{field}.yaml: rule {rule['id']} defined twice")
            rules[rule["id"]] = rule
        speaks_for.update(data.get("speaks_for") or {})
    extra = {p.stem for p in directory.glob("*.yaml")} - set(WORD_LISTS) - {"examples"}
    if extra:
        raise ValueError(f"{directory}: unexpected rules files {sorted(extra)}")
    examples = read_rules(directory / "examples.yaml")["examples"]
    return ClaimRules(words, rules, speaks_for, examples)
