"""Read inputs into raw documents, one at a time, turning each bad input into a reported error.

Supported inputs: `.txt` (one document, metadata from `manifest.csv` beside it), `.jsonl` (one
document per line) and SogouCS `.dat` dumps (`<doc>` records). Bytes are decoded as UTF-8 (with or
without BOM), else GB18030 (a superset of GBK and GB2312); anything else is an error for that
document only.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import regex

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".dat")
MANIFEST_NAME = "manifest.csv"
_SOGOU_RECORD = regex.compile(
    r"<doc>\s*<url>(?P<url>.*?)</url>\s*<docno>(?P<docno>.*?)</docno>\s*"
    r"<contenttitle>(?P<title>.*?)</contenttitle>\s*<content>(?P<content>.*?)</content>\s*</doc>",
    regex.S,
)
_CONTROL_CHARS = regex.compile(r"[\x00-\x08\x0e-\x1f]")


class UsageError(Exception):
    """A problem with the command line itself (exit code 2), not with one document."""


@dataclass(frozen=True)
class RawDocument:
    doc_id: str
    source: str  # path (and line) the text came from
    text: str | None  # None when the document could not be read
    sha256: str
    title: str | None = None
    published: str | None = None
    error: str | None = None  # "reason" when text is None
    genre: str | None = None  # report, resolution, news … (claims infer it when absent)
    skipped: bool = False  # nothing to extract (an empty record): reported, but not a failure


def decode(data: bytes) -> str:
    """Decode UTF-8 (BOM optional) or GB18030; raise UnicodeDecodeError for anything else."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise utf8_error from None


_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")


EMPTY_DOCUMENT = "empty document"


def text_problem(text: str) -> str | None:
    """Why a decoded text is not a usable document, or None. An EMPTY_DOCUMENT is skipped, any
    other problem is an error."""
    if not text.strip():
        return EMPTY_DOCUMENT
    if "\x00" in text or len(_CONTROL_CHARS.findall(text[:4096])) > 8:
        return "binary content (control characters)"
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate:  # from a JSON `\ud800` escape: no encoding can write it
        return f"invalid Unicode: lone surrogate U+{ord(surrogate[0]):04X} at character {surrogate.start()}"
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _error(doc_id: str, source: str, reason: str, data: bytes = b"") -> RawDocument:
    """An unreadable (or, when empty, skipped) document; the message names the file (without
    the source's line suffix)."""
    file = regex.sub(r":\d+$", "", source)
    return RawDocument(doc_id, source, None, _sha256(data), error=f"{file}: {reason}",
                       skipped=reason.endswith(EMPTY_DOCUMENT))


def _load_manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle) if row.get("file")}


def _first_line_of(data: bytes, reason: UnicodeDecodeError) -> int:
    return data.count(b"\n", 0, reason.start) + 1


def read_txt(path: Path, doc_id: str, manifest: dict[str, dict[str, str]]) -> RawDocument:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _error(doc_id, source, f"line 0: cannot read ({exc.strerror})")
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        line = _first_line_of(data, exc)
        return _error(doc_id, source, f"line {line}: undecodable bytes (not UTF-8 or GB18030)", data)
    problem = text_problem(text)
    if problem:
        return _error(doc_id, source, f"line 1: {problem}", data)
    meta = manifest.get(path.name, {})
    return RawDocument(
        doc_id, source, text, _sha256(data),
        title=meta.get("title") or None, published=meta.get("published") or None,
        genre=meta.get("genre") or None,
    )


def _lines(path: Path) -> Iterator[bytes]:
    """The file's lines, read as they are needed (a corpus file can be larger than memory)."""
    with path.open("rb") as handle:
        yield from handle


def read_jsonl(path: Path) -> Iterator[RawDocument]:
    """One document per line, streamed; a bad line is an error for that line only."""
    lines = _lines(path)
    try:
        first = next(lines, None)
    except OSError as exc:
        yield _error(path.stem, str(path), f"line 0: cannot read ({exc.strerror})")
        return
    for number, line_bytes in enumerate(itertools.chain([first] if first is not None else [], lines),
                                        start=1):
        if not line_bytes.strip():
            continue
        source = f"{path}:{number}"
        fallback_id = f"{path.stem}:{number}"
        try:
            record = json.loads(decode(line_bytes))
        except UnicodeDecodeError:
            yield _error(fallback_id, source, f"line {number}: undecodable bytes", line_bytes)
            continue
        except json.JSONDecodeError as exc:
            yield _error(fallback_id, source, f"line {number}: malformed JSON ({exc.msg})", line_bytes)
            continue
        if not isinstance(record, dict):
            yield _error(fallback_id, source, f"line {number}: not a JSON object", line_bytes)
            continue
        doc_id = str(record["id"]) if record.get("id") not in (None, "") else fallback_id
        text = record.get("text", record.get("content"))
        if not isinstance(text, str):
            yield _error(doc_id, source, f"line {number}: no text (need 'text' or 'content')", line_bytes)
            continue
        problem = text_problem(text)
        if problem:
            yield _error(doc_id, source, f"line {number}: {problem}", line_bytes)
            continue
        published = next((record[key] for key in ("published", "date", "year")
                          if record.get(key) not in (None, "")), None)
        yield RawDocument(
            doc_id, source, text, _sha256(text.encode("utf-8")),
            title=record.get("title") or None,
            published=str(published) if published is not None else None,
            genre=record.get("genre") or None,
        )


def _sogou_chunks(path: Path) -> Iterator[tuple[int, bytes]]:
    """(first line, bytes) of each stretch of the file that ends with `</doc>`, then the rest:
    a dump is read one record at a time, whatever its size."""
    pending: list[bytes] = []
    first_line = line = 1
    for line_bytes in _lines(path):
        pending.append(line_bytes)
        line += 1
        if b"</doc>" in line_bytes:
            yield first_line, b"".join(pending)
            pending, first_line = [], line
    if pending:
        yield first_line, b"".join(pending)


def read_sogou(path: Path) -> Iterator[RawDocument]:
    """SogouCS `<doc>` records, streamed, each decoded on its own (UTF-8, else GB18030: a damaged
    record is an error for that record only); the date comes from the URL (`/20120607/`)."""
    found = False
    chunks = _sogou_chunks(path)
    while True:
        try:
            first_line, data = next(chunks)
        except StopIteration:
            break
        except OSError as exc:
            yield _error(path.stem, str(path), f"line 0: cannot read ({exc.strerror})")
            return
        try:
            text = decode(data)
        except UnicodeDecodeError as exc:
            line = first_line + _first_line_of(data, exc) - 1
            yield _error(f"{path.stem}:{line}", f"{path}:{line}", f"line {line}: undecodable bytes", data)
            found = True
            continue
        for match in _SOGOU_RECORD.finditer(text):
            found = True
            line = first_line + text.count("\n", 0, match.start())
            source = f"{path}:{line}"
            content = match["content"]
            doc_id = match["docno"].strip() or f"{path.stem}:{line}"
            problem = text_problem(content)
            if problem:
                yield _error(doc_id, source, f"line {line}: {problem}", content.encode("utf-8"))
                continue
            date = regex.search(r"/(\d{4})(\d{2})(\d{2})/", match["url"])
            yield RawDocument(
                doc_id, source, content, _sha256(content.encode("utf-8")),
                title=match["title"].strip() or None,
                published=f"{date[1]}-{date[2]}-{date[3]}" if date else None,
            )
    if not found:
        yield _error(path.stem, str(path), "line 1: no <doc> records found")


def expand_inputs(inputs: list[str]) -> list[tuple[Path, Path]]:
    """(file, the folder its doc_id is relative to), for every supported file, sorted."""
    found: list[tuple[Path, Path]] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for dirpath, _dirs, files in os.walk(path):
                for file in files:
                    candidate = Path(dirpath) / file
                    if candidate.suffix in SUPPORTED_SUFFIXES:
                        found.append((candidate, path))
        else:
            found.append((path, path.parent))
    return sorted(set(found), key=lambda pair: str(pair[0]))


def read_inputs(inputs: list[str]) -> Iterator[RawDocument]:
    """Stream every document of every input, in a stable order; raise UsageError on a doc_id clash."""
    seen: dict[str, str] = {}
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for path, root in expand_inputs(inputs):
        if not path.exists():
            documents: Iterator[RawDocument] = iter(
                [_error(str(path.with_suffix("")), str(path), "line 0: no such file")])
        elif path.suffix == ".jsonl":
            documents = read_jsonl(path)
        elif path.suffix == ".dat":
            documents = read_sogou(path)
        else:
            if path.parent not in manifests:
                manifests[path.parent] = _load_manifest(path.parent)
            doc_id = path.relative_to(root).with_suffix("").as_posix()
            documents = iter([read_txt(path, doc_id, manifests[path.parent])])
        for document in documents:
            if document.doc_id in seen:
                raise UsageError(
                    f"duplicate doc_id {document.doc_id!r}: {seen[document.doc_id]} and {document.source}")
            seen[document.doc_id] = document.source
            yield document
