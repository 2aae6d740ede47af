"""`policyc init`: a new policy from a template builds, passes `check` under its profile
(`--strict` only once its example facts are replaced), and explains every key it uses."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyc.build import build
from policyc.cli import cli
from policyc.project import load_project

PROFILES = {"zh-app": ("pipl", "zh-CN"), "en-web": ("gdpr", "en")}
# An editor's own facts for the template's examples (names, then addresses).
OWN_FACTS = {"zh-app": [("示例", "青禾"), ("example.com", "qinghe.cn")],
             "en-web": [("Example", "Northwind"), ("example.com", "northwind.ie"),
                        ("analytics.example", "analytics.northwind.ie")]}
KEY = re.compile(r"^\s*(?:- )?([a-z_]+):(?:\s|$)")


def init(tmp_path: Path, template: str) -> Path:
    out = tmp_path / template
    result = CliRunner().invoke(cli, ["init", str(out), "--template", template])
    assert result.exit_code == 0, result.output
    assert f"from the {template} template" in result.stdout
    return out


@pytest.mark.parametrize("template", sorted(PROFILES))
def test_template_passes_check_strict_only_with_its_facts_replaced_and_builds(tmp_path,
                                                                              template):
    profile, locale = PROFILES[template]
    src = init(tmp_path, template)
    check = ["check", str(src), "--profile", profile, "--format", "json"]
    result = CliRunner().invoke(cli, check)
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert findings and {f["code"] for f in findings} == {"CONS-TEMPLATE-FACT"}
    flagged = {(f["file"].rsplit("/", 1)[-1], f["line"]) for f in findings}
    for path in src.rglob("*.yaml"):        # every line holding an example fact is flagged
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            value = line.split(" #")[0]
            if any(example in value for example, _ in OWN_FACTS[template]) and \
                    not value.lstrip().startswith(("#", "- ")):
                assert (path.name, number) in flagged, (path.name, number, line)
    assert CliRunner().invoke(cli, [*check, "--strict"]).exit_code == 1
    for path in src.rglob("*.yaml"):
        text = path.read_text("utf-8")
        for example, own in OWN_FACTS[template]:
            text = text.replace(example, own)
        path.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["check", str(src), "--strict", "--profile", profile])
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
    out = tmp_path / "build"
    build(src, out, ["html", "md"])
    html = (out / locale / "privacy-policy.html").read_text("utf-8")
    assert load_project(src).policy.title in html
    assert (src / "schema" / "policy.schema.json").is_file()


@pytest.mark.parametrize("template", sorted(PROFILES))
def test_every_key_is_explained_in_a_comment(tmp_path, template):
    src = init(tmp_path, template)
    explained, keys = set(), {}
    for path in sorted(src.rglob("*.yaml")):
        lines = path.read_text("utf-8").splitlines()
        for number, line in enumerate(lines):
            m = KEY.match(line)
            if not m:
                continue
            keys.setdefault(m.group(1), f"{path.name}:{number + 1}")
            before = lines[number - 1].strip() if number else ""
            if " # " in line or before.startswith("#") and \
                    not before.startswith("# yaml-language-server"):
                explained.add(m.group(1))
    # each key is explained once in the template, where it first matters
    unexplained = sorted(set(keys) - explained)
    assert not unexplained, ", ".join(f"{k} ({keys[k]})" for k in unexplained)


def test_without_template_the_choices_are_listed(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "--template zh-app" in result.output and "--template en-web" in result.output
    assert not (tmp_path / "x").exists()


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "policy.yaml").write_text("title: mine\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "mine"), "--template", "en-web"])
    assert result.exit_code == 2 and "exists and is not empty" in result.output
    assert (tmp_path / "mine" / "policy.yaml").read_text() == "title: mine\n"
