"""The JSON Schema of the source format: committed copies are current, and every source
file validates against them as an editor (YAML 1.2: dates stay strings) would see it."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from policyc.cli import cli
from policyc.model import source_schemas

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "policy_src"
COMPLIANT = ROOT / "tests" / "fixtures" / "compliant"
SCHEMA_DIR = REFERENCE / "schema"


class EditorLoader(yaml.SafeLoader):
    """PyYAML without the YAML 1.1 timestamp rule: 2022-04-01 stays a string, as in JSON."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), EditorLoader)


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(name: str, data) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(data)]


def test_committed_schemas_are_what_policyc_schema_writes_now(tmp_path):
    result = CliRunner().invoke(cli, ["schema", str(REFERENCE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert generated == source_schemas()
    committed = {p.name: p.read_bytes() for p in SCHEMA_DIR.glob("*.schema.json")}
    assert committed == generated, "run `policyc schema policy_src` and commit the result"


def test_schemas_are_valid_draft_2020_12():
    for name in source_schemas():
        jsonschema.Draft202012Validator.check_schema(
            json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("root", [REFERENCE, COMPLIANT], ids=["reference", "compliant"])
def test_every_source_file_validates(root):
    policy = load(root / "policy.yaml")
    assert isinstance(policy["last_updated"], str)
    assert errors("policy.schema.json", policy) == []
    for entry in policy["sections"]:
        assert errors("section.schema.json", load(root / entry)) == [], entry
    for catalog in sorted((root / "translations").glob("*.yaml")):
        assert errors("translation.schema.json", load(catalog)) == [], catalog.name


@pytest.mark.parametrize("root", [REFERENCE, COMPLIANT], ids=["reference", "compliant"])
def test_source_files_name_the_schema_for_editors(root):
    policy = load(root / "policy.yaml")
    for entry, schema in [("policy.yaml", "policy.schema.json")] + \
            [(e, "section.schema.json") for e in policy["sections"]]:
        first = (root / entry).read_text(encoding="utf-8").split("\n", 1)[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), entry
        target = ((root / entry).parent / first[len(prefix):]).resolve()
        assert target == (SCHEMA_DIR / schema).resolve(), entry


def test_schema_catches_what_an_editor_should_underline():
    section = load(REFERENCE / "sections" / "03-sdks.yaml")
    section["sdks"][0]["purpse"] = section["sdks"][0].pop("purpose")
    found = errors("section.schema.json", section)
    assert found and any("purpse" in e or "purpose" in e for e in found)
    policy = load(REFERENCE / "policy.yaml")
    policy["last_updated"] = "1 April 2022"
    assert errors("policy.schema.json", policy)
    rights = load(REFERENCE / "sections" / "07-rights.yaml")
    rights["rights"][0]["kind"] = "erase"
    assert errors("section.schema.json", rights)


def test_model_fields_reach_the_schema_with_their_description():
    policy = json.loads(source_schemas()["policy.schema.json"])
    section = json.loads(source_schemas()["section.schema.json"])
    storage = policy["$defs"]["Storage"]["properties"]
    assert set(storage) == {"region", "retention", "cross_border"}
    assert policy["$ref"] == "#/$defs/Policy"
    assert {"storage", "children", "gdpr"} <= set(policy["$defs"]["Policy"]["properties"])
    feature = section["$defs"]["Feature"]["properties"]
    assert feature["legal_basis"]["description"].startswith("the legal basis")
    assert {"consent", "legitimate_interests"} <= set(feature["legal_basis"]["oneOf"][0]["enum"])
