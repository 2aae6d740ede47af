"""The reference policy compiles into HTML, Markdown and PDF that say what the original says."""
from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fidelity import missing_sentences
from conftest import DATA

REFERENCE_TEXT = (DATA / "privacy-policy.zh-CN.txt").read_text(encoding="utf-8")
CN_TOP = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"]


class Page(HTMLParser):
    """A parsed HTML page: elements with attributes, text and children."""

    VOID = {"meta", "link", "br", "img", "col", "hr", "input"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = {"tag": "#root", "attrs": {}, "children": [], "text": []}
        self.stack = [self.root]
        self.by_id: dict[str, dict] = {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "children": [], "text": []}
        self.stack[-1]["children"].append(node)
        if "id" in node["attrs"]:
            assert node["attrs"]["id"] not in self.by_id, f"duplicate id {node['attrs']['id']}"
            self.by_id[node["attrs"]["id"]] = node
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack and self.stack[-1]["tag"] != tag:
            self.stack.pop()
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1]["children"].append(data)

    def find_all(self, tag, node=None):
        node = node or self.root
        for child in node["children"]:
            if isinstance(child, dict):
                if child["tag"] == tag:
                    yield child
                yield from self.find_all(tag, child)

    @staticmethod
    def text(node) -> str:
        return "".join(c if isinstance(c, str) else Page.text(c) for c in node["children"])


@pytest.fixture(scope="module")
def html_page(reference_build) -> Page:
    return Page((reference_build / "zh-CN" / "privacy-policy.html").read_text("utf-8"))


@pytest.fixture(scope="module")
def markdown_text(reference_build) -> str:
    return (reference_build / "zh-CN" / "privacy-policy.md").read_text("utf-8")


@pytest.fixture(scope="module")
def pdf_path(reference_build) -> Path:
    return reference_build / "zh-CN" / "privacy-policy.pdf"


# --------------------------------------------------------------------------- fidelity

@pytest.mark.parametrize("ext", ["html", "md", "pdf"])
def test_every_reference_sentence_is_reproduced(reference_build, ext):
    missing, total = missing_sentences(REFERENCE_TEXT, reference_build / "zh-CN"
                                       / f"privacy-policy.{ext}")
    # By construction four sentences differ: three cite 第一（一）、（二）条 (now 第一条（一）、（二）)
    # and one sent readers to 第九条 for the contact details of section 十.
    assert all("见本协议" in s for s in missing), missing
    assert 1 - len(missing) / total >= 0.98


# --------------------------------------------------------------------------- HTML

def test_html_is_one_self_contained_page(reference_build, html_page):
    text = (reference_build / "zh-CN" / "privacy-policy.html").read_text("utf-8")
    html_el = next(html_page.find_all("html"))
    assert html_el["attrs"]["lang"] == "zh-CN"
    assert list(html_page.find_all("script")) == []
    assert not [l for l in html_page.find_all("link") if l["attrs"].get("rel") == "stylesheet"]
    assert len(list(html_page.find_all("style"))) >= 1
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    viewport = [m for m in html_page.find_all("meta") if m["attrs"].get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0]["attrs"]["content"]
    assert "@media print" in text
    assert Page.text(next(html_page.find_all("title"))) == "隐私政策"


def test_html_headings_are_numbered_with_readable_anchors(html_page):
    h2 = list(html_page.find_all("h2"))
    assert [Page.text(h)[:len(n)] for h, n in zip(h2, CN_TOP)] == CN_TOP
    assert Page.text(h2[0]) == "一、我们收集您哪些个人信息"
    sections = [s for s in html_page.find_all("section") if "level-1" in s["attrs"]["class"]]
    assert len(sections) == 10
    for section in html_page.find_all("section"):
        anchor = section["attrs"]["id"]
        assert not re.fullmatch(r"_?\d+", anchor), anchor
    # headings without an explicit id get a readable Unicode slug
    assert html_page.by_id["公开披露"]["tag"] == "section"
    assert html_page.by_id["contact"]["tag"] == "section"


def test_html_table_of_contents_links_every_section(html_page):
    nav = next(html_page.find_all("nav"))
    assert "本政策将帮助您了解以下内容" in Page.text(nav)
    links = list(html_page.find_all("a", nav))
    assert len(links) == 10
    for link in links:
        target = link["attrs"]["href"].removeprefix("#")
        assert html_page.by_id[target]["tag"] == "section"
    texts = [Page.text(a) for a in links]
    # the table of contents keeps the original's shorter wording where it had one
    assert "五、我们如何储存您的个人信息" in texts
    assert "八、我们如何处理儿童信息" in texts


def test_html_permissions_table_has_header_cells_and_12_rows(html_page):
    tables = list(html_page.find_all("table"))
    assert len(tables) == 1
    table = tables[0]
    headers = [Page.text(th) for th in html_page.find_all("th", table)]
    assert headers == ["业务功能", "对应权限", "使用目的", "是否询问", "可否关闭"]
    body = next(html_page.find_all("tbody", table))
    rows = list(html_page.find_all("tr", body))
    assert len(rows) == 12
    cells = [[Page.text(td) for td in html_page.find_all("td", row)] for row in rows]
    assert cells[0] == ["数据采集", "修改或删除存储卡中的内容、读取联系人、新建/修改/删除联系人",
                        "采集到的数据更新至通讯率以及删除更新的数据", "是", "是"]
    assert cells[5] == ["注册", "无", "用户注册", "是", "否"]
    assert cells[6][3:] == ["否", "否"]
    # on a phone each row becomes a card whose cells carry their column's name
    for row in rows:
        assert [td["attrs"]["data-label"] for td in html_page.find_all("td", row)] == headers


def _labels(page: Page, container) -> list[str]:
    return [Page.text(span) for span in page.find_all("span", container)
            if span["attrs"].get("class") == "num"]


def test_generated_numbering_fixes_the_reference(html_page):
    sdks = html_page.by_id["sdks"]
    sdk_items = [li for li in html_page.find_all("li", sdks)]
    assert [_labels(html_page, li)[0] for li in sdk_items] == ["1、", "2、", "3、", "4、", "5、"]
    assert "高德地图sdk" in Page.text(sdk_items[3])
    rights = html_page.by_id["rights"]
    titles = [Page.text(h) for h in html_page.find_all("h3", rights)]
    assert titles == ["（一）删除您的个人信息", "（二）个人信息主体注销账户",
                      "（三）改变您授权同意的范围", "（四）响应您的上述请求"]
    protection = html_page.by_id["protection"]
    clauses = [p for p in html_page.find_all("p", protection) if p["attrs"].get("class") == "clause"]
    assert [_labels(html_page, p)[0] for p in clauses] == \
        ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]


def test_cross_references_link_to_their_targets(html_page):
    xrefs = [a for a in html_page.find_all("a") if a["attrs"].get("class") == "xref"]
    by_text = {}
    for a in xrefs:
        by_text.setdefault(Page.text(a), set()).add(a["attrs"]["href"])
    # the original said 第九条; the contact details are in section 十
    assert by_text["第十条"] == {"#contact"}
    assert Page.text(html_page.by_id["contact"]).strip().startswith("十、如何联系我们")
    assert by_text["第一条（一）、（二）"] == {"#features"}
    assert Page.text(html_page.by_id["features"]).strip().startswith("（一）产品功能")
    assert len(xrefs) == 5


def test_contact_details_come_from_policy_yaml(html_page):
    contact = html_page.by_id["contact"]
    text = Page.text(contact)
    assert "电子邮箱：yiyebaoke@163.com" in text
    assert "服务电话：4000311376（服务时段：9：30-18：00）" in text
    assert "在线反馈：【进入APP-点击底部“我的”->点击底部“反馈/投诉”】" in text
    assert "企业名称：石家庄异业同盟信息科技有限公司" in text
    hrefs = {a["attrs"]["href"] for a in html_page.find_all("a", contact)}
    assert {"mailto:yiyebaoke@163.com", "tel:4000311376"} <= hrefs


# --------------------------------------------------------------------------- Markdown

def test_markdown_renders_the_table_and_headings(markdown_text):
    import markdown

    html = markdown.markdown(markdown_text, extensions=["tables"])
    page = Page(html)
    table = next(page.find_all("table"))
    assert len(list(page.find_all("tr", table))) == 13
    assert len(list(page.find_all("th", table))) == 5
    assert [Page.text(h) for h in page.find_all("h2")][:2] == \
        ["一、我们收集您哪些个人信息", "二、我们如何使用您的个人信息"]
    assert "第十条" in Page.text(page.root)
    assert "第九条" not in markdown_text


def test_markdown_pipe_table_rows_have_five_cells(markdown_text):
    rows = [line for line in markdown_text.splitlines() if line.startswith("|")]
    assert len(rows) == 14  # header, delimiter, 12 rows
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row.strip())[1:-1]
        assert len(cells) == 5, row


def test_markdown_table_of_contents_uses_github_slugs(markdown_text):
    slugs = re.findall(r"^- \[[^\]]+\]\(#([^)]+)\)$", markdown_text, re.M)
    assert len(slugs) == 10
    assert slugs[0] == "一我们收集您哪些个人信息"
    headings = re.findall(r"^## (.+)$", markdown_text, re.M)
    for slug, heading in zip(slugs, headings):
        assert slug == re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


# --------------------------------------------------------------------------- PDF

def test_pdf_outline_metadata_and_fonts(pdf_path):
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    assert reader.metadata.title == "隐私政策"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert str(reader.metadata.get("/CreationDate", "")).startswith("D:20220401")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title
    outline = list(titles(reader.outline))
    for number in CN_TOP:
        assert any(t.startswith(number) for t in outline), number
    assert "（一）删除您的个人信息" in outline

    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or \
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]))
    assert any("NotoSansCJK" in f.replace("-", "") for f in fonts), fonts


def test_pdf_pages_are_numbered_and_table_header_repeats(pdf_path):
    from pdfminer.high_level import extract_text

    pages = extract_text(str(pdf_path)).split("\f")
    pages = [p for p in pages if p.strip()]
    total = len(pages)
    for n, page in enumerate(pages, 1):
        assert re.sub(r"\s+", " ", f"第 {n} 页 / 共 {total} 页") in re.sub(r"\s+", " ", page)
    header_pages = [n for n, page in enumerate(pages) if "对应权限" in page]
    table_pages = [n for n, page in enumerate(pages) if "支付成为会员" in page or "数据采集" in page]
    assert header_pages and set(table_pages) <= set(header_pages)


def test_pdf_contents_give_the_page_each_section_starts_on(pdf_path):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    sections = next(item for item in reader.outline if isinstance(item, list))  # under h1
    starts = {item.title: reader.get_destination_page_number(item) + 1
              for item in sections if not isinstance(item, list)}
    assert len(starts) == 10 and max(starts.values()) > 1
    lines = [(re.sub(r"\s+", "", line.get_text()), (line.y0 + line.y1) / 2)
             for box in next(extract_pages(str(pdf_path), maxpages=1))
             if isinstance(box, LTTextContainer) for line in box if isinstance(line, LTTextLine)]
    numbers = {round(y): text for text, y in lines if text.isdigit()}
    entries = {text.split("、")[0]: numbers.get(round(y)) for text, y in lines
               if "、" in text and round(y) in numbers}      # "三": the number level with it
    assert {title.split("、")[0]: str(page) for title, page in starts.items()} == entries


# --------------------------------------------------------------------------- manifest, determinism

def test_manifest_lists_every_artifact_with_its_checksum(reference_build):
    manifest = json.loads((reference_build / "manifest.json").read_text("utf-8"))
    assert manifest["policy"]["version"] == "1.0"
    assert manifest["policy"]["effective"] == "2022-04-01"
    listed = {a["path"]: a for a in manifest["artifacts"]}
    for ext in ("html", "md", "pdf"):
        entry = listed[f"zh-CN/privacy-policy.{ext}"]
        data = (reference_build / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["locale"] == "zh-CN" and entry["format"] == ext


def test_same_sources_give_byte_identical_artifacts(reference_build, tmp_path):
    from conftest import REFERENCE_SRC
    from policyc.build import build

    build(REFERENCE_SRC, tmp_path)
    for entry in json.loads((reference_build / "manifest.json").read_text())["artifacts"]:
        assert (tmp_path / entry["path"]).read_bytes() == \
            (reference_build / entry["path"]).read_bytes(), entry["path"]
    assert (tmp_path / "manifest.json").read_bytes() == \
        (reference_build / "manifest.json").read_bytes()
