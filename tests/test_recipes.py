"""The CI recipes run as written: the GitHub Action's steps in a company's repository
made by `policyc init` (and in this repository, as its workflow uses it), the GitLab CI
template's scripts, the pre-commit hooks' commands.

The steps run in order with their inputs substituted, as GitHub runs a composite action;
the steps only GitHub can run (setup-python, cache, the artifact uploads, the Pages
deployment) are stood in for: an upload copies the folder it is given. The GitHub API
the review comment talks to is a local stand-in server."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, offline_venv
from fake_forge import FakeForge

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "policy.yml"
GITLAB = ROOT / "ci" / "gitlab" / "policyc.gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@t"}
STAND_INS = ("actions/setup-python", "actions/cache", "actions/upload-pages-artifact",
             "actions/deploy-pages", "actions/upload-artifact")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_IDENTITY}).stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A clean clone of this repository, tags included (as actions/checkout with depth 0):
    the workspace of policyc's own workflow, and the action's folder (`github.action_path`)."""
    dest = tmp_path_factory.mktemp("recipe") / "policyc"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    return dest


@pytest.fixture(scope="module")
def runner_env(tmp_path_factory) -> dict[str, str]:
    """A fresh virtual environment first on PATH, as setup-python gives; `pip install`
    takes the dependencies from this test run's environment, without network."""
    env = offline_venv(tmp_path_factory.mktemp("runner") / "python")
    env.update(PIP_NO_BUILD_ISOLATION="0", CI="true", **GIT_IDENTITY)
    return env


@pytest.fixture
def company(tmp_path) -> Path:
    """A company's repository: a policy made by `policyc init`, committed on main and
    pushed to its origin (a bare repository), checked out as actions/checkout does."""
    origin = tmp_path / "origin.git"
    git("init", "-q", "--bare", "-b", "main", str(origin), cwd=tmp_path)
    work = tmp_path / "company-policy"
    git("clone", "-q", str(origin), str(work), cwd=tmp_path)
    subprocess.run([sys.executable, "-m", "policyc", "init", "policy_src", "--template",
                    "zh-app"], cwd=work, check=True, capture_output=True)
    git("symbolic-ref", "HEAD", "refs/heads/main", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "privacy policy", cwd=work)
    git("push", "-q", "origin", "main", cwd=work)
    return work


# --------------------------------------------------------------------------- the runner


class ActionRun:
    """One run of action.yml's steps in ``workspace`` with the inputs ``with_``."""

    def __init__(self, workspace: Path, action_path: Path, env: dict, with_: dict[str, str],
                 context: dict[str, str], temp: Path):
        action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
        unknown = set(with_) - set(action["inputs"])
        assert not unknown, f"not inputs of the action: {unknown}"
        self.steps = action["runs"]["steps"]
        self.context = {"github.action_path": str(action_path), "github.token": "test-token",
                        "github.sha": "0" * 40, "github.action_ref": "", "runner.os": "Linux",
                        "runner.temp": str(temp), **context}
        self.inputs = {name: self.expand(str(with_.get(name, spec.get("default", ""))))
                       for name, spec in action["inputs"].items()}
        self.workspace, self.temp = workspace, temp
        self.env = {**env, "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(action_path),
                    "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(temp),
                    "GITHUB_REPOSITORY": f"{context['github.repository_owner']}/"
                                         f"{context['github.event.repository.name']}",
                    "GITHUB_REPOSITORY_OWNER": context["github.repository_owner"],
                    "GITHUB_STEP_SUMMARY": str(temp / "summary.md")}
        self.outputs: dict[str, dict[str, str]] = {}
        self.logs: dict[str, str] = {}
        self.uploads: dict[str, Path] = {}
        self.deployed = False

    def value(self, expression: str) -> str:
        """What one expression stands for: inputs, step outputs, the github and runner
        contexts given; ``a || b``; the test fails on any other."""
        expression = expression.strip()
        if "||" in expression:
            return next((v for v in map(self.value, expression.split("||")) if v), "")
        if expression.startswith("inputs."):
            return self.inputs[expression[len("inputs."):]]
        if match := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        assert expression in self.context, f"the test does not know ${{{{ {expression} }}}}"
        return self.context[expression]

    def condition(self, expression: str) -> bool:
        """An `if:` of the action: comparisons joined by &&."""
        for part in expression.split("&&"):
            left, op, right = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*'([^']*)'\s*", part).groups()
            if (self.value(left) == right) != (op == "=="):
                return False
        return True

    def expand(self, text: str) -> str:
        """``${{ expr }}`` replaced as GitHub Actions would."""
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.value(m.group(1)), text)

    def run(self) -> subprocess.CompletedProcess | None:
        """Every step in order; returns the failed step's process (None when all pass)."""
        for step in self.steps:
            if "if" in step and not self.condition(step["if"]):
                continue
            if "uses" in step:
                self.stand_in(step)
                continue
            run = self.run_step(step)
            if run.returncode != 0:
                return run
        return None

    def run_step(self, step: dict) -> subprocess.CompletedProcess:
        """One `run:` step with bash, its env and GITHUB_OUTPUT as GitHub gives them."""
        assert step["shell"] == "bash"
        outputs = self.temp / "github-output"
        outputs.write_text("")
        env = {**self.env, "GITHUB_OUTPUT": str(outputs),
               **{k: self.expand(str(v)) for k, v in step.get("env", {}).items()}}
        run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                              self.expand(step["run"])], cwd=self.workspace, env=env,
                             capture_output=True, text=True, timeout=900)
        self.logs[step["name"]] = run.stdout + run.stderr
        if run.returncode == 0 and "id" in step:
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in
                                            outputs.read_text().splitlines() if line)
        return run

    def stand_in(self, step: dict) -> None:
        """What GitHub's own actions do, as far as the test can see it."""
        name = step["uses"].split("@")[0]
        assert name in STAND_INS, f"the test has no stand-in for {name}"
        with_ = {k: self.expand(str(v)) for k, v in step.get("with", {}).items()}
        if name in ("actions/upload-pages-artifact", "actions/upload-artifact"):
            artifact = with_.get("name", "github-pages")
            source = Path(with_["path"])
            copy = self.temp / "uploaded" / artifact
            if source.is_dir():
                shutil.copytree(source, copy)
            else:
                copy.mkdir(parents=True)
                shutil.copy(source, copy / source.name)
            self.uploads[artifact] = copy
            if "id" in step:
                self.outputs[step["id"]] = {"artifact-url": f"https://github.test/artifacts/"
                                                            f"{artifact}"}
        elif name == "actions/deploy-pages":
            assert "github-pages" in self.uploads, "deployed before the Pages artifact"
            self.deployed = True


def propose_collecting_email(company: Path) -> Path:
    """A branch of the company's repository on which the policy collects one more item
    (a material change); returns the section file changed."""
    git("checkout", "-q", "-b", "more-data", cwd=company)
    collection = company / "policy_src" / "sections" / "01-collection.yaml"
    text = collection.read_text(encoding="utf-8")
    phone = "          - name: 手机号码\n"
    assert phone in text
    collection.write_text(text.replace(phone, "          - name: 电子邮箱地址\n"
                                              "            category: 个人基本信息\n" + phone, 1),
                          encoding="utf-8")
    git("commit", "-qam", "collect the e-mail address", cwd=company)
    return collection


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def manifest_files(manifest: Path) -> set[str]:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return {"manifest.json", *(a["path"] for a in data["artifacts"])}


def company_context(**more: str) -> dict[str, str]:
    return {"github.repository_owner": "Acme", "github.event.repository.name": "company-policy",
            "github.event_name": "push", **more}


# --------------------------------------------------------------------------- GitHub Action


def test_action_is_composite_with_the_documented_inputs():
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"src", "out", "formats", "base-url", "profile", "fail-on"} <= set(action["inputs"])
    uses = [s["uses"].split("@")[0] for s in action["runs"]["steps"] if "uses" in s]
    assert uses[:2] == ["actions/setup-python", "actions/cache"]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses


def test_action_publishes_the_manifests_files_and_nothing_else(company, clone, runner_env,
                                                               tmp_path):
    # what `pip install .` leaves in a repository's build/, the folder the site is built into
    leftover = company / "build" / "lib" / "policyc"
    leftover.mkdir(parents=True)
    (leftover / "cli.py").write_text("print('not the policy')\n")
    run = ActionRun(company, clone, runner_env, {"out": "build", "deploy": "true"},
                    company_context(), tmp_path / "runner")
    run.temp.mkdir()
    failed = run.run()
    assert failed is None, (failed.stdout, failed.stderr)
    installed = subprocess.run([runner_env["RUNNER_PYTHON"], "-c",
                                "import policyc; print(policyc.__file__)"],
                               capture_output=True, text=True, env=runner_env, cwd="/")
    assert installed.stdout.startswith(str(Path(runner_env["RUNNER_PYTHON"]).parent.parent))
    # the template's example facts are findings (warnings): annotated, not failing the job
    annotations = [line for line in run.logs["Check the policy"].splitlines()
                   if line.startswith("::")]
    assert annotations and all(re.match(r"::(warning|error|notice) file=policy_src/[^,]+,"
                                        r"line=\d+,col=\d+,title=[A-Z0-9-]+::", a)
                               for a in annotations)
    site = run.uploads["github-pages"]
    assert files(site) == manifest_files(company / "build" / "manifest.json")
    assert not any(name.endswith(".py") for name in files(site))
    assert "zh-CN/privacy-policy.pdf" in files(site) and run.deployed
    assert "https://acme.github.io/company-policy/zh-CN/privacy-policy.html" in \
        (site / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("repository, address", [
    ("company-policy", "https://acme.github.io/company-policy/"),
    ("Acme.github.io", "https://acme.github.io/"),          # the owner's own Pages site
])
def test_action_builds_for_the_repositorys_pages_address(tmp_path, repository, address):
    """The build step's arguments, seen by a stand-in `policyc` that records them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "policyc").write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$RECORD"\n')
    (bin_dir / "policyc").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "RECORD": str(tmp_path / "args")}
    run = ActionRun(tmp_path, tmp_path, env, {"formats": "html, pdf", "src": "policy"},
                    company_context(**{"github.event.repository.name": repository}),
                    tmp_path / "runner")
    run.temp.mkdir()
    step = next(s for s in run.steps if s.get("id") == "build")
    assert run.run_step(step).returncode == 0
    assert (tmp_path / "args").read_text().split("\n")[:-1] == [
        "build", "policy", "-o", f"{run.temp}/policyc/build", "-q", "--force", "--base-url", address,
        "--format", "html", "--format", "pdf"]
    assert run.outputs["build"] == {"out": f"{run.temp}/policyc/build"}


def test_action_fails_on_warnings_when_asked(company, clone, runner_env, tmp_path):
    run = ActionRun(company, clone, runner_env, {"fail-on": "warning"}, company_context(),
                    tmp_path / "runner")
    run.temp.mkdir()
    failed = run.run()
    assert failed is not None and list(run.logs)[-1] == "Check the policy"
    assert failed.returncode == 1 and "::warning file=policy_src/" in failed.stdout
    assert "github-pages" not in run.uploads


def test_action_comments_once_on_a_pull_request_with_the_diff_and_the_redline(
        company, clone, runner_env, tmp_path):
    collection = propose_collecting_email(company)
    repo = "/repos/Acme/company-policy/issues"
    github = FakeForge(f"{repo}/7/comments", ("Authorization", "Bearer test-token"),
                       item=f"{repo}/comments")
    github.comments.append({"id": 100, "body": "Looks good to me", "user": "reviewer"})
    context = company_context(**{"github.event_name": "pull_request",
                                 "github.event.pull_request.base.ref": "main",
                                 "github.event.pull_request.number": "7"})
    try:
        bodies = []
        for push in range(2):   # the pull request's first push, then a second one
            if push:
                text = collection.read_text(encoding="utf-8")
                collection.write_text(text.replace("创建账号并验证您的身份",
                                                   "创建账号、验证您的身份", 1), encoding="utf-8")
                git("commit", "-qam", "reword a purpose", cwd=company)
            temp = tmp_path / f"runner-{push}"
            temp.mkdir()
            run = ActionRun(company, clone, {**runner_env, "GITHUB_API_URL": github.url},
                            {"formats": "html"}, context, temp)
            failed = run.run()
            assert failed is None, (failed.stdout, failed.stderr)
            mine = [c for c in github.comments if c["user"] != "reviewer"]
            assert len(mine) == 1, github.calls        # updated, never repeated
            bodies.append(mine[0]["body"])
            redline = run.uploads["policy-redline"] / "redline.docx"
            with zipfile.ZipFile(redline) as docx:
                document = docx.read("word/document.xml").decode("utf-8")
            assert "<w:ins " in document and "电子邮箱地址" in document
        assert github.comments[0]["body"] == "Looks good to me"   # others' comments untouched
        assert github.writes() == ["POST", "PATCH"]
    finally:
        github.close()
    first, second = bodies
    assert first.startswith("<!-- policyc review: policy_src -->\n")
    assert "material changes against `main`" in first and "电子邮箱地址" in first
    lines = first.splitlines()
    material = [i for i, line in enumerate(lines) if line.startswith("material:")]
    minor = [i for i, line in enumerate(lines) if line.startswith("minor:")]
    assert material and (not minor or max(material) < min(minor)), first   # material first
    assert "https://github.test/artifacts/policy-redline" in first
    assert "验证您的身份" in second and second != first
    assert run.outputs["diff"]["outcome"] == "material"


# --------------------------------------------------------------------------- this repository


def test_workflow_uses_the_action_and_leaves_pages_to_the_manual():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert flow[True]["push"]["tags"] == ["v*"]            # YAML 1.1 reads `on` as True
    job = flow["jobs"]["build"]
    assert job["permissions"]["pull-requests"] == "write"
    checkout, action = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@") and \
        checkout["with"]["fetch-depth"] == 0
    assert action["uses"] == "./"
    assert "deploy" not in flow["jobs"] and "deploy" not in action.get("with", {})


def test_the_manual_is_this_repositorys_pages_site_with_the_reference_policy():
    flow = yaml.safe_load((WORKFLOW.parent / "docs.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make docs" in runs and "policyc publish" in runs and "site/example" in runs
    upload = next(step for step in steps if step.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/"
    deploy = flow["jobs"]["deploy"]
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


@pytest.mark.slow
def test_workflow_builds_this_repositorys_policy_in_a_clean_clone(clone, runner_env, tmp_path):
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    action = flow["jobs"]["build"]["steps"][1]
    run = ActionRun(clone, clone, runner_env, action["with"],
                    {"github.repository_owner": "example",
                     "github.event.repository.name": "policies", "github.event_name": "push"},
                    tmp_path / "runner")
    run.temp.mkdir()
    failed = run.run()
    assert failed is None, (failed.stdout, failed.stderr)
    site = run.uploads["github-pages"]
    assert files(site) == manifest_files(Path(run.outputs["build"]["out"]) / "manifest.json")
    for name in ("index.html", "sitemap.xml", "zh-CN/privacy-policy.pdf",
                 "en/privacy-policy.html"):
        assert (site / name).is_file(), name
    assert "https://example.github.io/policies/zh-CN/privacy-policy.html" in \
        (site / "sitemap.xml").read_text(encoding="utf-8")
    # pip's in-tree build wrote build/ in the work tree; none of it was published
    assert not any(name.endswith(".py") for name in files(site))


# --------------------------------------------------------------------------- GitLab CI


def gitlab_job(job: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A job's before_script and script run as one bash script, as a GitLab runner runs
    them, with the template's variables under ``env``."""
    template = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    spec = template[job]
    base = template[spec["extends"]] if "extends" in spec else {}
    script = "\n".join([*spec.get("before_script", base.get("before_script", [])),
                        *spec["script"]])
    variables = {k: str(v) for k, v in template["variables"].items()}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=cwd, env={**variables, **env}, capture_output=True, text=True,
                          timeout=900)


def gitlab_env(runner_env: dict, clone: Path, company: Path, tmp_path: Path, **more: str):
    return {**runner_env, "POLICYC_PACKAGE": str(clone), "CI_PROJECT_DIR": str(company),
            "PIP_CACHE_DIR": str(tmp_path / "pip-cache"), "GITLAB_CI": "true", **more}


def test_gitlab_pages_job_publishes_the_manifests_files(company, clone, runner_env, tmp_path):
    template = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert template["pages"]["artifacts"]["paths"] == ["public"]
    (company / "public").mkdir()
    (company / "public" / "stale.html").write_text("an earlier deployment")
    env = gitlab_env(runner_env, clone, company, tmp_path, POLICYC_BUILD=str(tmp_path / "build"),
                     POLICYC_FORMATS="html md",
                     CI_PAGES_URL="https://acme.gitlab.io/company-policy")
    for job in ("policyc-check", "pages"):
        run = gitlab_job(job, company, env)
        assert run.returncode == 0, (job, run.stdout, run.stderr)
    public = company / "public"
    assert files(public) == manifest_files(tmp_path / "build" / "manifest.json")
    assert "https://acme.gitlab.io/company-policy/zh-CN/privacy-policy.html" in \
        (public / "sitemap.xml").read_text(encoding="utf-8")
    findings = json.loads((company / "policyc-check.json").read_text(encoding="utf-8"))
    assert findings["summary"]["errors"] == 0


def test_gitlab_merge_request_gets_the_diff_the_redline_and_one_note(company, clone, runner_env,
                                                                     tmp_path):
    propose_collecting_email(company)
    notes = "/api/v4/projects/42/merge_requests/3/notes"
    gitlab = FakeForge(notes, ("PRIVATE-TOKEN", "glpat-test"))
    env = gitlab_env(runner_env, clone, company, tmp_path, CI_API_V4_URL=f"{gitlab.url}/api/v4",
                     CI_PROJECT_ID="42", CI_MERGE_REQUEST_IID="3", POLICYC_GITLAB_TOKEN="glpat-test",
                     CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main")
    try:
        for _ in range(2):   # two pipelines of the merge request
            run = gitlab_job("policyc-review", company, env)
            assert run.returncode == 0, (run.stdout, run.stderr)
    finally:
        gitlab.close()
    assert gitlab.writes() == ["POST", "PUT"] and len(gitlab.comments) == 1
    note = gitlab.comments[0]["body"]
    assert note.startswith("<!-- policyc review: policy_src -->") and "电子邮箱地址" in note
    review = company / "policyc-review"
    assert (review / "comment.md").read_text(encoding="utf-8") == note
    with zipfile.ZipFile(review / "redline.docx") as docx:
        assert "<w:ins " in docx.read("word/document.xml").decode("utf-8")


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_hooks_name_the_commands():
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
                   env={**os.environ, **GIT_IDENTITY})
    subprocess.run(hook_command("policyc-schema"), cwd=clone, capture_output=True, check=True)
    assert "policy_src/schema/policy.schema.json" in status()   # pre-commit fails the commit
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=clone, check=True)
