"""The review comment (`python -m policyc.review`): what it says for each outcome of
`policyc diff`, and how it finds its own comment again on GitLab and on a fork."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from fake_forge import FakeForge
from policyc.review import comment_body, fenced, main, shortened

NOTES = "/api/v4/projects/42/merge_requests/3/notes"


@pytest.fixture
def review(tmp_path) -> Path:
    folder = tmp_path / "review"
    folder.mkdir()
    return folder


def test_a_diff_is_shown_as_written_in_a_block_no_backticks_can_close(review):
    text = "changelog\n\nmaterial: purposes\n  ~ ```code``` in a purpose\n"
    (review / "diff.txt").write_text(text, encoding="utf-8")
    (review / "diff.json").write_text(json.dumps({"outcome": "material"}))
    body = comment_body("policy_src", "main", review, "1", "https://x.test/a/1")
    tokens = MarkdownIt().parse(body)
    blocks = [t.content for t in tokens if t.type == "fence"]
    assert blocks == [text]
    assert body.startswith("<!-- policyc review: policy_src -->\n")
    assert "material changes against `main`" in body
    assert "[policy-redline](https://x.test/a/1)" in body


def test_no_changes_and_cannot_compare(review):
    assert "no changes against `main`" in comment_body("policy_src", "main", review, "0", "")
    (review / "diff.err").write_text("policyc diff: no policy_src at revision origin/main\n")
    body = comment_body("policy_src", "main", review, "2", "")
    assert "cannot compare with `main`" in body and "no policy_src at revision" in body


def test_a_long_diff_is_cut_at_a_line_saying_how_much_is_left():
    text = "".join(f"line {n}\n" for n in range(1000))
    short = shortened(text, 100)
    assert len(short) < 200 and short.splitlines()[-2] == text[:100].rsplit("\n", 1)[0] \
        .splitlines()[-1]
    assert re.search(r"… \d+ more lines: the Word redline holds every change", short)
    assert fenced("a ```` b").startswith("`````text\n")


def gitlab_env(monkeypatch, url: str) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_API_V4_URL", url)
    monkeypatch.setenv("CI_PROJECT_ID", "42")
    monkeypatch.setenv("CI_MERGE_REQUEST_IID", "3")
    monkeypatch.setenv("POLICYC_GITLAB_TOKEN", "glpat-test")


def test_gitlab_merge_request_gets_one_note_updated_on_each_push(review, monkeypatch):
    gitlab = FakeForge(NOTES, ("PRIVATE-TOKEN", "glpat-test"))
    gitlab_env(monkeypatch, f"{gitlab.url}/api/v4")
    args = ["--src", "policy_src", "--base", "main", "--review", str(review), "--status", "0"]
    (review / "diff.txt").write_text("1 change, minor\n\nminor:\n  ~ wording\n")
    try:
        assert main(args) == 0                   # the policy is not changed: no note
        assert gitlab.calls and not gitlab.writes()
        assert main([*args[:-1], "1"]) == 0      # a push changes it
        assert "~ wording" in gitlab.comments[0]["body"]
        assert main([*args[:-1], "1"]) == 0
        assert main(args) == 0                   # the change is undone: the note says so
    finally:
        gitlab.close()
    assert gitlab.writes() == ["POST", "PUT", "PUT"]
    assert all(c.split()[1].startswith(NOTES) for c in gitlab.calls)
    assert len(gitlab.comments) == 1 and "no changes against `main`" in gitlab.comments[0]["body"]
    assert (review / "comment.md").read_text() == gitlab.comments[0]["body"]


def test_a_forks_read_only_token_leaves_the_review_in_the_summary(review, monkeypatch, capsys,
                                                                   tmp_path):
    github = FakeForge("/repos/acme/policy/issues/5/comments", ("Authorization", "x"),
                       status=403)
    monkeypatch.delenv("GITLAB_CI", raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_TOKEN", "read-only")
    monkeypatch.setenv("GITHUB_API_URL", github.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/policy")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    try:
        code = main(["--src", "policy_src", "--base", "main", "--review", str(review),
                     "--status", "0", "--number", "5"])
    finally:
        github.close()
    assert code == 0 and "::warning::cannot comment on this request (HTTP 403)" in \
        capsys.readouterr().out
    assert "no changes against `main`" in (tmp_path / "summary.md").read_text()
    assert github.calls == ["GET /repos/acme/policy/issues/5/comments?per_page=100&page=1"]
