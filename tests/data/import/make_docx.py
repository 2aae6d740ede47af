"""Word files for the import tests, written with python-docx (plus numbering XML).

``reference_docx`` lays the reference text out as an editor would in Word: the title in
the Title style, the ten section titles as Heading 1 (their typed numbers kept), the
permissions table as a Word table, everything else as paragraphs.
``chinese_numbering_docx`` writes a policy whose structure comes only from Word's own
list numbering in Chinese styles — 一、 (chineseCounting), （一） (chineseCounting in
（%2）), 1、 (decimal), （1） (decimal), 壹. (chineseLegalSimplified) — so no number is
in the text: the importer must read numbering.xml.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TOP = re.compile(r"^[一二三四五六七八九十]+、")


def reference_docx(text: str, path: Path) -> Path:
    lines = [line.strip() for line in text.splitlines()]
    start = next(k for k, line in enumerate(lines) if line == "业务功能")
    end = next(k for k, line in enumerate(lines) if line.startswith("（三）征得授权"))
    document = Document()
    titled = False
    for k, line in enumerate(lines):
        if start <= k < end or not line:
            if k == start:
                cells = [c for c in lines[start:end] if c]
                rows = [cells[i:i + 5] for i in range(0, len(cells), 5)]
                table = document.add_table(rows=len(rows), cols=5)
                for r, row in enumerate(rows):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
            continue
        if line == "隐私政策" and not titled:
            document.add_paragraph(line, style="Title")
            titled = True
        elif TOP.match(line):
            document.add_paragraph(line, style="Heading 1")
        else:
            document.add_paragraph(line)
    document.save(path)
    return path


LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3、"),
          ("decimal", "（%4）")]


def _abstract(ident: int, levels: list[tuple[str, str]]) -> str:
    lvls = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for k, (fmt, text) in enumerate(levels))
    return (f'<w:abstractNum {W} w:abstractNumId="{ident}"><w:multiLevelType '
            f'w:val="multilevel"/>{lvls}</w:abstractNum>')


def _numbered(document, text: str, num_id: int, ilvl: int):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id
    return paragraph


CHINESE_POLICY = [
    # (Word list level or None for a plain paragraph, text); level 0-3 use list 901,
    # "L" the chineseLegalSimplified list 902
    (None, "最近更新日期：2024年3月1日"),
    (None, "本政策说明示例科技有限公司如何处理您的个人信息。"),
    (0, "我们收集的信息"),
    (None, "我们只收集提供服务所需的信息。"),
    (1, "账号信息"),
    (None, "注册时，您需要提供手机号码，用于创建账号。"),
    (1, "设备信息"),
    (None, "为保障账号安全，我们会收集以下设备信息："),
    (2, "设备型号和操作系统版本；"),
    (2, "设备标识符，包括："),
    (3, "Android设备的Android ID；"),
    (3, "iOS设备的IDFV。"),
    (2, "网络状态信息。"),
    (0, "我们如何使用信息"),
    (None, "我们将信息用于以下目的："),
    ("L", "提供和改进服务；"),
    ("L", "保障账号和交易安全。"),
    (0, "您的权利"),
    (None, "您可以行使以下权利："),
    (1, "访问您的个人信息"),
    (None, "您可以在“我的-设置”中查阅您的个人信息。"),
    (1, "删除您的个人信息"),
    (None, "您可以联系我们删除您的个人信息，我们将在十五个工作日内答复。"),
    (0, "联系我们"),
    (None, "如有任何问题，请通过以下方式联系我们："),
    (None, "电子邮箱：privacy@example.cn"),
    (None, "公司名称：示例科技有限公司"),
    (None, "地址：北京市海淀区示例路1号"),
]


def chinese_numbering_docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("示例App隐私政策", style="Title")
    numbering = document.part.numbering_part.element
    first_num = numbering.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    for abstract in (_abstract(901, LEVELS),
                     _abstract(902, [("chineseLegalSimplified", "%1.")])):
        element = parse_xml(abstract)
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    for num_id, abstract_id in ((901, 901), (902, 902)):
        numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId '
                                   f'w:val="{abstract_id}"/></w:num>'))
    for level, text in CHINESE_POLICY:
        if level is None:
            document.add_paragraph(text)
        elif level == "L":
            _numbered(document, text, 902, 0)
        else:
            _numbered(document, text, 901, level)
    document.save(path)
    return path


def heading_numbering_docx(path: Path) -> Path:
    """Heading 1 and Heading 2 numbered by their styles (一、 and （一）, chineseCounting),
    as Word's multilevel heading lists do; body paragraphs unnumbered."""
    document = Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    element = parse_xml(_abstract(903, LEVELS[:2]))
    if first_num is not None:
        first_num.addprevious(element)
    else:
        numbering.append(element)
    numbering.append(parse_xml(f'<w:num {W} w:numId="903"><w:abstractNumId w:val="903"/>'
                               "</w:num>"))
    for style_name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
        style = document.styles[style_name]
        num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = ilvl
        num_pr.get_or_add_numId().val = 903
    document.add_paragraph("隐私政策", style="Title")
    for style, text in [("Heading 1", "我们收集的信息"), (None, "我们收集手机号码。"),
                        ("Heading 2", "注册"), (None, "注册时需要手机号码。"),
                        ("Heading 2", "登录"), (None, "登录时需要验证码。"),
                        ("Heading 1", "如何联系我们"), (None, "电子邮箱：dpo@example.cn")]:
        document.add_paragraph(text, style=style)
    document.save(path)
    return path
