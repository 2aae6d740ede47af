"""The manual: its command examples run, its generated references are complete, and
`mkdocs build --strict` passes (broken links, anchors and pages fail the build)."""
from __future__ import annotations

import dataclasses
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policyc import model
from policyc.check import RULES
from policyc.schema import model_fields

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
EXPECTED_EXIT = re.compile(r"#\s*exit (\d+)\s*$")


def console_blocks(page: Path) -> list[str]:
    return CONSOLE.findall(page.read_text("utf-8"))


@pytest.mark.parametrize("page", [p for p in PAGES if console_blocks(p)],
                         ids=lambda p: str(p.relative_to(DOCS)))
def test_console_examples_run_as_shown(page, tmp_path):
    """Every ``$ command`` of a page's console blocks runs, in order, in one folder; it exits
    0 (or the code its ``# exit N`` comment names), and each line shown after it appears in
    what it printed."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "NO_COLOR": "1"}
    for block in console_blocks(page):
        command, shown = None, []
        for line in block.splitlines() + ["$ "]:
            if line.startswith("$ "):
                if command:
                    run_and_compare(command, shown, tmp_path, env)
                command, shown = line[2:].strip(), []
            elif line.strip():
                shown.append(line.strip())


def run_and_compare(command: str, shown: list[str], cwd: Path, env: dict) -> None:
    expected_exit = EXPECTED_EXIT.search(command)
    result = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=300)
    printed = result.stdout + result.stderr
    assert result.returncode == (int(expected_exit[1]) if expected_exit else 0), \
        f"`{command}` exited {result.returncode}:\n{printed}"
    lines = [line.strip() for line in printed.splitlines()]
    for line in shown:
        assert any(line in printed_line for printed_line in lines), \
            f"`{command}` did not print {line!r}; it printed:\n{printed}"


def hooks():
    pytest.importorskip("mkdocs", reason="the manual needs the docs extra: pip install -e '.[docs]'")
    sys.path.insert(0, str(DOCS))
    try:
        import hooks as module
    finally:
        sys.path.remove(str(DOCS))
    return module


def test_format_reference_names_every_key_of_every_model():
    reference = hooks().format_reference()
    for _, root in hooks().SOURCE_FILES:
        for cls in hooks().models_of(root):
            for name in model_fields(cls):
                assert f"| `{name}` |" in reference.split(f"### {cls.__name__} ", 1)[1], \
                    (cls.__name__, name)
    assert dataclasses.is_dataclass(model.Policy)


def test_rule_reference_documents_every_rule_in_both_languages():
    module = hooks()
    for lang in ("en", "zh"):
        pages = "".join(module.rules_page(p, lang, {}) for p in module.profiles())
        for code, rule in RULES.items():
            assert f"## {code}\n" in pages
            assert rule.message["zh" if lang == "zh" else "en"] in pages


def test_error_examples_are_the_cases_the_suite_runs():
    module = hooks()
    for page in PAGES:
        for case in module.BROKEN_MARK.findall(page.read_text("utf-8")):
            expansion = module.broken_example(case)
            expected = (ROOT / "tests" / "broken" / case / "expected.txt").read_text("utf-8")
            assert [l for l in expected.splitlines() if l.startswith("src/")][0] in expansion


def test_readme_is_short_and_its_links_exist():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 200
    assert "make test" in readme
    for target in re.findall(r"\]\(((?:docs/)[^)#]+)", readme):
        assert (ROOT / target).exists(), target


@pytest.mark.slow
def test_manual_builds_strict(tmp_path):
    """`mkdocs build --strict`: every link, anchor and page resolves; the generated pages and
    the screenshots (headless Chromium) are made."""
    hooks()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                             "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    site = tmp_path / "site"
    assert (site / "en" / "reference" / "format" / "index.html").is_file()
    assert (site / "zh" / "guide" / "errors" / "index.html").is_file()
    assert (site / "assets" / "screenshots" / "reference-zh-CN.png").stat().st_size > 10_000
    page = (site / "en" / "guide" / "errors" / "index.html").read_text("utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "error: unknown key `titel` in contact section; did you mean `title`?" in text
