"""One source, two editions: the zh-CN (binding) and the English edition of the reference."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from conftest import REFERENCE_SRC
from policyc.cli import cli

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
EN_TOP = ["1. What personal information we collect", "2. How we use your personal information",
          "3. Third-party SDKs",
          "4. How we share, transfer and publicly disclose your personal information",
          "5. How we store your personal information",
          "6. How we protect your personal information", "7. Your rights",
          "8. How we handle children's personal information",
          "9. How this policy is updated", "10. How to contact us"]
PREVAILS = ("This English text is a translation provided for convenience. The Chinese text of "
            "this policy is legally binding; if the two texts differ, the Chinese text prevails.")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text outside <style>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in_style = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)

    def all(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def page(build: Path, locale: str) -> Elements:
    return Elements((build / locale / "privacy-policy.html").read_text("utf-8"))


def markdown(build: Path, locale: str) -> str:
    return (build / locale / "privacy-policy.md").read_text("utf-8")


def test_both_editions_are_built_and_listed_in_the_manifest(reference_build):
    manifest = json.loads((reference_build / "manifest.json").read_text("utf-8"))
    assert manifest["policy"]["locales"] == ["zh-CN", "en"]
    policies = {(a["locale"], a["format"]) for a in manifest["artifacts"]
                if a["path"] == f"{a['locale']}/privacy-policy.{a['format']}"}
    assert policies == {(locale, fmt) for locale in ("zh-CN", "en") for fmt in ("html", "md", "pdf")}
    for artifact in manifest["artifacts"]:
        assert (reference_build / artifact["path"]).stat().st_size == artifact["bytes"]


def test_numbering_follows_each_locale(reference_build):
    zh, en = markdown(reference_build, "zh-CN"), markdown(reference_build, "en")
    zh_headings = re.findall(r"^#{2,} (.+)$", zh, re.M)
    en_headings = re.findall(r"^#{2,} (.+)$", en, re.M)
    assert len(zh_headings) == len(en_headings)  # one structure
    assert [h for h in en_headings if re.match(r"\d+\. ", h)] == EN_TOP
    assert zh_headings[:2] == ["一、我们收集您哪些个人信息", "（一）产品功能"]
    assert en_headings[:2] == ["1. What personal information we collect", "1.1 Product features"]
    assert "7.4 Responding to your requests above" in en_headings
    assert "1、绑定设备" in zh and "(a) Device binding" in en
    assert "（1）根据我们与您签订的合同向您提供服务。" in zh
    assert "(i) To provide services to you under the contract between you and us." in en
    assert "6.3 The internet is not an absolutely secure environment" in en  # clauses
    assert "see Sections 1.1 and 1.2 of this agreement" in en
    assert "(see Section 10 of this agreement for contact details)" in en


def test_english_html_is_english_with_english_fixed_words(reference_build):
    en = page(reference_build, "en")
    assert en.all("html")[0]["lang"] == "en"
    text = "".join(en.text)
    assert "Last updated: 1 April 2022" in text
    assert all(word in text for word in ("Feature", "Asked first?", "Can be turned off?",
                                         "Service phone", "In-app feedback"))
    assert PREVAILS in text
    # Complete: nothing is left in Chinese but the switcher's name of the Chinese edition.
    assert CJK.findall(text.replace("中文", "")) == []
    assert CJK.findall(markdown(reference_build, "en").replace("中文", "")) == []
    assert PREVAILS not in "".join(page(reference_build, "zh-CN").text)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_language_switcher_and_alternate_links(reference_build, locale):
    html = page(reference_build, locale)
    alternates = {a["hreflang"]: a["href"] for a in html.all("link", rel="alternate")}
    assert alternates == {"zh-CN": "../zh-CN/privacy-policy.html",
                          "en": "../en/privacy-policy.html"}
    other = "en" if locale == "zh-CN" else "zh-CN"
    links = [a for a in html.all("a") if a.get("hreflang")]
    assert [a["href"] for a in links] == [f"../{other}/privacy-policy.html"]
    assert [a["lang"] for a in html.all("span") if a.get("aria-current") == "page"] == [locale]
    for href in alternates.values():  # every link reaches a built page
        assert (reference_build / locale / href).resolve().is_file()
    md = markdown(reference_build, locale)
    assert f"(../{other}/privacy-policy.md)" in md


def test_english_pdf_text_outline_and_fonts(reference_build):
    path = reference_build / "en" / "privacy-policy.pdf"
    text = " ".join(extract_text(str(path)).split())
    assert text.startswith("Privacy Policy Last updated: 1 April 2022")
    assert PREVAILS in text
    assert "Page 1 of" in text and "第 1 页" not in text
    assert CJK.findall(text) == []
    reader = PdfReader(str(path))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    outline = reader.outline
    assert outline[0].title == "Privacy Policy"
    top = [item.title for item in outline[1] if not isinstance(item, list)]
    assert top == EN_TOP
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages
             for f in (p["/Resources"].get("/Font") or {}).values()}
    zh_fonts = {str(f.get_object()["/BaseFont"])
                for p in PdfReader(str(reference_build / "zh-CN" / "privacy-policy.pdf")).pages
                for f in (p["/Resources"].get("/Font") or {}).values()}
    assert any("CJK" in f for f in zh_fonts)
    assert fonts and not any("CJK" in f for f in fonts)  # the en font stack, not the CJK one


def test_locale_option_builds_only_that_edition(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(REFERENCE_SRC), "-o", str(out), "-f", "md",
                                      "--locale", "en"])
    assert result.exit_code == 0, result.output
    assert (out / "en" / "privacy-policy.md").is_file()
    assert not (out / "zh-CN").exists()
    assert json.loads((out / "manifest.json").read_text("utf-8"))["policy"]["locales"] == ["en"]


def test_undeclared_locale_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(REFERENCE_SRC), "-o", str(tmp_path),
                                      "--locale", "fr"])
    assert result.exit_code == 2
    assert "locale 'fr' is not declared in policy.yaml; declared: zh-CN, en" in result.output
    assert not any(tmp_path.iterdir())
