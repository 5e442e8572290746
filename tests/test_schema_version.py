"""The CSV schema is versioned: a change to the tables must bump export.SCHEMA_VERSION and be noted.

tests/schema_snapshot.json records, for every released schema version, each table's columns and
their types. Rules (semantic versioning of the data, as users' loading code sees it):
- a column or table removed or renamed, or a column's type changed: a major bump;
- a column or table added, or the columns reordered: at least a minor bump;
- every recorded version and the current one have a `## [X.Y.Z]` entry in CHANGELOG.md, and a
  breaking entry names each column it removes or retypes.
After bumping, record the new schema with:  .venv/bin/python tests/test_schema_version.py --record
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "schema_snapshot.json"
CHANGELOG = ROOT / "CHANGELOG.md"
RECORD = ".venv/bin/python tests/test_schema_version.py --record"

Tables = dict[str, dict[str, str]]


def current_tables() -> Tables:
    from pipeline.export import TABLES, table_schema

    return {table.name: {field["name"]: field["type"] for field in table_schema(table)["fields"]}
            for table in TABLES}


def parse_version(version: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    assert match, f"schema version {version!r} is not MAJOR.MINOR.PATCH"
    return tuple(int(part) for part in match.groups())


def breaking_changes(old: Tables, new: Tables) -> list[str]:
    """Removed tables/columns and changed types, as `table.column` descriptions."""
    changes = []
    for table, columns in old.items():
        if table not in new:
            changes.append(f"table {table} removed")
            continue
        for column, kind in columns.items():
            if column not in new[table]:
                changes.append(f"{table}.{column} removed or renamed")
            elif new[table][column] != kind:
                changes.append(f"{table}.{column} type {kind} → {new[table][column]}")
    return changes


def additive_changes(old: Tables, new: Tables) -> list[str]:
    changes = [f"table {table} added" for table in new if table not in old]
    for table, columns in new.items():
        if table in old:
            changes += [f"{table}.{column} added" for column in columns if column not in old[table]]
            shared_new = [c for c in columns if c in old[table]]
            shared_old = [c for c in old[table] if c in columns]
            if shared_new != shared_old:
                changes.append(f"{table}: columns reordered")
    return changes


def transition_errors(old_version: str, old: Tables, new_version: str, new: Tables) -> list[str]:
    """Why going from (old_version, old) to (new_version, new) breaks the versioning rules."""
    before, after = parse_version(old_version), parse_version(new_version)
    if after < before:
        return [f"schema version went backwards: {old_version} → {new_version}"]
    breaking, additive = breaking_changes(old, new), additive_changes(old, new)
    if breaking and after[0] <= before[0]:
        return [f"{'; '.join(breaking)}: needs a major bump of SCHEMA_VERSION (now {new_version}, "
                f"was {old_version}) and a CHANGELOG.md entry naming the columns"]
    if additive and after[:2] <= before[:2]:
        return [f"{'; '.join(additive)}: needs at least a minor bump of SCHEMA_VERSION "
                f"(now {new_version}, was {old_version}) and a CHANGELOG.md entry"]
    return []


def changelog_entries(text: str) -> dict[str, str]:
    """`## [1.2.0] ...` sections of CHANGELOG.md: version -> its text."""
    parts = re.split(r"^## \[(\d+\.\d+\.\d+)\].*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def load_snapshot() -> list[dict]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))["versions"]


def record() -> str:
    """Append the current schema to the snapshot; refuse to overwrite a recorded version."""
    from pipeline.export import SCHEMA_VERSION

    versions = load_snapshot() if SNAPSHOT.exists() else []
    tables = current_tables()
    for entry in versions:
        if entry["version"] == SCHEMA_VERSION:
            if entry["tables"] == tables:
                return f"schema {SCHEMA_VERSION} already recorded"
            raise SystemExit(f"schema {SCHEMA_VERSION} is recorded with other columns: "
                             "bump export.SCHEMA_VERSION first")
    if versions:
        errors = transition_errors(versions[-1]["version"], versions[-1]["tables"], SCHEMA_VERSION, tables)
        if errors:
            raise SystemExit("\n".join(errors))
    versions.append({"version": SCHEMA_VERSION, "tables": tables})
    SNAPSHOT.write_text(json.dumps({"versions": versions}, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    return f"recorded schema {SCHEMA_VERSION}"


# --- the rules themselves --------------------------------------------------------------------

BASE = {"claims": {"claim_id": "integer", "value": "number", "metric": "string"}}


def test_rename_or_removal_needs_a_major_bump():
    renamed = {"claims": {"claim_id": "integer", "value": "number", "measure": "string"}}
    assert "claims.metric removed or renamed" in transition_errors("1.0.0", BASE, "1.0.0", renamed)[0]
    assert transition_errors("1.0.0", BASE, "1.1.0", renamed)
    assert transition_errors("1.0.0", BASE, "2.0.0", renamed) == []
    assert transition_errors("1.0.0", BASE, "1.0.0", {})[0].startswith("table claims removed")


def test_type_change_needs_a_major_bump():
    retyped = {"claims": {"claim_id": "string", "value": "number", "metric": "string"}}
    assert "claims.claim_id type integer → string" in transition_errors("1.0.0", BASE, "1.9.0", retyped)[0]
    assert transition_errors("1.0.0", BASE, "2.0.0", retyped) == []


def test_addition_needs_a_minor_bump():
    added = {"claims": {**BASE["claims"], "unit": "string"}}
    assert "claims.unit added" in transition_errors("1.0.0", BASE, "1.0.1", added)[0]
    assert transition_errors("1.0.0", BASE, "1.1.0", added) == []
    reordered = {"claims": dict(reversed(BASE["claims"].items()))}
    assert "columns reordered" in transition_errors("1.0.0", BASE, "1.0.0", reordered)[0]
    assert transition_errors("1.0.0", BASE, "1.0.0", BASE) == []
    assert "backwards" in transition_errors("1.1.0", BASE, "1.0.0", BASE)[0]


# --- the project's schema ----------------------------------------------------------------------

def test_current_schema_follows_the_rules_from_the_last_recorded_version():
    from pipeline.export import SCHEMA_VERSION

    last = load_snapshot()[-1]
    errors = transition_errors(last["version"], last["tables"], SCHEMA_VERSION, current_tables())
    assert not errors, "\n".join(errors)


def test_current_schema_is_recorded():
    from pipeline.export import SCHEMA_VERSION

    last = load_snapshot()[-1]
    assert (last["version"], last["tables"]) == (SCHEMA_VERSION, current_tables()), (
        f"the schema changed or was bumped to {SCHEMA_VERSION} (last recorded: {last['version']}); "
        f"once SCHEMA_VERSION and CHANGELOG.md say so, run: {RECORD}")


def test_recorded_history_follows_the_rules():
    versions = load_snapshot()
    assert versions, "tests/schema_snapshot.json records no version"
    for old, new in zip(versions, versions[1:]):
        assert parse_version(new["version"]) > parse_version(old["version"])
        errors = transition_errors(old["version"], old["tables"], new["version"], new["tables"])
        assert not errors, "\n".join(errors)


def test_every_version_is_in_the_changelog():
    from pipeline.export import SCHEMA_VERSION

    entries = changelog_entries(CHANGELOG.read_text(encoding="utf-8"))
    versions = load_snapshot()
    for version in {entry["version"] for entry in versions} | {SCHEMA_VERSION}:
        assert version in entries, f"CHANGELOG.md has no '## [{version}]' entry"
    history = versions + [{"version": SCHEMA_VERSION, "tables": current_tables()}]
    for old, new in zip(history, history[1:]):
        for change in breaking_changes(old["tables"], new["tables"]):
            name = change.split()[1] if change.startswith("table ") else change.split()[0].split(".")[1]
            assert name in entries[new["version"]], (
                f"CHANGELOG.md [{new['version']}] does not mention {name} ({change})")


def test_written_datapackage_carries_the_version_and_the_schema(tmp_path):
    from pipeline.export import SCHEMA_VERSION
    from tests.dataset_fixtures import write_dataset

    package = json.loads((write_dataset(tmp_path / "d") / "datapackage.json").read_text(encoding="utf-8"))
    assert package["schema_version"] == SCHEMA_VERSION
    written = {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in package["resources"]}
    assert written == current_tables()


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        raise SystemExit(f"usage: {RECORD}")
    print(record())
