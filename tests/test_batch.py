"""Batch builds: several policies in one call, in parallel or not, with progress lines."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate_batch
from conftest import ROOT

PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] (built|up to date) (\S+) \(([\d,]+) bytes\)$")


def policyc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policyc", *args], capture_output=True,
                          text=True, cwd=ROOT)


def outputs(out: Path) -> dict[str, bytes]:
    """Every artifact of every policy in a batch output folder, and the manifests."""
    files = {}
    for manifest in sorted(out.glob("*/manifest.json")):
        folder = manifest.parent
        files[manifest.relative_to(out).as_posix()] = manifest.read_bytes()
        for artifact in json.loads(manifest.read_text(encoding="utf-8"))["artifacts"]:
            files[f"{folder.name}/{artifact['path']}"] = (folder / artifact["path"]).read_bytes()
    return files


@pytest.fixture(scope="module")
def policies(tmp_path_factory) -> Path:
    """A folder of two generated policies."""
    root = tmp_path_factory.mktemp("batch") / "policies"
    generate_batch(root, 2)
    return root


@pytest.fixture(scope="module")
def batch_runs(policies, tmp_path_factory) -> dict[int, tuple[Path, subprocess.CompletedProcess]]:
    """The folder of policies built (zh-CN only) with -j 1 and with -j 2."""
    runs = {}
    for jobs in (1, 2):
        out = tmp_path_factory.mktemp(f"out-j{jobs}")
        runs[jobs] = out, policyc("build", str(policies), "-o", str(out), "-l", "zh-CN",
                                  "-j", str(jobs))
    return runs


def test_parallel_outputs_are_byte_identical_to_sequential(batch_runs):
    (out1, run1), (out2, run2) = batch_runs[1], batch_runs[2]
    assert run1.returncode == 0, run1.stderr
    assert run2.returncode == 0, run2.stderr
    sequential = outputs(out1)
    assert {name.split("/")[0] for name in sequential} == {"policy-01", "policy-02"}
    assert any(name.endswith(".pdf") for name in sequential)
    assert outputs(out2) == sequential


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_progress_line_per_artifact(batch_runs, jobs):
    out, run = batch_runs[jobs]
    *lines, root = run.stdout.splitlines()
    assert root == f"built {out / 'index.html'} and manifest.json (every policy of the batch)"
    lines = [PROGRESS.match(line) for line in lines]
    assert all(lines), run.stdout
    reported = {Path(m.group(4)).resolve().relative_to(out.resolve()).as_posix(): m
                for m in lines}
    artifacts = {name for name in outputs(out) if not name.endswith("manifest.json")}
    assert set(reported) == artifacts
    assert len(lines) == len(artifacts)
    assert {m.group(1) for m in lines} == {"1", "2"} and {m.group(2) for m in lines} == {"2"}
    for name, match in reported.items():
        assert match.group(3) == "built"
        assert int(match.group(5).replace(",", "")) == (out / name).stat().st_size


def test_a_rebuild_reports_every_artifact_up_to_date(policies, batch_runs):
    out, _ = batch_runs[1]
    run = policyc("build", str(policies), "-o", str(out), "-l", "zh-CN", "-f", "html")
    assert run.returncode == 0, run.stderr
    states = {PROGRESS.match(line).group(3) for line in run.stdout.splitlines()
              if "privacy-policy" in line}
    assert states == {"up to date"}


def test_several_source_folders_build_side_by_side(policies, tmp_path):
    out = tmp_path / "out"
    run = policyc("build", str(policies / "policy-02"), str(policies / "policy-01"), "-o",
                  str(out), "-f", "md", "-l", "zh-CN", "-q")
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    for name, app in (("policy-01", "示例应用01"), ("policy-02", "示例应用02")):
        assert app in (out / name / "zh-CN" / "privacy-policy.md").read_text(encoding="utf-8")


def test_two_policies_with_one_folder_name_are_a_usage_error(policies, tmp_path):
    run = policyc("build", str(policies / "policy-01"), str(policies / ".." / "policies" /
                  "policy-01"), "-o", str(tmp_path / "out"), "-f", "md")
    assert run.returncode == 2
    assert "two policies would both build into" in run.stderr


def test_an_error_in_one_policy_fails_the_batch_with_its_location(policies, tmp_path):
    broken = tmp_path / "policies"
    generate_batch(broken, 2)
    policy = broken / "policy-02" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("{email}", "{e-mail}", 1),
                      encoding="utf-8")
    run = policyc("build", str(broken), "-o", str(tmp_path / "out"), "-f", "md", "-j", "2")
    assert run.returncode == 1
    assert re.search(r"policy-02/policy\.yaml:\d+:\d+: error: ", run.stderr), run.stderr
    assert (tmp_path / "out" / "policy-01" / "zh-CN" / "privacy-policy.md").is_file()
    assert not (tmp_path / "out" / "policy-02").exists()
