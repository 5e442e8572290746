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
# Text with more control characters (NUL included) than this share is binary; fewer are damage
# (a few flipped bytes make some) in a document worth keeping.
BINARY_SHARE = 0.05


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
    warning: str | None = None  # read, but not cleanly (damaged bytes replaced)


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


MAX_DAMAGE = 0.25  # share of a document's bytes that may be damaged before it is refused
MAX_DOCUMENT_BYTES = 50 * 2**20  # the default size limit of one document (--max-document-mb)


def _replaced_bytes(data: bytes, text: str, encoding: str) -> int:
    """Bytes that a decode with errors="replace" turned into U+FFFD."""
    return len(data) - len(text.replace("\ufffd", "").encode(encoding))


def _common_share(text: str) -> float:
    """Share of characters that plain Chinese text is made of: printable ASCII, white space, and
    the symbols, full-width forms and 3,755 common Hanzi of GB 2312 (rows A1–A3, B0–D7). Mojibake (UTF-8 read as GB18030
    lands in the rare rows) and binary scores low."""
    sample = text[:20000]
    common = 0
    for ch in sample:
        if " " <= ch < "\x7f" or ch in "\n\r\t" or ch.isspace():
            common += 1
            continue
        try:
            lead = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        common += 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7
    return common / max(len(sample), 1)


@dataclass(frozen=True)
class Damage:
    """Bytes a lenient decode replaced by U+FFFD, and the line (from 1) of the first."""

    replaced: int
    total: int
    encoding: str
    first_line: int

    def warning(self, file: Path | str, line_offset: int = 0) -> str:
        """`file: line N: reason`, the line counted from `line_offset` + 1."""
        return (f"{file}: line {line_offset + self.first_line}: {self.replaced} damaged bytes of "
                f"{self.total} replaced by U+FFFD (read as {self.encoding})")


def decode_document(data: bytes) -> tuple[str, Damage | None]:
    """(text, damage): strict UTF-8 or GB18030 as `decode` (no damage); failing both, the reading
    of the two, damaged bytes replaced by U+FFFD, that looks like Chinese text. UnicodeDecodeError
    when the bytes are mostly undecodable (over MAX_DAMAGE replaced, or no reading looks like text)."""
    try:
        return decode(data), None
    except UnicodeDecodeError as strict_error:
        readings = []
        for encoding, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
            text = data.decode(encoding, "replace")
            readings.append((_common_share(text), name, text, _replaced_bytes(data, text, encoding)))
        share, name, text, replaced = max(readings)
        if replaced > MAX_DAMAGE * len(data) or share < 0.5:
            raise strict_error from None
        first_line = text.count("\n", 0, text.find("\ufffd")) + 1
        return text, Damage(replaced, len(data), name, first_line)


def _too_large(size: int, limit: int) -> str | None:
    if size > limit:
        return (f"document of {size / 2**20:.1f} MB is over the {limit / 2**20:g} MB limit "
                "(--max-document-mb)")
    return None


_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")


EMPTY_DOCUMENT = "empty document"


def text_problem(text: str) -> str | None:
    """Why a decoded text is not a usable document, or None. An EMPTY_DOCUMENT is skipped, any
    other problem is an error."""
    if not text.strip():
        return EMPTY_DOCUMENT
    sample = text[:65536]
    if len(_CONTROL_CHARS.findall(sample)) > BINARY_SHARE * len(sample):
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


def read_txt(path: Path, doc_id: str, manifest: dict[str, dict[str, str]],
             max_bytes: int = MAX_DOCUMENT_BYTES) -> RawDocument:
    source = str(path)
    try:
        too_large = _too_large(path.stat().st_size, max_bytes)
        if too_large:
            return _error(doc_id, source, f"line 0: {too_large}")
        data = path.read_bytes()
    except OSError as exc:
        return _error(doc_id, source, f"line 0: cannot read ({exc.strerror})")
    try:
        text, damage = decode_document(data)
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
        genre=meta.get("genre") or None, warning=damage.warning(path) if damage else None,
    )


def _lines(path: Path) -> Iterator[bytes]:
    """The file's lines, read as they are needed (a corpus file can be larger than memory)."""
    with path.open("rb") as handle:
        yield from handle


def read_jsonl(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[RawDocument]:
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
        too_large = _too_large(len(line_bytes), max_bytes)
        if too_large:
            yield _error(fallback_id, source, f"line {number}: {too_large}")
            continue
        try:
            decoded, damage = decode_document(line_bytes)
            record = json.loads(decoded)
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
            warning=damage.warning(path, number - 1) if damage else None,
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


def read_sogou(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[RawDocument]:
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
        too_large = _too_large(len(data), max_bytes)
        if too_large:
            yield _error(f"{path.stem}:{first_line}", f"{path}:{first_line}", f"line {first_line}: {too_large}")
            found = True
            continue
        try:
            text, damage = decode_document(data)
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
                warning=damage.warning(path, first_line - 1) if damage else None,
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


def read_inputs(inputs: list[str], max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[RawDocument]:
    """Stream every document of every input, in a stable order; raise UsageError on a doc_id clash.
    A document over `max_bytes` is refused (an error row), not read."""
    seen: dict[str, str] = {}
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for path, root in expand_inputs(inputs):
        if not path.exists():
            documents: Iterator[RawDocument] = iter(
                [_error(str(path.with_suffix("")), str(path), "line 0: no such file")])
        elif path.suffix == ".jsonl":
            documents = read_jsonl(path, max_bytes)
        elif path.suffix == ".dat":
            documents = read_sogou(path, max_bytes)
        else:
            if path.parent not in manifests:
                manifests[path.parent] = _load_manifest(path.parent)
            doc_id = path.relative_to(root).with_suffix("").as_posix()
            documents = iter([read_txt(path, doc_id, manifests[path.parent], max_bytes)])
        for document in documents:
            if document.doc_id in seen:
                raise UsageError(
                    f"duplicate doc_id {document.doc_id!r}: {seen[document.doc_id]} and {document.source}")
            seen[document.doc_id] = document.source
            yield document
