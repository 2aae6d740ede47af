"""The output folder holds what its manifest lists; import's staging folders of a killed
run are cleaned by the next one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_SRC, write_policy
from test_import import run_import
from policyc.build import OutputFolderError, build
from policyc.cli import cli
from policyc.diagnostics import Report


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def listed(folder: Path) -> set[str]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    return {a["path"] for a in manifest["artifacts"]} | {"manifest.json"}


def test_files_of_an_earlier_build_are_removed(tmp_path):
    src = write_policy(tmp_path / "src", {"sections/a.yaml": "title: A\nblocks:\n  - Hello.\n"})
    out = tmp_path / "out"
    build(src, out, ["html", "md"], Report())
    assert any(name.endswith(".md") for name in files_in(out))
    (out / "en" / "notes.txt").write_text("mine", "utf-8")   # never listed: kept
    build(src, out, ["html"], Report())
    assert not any(name.endswith(".md") for name in files_in(out))
    assert files_in(out) == listed(out) | {"en/notes.txt"}


def test_a_locale_dropped_from_the_policy_leaves_no_pages(tmp_path, src_copy):
    out = tmp_path / "out"
    build(src_copy, out, ["html"], Report())
    locales = {p.name for p in out.iterdir() if p.is_dir() and (p / "privacy-policy.html").exists()}
    assert len(locales) > 1
    kept = sorted(locales)[0]
    build(src_copy, out, ["html"], Report(), [kept])
    assert files_in(out) == listed(out)
    assert not any((out / other).exists() for other in locales - {kept})


def test_a_folder_policyc_did_not_build_is_refused_unless_forced(tmp_path):
    src = write_policy(tmp_path / "src", {"sections/a.yaml": "title: A\nblocks:\n  - Hello.\n"})
    out = tmp_path / "site"
    out.mkdir()
    (out / "CNAME").write_text("example.com", "utf-8")
    with pytest.raises(OutputFolderError, match="holds files policyc did not build"):
        build(src, out, ["html"], Report())
    assert files_in(out) == {"CNAME"}
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "-f", "html"])
    assert result.exit_code == 2 and "--force" in result.stderr
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "-f", "html", "--force"])
    assert result.exit_code == 0, result.output
    assert files_in(out) == listed(out) | {"CNAME"}
    build(src, out, ["html", "md"], Report())           # now policyc's: no --force needed


def test_the_same_folder_builds_again_and_again(tmp_path):
    out = tmp_path / "build"
    for formats in (["html"], ["html"], ["md"]):
        build(REFERENCE_SRC, out, formats, Report())
        assert files_in(out) == listed(out)


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_staging_folders_of_a_killed_import_are_removed_by_the_next(tmp_path):
    source = tmp_path / "policy.txt"
    source.write_text("隐私政策\n一、我们收集的信息\n我们收集您的手机号码。\n", "utf-8")
    dead, alive = dead_pid(), os.getpid()
    stale = tmp_path / f".src.import-{dead}-abcd1234"
    (stale / "sections").mkdir(parents=True)
    in_use = tmp_path / f".src.import-{alive}-efgh5678"
    in_use.mkdir()
    swapped = tmp_path / f".other.import-{dead}-ijkl9012"        # killed mid-swap
    (swapped / "previous").mkdir(parents=True)
    (swapped / "previous" / "policy.yaml").write_text("title: x\n", "utf-8")
    code, _, stderr = run_import(str(source), "-o", str(tmp_path / "src"))
    assert code == 0, stderr
    assert not stale.exists() and in_use.exists()
    code, _, stderr = run_import(str(source), "-o", str(tmp_path / "other"))
    assert code == 1 and "the folder exists" in stderr      # its previous sources came back
    assert (tmp_path / "other" / "policy.yaml").read_text("utf-8") == "title: x\n"
    assert not swapped.exists()
