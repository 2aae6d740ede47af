"""Small policies written in a test, built, and read back as a reader sees them."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from markdown_it import MarkdownIt

from policyc.build import build
from policyc.diagnostics import PolicyError, Report

BASE = """\
title: Privacy Policy
locale: {locale}
last_updated: 2023-04-20
organisation: {{legal_name: Example Ltd, short_name: Example, address: 1 Main Street}}
contact: {{email: privacy@example.com}}
"""


@dataclass
class Built:
    out: Path
    locale: str

    def path(self, ext: str, locale: str | None = None) -> Path:
        return self.out / (locale or self.locale) / f"privacy-policy.{ext}"

    def html(self, locale: str | None = None):
        return lxml.html.fromstring(self.path("html", locale).read_bytes())

    def markdown(self, locale: str | None = None) -> str:
        return self.path("md", locale).read_text("utf-8")

    def md_tokens(self, locale: str | None = None):
        return MarkdownIt("commonmark").enable("table").parse(self.markdown(locale))

    def md_headings(self, locale: str | None = None) -> list[str]:
        tokens = self.md_tokens(locale)
        return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]

    def headings(self, locale: str | None = None) -> list[str]:
        return [" ".join(h.text_content().split())
                for h in self.html(locale).xpath("//main//h2|//main//h3|//main//h4")]

    def text(self, locale: str | None = None) -> str:
        return " ".join(self.html(locale).xpath("//body")[0].text_content().split())

    def pdf_text(self, locale: str | None = None) -> str:
        from pdfminer.high_level import extract_text
        return " ".join(extract_text(str(self.path("pdf", locale))).split())

# rights in Chinese whose second item runs in (its title starts its paragraph), referred to
RUN_IN_RIGHTS = """\
title: 管理您的个人信息
type: rights
rights:
  - {kind: access, title: 访问, blocks: [您可以访问。]}
  - {kind: copy, title: 获取个人信息副本, run_in: yes, id: copy,
     blocks: ['您可以通过邮箱获取。']}
  - {kind: delete, title: 删除, blocks: ['见{ref:copy}。']}
"""


def write(folder: Path, policy: str, files: dict[str, str], locale: str = "en",
          sections: list[str] | None = None) -> Path:
    """A source folder: BASE policy.yaml plus ``policy`` lines, and ``files``."""
    folder.mkdir(parents=True, exist_ok=True)
    listed = sections if sections is not None else [n for n in files if n.startswith("s")]
    text = BASE.format(locale=locale) + textwrap.dedent(policy)
    if "\nsections:" not in "\n" + text:
        text += "sections:\n" + "".join(f"  - {name}\n" for name in listed)
    (folder / "policy.yaml").write_text(text, encoding="utf-8")
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


def make(tmp_path: Path, policy: str, files: dict[str, str], locale: str = "en",
         formats=("html", "md"), sections: list[str] | None = None) -> Built:
    src = write(tmp_path / "src", policy, files, locale, sections)
    report = Report()
    try:
        build(src, tmp_path / "out", list(formats), report=report)
    except PolicyError:
        raise AssertionError("\n".join(d.format() for d in report.diagnostics)) from None
    return Built(tmp_path / "out", locale)


def errors(tmp_path: Path, policy: str, files: dict[str, str], locale: str = "en") -> list[str]:
    """The error lines a build of these sources reports (it must fail)."""
    src = write(tmp_path / "src", policy, files, locale)
    report = Report()
    try:
        build(src, tmp_path / "out", ["md"], report=report)
    except PolicyError:
        return [d.format() for d in report.diagnostics if str(d.severity) == "error"]
    raise AssertionError("the build did not fail")
