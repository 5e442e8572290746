"""Score predicted claims against the hand-made gold in `tests/gold/` (`zhfacts eval`).

A predicted claim matches a gold claim of the same document when its raw span overlaps the gold
snippet and its value (relative tolerance 1e-6) and dimension agree; matching is one-to-one, in
text order. On matched claims we report the accuracy of metric (every gold keyword appears in the
predicted metric, both read in simplified script), subject (likewise; an empty gold subject wants
an empty prediction), time,
bound and modality (exact). `row` is the share of gold claims whose whole row is right: matched,
with metric, subject, time, bound and modality all correct. When the gold manifest names each
document's `genre` (tests/gold_blind), the figures are also given per genre.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.script import to_simplified

ATTRIBUTES = ("metric", "subject", "time", "bound", "modality")
FIGURES = ("precision", "recall", "f1") + ATTRIBUTES + ("row",)


@dataclass(frozen=True)
class GoldClaim:
    doc: str
    start: int
    end: int
    snippet: str
    value: float
    dimension: str
    bound: str
    metric: str
    subject: str
    time: str
    modality: str


def load_gold(gold_dir: Path) -> tuple[list[GoldClaim], set[str]]:
    """Gold claims with the raw span of their snippet, and the documents they cover."""
    docs_dir = gold_dir / "docs"
    texts: dict[str, str] = {}
    claims = []
    for path in sorted(gold_dir.glob("claims_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                doc = row["doc"]
                if doc not in texts:
                    texts[doc] = (docs_dir / f"{doc}.txt").read_text(encoding="utf-8-sig")
                start = texts[doc].find(row["snippet"])
                if start < 0:
                    raise ValueError(f"{path.name}: snippet {row['snippet']!r} not in {doc}")
                claims.append(GoldClaim(
                    doc, start, start + len(row["snippet"]), row["snippet"], float(row["value"]),
                    row["dimension"], row["bound"], row["metric"], row["subject"], row["time"],
                    row["modality"]))
    return claims, set(texts)


def load_genres(gold_dir: Path) -> dict[str, str]:
    """Each document's genre from the gold manifest, when it has that column."""
    path = gold_dir / "docs" / "manifest.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["file"].removesuffix(".txt"): row["genre"] for row in csv.DictReader(handle) if row.get("genre")}


def load_predictions(pred_dir: Path) -> list[dict[str, str]]:
    with (pred_dir / "claims.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _keywords_match(gold: str, predicted: str) -> bool:
    keywords = [k for k in gold.split(";") if k]
    if not keywords:
        return not predicted
    return all(keyword in predicted for keyword in keywords)


def attribute_correct(gold: GoldClaim, pred: dict[str, str], name: str) -> bool:
    if name in ("metric", "subject"):  # in either script: 工業總産值 is 工业总产值
        return _keywords_match(to_simplified(getattr(gold, name)), to_simplified(pred[name]))
    return getattr(gold, name) == pred[name]


def _same_value(gold: GoldClaim, pred: dict[str, str]) -> bool:
    if not pred["value"] or gold.dimension != pred["dimension"]:
        return False
    return math.isclose(gold.value, float(pred["value"]), rel_tol=1e-6, abs_tol=1e-9)


def match(gold: list[GoldClaim], predictions: list[dict[str, str]]):
    """One-to-one (gold, prediction) pairs, gold in text order taking the first free prediction."""
    by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for pred in predictions:
        by_doc[pred["doc_id"]].append(pred)
    used: set[int] = set()
    pairs = []
    for claim in sorted(gold, key=lambda g: (g.doc, g.start)):
        for pred in sorted(by_doc[claim.doc], key=lambda p: int(p["start"])):
            if id(pred) in used:
                continue
            overlaps = int(pred["start"]) < claim.end and claim.start < int(pred["end"])
            if overlaps and _same_value(claim, pred):
                used.add(id(pred))
                pairs.append((claim, pred))
                break
    return pairs


def score(gold_dir: Path, pred_dir: Path) -> dict:
    """Overall and per-document figures, plus the misses for reading."""
    gold, docs = load_gold(gold_dir)
    predictions = [p for p in load_predictions(pred_dir) if p["doc_id"] in docs]
    pairs = match(gold, predictions)
    matched_preds = {id(pred) for _claim, pred in pairs}

    def figures(gold_subset, pred_subset, pair_subset) -> dict:
        precision = len(pair_subset) / len(pred_subset) if pred_subset else 0.0
        recall = len(pair_subset) / len(gold_subset) if gold_subset else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result = {"gold": len(gold_subset), "predicted": len(pred_subset), "matched": len(pair_subset),
                  "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
        for name in ATTRIBUTES:
            correct = sum(attribute_correct(g, p, name) for g, p in pair_subset)
            result[name] = round(correct / len(pair_subset), 4) if pair_subset else 0.0
        whole = sum(all(attribute_correct(g, p, name) for name in ATTRIBUTES) for g, p in pair_subset)
        result["row"] = round(whole / len(gold_subset), 4) if gold_subset else 0.0
        return result

    def subset(docs_subset: set[str]) -> dict:
        return figures([g for g in gold if g.doc in docs_subset],
                       [p for p in predictions if p["doc_id"] in docs_subset],
                       [(g, p) for g, p in pairs if g.doc in docs_subset])

    per_doc = {doc: subset({doc}) for doc in sorted(docs)}
    genre_of = load_genres(gold_dir)
    per_genre = {genre: subset({d for d in docs if genre_of.get(d) == genre})
                 for genre in sorted(set(genre_of.values()))}
    matched_gold = {id(claim) for claim, _pred in pairs}
    return {
        "overall": figures(gold, predictions, pairs),
        "documents": per_doc,
        "genres": per_genre,
        "missed": [f"{g.doc}: {g.snippet} = {g.value:g} {g.dimension}" for g in gold
                   if id(g) not in matched_gold],
        "spurious": [f"{p['doc_id']}: {p['text']} = {p['value']} {p['dimension']}" for p in predictions
                     if id(p) not in matched_preds],
        "wrong": [
            f"{g.doc}: {g.snippet}: {name} gold={getattr(g, name)!r} pred={p[name]!r}"
            for g, p in pairs for name in ATTRIBUTES if not attribute_correct(g, p, name)
        ],
    }


def format_report(result: dict, verbose: bool = False) -> str:
    header = f"{'document':<28} {'gold':>5} {'pred':>5} {'match':>5} " + " ".join(
        f"{name[:8]:>8}" for name in FIGURES)
    lines = [header]
    rows = list(result["documents"].items()) + [(f"genre {g}", f) for g, f in result["genres"].items()] \
        + [("OVERALL", result["overall"])]
    for doc, fig in rows:
        lines.append(f"{doc:<28} {fig['gold']:>5} {fig['predicted']:>5} {fig['matched']:>5} "
                     + " ".join(f"{fig[name]:>8.3f}" for name in FIGURES))
    if verbose:
        for section in ("missed", "spurious", "wrong"):
            lines.append(f"\n{section} ({len(result[section])}):")
            lines.extend(f"  {item}" for item in result[section])
    return "\n".join(lines)


def regressions(result: dict, recorded_path: Path) -> list[str]:
    """Figures that fell below the recorded ones (small float slack)."""
    recorded = json.loads(recorded_path.read_text(encoding="utf-8"))
    return [f"{name}: {result['overall'][name]:.4f} < recorded {recorded[name]:.4f}"
            for name in FIGURES if result["overall"][name] + 1e-9 < recorded[name]]
