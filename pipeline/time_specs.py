"""Peer benchmarks for the time stage: Recognizers-Text date cases and People's Daily 1998 `/t` recall.

Recognizers-Text (`Specs/DateTime/Chinese/DateTimeModel.json`): every case with a `datetimeV2.date` or
`datetimeV2.daterange` result, scanned with its `Context.ReferenceDateTime` as the anchor. A case passes when
each of its date/daterange results is found with the same text (NFKC, no spaces, a leading 从/在/自 dropped —
they include the preposition, we do not) and an equal interval, and we report nothing outside the spans they
annotate. Intervals compare as [start, end) days; because RT ends a range at the START of its last named unit
(`1995-1997年` ends 1997-01-01, `之后` starts after or at the unit) while our ranges include both ends, a range
end (or open-range boundary) matches either the start or the end of the named unit. A gold `timex` that is a
plain unit (`2018`) is accepted as well as its clipped value (`今年` = 2018-01-01..2018-07-16). Cases we do
not follow by design are listed with a reason in tests/time_specs_declined.csv.

PKU98 (`199801-test.txt`, gold segmentation + POS): adjacent `/t` tokens form one span; a span is a date when,
after trimming non-date tokens at its ends, it holds a numeral with 年/月/日/号 (`１９９８年１月１日`,
`九十年代`) or a deictic day/month/year word (`今天`, `去年底`, `本月`). Times of day (`上午`, `２０时`),
festivals (`春节`, `除夕`), seasons, and vague or as-of words (`目前`, `近日`, `现在`) are not dates. Recall =
gold date spans covered by one of our spans; exact = same boundaries.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
import unicodedata
from pathlib import Path

import regex

from pipeline.times import scan_times

SPECS_ROOT = Path("/work/shared/benchmarks/recognizers-zh")
PKU98_PATH = Path("/work/shared/benchmarks/pku98-pos/199801-test.txt")
GOV_CORPUS = Path("/work/shared/corpora/gov-work-reports/government_work_reports.jsonl")
TESTS = Path(__file__).resolve().parent.parent / "tests"
DECLINED_PATH = TESTS / "time_specs_declined.csv"
RECORDED_PATH = TESTS / "time_specs_recorded.json"
DATE_TYPES = {"datetimeV2.date", "datetimeV2.daterange"}

_UNIT = regex.compile(r"(\d{4})(?:-(?:(\d\d)(?:-(\d\d))?|Q([1-4])|H([12])))?")
_PLAIN_TIMEX = regex.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")


def _unit_bounds(iso: str) -> tuple[dt.date, dt.date]:
    """[start, end) days of one ISO unit: 2021, 2021-08, 2021-08-23, 2021-Q1, 2021-H1."""
    m = _UNIT.fullmatch(iso)
    if not m:
        raise ValueError(iso)
    year = int(m[1])
    if m[3]:
        start = dt.date(year, int(m[2]), int(m[3]))
        return start, start + dt.timedelta(days=1)
    if m[2]:
        first, months = int(m[2]), 1
    elif m[4]:
        first, months = 3 * int(m[4]) - 2, 3
    elif m[5]:
        first, months = 6 * int(m[5]) - 5, 6
    else:
        first, months = 1, 12
    index = year * 12 + first - 1 + months
    return dt.date(year, first, 1), dt.date(index // 12, index % 12 + 1, 1)


def _our_bounds(value: str) -> tuple[set, set]:
    """Acceptable (starts, ends) of one of our values; None stands for an open side."""
    if "/" not in value:
        start, end = _unit_bounds(value)
        return {start}, {end}
    left, right = value.split("/")
    starts = {None} if left == ".." else set(_unit_bounds(left))
    ends = {None} if right == ".." else set(_unit_bounds(right))
    if left != ".." and right != "..":
        starts = {_unit_bounds(left)[0]}
    return starts, ends


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _gold_intervals(result: dict) -> list[tuple[dt.date | None, dt.date | None]] | None:
    """Acceptable gold intervals, or None when RT leaves the expression unresolved."""
    out = []
    for value in result["Resolution"]["values"]:
        if value.get("value") == "not resolved":
            return None
        if "value" in value:
            day = _day(value["value"])
            out.append((day, day + dt.timedelta(days=1)))
        else:
            out.append((_day(value.get("start")), _day(value.get("end"))))
        timex = value.get("timex", "")
        if _PLAIN_TIMEX.fullmatch(timex):
            out.append(_unit_bounds(timex))
    return out


def _norm(text: str) -> str:
    text = regex.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return regex.sub(r"^(?:自从|从|在|自)", "", text)


def _case_passes(case: dict) -> bool:
    anchor = case.get("Context", {}).get("ReferenceDateTime", "")[:10] or None
    ours = scan_times(case["Input"], anchor)
    gold_spans = [(r["Start"], r["End"] + 1) for r in case["Results"]]
    for match in ours:
        if not any(match.start < end and start < match.end for start, end in gold_spans):
            return False
    for result in case["Results"]:
        if result["TypeName"] not in DATE_TYPES:
            continue
        wanted = _gold_intervals(result)
        found = False
        for match in ours:
            if _norm(match.text) != _norm(result["Text"]):
                continue
            if wanted is None:
                found = match.value is None
            elif match.value is not None:
                starts, ends = _our_bounds(match.value)
                found = any(start in starts and end in ends for start, end in wanted)
            if found:
                break
        if not found:
            return False
    return True


def datetime_cases(root: Path = SPECS_ROOT) -> list[tuple[int, dict]]:
    """(index, case) for every DateTimeModel case with a date or daterange result."""
    path = root / "Specs" / "DateTime" / "Chinese" / "DateTimeModel.json"
    cases = json.loads(path.read_text(encoding="utf-8-sig"))
    return [(i, c) for i, c in enumerate(cases) if any(r["TypeName"] in DATE_TYPES for r in c["Results"])]


def declined_cases(path: Path = DECLINED_PATH) -> dict[int, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {int(row["case"]): row["reason"] for row in csv.DictReader(fh)}


def failing_cases(root: Path = SPECS_ROOT) -> list[int]:
    return [i for i, case in datetime_cases(root) if not _case_passes(case)]


def run_datetime_specs(root: Path = SPECS_ROOT) -> tuple[int, int, int]:
    """(passed, total, declined) over the date/daterange cases of DateTimeModel.json."""
    cases = datetime_cases(root)
    passed = sum(_case_passes(case) for _, case in cases)
    return passed, len(cases), len(declined_cases())


# ---------------------------------------------------------------- PKU98

_DATE_TOKEN = regex.compile(
    r"[0-9０-９〇○零一二三四五六七八九十两]+\s*(?:年|月|日|号)"
    r"|^(?:今年|去年|明年|前年|后年|上年|本年|今天|昨天|明天|前天|后天|今日|昨日|明日|本月|上月|下月|上个月|下个月)"
)
_TIME_OF_DAY = regex.compile(r"[时点分秒]$|^(?:上午|下午|晚上|凌晨|中午|早上|傍晚|夜间|今晚|昨晚|明晚)")


def _is_date_token(word: str) -> bool:
    return bool(_DATE_TOKEN.search(word)) and not _TIME_OF_DAY.search(word)


def pku98_paragraphs(path: Path = PKU98_PATH):
    """(text, gold date spans) per paragraph of the PKU98 gold file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        tokens = line.split()
        text_parts: list[str] = []
        pos = 0
        runs: list[list[tuple[int, int, str]]] = []
        in_run = False
        for token in tokens:
            word, _, tag = token.rpartition("/")
            word = word.lstrip("[")
            tag = tag.split("]")[0]
            if not word:
                continue
            if tag == "t":
                if not in_run:
                    runs.append([])
                runs[-1].append((pos, pos + len(word), word))
                in_run = True
            else:
                in_run = False
            text_parts.append(word)
            pos += len(word)
        spans = []
        for run in runs:
            dated = [i for i, (_, _, w) in enumerate(run) if _is_date_token(w)]
            if dated:
                spans.append((run[dated[0]][0], run[dated[-1]][1]))
        yield "".join(text_parts), spans


def pku98_date_recall(path: Path = PKU98_PATH) -> dict:
    """Recall of gold PKU98 date spans (see module docstring), plus our spans outside any gold `/t` date."""
    gold = covered = exact = extra = 0
    for text, spans in pku98_paragraphs(path):
        ours = scan_times(text, "1998-01")
        gold += len(spans)
        for start, end in spans:
            hits = [m for m in ours if m.start <= start and end <= m.end]
            covered += bool(hits)
            exact += any(m.start == start and m.end == end for m in hits)
        extra += sum(not any(m.start < e and s < m.end for s, e in spans) for m in ours)
    return {"gold_spans": gold, "recall": round(covered / gold, 4), "exact_recall": round(exact / gold, 4),
            "ours_outside_gold_dates": extra}


def gov_speed(path: Path = GOV_CORPUS) -> float:
    """Characters per second of scan_times over the government work report corpus."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chars = sum(len(r["content"]) for r in records)
    began = time.perf_counter()
    for record in records:
        scan_times(record["content"], str(record["year"]) if record.get("year") else None)
    return chars / (time.perf_counter() - began)


def main() -> None:
    passed, total, declined = run_datetime_specs()
    print(f"Recognizers-Text DateTimeModel date/daterange: {passed}/{total} passed ({passed / total:.1%}); "
          f"{declined} declined with reasons in {DECLINED_PATH.name}")
    undeclared = sorted(set(failing_cases()) - set(declined_cases()))
    if undeclared:
        print(f"  failing but not declined: {undeclared}")
    pku = pku98_date_recall()
    print(f"PKU98 /t date spans: recall {pku['recall']:.1%} (exact {pku['exact_recall']:.1%}) "
          f"of {pku['gold_spans']}; {pku['ours_outside_gold_dates']} of our spans outside them")


if __name__ == "__main__":
    main()
