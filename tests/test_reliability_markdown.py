"""Markdown is escaped by CommonMark's rules: every text reads back literally when the
Markdown edition is rendered by a CommonMark/GFM renderer (markdown-it-py)."""
from __future__ import annotations

import json
import shutil
import subprocess

import lxml.html
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from policyc.cli import cli

from conftest import write_policy

# (source text, what a reader must see): each once as a paragraph, a list item, a title
PAYLOADS = [
    ("x\r# INJECTED", "x # INJECTED"),
    ("x\r\n# INJECTED", "x # INJECTED"),
    ("---", "---"),
    ("***", "***"),
    ("___", "___"),
    ("===", "==="),
    ("    four spaces", "four spaces"),
    ("1. x", "1. x"),
    ("1) x", "1) x"),
    ("- x", "- x"),
    ("+ x", "+ x"),
    ("> x", "> x"),
    ("# x", "# x"),
    ("Title ends in #", "Title ends in #"),
    ("``` fence", "``` fence"),
    ("~~~ fence", "~~~ fence"),
    ("~~struck~~", "~~struck~~"),
    ("<b>html</b> &amp; &#65;", "<b>html</b> &amp; &#65;"),
    ("a | b | c", "a | b | c"),
    ("see \\[x\\](https://evil.example)", "see [x](https://evil.example)"),
]


def build_markdown(tmp_path, texts: list[str]) -> str:
    blocks = "\n".join(f"  - {json.dumps(t)}" for t in texts)
    items = "\n".join(f"      - {json.dumps(t)}" for t in texts)
    subsections = "\n".join(f"  - title: {json.dumps(t)}\n    blocks: [body]" for t in texts)
    section = (f"id: s\ntitle: Section\nblocks:\n{blocks}\n  - bullets:\n{items}\n"
               f"sections:\n{subsections}\n")
    src = write_policy(tmp_path / "src", {"s.yaml": section})
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "-f", "md"])
    assert result.exit_code == 0, result.output
    return (tmp_path / "out" / "en" / "privacy-policy.md").read_text("utf-8")


def rendered(markdown: str):
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    return lxml.html.fromstring(f"<div>{html}</div>")


def test_text_in_paragraphs_items_and_titles_reads_back_literally(tmp_path):
    page = rendered(build_markdown(tmp_path, [t for t, _ in PAYLOADS]))
    for tag in ("img", "hr", "pre", "code", "ol", "blockquote", "table", "del", "b", "h1"):
        found = [e.text_content() for e in page.iter(tag)]
        assert found == ([] if tag != "h1" else ["Privacy Policy"]), (tag, found)
    paragraphs = [p.text_content() for p in page.iter("p")]
    items = [li.text_content().strip() for li in page.iter("li")]
    titles = [h.text_content() for h in page.iter("h3")]
    for _, shown in PAYLOADS:
        assert shown in paragraphs, shown
        assert shown in items, shown
        assert any(t.endswith(shown) for t in titles), shown


@pytest.mark.parametrize("text, href", [
    ("[example.com](https://example.com)", "https://example.com"),
    ("[+44 20 7946 0000](tel:+442079460000)", "tel:+442079460000"),
    ("[a](https://example.com/a\\)", "https://example.com/a%5C"),   # URL-encoded by the renderer
    ("[x](https://example.com/a_(b))", "https://example.com/a_(b)"),
])
def test_links_stay_links(tmp_path, text, href):
    page = rendered(build_markdown(tmp_path, [text]))
    assert href in [a.get("href") for a in page.iter("a")]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc reads GFM as GitHub does")
def test_a_link_whose_words_are_an_address_is_one_link_on_github(tmp_path):
    """GitHub autolinks addresses in any text; inside a link's words that would be a
    second link within the first."""
    texts = ["[privacy@example.com](mailto:privacy@example.com)",
             "[https://example.com/p](https://example.com/p)", "[www.example.com](https://example.com)"]
    html = subprocess.run(["pandoc", "-f", "gfm", "-t", "html"], capture_output=True, text=True,
                          check=True, input=build_markdown(tmp_path, texts), timeout=60).stdout
    page = lxml.html.fromstring(html)
    links = [(a.get("href"), a.text_content()) for a in page.iter("a")
             if not a.get("href").startswith("#")]
    assert not page.xpath("//a//a")
    for text in texts:
        words, href = text[1:].split("](")
        assert (href[:-1], words) in links


def test_an_exclamation_mark_before_a_link_is_not_an_image(tmp_path):
    page = rendered(build_markdown(tmp_path, ["![x](https://example.com/pixel.png)"]))
    assert not list(page.iter("img"))
    paragraph = next(p for p in page.iter("p") if "x" == p.text_content()[1:])
    assert paragraph.text_content() == "!x"
    assert [a.get("href") for a in paragraph.iter("a")] == ["https://example.com/pixel.png"]
