"""Install anywhere: the sdist and the wheel (`python -m build`) hold policyc with every
file it reads at run time, the version comes from the git tag, and the wheel installed
into a fresh environment outside the repository runs `init`, `check`, `build` and `serve`."""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, offline_venv

TAG, VERSION = "v9.8.7", "9.8.7"
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@t"}
# where each source folder lands in the package (pyproject's package-dir)
PACKAGE_DIRS = {"tool": "policyc", "templates": "policyc/templates"}


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel built (without network) from a clean clone tagged TAG."""
    work = tmp_path_factory.mktemp("dist")
    clone = work / "policyc"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "tag", "-a", TAG, "-m", "release"], cwd=clone, check=True,
                   env={**os.environ, **GIT_IDENTITY})
    out = work / "dist"
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "-o", str(out), str(clone)],
                   check=True, capture_output=True)
    built = {path.suffix: path for path in out.iterdir()}
    return {"wheel": built[".whl"], "sdist": built[".gz"], "clone": clone}


def runtime_files(clone: Path) -> set[str]:
    """Every tracked file of the package's folders, as the package names it."""
    tracked = subprocess.run(["git", "ls-files", *PACKAGE_DIRS], cwd=clone, check=True,
                             capture_output=True, text=True).stdout.split()
    names = set()
    for path in tracked:
        folder, rest = path.split("/", 1)
        names.add(f"{PACKAGE_DIRS[folder]}/{rest}")
    return names


def test_the_wheel_holds_every_file_the_package_reads(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"policyc-{VERSION}.dist-info/METADATA").decode("utf-8")
        entry_points = wheel.read(f"policyc-{VERSION}.dist-info/entry_points.txt").decode()
    package = {name for name in names if name.startswith("policyc/")}
    assert package - {"policyc/_version.py"} == runtime_files(dists["clone"])
    assert "policyc/templates/init/zh-app/policy.yaml" in package
    assert f"Version: {VERSION}" in metadata.splitlines()
    assert "policyc = policyc.cli:run" in entry_points


def test_the_sdist_builds_the_same_package_without_git(dists):
    with tarfile.open(dists["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
        pkg_info = sdist.extractfile(f"policyc-{VERSION}/PKG-INFO").read().decode("utf-8")
    assert f"Version: {VERSION}" in pkg_info.splitlines()
    tracked = subprocess.run(["git", "ls-files", *PACKAGE_DIRS, "pyproject.toml",
                              "MANIFEST.in"], cwd=dists["clone"], check=True,
                             capture_output=True, text=True).stdout.split()
    assert set(tracked) <= names


@pytest.fixture(scope="module")
def installed(dists, tmp_path_factory) -> dict[str, str]:
    """A fresh virtual environment, outside the repository, with the wheel installed; its
    dependencies come from this test run's environment, not the network."""
    env = offline_venv(tmp_path_factory.mktemp("fresh") / "venv")
    subprocess.run([env["RUNNER_PYTHON"], "-m", "pip", "install", "-q", str(dists["wheel"])],
                   check=True, env=env, capture_output=True)
    return env


def policyc(env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["policyc", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_installed_wheel_runs_init_check_build_and_serve(installed, tmp_path):
    company = tmp_path / "company"
    company.mkdir()
    where = subprocess.run(["python", "-c", "import policyc; print(policyc.__file__)"],
                           cwd=company, env=installed, capture_output=True, text=True)
    assert "site-packages" in where.stdout and not where.stdout.startswith(str(ROOT))
    version = policyc(installed, company, "--version")
    assert version.returncode == 0 and version.stdout.split()[-1] == VERSION
    init = policyc(installed, company, "init", "policy_src", "--template", "zh-app")
    assert init.returncode == 0, init.stderr
    check = policyc(installed, company, "check", "policy_src")
    assert check.returncode == 0 and "0 errors" in check.stderr, check.stderr
    build = policyc(installed, company, "build", "policy_src", "-o", "site", "-q")
    assert build.returncode == 0, build.stderr
    for name in ("index.html", "zh-CN/privacy-policy.html", "zh-CN/privacy-policy.md",
                 "zh-CN/privacy-policy.pdf", "manifest.json"):
        assert (company / "site" / name).is_file(), name
    html = (company / "site" / "zh-CN" / "privacy-policy.html").read_text(encoding="utf-8")
    assert f'content="policyc {VERSION}"' in html
    serve = policyc(installed, company, "serve", "--help")
    assert serve.returncode == 0 and "Usage: policyc serve" in serve.stdout


def test_a_git_archive_of_the_tag_builds_with_its_version(dists, tmp_path):
    """The tarball GitHub serves for a tag (and downloads for `uses: owner/policyc@tag`)
    has no git metadata; .git_archival.txt carries the tag into it."""
    archive = subprocess.run(["git", "archive", "--prefix=policyc/", TAG], cwd=dists["clone"],
                             check=True, capture_output=True).stdout
    (tmp_path / "policyc.tar").write_bytes(archive)
    with tarfile.open(tmp_path / "policyc.tar") as tar:
        tar.extractall(tmp_path, filter="data")
    assert not (tmp_path / "policyc" / ".git").exists()
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "-o",
                    str(tmp_path / "out"), str(tmp_path / "policyc")], check=True,
                   capture_output=True)
    assert [p.name for p in (tmp_path / "out").iterdir()] == \
        [f"policyc-{VERSION}-py3-none-any.whl"]
