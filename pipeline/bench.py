"""`make bench`: speed and memory as ratios measured in one run, printed and saved to
build/bench/results.md.

Stages (government-work-report corpus, best CPU time of a few runs, since wall time on a shared
machine swings by a quarter between identical runs): the pipeline in-process (read → repair →
segment → every stage, no CSV) against bare pure-Python `jieba.cut`, each stage's throughput on
one core, and traced peak memory. Scale (../shared/corpora ten times over, ≥ 20 MB, wall time):
the whole `zhfacts extract` with 1 and 2 workers and the Dask engine against `jieba.cut` and
`rjieba.cut` over the same texts, and peak RSS at 1x and 10x the corpus. Report: the time
`zhfacts report` takes to build the browser of the government-report corpus, and its largest page.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

SHARED_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
DEFAULT_CORPUS = SHARED_CORPORA / "gov-work-reports" / "government_work_reports.jsonl"


def _best_of(repeats: int, function) -> float:
    """Best CPU time of several runs (everything measured runs on one thread): the least disturbed
    by other work on the machine."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        function()
        best = min(best, time.process_time() - started)
    return best


def _best_of_interleaved(repeats: int, functions: dict) -> dict:
    """Best CPU time of each function over runs taken in turn (a, b, a, b, …), so a ratio compares
    runs made under the same load."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(repeats):
        for name, function in functions.items():
            best[name] = min(best[name], _best_of(1, function))
    return best


def run(corpus: Path, repeats: int = 3) -> dict:
    import jieba

    from pipeline.claims import find_claims
    from pipeline.entities import find_entities
    from pipeline.extract import extract_corpus
    from pipeline.quantities import find_quantities, scan_quantities
    from pipeline.repair import prepare_text
    from pipeline.segment import segment, tagger
    from pipeline.times import find_times

    texts = [json.loads(line)["content"] for line in corpus.open(encoding="utf-8")]
    chars = sum(len(t) for t in texts)
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tagger("rjieba")
    list(extract_corpus([str(corpus)]))  # warm every cache (dictionaries, compiled rules)

    timings = _best_of_interleaved(repeats + 2, {
        "jieba.cut (pure Python)": lambda: [list(jieba.cut(t)) for t in texts],
        "zhfacts pipeline (rjieba)": lambda: list(extract_corpus([str(corpus)])),
    })
    prepared = [segment(prepare_text(t, str(i))) for i, t in enumerate(texts)]
    timings["stage: repair"] = _best_of(repeats, lambda: [prepare_text(t) for t in texts])
    timings["stage: segment (rjieba)"] = _best_of(repeats, lambda: [segment(d) for d in prepared])
    timings["stage: quantities (scan)"] = _best_of(repeats, lambda: [scan_quantities(t) for t in texts])
    timings["stage: quantities"] = _best_of(repeats, lambda: [find_quantities(d) for d in prepared])
    timings["stage: times"] = _best_of(repeats, lambda: [find_times(d) for d in prepared])
    timings["stage: entities"] = _best_of(repeats, lambda: [find_entities(d) for d in prepared])
    # the optional trained model (--ner-model): slow enough that one run tells
    timings["stage: entities + model"] = _best_of(1, lambda: [find_entities(d, model=True) for d in prepared])
    found = [(d, find_quantities(d), find_times(d), *find_entities(d)) for d in prepared]
    timings["stage: claims"] = _best_of(repeats, lambda: [find_claims(*rows) for rows in found])

    tracemalloc.start()
    for _extraction in extract_corpus([str(corpus)]):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "corpus_chars": chars,
        "chars_per_second": {name: round(chars / seconds) for name, seconds in timings.items()},
        "pipeline_vs_jieba_cut": round(timings["jieba.cut (pure Python)"]
                                       / timings["zhfacts pipeline (rjieba)"], 2),
        "peak_memory_mb": round(peak / 2**20, 1),
        "peak_memory_per_corpus_char_bytes": round(peak / chars, 1),
    }


def _corpus(folder: Path, copies: int) -> tuple[Path, list[str]]:
    """Every readable document of ../shared/corpora (government reports, Sogou news), `copies`
    times over with distinct ids, as one JSONL file; and its texts."""
    from pipeline.read import read_inputs

    documents = [raw for raw in read_inputs([str(SHARED_CORPORA)]) if raw.text is not None]
    path = folder / f"corpus-{copies}x.jsonl"
    texts = []
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            for raw in documents:
                record = {"id": f"{raw.doc_id}~{copy}", "title": raw.title, "published": raw.published,
                          "text": raw.text}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                texts.append(raw.text)
    return path, texts


# Runs the command line and reports its own peak resident set (VmHWM: the memory of this program
# alone; ru_maxrss would also count the benchmark process it was forked from).
_MEASURED_CLI = """
import re, sys
from pipeline.cli import main
code = main(sys.argv[1:])
status = open("/proc/self/status").read()
print("peak_rss_kb", re.search(r"VmHWM:\\s+(\\d+)", status)[1], file=sys.stderr)
sys.exit(code)
"""


def _extract_run(corpus: Path, out: Path, *options: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes, of the main process) of one `zhfacts extract`."""
    command = [sys.executable, "-c", _MEASURED_CLI, "extract", str(corpus), "--out", str(out),
               "--no-cache", "--quiet", *options]
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"zhfacts extract {corpus} failed: {result.stderr[-2000:]}")
    peak = int(result.stderr.rsplit("peak_rss_kb ", 1)[1].split()[0])
    return seconds, peak * 1024


def scale(folder: Path, copies: int = 10) -> dict:
    """The whole `zhfacts extract` (read, every stage, CSV written) over the shared corpus 1x and
    `copies`x: chars/s with 1 and 2 workers and with the Dask engine, against bare `jieba.cut`
    and `rjieba.cut` over the same texts in the same run, and peak RSS at 1x and `copies`x."""
    import jieba
    import rjieba

    folder.mkdir(parents=True, exist_ok=True)
    small, small_texts = _corpus(folder, 1)
    large, texts = _corpus(folder, copies)
    chars = sum(map(len, texts))
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    _seconds, rss_small = _extract_run(small, folder / "out-1x", "--workers", "1")
    seconds = {}
    seconds["zhfacts extract, 1 worker"], rss_large = _extract_run(large, folder / "out-1w", "--workers", "1")
    seconds["zhfacts extract, 2 workers"], _rss = _extract_run(large, folder / "out-2w", "--workers", "2")
    seconds["zhfacts extract, dask (LocalCluster, 2 workers)"], _rss = _extract_run(
        large, folder / "out-dask", "--engine", "dask", "--workers", "2")
    started = time.perf_counter()
    for text in texts:
        list(jieba.cut(text))
    seconds["jieba.cut (pure Python)"] = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        rjieba.cut(text)
    seconds["rjieba.cut"] = time.perf_counter() - started
    rates = {name: round(chars / value) for name, value in seconds.items()}
    one = seconds["zhfacts extract, 1 worker"]
    return {
        "corpus_mb": round(large.stat().st_size / 2**20, 1),
        "corpus_chars": chars,
        "chars_per_second": rates,
        "one_worker_vs_jieba_cut": round(seconds["jieba.cut (pure Python)"] / one, 2),
        "two_workers_vs_one": round(one / seconds["zhfacts extract, 2 workers"], 2),
        "dask_vs_one_worker": round(one / seconds["zhfacts extract, dask (LocalCluster, 2 workers)"], 2),
        "one_worker_vs_rjieba_cut": round(seconds["rjieba.cut"] / one, 3),
        "peak_rss_mb": {"1x": round(rss_small / 2**20), f"{copies}x": round(rss_large / 2**20)},
        "peak_rss_ratio": round(rss_large / rss_small, 2),
        "small_corpus_chars": sum(map(len, small_texts)),
    }


def scale_table(result: dict, copies: int) -> str:
    lines = [f"corpus: ../shared/corpora x{copies} ({result['corpus_mb']} MB, {result['corpus_chars']:,} chars), "
             "wall time, one run", "", "| run | chars/s |", "|---|---:|"]
    lines += [f"| {name} | {rate:,} |" for name, rate in result["chars_per_second"].items()]
    rss = result["peak_rss_mb"]
    lines += [
        "",
        "| ratio | measured | target |", "|---|---:|---:|",
        f"| 1 worker / jieba.cut | {result['one_worker_vs_jieba_cut']}x | >= 1.0x |",
        f"| 2 workers / 1 worker | {result['two_workers_vs_one']}x | >= 1.7x |",
        f"| dask (2 workers) / 1 worker | {result['dask_vs_one_worker']}x | |",
        f"| 1 worker / rjieba.cut | {result['one_worker_vs_rjieba_cut']}x | |",
        f"| peak RSS {copies}x / 1x ({rss[f'{copies}x']} MB / {rss['1x']} MB) | {result['peak_rss_ratio']}x | <= 1.10x |",
    ]
    return "\n".join(lines) + "\n"


def report_build(corpus: Path, out: Path) -> str:
    """Build the corpus browser of the government-report corpus; wall time and the largest page."""
    dataset, browser = out / "report-dataset", out / "report"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(dataset), "--quiet",
                    "--no-cache"], check=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "report", str(dataset), "--out", str(browser)], check=True,
                   stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    pages = [browser / "index.html", *(browser / "docs").glob("*.html")]
    largest = max(pages, key=lambda page: page.stat().st_size)
    return (f"report: {len(pages) - 1} documents, built in {seconds:.1f} s (target <= 5 s), largest page "
            f"{largest.name} {largest.stat().st_size / 1e6:.2f} MB (target <= 5 MB)\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--copies", type=int, default=10, help="the large corpus: the shared corpora N times")
    parser.add_argument("--out", type=Path, default=Path("build/bench"), help="corpora, datasets and results")
    parser.add_argument("--only", choices=("stages", "scale", "report"), help="run one part")
    args = parser.parse_args(argv)
    report = []
    if args.only in (None, "stages"):
        result = run(args.corpus, args.repeats)
        report.append(f"stages: {args.corpus.name}, {result['corpus_chars']:,} chars, best CPU time of runs\n")
        report += [f"  {name:<28} {rate:>12,} chars/s\n" for name, rate in result["chars_per_second"].items()]
        report.append(f"pipeline / jieba.cut speed ratio: {result['pipeline_vs_jieba_cut']}x\n")
        report.append(f"peak traced memory while streaming: {result['peak_memory_mb']} MB "
                      f"({result['peak_memory_per_corpus_char_bytes']} bytes per corpus char)\n\n")
        print("".join(report[-len(result["chars_per_second"]) - 3:]), end="", flush=True)
    if args.only in (None, "scale"):
        table = scale_table(scale(args.out, args.copies), args.copies)
        print(table, end="")
        report.append(table)
    if args.only in (None, "report"):
        line = report_build(args.corpus, args.out)
        print(line, end="")
        report.append(line)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text("".join(report), encoding="utf-8")
    print(f"saved: {args.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
