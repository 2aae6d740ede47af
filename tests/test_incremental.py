"""Incremental builds: a rebuild renders only what its inputs changed, and never serves stale bytes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyc import cache
from policyc.build import build
from policyc.diagnostics import Report

from conftest import REFERENCE_SRC

ROOT = REFERENCE_SRC.parent


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of an output folder: its mtime and bytes."""
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def changed(before: dict, after: dict) -> set[str]:
    """Files whose mtime or bytes differ, or that appeared."""
    return {name for name, state in after.items() if before.get(name) != state}


@pytest.fixture(scope="module")
def built_tree(tmp_path_factory) -> Path:
    """A project (sources, no templates yet) built once with every format."""
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(REFERENCE_SRC, root / "policy_src")
    build(root / "policy_src", root / "build", report=Report())
    return root


@pytest.fixture
def project(built_tree, tmp_path) -> Path:
    """A private copy of the built project (mtimes preserved) that a test may change."""
    shutil.copytree(built_tree, tmp_path / "project", copy_function=shutil.copy2)
    return tmp_path / "project"


def rebuild(project: Path, **options) -> list[Path]:
    return build(project / "policy_src", project / "build", report=Report(), **options).written


def test_noop_rebuild_writes_nothing_and_does_not_import_weasyprint(project):
    before = snapshot(project / "build")
    script = ("import sys; from policyc.build import build; from policyc.diagnostics import Report; "
              f"r = build({str(project / 'policy_src')!r}, {str(project / 'build')!r}, "
              "report=Report()); print(len(r.written), 'weasyprint' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert run.stdout.split() == ["0", "False"]
    assert changed(before, snapshot(project / "build")) == set()


def test_template_change_rebuilds_only_its_format(project):
    override = project / "templates" / "pdf" / "print.css"
    override.parent.mkdir(parents=True)
    shipped = (ROOT / "templates" / "pdf" / "print.css").read_text(encoding="utf-8")
    override.write_text(shipped + "\nh1 { letter-spacing: 1pt; }\n", encoding="utf-8")
    before = snapshot(project / "build")
    rebuild(project)
    rewritten = changed(before, snapshot(project / "build"))
    assert {"zh-CN/privacy-policy.pdf", "en/privacy-policy.pdf"} <= rewritten
    assert {name for name in rewritten if not name.endswith(".pdf")} == {
        "manifest.json", cache.CACHE_FILE}  # archived editions' PDFs use the template too


def test_source_change_rebuilds_the_editions(project):
    policy = project / "policy_src" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("4000311376", "4000311377"),
                      encoding="utf-8")
    before = snapshot(project / "build")
    rebuild(project, formats=["html", "md"])
    rewritten = changed(before, snapshot(project / "build"))
    for name in ("zh-CN/privacy-policy.html", "zh-CN/privacy-policy.md",
                 "en/privacy-policy.html", "en/privacy-policy.md"):
        assert name in rewritten
        assert "4000311377" in (project / "build" / name).read_text(encoding="utf-8")
    assert "zh-CN/privacy-policy.pdf" not in rewritten  # not asked for: left as it was


@pytest.mark.parametrize("key_input, formats, expected", [
    ("code_digest", ["html", "md"], {"zh-CN/privacy-policy.html", "zh-CN/privacy-policy.md"}),
    ("pdf_toolchain", ["html", "pdf"], {"zh-CN/privacy-policy.pdf"}),
])
def test_a_changed_key_input_renders_again(project, monkeypatch, key_input, formats, expected):
    rendered: list[str] = []
    real_render_cached = cache.render_cached

    def counting(cache_, rel_path, key, render):
        def render_and_count():
            rendered.append(rel_path)
            return render()
        return real_render_cached(cache_, rel_path, key, render_and_count)

    monkeypatch.setattr("policyc.build.render_cached", counting)
    monkeypatch.setattr(cache, key_input, lambda: "something else")
    rebuild(project, formats=formats, locales=["zh-CN"])
    assert set(rendered) == expected


def test_an_edited_artifact_is_rebuilt(project):
    html = project / "build" / "zh-CN" / "privacy-policy.html"
    original = html.read_bytes()
    html.write_bytes(b"<p>edited by hand</p>")
    assert html in rebuild(project, formats=["html"])
    assert html.read_bytes() == original


def test_an_unreadable_cache_file_means_a_full_build(project):
    (project / "build" / cache.CACHE_FILE).write_text("{not json", encoding="utf-8")
    rebuild(project, formats=["html", "md"])
    state = json.loads((project / "build" / cache.CACHE_FILE).read_text(encoding="utf-8"))
    assert {"zh-CN/privacy-policy.html", "en/privacy-policy.md"} <= set(state["artifacts"])
