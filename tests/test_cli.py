"""The command line as users and CI meet it: exit codes, messages, installed script, wheel."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import REFERENCE_SRC, write_policy
from policyc import __version__
from policyc.cli import cli, main
from policyc.diagnostics import display_path

POLICYC = Path(sys.executable).parent / "policyc"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed `policyc` console script, as a user runs it."""
    return subprocess.run([str(POLICYC), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_version_and_help():
    runner = CliRunner()
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    assert runner.invoke(cli, ["--help"]).exit_code == 0
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_installed_script_builds_markdown_and_html(tmp_path):
    result = run("build", str(REFERENCE_SRC), "-o", str(tmp_path / "out"),
                 "--format", "html", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out" / "zh-CN" / "privacy-policy.html").is_file()
    assert (tmp_path / "out" / "zh-CN" / "privacy-policy.md").is_file()
    assert not (tmp_path / "out" / "zh-CN" / "privacy-policy.pdf").exists()


def test_build_defaults_to_policy_src_and_build(tmp_path):
    shutil.copytree(REFERENCE_SRC, tmp_path / "policy_src")
    result = run("build", "--format", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "build/zh-CN/privacy-policy.md" in result.stdout
    assert (tmp_path / "build" / "manifest.json").is_file()


def test_usage_errors_exit_2(tmp_path):
    assert main(["build", "--format", "rtf"]) == 2
    assert main(["build", "--no-such-option"]) == 2
    assert main(["no-such-command"]) == 2
    result = run("build", "--format", "rtf")
    assert result.returncode == 2
    assert "rtf" in result.stderr and "Traceback" not in result.stderr


def test_missing_source_folder_is_a_clean_error(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "nowhere/policy.yaml:1:1: error: no policy.yaml here" in err


def test_unknown_id_and_unknown_variable_are_reported_with_their_lines(src_copy, tmp_path,
                                                                        capsys):
    rights = src_copy / "sections" / "07-rights.yaml"
    lines = rights.read_text("utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if "{ref:contact}" in line)
    lines[n] = lines[n].replace("{ref:contact}", "{ref:contacts}")
    m = next(i for i, line in enumerate(lines) if "{phone}" in line)
    col = lines[m].index("{phone}") + 1
    lines[m] = lines[m].replace("{phone}", "{telephone}")
    rights.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src_copy), "-o", str(out), "--format", "md"]) == 1
    err = capsys.readouterr().err.splitlines()
    shown = display_path(rights)
    unknown_id = [e for e in err if "unknown id `contacts`" in e]
    unknown_var = [e for e in err if "unknown variable `{telephone}`" in e]
    assert unknown_id and unknown_id[0].startswith(f"{shown}:{n + 1}:")
    assert unknown_var and unknown_var[0].startswith(f"{shown}:{m + 1}:{col}: error:")
    assert err[-1] == "2 errors"
    assert not out.exists()


def test_project_templates_override_the_shipped_ones(tmp_path):
    src = shutil.copytree(REFERENCE_SRC, tmp_path / "policy_src")
    override = tmp_path / "templates" / "html" / "style.css"
    override.parent.mkdir(parents=True)
    override.write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "--format", "html"]) == 0
    html = (tmp_path / "out" / "zh-CN" / "privacy-policy.html").read_text("utf-8")
    assert "rebeccapurple" in html
    assert "@media print" not in html  # the shipped stylesheet was replaced, not added to


def test_characters_without_a_glyph_fail_the_pdf_and_are_named(tmp_path, capsys):
    src = write_policy(tmp_path / "src", {"s.yaml": "title: Glyphs\nblocks:\n  - \"\ue000\"\n"})
    out = tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "--format", "pdf"]) == 1
    err = capsys.readouterr().err
    assert "U+E000" in err and "cannot build the PDF edition" in err
    assert not (out / "manifest.json").exists()


def test_a_closed_pipe_is_not_reported_as_a_bug():
    result = subprocess.run(f"'{POLICYC}' explain | head -n 1", shell=True,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.count("\n") == 1
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
