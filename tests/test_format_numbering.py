"""numbering: styles for sections and lists, per translation; references and anchors follow."""
from __future__ import annotations

import json
import re

import pytest

from format_helpers import errors, make

BODY = """\
title: Scope
id: scope
blocks:
  - numbered:
      - first
      - text: second
        id: second-item
        blocks:
          - numbered: [inner one, inner two]
sections:
  - title: Details
    id: details
    sections:
      - title: Deeper details
        id: deeper
        blocks:
          - See {ref:contact-us}, {ref:details}, {ref:deeper} and {ref:second-item}.
"""
CONTACT = """\
title: Contact us
id: contact-us
type: contact
"""
FILES = {"s1.yaml": BODY, "s2.yaml": CONTACT}


def test_decimal_numbering_in_a_chinese_policy(tmp_path):
    built = make(tmp_path, "numbering: decimal\n", FILES, locale="zh-CN")
    assert built.headings() == ["1. Scope", "1.1 Details", "1.1.1 Deeper details",
                                "2. Contact us"]
    text = built.text()
    assert "See 第2条, 第1.1条, 第1.1.1条 and 第1条第b项." in text
    assert "(a) first" in text and "(i) inner one" in text


def test_per_level_styles_for_sections_and_lists(tmp_path):
    built = make(tmp_path, """\
        numbering:
          sections: ["1.", "(a)", "i."]
          lists: ["a)", "(i)"]
        """, FILES)
    assert built.headings() == ["1. Scope", "(a) Details", "i. Deeper details",
                                "2. Contact us"]
    assert "a) first" in built.text() and "(i) inner one" in built.text()
    assert "See Section 2, Section 1(a), Section 1(a)i. and Section 1b)." in built.text()


def test_zh_numbering_in_an_english_policy(tmp_path):
    built = make(tmp_path, "numbering: zh\n", FILES)
    assert built.headings() == ["一、Scope", "（一）Details", "1、Deeper details",
                                "二、Contact us"]


def test_unnumbered_headings_cite_their_titles_and_take_github_anchors(tmp_path):
    built = make(tmp_path, "numbering: none\n", FILES)
    assert built.headings() == ["Scope", "Details", "Deeper details", "Contact us"]
    page = built.html()
    ids = [s.get("id") for s in page.xpath("//main//section")]
    assert ids == ["scope", "details", "deeper-details", "contact-us"]
    links = {a.text_content(): a.get("href") for a in page.xpath("//a[@class='xref']")}
    assert links["“Contact us”"] == "#contact-us"
    assert links["“Deeper details”"] == "#deeper-details"
    # The Markdown heading slugs GitHub makes are the same anchors.
    assert built.md_headings() == ["Privacy Policy", "Scope", "Details", "Deeper details",
                                   "Contact us"]
    assert "See “Contact us”, “Details”, “Deeper details” and “Scope” 2." in built.text()


def test_a_translation_uses_its_own_numbering(tmp_path):
    catalog = """\
    locale: zh-CN
    numbering: zh
    texts:
    """
    from format_helpers import write
    from policyc.build import build
    from policyc.translate import text_slots
    from policyc.project import load_project
    src = write(tmp_path / "src", "locales: [en, zh-CN]\nnumbering: decimal\n", FILES)
    entries = "".join(f"  - at: {slot.path}\n    source: {json.dumps(slot.text)}\n"
                      f"    text: {json.dumps('中' + slot.text)}\n"
                      for slot in text_slots(load_project(src)))
    (src / "translations").mkdir()
    (src / "translations" / "zh-CN.yaml").write_text(catalog.replace("    ", "") + entries,
                                                      encoding="utf-8")
    build(src, tmp_path / "out", ["html"])
    import lxml.html
    zh = lxml.html.fromstring((tmp_path / "out/zh-CN/privacy-policy.html").read_bytes())
    en = lxml.html.fromstring((tmp_path / "out/en/privacy-policy.html").read_bytes())
    assert [h.text_content() for h in zh.xpath("//main//h2")] == ["一、中Scope", "二、中Contact us"]
    assert [h.text_content() for h in en.xpath("//main//h2")] == ["1. Scope", "2. Contact us"]
    assert "第二条" in zh.text_content()


@pytest.mark.parametrize("policy, message", [
    ("numbering: roman\n", "'roman' is not a numbering style"),
    ("numbering: {sections: [第一款]}\n", "'第一款' is not a numbering style"),
    ("numbering: {lists: [decimal]}\n", "`decimal` is a numbering style for the whole policy"),
])
def test_bad_numbering_is_reported_where_written(tmp_path, policy, message):
    found = errors(tmp_path, policy, FILES)
    assert any(message in line and re.match(r"\S*policy.yaml:\d+:\d+: error", line)
               for line in found), found


def test_references_worded_by_the_policy(tmp_path):
    built = make(tmp_path, "labels: {section_ref: '§{n}'}\n", FILES)
    assert "See §2, §1.1, §1.1.1 and §1(b)." in built.text()
