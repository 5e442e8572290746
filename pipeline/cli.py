"""The `zhfacts` command line. Logs and progress go to stderr; stdout carries only results.

Exit codes: 0 when no document failed (with --strict: and none was skipped), 1 when some did,
when the dataset could not be written, or when a comparison differs; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.read import UsageError
from pipeline.records import FORMATS, TABLE_NAMES
from pipeline.segment import DEFAULT_SEGMENTER, SEGMENTERS

def estimated_chars(inputs: list[str]) -> int:
    """Characters the inputs hold, estimated from their size (Chinese UTF-8: 3 bytes a char),
    for the progress line's ETA."""
    from pipeline.read import expand_inputs

    return sum(path.stat().st_size for path, _root in expand_inputs(inputs) if path.is_file()) // 3


ENGINES = ("local", "dask")


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_cache(out: Path) -> Path:
    """Where a dataset's extraction cache lives: beside it, never inside the folder users share."""
    return out.parent / ".zhfacts-cache" / out.name


def command_extract(args: argparse.Namespace) -> int:
    from pipeline.cache import ExtractionCache
    from pipeline.engines import Run
    from pipeline.export import DatasetWriter, with_referenced_tables
    from pipeline.progress import Progress
    from pipeline.provenance import provenance, run_key
    from pipeline.read import read_inputs

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.max_document_mb <= 0:
        raise UsageError("--max-document-mb must be positive")
    try:
        tables = with_referenced_tables(args.tables.split(",")) if args.tables else None
    except ValueError as exc:
        raise UsageError(f"--tables: {exc}") from exc
    out = Path(args.out)
    cache = None
    if not args.no_cache:
        cache = ExtractionCache(Path(args.cache) if args.cache else default_cache(out),
                                run_key(args.segmenter, args.ner_model))
    run = Run(args.segmenter, args.ner_model, args.workers, args.engine, args.scheduler, cache)
    try:
        with Progress(enabled=not args.quiet, total_chars=estimated_chars(args.inputs)) as progress, \
                DatasetWriter(out, tables or TABLE_NAMES, args.format) as writer:
            for rows in run.rows(read_inputs(args.inputs, int(args.max_document_mb * 2**20))):
                if rows.status != "ok":
                    progress.log(f"{'skipped' if rows.status == 'skipped' else 'error'}: {rows.error}")
                if rows.warning:
                    progress.log(f"warning: {rows.warning}")
                writer.add(rows)
                progress.advance(rows.n_chars, rows.status, rows.n_claims, bool(rows.warning))
            writer.commit(provenance(args.segmenter, args.ner_model))
    except OSError as exc:  # an unwritable folder, a full disk: nothing written, the old dataset kept
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"zhfacts: error: {exc.strerror or exc}{where}; the dataset {out} was not written "
              "(the previous one, if any, is unchanged)", file=sys.stderr)
        return 1
    if cache is not None:
        cache.prune()
    print(progress.summary(cache.hits if cache else 0), file=sys.stderr)
    failed, skipped = progress.statuses["error"], progress.statuses["skipped"]
    if failed or (args.strict and skipped):
        what = f"{failed} of {progress.documents} documents failed" if failed else \
            f"{skipped} of {progress.documents} documents skipped (--strict)"
        print(f"zhfacts: {what}; see {args.out}/documents.csv", file=sys.stderr)
        return 1
    return 0


def command_eval(args: argparse.Namespace) -> int:
    import json

    from pipeline.evaluate import FIGURES, format_report, regressions, score

    result = score(Path(args.gold), Path(args.pred))
    print(format_report(result, verbose=args.verbose))
    if args.write:
        figures = {name: result["overall"][name] for name in FIGURES}
        Path(args.write).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.check:
        failures = regressions(result, Path(args.check))
        for failure in failures:
            print(f"zhfacts: regression: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


def command_diff(args: argparse.Namespace) -> int:
    from pipeline.dataset import DatasetError
    from pipeline.diff import diff_datasets, format_diff

    try:
        differences = diff_datasets(args.old, args.new)
    except DatasetError as exc:
        raise UsageError(str(exc)) from exc
    sys.stdout.write(format_diff(differences, max_rows=args.max))
    return 0 if differences.same else 1


def command_report(args: argparse.Namespace) -> int:
    from pipeline.dataset import DatasetError
    from pipeline.report import write_report

    try:
        index = write_report(args.dataset, Path(args.out), max_docs=args.max_docs)
    except (DatasetError, FileExistsError) as exc:
        raise UsageError(str(exc)) from exc
    print(f"zhfacts: wrote {index}", file=sys.stderr)
    return 0


def command_series(args: argparse.Namespace) -> int:
    from pipeline.dataset import DatasetError
    from pipeline.timeseries import series

    subject = None if args.all_subjects else args.subject
    try:
        table = series(args.data, args.indicator, subject=subject)
    except (DatasetError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    if args.out:
        table.to_csv(args.out, index=False)
    else:
        table.drop(columns=["sentence"]).to_csv(sys.stdout, index=False)
    if table.empty:
        print(f"zhfacts: no yearly claims of {args.indicator} in {args.data}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhfacts", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"zhfacts {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="extract documents into a CSV dataset")
    extract.add_argument("inputs", nargs="+", metavar="INPUT",
                         help=".txt, .jsonl or SogouCS .dat files, or folders (recursive)")
    extract.add_argument("--out", required=True, help="dataset folder to write (replaced atomically)")
    extract.add_argument("--segmenter", choices=SEGMENTERS, default=DEFAULT_SEGMENTER,
                         help="jieba backend: rjieba (jieba-rs, fast) or jieba (pure Python)")
    extract.add_argument("--ner-model", action="store_true",
                         help="let the trained entity model (rules/models, make train-ner) revise the rules' "
                              "entities: higher People's Daily NER F1, several times slower")
    extract.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                         help="documents extracted in parallel (default: the cores, here %(default)s); "
                              "the dataset is byte-identical for every N")
    extract.add_argument("--engine", choices=ENGINES, default="local",
                         help="local: worker processes on this machine; dask: tasks on a dask.distributed "
                              "cluster (pip install 'zhfacts[dask]')")
    extract.add_argument("--scheduler", metavar="ADDRESS",
                         help="with --engine dask: the scheduler (tcp://host:8786); default: a LocalCluster "
                              "of --workers processes")
    extract.add_argument("--format", choices=FORMATS, default="csv",
                         help="csv (the reference) or parquet; datapackage.json describes either")
    extract.add_argument("--tables", metavar="NAMES",
                         help=f"comma-separated tables to write ({','.join(TABLE_NAMES)}); the tables "
                              "their foreign keys reference, and documents, come along")
    extract.add_argument("--cache", metavar="DIR",
                         help="extraction cache: an unchanged document under unchanged rules and code is read "
                              "back, not re-extracted (default: .zhfacts-cache/OUT beside OUT)")
    extract.add_argument("--no-cache", action="store_true", help="extract every document afresh")
    extract.add_argument("--max-document-mb", type=float, default=50, metavar="MB",
                         help="refuse (an error row) a document larger than this (default %(default)s)")
    extract.add_argument("--strict", action="store_true",
                         help="exit 1 when a document is skipped (empty), not only when one fails")
    extract.add_argument("--quiet", action="store_true", help="no progress bar")
    extract.set_defaults(handler=command_extract)

    diff = commands.add_parser("diff", help="compare two datasets fact by fact (exit 1 when they differ)")
    diff.add_argument("old", metavar="OLD_DIR", help="dataset folder before")
    diff.add_argument("new", metavar="NEW_DIR", help="dataset folder after")
    diff.add_argument("--max", type=int, default=100, metavar="N",
                      help="show at most N differences per table (0: all; default 100)")
    diff.set_defaults(handler=command_diff)

    report = commands.add_parser("report", help="a corpus browser (static pages: search, filters, series charts)")
    report.add_argument("dataset", metavar="DIR", help="dataset folder")
    report.add_argument("--out", required=True, help="folder to write (index.html and docs/); replaced")
    report.add_argument("--max-docs", type=int, default=None, metavar="N",
                        help="show only the first N documents by date")
    report.set_defaults(handler=command_report)

    series = commands.add_parser("series", help="one indicator year by year: targets and facts, with provenance")
    series.add_argument("indicator", metavar="INDICATOR", help="indicator id from rules/indicators.yaml (gdp_growth)")
    series.add_argument("--data", default="outputs", metavar="DIR", help="dataset folder (default %(default)s)")
    series.add_argument("--subject", default="中国", help="whose figures (default %(default)s)")
    series.add_argument("--all-subjects", action="store_true", help="every subject, each its own rows")
    series.add_argument("--out", metavar="FILE", help="CSV file to write (with the sentences); default: stdout")
    series.set_defaults(handler=command_series)

    evaluate = commands.add_parser("eval", help="score predicted claims against gold annotations")
    evaluate.add_argument("--gold", required=True, help="gold folder (claims_*.csv and docs/)")
    evaluate.add_argument("--pred", required=True, help="dataset folder written by `extract`")
    evaluate.add_argument("--check", metavar="JSON", help="fail if a figure drops below these")
    evaluate.add_argument("--write", metavar="JSON", help="write the overall figures here")
    evaluate.add_argument("-v", "--verbose", action="store_true", help="list misses and errors")
    evaluate.set_defaults(handler=command_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"zhfacts: error: {exc}", file=sys.stderr)
        return 2
