"""Broken sources get exact compiler-style diagnostics and the right exit code.

Each folder of ``tests/broken/`` is one case: files that replace or add to the small
valid project in ``tests/broken/_base/``, and ``expected.txt`` — a comment naming what
the case shows, ``exit N``, then every error line the build must print, in order (each
printed line starts with the expected one, so a line may end early with a message
fragment). Warnings of the compliance rules are not part of these cases.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyc.cli import cli, main

BROKEN = Path(__file__).resolve().parent / "broken"
BASE = BROKEN / "_base"
POLICYC = Path(sys.executable).parent / "policyc"
DIAGNOSTIC = re.compile(r"^[^:]+:\d+:\d+: (error|warning|note): .+")
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and p.name != "_base")
BUILD_ARGS = ["build", "src", "-o", "out", "-f", "html", "-f", "md"]


@dataclass
class Expected:
    exit_code: int
    lines: list[str]


def expected(case: str) -> Expected:
    """The exit code and diagnostic lines ``expected.txt`` of a case asks for."""
    lines = [line for line in (BROKEN / case / "expected.txt").read_text("utf-8").splitlines()
             if line and not line.startswith("#")]
    assert lines[0].startswith("exit "), case
    return Expected(int(lines[0].split()[1]), lines[1:])


def make_case(case: str, where: Path) -> Path:
    """The base project with the case's files laid over it, in ``where/src``."""
    src = where / "src"
    shutil.copytree(BASE, src)
    for path in (BROKEN / case).rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = src / path.relative_to(BROKEN / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return src


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if DIAGNOSTIC.match(line) and ": error: " in line]


def check_output(case: str, exit_code: int, stderr: str, out: Path) -> None:
    want = expected(case)
    assert exit_code == want.exit_code, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert all(DIAGNOSTIC.match(line) for line in lines[:-1]), stderr
    printed = error_lines(stderr)
    assert len(printed) == len(want.lines), stderr
    for line, wanted in zip(printed, want.lines):
        assert line.startswith(wanted), f"{line!r} does not start with {wanted!r}"
    if want.exit_code:
        errors = len(want.lines)
        assert re.fullmatch(f"{errors} errors?(, \\d+ warnings?)?", lines[-1]), lines[-1]
        assert not out.exists(), "a failed build wrote something"
    else:
        assert (out / "manifest.json").is_file()


def test_every_case_says_what_it_shows():
    assert len(CASES) >= 30
    for case in CASES:
        first = (BROKEN / case / "expected.txt").read_text("utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 10, case


@pytest.mark.parametrize("case", CASES)
def test_broken_source_gives_the_exact_diagnostic(case, tmp_path, monkeypatch):
    make_case(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, BUILD_ARGS)
    check_output(case, result.exit_code, result.stderr, tmp_path / "out")


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_errors(case, tmp_path, monkeypatch):
    make_case(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "src"])
    want = expected(case)
    assert "Traceback" not in result.stderr
    assert result.exit_code == want.exit_code, result.stderr
    assert all(DIAGNOSTIC.match(line) for line in result.stderr.splitlines()[:-1]
               if not line.startswith("    "))   # a finding's evidence is indented under it
    printed = error_lines(result.stderr)
    assert len(printed) == len(want.lines), result.stderr
    for line, wanted in zip(printed, want.lines):
        assert line.startswith(wanted), f"{line!r} does not start with {wanted!r}"


@pytest.mark.parametrize("case", ["syntax-tab", "not-utf8", "unknown-variable-block-scalar",
                                  "many-errors-sorted", "bom-and-crlf-accepted"])
def test_installed_script_gives_the_same_diagnostics(case, tmp_path):
    make_case(case, tmp_path)
    result = subprocess.run([str(POLICYC), *BUILD_ARGS], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    check_output(case, result.returncode, result.stderr, tmp_path / "out")


def test_main_prints_the_diagnostics_of_a_case(tmp_path, monkeypatch, capsys):
    make_case("duplicate-key", tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(BUILD_ARGS)
    check_output("duplicate-key", code, capsys.readouterr().err, tmp_path / "out")


def test_bom_and_crlf_build_the_same_page_as_the_plain_file(tmp_path, monkeypatch):
    make_case("bom-and-crlf-accepted", tmp_path / "crlf")
    shutil.copytree(BASE, tmp_path / "plain" / "src")
    for folder in ("crlf", "plain"):
        monkeypatch.chdir(tmp_path / folder)
        assert CliRunner().invoke(cli, BUILD_ARGS).exit_code == 0
    for name in ("privacy-policy.html", "privacy-policy.md"):
        crlf = (tmp_path / "crlf" / "out" / "en" / name).read_bytes()
        assert crlf == (tmp_path / "plain" / "out" / "en" / name).read_bytes()
        assert b"\r" not in crlf and b"\xef\xbb\xbf" not in crlf


def test_section_symlink_pointing_outside_is_refused(tmp_path, monkeypatch):
    src = make_case("section-file-missing", tmp_path)  # lists sections/kontakt.yaml
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: not part of the project\n", encoding="utf-8")
    (src / "sections" / "kontakt.yaml").symlink_to(secret)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, BUILD_ARGS)
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        "src/policy.yaml:19:5: error: section file 'sections/kontakt.yaml' points outside "
        "the source folder"]


def test_oversized_file_is_refused_without_parsing(tmp_path, monkeypatch):
    src = make_case("section-file-empty", tmp_path)
    (src / "sections" / "contact.yaml").write_text("title: x\n" + "# padding\n" * 500_000)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, BUILD_ARGS)
    assert result.exit_code == 1
    assert error_lines(result.stderr)[0].startswith(
        "src/sections/contact.yaml:1:1: error: file is larger than")


def test_billion_laughs_ends_with_an_error_and_little_memory(tmp_path):
    make_case("billion-laughs", tmp_path)
    # A small Python runs policyc and reads its peak memory; measured from pytest itself,
    # the peak would include the memory the test process had when it started the child.
    measure = ("import resource, subprocess, sys\n"
               "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "sys.stderr.write(done.stderr)\n"
               "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    result = subprocess.run([sys.executable, "-c", measure, str(POLICYC), *BUILD_ARGS],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    exit_code, peak_kib = map(int, result.stdout.split())
    assert exit_code == 1
    assert "YAML aliases (*a0) are not supported" in result.stderr
    assert peak_kib < 200 * 1024, f"peak memory {peak_kib // 1024} MiB"


def test_usage_errors_exit_2():
    runner = CliRunner()
    for args in (["build", "--no-such-option"], ["build", "--format", "rtf"],
                 ["no-such-command"], ["check", "--profile", "hipaa"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output and result.stderr.startswith("Usage:")


def _raise_bug(*args, **kwargs):
    raise RuntimeError("something\nunexpected")


def test_internal_error_is_one_line_and_exit_3(monkeypatch):
    monkeypatch.setattr("policyc.commands.build.build", _raise_bug)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("policyc: internal error (a bug in policyc")
    assert "RuntimeError: something unexpected" in lines[0] and "--debug" in lines[0]


def test_internal_error_traceback_only_with_debug(monkeypatch):
    monkeypatch.setattr("policyc.commands.build.build", _raise_bug)
    result = CliRunner().invoke(cli, ["--debug", "build"])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "in _raise_bug" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("policyc: internal error")


def test_internal_error_through_main(monkeypatch, capsys):
    monkeypatch.setattr("policyc.commands.build.build", _raise_bug)
    assert main(["build"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_template_error_points_at_the_template_line(tmp_path, monkeypatch):
    src = make_case("bom-and-crlf-accepted", tmp_path)
    override = src.parent / "templates" / "markdown" / "policy.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("# {{ doc.title }}\n\n{{ doc.no_such_field }}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, BUILD_ARGS)
    assert result.exit_code == 1
    assert error_lines(result.stderr)[0].startswith(
        "templates/markdown/policy.md.j2:3:1: error: cannot build the MD edition:")
    assert not (tmp_path / "out").exists()
