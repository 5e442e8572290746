"""Coverage-guided fuzzing of reading and extraction with atheris (libFuzzer), seeded with real
documents: `make fuzz` runs it for a while, a test runs it briefly. Any exception, or a row that
breaks an invariant (offsets pointing at the text, lower <= value <= upper), is a crash that
libFuzzer reports with the input that caused it.

    python tests/fuzz_atheris.py -runs=5000 tests/fuzz_corpus
"""

import sys

import atheris

with atheris.instrument_imports(include=["pipeline"]):
    from pipeline.extract import extract_text
    from pipeline.read import decode_document, text_problem


def one_input(data: bytes) -> None:
    try:
        text, _damage = decode_document(data)
    except UnicodeDecodeError:
        return  # refused as undecodable: a documented outcome
    extraction = extract_text(text, published="2021-08-23")
    if text_problem(text):
        assert extraction.document.status in ("skipped", "error"), extraction.document
        return
    assert extraction.document.status == "ok", extraction.document.error
    for table in ("tokens", "quantities", "times", "entities", "claims"):
        for row in getattr(extraction, table):
            assert text[row.start:row.end] == row.text, (table, row)
    for row in extraction.quantities:
        assert row.lower is None or row.lower <= row.value, row
        assert row.upper is None or row.value <= row.upper, row


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
