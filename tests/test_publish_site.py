"""`policyc publish OUT DEST`: the folder a CI uploads holds the files the build's manifest
lists, checked against their checksums, and nothing else."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyc.build import build
from policyc.cli import cli


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def listed(out: Path) -> set[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    policies = {p["manifest"] for p in manifest.get("policies", [])}
    return {"manifest.json", *policies, *(a["path"] for a in manifest["artifacts"])}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A policy made by `policyc init`, built (HTML and Markdown) into an output folder."""
    work = tmp_path_factory.mktemp("publish")
    result = CliRunner().invoke(cli, ["init", str(work / "src"), "--template", "en-web"])
    assert result.exit_code == 0, result.output
    build(work / "src", work / "out", ["html", "md"])
    return work / "out"


def publish(*args: str):
    return CliRunner().invoke(cli, ["publish", *map(str, args)])


def test_only_the_manifests_files_are_published(built, tmp_path):
    (built / "lib" / "policyc").mkdir(parents=True, exist_ok=True)
    (built / "lib" / "policyc" / "cli.py").write_text("print('setuptools was here')\n")
    (built / "stale.html").write_text("<p>an earlier build</p>")
    result = publish(built, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "site") == listed(built)
    assert "en/privacy-policy.html" in files(tmp_path / "site")
    assert (tmp_path / "site" / "en" / "privacy-policy.html").read_bytes() == \
        (built / "en" / "privacy-policy.html").read_bytes()


def test_a_file_changed_after_the_build_is_refused(built, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in listed(built):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes((built / name).read_bytes())
    (out / "en" / "privacy-policy.md").write_text("# edited by hand\n")
    result = publish(out, tmp_path / "site")
    assert result.exit_code == 1
    assert "en/privacy-policy.md:1:1: error: does not match the checksum" in result.output
    assert not (tmp_path / "site").exists()


def test_a_manifest_naming_a_file_outside_the_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "secret.txt").write_text("not for the web")
    (out / "manifest.json").write_text(json.dumps({
        "generator": "policyc", "policy": {},
        "artifacts": [{"path": "../secret.txt", "sha256": ""}]}))
    result = publish(out, tmp_path / "site")
    assert result.exit_code == 1 and "listed path '../secret.txt' leaves the output folder" \
        in result.output
    assert not (tmp_path / "site").exists()


def test_without_a_manifest_it_says_to_build_first(tmp_path):
    (tmp_path / "out").mkdir()
    result = publish(tmp_path / "out", tmp_path / "site")
    assert result.exit_code == 1 and "build into this folder first" in result.output


def test_the_destination_is_new_and_apart_from_the_build(built, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("old")
    result = publish(built, tmp_path / "site")
    assert result.exit_code == 1 and "exists and is not empty" in result.output
    assert files(tmp_path / "site") == {"old.html"}
    result = publish(built, built / "site")
    assert result.exit_code == 2 and "overlaps the output folder" in result.output


def test_a_batch_publishes_every_policys_manifest(tmp_path):
    for name in ("app", "web"):
        result = CliRunner().invoke(cli, ["init", str(tmp_path / "src" / name), "--template",
                                          "en-web"])
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "src"), "-o",
                                      str(tmp_path / "out"), "-f", "html", "-q"])
    assert result.exit_code == 0, result.output
    assert publish(tmp_path / "out", tmp_path / "site").exit_code == 0
    published = files(tmp_path / "site")
    assert published == listed(tmp_path / "out")
    assert {"app/manifest.json", "web/manifest.json", "index.html"} <= published


def test_a_file_reached_through_a_linked_folder_is_refused(built, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "privacy-policy.md").write_bytes((built / "en" / "privacy-policy.md")
                                                             .read_bytes())
    (out / "en").symlink_to(tmp_path / "private")
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    manifest["artifacts"] = [a for a in manifest["artifacts"]
                             if a["path"] == "en/privacy-policy.md"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = publish(out, tmp_path / "site")
    assert result.exit_code == 1 and "it lies outside the output folder" in result.output
    assert not (tmp_path / "site").exists()
