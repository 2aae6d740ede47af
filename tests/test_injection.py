"""Content is data: hostile text in every kind of field comes out literally, never as code.

One project puts HTML, script, template syntax, Markdown structure and CSS-breaking text
into every text field policy.yaml and the section types offer; each field's text carries
a marker (``F07``) so its presence can be checked in each edition. The HTML is parsed,
the Markdown is checked for raw HTML and rendered as GitHub would (with pandoc, when
installed), and the PDF's text is extracted.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyc.build import build
from policyc.cli import cli

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(1)> {{ 7*7 }} "
           "{% if true %}x{% endif %} ](http://evil) </style><style>body{display:none}</style> "
           "&amp; \"q\" 'a' | a | b |")
LINE_STARTS = ["# ", "| ", "- ", "> ", "1. ", "+ ", "= ", "<!-- ", "```", ""]


def hostile_project(src: Path) -> dict[str, str]:
    """Write the project into ``src``; returns each field's name and literal text."""
    fields: dict[str, str] = {}

    def h(field: str) -> str:
        """A JSON (= YAML double-quoted) string: a Markdown line start, a marker, the payload."""
        k = len(fields)
        fields[field] = f"{LINE_STARTS[k % len(LINE_STARTS)]}F{k:02d} {HOSTILE}"
        return json.dumps(fields[field], ensure_ascii=False)

    policy = f"""\
title: {h("policy title")}
locale: en
version: {h("version")}
last_updated: 2024-05-01
effective: 2024-05-02
organisation:
  legal_name: {h("legal name")}
  short_name: {h("short name")}
  address: {h("address")}
app:
  name: {h("app name")}
contact:
  email: "x'y@example.com"
  phone: {h("phone")}
  service_hours: {h("service hours")}
  in_app_feedback: {h("in-app feedback")}
  response_days: 15
  officer:
    name: {h("officer name")}
    phone: {h("officer phone")}
variables:
  hostile: {h("variable")}
preamble:
  - {h("preamble")}
  - "Variables: {{org}} {{org_name}} {{app}} {{address}} {{hostile}}"
contents: {h("contents")}
introduction:
  - {h("introduction")}
sections:
  - prose.yaml
  - data.yaml
  - permissions.yaml
  - sdks.yaml
  - rights.yaml
  - contact.yaml
"""
    sections = {
        "prose.yaml": f"""\
title: {h("section title")}
toc_title: {h("toc title")}
blocks:
  - {h("paragraph")}
  - numbered:
      - {h("numbered item")}
      - text: {h("numbered item with blocks")}
        blocks:
          - bullets:
              - {h("nested bullet")}
  - bullets:
      - {h("bullet")}
  - clauses:
      - {h("clause")}
sections:
  - title: {h("subsection title")}
    blocks:
      - |
        {json.loads(h("block scalar"))}
""",
        "data.yaml": f"""\
title: Data
type: data_collected
features:
  - name: {h("feature name")}
    blocks:
      - {h("feature paragraph")}
    purpose: {h("feature purpose")}
    data:
      - name: {h("data item")}
        category: {h("data category")}
        purpose: {h("data purpose")}
    permissions:
      - {h("feature permission")}
    retention: {h("retention")}
""",
        "permissions.yaml": f"""\
title: Permissions
type: permissions
rows:
  - feature: {h("table feature cell")}
    permissions: [{h("table permission cell")}]
    purpose: {h("table purpose cell")}
    asked: yes
    can_disable: no
after:
  - {h("after table")}
""",
        "sdks.yaml": f"""\
title: SDKs
type: sdks
sdks:
  - name: {h("sdk name")}
    provider: {h("sdk provider")}
    contact: {h("sdk contact")}
    purpose: {h("sdk purpose")}
    method: {h("sdk method")}
    scenario: {h("sdk scenario")}
    data: [{h("sdk data")}]
    permissions: [{h("sdk permission")}]
    policy_url: "https://example.com/privacy?a='b'&c=1"
""",
        "rights.yaml": f"""\
title: Rights
type: rights
rights:
  - kind: access
    title: {h("right title")}
    blocks:
      - {h("right paragraph")}
""",
        "contact.yaml": f"""\
title: Contact
type: contact
after:
  - {h("contact after")}
""",
    }
    src.mkdir(parents=True)
    (src / "policy.yaml").write_text(policy, encoding="utf-8")
    for name, text in sections.items():
        (src / name).write_text(text, encoding="utf-8")
    return fields


# Fields that hold data for the compliance checks and appear in no edition.
NOT_RENDERED = {"version", "feature purpose", "data item", "data category", "data purpose",
                "feature permission", "retention", "sdk method", "sdk scenario",
                "sdk permission"}
SAFE_HREF = re.compile(r"^(https?://|mailto:|tel:|#)")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> tuple[dict[str, str], Path]:
    """The hostile project built once in every format."""
    root = tmp_path_factory.mktemp("hostile")
    fields = hostile_project(root / "src")
    build(root / "src", root / "out")
    return fields, root / "out" / "en"


class _Page(HTMLParser):
    """Elements, attributes and visible text of an HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self._in = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag):
        self._in = ""

    def handle_data(self, data):
        (self.style if self._in == "style" else self.text).append(data)

    def handle_comment(self, data):
        self.tags.append(("!--", {"comment": data}))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_safe_page(page: _Page) -> None:
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "img" not in names and "!--" not in names
    assert names.count("style") <= 1
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for attr in ("href", "src"):
            if attrs.get(attr) is not None:
                assert SAFE_HREF.match(attrs[attr]), (tag, attrs)
    assert "display:none" not in "".join(page.style)


def rendered(fields: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in fields.items() if name not in NOT_RENDERED}


def assert_all_literal(fields: dict[str, str], visible: str) -> None:
    visible = _flat(visible)
    for name, text in rendered(fields).items():
        assert _flat(text) in visible, f"{name}: {text!r} is not shown as written"


def test_html_escapes_everything(hostile_build):
    fields, out = hostile_build
    page = _Page((out / "privacy-policy.html").read_text("utf-8"))
    assert_safe_page(page)
    assert_all_literal(fields, "".join(page.text))
    assert "49" not in "".join(page.text)


def test_markdown_holds_only_its_own_tags_and_shows_text_literally(hostile_build):
    fields, out = hostile_build
    markdown = (out / "privacy-policy.md").read_text("utf-8")
    for match in re.finditer(r"(?<!\\)<", markdown):
        rest = markdown[match.start():]
        assert re.match(r'</?(strong|em)>|<a href="[^"<>]*">|</a>', rest), rest[:40]
    assert_all_literal(fields, re.sub(r"\\(.)", r"\1", markdown))
    assert "49" not in markdown


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc renders GFM as GitHub does")
def test_markdown_rendered_as_github_does_is_safe(hostile_build):
    fields, out = hostile_build
    html = subprocess.run(["pandoc", "-f", "gfm", "-t", "html", str(out / "privacy-policy.md")],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    page = _Page(html)
    assert_safe_page(page)
    assert_all_literal(fields, "".join(page.text))


def test_pdf_shows_text_literally_and_evaluates_nothing(hostile_build):
    from pdfminer.high_level import extract_text

    fields, out = hostile_build
    text = re.sub(r"\s+", "", extract_text(str(out / "privacy-policy.pdf")))
    for name, literal in rendered(fields).items():
        assert re.sub(r"\s+", "", literal) in text, name
    assert "{{7*7}}" in text and "49" not in text
    assert "{%iftrue%}x{%endif%}" in text


def test_every_kind_of_field_was_tried(hostile_build):
    fields, _ = hostile_build
    shown = set(rendered(fields))
    for kind in ("policy title", "section title", "paragraph", "numbered item", "bullet",
                 "table feature cell", "sdk name", "sdk provider", "service hours",
                 "legal name", "short name", "variable", "block scalar"):
        assert kind in shown


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)",
                                    "data:text/html,<script>alert(1)</script>",
                                    "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example"])
def test_unsafe_link_target_is_an_error_at_its_place(target, tmp_path, monkeypatch):
    src = tmp_path / "src"
    hostile_project(src)
    prose = src / "prose.yaml"
    prose.write_text(prose.read_text("utf-8") + f"  - title: Links\n    blocks:\n"
                     f"      - 'See [this]({target}).'\n", encoding="utf-8")
    line = prose.read_text("utf-8").count("\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "src", "-o", "out", "-f", "html"])
    assert result.exit_code == 1
    errors = [e for e in result.stderr.splitlines() if ": error: " in e]
    column = len("      - 'See [this](") + 1
    assert errors == [f"src/prose.yaml:{line}:{column}: error: link target '{target}' is not "
                      "allowed: only http, https, mailto and tel links"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/x.png", "file:///etc/passwd",
                                 "https://127.0.0.1:{port}/style.css", "x.png"])
def test_pdf_fetch_attempt_is_a_build_error_without_contact(url, tmp_path, monkeypatch):
    import socket

    src = tmp_path / "src"
    hostile_project(src)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.setblocking(False)
        url = url.format(port=server.getsockname()[1])
        override = tmp_path / "templates" / "pdf" / "policy.html.j2"
        override.parent.mkdir(parents=True)
        tag = (f'<link rel="stylesheet" href="{url}">' if url.endswith(".css")
               else f'<img src="{url}">')
        override.write_text('{% extends "html/policy.html.j2" %}\n'
                            f'{{% block head %}}{tag}{{% endblock %}}\n', encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(cli, ["build", "src", "-o", "out", "-f", "pdf"])
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody knocked
    assert result.exit_code == 1
    errors = [e for e in result.stderr.splitlines() if ": error: " in e]
    line = override.read_text("utf-8").split("\n")[1]          # where the template writes it
    assert errors == [f"templates/pdf/policy.html.j2:2:{line.index(url) + 1}: error: cannot "
                      f"build the PDF edition: the PDF may not fetch '{url}'"]
    assert not (tmp_path / "out").exists()
