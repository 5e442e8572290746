"""What produced a dataset: versions, and hashes of the rules and of the code that read them.

The same hashes key the extraction cache, so a changed rule file or module re-extracts every
document it could affect, and nothing else does.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from pipeline import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
RULES_DIR = PACKAGE_DIR.parent / "rules"


def tree_hash(folder: Path, pattern: str = "*") -> str:
    """SHA-256 over the relative path and bytes of every file under `folder`, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def rules_hash(rules_dir: Path = RULES_DIR) -> str:
    return tree_hash(rules_dir)


@cache
def provenance(segmenter: str, ner_model: bool) -> dict:
    """The dataset's `provenance` block: everything an extracted row depends on."""
    return {
        "zhfacts": __version__,
        "rules_sha256": rules_hash(),
        "segmenter": segmenter,
        "ner_model": ner_model,
        "jieba": metadata.version("jieba"),
        "rjieba": metadata.version("rjieba"),
        "spacy": metadata.version("spacy"),
    }


@cache
def run_key(segmenter: str, ner_model: bool) -> str:
    """One hash of the provenance and of the package's code (kept out of the dataset, where it
    would make every refactoring look like a new dataset): equal keys promise equal rows for
    equal documents."""
    parts = sorted(provenance(segmenter, ner_model).items()) + [("code", tree_hash(PACKAGE_DIR, "*.py"))]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
