"""Inline text: the syntax the editions show, links built from variables and ids, and a
parser whose time is linear in the text whatever it holds."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from policyc.cli import cli

from conftest import write_policy

PROSE = """\
id: prose
title: Texts
blocks:
  - "A ***bold italic*** b, _italic_, __bold__ and ++key clause++ here."
  - "Literal: snake_case_name, C++ and C++, 1+1=2, a ++ b."
  - "Write to [{email}](mailto:{email}) or see [the SDK list]({ref:sdks})."
  - "Our [cookie policy](/legal/cookies) and [terms](terms.html)."
  - "中文下划线：++本条为重要条款++，请仔细阅读。"
sections:
  - id: sdks
    title: Third parties
    blocks: [SDKs we use.]
"""


def build(tmp_path: Path, prose: str = PROSE, extra: str = "base_url: https://example.com/privacy/\n"):
    src = write_policy(tmp_path / "src", {"prose.yaml": prose})
    policy = src / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + extra, "utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"),
                                      "-f", "html", "-f", "md"])
    return result, tmp_path / "out" / "en"


def test_emphasis_underline_and_links_in_html(tmp_path):
    result, out = build(tmp_path)
    assert result.exit_code == 0, result.output
    page = lxml.html.parse(str(out / "privacy-policy.html")).getroot()
    first = next(p for p in page.iter("p") if "bold italic" in p.text_content())
    assert [(e.tag, e.text_content()) for e in first.iter("strong", "em", "u")] == [
        ("em", "bold italic"), ("strong", "bold italic"), ("em", "italic"), ("strong", "bold"),
        ("u", "key clause")]
    literal = next(p for p in page.iter("p") if "snake_case" in p.text_content())
    assert literal.text_content() == "Literal: snake_case_name, C++ and C++, 1+1=2, a ++ b."
    assert not list(literal.iter("em", "strong", "u"))
    links = {a.text_content(): a.get("href") for a in page.iter("a")}
    assert links["privacy@example.com"] == "mailto:privacy@example.com"
    target = page.get_element_by_id(links["the SDK list"].removeprefix("#"))
    assert "Third parties" in target.text_content()
    assert links["cookie policy"] == "https://example.com/legal/cookies"
    assert links["terms"] == "https://example.com/privacy/terms.html"
    cjk = next(p for p in page.iter("p") if "下划线" in p.text_content())
    assert [u.text_content() for u in cjk.iter("u")] == ["本条为重要条款"]


def test_emphasis_underline_and_links_in_markdown(tmp_path):
    result, out = build(tmp_path)
    assert result.exit_code == 0, result.output
    text = (out / "privacy-policy.md").read_text("utf-8")
    html = lxml.html.fromstring(MarkdownIt("commonmark").render(text))
    first = next(p for p in html.iter("p") if "bold italic" in p.text_content())
    assert [(e.tag, e.text_content()) for e in first.iter("strong", "em", "ins")] == [
        ("em", "bold italic"), ("strong", "bold italic"), ("em", "italic"), ("strong", "bold"),
        ("ins", "key clause")]
    literal = next(p for p in html.iter("p") if "snake_case" in p.text_content())
    assert literal.text_content() == "Literal: snake_case_name, C++ and C++, 1+1=2, a ++ b."
    links = {a.text_content(): a.get("href") for a in html.iter("a")}
    assert links["privacy@example.com"] == "mailto:privacy@example.com"
    assert links["cookie policy"] == "https://example.com/legal/cookies"
    # the link to a section points at the slug GitHub gives its heading
    slug = links["the SDK list"].removeprefix("#")
    headings = [h.text_content() for h in html.iter("h2", "h3")]
    assert slug in {_github_slug(h) for h in headings}


def _github_slug(title: str) -> str:
    import re
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def test_relative_link_without_base_url_is_an_error_at_its_column(tmp_path):
    result, _ = build(tmp_path, extra="")
    assert result.exit_code == 1
    errors = [e for e in result.stderr.splitlines() if ": error: " in e]
    line = PROSE.splitlines().index(
        '  - "Our [cookie policy](/legal/cookies) and [terms](terms.html)."') + 1
    col = len('  - "Our [cookie policy](') + 1
    assert len(errors) == 2
    assert errors[0].endswith(f"prose.yaml:{line}:{col}: error: relative link target "
                              "'/legal/cookies' needs `base_url` in policy.yaml (the address it "
                              "is relative to), or write the full https:// address")


def test_unknown_variable_in_a_link_target_is_reported(tmp_path):
    prose = PROSE.replace("mailto:{email}", "mailto:{mail}")
    result, _ = build(tmp_path, prose)
    assert result.exit_code == 1
    assert "unknown variable `{mail}`" in result.stderr


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    deep = "**a " * 200 + "x" + " a**" * 200
    prose = PROSE.replace("blocks:\n", f"blocks:\n  - \"{deep}\"\n", 1)
    result, _ = build(tmp_path / "deep", prose)
    assert result.exit_code == 1
    assert "inline markup nested more than 16 levels deep" in result.stderr
    assert "Traceback" not in result.output


ADVERSARIAL = {   # name → the expression of a 256 KiB text
    "open brackets": '"[" * 262_144',
    "brackets and parens": '"[a](" * 65_536',
    "unclosed stars": '"*a " * 87_381',
    "unclosed underscores": '"_a " * 87_381',
    "unclosed underlines": '"++a " * 65_536',
    "mixed delimiters": '"*_*_[*_" * 37_449',
    "nested": '"*_" * 65_536 + "x" + "_*" * 65_536',
    "star runs": '"**a*" * 65_536',
    "deep nesting": '"**a " * 32_768 + "x" + " a**" * 32_768',
    "brackets and stars": '"[*" * 131_072',
    "placeholders": '"{a" * 131_072',
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_parser_is_linear_on_adversarial_text(name):
    """256 KiB of each pathological pattern parses in well under a minute (a quadratic
    parser needs hours); the time limit only catches a hang, it measures nothing."""
    code = textwrap.dedent(f"""
        from policyc.diagnostics import Report
        from policyc.document import Ref
        from policyc.inline import InlineParser
        text = {ADVERSARIAL[name]}
        spans = InlineParser({{"a": "A"}}, lambda ids: Ref("R", "r"), Report()).parse(text)
        assert spans
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_fragment_target_stays_on_the_page(tmp_path):
    prose = PROSE.replace("[terms](terms.html)", "[rights](#your-rights)")
    result, out = build(tmp_path, prose)
    assert result.exit_code == 0, result.output
    page = lxml.html.parse(str(out / "privacy-policy.html")).getroot()
    assert {a.text_content(): a.get("href") for a in page.iter("a")}["rights"] == "#your-rights"
    md = lxml.html.fromstring(MarkdownIt("commonmark").render(
        (out / "privacy-policy.md").read_text("utf-8")))
    assert {a.text_content(): a.get("href") for a in md.iter("a")}["rights"] == "#your-rights"
