"""`policyc import policy.pdf`: a text PDF's paragraphs come through whole and once, its
running headers, footers and page numbers do not, and what cannot be read is refused."""
from __future__ import annotations

import pikepdf
import pytest
import weasyprint
import yaml

from policyc.build import build
from policyc.importers import pdf as pdf_reader
from test_import import (REFERENCE_TEXT, fidelity, imported, reference_import,  # noqa: F401
                         run_import, typed_summary)

SENTENCE = ("We collect information that you give us when you create an account, such as your "
            "name, e-mail address and telephone number, and information about how you use the "
            "service, including the pages you visit and the features you use.")
ZH_SENTENCE = ("我们会收集您在注册账户时提供的信息，例如您的姓名、电子邮箱地址和电话号码，"
               "以及您使用服务的方式，包括您访问的页面和使用的功能。")


def english_paragraph(k: int, j: int) -> str:
    return f"Paragraph {k}.{j}: " + " ".join([SENTENCE] * 3)


def chinese_paragraph(k: int, j: int) -> str:
    return f"第{k}.{j}段：" + ZH_SENTENCE * 4


def write_pdf(path, lang: str, page_rules: str, font: str, body: list[str]) -> None:
    weasyprint.HTML(string=f"""<html lang="{lang}"><head><style>
        @page {{ size: A4; margin: 2.5cm; {page_rules} }}
        body {{ font-family: {font}; font-size: 11pt; hyphens: auto; text-align: justify }}
        h1 {{ font-size: 20pt }} h2 {{ font-size: 14pt }}
        </style></head><body>{"".join(body)}</body></html>""").write_pdf(path)


@pytest.fixture(scope="module")
def english_pdf(tmp_path_factory):
    body = ["<h1>Example Privacy Policy</h1>"]
    for k in range(1, 6):
        body.append(f"<h2>{k}. Section number {k}</h2>")
        body += [f"<p>{english_paragraph(k, j)}</p>" for j in range(3)]
        body.append("<p><b>What you can do</b></p>")
        body.append("<ul><li>Ask for a copy of your data.</li><li>Ask us to correct it.</li></ul>")
    path = tmp_path_factory.mktemp("pdf") / "policy.pdf"
    write_pdf(path, "en", """
        @top-center { content: "Example Corp — Privacy Policy"; font-size: 9pt }
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt }
        """, "sans-serif", body)
    return path


def section_files(src):
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted((src / "sections").glob("*.yaml"))]


def test_english_pdf_paragraphs_whole_and_once_without_running_lines(tmp_path, english_pdf):
    src, report = imported(tmp_path, english_pdf, "--locale", "en")
    sections = section_files(src)
    assert [s["title"] for s in sections] == [f"Section number {k}" for k in range(1, 6)]
    for k, section in enumerate(sections, 1):
        # hyphenated line ends made whole, paragraphs cut by a page break joined again
        assert section["blocks"] == [english_paragraph(k, j) for j in range(3)]
        assert section["sections"] == [{"title": "What you can do", "blocks": [
            {"bullets": ["Ask for a copy of your data.", "Ask us to correct it."]}]}]
    sources = "".join(p.read_text("utf-8") for p in src.rglob("*.yaml"))
    assert "Example Corp" not in sources and "Page " not in sources
    assert "\u2010" not in sources and "\u00ad" not in sources
    assert "policy.pdf (pdf, en)" in report
    build(src, tmp_path / "out", ["html"])
    page = (tmp_path / "out" / "en" / "privacy-policy.html").read_text("utf-8")
    assert page.count(english_paragraph(3, 1)) == 1


def test_chinese_pdf_lines_join_without_spaces(tmp_path):
    body = ["<h1>示例隐私政策</h1>"]
    for k, number in enumerate("一二三", 1):
        body.append(f"<h2>{number}、第{number}部分</h2>")
        body += [f"<p>{chinese_paragraph(k, j)}</p>" for j in range(3)]
    path = tmp_path / "zh.pdf"
    write_pdf(path, "zh-CN", """
        @top-right { content: "示例公司 隐私政策" }
        @bottom-center { content: "第 " counter(page) " 页" }
        """, '"Noto Serif CJK SC", serif', body)
    src, _ = imported(tmp_path, path)
    sections = section_files(src)
    assert [s["title"] for s in sections] == ["第一部分", "第二部分", "第三部分"]
    for k, section in enumerate(sections, 1):
        assert section["blocks"] == [chinese_paragraph(k, j) for j in range(3)]
    sources = "".join(p.read_text("utf-8") for p in src.rglob("*.yaml"))
    assert "示例公司" not in sources and "第 1 页" not in sources


def test_pdfs_that_cannot_be_read_are_refused(tmp_path, english_pdf, monkeypatch):
    fake = tmp_path / "fake.pdf"
    fake.write_text("just text", "utf-8")
    scan = tmp_path / "scan.pdf"
    weasyprint.HTML(string='<div style="height: 5cm; background: black"></div>').write_pdf(scan)
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(english_pdf) as document:
        document.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    cases = [(fake, "not a PDF"), (scan, "no text layer"), (locked, "encrypted")]
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    cases.append((english_pdf, "policyc imports PDFs of up to 2 pages"))
    for path, message in cases:
        out = tmp_path / f"out-{path.stem}"
        code, _, stderr = run_import(str(path), "-o", str(out))
        assert code == 1 and message in stderr and "Traceback" not in stderr, stderr
        assert not out.exists()


def test_published_reference_pdf_imports_to_the_sources_of_the_text(tmp_path, reference_build,
                                                                    reference_import):
    src, report = imported(tmp_path, reference_build / "zh-CN" / "privacy-policy.pdf")
    reference_src, _ = reference_import
    assert typed_summary(src) == typed_summary(reference_src)
    score, missing = fidelity(src, tmp_path / "build", REFERENCE_TEXT)
    # the published page already cites 第一条（一）、（二） and 第十条, as the sources do
    assert all("见本协议" in s for s in missing), missing
    assert score >= 0.98, missing
    assert "permissions table: 12 rows" in report     # a table over two pages, header once
    assert "table of contents (10 entries) dropped" in report
