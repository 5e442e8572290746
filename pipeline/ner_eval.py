"""Score the entity stage on others' gold: People's Daily NER (dev, test) and MSRA NER (test).

Each sentence is segmented by the project's jieba (pipeline.segment) as in production, and tagged
twice: by the rules alone (`rules`, what `zhfacts extract` does by default) and with the trained
model revising them (`model`, `zhfacts extract --ner-model`; pipeline.ner_model).
Labels are compared as PER / ORG / LOC: PERSON -> PER, ORG -> ORG, and GPE, LOC and FAC -> LOC
(both gold sets call countries, cities, regions and named buildings LOC). EVENT and PRODUCT have no
gold here and are not scored. A prediction counts only with exact boundaries and label.

`python -m pipeline.ner_eval` (make ner-eval) prints the table and writes tests/ner_eval_results.md;
`--record` also stores the F1 figures in tests/ner_eval_recorded.json, which tests/test_ner_eval.py
checks against. Rules and the model's configuration were chosen on PD dev (and the rules on MSRA
test too); PD test was only ever scored.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.entities import tag_text, tag_with_model, text_words
from pipeline.ner_model import bio_spans

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
TAGGERS = {"rules": tag_text, "model": tag_with_model}


def load_bio(path: Path) -> list[Gold]:
    """Char-per-line `c TAG` BIO file, sentences separated by blank lines."""
    sentences = []
    chars: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if chars:
                sentences.append(("".join(chars), set(bio_spans(tags))))
                chars, tags = [], []
            continue
        char, tag = line[0], line.rsplit(" ", 1)[-1]
        chars.append(char)
        tags.append(tag)
    if chars:
        sentences.append(("".join(chars), set(bio_spans(tags))))
    return sentences


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


def predict(text: str, tagger: str = "rules") -> set[tuple[int, int, str]]:
    mentions, _ = TAGGERS[tagger](text, text_words(text))
    return {(m.start, m.end, TO_GOLD[m.label]) for m in mentions if m.label in TO_GOLD}


def evaluate(sentences: list[Gold], tagger: str = "rules") -> dict[str, Score]:
    """Per-label and micro-averaged exact-match scores."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for text, gold in sentences:
        pred = predict(text, tagger)
        for s in pred:
            (tp if s in gold else fp)[s[2]] += 1
        for s in gold - pred:
            fn[s[2]] += 1
    scores = {label: Score(tp[label], fp[label], fn[label]) for label in SCORED}
    scores["micro"] = Score(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return scores


def table(results: dict[str, dict[str, dict[str, Score]]]) -> str:
    lines = ["| tagger | set | label | P | R | F1 | gold |", "|---|---|---|---|---|---|---|"]
    for tagger, sets in results.items():
        for name, scores in sets.items():
            for label, s in scores.items():
                lines.append(
                    f"| {tagger} | {name} | {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp + s.fn} |"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="store figures in tests/ner_eval_recorded.json")
    args = parser.parse_args(argv)
    gold = {name: load(name) for name in DATASETS}
    results = {tagger: {name: evaluate(gold[name], tagger) for name in DATASETS} for tagger in TAGGERS}
    text = table(results)
    print(text)
    RESULTS_MD.write_text(
        "# Entity stage on others' gold (exact match; GPE/LOC/FAC scored as LOC)\n\n"
        "Generated by `python -m pipeline.ner_eval` (make ner-eval). `rules`: the default entity stage; "
        "`model`: with the trained model (`zhfacts extract --ner-model`). "
        "Developed on PD dev (rules also on MSRA test); PD test only scored.\n\n"
        f"{text}\n",
        encoding="utf-8",
    )
    if args.record:
        f1 = {
            tagger: {name: {label: round(s.f1, 4) for label, s in scores.items()} for name, scores in sets.items()}
            for tagger, sets in results.items()
        }
        RECORDED.write_text(json.dumps(f1, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
