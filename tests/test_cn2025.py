"""The 2021–2026 Chinese rules: the format's new facts (SDK package, version and function,
permission frequency, handling at expiry, app type, emphasis) as every edition prints them,
the rules that read them, and the app build's SDK versions."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from policyc.app_types import app_types
from policyc.build import build
from policyc.check import RULES, check_project
from policyc.check.cn2025 import concepts
from policyc.cli import cli
from policyc.diagnostics import Report
from policyc.project import load_project
from test_check import compliant, edit  # noqa: F401  (the compliant example, a copy to edit)

ROOT = Path(__file__).resolve().parent.parent
COMPLIANT = ROOT / "tests" / "fixtures" / "compliant"
ANDROID = ROOT / "tests" / "fixtures" / "app" / "android"
NEW_CODES = ("NDSR-", "CAC-", "APPTYPE-", "FACE-", "GBT45574-", "APP-SDK-VERSION",
             "APP-SDK-PACKAGE")


def found(src: Path, *apps: Path, language: str = "en") -> list[tuple[str, str, int, str]]:
    """(code, file, line, message) of the findings of the new rules."""
    report = Report()
    check_project(load_project(src, report), report, language=language,
                  app_paths=list(apps))
    return [(d.code, Path(d.loc.path).name, d.loc.line, d.message) for d in report.sorted()
            if d.code.startswith(NEW_CODES)]


def codes(src: Path, *apps: Path) -> list[str]:
    return [code for code, *_ in found(src, *apps)]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)

# ------------------------------------------------------------------ the source format


def test_the_39_app_types_are_data_and_the_schema_offers_them():
    types = app_types()
    assert [t.number for t in types.values()] == list(range(1, 40))
    assert types["网上购物类"].necessary == ("注册用户移动电话号码", "收货人姓名（名称）、地址、联系电话",
                                         "支付时间、支付金额、支付渠道等支付信息")
    assert sum(t.necessary == () for t in types.values()) == 13   # need no personal information
    schema = json.loads((ROOT / "policy_src" / "schema" / "policy.schema.json").read_text())
    policy = schema["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    app_type = policy["properties"]["app_type"]
    choices = next(v["enum"] for v in app_type["oneOf"] if "enum" in v)
    assert choices == list(types)


def test_an_unknown_app_type_is_an_error_at_its_place(compliant):
    edit(compliant, "policy.yaml", "app:\n", "app_type: 网购类\napp:\n")
    result = CliRunner().invoke(cli, ["check", str(compliant)])
    assert result.exit_code == 1
    line = line_of(compliant / "policy.yaml", "app_type:")
    assert re.search(rf"policy\.yaml:{line}:\d+: error: .*网购类.*网上购物类", result.output)
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    """The compliant example with an emphasised list, built in every format."""
    src = tmp_path_factory.mktemp("src") / "compliant"
    shutil.copytree(COMPLIANT, src)
    edit(src, "sections/06-rights.yaml", "  - 您可以对您的个人信息行使以下权利：\n",
         "  - 您可以对您的个人信息行使以下权利：\n  - bullets:\n"
         "      - 您可以在“我的”页面注销账号。\n      - text: 注销后我们在 **30 日**内删除您的个人信息。\n"
         "        emphasis: yes\n")
    out = src.parent / "out"
    build(src, out, ["html", "md", "pdf", "docx"])
    return out / "zh-CN"


EMPHASISED = "发生个人信息安全事件时，我们会及时告知您事件情况、可能的影响和我们采取的处置措施，并向主管部门报告。"
ITEM = "注销后我们在 30 日内删除您的个人信息。"


def test_emphasis_is_bold_in_html_markdown_and_word(editions):
    page = lxml.html.fromstring((editions / "privacy-policy.html").read_text(encoding="utf-8"))
    strong = [" ".join(s.text_content().split()) for s in page.iter("strong")]
    assert EMPHASISED in strong and ITEM in strong
    item = next(s for s in page.iter("strong") if "注销后" in s.text_content())
    assert any(a.tag == "li" for a in item.iterancestors())
    assert not item.findall(".//strong")                   # one bold run, inner bold folded
    assert "注销账号" not in "".join(strong)                # the other item is not bold
    md = (editions / "privacy-policy.md").read_text(encoding="utf-8")
    rendered = lxml.html.fromstring(MarkdownIt("commonmark").enable("table").render(md))
    md_strong = [" ".join(s.text_content().split()) for s in rendered.iter("strong")]
    assert EMPHASISED in md_strong and ITEM in md_strong
    assert "**" not in rendered.text_content()
    word = docx.Document(str(editions / "privacy-policy.docx"))
    paragraph = next(p for p in word.paragraphs if EMPHASISED in p.text)
    text_runs = [run for run in paragraph.runs if run.text.strip() and run.text in EMPHASISED]
    assert text_runs and all(run.bold for run in text_runs)   # the clause number is not text


def test_emphasis_is_bold_in_the_pdf(editions):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    def lines(layout):
        for box in layout:
            if isinstance(box, LTTextLine):
                yield box
            elif isinstance(box, LTTextContainer):
                yield from lines(box)

    def fonts_of(words: str) -> set[str]:
        """The fonts the characters of ``words`` are printed in, wherever a line has them."""
        out = set()
        for page in extract_pages(str(editions / "privacy-policy.pdf")):
            for line in lines(page):
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                text = "".join(c.get_text() for c in chars)
                if words in text:
                    start = text.index(words)
                    out |= {c.fontname for c in chars[start:start + len(words)]}
        return out

    assert fonts_of("处置措施") and all("Bold" in f for f in fonts_of("处置措施"))
    assert fonts_of("加密传输数据") and not any("Bold" in f for f in fonts_of("加密传输数据"))


def test_new_facts_print_in_the_policy(editions):
    page = lxml.html.fromstring((editions / "privacy-policy.html").read_text(encoding="utf-8"))
    text = " ".join(page.text_content().split())
    for line in ("包名：com.amap.api.location", "版本：6.4.0", "主要功能：定位",
                 "保存期限届满后：删除或匿名化处理", "权限调用频率：每次打开“附近门店”页面时读取一次"):
        assert line in text
    table = next(t for t in page.iter("table") if "业务功能" in t.text_content())
    header = [" ".join(th.text_content().split()) for th in table.iter("th")]
    assert header == ["业务功能", "对应权限", "使用目的", "调用频率", "是否询问", "可否关闭"]
    row = next(tr for tr in table.iter("tr") if "附近门店" in tr.text_content())
    assert [" ".join(td.text_content().split()) for td in row.iter("td")][3] == \
        "每次打开“附近门店”页面时读取一次"
    md = (editions / "privacy-policy.md").read_text(encoding="utf-8")
    assert "包名：com.amap.api.location" in md and "| 调用频率 |" in md


def test_a_table_without_frequencies_keeps_its_five_columns(tmp_path):
    out = tmp_path / "out"
    build(ROOT / "policy_src", out, ["html"])
    page = lxml.html.fromstring((out / "zh-CN" / "privacy-policy.html").read_text(encoding="utf-8"))
    table = next(t for t in page.iter("table") if "业务功能" in t.text_content())
    assert len(list(table.iter("th"))) == 5
    rows = list(csv.reader(io.StringIO((out / "zh-CN" / "third-party-sharing-list.csv")
                                       .read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["第三方名称/SDK名称", "包名"] and "版本" not in rows[0]

def test_import_reads_package_and_version_lines_back(tmp_path, editions):
    from test_import import imported
    src, _ = imported(tmp_path, editions / "privacy-policy.md")
    sdks = [sdk for sf in load_project(src).sections for s in [sf.section, *sf.section.sections]
            for sdk in getattr(s, "sdks", [])]
    assert [(str(x.name), str(x.package), str(x.version)) for x in sdks] == [
        ("高德定位SDK", "com.amap.api.location", "6.4.0")]

# ------------------------------------------------------------------ the rules


def test_the_compliant_example_meets_every_new_rule(compliant):
    assert found(compliant) == []


def test_every_new_rule_cites_its_instrument_in_both_languages():
    new = [rule for code, rule in RULES.items() if code.startswith(NEW_CODES)]
    assert len(new) == 10
    for rule in new:
        assert re.search(r"条例|规定|办法|GB/T|PIPL", rule.article), rule.code
        assert rule.message["en"] and re.search(r"[\u4e00-\u9fff]", rule.message["zh"])
        assert len(rule.explanation) > 80, rule.code


def test_the_reference_lacks_only_the_restriction_right():
    assert [(code, file) for code, file, *_ in found(ROOT / "policy_src")] == \
        [("NDSR-21-RESTRICT", "07-rights.yaml")]


def test_expiry_handling_comes_from_a_feature_or_a_sentence(compliant):
    edit(compliant, "policy.yaml", "您注销账号后，我们在30日内删除或匿名化处理您的个人信息", "")
    edit(compliant, "sections/04-storage.yaml", "您注销账号后，我们在30日内删除或匿名化处理。", "")
    edit(compliant, "sections/06-rights.yaml", "保存期限已届满或", "")
    edit(compliant, "sections/06-rights.yaml", "，注销后我们将删除或匿名化处理您的个人信息", "")
    collection = compliant / "sections" / "01-collection.yaml"
    # 记账 states `on_expiry`, 附近门店 keeps nothing, 注册与登录 says nothing
    assert [(code, line) for code, _, line, _ in found(compliant)] == [
        ("NDSR-21-EXPIRY", line_of(collection, "- name: 注册与登录"))]
    edit(compliant, "sections/01-collection.yaml", "        on_expiry: 删除或匿名化处理\n", "")
    assert [(code, file) for code, file, *_ in found(compliant)] == [
        ("NDSR-21-EXPIRY", "04-storage.yaml")]
    edit(compliant, "sections/04-storage.yaml", "blocks:\n",
         "blocks:\n  - 保存期限届满后，我们删除或匿名化处理您的个人信息。\n")
    assert codes(compliant) == []


def test_restriction_is_a_right_or_a_sentence_of_the_rights_section(compliant):
    edit(compliant, "sections/06-rights.yaml", "  - kind: restrict\n    title: 限制处理\n"
         "    blocks:\n      - 您可以通过{ref:contact}中的方式要求我们在核实期间限制处理您的个人信息。\n", "")
    assert codes(compliant) == ["NDSR-21-RESTRICT"]
    edit(compliant, "sections/06-rights.yaml", "  - 您可以对您的个人信息行使以下权利：",
         "  - 您可以要求我们限制处理您的个人信息，也可以行使以下权利：")
    assert codes(compliant) == []


def test_recipients_named_only_in_running_text_are_not_a_list(compliant):
    edit(compliant, "policy.yaml", "  - sections/02-sdks.yaml\n", "")
    edit(compliant, "sections/03-sharing.yaml", "除{ref:sdks}所列的第三方SDK外，我们不与任何公司、组织和个人"
         "共享您的个人信息。", "我们会与北京示例支付有限公司共享您的订单信息。")
    assert codes(compliant) == ["NDSR-21-LIST"]


def test_children_rules_are_needed_only_where_children_are_served(compliant):
    edit(compliant, "sections/07-children.yaml", "{app}面向成年人。", "{app}也为儿童提供服务。")
    assert codes(compliant) == ["NDSR-21-CHILDREN"]
    edit(compliant, "policy.yaml", "rules: 本政策“我们如何处理儿童的个人信息”一节",
         "rules: 《示例记账儿童个人信息保护规则》")
    assert codes(compliant) == []


def test_sdk_identity_is_asked_of_sdks_only_and_filled_from_the_build(compliant):
    edit(compliant, "sections/02-sdks.yaml", "    package: com.amap.api.location\n"
         "    version: 6.4.0\n", "")
    assert codes(compliant) == ["CAC-SDK-IDENTITY"]         # the name says SDK: a package
    (message,) = [m for code, _, _, m in found(compliant, ANDROID)
                  if code == "CAC-SDK-IDENTITY"]            # the build pins its version too
    assert "`package`, `version`" in message
    assert "package: com.amap.api, version: 6.4.5" in message
    edit(compliant, "sections/02-sdks.yaml", "- name: 高德定位SDK", "- name: 高德定位服务")
    edit(compliant, "sections/02-sdks.yaml", "method: SDK 在本机采集", "method: 接口传输")
    assert codes(compliant) == []                            # nothing says it is an SDK


def test_the_build_disagrees_with_the_stated_version_and_package(compliant):
    sdks = compliant / "sections" / "02-sdks.yaml"
    assert [(code, line) for code, _, line, _ in found(compliant, ANDROID)] == [
        ("APP-SDK-VERSION", line_of(sdks, "version: 6.4.0"))]
    edit(compliant, "sections/02-sdks.yaml", "version: 6.4.0", "version: 6.4.5")
    edit(compliant, "sections/02-sdks.yaml", "package: com.amap.api.location",
         "package: com.baidu.location")
    ((code, _, _, message),) = found(compliant, ANDROID)
    assert code == "APP-SDK-PACKAGE" and "com.amap.api" in message


def test_versions_are_read_from_each_kind_of_build_file(compliant, tmp_path):
    gradle = tmp_path / "gradle" / "build.gradle"
    gradle.parent.mkdir()
    gradle.write_text('dependencies {\n  implementation "com.amap.api:location:6.1.0"\n'
                      "  implementation 'com.amap.api:search:$amapVersion'\n}\n")
    catalog = tmp_path / "catalog" / "libs.versions.toml"
    catalog.parent.mkdir()
    catalog.write_text('[versions]\namap = { strictly = "6.2.0" }\n[libraries]\n'
                       'amap = { group = "com.amap.api", name = "location", version.ref = "amap" }\n')
    apk = tmp_path / "app.apk"
    from axml import axml
    with zipfile.ZipFile(apk, "w") as archive:
        archive.writestr("AndroidManifest.xml", axml([(0, "manifest", {"package": "x.y"}, 1)]))
        archive.writestr("META-INF/com.amap.api_location.version", "6.3.0\n")
    lock = tmp_path / "ios" / "Podfile.lock"
    lock.parent.mkdir()
    lock.write_text("PODS:\n  - AMapFoundation (1.8.0)\n  - AMapLocation (2.10.0):\n"
                    "    - AMapFoundation (>= 1.8.0)\n\nDEPENDENCIES:\n  - AMapLocation\n")
    for build_file, version in ((gradle, "6.1.0"), (catalog, "6.2.0"), (apk, "6.3.0"),
                                (lock, "2.10.0")):
        (result,) = [m for code, _, _, m in found(compliant, build_file)
                     if code == "APP-SDK-VERSION"]
        assert re.search(rf"embeds ([\d.]+, )*{re.escape(version)}\b", result), build_file.name


def test_required_data_beyond_the_app_types_necessary_information(compliant):
    edit(compliant, "policy.yaml", "app:\n", "app_type: 网络社区类\napp:\n")
    collection = compliant / "sections" / "01-collection.yaml"
    assert [(code, line) for code, _, line, _ in found(compliant)] == [
        ("APPTYPE-REQUIRED-BEYOND-NECESSARY", line_of(collection, "- name: 账单金额"))]
    edit(compliant, "policy.yaml", "app_type: 网络社区类", "app_type: 实用工具类")
    assert [m for _, _, _, m in found(compliant)][0].startswith("'手机号码' is marked required")


def test_every_app_type_has_its_necessary_information_and_each_item_is_compared():
    """Art. 5 sets the necessary information of all 39 types; an item that named nothing
    the comparison knows would make data the regulation calls necessary a finding."""
    types = app_types()
    assert sum(bool(t.necessary) for t in types.values()) == 26
    assert types["婚恋相亲类"].necessary == ("注册用户移动电话号码", "婚恋相亲人的性别、年龄、婚姻状况")
    assert types["交通票务类"].service == "交通相关的票务服务及行程管理（如票务购买、改签、退票、行程管理等）"
    assert [(t.name, item) for t in types.values() for item in t.necessary
            if not concepts(item)] == []


def test_a_dating_app_may_require_marital_status_a_community_app_may_not(compliant):
    edit(compliant, "policy.yaml", "app:\n", "app_type: 婚恋相亲类\napp:\n")
    collection = compliant / "sections" / "01-collection.yaml"
    (message,) = [m for code, _, line, m in found(compliant)
                  if code == "APPTYPE-REQUIRED-BEYOND-NECESSARY"
                  and line == line_of(collection, "- name: 账单金额")]
    assert "婚恋相亲人的性别、年龄、婚姻状况" in message
    edit(compliant, "sections/01-collection.yaml", "- name: 账单金额", "- name: 婚姻状况")
    assert codes(compliant) == []
    edit(compliant, "policy.yaml", "app_type: 婚恋相亲类", "app_type: 网络社区类")
    assert [(code, line) for code, _, line, _ in found(compliant)] == [
        ("APPTYPE-REQUIRED-BEYOND-NECESSARY", line_of(collection, "- name: 婚姻状况"))]


FACE_FEATURE = """
      - name: 刷脸登录
        id: face-login
        blocks:
          - 您可以选择刷脸登录。
        purpose: 验证您的身份
        method: 收集
        data:
          - name: 人脸信息
            category: 生物识别信息
            sensitive: yes
            required: no
            necessity: 用于核验是否为您本人
            impact: 人脸信息泄露可能导致您的身份被冒用
"""


def test_face_data_states_consent_retention_place_and_an_alternative(compliant):
    edit(compliant, "sections/01-collection.yaml", "\n  - title: 权限说明", FACE_FEATURE +
         "\n  - title: 权限说明")
    ((code, _, _, message),) = found(compliant)
    assert code == "FACE-NOTICE"
    assert message.endswith("separate consent, retention period, storage place (on the device "
                            "unless separately agreed), an alternative to face verification")
    edit(compliant, "sections/01-collection.yaml", "          - 您可以选择刷脸登录。",
         "          - 您可以选择刷脸登录，我们在首次使用前单独征得您的同意。人脸信息仅存储在您的设备内，"
         "我们不保存。您也可以选择短信验证码等其他方式登录。")
    assert codes(compliant) == []


def test_a_face_verification_sdk_is_held_to_the_same_statements(compliant):
    edit(compliant, "sections/02-sdks.yaml", "      - 精确位置信息\n",
         "      - 精确位置信息\n      - 面部特征\n")
    ((code, file, _, message),) = found(compliant, language="zh")
    assert (code, file) == ("FACE-NOTICE", "02-sdks.yaml")
    assert message.startswith("第三方“高德定位SDK”处理人脸信息（“面部特征”），但未说明单独同意")


def test_annex_a_categories_name_the_category(compliant):
    edit(compliant, "sections/01-collection.yaml", "          - name: 账单备注\n",
         "          - name: 犯罪记录\n")
    edit(compliant, "sections/01-collection.yaml", "          - name: 账单金额\n",
         "          - name: 身份证号\n")
    found_zh = found(compliant, language="zh")
    assert [(code, m) for code, _, _, m in found_zh] == [
        ("GBT45574-A-SENSITIVE", "“犯罪记录”属于GB/T 45574-2025附录A的敏感个人信息类别“其他敏感个人信息”，"
                                 "但未标注 `sensitive: yes`")]   # 身份证号 is left to PIPL-28
