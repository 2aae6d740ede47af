"""Clear messages for mistakes around the sources: stray catalogs, an empty output
folder, a schema written into a folder that is not a policy."""
from __future__ import annotations

from click.testing import CliRunner

from policyc.cli import cli

from conftest import write_policy

SECTION = "id: collect\ntitle: What we collect\nblocks:\n  - We collect {email}.\n"


def test_catalogs_for_the_binding_or_an_undeclared_locale_are_reported(tmp_path):
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    (src / "translations").mkdir()
    (src / "translations" / "en.yaml").write_text("locale: en\ntexts: []\n", "utf-8")
    (src / "translations" / "fr.yaml").write_text("locale: fr\ntexts: []\n", "utf-8")
    result = CliRunner().invoke(cli, ["check", str(src)])
    lines = [line.split(str(tmp_path) + "/")[-1] for line in result.stderr.splitlines()]
    assert ("src/translations/en.yaml:1:1: warning: this catalog is for the binding locale "
            "'en', whose wording is the section files': it is not read; remove it") in lines
    assert ("src/translations/fr.yaml:1:1: warning: locale 'fr' is not declared in "
            "policy.yaml, so this catalog is not read; add it to `locales` (en)") in lines


def test_an_empty_output_folder_is_a_usage_error(tmp_path):
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    result = CliRunner().invoke(cli, ["build", str(src), "-o", ""])
    assert result.exit_code == 2
    assert "the output folder is empty" in result.stderr


def test_schema_into_a_folder_that_is_not_a_policy_is_a_usage_error(tmp_path):
    (tmp_path / "notes").mkdir()
    result = CliRunner().invoke(cli, ["schema", str(tmp_path / "notes")])
    assert result.exit_code == 2
    assert "is not a policy source folder (it has no policy.yaml)" in result.stderr
    assert not (tmp_path / "notes" / "schema").exists()


def test_diff_of_a_revision_s_policy_yaml_and_no_temporary_paths(tmp_path, monkeypatch):
    import subprocess

    write_policy(tmp_path / "policy_src", {"collect.yaml": SECTION})
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a policy", "utf-8")
    git = ["git", "-c", "user.email=a@example.com", "-c", "user.name=a"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["diff", "HEAD:policy_src/policy.yaml"])
    assert result.exit_code == 0, result.output
    assert "0 changes" in result.output
    result = CliRunner().invoke(cli, ["diff", "HEAD:notes"])
    assert result.exit_code == 2
    assert "policyc-edition-" not in result.stderr
    assert "is 'HEAD:notes' a policy source folder?" in result.stderr


def test_in_a_batch_a_policy_with_a_huge_number_does_not_stop_the_others(tmp_path):
    good = write_policy(tmp_path / "policies" / "good", {"collect.yaml": SECTION})
    bad = write_policy(tmp_path / "policies" / "bad", {"collect.yaml": SECTION})
    policy = bad / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace(
        "contact: {", "contact: {response_days: " + "1" * 5000 + ", "), "utf-8")
    result = CliRunner().invoke(cli, ["build", str(good), str(bad), "-o", str(tmp_path / "out"),
                                      "-f", "html"])
    assert result.exit_code == 1
    assert "`response_days` is too large: a whole number of at most 9 digits" in result.stderr
    assert "internal error" not in result.output + result.stderr
    assert (tmp_path / "out" / "good" / "en" / "privacy-policy.html").is_file()


def test_a_missing_glyph_is_reported_where_the_text_holds_it(tmp_path):
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION.replace(
        "We collect {email}.", "We collect {email} \ue000.")})
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "-f", "pdf"])
    assert result.exit_code == 1
    errors = [e for e in result.stderr.splitlines() if ": error: " in e]
    assert len(errors) == 1
    assert errors[0].split(": error:")[0].endswith("collect.yaml:4:24"), errors
    assert "no installed font has a glyph for '\ue000' (U+E000)" in errors[0]


def test_a_working_day_count_past_python_s_digit_limit_is_a_finding(tmp_path):
    section = ("id: contact-us\ntitle: 联系我们\nblocks:\n  - 我们将在" + "1" * 5000
               + "个工作日内答复。\n")
    src = write_policy(tmp_path / "src", {"c.yaml": section}, locale="zh-CN")
    result = CliRunner().invoke(cli, ["check", str(src), "--fail-on", "MIIT-15-DAYS"])
    assert result.exit_code == 1, result.output   # above the MIIT's 15 working days
    assert "internal error" not in result.output + result.stderr
    assert "111111111111… (5,000 digits)" in result.stderr
