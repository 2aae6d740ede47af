"""The Word edition follows the source format's options: numbering styles, unnumbered
front and back sections, text after subsections, contents depth, paper, optional facts."""
from __future__ import annotations

import zipfile

import docx
from lxml import etree

from format_helpers import RUN_IN_RIGHTS, make

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BODY = """\
title: Scope
id: scope
blocks:
  - numbered:
      - first
      - text: second
        blocks:
          - numbered: [inner one, inner two]
sections:
  - title: Details
    id: details
    blocks: [Some details.]
after:
  - Closing words of the scope.
"""
FRONT = """\
title: About this policy
blocks: [Read this first.]
"""
BACK = """\
title: Glossary
blocks: [Words we use.]
"""


def built_docx(tmp_path, policy: str, files: dict[str, str], locale: str = "en"):
    built = make(tmp_path, policy, files, locale=locale, formats=("docx",))
    path = built.path("docx")
    with zipfile.ZipFile(path) as package:
        parts = {name: etree.fromstring(package.read(name)) for name in
                 ("word/document.xml", "word/numbering.xml")}
    return docx.Document(str(path)), parts


def list_levels(parts) -> list[tuple[str, str]]:
    """(numFmt, lvlText) of each list the document uses, in the order they appear."""
    numbering = parts["word/numbering.xml"]
    abstract = {a.get(f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}
    nums = {n.get(f"{W}numId"): n.find(f"{W}abstractNumId").get(f"{W}val")
            for n in numbering.iter(f"{W}num")}
    used = dict.fromkeys(n.get(f"{W}val")
                         for n in parts["word/document.xml"].iter(f"{W}numId"))
    out = []
    for num_id in used:
        lvl = abstract[nums[num_id]].find(f"{W}lvl")
        out.append((lvl.find(f"{W}numFmt").get(f"{W}val"),
                    lvl.find(f"{W}lvlText").get(f"{W}val")))
    return out


def test_per_level_numbering_styles_become_word_list_formats(tmp_path):
    word, parts = built_docx(tmp_path, """\
        numbering:
          sections: ["1.", "(a)"]
          lists: ["a)", "(i)"]
        """, {"s1.yaml": BODY})
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["1. Scope", "(a) Details"]
    assert list_levels(parts) == [("lowerLetter", "%1)"), ("lowerRoman", "(%1)")]


def test_front_and_back_sections_are_unnumbered_and_after_follows_subsections(tmp_path):
    word, _ = built_docx(tmp_path, """\
        front_sections: [front.yaml]
        back_sections: [back.yaml]
        """, {"s1.yaml": BODY, "front.yaml": FRONT, "back.yaml": BACK}, )
    texts = [p.text for p in word.paragraphs]
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["About this policy", "1. Scope", "Glossary"]
    assert texts.index("Closing words of the scope.") > texts.index("Some details.")
    assert texts.index("Closing words of the scope.") < texts.index("Glossary")


def test_contents_depth_and_no_contents(tmp_path):
    _, parts = built_docx(tmp_path / "two", "contents_depth: 2\n", {"s1.yaml": BODY})
    body = parts["word/document.xml"]
    assert body.find(f".//{W}instrText").text.strip().startswith('TOC \\o "1-2"')
    styles = [p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in body.iter(f"{W}p")
              if p.find(f"{W}pPr/{W}pStyle") is not None]
    assert styles.count("toc1") == 1 and styles.count("toc2") == 1
    _, parts = built_docx(tmp_path / "none", "contents_depth: 0\n", {"s1.yaml": BODY})
    assert not [t for t in parts["word/document.xml"].iter(f"{W}instrText")
                if t.text.strip().startswith("TOC")]


def test_paper_and_missing_version_and_effective_date(tmp_path):
    word, _ = built_docx(tmp_path / "a5", "paper: A5\n", {"s1.yaml": BODY})
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (148, 210)
    props = word.core_properties
    assert props.version == "" and props.comments == ""
    assert props.created.date().isoformat() == "2023-04-20"
    letter, _ = built_docx(tmp_path / "us", "", {"s1.yaml": BODY}, locale="en-US")
    assert round(letter.sections[0].page_width.inches, 2) == 8.5


def test_a_run_in_right_has_no_heading_and_its_paragraph_holds_its_bookmark(tmp_path):
    word, parts = built_docx(tmp_path, "numbering: zh\n", {"s1.yaml": RUN_IN_RIGHTS}, locale="zh-CN")
    shown = [(p.style.name, p.text) for p in word.paragraphs if p.text.startswith(("（", "见"))]
    assert shown == [("Heading 2", "（一）访问"), ("Normal", "（二）获取个人信息副本：您可以通过邮箱获取。"),
                     ("Heading 2", "（三）删除"), ("Normal", "见第一条（二）。")]
    body = parts["word/document.xml"]
    link = next(h for h in body.iter(f"{W}hyperlink")
                if "".join(t.text for t in h.iter(f"{W}t")) == "第一条（二）")
    start = next(b for b in body.iter(f"{W}bookmarkStart")
                 if b.get(f"{W}name") == link.get(f"{W}anchor"))
    assert "".join(t.text for t in start.getparent().iter(f"{W}t")).startswith("（二）获取")
