"""The Word edition: read back with python-docx and from the package's XML.

Headings carry the generated numbers in Word's heading styles, list numbers come from
numbering.xml (resolved here the way Word counts them), the permissions table repeats
its header row, links point where the other formats point, the fonts and languages
keep Chinese in a Chinese font, and the same sources give the same bytes.
"""
from __future__ import annotations

import copy
import io
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

import test_injection
from conftest import REFERENCE_SRC, write_policy
from policyc.build import build
from policyc.document import Link, List, Paragraph, Strong, Table, plain
from policyc.locales import chinese_number, roman
from policyc.project import load_project
from policyc.render import DEFAULT_FORMATS
from policyc.render.docx import render, runs_of
from policyc.resolve import resolve

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@pytest.fixture(scope="module")
def reference_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx")
    build(REFERENCE_SRC, out, ["docx"])
    return out


@pytest.fixture(scope="module")
def zh_document():
    return resolve(load_project(REFERENCE_SRC))


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def word_label(fmt: str, text: str, n: int) -> str:
    """What Word shows for item ``n`` of a level with numFmt ``fmt`` and lvlText ``text``."""
    number = {"decimal": str(n), "lowerLetter": chr(96 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1),
              "lowerRoman": roman(n), "chineseCounting": chinese_number(n),
              "bullet": ""}[fmt]
    return text.replace("%1", number) if fmt != "bullet" else text


def test_docx_is_built_on_request_and_listed_in_the_manifest(reference_docx):
    import json

    manifest = json.loads((reference_docx / "manifest.json").read_text("utf-8"))
    listed = {a["path"] for a in manifest["artifacts"] if a["format"] == "docx"}
    assert {"zh-CN/privacy-policy.docx", "en/privacy-policy.docx"} <= listed
    for path in listed:
        docx.Document(str(reference_docx / path))   # opens


def test_headings_use_word_heading_styles_with_the_generated_numbers(reference_docx,
                                                                      zh_document):
    word = docx.Document(str(reference_docx / "zh-CN" / "privacy-policy.docx"))
    headings = [(p.style.name, p.text) for p in word.paragraphs
                if p.style.name.startswith("Heading")]
    expected = [(f"Heading {min(s.level, 9)}", s.number + plain(s.title))
                for s in zh_document.walk()]
    assert headings == expected
    assert headings[0] == ("Heading 1", "一、我们收集您哪些个人信息")
    assert ("Heading 2", "（一）产品功能") in headings
    assert word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == "隐私政策"


def test_lists_are_word_lists_numbered_as_the_other_formats(reference_docx, zh_document):
    path = reference_docx / "zh-CN" / "privacy-policy.docx"
    numbering = part(path, "word/numbering.xml")
    abstract = {a.get(f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}
    levels = {}
    for num in numbering.iter(f"{W}num"):
        lvl = abstract[num.find(f"{W}abstractNumId").get(f"{W}val")].find(f"{W}lvl")
        levels[num.get(f"{W}numId")] = (lvl.find(f"{W}numFmt").get(f"{W}val"),
                                        lvl.find(f"{W}lvlText").get(f"{W}val"))
    counters: dict[str, int] = {}
    shown = []
    for p in part(path, "word/document.xml").iter(f"{W}p"):
        num_id = p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num_id is not None:
            key = num_id.get(f"{W}val")
            counters[key] = counters.get(key, 0) + 1
            shown.append((word_label(*levels[key], counters[key]), text_of(p)))

    expected = []

    def walk(blocks):
        for block in blocks:
            if isinstance(block, List):
                for item in block.items:
                    expected.append((item.label.strip() or "•", plain(item.content)))
                    walk(item.blocks)
    for section in zh_document.walk():
        walk(section.blocks)
    assert len(shown) == len(expected) > 20
    assert shown == expected
    assert ("1、", "绑定设备") in shown


def test_permissions_table_repeats_its_header_row(reference_docx, zh_document):
    word = docx.Document(str(reference_docx / "zh-CN" / "privacy-policy.docx"))
    table = next(b for s in zh_document.walk() for b in s.blocks if isinstance(b, Table))
    assert len(word.tables) == 1
    rows = word.tables[0].rows
    assert [c.text for c in rows[0].cells] == [plain(cell) for cell in table.header]
    assert len(rows) == len(table.rows) + 1
    assert [[c.text for c in row.cells] for row in rows[1:]] == \
        [[plain(cell) for cell in row] for row in table.rows]
    header = rows[0]._tr.find(f"{W}trPr/{W}tblHeader")
    assert header is not None
    assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    assert all(run.bold for cell in rows[0].cells for run in cell.paragraphs[0].runs)


def test_links_and_cross_references(reference_docx):
    path = reference_docx / "zh-CN" / "privacy-policy.docx"
    body = part(path, "word/document.xml")
    rels = {r.get("Id"): r for r in part(path, "word/_rels/document.xml.rels")}
    external = [rels[h.get(R_ID)] for h in body.iter(f"{W}hyperlink") if h.get(R_ID)]
    targets = {r.get("Target") for r in external}
    assert "mailto:yiyebaoke@163.com" in targets
    assert all(r.get("TargetMode") == "External" for r in external)
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    internal = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert internal and set(internal) <= bookmarks
    # a cross-reference in the text (not only the contents) links to its heading
    refs = [h for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")
            and h.getparent().find(f"{W}pPr/{W}pStyle") is None]
    assert any(text_of(h).startswith("第") for h in refs)


def test_bold_italic_links_and_hostile_text_come_out_as_written(tmp_path, monkeypatch):
    payload = '<w:p><w:r><w:t>x</w:t></w:r></w:p> & ]]> <![CDATA[y]]> &amp; "q" \'a\' {{ 7*7 }}'
    monkeypatch.setattr(test_injection, "HOSTILE", payload)
    fields = test_injection.hostile_project(tmp_path / "src")
    build(tmp_path / "src", tmp_path / "out", ["docx"])
    path = tmp_path / "out" / "en" / "privacy-policy.docx"
    body = part(path, "word/document.xml")
    visible = "".join(text_of(p) for p in body.iter(f"{W}p"))
    for name, text in test_injection.rendered(fields).items():
        assert text in visible, name
    assert body.find(f".//{W}p/{W}r/{W}t") is not None
    assert len(list(body.iter(f"{W}p"))) < 200   # no paragraph made from text

    src = write_policy(tmp_path / "styled", {"a.yaml": (
        "title: Terms\nblocks:\n  - Some **bold words** and *slanted ones* and "
        "[our site](https://example.com/p?a=1&b=2).\n  - |\n    first line\n    second line\n")})
    build(src, tmp_path / "out2", ["docx"])
    word = docx.Document(str(tmp_path / "out2" / "en" / "privacy-policy.docx"))
    para = next(p for p in word.paragraphs if "bold words" in p.text)
    runs = {r.text: r for r in para.iter_inner_content() if hasattr(r, "bold")}
    assert runs["bold words"].bold and not runs["bold words"].italic
    assert runs["slanted ones"].italic
    link = next(h for h in para.hyperlinks)
    assert link.address == "https://example.com/p?a=1&b=2" and link.text == "our site"
    assert link.runs[0].style.name == "Hyperlink"
    assert link.runs[0].font.underline or link.runs[0].style.font.underline
    assert "first line second line" in [p.text.strip() for p in word.paragraphs]


def test_chinese_gets_an_east_asian_font_and_language(reference_docx):
    for locale, lang in (("zh-CN", "zh-CN"), ("en", "en")):
        styles = part(reference_docx / locale / "privacy-policy.docx", "word/styles.xml")
        rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        fonts, language = rpr.find(f"{W}rFonts"), rpr.find(f"{W}lang")
        assert fonts.get(f"{W}eastAsia") == "Noto Sans CJK SC"
        assert language.get(f"{W}val") == lang
        assert language.get(f"{W}eastAsia") == "zh-CN"
        # no style names a theme font, which would win over these
        assert not [f for f in styles.iter(f"{W}rFonts")
                    if any(k.endswith("Theme") for k in f.attrib)]
    zh = part(reference_docx / "zh-CN" / "privacy-policy.docx", "word/styles.xml")
    assert zh.find(f"{W}docDefaults//{W}rFonts").get(f"{W}hint") == "eastAsia"
    en = part(reference_docx / "en" / "privacy-policy.docx", "word/styles.xml")
    assert en.find(f"{W}docDefaults//{W}rFonts").get(f"{W}ascii") == "Noto Sans"
    # a Word without Noto Sans CJK SC substitutes a Chinese (GB2312) font for it
    for locale in ("zh-CN", "en"):
        table = part(reference_docx / locale / "privacy-policy.docx", "word/fontTable.xml")
        cjk, = [f for f in table if f.get(f"{W}name") == "Noto Sans CJK SC"]
        assert cjk.find(f"{W}charset").get(f"{W}val") == "86"
        assert cjk.find(f"{W}altName").get(f"{W}val") == "Microsoft YaHei"


def test_paper_footer_page_numbers_and_contents_field(reference_docx, tmp_path):
    path = reference_docx / "zh-CN" / "privacy-policy.docx"
    word = docx.Document(str(path))
    section = word.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
    footer = section.footer._element
    instructions = [t.text.strip() for t in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "第" in "".join(t.text for t in footer.iter(f"{W}t"))
    body = part(path, "word/document.xml")
    fields = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert fields[0].startswith("TOC \\o")
    entries = [p for p in body.iter(f"{W}p")
               if p.find(f"{W}pPr/{W}pStyle") is not None
               and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "toc1"]
    assert [text_of(p) for p in entries][:2] == ["一、我们收集您哪些个人信息", "二、我们如何使用您的个人信息"]

    src = write_policy(tmp_path / "us", {"a.yaml": "title: Terms\nblocks: [Hello.]\n"},
                       locale="en-US")
    build(src, tmp_path / "us-out", ["docx"])
    letter = docx.Document(str(tmp_path / "us-out" / "en-US" / "privacy-policy.docx"))
    assert (letter.sections[0].page_width.inches, letter.sections[0].page_height.inches) == \
        pytest.approx((8.5, 11), abs=0.01)


def test_document_properties(reference_docx):
    word = docx.Document(str(reference_docx / "zh-CN" / "privacy-policy.docx"))
    props = word.core_properties
    assert props.title == "隐私政策"
    assert props.author == "石家庄异业同盟信息科技有限公司"
    assert props.language == "zh-CN"
    assert props.version == "1.0"
    assert props.modified.date().isoformat() == "2022-04-01"
    assert "python-docx" not in (props.comments + props.author + props.last_modified_by)
    app = part(reference_docx / "zh-CN" / "privacy-policy.docx", "docProps/app.xml")
    assert app.findtext("{*}Application").startswith("policyc")
    with zipfile.ZipFile(reference_docx / "zh-CN" / "privacy-policy.docx") as package:
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        assert "word/stylesWithEffects.xml" not in package.namelist()


def test_same_sources_give_the_same_bytes(reference_docx, tmp_path):
    build(REFERENCE_SRC, tmp_path / "again", ["docx"])
    for locale in ("zh-CN", "en"):
        first = (reference_docx / locale / "privacy-policy.docx").read_bytes()
        assert (tmp_path / "again" / locale / "privacy-policy.docx").read_bytes() == first
    with zipfile.ZipFile(reference_docx / "zh-CN" / "privacy-policy.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(2022, 4, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"


def test_same_bytes_across_processes_and_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        subprocess.run([sys.executable, "-m", "policyc", "build", str(REFERENCE_SRC), "-o",
                        str(out), "-f", "docx", "-q"], check=True, timeout=300,
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
        outputs.append([(out / locale / "privacy-policy.docx").read_bytes()
                        for locale in ("zh-CN", "en")])
    assert outputs[0] == outputs[1]


def test_a_default_build_makes_html_markdown_and_pdf_only(tmp_path):
    src = write_policy(tmp_path / "src", {"a.yaml": "title: Terms\nblocks: [Hello.]\n"})
    result = build(src, tmp_path / "out")
    assert {a.format for a in result.artifacts} >= set(DEFAULT_FORMATS)
    assert "docx" not in {a.format for a in result.artifacts}
    assert not list((tmp_path / "out").rglob("*.docx"))


def test_underlined_spans_are_underlined_and_unknown_spans_keep_their_text():
    @dataclass(frozen=True)
    class Underline:
        children: tuple

    @dataclass(frozen=True)
    class Highlight:
        children: tuple

    runs = runs_of(("a ", Underline((Strong(("key clause",)),)), Highlight(("marked",))))
    assert [(r.text, r.bold, r.underline) for r in runs] == [
        ("a ", False, False), ("key clause", True, True), ("marked", False, False)]


def test_links_to_items_and_clauses_land_on_their_bookmarks(zh_document):
    document = copy.deepcopy(zh_document)
    items = [item for s in document.walk() for b in s.blocks if isinstance(b, List)
             for item in b.items if item.anchor]
    target = items[0]
    document.sections[0].blocks.insert(0, Paragraph((Link(f"#{target.anchor}", ("see below",)),)))
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(render(document)))
                            .read("word/document.xml"))
    link = next(h for h in body.iter(f"{W}hyperlink") if text_of(h) == "see below")
    assert link.get(R_ID) is None
    start = next(b for b in body.iter(f"{W}bookmarkStart")
                 if b.get(f"{W}name") == link.get(f"{W}anchor"))
    assert text_of(start.getparent()) == plain(target.content)
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    assert len(names) == len(set(names))


def test_another_python_docx_renders_the_word_files_again(tmp_path, monkeypatch,
                                                        rendered_paths):
    from policyc import cache

    out = tmp_path / "out"
    build(REFERENCE_SRC, out, ["docx"], locales=["zh-CN"])
    rendered = rendered_paths
    rendered.clear()                               # count from the second build on
    build(REFERENCE_SRC, out, ["docx"], locales=["zh-CN"])
    assert rendered == []                          # unchanged: up to date
    monkeypatch.setattr(cache, "docx_toolchain", lambda: "python-docx==9.9")
    build(REFERENCE_SRC, out, ["docx"], locales=["zh-CN"])
    assert "zh-CN/privacy-policy.docx" in rendered
