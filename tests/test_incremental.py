"""Incremental builds: a rebuild renders only what its inputs changed, and never serves stale bytes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyc import cache
from policyc.usercache import read_sealed, write_sealed
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
    """A private copy of the built project (mtimes preserved) that a test may change, with
    the build's state (kept in the user cache, per output folder) carried over."""
    shutil.copytree(built_tree, tmp_path / "project", copy_function=shutil.copy2)
    old, new = cache.BuildCache(built_tree / "build"), cache.BuildCache(tmp_path / "project" / "build")
    write_sealed(new.folder, new.name, read_sealed(old.folder, old.name, cache.MAX_STATE_BYTES))
    return tmp_path / "project"


def rebuild(project: Path, **options) -> list[Path]:
    return build(project / "policy_src", project / "build", report=Report(), **options).written


def test_noop_rebuild_writes_nothing_and_loads_nothing(project):
    rebuild(project)  # the copy has moved: its first build records the new place
    before = snapshot(project / "build")
    script = ("import sys; from policyc.build import build; from policyc.diagnostics import Report; "
              f"r = build({str(project / 'policy_src')!r}, {str(project / 'build')!r}, "
              "report=Report()); print(len(r.written), len(r.artifacts), "
              "'weasyprint' in sys.modules, 'policyc.project' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    written, artifacts, weasyprint, parsed = run.stdout.split()
    assert (written, weasyprint, parsed) == ("0", "False", "False")
    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert int(artifacts) == len(manifest["artifacts"])
    assert changed(before, snapshot(project / "build")) == set()


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    """The source folders a build parsed (a build served as up to date parses none)."""
    from policyc import project as project_module

    parsed: list[Path] = []
    real = project_module.load_project

    def spy(src, report=None):
        parsed.append(Path(src))
        return real(src, report)

    monkeypatch.setattr(project_module, "load_project", spy)
    return parsed


def test_an_up_to_date_build_replays_the_same_artifacts_and_warnings(project, loads):
    first = Report()
    built = build(project / "policy_src", project / "build", ["html", "md"], first)
    again = Report()
    replayed = build(project / "policy_src", project / "build", ["html", "md"], again)
    assert len(loads) == 1 and replayed.written == []
    assert replayed.artifacts == built.artifacts
    assert again.sorted() == first.sorted() and len(first.warnings) > 0


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["section", "translation", "template", "archive",
                                    "new source file"])
def test_a_changed_input_file_is_never_served_from_the_last_build(project, loads, change):
    src = project / "policy_src"
    rebuild(project, formats=["html", "md"])
    if change == "section":
        _edit(src / "sections" / "01-collection.yaml", "绑定设备", "绑定新设备")
        # the English catalog records the new wording too (else it is stale: an error)
        _edit(src / "translations" / "en.yaml", "绑定设备", "绑定新设备")
        expect = ("zh-CN/privacy-policy.html", "绑定新设备")
    elif change == "translation":
        _edit(src / "translations" / "en.yaml", "text: Privacy Policy",
              "text: Changed Privacy Policy")
        expect = ("en/privacy-policy.html", "Changed ")
    elif change == "template":
        override = project / "templates" / "markdown" / "policy.md.j2"
        override.parent.mkdir(parents=True)
        override.write_text("# {{ doc.title }} (edited)\n", encoding="utf-8")
        expect = ("zh-CN/privacy-policy.md", "(edited)")
    elif change == "archive":
        shutil.copytree(src, project / "archive" / "0.9")
        _edit(project / "archive" / "0.9" / "policy.yaml", 'version: "1.0"', 'version: "0.9"')
        expect = ("zh-CN/archive.html", "0.9")
    else:
        (src / "notes.txt").write_text("not a source, but in the source folder\n")
        expect = None
    rebuild(project, formats=["html", "md"])
    assert len(loads) == 2
    if expect is not None:
        name, text = expect
        assert text in (project / "build" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("options", [
    {"formats": ["html"]}, {"formats": ["html", "md"], "locales": ["zh-CN"]},
    {"formats": ["html", "md"], "allow_missing": True}])
def test_other_build_options_are_a_different_build(project, loads, options):
    rebuild(project, formats=["html", "md"])
    rebuild(project, **options)
    assert len(loads) == 2


@pytest.mark.parametrize("key_input, formats", [("code_digest", ["html"]),
                                                ("pdf_toolchain", ["html", "pdf"])])
def test_new_policyc_code_or_pdf_toolchain_is_a_different_build(project, loads, monkeypatch,
                                                               key_input, formats):
    rebuild(project, formats=formats, locales=["zh-CN"])
    monkeypatch.setattr(cache, key_input, lambda: "something else")
    rebuild(project, formats=formats, locales=["zh-CN"])
    assert len(loads) == 2


def test_a_new_git_tag_is_a_different_build(project, loads):
    rebuild(project, formats=["html"])

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                       cwd=project, check=True, capture_output=True)
    git("init", "-q")
    rebuild(project, formats=["html"])
    git("add", "policy_src")
    git("commit", "-q", "-m", "first")
    git("tag", "v1")
    rebuild(project, formats=["html"])
    rebuild(project, formats=["html"])
    assert len(loads) == 3


def test_a_changed_app_build_is_never_served_from_the_last_build(project, loads):
    """``app.build`` lies outside the source folder: a permission added to the manifest is
    found by the next build, not replayed away; a new build file in the folder, too."""
    android = project / "android"
    shutil.copytree(ROOT / "tests" / "fixtures" / "app" / "reference-android", android)
    _edit(project / "policy_src" / "policy.yaml", "  name: 异业爆客\n",
          "  name: 异业爆客\n  build: [../android]\n")
    rebuild(project, formats=["html"])
    rebuild(project, formats=["html"])
    assert len(loads) == 1          # nothing changed: up to date
    manifest = android / "AndroidManifest.xml"
    original = manifest.read_text(encoding="utf-8")
    line = '<uses-permission android:name="android.permission.INTERNET" />'
    _edit(manifest, line, line + '\n    <uses-permission android:name="android.permission.BODY_SENSORS" />')
    report = Report()
    build(project / "policy_src", project / "build", ["html"], report)
    assert "APP-DANGEROUS-PERMISSION-UNDECLARED" in {d.code for d in report.warnings}
    assert len(loads) == 2          # the app changed: checked again, never replayed
    manifest.write_text(original, encoding="utf-8")
    rebuild(project, formats=["html"])
    assert len(loads) == 3          # and changed back: checked again
    (android / "Podfile").write_text("pod 'JPush'\n", encoding="utf-8")
    report = Report()
    build(project / "policy_src", project / "build", ["html"], report)
    assert "APP-SDK-UNDECLARED" in {d.code for d in report.warnings}


def test_an_edited_artifact_is_never_served_from_the_last_build(project, loads):
    rebuild(project, formats=["html"])
    html = project / "build" / "zh-CN" / "privacy-policy.html"
    original = html.read_bytes()
    html.write_bytes(b"<p>edited by hand</p>")
    assert rebuild(project, formats=["html"]) == [html]
    assert html.read_bytes() == original and len(loads) == 2


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
        "manifest.json"}  # archived editions' PDFs use the template too


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
    ("pdf_toolchain", ["html", "pdf"], {"zh-CN/privacy-policy.pdf",
                                        "archive/1.0/zh-CN/privacy-policy.pdf"}),  # PDF/A
])
def test_a_changed_key_input_renders_again(project, monkeypatch, key_input, formats, expected,
                                          rendered_paths):
    rendered = rendered_paths
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
    state = cache.BuildCache(project / "build")
    (state.folder / state.name).write_text("{not json", encoding="utf-8")
    rebuild(project, formats=["html", "md"])
    assert {"zh-CN/privacy-policy.html", "en/privacy-policy.md"} <= set(
        cache.BuildCache(project / "build").entries)


def test_a_replayed_build_reports_its_findings_with_their_evidence(project, loads):
    """A build replayed from the cache reports the same findings as the build it replays,
    each with the sentences it read or the sections it searched, shown the same way."""
    first, again = Report(), Report()
    build(project / "policy_src", project / "build", ["md"], first)
    build(project / "policy_src", project / "build", ["md"], again)
    assert len(loads) == 1
    shown = [d.shown() for d in first.sorted()]
    assert any("\n    read: " in s or "\n    searched: " in s for s in shown), shown
    assert [d.shown() for d in again.sorted()] == shown
    assert [(d.evidence, d.searched) for d in again.sorted()] == \
        [(d.evidence, d.searched) for d in first.sorted()]


def _warnings_state(project: Path) -> tuple[cache.BuildCache, dict]:
    build(project / "policy_src", project / "build", ["md"], Report())
    state = cache.BuildCache(project / "build")
    return state, json.loads(read_sealed(state.folder, state.name, cache.MAX_STATE_BYTES))


@pytest.mark.parametrize("evidence", [[["a.yaml", "1", "text"]], [["a.yaml", 1]], ["a.yaml"],
                                      [["a.yaml", -1, "x"]], [[None, 1, "x"]], {"a": 1},
                                      [["a.yaml", True, "x"]]])
def test_recorded_evidence_of_the_wrong_shape_is_a_miss(project, loads, evidence):
    """The recorded findings are untrusted input: evidence of the wrong shape, even sealed
    with the right key, makes the build run again rather than replay it."""
    state, recorded = _warnings_state(project)
    assert recorded["last_build"]["diagnostics"]
    recorded["last_build"]["diagnostics"][0]["evidence"] = evidence
    write_sealed(state.folder, state.name, json.dumps(recorded).encode())
    assert cache.BuildCache(project / "build").replay(recorded["last_build"]["inputs"],
                                                     "manifest.json") is None
    again = Report()
    build(project / "policy_src", project / "build", ["md"], again)
    assert len(loads) == 2 and again.warnings
