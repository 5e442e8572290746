"""The extraction cache behind incremental runs: one file per extracted document.

An entry is keyed by the document (id, source, metadata and content hash) and by the run key
(zhfacts version, rules, code, segmenter, entity model), so an unchanged document is read back
instead of re-extracted and anything that could change its rows misses. Entries are the
`DocumentRows` a worker returns, so a dataset assembled from the cache is byte-identical to a
full run. After a successful run the entries it did not use are removed: the cache holds
exactly the last run's documents. A damaged entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from pipeline.export import DocumentRows
from pipeline.read import RawDocument

_SUFFIX = ".rows"


class ExtractionCache:
    def __init__(self, folder: Path, run_key: str):
        self.folder = Path(folder)
        self.run_key = run_key
        self.used: set[str] = set()
        self.hits = 0

    def key(self, raw: RawDocument) -> str:
        fields = (self.run_key, raw.doc_id, raw.source, raw.title, raw.published, raw.genre, raw.sha256)
        return hashlib.sha256(repr(fields).encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / (key + _SUFFIX)

    def get(self, raw: RawDocument) -> DocumentRows | None:
        key = self.key(raw)
        self.used.add(key)
        try:
            rows = pickle.loads(self._path(key).read_bytes())
        except Exception:  # absent, truncated or from another version: extract afresh
            return None
        if not isinstance(rows, DocumentRows) or rows.doc_id != raw.doc_id:
            return None
        self.hits += 1
        return rows

    def put(self, raw: RawDocument, rows: DocumentRows) -> None:
        """Keep an extracted document (failures are not kept: they may be passing trouble)."""
        if rows.status != "ok":
            return
        path = self._path(self.key(raw))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(rows, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def prune(self) -> int:
        """Remove every entry this run did not ask for; the number removed."""
        removed = 0
        if not self.folder.is_dir():
            return removed
        for path in self.folder.glob(f"*/*{_SUFFIX}"):
            if path.name[: -len(_SUFFIX)] not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        for path in self.folder.glob("*/*.tmp"):  # left by a killed run
            path.unlink(missing_ok=True)
        return removed
