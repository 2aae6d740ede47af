"""Every file policyc reads goes through one reader: a regular file, inside its folder,
read with a bound that does not trust st_size. FIFOs, devices and symlinks leaving the
folder are errors with their path, never a hang or an unbounded read."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_policy

POLICYC = Path(sys.executable).parent / "policyc"
SECTION = "id: collect\ntitle: What we collect\nblocks:\n  - We collect {email}.\n"
CATALOG = "locale: zh-CN\ntexts: []\n"


def project(tmp_path: Path) -> Path:
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    policy = src / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("locale: en\n",
                                                        "locale: en\nlocales: [en, zh-CN]\n"),
                      "utf-8")
    (src / "translations").mkdir()
    return src


def build(src: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(POLICYC), "build", str(src), "-o", str(out), "-f", "html",
                           "--allow-missing"], capture_output=True, text=True, timeout=60)


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "directory"])
@pytest.mark.parametrize("which", ["translations/zh-CN.yaml", "collect.yaml", "policy.yaml"])
def test_a_file_that_is_not_a_regular_file_inside_the_folder_is_an_error(tmp_path, kind, which):
    src = project(tmp_path)
    target = src / which
    outside = tmp_path / "secret.yaml"
    outside.write_text(CATALOG if "translations" in which else SECTION, "utf-8")
    if target.exists():
        target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "outside":
        target.symlink_to(outside)
    else:
        target.mkdir()
    result = build(src, tmp_path / "out")   # the time-out catches a hang
    assert result.returncode == 1, result.stderr
    shown = [e for e in errors(result) if which.split("/")[-1] in e]
    assert shown, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_template_fifo_is_an_error_not_a_hang(tmp_path):
    src = project(tmp_path)
    (tmp_path / "templates" / "html").mkdir(parents=True)
    os.mkfifo(tmp_path / "templates" / "html" / "policy.html.j2")
    result = build(src, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert "policy.html.j2" in result.stderr and "not a regular file" in result.stderr


def test_a_symlink_inside_the_folder_is_read(tmp_path):
    src = project(tmp_path)
    (src / "translations" / "zh-CN.yaml").unlink(missing_ok=True)
    (src / "real.yaml").write_text(SECTION, "utf-8")
    (src / "collect.yaml").unlink()
    (src / "collect.yaml").symlink_to("real.yaml")
    result = build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
