"""Score the entity stage on others' gold: People's Daily NER (dev, test) and MSRA NER (test).

Each sentence is segmented by the project's jieba (pipeline.segment) as in production.
Labels are compared as PER / ORG / LOC: PERSON -> PER, ORG -> ORG, and GPE, LOC and FAC -> LOC
(both gold sets call countries, cities, regions and named buildings LOC). EVENT and PRODUCT have no
gold here and are not scored. A prediction counts only with exact boundaries and label.

`python -m pipeline.ner_eval` (make ner-eval) prints the table and writes tests/ner_eval_results.md;
`--record` also stores the F1 figures in tests/ner_eval_recorded.json, which tests/test_ner_eval.py
checks against (the three full sets take a few seconds). Rules were developed on PD dev and MSRA test;
PD test was only ever scored.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.entities import tag_text, text_words

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks"
RESULTS_MD = ROOT / "tests" / "ner_eval_results.md"
RECORDED = ROOT / "tests" / "ner_eval_recorded.json"
SCORED = ("PER", "ORG", "LOC")
TO_GOLD = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
MSRA_TAGS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
DATASETS = {
    "pd_dev": "peoples-daily-ner/example.dev",
    "pd_test": "peoples-daily-ner/example.test",
    "msra_test": "msra-ner/testright1.txt",
}

Gold = tuple[str, set[tuple[int, int, str]]]


def load_bio(path: Path) -> list[Gold]:
    """Char-per-line `c TAG` BIO file, sentences separated by blank lines."""
    sentences = []
    chars: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if chars:
                sentences.append(("".join(chars), bio_spans(tags)))
                chars, tags = [], []
            continue
        char, tag = line[0], line.rsplit(" ", 1)[-1]
        chars.append(char)
        tags.append(tag)
    if chars:
        sentences.append(("".join(chars), bio_spans(tags)))
    return sentences


def bio_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, label) spans of a BIO tag sequence; an I- without its B- starts a span."""
    spans = set()
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == label
        if start is not None and not inside:
            spans.add((start, i, label))
            start, label = None, None
        if tag[:2] in ("B-", "I-") and not inside:
            start, label = i, tag[2:]
    return spans


def load_msra(path: Path) -> list[Gold]:
    """SIGHAN-2006 MSRA `segment/tag` lines (nr, ns, nt, o), one sentence a line."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = ""
        spans = set()
        for item in line.split():
            segment, _, tag = item.rpartition("/")
            if tag in MSRA_TAGS:
                spans.add((len(text), len(text) + len(segment), MSRA_TAGS[tag]))
            text += segment
        if text:
            sentences.append((text, spans))
    return sentences


def load(name: str) -> list[Gold]:
    path = BENCH / DATASETS[name]
    return load_msra(path) if name.startswith("msra") else load_bio(path)


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def predict(text: str) -> set[tuple[int, int, str]]:
    mentions, _ = tag_text(text, text_words(text))
    return {(m.start, m.end, TO_GOLD[m.label]) for m in mentions if m.label in TO_GOLD}


def evaluate(sentences: list[Gold]) -> dict[str, Score]:
    """Per-label and micro-averaged exact-match scores."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for text, gold in sentences:
        pred = predict(text)
        for s in pred:
            (tp if s in gold else fp)[s[2]] += 1
        for s in gold - pred:
            fn[s[2]] += 1
    scores = {label: Score(tp[label], fp[label], fn[label]) for label in SCORED}
    scores["micro"] = Score(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return scores


def table(results: dict[str, dict[str, Score]]) -> str:
    lines = ["| set | label | P | R | F1 | gold |", "|---|---|---|---|---|---|"]
    for name, scores in results.items():
        for label, s in scores.items():
            lines.append(f"| {name} | {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp + s.fn} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="store figures in tests/ner_eval_recorded.json")
    args = parser.parse_args(argv)
    results = {name: evaluate(load(name)) for name in DATASETS}
    text = table(results)
    print(text)
    RESULTS_MD.write_text(
        "# Entity stage on others' gold (exact match; GPE/LOC/FAC scored as LOC)\n\n"
        "Generated by `python -m pipeline.ner_eval` (make ner-eval). "
        "Rules developed on PD dev and MSRA test; PD test only scored.\n\n"
        f"{text}\n",
        encoding="utf-8",
    )
    if args.record:
        f1 = {name: {label: round(s.f1, 4) for label, s in scores.items()} for name, scores in results.items()}
        RECORDED.write_text(json.dumps(f1, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
