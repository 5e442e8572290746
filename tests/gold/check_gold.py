"""Validate the hand-made gold claims in tests/gold (run before handing annotations in).

Checks every claims_<doc>.csv: exact columns, doc file exists and is in the manifest, snippet
occurs exactly once in its doc and holds a numeral, value is a plain decimal, dimension / bound /
modality are in the allowed sets, time is normalised. Exits non-zero listing every problem.
Usage: check_gold.py [GOLD_DIR] (default: this folder; the blind halves are tests/gold_blind/{dev,test}).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import regex
import yaml

GOLD = Path(__file__).resolve().parent
COLUMNS = ["doc", "snippet", "value", "dimension", "bound", "metric", "subject", "time", "modality"]
MANIFEST_COLUMNS = ["file", "title", "published", "source"]
# The blind gold (tests/gold_blind) also names each document's genre, for per-genre figures.
GENRES = {"report", "resolution", "pd1998", "finance", "sports", "news"}
# the quantity dimensions of rules/units.yaml, rates (unit_price, concentration, ...) included
DIMENSIONS = set(yaml.safe_load((GOLD.parent.parent / "rules" / "units.yaml").read_text(encoding="utf-8"))["dimensions"])
BOUNDS = {"exact", "lower", "upper", "approx", "range"}
MODALITIES = {"fact", "target", "forecast"}
_POINT = r"\d{4}(?:-(?:\d{2}(?:-\d{2})?|Q[1-4]|H[12]))?"
TIME = regex.compile(rf"(?:{_POINT}(?:/{_POINT})?)?")
VALUE = regex.compile(r"-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?")
NUMERAL = regex.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟半]")
DATE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_manifest(docs: Path) -> tuple[set[str], list[str]]:
    """Return the doc files listed in the manifest and the problems found in it."""
    path = docs / "manifest.csv"
    if not path.exists():
        return set(), [f"{path}: missing"]
    problems: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames not in (MANIFEST_COLUMNS, MANIFEST_COLUMNS + ["genre"]):
            problems.append(f"manifest columns {reader.fieldnames} != {MANIFEST_COLUMNS} (+ genre)")
        rows = list(reader)
    files = [r["file"] for r in rows]
    for dup in {f for f in files if files.count(f) > 1}:
        problems.append(f"manifest: {dup} listed twice")
    for r in rows:
        if not (docs / r["file"]).exists():
            problems.append(f"manifest: {r['file']} has no file in docs/")
        if r["published"] and not DATE.fullmatch(r["published"]):
            problems.append(f"manifest: {r['file']} published {r['published']!r} is not YYYY-MM-DD or empty")
        if "genre" in r and r["genre"] not in GENRES:
            problems.append(f"manifest: {r['file']} genre {r['genre']!r} not in {sorted(GENRES)}")
    return set(files), problems


def check_claims(path: Path, listed: set[str], docs: Path) -> tuple[int, list[str]]:
    """Return the number of rows in one claims file and its problems."""
    problems: list[str] = []
    doc = path.stem.removeprefix("claims_")
    doc_path = docs / f"{doc}.txt"
    if not doc_path.exists():
        return 0, [f"{path.name}: no doc file {doc_path.name}"]
    if doc_path.name not in listed:
        problems.append(f"{path.name}: {doc_path.name} not in manifest")
    text = doc_path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            return 0, [f"{path.name}: columns {reader.fieldnames} != {COLUMNS}"]
        rows = list(reader)
    seen: set[tuple[str, str]] = set()
    for n, r in enumerate(rows, start=2):
        where = f"{path.name}:{n}"
        snip = r["snippet"]
        if r["doc"] != doc:
            problems.append(f"{where}: doc {r['doc']!r} != {doc!r}")
        count = text.count(snip) if snip else 0
        if count != 1:
            problems.append(f"{where}: snippet {snip!r} occurs {count} times")
        if not NUMERAL.search(snip):
            problems.append(f"{where}: snippet {snip!r} holds no numeral")
        if not VALUE.fullmatch(r["value"]):
            problems.append(f"{where}: value {r['value']!r} is not a plain decimal")
        if r["dimension"] not in DIMENSIONS:
            problems.append(f"{where}: dimension {r['dimension']!r}")
        if r["bound"] not in BOUNDS:
            problems.append(f"{where}: bound {r['bound']!r}")
        if r["modality"] not in MODALITIES:
            problems.append(f"{where}: modality {r['modality']!r}")
        if not TIME.fullmatch(r["time"]):
            problems.append(f"{where}: time {r['time']!r}")
        if not r["metric"].strip():
            problems.append(f"{where}: empty metric")
        key = (snip, r["value"])
        if key in seen:
            problems.append(f"{where}: duplicate claim {key}")
        seen.add(key)
    return len(rows), problems


def main() -> int:
    gold = Path(sys.argv[1]) if len(sys.argv) > 1 else GOLD
    listed, problems = check_manifest(gold / "docs")
    total = 0
    for path in sorted(gold.glob("claims_*.csv")):
        n, found = check_claims(path, listed, gold / "docs")
        problems += found
        total += n
        print(f"{path.name}: {n} claims")
    print(f"total: {total} claims")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
