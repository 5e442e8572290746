"""The `zhfacts` command line. Logs and progress go to stderr; stdout carries only results.

Exit codes: 0 when every document succeeded, 1 when some failed (or a comparison differs),
2 on usage errors.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.read import UsageError
from pipeline.segment import DEFAULT_SEGMENTER, SEGMENTERS

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def rules_hash(rules_dir: Path = RULES_DIR) -> str:
    """SHA-256 over every rule file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in rules_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(rules_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def provenance(segmenter: str, ner_model: bool) -> dict:
    return {
        "zhfacts": __version__,
        "rules_sha256": rules_hash(),
        "segmenter": segmenter,
        "ner_model": ner_model,
        "jieba": metadata.version("jieba"),
        "rjieba": metadata.version("rjieba"),
        "spacy": metadata.version("spacy"),
    }


def estimated_chars(inputs: list[str]) -> int:
    """Characters the inputs hold, estimated from their size (Chinese UTF-8: 3 bytes a char),
    for the progress line's ETA."""
    from pipeline.read import expand_inputs

    return sum(path.stat().st_size for path, _root in expand_inputs(inputs) if path.is_file()) // 3


def command_extract(args: argparse.Namespace) -> int:
    from pipeline.export import DatasetWriter
    from pipeline.extract import extract_corpus
    from pipeline.progress import Progress

    writer = DatasetWriter()
    failed = total = 0
    with Progress(enabled=not args.quiet, total_chars=estimated_chars(args.inputs)) as progress:
        for extraction in extract_corpus(args.inputs, args.segmenter, args.ner_model):
            document = extraction.document
            total += 1
            if document.status == "error":
                failed += 1
                progress.log(f"error: {document.error}")
            writer.add(extraction)
            progress.advance(document.n_chars)
    writer.write(Path(args.out), provenance(args.segmenter, args.ner_model))
    if failed:
        print(f"zhfacts: {failed} of {total} documents failed; see {args.out}/documents.csv",
              file=sys.stderr)
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
        write_report(args.dataset, Path(args.out), max_docs=args.max_docs)
    except DatasetError as exc:
        raise UsageError(str(exc)) from exc
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
    extract.add_argument("--quiet", action="store_true", help="no progress bar")
    extract.set_defaults(handler=command_extract)

    diff = commands.add_parser("diff", help="compare two datasets fact by fact (exit 1 when they differ)")
    diff.add_argument("old", metavar="OLD_DIR", help="dataset folder before")
    diff.add_argument("new", metavar="NEW_DIR", help="dataset folder after")
    diff.add_argument("--max", type=int, default=100, metavar="N",
                      help="show at most N differences per table (0: all; default 100)")
    diff.set_defaults(handler=command_diff)

    report = commands.add_parser("report", help="one self-contained HTML page showing a dataset")
    report.add_argument("dataset", metavar="DIR", help="dataset folder")
    report.add_argument("--out", required=True, help="HTML file to write")
    report.add_argument("--max-docs", type=int, default=None, metavar="N",
                        help="show only the first N documents (the summary still counts all)")
    report.set_defaults(handler=command_report)

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
