"""The CI recipes run as written: the workflow's `run:` steps in a clean clone, the
pre-commit hooks' commands."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "policy.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
# What the workflow's expressions stand for in this test's run (a fork named policies).
EXPRESSIONS = {"github.repository_owner": "example",
               "github.event.repository.name": "policies"}


def expand(script: str) -> str:
    """``${{ expr }}`` replaced as GitHub Actions would for the expressions listed above."""
    def value(match: re.Match) -> str:
        expression = match.group(1).strip()
        assert expression in EXPRESSIONS, f"the test does not know ${{{{ {expression} }}}}"
        return EXPRESSIONS[expression]
    return re.sub(r"\$\{\{(.*?)\}\}", value, script)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A clean clone of this repository, tags included (as actions/checkout with depth 0)."""
    dest = tmp_path_factory.mktemp("recipe") / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    return dest


@pytest.fixture(scope="module")
def runner_env(tmp_path_factory) -> dict[str, str]:
    """A fresh virtual environment first on PATH, as setup-python gives. Packages come
    from this test run's environment (a .pth file), so `pip install .` needs no network."""
    env_dir = tmp_path_factory.mktemp("runner") / "python"
    venv.create(env_dir, with_pip=True)
    site = next(env_dir.glob("lib/python*/site-packages"))
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}", PIP_NO_INDEX="1",
               PIP_NO_BUILD_ISOLATION="0", PIP_DISABLE_PIP_VERSION_CHECK="1", CI="true",
               GITHUB_ACTIONS="true", RUNNER_PYTHON=str(env_dir / "bin" / "python"))
    return env


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_builds_uploads_and_deploys_on_tags():
    flow = workflow()
    assert flow[True]["push"]["tags"] == ["v*"]            # YAML 1.1 reads `on` as True
    steps = flow["jobs"]["build"]["steps"]
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert uses["actions/upload-artifact"]["with"]["path"] == "build/"
    assert uses["actions/upload-pages-artifact"]["if"] == "startsWith(github.ref, 'refs/tags/')"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"]["pages"] == "write"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


@pytest.mark.slow
def test_workflow_run_steps_pass_in_a_clean_clone(clone, runner_env):
    outputs = {}
    for step in workflow()["jobs"]["build"]["steps"]:
        if "run" not in step:
            continue
        run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                              expand(step["run"])], cwd=clone, env=runner_env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, (step["name"], run.stdout, run.stderr)
        outputs[step["name"]] = run.stdout + run.stderr
    installed = subprocess.run([runner_env["RUNNER_PYTHON"], "-c",
                                "import policyc; print(policyc.__file__)"],
                               capture_output=True, text=True, env=runner_env, cwd="/")
    assert installed.stdout.startswith(str(Path(runner_env["RUNNER_PYTHON"]).parent.parent))
    annotations = [line for line in outputs["Check the policy"].splitlines()
                   if line.startswith("::")]
    assert annotations and all(re.match(r"::(warning|error) file=policy_src/[^,]+,line=\d+,"
                                        r"col=\d+,title=[A-Z0-9-]+::", a) for a in annotations)
    build = clone / "build"
    for name in ("index.html", "sitemap.xml", "manifest.json", "zh-CN/privacy-policy.pdf",
                 "en/privacy-policy.html"):
        assert (build / name).is_file(), name
    assert "https://example.github.io/policies/zh-CN/privacy-policy.html" in \
        (build / "sitemap.xml").read_text(encoding="utf-8")


def test_pre_commit_hooks_name_the_commands(clone):
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"policyc-check", "policyc-schema"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert re.match(hook["files"], "policy_src/sections/01-collection.yaml")


def hook_command(hook_id: str) -> list[str]:
    hook = next(h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
                if h["id"] == hook_id)
    program, *args = hook["entry"].split()
    assert program == "policyc"
    return [sys.executable, "-m", "policyc", *args, *hook.get("args", [])]


def test_check_hook_passes_on_the_reference_and_fails_on_an_error(clone):
    assert subprocess.run(hook_command("policyc-check"), cwd=clone,
                          capture_output=True).returncode == 0
    broken = clone / "policy_src" / "policy.yaml"
    original = broken.read_text(encoding="utf-8")
    broken.write_text(original.replace("title:", "titel:", 1), encoding="utf-8")
    try:
        run = subprocess.run(hook_command("policyc-check"), cwd=clone, capture_output=True,
                             text=True)
        assert run.returncode == 1 and "did you mean `title`" in run.stderr
    finally:
        broken.write_text(original, encoding="utf-8")


def test_schema_hook_leaves_a_current_schema_alone_and_rewrites_a_stale_one(clone):
    def status() -> str:
        return subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True,
                              text=True, check=True).stdout
    assert subprocess.run(hook_command("policyc-schema"), cwd=clone,
                          capture_output=True).returncode == 0
    assert status() == ""                    # pre-commit passes: nothing was rewritten
    stale = clone / "policy_src" / "schema" / "policy.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", "stale schema"], cwd=clone, check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})
    subprocess.run(hook_command("policyc-schema"), cwd=clone, capture_output=True, check=True)
    assert "policy_src/schema/policy.schema.json" in status()   # pre-commit fails the commit
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=clone, check=True)
