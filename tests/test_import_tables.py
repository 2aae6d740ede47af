"""`policyc import` keeps tables as tables: Markdown (GFM), HTML and Word tables become
`table` blocks whose built page shows every cell once, in its row and column."""
from __future__ import annotations

import re

import docx
import lxml.html

from policyc.build import build
from policyc.project import load_project
from test_import import imported

# the shape of Open Terms Archive's Markdown: a bold header cell, lists written in a cell
# with <br>, an escaped pipe, a link, a row shorter than the header
MARKDOWN = """\
# Privacy Policy

We keep your data as long as this table says.

| **Your right** | What it means | How |
| --- | --- | --- |
| **Access** | Get a copy of your data. | We inform you:<br><br>*   through this Policy<br>*   by answering your [questions](https://example.com/help) |
| Deletion | Ask us to delete it \\| all of it. |
"""


def page_table(out, index: int = 0):
    page = lxml.html.fromstring((out / "en" / "privacy-policy.html").read_bytes())
    table = page.xpath("//main//table")[index]
    header = [" ".join(th.text_content().split()) for th in table.xpath("thead/tr/th")]
    rows = [[" ".join(td.text_content().split()) for td in tr.xpath("td")]
            for tr in table.xpath("tbody/tr")]
    return page, table, header, rows


def test_gfm_table_becomes_a_table_block_with_its_cells_lines_and_links(tmp_path):
    source = tmp_path / "policy.md"
    source.write_text(MARKDOWN, "utf-8")
    src, _ = imported(tmp_path, source, "--locale", "en")
    build(src, tmp_path / "out", ["html"])
    page, table, header, rows = page_table(tmp_path / "out")
    assert header == ["Your right", "What it means", "How"]
    assert rows == [["Access", "Get a copy of your data.",
                     "We inform you: through this Policy by answering your questions"],
                    ["Deletion", "Ask us to delete it | all of it.", ""]]
    assert len(table.xpath("tbody/tr[1]/td[3]/br")) == 2      # three lines, no bullets
    assert table.xpath("tbody//a/@href") == ["https://example.com/help"]
    assert "*" not in page.xpath("//main")[0].text_content()
    assert "Your right：" not in page.xpath("//main")[0].text_content()   # no invented labels


def test_html_table_caption_spans_nested_and_layout_tables(tmp_path):
    source = tmp_path / "policy.html"
    source.write_text("""<html><body><main><h1>Privacy Policy</h1><p>We use cookies.</p>
<table><caption>Cookies we set</caption>
<thead><tr><th>Name</th><th>Purpose</th><th>Expiry</th></tr></thead>
<tbody><tr><td>_ga</td><td>Counts <b>visits</b><br>and pages</td><td>2 years</td></tr>
<tr><td colspan="2">All <a href="https://example.org/others">others</a></td><td>1 day</td></tr>
<tr><td>nested</td><td><table><tr><td>inner a</td><td>inner b</td></tr></table></td><td>x</td></tr>
</tbody></table>
<table><tr><td><h2>Contact us</h2><p>Write to us by post.</p></td></tr></table>
</main></body></html>""", "utf-8")
    src, _ = imported(tmp_path, source, "--locale", "en")
    build(src, tmp_path / "out", ["html"])
    page, table, header, rows = page_table(tmp_path / "out")
    assert header == ["Name", "Purpose", "Expiry"]
    assert rows == [["_ga", "Counts visits and pages", "2 years"], ["All others", "", "1 day"],
                    ["nested", "inner a inner b", "x"]]
    assert table.xpath("tbody/tr[1]/td[2]/strong")[0].text == "visits"
    assert len(page.xpath("//main//table")) == 1      # the layout table is its blocks
    text = " ".join(page.xpath("//main")[0].text_content().split())
    assert "Cookies we set" in text and "Write to us by post." in text
    assert [" ".join(h.text_content().split()) for h in page.xpath("//main//h2")][-1] \
        .endswith("Contact us")


def test_word_table_merged_cells_are_read_once(tmp_path):
    document = docx.Document()
    document.add_heading("Privacy Policy", 1)
    document.add_paragraph("Our processors are listed below.")
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([["Processor", "Purpose", "Country"],
                             ["Acme Cloud", "Hosting", "Ireland"],
                             ["Mailer", "E-mail", "Germany"],
                             ["Helpdesk", "Support", ""]]):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(3, 1).merge(table.cell(3, 2))           # a cell spanning two columns
    table.cell(1, 2).merge(table.cell(2, 2))           # a cell merged down
    table.cell(1, 2).paragraphs[-1].text = "EU"
    source = tmp_path / "policy.docx"
    document.save(source)
    src, _ = imported(tmp_path, source, "--locale", "en")
    project = load_project(src)
    blocks = [b for s in project.sections for b in s.section.blocks] + \
        list(project.policy.preamble) + list(project.policy.introduction)
    tables = [b.table for b in blocks if type(b).__name__ == "Table"]
    assert len(tables) == 1
    assert [str(c) for c in tables[0].header] == ["Processor", "Purpose", "Country"]
    build(src, tmp_path / "out", ["html"])
    _, _, header, rows = page_table(tmp_path / "out")
    assert rows[0][:2] == ["Acme Cloud", "Hosting"] and rows[1][:2] == ["Mailer", "E-mail"]
    assert rows[1][2] == ""                             # merged down: its text once
    assert "EU" in rows[0][2]
    assert rows[2] == ["Helpdesk", "Support", ""]       # spanning: once, then empty


def test_html_table_in_markdown_is_a_table(tmp_path):
    # the shape of Mozilla's privacy notices: an HTML table inside the Markdown
    source = tmp_path / "notice.md"
    source.write_text("""\
# Privacy Notice

## Lawful basis

<table>
    <thead>
        <tr><th>What we use your data for</th><th>Our lawful basis</th></tr>
    </thead>
        <tr>
            <td>To provide search</td>
            <td>
                <ul><li>Location</li><li>Language preference</li></ul>
            </td>
        </tr>
        <tr>
            <td>To keep the service secure</td>
            <td><p><strong>Legitimate interest</strong> in keeping it secure.</p><script>x()</script></td>
        </tr>
</table>
""", "utf-8")
    src, _ = imported(tmp_path, source, "--locale", "en")
    build(src, tmp_path / "out", ["html"])
    page, table, header, rows = page_table(tmp_path / "out")
    assert header == ["What we use your data for", "Our lawful basis"]
    assert rows == [["To provide search", "Location Language preference"],
                    ["To keep the service secure", "Legitimate interest in keeping it secure."]]
    assert len(table.xpath("tbody/tr[1]/td[2]/br")) == 1
    assert table.xpath("tbody/tr[2]/td[2]/strong")[0].text == "Legitimate interest"
    assert "x()" not in page.xpath("//main")[0].text_content()


def section_texts(src) -> str:
    return "".join(p.read_text("utf-8") for p in src.rglob("*.yaml"))


def test_text_pipe_tables_a_row_a_line_and_a_cell_a_line(tmp_path):
    # the shapes of Chinese policies copied from a page as Markdown: rows of `a | b`, and
    # cells on lines of their own between `|` lines; a delimiter row under the header
    source = tmp_path / "policy.txt"
    source.write_text("""\
隐私政策
一、权限说明
我们会申请以下权限：
  * **设备权限** | **业务功能** | **是否询问**
---|---|---
存储 | 保存图片到手机 |
首次保存图片时弹窗询问
位置 | 推荐附近的内容 | 首次使用时询问
以上权限均可在系统设置中关闭。

二、合作伙伴
我们的合作伙伴如下：
合作伙伴类型
|
服务内容
|
说明链接

---|---|---

数据分析服务合作方
|
统计用户数量
|
<https://www.umeng.com/policy>

登录服务合作方
|
微信登录
|
[https://weixin.qq.com/cgi-
bin/readtemplate?t=privacy](https://weixin.qq.com/cgi-
bin/readtemplate?t=privacy)

三、联系我们
如有问题，请发送邮件至 help@example.com。
""", "utf-8")
    src, _ = imported(tmp_path, source, "--locale", "zh-CN")
    build(src, tmp_path / "out", ["html"])
    page = lxml.html.fromstring((tmp_path / "out" / "zh-CN" / "privacy-policy.html").read_bytes())
    tables = page.xpath("//main//table")
    assert len(tables) == 2

    def cells(table):
        return [[" ".join(c.text_content().split()) for c in tr.xpath("th|td")]
                for tr in table.xpath(".//tr")]

    assert cells(tables[0]) == [["设备权限", "业务功能", "是否询问"],
                                ["存储", "保存图片到手机", "首次保存图片时弹窗询问"],
                                ["位置", "推荐附近的内容", "首次使用时询问"]]
    assert cells(tables[1]) == [
        ["合作伙伴类型", "服务内容", "说明链接"],
        ["数据分析服务合作方", "统计用户数量", "https://www.umeng.com/policy"],
        ["登录服务合作方", "微信登录", "https://weixin.qq.com/cgi-bin/readtemplate?t=privacy"]]
    assert tables[1].xpath(".//a/@href") == ["https://www.umeng.com/policy",
                                             "https://weixin.qq.com/cgi-bin/readtemplate?t=privacy"]
    text = page.xpath("//main")[0].text_content()
    assert "以上权限均可在系统设置中关闭。" in text          # the paragraph after the table
    assert "|" not in text and "---" not in text and "**" not in text


def test_a_pasted_policy_keeps_its_pipe_table_and_the_subsections_after_a_list(tmp_path):
    from conftest import ROOT

    excerpt = ROOT / "tests" / "data" / "tables" / "ca4p-0930-lines-20-75.txt"
    src, _ = imported(tmp_path, excerpt, "--locale", "zh-CN")
    build(src, tmp_path / "out", ["html"])
    page = lxml.html.fromstring((tmp_path / "out" / "zh-CN" / "privacy-policy.html").read_bytes())
    seen = "".join(page.xpath("//main")[0].text_content().split())
    lines = [re.sub(r"^[\d.\\）)]+", "", "".join(line.split()))
             for line in excerpt.read_text("utf-8").splitlines() if "|" not in line]
    missing = [line for line in lines if line not in seen]
    assert not missing, missing
    assert len(page.xpath("//main//table")) == 1 and "---" not in seen
