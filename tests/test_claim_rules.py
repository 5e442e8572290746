"""Every claims rule (rules/claims/*.yaml) fires on its examples and not on its negatives, every
rule id the linkers can write is documented there, and the rule files are validated on load."""

import re
import shutil
from pathlib import Path

import pytest

from pipeline import extract_text
from pipeline.claims import load_rules
from tests.conftest import ROOT, SEED_DATE

RULES = load_rules().rules
CASES = [(rule_id, kind, example) for rule_id, rule in sorted(RULES.items())
         for kind in ("examples", "negative") for example in rule[kind]]
_EMITTED = re.compile(r'"((?:time|modality|metric|subject)\.[a-z_]+)"')


def _claim(example):
    extraction = extract_text(example["text"], published=str(example.get("published", SEED_DATE)),
                              title=example.get("title"), genre=example.get("genre"))
    assert extraction.document.status == "ok", extraction.document.error
    return next((c for c in extraction.claims if example["number"] in c.text), None), extraction.claims


def _fired(rule_id: str, claim) -> bool:
    field, _dot, name = rule_id.partition(".")
    return claim.kind == name if field == "kind" else getattr(claim, f"{field}_rule") == rule_id


@pytest.mark.parametrize("rule_id,kind,example", CASES,
                         ids=[f"{r}-{k}-{e['number']}" for r, k, e in CASES])
def test_rule_fires_on_examples_only(rule_id, kind, example):
    claim, claims = _claim(example)
    if kind == "examples":
        assert claim is not None, (example["number"], [c.text for c in claims])
        assert _fired(rule_id, claim), claim
        for field, value in (example.get("expect") or {}).items():
            assert getattr(claim, field) == value, (field, value, claim)
    else:
        assert claim is None or not _fired(rule_id, claim), claim


def test_every_emitted_rule_is_documented():
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "pipeline" / "claims").glob("*.py"))
    emitted = set(_EMITTED.findall(code))
    documented = {r for r in RULES if not r.startswith("kind.")}
    assert emitted == documented, (sorted(emitted - documented), sorted(documented - emitted))


@pytest.mark.parametrize("edit,message", [
    (lambda d: d.replace("rules:", "surprise: 1\nrules:", 1), "surprise"),
    (lambda d: d.replace("  fact: [", "  fact: [已, ", 1), "duplicates"),
    (lambda d: d.replace("  negative:", "  negatives:", 1), "negatives"),
    (lambda d: d.replace("- id: modality.", "- id: time.", 1), "does not belong"),
])
def test_rule_files_are_validated(tmp_path: Path, edit, message):
    shutil.copytree(ROOT / "rules" / "claims", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "modality.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_rules.__wrapped__(tmp_path)
