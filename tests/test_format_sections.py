"""Front and back matter, optional titles, `after`, rights layouts, run-in titles, contents."""
from __future__ import annotations

from format_helpers import RUN_IN_RIGHTS, make

CONTACT = "title: Contact us\nid: contact-us\ntype: contact\n"


def test_front_and_back_sections_are_unnumbered_around_the_body(tmp_path):
    built = make(tmp_path, """\
        front_sections: [front.yaml]
        sections: [s1.yaml, s2.yaml]
        back_sections: [back.yaml]
        """, {"front.yaml": "title: Key terms\nid: terms\nblocks: ['See {ref:history}.']\n",
              "s1.yaml": "title: Scope\nblocks: ['Read {ref:terms} first.']\n",
              "s2.yaml": CONTACT,
              "back.yaml": "title: Earlier versions\nid: history\nblocks: [None yet.]\n"},
        formats=("html", "md", "pdf"))
    assert built.headings() == ["Key terms", "1. Scope", "2. Contact us", "Earlier versions"]
    page = built.html()
    toc = [" ".join(a.text_content().split()) for a in page.xpath("//nav[@class='toc']//a")]
    assert toc == ["Key terms", "1. Scope", "2. Contact us", "Earlier versions"]
    assert page.xpath("//section[@id='key-terms']") and page.xpath("//section[@id='earlier-versions']")
    refs = {a.text_content(): a.get("href") for a in page.xpath("//a[@class='xref']")}
    assert refs == {"“Earlier versions”": "#earlier-versions", "“Key terms”": "#key-terms"}
    assert built.md_headings()[1:] == ["Key terms", "1. Scope", "2. Contact us",
                                       "Earlier versions"]
    import pypdf
    outline = pypdf.PdfReader(built.path("pdf")).outline
    assert [o.title for o in outline[1] if not isinstance(o, list)] == toc
    assert "Key terms See “Earlier versions”." in built.pdf_text()


FEATURES = """\
title: What we collect
type: data_collected
blocks: ["We collect:"]
features:
  - name: Sign-up
    blocks: [You give us your e-mail address.]
  - blocks:
      - Crash reports help us fix bugs.
      - They hold no names.
after:
  - numbered:
      - A third item continuing the list.
  - Closing words.
"""
RIGHTS = """\
title: Your rights
type: rights
rights:
  - kind: access
    blocks: [You may ask for a copy.]
  - kind: delete
    blocks: [You may ask us to delete it.]
after:
  - clauses: [A clause continuing the rights.]
"""


def test_untitled_features_and_rights_are_numbered_paragraphs_and_after_continues(tmp_path):
    built = make(tmp_path, "numbering: zh\n",
                 {"s1.yaml": FEATURES, "s2.yaml": RIGHTS, "s3.yaml": CONTACT})
    page = built.html()
    items = [" ".join(li.xpath("./p")[0].text_content().split())
             for li in page.xpath("//section[@id='what-we-collect']//ol/li")]
    assert items == ["1、Sign-up", "2、Crash reports help us fix bugs.",
                     "3、A third item continuing the list."]
    clauses = [" ".join(p.text_content().split()) for p in page.xpath("//p[@class='clause']")]
    assert clauses == ["（一）You may ask for a copy.", "（二）You may ask us to delete it.",
                       "（三）A clause continuing the rights."]
    assert page.xpath("//section[@id='your-rights']/h3") == []   # no invented headings
    assert "They hold no names." in built.text() and "Closing words." in built.text()


def test_rights_as_bullets_and_clauses_with_run_in_titles(tmp_path):
    built = make(tmp_path, "", {
        "s1.yaml": """\
            title: Your rights
            type: rights
            layout: bullets
            rights:
              - kind: access
                title: Right to Know.
                blocks: [You have the right to know what we hold.]
            """,
        "s2.yaml": """\
            title: 管理
            type: rights
            layout: clauses
            rights:
              - kind: copy
                title: 获取个人信息副本
                blocks: [您可以通过邮箱联系我们。]
            after:
              - clauses:
                  - {title: 注销, text: 您可以注销账户。}
            """, "s3.yaml": CONTACT})
    page = built.html()
    bullet = page.xpath("//ul[@class='bullets']/li")[0]
    assert bullet.xpath(".//strong")[0].text == "Right to Know."
    assert " ".join(bullet.text_content().split()) == \
        "Right to Know. You have the right to know what we hold."
    clauses = [" ".join(p.text_content().split()) for p in page.xpath("//p[@class='clause']")]
    assert clauses == ["2.1 获取个人信息副本 您可以通过邮箱联系我们。", "2.2 注销 您可以注销账户。"]
    markdown = built.markdown()
    assert "- **Right to Know.** You have the right to know what we hold." in markdown


def test_an_untitled_right_among_subsections_is_a_numbered_paragraph(tmp_path):
    built = make(tmp_path, "", {"s1.yaml": """\
        title: Rights
        type: rights
        layout: subsections
        rights:
          - {kind: access, title: Access, blocks: [Ask us.]}
          - {kind: delete, blocks: [Delete.]}
        """, "s2.yaml": CONTACT})
    section = built.html().xpath("//section[@id='rights']")[0]
    assert [" ".join(e.text_content().split()) for e in section.xpath(".//h3|.//p")] == \
        ["1.1 Access", "Ask us.", "1.2 Delete."]


def test_contents_of_subsections_with_toc_title_and_contents_off(tmp_path):
    files = {"s1.yaml": """\
        title: Scope
        sections:
          - title: Who this policy covers and where it applies
            toc_title: Who is covered
        """, "s2.yaml": CONTACT}
    built = make(tmp_path, "contents_depth: 2\n", files)
    toc = [" ".join(a.text_content().split()) for a in built.html().xpath("//nav//a")]
    assert toc == ["1. Scope", "1.1 Who is covered", "2. Contact us"]
    assert "  - [1.1 Who is covered](#11-who-this-policy-covers-and-where-it-applies)" \
        in built.markdown()
    off = make(tmp_path / "off", "contents_depth: 0\n", files)
    assert off.html().xpath("//nav[@class='toc']") == []
    assert "Contents" not in off.markdown()


def test_lists_in_clauses_start_at_the_first_level_and_a_list_may_set_its_style(tmp_path):
    built = make(tmp_path, "numbering: zh\n", {"s1.yaml": """\
        title: 条款
        blocks:
          - clauses:
              - text: 第一款
                blocks:
                  - numbered: [甲, 乙]
          - numbered: [丙]
            style: （1）
        """, "s2.yaml": CONTACT}, locale="zh-CN")
    text = built.text()
    assert "（一）第一款 1、甲 2、乙 （1）丙" in text


def test_third_parties_and_features_as_bullets(tmp_path):
    built = make(tmp_path, "numbering: none\n", {"s1.yaml": """\
        title: Service providers
        type: sdks
        layout: bullets
        sdks:
          - {name: Stripe, id: stripe, purpose: Payments}
          - {name: Postmark, purpose: E-mail delivery}
        blocks: ['We use {ref:stripe} and others:']
        """, "s2.yaml": CONTACT})
    page = built.html()
    items = [" ".join(li.xpath("./p")[0].text_content().split())
             for li in page.xpath("//ul[@class='bullets']/li")]
    assert items == ["Stripe", "Postmark"]
    assert page.xpath("//ol[@class='numbered']") == []
    assert "We use “Service providers” and others:" in built.text()
    assert "- Stripe" in built.markdown()


def test_a_run_in_right_among_subsections_keeps_its_place(tmp_path):
    built = make(tmp_path, "numbering: zh\n", {"s1.yaml": RUN_IN_RIGHTS, "s2.yaml": CONTACT}, locale="zh-CN", formats=("html", "md", "pdf"))
    page = built.html()
    section = page.xpath("//section[@id='管理您的个人信息']")[0]
    shown = [" ".join(e.text_content().split()) for e in section.xpath(".//h3|.//p")]
    assert shown == ["（一）访问", "您可以访问。", "（二）获取个人信息副本：您可以通过邮箱获取。",
                     "（三）删除", "见第一条（二）。"]
    assert section.xpath(".//p/strong")[0].text == "获取个人信息副本"
    assert page.xpath("//a[@class='xref']")[0].get("href") == "#copy"
    assert built.md_headings()[2:] == ["（一）访问", "（三）删除", "二、Contact us"]
    assert "（二）**获取个人信息副本**：您可以通过邮箱获取。" in built.markdown()
    assert "（二）获取个人信息副本：您可以通过邮箱获取。 （三）删除" in built.pdf_text()


def test_the_title_carries_githubs_slug_for_inbound_links(tmp_path):
    built = make(tmp_path, "numbering: none\n", {"s1.yaml": CONTACT})
    assert built.html().xpath("//h1")[0].get("id") == "privacy-policy"
    assert built.md_headings()[0] == "Privacy Policy"


def test_third_parties_as_paragraphs(tmp_path):
    built = make(tmp_path, "labels: {sdk_name: '第三方SDK名称：{value}'}\n", {"s1.yaml": """\
        type: sdks
        layout: paragraphs
        blocks: [本应用接入了以下第三方SDK：]
        sdks:
          - {name: Bugly SDK, provider: 深圳市腾讯计算机系统有限公司}
          - {name: 支付宝SDK, provider: 支付宝（中国）网络技术有限公司}
        """, "s2.yaml": CONTACT}, locale="zh-CN")
    page = built.html()
    assert page.xpath("//main/section//ol|//main/section//ul") == []
    assert [" ".join(p.text_content().split()) for p in page.xpath("//main/section[1]/p")] == [
        "本应用接入了以下第三方SDK：", "第三方SDK名称：Bugly SDK", "提供方：深圳市腾讯计算机系统有限公司",
        "第三方SDK名称：支付宝SDK", "提供方：支付宝（中国）网络技术有限公司"]
