"""A `table` block: caption, header row and rows of inline text, in every format and locale."""
from __future__ import annotations

import docx
import pikepdf

from format_helpers import errors, make

TABLE = """\
title: Cookies
blocks:
  - We use these cookies.
  - table:
      caption: Cookies on **our** site
      header: [Name, Provider, Purpose]
      rows:
        - [_ga, "[Google](https://policies.google.com/privacy)", Counts *visits* | pages]
        - [sid, Example]
        - ["2021", ~, "Keeps you signed in\\nfor a year"]
"""


def cell_text(element) -> str:
    return " ".join(element.text_content().split())


def test_html_table_has_caption_header_cells_and_padded_rows(tmp_path):
    page = make(tmp_path, "", {"s1.yaml": TABLE}).html()
    table, = page.xpath("//main//table")
    assert cell_text(table.xpath("caption")[0]) == "Cookies on our site"
    assert table.xpath("caption/strong")[0].text == "our"
    headers = table.xpath("thead/tr/th")
    assert [cell_text(th) for th in headers] == ["Name", "Provider", "Purpose"]
    assert all(th.get("scope") == "col" for th in headers)
    rows = [[cell_text(td) for td in tr.xpath("td")] for tr in table.xpath("tbody/tr")]
    assert rows == [["_ga", "Google", "Counts visits | pages"], ["sid", "Example", ""],
                    ["2021", "", "Keeps you signed in for a year"]]
    assert len(table.xpath("tbody/tr[3]/td[3]/br")) == 1    # the cell's two lines
    link, = table.xpath("tbody//a")
    assert link.get("href") == "https://policies.google.com/privacy"
    assert table.xpath("tbody/tr[1]/td[3]/em")[0].text == "visits"


def test_markdown_is_a_gfm_pipe_table_with_escaped_pipes(tmp_path):
    built = make(tmp_path, "", {"s1.yaml": TABLE})
    tokens = built.md_tokens()
    kinds = [t.type for t in tokens]
    assert kinds.count("table_open") == 1
    start = kinds.index("table_open")
    cells = [t.content for t in tokens[start:] if t.type == "inline"]
    assert cells[:3] == ["Name", "Provider", "Purpose"]
    assert cells[3] == "\\_ga"
    assert cells[5] == "Counts *visits* | pages"   # the pipe is text, not a new column
    assert cells[6:9] == ["sid", "Example", ""]
    paragraph = tokens[start - 2].content
    assert paragraph == "Cookies on **our** site"    # the caption, just above
    from markdown_it import MarkdownIt
    html = MarkdownIt("commonmark").enable("table").render(built.markdown())
    assert "<td>Counts <em>visits</em> | pages</td>" in html
    assert '<a href="https://policies.google.com/privacy">Google</a>' in html
    assert "<td>Keeps you signed in<br>for a year</td>" in html


def test_pdf_table_is_tagged_and_reads_its_cells(tmp_path):
    built = make(tmp_path, "", {"s1.yaml": TABLE}, formats=("pdf",))
    text = built.pdf_text()
    for words in ("Cookies on our site", "Name", "Provider", "Purpose", "_ga", "Google",
                  "Counts visits | pages", "Keeps you signed in for a year"):
        assert words in text
    pdf = pikepdf.open(built.path("pdf"))
    tags: list[str] = []

    def visit(node) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                visit(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            tags.append(str(node.S))
            if "/K" in node:
                visit(node.K)

    visit(pdf.Root.StructTreeRoot.K)
    assert tags.count("/Table") == 1 and tags.count("/Caption") == 1
    assert tags.count("/TH") == 3 and tags.count("/TD") == 9 and tags.count("/TR") == 4


def test_docx_table_is_a_word_table_whose_header_repeats(tmp_path):
    built = make(tmp_path, "", {"s1.yaml": TABLE}, formats=("docx",))
    document = docx.Document(str(built.path("docx")))
    table, = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [["Name", "Provider", "Purpose"], ["_ga", "Google", "Counts visits | pages"],
                    ["sid", "Example", ""], ["2021", "", "Keeps you signed in\nfor a year"]]
    header = table.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(docx.oxml.ns.qn("w:tblHeader")) \
        is not None
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Cookies on our site"]


def test_cells_are_translated_like_paragraphs(tmp_path):
    built = make(tmp_path, "locales: [en, zh-CN]\n", {
        "s1.yaml": TABLE,
        "translations/zh-CN.yaml": """\
            locale: zh-CN
            texts:
              - {at: policy.yaml/title, source: Privacy Policy, text: 隐私政策}
              - {at: policy.yaml/organisation/legal_name, source: Example Ltd, text: 示例公司}
              - {at: policy.yaml/organisation/short_name, source: Example, text: 示例}
              - {at: policy.yaml/organisation/address, source: 1 Main Street, text: 主街1号}
              - {at: s1.yaml/title, source: Cookies, text: Cookie}
              - {at: s1.yaml/blocks/1, source: We use these cookies., text: 我们使用以下 Cookie。}
              - {at: s1.yaml/blocks/2/table/caption, source: Cookies on **our** site,
                 text: 本站的 Cookie}
              - {at: s1.yaml/blocks/2/table/header/1, source: Name, text: 名称}
              - {at: s1.yaml/blocks/2/table/header/2, source: Provider, text: 提供方}
              - {at: s1.yaml/blocks/2/table/header/3, source: Purpose, text: 目的}
              - {at: s1.yaml/blocks/2/table/rows/1/1, source: _ga, text: _ga}
              - {at: s1.yaml/blocks/2/table/rows/1/2,
                 source: "[Google](https://policies.google.com/privacy)",
                 text: "[谷歌](https://policies.google.com/privacy)"}
              - {at: s1.yaml/blocks/2/table/rows/1/3, source: Counts *visits* | pages,
                 text: 统计访问量}
              - {at: s1.yaml/blocks/2/table/rows/2/1, source: sid, text: sid}
              - {at: s1.yaml/blocks/2/table/rows/2/2, source: Example, text: 示例}
              - {at: s1.yaml/blocks/2/table/rows/3/1, source: "2021", text: "2021"}
              - {at: s1.yaml/blocks/2/table/rows/3/3, source: "Keeps you signed in\\nfor a year",
                 text: 保持登录}
            """})
    table, = built.html("zh-CN").xpath("//main//table")
    assert cell_text(table.xpath("caption")[0]) == "本站的 Cookie"
    assert [cell_text(th) for th in table.xpath("thead/tr/th")] == ["名称", "提供方", "目的"]
    rows = [[cell_text(td) for td in tr.xpath("td")] for tr in table.xpath("tbody/tr")]
    assert rows == [["_ga", "谷歌", "统计访问量"], ["sid", "示例", ""], ["2021", "", "保持登录"]]
    assert not table.xpath(".//*[@class='untranslated']")


def test_a_missing_cell_translation_is_reported_at_its_place(tmp_path):
    found = errors(tmp_path, "locales: [en, zh-CN]\n", {
        "s1.yaml": TABLE,
        "translations/zh-CN.yaml": "locale: zh-CN\ntexts: []\n"})
    assert any("s1.yaml/blocks/2/table/rows/1/3" in line for line in found)


def test_a_row_wider_than_the_header_is_an_error_at_its_extra_cell(tmp_path):
    found = errors(tmp_path, "", {"s1.yaml": """\
        title: Cookies
        blocks:
          - table:
              header: [Name, Purpose]
              rows:
                - [a, b]
                - [c, d, e]
                - [f, g, h, i]
          - table:
              header: []
        """})
    assert any(line.endswith("s1.yaml:7:18: error: row 2 of the table has 3 cells but the "
                             "header has 2; remove a cell or add a column to the header")
               for line in found), found
    assert any("s1.yaml:8:18: error: row 3 of the table has 4 cells" in line for line in found)
    assert any("s1.yaml:10:7: error: the table's `header` has no cells" in line
               for line in found), found


def test_diff_reports_a_changed_cell_as_its_row_reworded(tmp_path):
    from click.testing import CliRunner

    from format_helpers import write
    from policyc.cli import cli

    old = write(tmp_path / "old", "", {"s1.yaml": TABLE})
    new = write(tmp_path / "new", "", {"s1.yaml": TABLE.replace("Example]", "Example Ltd]")})
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert "reworded" in result.stdout, result.stdout
    assert "sid | Example{+ Ltd+}" in result.stdout
