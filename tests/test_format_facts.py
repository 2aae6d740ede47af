"""Third parties, optional facts, contact lines, date lines, locales, labels, front matter,
and the facts an edition prints (Document.published)."""
from __future__ import annotations

import pytest
import yaml

from format_helpers import BASE, errors, make, write
from policyc.project import load_project
from policyc.resolve import resolve

SDKS = """\
title: Who we share with
id: sharing
type: sdks
sdks:
  - name: Stripe
    id: stripe
    provider: Stripe, Inc.
    purpose: Payments
    scenario: When you pay
    method: Sent from our servers
    permissions: [Network access]
    blocks: ['Stripe processes card payments for {purpose}.']
    data:
      - name: Payment details
        purpose: to charge you
        items: [Card number, {name: Billing address, sensitive: yes}]
      - E-mail address
    policy_url: https://stripe.com/privacy
    links:
      - {title: Data processing notes, url: "https://stripe.com/dpa"}
      - {title: Sub-processor list, url: "https://stripe.com/subprocessors"}
  - name: Payment processors
"""
CONTACT = "title: Contact us\nid: contact-us\ntype: contact\n"


def test_a_third_party_prints_all_its_facts(tmp_path):
    built = make(tmp_path, "", {"s1.yaml": SDKS, "s2.yaml": CONTACT},
                 formats=("html", "md", "pdf"))
    text = built.text()
    for line in ("Stripe processes card payments for Payments.", "Provider: Stripe, Inc.",
                 "When it is used: When you pay", "How data is shared: Sent from our servers",
                 "Permissions: Network access", "Privacy policy: https://stripe.com/privacy",
                 "Data processing notes: https://stripe.com/dpa",
                 "Sub-processor list: https://stripe.com/subprocessors"):
        assert line in text, line
    assert "Payments Provider" not in text   # the purpose is placed in the prose, once
    page = built.html()
    nested = [" ".join(li.text_content().split()) for li in page.xpath("//ul//ul/li")]
    assert nested == ["Card number", "Billing address (sensitive)"]
    assert page.xpath("//a[@href='https://stripe.com/subprocessors']")
    assert "Payment details (to charge you)" in text
    assert "Sub-processor list: https://stripe.com/subprocessors" in built.pdf_text()
    assert "Payment details (to charge you)" in built.markdown()


def test_field_labels_and_fact_lines_are_worded_per_policy(tmp_path):
    built = make(tmp_path, """\
        labels:
          sdk_provider: Operated by
          sdk_scenario: "We use it {value}."
          last_updated: Revised
        """, {"s1.yaml": SDKS.replace("When you pay", "when you pay"), "s2.yaml": CONTACT})
    text = built.text()
    assert "Operated by: Stripe, Inc." in text and "We use it when you pay." in text
    assert "Revised: 20 April 2023" in text


def test_an_unknown_label_is_an_error_with_its_place(tmp_path):
    found = errors(tmp_path, "labels: {sdk_provder: X}\n", {"s1.yaml": SDKS, "s2.yaml": CONTACT})
    assert any("policy.yaml:6:10: error: `labels` has no `sdk_provder`" in line
               for line in found), found


def test_optional_facts_and_reworded_date_lines(tmp_path):
    built = make(tmp_path, """\
        dates: {last_updated: "*Last updated: {date}*"}
        """, {"s1.yaml": CONTACT}, locale="en-US", formats=("html", "md", "pdf"))
    page = built.html()
    assert [p.text_content() for p in page.xpath("//p[@class='date']")] == \
        ["Last updated: April 20, 2023"]
    assert page.xpath("//p[@class='date']/em")
    assert "*Last updated: April 20, 2023*" in built.markdown()
    import pypdf
    box = pypdf.PdfReader(built.path("pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)   # US Letter


def test_zero_padded_dates_effective_and_version_lines(tmp_path):
    built = make(tmp_path, """\
        version: "3.1"
        effective: 2023-05-01
        dates:
          last_updated: 本版更新日期：{date}
          version: 版本号：{version}
          format: YYYY 年 MM 月 DD 日
        """, {"s1.yaml": CONTACT}, locale="zh-CN")
    lines = [p.text_content() for p in built.html().xpath("//p[@class='date']")]
    assert lines == ["版本号：3.1", "本版更新日期：2023 年 04 月 20 日", "版本生效日期：2023 年 05 月 01 日"]


@pytest.mark.parametrize("locale, date, size", [("en-GB", "20 April 2023", (595, 842)),
                                                ("en-US", "April 20, 2023", (612, 792))])
def test_english_locales_date_and_paper(tmp_path, locale, date, size):
    built = make(tmp_path, "", {"s1.yaml": CONTACT}, locale=locale, formats=("html", "pdf"))
    assert f"Last updated: {date}" in built.text()
    import pypdf
    box = pypdf.PdfReader(built.path("pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_paper_is_settable(tmp_path):
    built = make(tmp_path, "paper: A5\n", {"s1.yaml": CONTACT}, locale="en-US",
                 formats=("pdf",))
    import pypdf
    box = pypdf.PdfReader(built.path("pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)


def test_english_policy_has_western_fixed_words_and_no_chinese_regulation_wording(tmp_path):
    policy = BASE.format(locale="en").replace(
        "contact: {email: privacy@example.com}",
        "contact: {email: privacy@example.com, officer: {name: Jane Doe}}")
    src = write(tmp_path / "src", "sections: [s1.yaml]\n", {"s1.yaml": CONTACT})
    (src / "policy.yaml").write_text(policy + "sections: [s1.yaml]\n", encoding="utf-8")
    text = resolve(load_project(src))
    lines = [b.content for s in text.sections for b in s.blocks]
    from policyc.document import plain
    shown = [plain(c) for c in lines]
    assert "Email: privacy@example.com" in shown
    assert "Data Protection Officer: Jane Doe" in shown
    assert not any("personal information protection" in s.lower() for s in shown)
    assert text.notices == []


def test_contact_lines_reordered_omitted_and_new_channels(tmp_path):
    policy = BASE.format(locale="en").replace(
        "contact: {email: privacy@example.com}",
        "contact: {phone: '+1 555 0100', postal_address: PO Box 1, postcode: '94105', "
        "complaint: the California Attorney General}")
    files = {"s1.yaml": CONTACT + "channels: [complaint, phone, postal_address]\n"
                                  "details: [postcode]\n"}
    src = write(tmp_path / "src", "", files)
    (src / "policy.yaml").write_text(policy + "sections: [s1.yaml]\n", encoding="utf-8")
    from policyc.build import build
    build(src, tmp_path / "out", ["html"])
    import lxml.html
    page = lxml.html.fromstring((tmp_path / "out/en/privacy-policy.html").read_bytes())
    lines = [p.text_content() for p in page.xpath("//section[@id='contact-us']/p")]
    assert lines == ["Complaints: the California Attorney General", "Phone: +1 555 0100",
                     "Postal address: PO Box 1", "Postcode: 94105"]


def test_a_policy_without_contact_channel_builds_with_a_warning(tmp_path):
    src = write(tmp_path / "src", "", {"s1.yaml": CONTACT})
    text = (src / "policy.yaml").read_text().replace("contact: {email: privacy@example.com}",
                                                     "contact: {}")
    (src / "policy.yaml").write_text(text)
    from policyc.build import build
    from policyc.check import check_project
    from policyc.diagnostics import Report, Severity
    report = Report()
    check_project(load_project(src, report), report, language="en")
    found = [d for d in report.diagnostics if d.code == "CONS-NO-CONTACT"]
    assert found and found[0].severity is Severity.WARNING
    assert "no way to reach the organisation" in found[0].format()
    built = Report()
    build(src, tmp_path / "out", ["html"], built)        # a compliance finding never stops it
    assert not built.has_errors and (tmp_path / "out/en/privacy-policy.html").is_file()


@pytest.mark.parametrize("sentence", [
    "Write to privacy@example.org with any question.", "Call us on +44 20 7946 0958.",
    "Use the contact form at https://example.org/contact.", "请通过【我的->设置->意见反馈】联系我们。"])
def test_a_channel_named_in_the_text_is_a_channel(tmp_path, sentence):
    src = write(tmp_path / "src", "", {"s1.yaml": CONTACT + f"blocks:\n  - \"{sentence}\"\n"})
    text = (src / "policy.yaml").read_text().replace("contact: {email: privacy@example.com}",
                                                     "contact: {}")
    (src / "policy.yaml").write_text(text)
    from policyc.check import check_project
    from policyc.diagnostics import Report
    report = Report()
    check_project(load_project(src, report), report, language="en")
    assert "CONS-NO-CONTACT" not in {d.code for d in report.diagnostics}


def test_markdown_front_matter(tmp_path):
    built = make(tmp_path, """\
        front_matter:
          title: Privacy policy
          description: 'The privacy of your data — "quoted"'
          nav_order: 3
        """, {"s1.yaml": CONTACT})
    markdown = built.markdown()
    assert markdown.startswith("---\n")
    head = markdown.split("---\n")[1]
    assert yaml.safe_load(head) == {"title": "Privacy policy",
                                    "description": 'The privacy of your data — "quoted"',
                                    "nav_order": "3"}
    assert markdown.split("---\n", 2)[2].lstrip().startswith("# Privacy Policy")


FEATURES = """\
title: What we collect
id: collection
type: data_collected
features:
  - name: Sign-up
    id: signup
    purpose: create your account
    method: collected from you
    retention: until you close the account
    legal_basis: contract
    data:
      - {name: E-mail address}
      - {name: Health data, sensitive: yes}
    blocks: ['We ask for your {data} to {purpose}.']
"""
POLICY_FACTS = """\
storage: {region: the EU, retention: two years, cross_border: 'Transfers use SCCs.'}
children: {age: 16, guardian_consent: yes, rules: this section}
gdpr: {dpo: {email: dpo@example.com}, supervisory_authority: the ICO}
"""


def test_features_print_their_facts_once_and_published_records_them(tmp_path):
    src = write(tmp_path / "src", POLICY_FACTS + "sections: [s1.yaml, s2.yaml, s3.yaml]\n",
                {"s1.yaml": FEATURES, "s2.yaml": "title: Storage\nid: storage\n"
                 "blocks: ['We keep your data in {storage.region}.']\n", "s3.yaml": CONTACT})
    document = resolve(load_project(src))
    from policyc.render import Templates
    from policyc.render.html import render
    import lxml.html
    page = lxml.html.fromstring(render(document, Templates()))
    text = " ".join(page.text_content().split())
    assert "We ask for your E-mail address, Health data (sensitive) to create your account." \
        in text
    assert "Purpose:" not in text   # placed in the prose: said once
    for line in ("How it is processed: collected from you",
                 "Retention: until you close the account",
                 "Legal basis: performance of a contract with you",
                 "We keep your data in the EU.", "How long your data is kept: two years",
                 "Transfers abroad: Transfers use SCCs.", "We treat users under 16 as children.",
                 "Data Protection Officer: dpo@example.com", "Supervisory authority: the ICO"):
        assert line in text, line
    storage = " ".join(page.xpath("//section[@id='storage']")[0].text_content().split())
    assert "How long your data is kept: two years" in storage
    assert {"feature:signup/purpose", "feature:signup/data", "feature:signup/method",
            "feature:signup/retention", "feature:signup/legal_basis", "feature:signup/name",
            "policy/storage.region", "policy/storage.retention", "policy/storage.cross_border",
            "policy/children.age", "policy/gdpr.dpo", "policy/gdpr.supervisory_authority",
            "policy/contact.email", "policy/last_updated",
            "policy/organisation.legal_name"} <= document.published


def test_published_facts_of_third_parties_rows_and_rights(tmp_path):
    rows = """\
        title: Permissions
        type: permissions
        rows:
          - {feature: Camera, feature_id: scan, permissions: [CAMERA], purpose: scan,
             asked: yes, can_disable: yes}
        """
    import textwrap
    src = write(tmp_path / "src", "", {"s1.yaml": SDKS, "s2.yaml": textwrap.dedent(rows),
                                       "s3.yaml": "title: Rights\ntype: rights\nrights:\n"
                                                  "  - {kind: access, title: Access}\n",
                                       "s4.yaml": CONTACT})
    published = resolve(load_project(src)).published
    assert {f"sdk:stripe/{f}" for f in ("name", "provider", "purpose", "scenario", "method",
                                        "data", "permissions", "policy_url", "links")} \
        <= published
    assert "sdk:stripe/contact" not in published   # not given, so not printed
    assert "sdk:Payment processors/name" in published
    assert {"row:scan/permissions", "row:scan/purpose", "right:access/title"} <= published


def test_miit_lists_only_for_chinese_policies_unless_asked(tmp_path):
    english = make(tmp_path / "en", "", {"s1.yaml": SDKS, "s2.yaml": CONTACT})
    assert not (english.out / "en" / "third-party-sharing-list.csv").exists()
    asked = make(tmp_path / "asked", "miit_lists: yes\n", {"s1.yaml": SDKS, "s2.yaml": CONTACT})
    rows = (asked.out / "en" / "third-party-sharing-list.csv").read_text("utf-8-sig").splitlines()
    assert rows[1].startswith("Stripe,\"Stripe, Inc.\",Not stated,Payments,When you pay,")
    assert "Payment details, Card number, Billing address, E-mail address" in rows[1]
    chinese = make(tmp_path / "zh", "miit_lists: no\n", {"s1.yaml": CONTACT}, locale="zh-CN")
    assert not (chinese.out / "zh-CN" / "collected-data-list.html").exists()


def test_a_standalone_sdk_list_page(tmp_path):
    """No date line, no address, a section without heading, SDK names worded per policy."""
    policy = BASE.format(locale="zh-CN").replace(
        "organisation: {legal_name: Example Ltd, short_name: Example, address: 1 Main Street}",
        "organisation: {legal_name: 张三, short_name: 张三}")
    src = write(tmp_path / "src", "", {"s1.yaml": """\
        type: sdks
        blocks: [本应用接入了以下第三方SDK：]
        sdks:
          - name: 支付宝SDK
            provider: 支付宝（中国）网络技术有限公司
            links:
              - {title: SDK 隐私说明链接, text: App 支付宝客户端 SDK 隐私说明,
                 url: "https://opendocs.alipay.com/common/02kiq3"}
        """, "s2.yaml": CONTACT + "details: [organisation, address]\n"})
    (src / "policy.yaml").write_text(
        policy + "dates: {lines: []}\nlabels: {sdk_name: '第三方SDK名称：{value}'}\n"
        "contents_depth: 0\nsections: [s1.yaml, s2.yaml]\n", encoding="utf-8")
    from policyc.build import build
    build(src, tmp_path / "out", ["html", "md"])
    import lxml.html
    page = lxml.html.fromstring((tmp_path / "out/zh-CN/privacy-policy.html").read_bytes())
    assert page.xpath("//p[@class='date']") == []
    assert [h.text_content() for h in page.xpath("//main//h2")] == ["一、Contact us"]
    text = " ".join(page.text_content().split())
    assert "本应用接入了以下第三方SDK： 1、第三方SDK名称：支付宝SDK 提供方：支付宝（中国）网络技术有限公司" in text
    link = page.xpath("//a[@href='https://opendocs.alipay.com/common/02kiq3']")[0]
    assert link.text_content() == "App 支付宝客户端 SDK 隐私说明"
    assert "地点" not in text and "企业名称：张三" in text
    markdown = (tmp_path / "out/zh-CN/privacy-policy.md").read_text("utf-8")
    assert 'SDK 隐私说明链接：<a href="https://opendocs.alipay.com/common/02kiq3">App 支付宝客户端 SDK 隐私说明</a>' \
        in markdown


def test_diff_reads_nested_third_party_data_and_untitled_rights(tmp_path):
    from click.testing import CliRunner
    from policyc.cli import cli
    rights = "title: Rights\ntype: rights\nrights:\n  - {kind: access, blocks: [Ask us.]}\n"
    old = write(tmp_path / "old", "", {"s1.yaml": SDKS, "s2.yaml": rights, "s3.yaml": CONTACT})
    new = write(tmp_path / "new", "", {"s1.yaml": SDKS.replace(
        "[Card number, {name: Billing address, sensitive: yes}]", "[Card number]"),
        "s2.yaml": rights.replace("Ask us.", "Write to us."), "s3.yaml": CONTACT})
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 1, result.output
    assert "SDK Stripe no longer collects Billing address" in result.output
