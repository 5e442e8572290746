"""Train the project's small character-level spaCy NER on BosonNLP and CLUENER (never on PD or MSRA).

`python -m pipeline.train_ner` (make train-ner) writes models/zhfacts_ner (a blank `zh` pipeline
with one `ner` pipe over single characters, PERSON / ORG / LOC). Everything that changes the
result is fixed: the seed, the data order, the held-out split and the number of epochs, so two runs
on the same machine give the same model. The model is optional: it is slower than the rules (a
statistical tagger over every character), so `pipeline.entities` never loads it by itself; the
`zhfacts_ner_model` spaCy component and `python -m pipeline.ner_eval --model` use it.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks"
MODEL_DIR = ROOT / "models" / "zhfacts_ner"
SEED = 20210823
BOSON_LABELS = {"person_name": "PERSON", "org_name": "ORG", "company_name": "ORG", "location": "LOC"}
CLUENER_LABELS = {"name": "PERSON", "company": "ORG", "government": "ORG", "organization": "ORG",
                  "address": "LOC", "scene": "LOC"}
SENTENCE_END = "。！？；"
MAX_CHARS = 160

# a small CNN: hashed character embeddings, 2 convolution layers, no pretrained vectors
NER_CONFIG = {
    "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 64,
                "maxout_pieces": 2,
                "use_upper": True,
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "width": 96,
                    "depth": 2,
                    "embed_size": 4000,
                    "window_size": 1,
                    "maxout_pieces": 3,
                    "subword_features": False,
                    "pretrained_vectors": None,
                },
    }
}

Sample = tuple[str, list[tuple[int, int, str]]]


def _split(text: str, spans: list[tuple[int, int, str]]) -> list[Sample]:
    """Cut a paragraph into sentences of at most MAX_CHARS, never through an entity."""
    out = []
    start = 0
    inside = bytearray(len(text) + 1)
    for s, e, _ in spans:
        inside[s + 1 : e] = b"\1" * (e - s - 1)
    for i, ch in enumerate(text):
        if (ch in SENTENCE_END or i - start >= MAX_CHARS) and not inside[i + 1]:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    samples = []
    for s0, e0 in out:
        sub = [(s - s0, e - s0, lab) for s, e, lab in spans if s0 <= s and e <= e0]
        if text[s0:e0].strip():
            samples.append((text[s0:e0], sub))
    return samples


def load_boson(path: Path = BENCH / "boson-ner" / "boson.txt") -> list[Sample]:
    samples = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            spans = [
                (e["entity_index"]["begin"], e["entity_index"]["end"], BOSON_LABELS[e["entity_type"]])
                for e in rec["entity_list"]
                if e["entity_type"] in BOSON_LABELS
            ]
            samples += _split(rec["text"], _clean(rec["text"], spans))
    return samples


def load_cluener(path: Path = BENCH / "cluener2020" / "dev.jsonl") -> list[Sample]:
    samples = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            spans = [
                (s, e + 1, CLUENER_LABELS[kind])  # CLUENER ends are inclusive
                for kind, names in rec["label"].items()
                if kind in CLUENER_LABELS
                for positions in names.values()
                for s, e in positions
            ]
            samples.append((rec["text"], _clean(rec["text"], spans)))
    return samples


def _clean(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans without surrounding whitespace (BosonNLP has stray spaces), non-overlapping."""
    out = []
    end = -1
    for s, e, lab in sorted(spans):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= end and e > s:
            out.append((s, e, lab))
            end = e
    return out


def train(epochs: int, out_dir: Path, time_limit: float) -> dict:
    fix_random_seed(SEED)
    data = load_boson() + load_cluener()
    random.Random(SEED).shuffle(data)
    n_dev = len(data) // 20
    dev, train_set = data[:n_dev], data[n_dev:]
    nlp = spacy.blank("zh")  # the default zh tokenizer: one token per character
    nlp.add_pipe("ner", config=NER_CONFIG)
    examples = []
    for text, spans in train_set:
        doc = nlp.make_doc(text)
        ents = [(s, e, lab) for s, e, lab in spans if doc.char_span(s, e) is not None]
        examples.append(Example.from_dict(doc, {"entities": ents}))
    optimizer = nlp.initialize(lambda: examples)
    started = time.time()
    scores = {}
    for epoch in range(epochs):
        random.Random(SEED + epoch).shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.2)
        dev_examples = [Example.from_dict(nlp.make_doc(t), {"entities": s}) for t, s in dev]
        scores = nlp.evaluate(dev_examples)
        print(f"epoch {epoch + 1}: loss {losses['ner']:.0f} dev F {scores['ents_f']:.3f} "
              f"({time.time() - started:.0f}s)", flush=True)
        if time.time() - started > time_limit:
            break
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return {"ents_f": scores.get("ents_f"), "epochs": epoch + 1, "train": len(train_set), "dev": len(dev)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--time-limit", type=float, default=3600.0, help="stop after the epoch past this many s")
    args = parser.parse_args(argv)
    print(json.dumps(train(args.epochs, args.out, args.time_limit)))


if __name__ == "__main__":
    main()
