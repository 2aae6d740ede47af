"""The review comment of a pull request (GitHub) or merge request (GitLab): what
`policyc diff` found against the base branch, material changes first, and a link to the
Word redline. One comment per policy folder, found again by its hidden first line and
updated on every push, never posted twice. The GitHub Action and the GitLab CI template
run it after `policyc diff`:

    python -m policyc.review --src policy_src --base main --review DIR --status N
        [--number PR] [--redline-url URL]

DIR holds diff.txt (`policyc diff` text), diff.err and diff.json; N is the exit status
of `policyc diff` (0 no changes, 1 changes, 2 cannot compare). GitHub: GITHUB_TOKEN,
GITHUB_REPOSITORY, GITHUB_API_URL. GitLab: POLICYC_GITLAB_TOKEN (a token that may comment),
CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID. The comment is also written to
DIR/comment.md and, on GitHub, to the job summary.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

COMMENT_LIMIT = 60_000      # characters of the diff shown (GitHub takes 65,536 in all)
PAGE_SIZE, PAGE_LIMIT = 100, 50
TIMEOUT = 30


def marker(src: str) -> str:
    """The hidden first line that identifies this policy's comment."""
    return f"<!-- policyc review: {src} -->"


def fenced(text: str) -> str:
    """``text`` in a code block whose fence no backtick run inside it can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def shortened(text: str, limit: int = COMMENT_LIMIT) -> str:
    """``text`` cut at a line end to at most ``limit`` characters, saying how much is left."""
    if len(text) <= limit:
        return text
    kept = text[:limit].rsplit("\n", 1)[0]
    rest = text[len(kept):].count("\n")
    return f"{kept}\n… {rest} more lines: the Word redline holds every change\n"


def comment_body(src: str, base: str, review: Path, status: str, redline_url: str) -> str:
    """The comment: a heading with the outcome, the changelog (material changes first, as
    `policyc diff` orders it) and the redline's link."""
    def read(name: str) -> str:
        path = review / name
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    lines = [marker(src)]
    if status == "0":
        lines.append(f"### Privacy policy `{src}`: no changes against `{base}`")
    elif status == "1":
        try:
            outcome = json.loads(read("diff.json")).get("outcome", "changed")
        except ValueError:
            outcome = "changed"
        lines.append(f"### Privacy policy `{src}`: {outcome} changes against `{base}`")
        if outcome == "material":
            lines.append("Material changes are listed first; users must be told of them "
                         "before they take effect.")
        lines += ["", fenced(shortened(read("diff.txt")))]
        if redline_url:
            lines += ["", f"Word redline (tracked changes): [policy-redline]({redline_url})"]
        else:
            lines += ["", "The Word redline (tracked changes) is attached to this run as the "
                          "artifact `policy-redline`."]
    else:
        lines.append(f"### Privacy policy `{src}`: cannot compare with `{base}`")
        lines += ["", fenced(shortened(read("diff.err") or "policyc diff failed"))]
    return "\n".join(lines) + "\n"


class Forge:
    """The comments of one pull or merge request, over the forge's REST API."""

    def __init__(self, comments_url: str, comment_url: str, headers: dict[str, str],
                 method_update: str):
        self.comments_url, self.comment_url = comments_url, comment_url
        self.headers, self.method_update = headers, method_update

    def request(self, method: str, url: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {**self.headers, "Content-Type": "application/json"}
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method),
                                    timeout=TIMEOUT) as response:
            return json.loads(response.read() or b"null")

    def find(self, first_line: str) -> dict | None:
        """The comment whose body starts with ``first_line``, if any."""
        for page in range(1, PAGE_LIMIT + 1):
            comments = self.request("GET", f"{self.comments_url}?per_page={PAGE_SIZE}"
                                           f"&page={page}")
            if not isinstance(comments, list) or \
                    not all(isinstance(comment, dict) for comment in comments):
                raise ValueError("the list of comments is not a list of comments")
            for comment in comments:
                if str(comment.get("body", "")).startswith(first_line):
                    return comment
            if len(comments) < PAGE_SIZE:
                return None
        return None

    def post(self, body: str, new: bool = True) -> str:
        """Update this policy's comment, or post it when there is none and ``new`` allows
        it; says what was done."""
        found = self.find(body.split("\n", 1)[0])
        if found is None:
            if not new:
                return "no need for"
            self.request("POST", self.comments_url, {"body": body})
            return "posted"
        self.request(self.method_update, self.comment_url.format(id=found["id"]), {"body": body})
        return "updated"


def forge(number: str) -> Forge | None:
    """The forge this job runs on, or None without a token to comment with."""
    env = os.environ
    if env.get("GITHUB_ACTIONS") and env.get("GITHUB_TOKEN"):
        api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
        repo = f"{api}/repos/{env['GITHUB_REPOSITORY']}/issues"
        return Forge(f"{repo}/{number}/comments", f"{repo}/comments/{{id}}",
                     {"Authorization": f"Bearer {env['GITHUB_TOKEN']}",
                      "Accept": "application/vnd.github+json"}, "PATCH")
    if env.get("GITLAB_CI") and env.get("POLICYC_GITLAB_TOKEN"):
        notes = (f"{env['CI_API_V4_URL'].rstrip('/')}/projects/{env['CI_PROJECT_ID']}"
                 f"/merge_requests/{number or env['CI_MERGE_REQUEST_IID']}/notes")
        return Forge(notes, f"{notes}/{{id}}", {"PRIVATE-TOKEN": env["POLICYC_GITLAB_TOKEN"]},
                     "PUT")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--review", required=True, type=Path)
    parser.add_argument("--status", required=True)
    parser.add_argument("--number", default="")
    parser.add_argument("--redline-url", default="")
    args = parser.parse_args(argv)
    body = comment_body(args.src, args.base, args.review, args.status, args.redline_url)
    (args.review / "comment.md").write_text(body, encoding="utf-8")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(body)
    target = forge(args.number)
    if target is None:
        print(f"no token to comment with: the review is in {args.review / 'comment.md'}")
        return 0
    try:
        # a request that leaves the policy alone gets no comment, unless it had one before
        print(f"{target.post(body, new=args.status != '0')} the review comment of {args.src}")
    except urllib.error.HTTPError as exc:
        if exc.code == 403:   # a fork's pull request gets a read-only token
            print(f"::warning::cannot comment on this request (HTTP {exc.code}); the review "
                  "is in the job summary")
            return 0
        print(f"cannot comment: HTTP {exc.code} {exc.reason}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"cannot comment: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
