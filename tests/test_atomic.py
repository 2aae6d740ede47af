"""Nothing lost: a failed, crashed or interrupted build leaves the output folder as it was.

Every test starts from a copy of the reference build (all formats) and changes one
sentence of the sources, so a build that got through would change every artifact.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import policyc.write
from policyc.cli import cli

SENTENCE = "我们会保持您的个人数据及时更新"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (temporary files included) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous(reference_build, tmp_path) -> Path:
    """An output folder holding a full earlier build plus files a user put there."""
    out = tmp_path / "out"
    shutil.copytree(reference_build, out)
    (out / "README.txt").write_text("published by CI\n", encoding="utf-8")
    (out / "zh-CN" / "notes.md").write_text("my notes\n", encoding="utf-8")
    return out


@pytest.fixture
def changed_src(src_copy) -> Path:
    """The reference sources with one sentence reworded, and its English translation
    recorded as translating the new wording (else the build stops: it would be stale)."""
    for path in (src_copy / "sections" / "02-use.yaml", src_copy / "translations" / "en.yaml"):
        text = path.read_text("utf-8")
        assert SENTENCE in text
        path.write_text(text.replace(SENTENCE, "我们会及时更新您的个人数据"), encoding="utf-8")
    return src_copy


def build(src: Path, out: Path, *formats: str):
    args = ["build", str(src), "-o", str(out)]
    for fmt in formats:
        args += ["-f", fmt]
    return CliRunner().invoke(cli, args)


def assert_manifest_matches_files(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["artifacts"]
    for artifact in manifest["artifacts"]:
        data = (out / artifact["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == artifact["sha256"], artifact["path"]
        assert len(data) == artifact["bytes"]


def test_source_error_leaves_previous_build_identical(previous, changed_src):
    before = snapshot(previous)
    use = changed_src / "sections" / "02-use.yaml"
    use.write_text(use.read_text("utf-8").replace("我们会及时", "我们会{unknown}及时"),
                   encoding="utf-8")
    result = build(changed_src, previous)
    assert result.exit_code == 1 and "unknown variable `{unknown}`" in result.stderr
    assert snapshot(previous) == before


def test_pdf_failure_writes_no_other_format_and_no_manifest(previous, changed_src):
    before = snapshot(previous)
    override = changed_src.parent / "templates" / "pdf" / "policy.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "html/policy.html.j2" %}\n'
                        '{% block head %}<img src="https://example.invalid/x.png">{% endblock %}\n',
                        encoding="utf-8")
    result = build(changed_src, previous)
    assert result.exit_code == 1
    assert "cannot build the PDF edition" in result.stderr
    assert snapshot(previous) == before
    assert_manifest_matches_files(previous)


def test_successful_build_keeps_files_policyc_did_not_write(previous, changed_src):
    before = snapshot(previous)
    result = build(changed_src, previous, "html", "md")
    assert result.exit_code == 0, result.stderr
    after = snapshot(previous)
    assert after["README.txt"] == before["README.txt"]
    assert after["zh-CN/notes.md"] == before["zh-CN/notes.md"]
    assert after["zh-CN/privacy-policy.html"] != before["zh-CN/privacy-policy.html"]
    assert not [name for name in after if name.endswith(".tmp")]
    assert_manifest_matches_files(previous)


def _fail_on_call(monkeypatch, name: str, call: int, error: BaseException) -> None:
    """Make ``os.<name>`` as policyc.write uses it raise ``error`` on its ``call``-th use
    (the rest of the process keeps the real ``os``)."""
    real = getattr(os, name)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == call:
            raise error
        return real(*args, **kwargs)

    class FlakyOs:
        def __getattr__(self, attribute):
            return flaky if attribute == name else getattr(os, attribute)

    monkeypatch.setattr(policyc.write, "os", FlakyOs())


def test_failed_rename_midway_restores_what_was_already_replaced(previous, changed_src,
                                                                  monkeypatch):
    before = snapshot(previous)
    _fail_on_call(monkeypatch, "replace", 2, OSError(28, "No space left on device"))
    result = build(changed_src, previous, "html", "md")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{previous / 'zh-CN' / 'privacy-policy.md'}:1:1: error: cannot write the file: "
        "No space left on device")
    assert snapshot(previous) == before  # no temporary file, html put back


def test_failure_while_staging_changes_nothing(previous, changed_src, monkeypatch):
    before = snapshot(previous)
    _fail_on_call(monkeypatch, "fsync", 2, OSError(5, "Input/output error"))
    result = build(changed_src, previous, "html", "md")
    assert result.exit_code == 1 and "Input/output error" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(previous) == before


def test_interrupt_during_write_leaves_previous_build(previous, changed_src, monkeypatch):
    before = snapshot(previous)
    _fail_on_call(monkeypatch, "replace", 2, KeyboardInterrupt())
    result = build(changed_src, previous, "html", "md")
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr
    assert snapshot(previous) == before
