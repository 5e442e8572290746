"""Peer benchmark: the Microsoft Recognizers-Text Chinese specs run through our extractors.

A case passes when every expected result's span (Start..End inclusive) and value match one of ours
and nothing else is found. Each family projects our output onto the peer's notion of a result
(the bare numeral for Number, the percentage for Percent, ...). Cases we decline by design are
listed with their reason in tests/specs_declined.csv; they are reported, never silently skipped.

Another extractor can add a family with `register(Family(...))`; the DateTime specs run from
their own module (pipeline/time_specs.py). Run: `python -m pipeline.specs [--family NAME] [--failures]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.numbers import find_numbers
from pipeline.quantities import QuantityMatch, scan_quantities

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPECS = ROOT.parent / "shared" / "benchmarks" / "recognizers-zh"
DECLINED = ROOT / "tests" / "specs_declined.csv"

Result = tuple[int, int, object]  # (start, end exclusive, comparable value)


@dataclass(frozen=True)
class Family:
    """One spec file: where it is, how to read our output and the peer's expected results."""

    name: str
    path: str  # relative to the specs root
    extract: Callable[[str], list[Result]]
    expected: Callable[[dict], Result | None]
    same: Callable[[object, object], bool]


FAMILIES: dict[str, Family] = {}


def register(family: Family) -> None:
    FAMILIES[family.name] = family


def _close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def _strip_bounds(q: QuantityMatch) -> tuple[int, int]:
    """The span without bound words (the peer reports 一吨 in 近一吨, 39°C in 烧到了39°C)."""
    s, e = q.start, q.end
    if q.qualifier:
        if q.rule in ("unit", "bare", "range"):
            s = q.num_start
        if q.bound != "range" and q.text.endswith(q.qualifier) and e - len(q.qualifier) >= q.num_end:
            e -= len(q.qualifier)
    return s, e


def _number_results(text: str) -> list[Result]:
    """Number: every number `find_numbers` gives (a quantity's numeral, or a numeral word)."""
    return [(n.start, n.end, n.value) for n in find_numbers(text)]


def _percent_results(text: str) -> list[Result]:
    return [(*_strip_bounds(q), q.value) for q in scan_quantities(text)
            if q.dimension in ("percent", "percentage_point") and q.rule != "fraction"]


def _unit_results(dimensions: tuple[str, ...]) -> Callable[[str], list[Result]]:
    def extract(text: str) -> list[Result]:
        return [(*_strip_bounds(q), q.number) for q in scan_quantities(text) if q.dimension in dimensions]
    return extract


def _ordinal_results(text: str) -> list[Result]:
    return [(q.num_start, q.num_end, q.number) for q in scan_quantities(text) if q.rule == "rank"]


def _range_results(text: str) -> list[Result]:
    """NumberRange: our bounded quantities as (lower, upper) intervals, openness ignored."""
    out = []
    for q in scan_quantities(text):
        if q.bound in ("lower", "upper", "range"):
            if q.dimension == "count" or q.rule in ("bare", "range"):
                out.append((q.start, q.num_end if q.bound == "range" else q.end, (q.lower, q.upper)))
    return out


def _plain_value(result: dict) -> Result | None:
    value = result["Resolution"].get("value")
    if isinstance(value, str):
        value = float(value.rstrip("%")) if value.rstrip("%") else None
    return result["Start"], result["End"] + 1, value


def _interval(result: dict) -> Result:
    raw = result["Resolution"]["value"].strip("[]()")
    lo, hi = (part.strip() for part in raw.split(","))
    return result["Start"], result["End"] + 1, (float(lo) if lo else None, float(hi) if hi else None)


def _same_interval(a: object, b: object) -> bool:
    return all(_close(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]


for _family in (
    Family("Number", "Specs/Number/Chinese/NumberModel.json", _number_results, _plain_value, _close),
    Family("Percent", "Specs/Number/Chinese/PercentModel.json", _percent_results, _plain_value, _close),
    Family("Currency", "Specs/NumberWithUnit/Chinese/CurrencyModel.json", _unit_results(("currency",)),
           _plain_value, _close),
    Family("Dimension", "Specs/NumberWithUnit/Chinese/DimensionModel.json",
           _unit_results(("mass", "length", "area", "volume", "energy", "power", "speed", "data", "frequency")),
           _plain_value, _close),
    Family("Ordinal", "Specs/Number/Chinese/OrdinalModel.json", _ordinal_results, _plain_value, _close),
    Family("NumberRange", "Specs/Number/Chinese/NumberRangeModel.json", _range_results, _interval, _same_interval),
    Family("Age", "Specs/NumberWithUnit/Chinese/AgeModel.json", _unit_results(("duration",)), _plain_value, _close),
    Family("Temperature", "Specs/NumberWithUnit/Chinese/TemperatureModel.json", _unit_results(("temperature",)),
           _plain_value, _close),
):
    register(_family)


def load_declined(path: Path = DECLINED) -> dict[tuple[str, str], str]:
    """(family, input) -> reason, from the declined-cases file."""
    declined: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not row["reason"].strip():
                raise ValueError(f"{path}: declined case {row['input']!r} has no reason")
            declined[(row["family"], row["input"])] = row["reason"]
    return declined


def case_passes(family: Family, case: dict) -> bool:
    expected = [family.expected(r) for r in case["Results"]]
    found = family.extract(case["Input"])
    if len(found) != len(expected):
        return False
    unmatched = list(found)
    for s, e, v in expected:
        hit = next((f for f in unmatched if f[0] == s and f[1] == e and family.same(f[2], v)), None)
        if hit is None:
            return False
        unmatched.remove(hit)
    return True


def run_family(family: Family, root: Path, declined: dict[tuple[str, str], str]) -> tuple[int, int, int, list]:
    """(passed, total in scope, declined, failures) for one family."""
    cases = json.loads((root / family.path).read_text(encoding="utf-8-sig"))
    passed = total = n_declined = 0
    failures = []
    for case in cases:
        if (family.name, case["Input"]) in declined:
            n_declined += 1
            continue
        total += 1
        if case_passes(family, case):
            passed += 1
        else:
            failures.append(case)
    return passed, total, n_declined, failures


def run_specs(root: Path = DEFAULT_SPECS, families: tuple[str, ...] | None = None,
              declined_path: Path = DECLINED) -> dict[str, tuple[int, int, int]]:
    """file -> (passed, total in scope, declined) for each family."""
    declined = load_declined(declined_path)
    out = {}
    for name in families or tuple(FAMILIES):
        family = FAMILIES[name]
        passed, total, n_declined, _ = run_family(family, Path(root), declined)
        out[family.path] = (passed, total, n_declined)
    return out


CORE_FAMILIES = ("Number", "Percent", "Currency", "Dimension")


def every_case(root: Path = DEFAULT_SPECS, families: tuple[str, ...] = CORE_FAMILIES) -> tuple[int, int]:
    """(passed, cases) over every case of the families, declined ones counted as failures: the
    figure to compare with the peer's own pass rate."""
    passed = total = 0
    for name in families:
        family = FAMILIES[name]
        for case in json.loads((Path(root) / family.path).read_text(encoding="utf-8-sig")):
            total += 1
            passed += case_passes(family, case)
    return passed, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_SPECS)
    parser.add_argument("--family", action="append", help="run only these families")
    parser.add_argument("--failures", action="store_true", help="print the failing inputs")
    args = parser.parse_args(argv)
    declined = load_declined()
    for name in args.family or list(FAMILIES):
        family = FAMILIES[name]
        passed, total, n_declined, failures = run_family(family, args.root, declined)
        rate = passed / total if total else 1.0
        print(f"{family.path:55s} {passed:4d}/{total:<4d} {rate:6.1%}  declined {n_declined}")
        if args.failures:
            for case in failures:
                print(f"    FAIL {case['Input']!r}: expected "
                      f"{[(r['Text'], r['Resolution'].get('value')) for r in case['Results']]} found "
                      f"{family.extract(case['Input'])}")
    if not args.family:
        passed, total = every_case(args.root)
        print(f"{'/'.join(CORE_FAMILIES)}, every case (declined ones failing): {passed}/{total} {passed / total:.1%}")


if __name__ == "__main__":
    main()
