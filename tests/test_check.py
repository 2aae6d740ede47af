"""`policyc check` and `policyc explain`: the findings on the reference policy, none on the
compliant example, one rule at a time on changed copies, and the three output formats."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from policyc.build import build
from policyc.check import PROFILES, RULES, check_project, published
from policyc.cli import cli
from policyc.diagnostics import PolicyError, Report, Severity
from policyc.project import load_project
from policyc.schema import Text

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "policy_src"
COMPLIANT = ROOT / "tests" / "fixtures" / "compliant"
POLICY = "policy_src/policy.yaml"
COLLECTION = "policy_src/sections/01-collection.yaml"
SDKS = "policy_src/sections/03-sdks.yaml"
RIGHTS = "policy_src/sections/07-rights.yaml"
SHARING = "policy_src/sections/04-sharing.yaml"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Paths in findings are shown relative to the working folder: the project root."""
    monkeypatch.chdir(ROOT)


def lines(path: str) -> list[str]:
    return (ROOT / path).read_text(encoding="utf-8").split("\n")


def line_of(path: str, needle: str, after: str = "") -> int:
    """1-based number of the first line containing ``needle`` at or after the first line
    containing ``after``."""
    text = lines(path)
    start = next(i for i, line in enumerate(text) if after in line)
    return next(i for i in range(start, len(text)) if needle in text[i]) + 1


def lines_matching(path: str, pattern: str) -> list[int]:
    return [i for i, line in enumerate(lines(path), 1) if re.search(pattern, line)]


FAMILIES = ("CONS-", "PIPL-", "GBT-", "MIIT-", "GDPR-", "NDSR-", "CAC-", "APPTYPE-", "FACE-",
            "GBT45574-")


def findings(src: Path, profiles=None, language="en") -> list:
    """The findings of the compliance rule families (consistency, PIPL, GB/T, MIIT, GDPR)."""
    report = Report()
    check_project(load_project(src, report), report, profiles, language)
    return [d for d in report.sorted() if d.code.startswith(FAMILIES)]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


# ----------------------------------------------------------------------- reference policy

def expected_reference_findings() -> set[tuple[str, str, int]]:
    """What the reference sources lack under the pipl profile, read off the sources."""
    features = lines_matching(COLLECTION, r"^      - name: ")   # the six features
    sdks = lines_matching(SDKS, r"^  - name: ")                   # the five SDKs
    rights = line_of(RIGHTS, "title:")
    sensitive = [line_of(COLLECTION, "- name: 通讯录"), line_of(COLLECTION, "- name: 位置信息")]
    expected = {
        # the preamble and two rights promise 7 working days, contact.response_days is 15
        ("CONS-RESPONSE-TIME", POLICY, line_of(POLICY, "7个工作日")),
        ("CONS-RESPONSE-TIME", RIGHTS, line_of(RIGHTS, "七个工作日")),
        ("CONS-RESPONSE-TIME", RIGHTS, line_of(RIGHTS, "七个工作日", after="kind: requests")),
        # 业务功能四 lists no data; neither it nor 业务功能五 says where data goes (the others
        # say "本地存储" or "存储于…服务器" in their description)
        ("PIPL-17-DATA", COLLECTION, line_of(COLLECTION, "- name: 业务功能四")),
        ("PIPL-17-METHOD", COLLECTION, line_of(COLLECTION, "- name: 业务功能四")),
        ("PIPL-17-METHOD", COLLECTION, line_of(COLLECTION, "- name: 业务功能五")),
        # sensitive items without necessity and impact, nor a separate consent
        *{("PIPL-30-SENSITIVE", COLLECTION, n) for n in sensitive},
        *{("PIPL-29-SEPARATE-CONSENT", COLLECTION, n) for n in sensitive},
        # feature permissions missing from their rows, and row permissions no feature declares
        ("CONS-PERMISSION-NO-ROW", COLLECTION,
         line_of(COLLECTION, "获取读写手机存储权限", after="id: bind-device")),
        ("CONS-PERMISSION-NO-ROW", COLLECTION,
         line_of(COLLECTION, "- 拨打电话", after="id: phone-call")),
        ("CONS-PERMISSION-UNDECLARED", COLLECTION,
         line_of(COLLECTION, "修改或删除存储卡中的内容", after="feature: 数据采集")),
        ("CONS-PERMISSION-UNDECLARED", COLLECTION,
         line_of(COLLECTION, "读取联系人", after="feature: 拨打电话")),
        ("CONS-PERMISSION-UNDECLARED", COLLECTION,
         line_of(COLLECTION, "查看网络状态", after="feature: 绑定谁设备")),
        # rows whose feature the data_collected section never declares
        *{("CONS-ROW-FEATURE", COLLECTION, line_of(COLLECTION, f"feature: {name}"))
          for name in ("附近客源", "卸载", "防封电话", "数据存储", "图片上传", "支付成为会员")},
        # SDKs without provider, contact, method (and mostly data) or a policy link; the
        # sharing section speaks of "明确同意", not of a separate consent
        *{("PIPL-23-RECIPIENT", SDKS, n) for n in sdks},
        *{("MIIT-SDK-POLICY-LINK", SDKS, n) for n in sdks},
        ("PIPL-23-SEPARATE-CONSENT", SHARING, line_of(SHARING, "title:")),
        # rights the rights section does not describe
        *{(code, RIGHTS, rights) for code in ("PIPL-45-ACCESS", "PIPL-45-COPY",
                                              "PIPL-45-PORTABILITY", "PIPL-46-CORRECT",
                                              "PIPL-48-EXPLAIN", "PIPL-49-DECEASED")},
        ("PIPL-47-DELETE-CASES", RIGHTS, line_of(RIGHTS, "- kind: delete")),
        # 网络数据安全管理条例 Art. 21: restriction of processing is not among the rights
        ("NDSR-21-RESTRICT", RIGHTS, rights),
    }
    assert len(features) == 6 and len(sdks) == 5
    return expected


def test_reference_findings_are_exactly_what_the_sources_lack():
    found = findings(REFERENCE)
    assert {(d.code, d.loc.path, d.loc.line) for d in found} == expected_reference_findings()
    assert len(found) == len(expected_reference_findings())
    assert all(d.severity is Severity.WARNING for d in found)  # a published policy: no errors


def test_reference_findings_point_at_the_column_of_the_problem():
    by_code = {}
    for d in findings(REFERENCE):
        by_code.setdefault(d.code, []).append(d)
    preamble = next(d for d in by_code["CONS-RESPONSE-TIME"] if d.loc.path == POLICY)
    assert preamble.loc.col == lines(POLICY)[preamble.loc.line - 1].index("7个工作日") + 1
    row = next(d for d in by_code["CONS-ROW-FEATURE"] if "附近客源" in d.message)
    assert row.loc.col == lines(COLLECTION)[row.loc.line - 1].index("feature:") + 1
    assert "附近客源" in row.message and "feature_id" in row.message


def test_prose_that_is_no_data_list_is_not_open_ended():
    """"包括不限于 … 等" in the description of 拨打电话功能 lists call limits, not data."""
    assert "包括不限于" in (ROOT / COLLECTION).read_text(encoding="utf-8")
    assert not [d for d in findings(REFERENCE) if d.code == "CONS-OPEN-ENDED"]


def test_reference_under_gdpr_lacks_the_gdpr_facts():
    codes = {d.code for d in findings(REFERENCE, ["gdpr"])}
    assert {"GDPR-27-REPRESENTATIVE", "GDPR-77-COMPLAINT",
            "GDPR-13-LEGAL-BASIS", "GDPR-13-RECIPIENTS", "GDPR-13-2E-REQUIREMENT",
            "GDPR-15-ACCESS", "GDPR-16-RECTIFY", "GDPR-18-RESTRICT",
            "GDPR-20-PORTABILITY", "GDPR-21-OBJECT"} <= codes
    # what the reference does say: erasure, withdrawal, the storage period ("在您使用…期间")
    # and that data does not leave China ("不会涉及跨境传输"), unsubscribing from marketing
    assert not codes & {"GDPR-17-ERASE", "GDPR-7-WITHDRAW", "GDPR-13-RETENTION",
                        "GDPR-13-TRANSFERS", "GDPR-21-4-MARKETING"}
    # China-only rules (permission table, open-ended lists, MIIT) do not run under gdpr
    assert not any(code.startswith(("PIPL-", "GBT-", "MIIT-")) for code in codes)
    assert not codes & {"CONS-ROW-FEATURE", "CONS-FEATURE-NO-ROW", "CONS-PERMISSION-NO-ROW",
                        "CONS-PERMISSION-UNDECLARED", "CONS-OPEN-ENDED"}


def test_messages_follow_the_policy_language_by_default():
    report = Report()
    check_project(load_project(REFERENCE, report), report)
    rights = next(d for d in report.diagnostics if d.code == "PIPL-45-COPY")
    assert "复制个人信息" in rights.message


# ----------------------------------------------------------------------- compliant example


def test_a_recorded_fact_printed_nowhere_is_a_finding_and_satisfies_no_rule(compliant,
                                                                           monkeypatch):
    """As if the editions left out the register feature's legal basis."""
    printed = published.published_facts
    monkeypatch.setattr(published, "published_facts", lambda project: printed(project) - {
        "feature:register/legal_basis"})
    found = {(d.code, d.loc.line) for d in findings(compliant, ["gdpr"])}
    path = f"{compliant / COLL}"
    assert found == {("CONS-FACT-UNPUBLISHED", line_of(path, "legal_basis: contract")),
                     ("GDPR-13-LEGAL-BASIS", line_of(path, "- name: 注册与登录"))}


def test_every_published_fact_is_in_the_built_policy_or_its_lists(tmp_path):
    """What the checks count as published is text a reader finds in the HTML edition or
    the MIIT lists."""
    project = load_project(COMPLIANT, Report())
    build(COMPLIANT, tmp_path, ["html"])
    shown = "".join(lxml.html.parse(str(path)).getroot().text_content()
                    for path in (tmp_path / "zh-CN").glob("*.html"))
    printed = published.published_facts(project)
    facts = list(published.recorded_facts(project))
    assert facts and all(fact in printed for fact, _ in facts)
    for fact, value in facts:
        worded = fact.endswith("/legal_basis")      # printed as 合同 / contract, not the key
        if isinstance(value, Text) and "{" not in value and not worded:
            assert plain_text(value) in shown, fact


def plain_text(value: str) -> str:
    return re.sub(r"\*\*|\[|\]\([^)]*\)", "", value)


@pytest.mark.parametrize("profiles", [None, ["pipl"], ["gdpr"], ["pipl", "gdpr"]])
def test_compliant_example_has_no_findings(profiles):
    assert findings(COMPLIANT, profiles) == []


@pytest.fixture
def compliant(tmp_path) -> Path:
    dest = tmp_path / "compliant"
    shutil.copytree(COMPLIANT, dest)
    return dest


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


COLL = "sections/01-collection.yaml"
CHANGES = [
    # (file, old, new, codes (the first one is located), its severity, text on its line)
    ("policy.yaml", "effective: 2024-05-20", "effective: 2024-04-30",
     ["CONS-DATE-ORDER"], Severity.ERROR, "effective:"),
    # every "15个工作日" in the text now disagrees with response_days as well
    ("policy.yaml", "response_days: 15", "response_days: 20",
     ["MIIT-15-DAYS", "CONS-RESPONSE-TIME"], Severity.WARNING, "email: privacy@"),
    ("sections/06-rights.yaml", "在15个工作日内答复您的请求", "在30个工作日内答复您的请求",
     ["MIIT-15-DAYS", "CONS-RESPONSE-TIME"], Severity.WARNING, "30个工作日"),
    # the children's section still says 不满14周岁: a contradiction as well
    ("policy.yaml", "age: 14", "age: 12", ["PIPL-31-CHILD-AGE", "PIPL-31-AGE-TEXT"],
     Severity.ERROR, "age: 12"),
    ("sections/02-sdks.yaml", "      - 精确位置信息", "      - 设备标识符",
     ["CONS-SDK-DATA"], Severity.WARNING, "设备标识符"),
    (COLL, "          - name: 账单备注", "          - name: 账单备注等",
     ["CONS-OPEN-ENDED"], Severity.WARNING, "账单备注等"),
    (COLL, "          - name: 账单金额", "          - name: 身份证号",
     ["PIPL-28-SENSITIVE-MARK"], Severity.WARNING, "身份证号"),
    # a right is read in its words too: the kind and the wording must both go
    ("sections/06-rights.yaml", "  - kind: explanation\n    title: 要求解释说明\n    blocks:\n"
     "      - 您可以通过{ref:contact}中的方式要求我们解释本政策所述的处理规则。\n", "",
     ["PIPL-48-EXPLAIN"], Severity.WARNING, "title: 您的权利"),
    # the row no longer names its feature (the feature's id stays: diffs match on it)
    (COLL, "      - feature: 注册与登录\n        feature_id: register\n",
     "      - feature: 登录\n", ["CONS-ROW-FEATURE"], Severity.WARNING, "feature: 登录"),
    ("sections/08-updates.yaml", "  - 本政策更新后", "  - numbered:\n      - id: notice\n"
     "        text: 本政策更新后", ["CONS-UNUSED-ID"], Severity.WARNING, "id: notice"),
    ("policy.yaml", "preamble:", "variables:\n  hotline: '95000'\npreamble:",
     ["CONS-UNUSED-VARIABLE"], Severity.WARNING, "hotline"),
    ("policy.yaml", "  retention: 账号存续期间；您注销账号后，我们在30日内删除或匿名化处理您的个人信息\n",
     "  retention: 在实现目的所必需的最短时间内保存\n", ["CONS-RETENTION-VAGUE"],
     Severity.WARNING, "所必需的最短时间"),
    ("policy.yaml", "  officer:\n    name: 个人信息保护负责人\n    email: pio@qinghe.test\n", "",
     ["PIPL-52-OFFICER"], Severity.WARNING, "title: 如何联系我们"),
    # rules added for PIPL Art. 23-25, 29, 38-39, 45(3), 47, 49 and GDPR Art. 13(2), 14, 21(4)
    ("sections/03-sharing.yaml", "并取得您的单独同意。", "并取得您的同意。",
     ["PIPL-23-SEPARATE-CONSENT"], Severity.WARNING, "title: 我们如何共享"),
    ("sections/03-sharing.yaml", "我们仅在法律法规要求时公开披露您的个人信息。",
     "我们会在活动页面公开披露获奖用户的昵称和手机号后四位。", ["PIPL-25-PUBLIC"],
     Severity.WARNING, "公开披露获奖用户"),
    (COLL, "我们不进行自动化决策，也不对您进行用户画像。", "我们根据您的账单向您个性化推荐理财产品。",
     ["PIPL-24-AUTOMATED", "GDPR-13-2F-AUTOMATED"], Severity.WARNING, "个性化推荐"),
    (COLL, "我们在首次读取前单独征得您的同意；", "我们在首次读取前征得您的同意；",
     ["PIPL-29-SEPARATE-CONSENT"], Severity.WARNING, "name: 精确位置信息"),
    ("sections/04-storage.yaml", "不向境外提供。", "并会传输至境外的服务商。",
     ["PIPL-39-OVERSEAS-RECIPIENT", "GDPR-46-SAFEGUARDS"], Severity.WARNING, "title: 我们如何存储"),
    ("sections/06-rights.yaml", "kind: portability", "kind: other",
     ["PIPL-45-PORTABILITY"], Severity.WARNING, "title: 您的权利"),   # GDPR: for review (a copy is offered)
    ("sections/06-rights.yaml", "处理目的已实现、我们停止提供服务、保存期限已届满或您撤回同意时，我们会主动删除您的"
     "个人信息。", "", ["PIPL-47-DELETE-CASES"], Severity.WARNING, "kind: delete"),
    ("sections/06-rights.yaml", "如您不幸去世，您的近亲属可以", "您可以", ["PIPL-49-DECEASED"],
     Severity.WARNING, "title: 您的权利"),
    (COLL, "我们在首次读取前单独征得您的同意；不同意时您仍可使用其他功能，但无法查看附近门店。",
     "我们在首次读取前单独征得您的同意。", ["GDPR-13-2E-REQUIREMENT"], Severity.WARNING,
     "name: 附近门店"),
    (COLL, "  - 我们仅为以下业务功能收集和使用您的个人信息。", "  - 我们还会从第三方获取您的消费记录。\n"
     "  - 我们仅为以下业务功能收集和使用您的个人信息。", ["GDPR-14-SOURCE"], Severity.WARNING,
     "从第三方获取"),
    # a role left out is a suggestion, and the rule that needs it reads the suggested section
    ("sections/05-protection.yaml", "role: security\n", "", ["CONS-ROLE-SUGGESTED"],
     Severity.NOTE, "title: 我们如何保护"),
    # answer times in calendar and business days are read too (15 working days ≈ 21 days)
    ("sections/06-rights.yaml", "在15个工作日内答复您的请求", "在30天内答复您的请求",
     ["MIIT-15-DAYS", "CONS-RESPONSE-TIME"], Severity.WARNING, "30天"),
    ("sections/06-rights.yaml", "在15个工作日内答复您的请求", "在20日内回复您的请求",
     ["CONS-RESPONSE-TIME"], Severity.WARNING, "20日"),
    ("sections/06-rights.yaml", "在15个工作日内答复您的请求", "within 20 business days reply to "
     "your request", ["MIIT-15-DAYS", "CONS-RESPONSE-TIME"], Severity.WARNING, "20 business"),
    ("policy.yaml", "  address: 浙江省杭州市西湖区文三路100号", "  address: 1 Main Street, Springfield, USA",
     ["PIPL-53-REPRESENTATIVE"], Severity.WARNING, "title: 如何联系我们"),
    ("policy.yaml", "  supervisory_authority:", "  supervisory_authority_note:",
     None, Severity.ERROR, ""),   # an unknown key is a source error, not a finding
]


@pytest.mark.parametrize("file, old, new, codes, severity, marker", CHANGES,
                         ids=[c[3][0] if c[3] else "unknown-key" for c in CHANGES])
def test_each_rule_reports_its_change_at_its_place(compliant, file, old, new, codes, severity,
                                                    marker):
    edit(compliant, file, old, new)
    if codes is None:
        with pytest.raises(PolicyError):
            findings(compliant)
        return
    found = findings(compliant, ["pipl", "gdpr"])
    assert {d.code for d in found} == set(codes)
    finding = next(d for d in found if d.code == codes[0])
    assert finding.severity is severity
    shown = Path(finding.loc.path)
    assert marker in shown.read_text(encoding="utf-8").split("\n")[finding.loc.line - 1]


def test_a_misspelt_feature_id_is_an_error_and_leaves_the_feature_without_a_row(compliant):
    edit(compliant, COLL, "feature_id: nearby", "feature_id: nearbyy")
    found = {d.code: d for d in findings(compliant)}
    assert set(found) == {"CONS-UNKNOWN-FEATURE", "CONS-FEATURE-NO-ROW"}
    unknown = found["CONS-UNKNOWN-FEATURE"]
    assert unknown.severity is Severity.ERROR
    line = (compliant / COLL).read_text(encoding="utf-8").split("\n")[unknown.loc.line - 1]
    assert line.index("nearbyy") + 1 == unknown.loc.col


def test_retention_is_read_from_the_storage_section_when_no_field_states_it(compliant):
    edit(compliant, "policy.yaml",
         "  retention: 账号存续期间；您注销账号后，我们在30日内删除或匿名化处理您的个人信息\n", "")
    assert findings(compliant, ["pipl", "gdpr"]) == []       # "在您的账号存续期间保存"
    edit(compliant, "sections/04-storage.yaml",
         "我们在您的账号存续期间保存您的个人信息；您注销账号后，我们在30日内删除或匿名化处理。",
         "我们会妥善保管您的个人信息。")
    found = findings(compliant, ["pipl", "gdpr"])
    assert {(d.code, d.loc.line) for d in found} == {
        (code, line_of(f"tests/fixtures/compliant/{COLL}", "- name: 注册与登录"))
        for code in ("PIPL-17-RETENTION", "GDPR-13-RETENTION")}


def test_open_ended_wording_is_reported_at_every_occurrence(compliant):
    edit(compliant, COLL, "          - name: 账单备注", "          - name: 账单备注等")
    edit(compliant, "sections/02-sdks.yaml", "      - 精确位置信息", "      - 精确位置信息等")
    edit(compliant, COLL, "            category: 个人位置信息", "            category: 位置信息例如GPS等")
    found = [d for d in findings(compliant) if d.code == "CONS-OPEN-ENDED"]
    assert sorted(d.message.split("'")[1] for d in found) == \
        ["例如", "等", "等", "等"]
    assert not [d for d in findings(compliant, ["gdpr"]) if d.code == "CONS-OPEN-ENDED"]


def test_an_sdk_may_name_a_data_item_by_its_alias_or_id(compliant):
    edit(compliant, "sections/02-sdks.yaml", "      - 精确位置信息", "      - 定位信息")
    assert [d.code for d in findings(compliant)] == ["CONS-SDK-DATA"]
    edit(compliant, COLL, "            sensitive: yes\n",
         "            sensitive: yes\n            aliases: [定位信息]\n")
    assert findings(compliant) == []
    edit(compliant, "sections/02-sdks.yaml", "      - 定位信息", "      - gps")
    edit(compliant, COLL, "            aliases: [定位信息]\n", "            id: gps\n")
    assert findings(compliant) == []


def test_ids_used_only_by_translations_are_used(compliant):
    edit(compliant, "sections/08-updates.yaml", "  - 本政策更新后", "  - numbered:\n"
         "      - id: notice\n        text: 本政策更新后")
    assert [d.code for d in findings(compliant)] == ["CONS-UNUSED-ID"]
    edit(compliant, "policy.yaml", "locale: zh-CN\n", "locale: zh-CN\nlocales: [zh-CN, en]\n")
    (compliant / "translations").mkdir()
    (compliant / "translations" / "en.yaml").write_text(
        "locale: en\ntexts:\n  - at: notice/text\n    source: x\n    text: y\n",
        encoding="utf-8")
    assert "CONS-UNUSED-ID" not in {d.code for d in findings(compliant)}


def test_a_title_about_protecting_minors_is_not_the_security_section(compliant):
    edit(compliant, "sections/05-protection.yaml", "title: 我们如何保护您的个人信息\nid: protection\n"
         "role: security\n", "title: 其他事项\nid: protection\n")
    edit(compliant, "sections/07-children.yaml", "title: 我们如何处理儿童的个人信息\nid: children\n"
         "role: children\n", "title: 未成年人信息的保护\nid: children\n")
    found = {d.code: d for d in findings(compliant)}
    # the measures are still described (加密 …), under "其他事项": read by content
    assert set(found) == {"CONS-ROLE-SUGGESTED"}
    assert "`role: children`" in found["CONS-ROLE-SUGGESTED"].message
    assert "security" not in found["CONS-ROLE-SUGGESTED"].message


def test_without_guardian_facts_the_children_section_must_name_the_guardian(compliant):
    edit(compliant, "policy.yaml", "children:\n  age: 14\n  guardian_consent: yes\n"
         "  rules: 本政策“我们如何处理儿童的个人信息”一节\n", "")
    assert findings(compliant) == []                   # "须由其父母或其他监护人阅读本政策并同意"
    edit(compliant, "sections/07-children.yaml", "须由其父母或其他监护人阅读本政策并同意", "须阅读本政策")
    edit(compliant, "sections/07-children.yaml", "在未获监护人同意的情况下", "")
    assert [(d.code, d.loc.line) for d in findings(compliant)] == [("PIPL-31-GUARDIAN", 2)]


def test_sharing_without_any_declared_recipient(compliant):
    edit(compliant, "policy.yaml", "  - sections/02-sdks.yaml\n", "")
    edit(compliant, "sections/03-sharing.yaml", "除{ref:sdks}所列的第三方SDK外，我们不与任何公司、组织和个人"
         "共享您的个人信息。", "我们会与合作伙伴共享您的个人信息。")
    found = findings(compliant, ["pipl", "gdpr"])
    assert [(d.code, d.loc.line) for d in found] == [("CONS-SHARED-NO-RECIPIENT", 2)]
    assert "names no recipient" in found[0].message


def test_a_document_of_third_parties_only_is_checked_as_a_third_party_list(compliant):
    policy = (compliant / "policy.yaml").read_text(encoding="utf-8")
    start = policy.index("sections:\n")
    (compliant / "policy.yaml").write_text(policy[:start] + "sections:\n  - sections/02-sdks.yaml\n",
                                           encoding="utf-8")
    # without a contact section the officer is printed nowhere: a true finding
    assert "CONS-FACT-UNPUBLISHED" in {d.code for d in findings(compliant)}
    edit(compliant, "policy.yaml", "  officer:\n    name: 个人信息保护负责人\n    email: pio@qinghe.test\n",
         "")
    found = findings(compliant, ["pipl", "gdpr"])
    assert [(d.code, d.severity) for d in found] == [("CONS-THIRD-PARTY-LIST", Severity.NOTE)]
    edit(compliant, "sections/02-sdks.yaml", "    provider: 高德软件有限公司\n", "")
    assert {d.code for d in findings(compliant, ["pipl", "gdpr"])} == {
        "CONS-THIRD-PARTY-LIST", "PIPL-23-RECIPIENT", "GDPR-13-RECIPIENTS"}


def test_messages_show_names_without_markup(compliant):
    edit(compliant, COLL, "      - name: 附近门店", "      - name: '**附近**门店'")
    edit(compliant, COLL, "我们在首次读取前单独征得您的同意；", "我们在首次读取前征得您的同意；")
    edit(compliant, COLL, "          - name: 精确位置信息",
         "          - name: '[精确位置](https://a.example)信息'")
    edit(compliant, "sections/02-sdks.yaml", "      - 精确位置信息", "      - 精确位置信息\n      - 地址")
    messages = [d.message for d in findings(compliant)]
    assert messages and not any("**" in m or "](" in m for m in messages)
    assert any("'精确位置信息'" in m for m in messages)


def test_words_that_only_contain_deng_are_not_open_ended(compliant):
    edit(compliant, COLL, "          - name: 账单备注", "          - name: 账单等级与平等标记")
    assert findings(compliant) == []


def test_build_refuses_on_errors_and_writes_nothing(compliant, tmp_path):
    edit(compliant, "policy.yaml", "effective: 2024-05-20", "effective: 2024-04-30")
    out = tmp_path / "out"
    with pytest.raises(PolicyError) as caught:
        build(compliant, out, ["html"])
    assert [d.code for d in caught.value.report.errors] == ["CONS-DATE-ORDER"]
    assert not out.exists()


def test_build_reports_warnings_and_still_builds(tmp_path):
    report = Report()
    build(REFERENCE, tmp_path, ["md"], report)
    assert report.warnings and not report.errors
    assert (tmp_path / "zh-CN" / "privacy-policy.md").is_file()


# ------------------------------------------------------------------------- command line

def test_text_output_is_compiler_style_with_a_summary():
    result = run("check", "policy_src", "--lang", "en")
    assert result.exit_code == 0
    out = result.stderr.strip().split("\n")
    row_line = line_of(COLLECTION, "feature: 附近客源")
    col = lines(COLLECTION)[row_line - 1].index("feature:") + 1
    assert (f"{COLLECTION}:{row_line}:{col}: warning: permission row '附近客源' names no "
            "feature declared in the data_collected section; add `feature_id` "
            "[CONS-ROW-FEATURE]") in out
    count = len(expected_reference_findings())
    assert out[-1] == f"policy_src: 0 errors, {count} warnings (profiles: pipl)"
    findings_, evidence = ([line for line in out[:-1] if not line.startswith("    ")],
                           [line for line in out[:-1] if line.startswith("    ")])
    assert len(findings_) == count
    assert all(re.match(r"\S+:\d+:\d+: warning: .+ \[[A-Z0-9.-]+\]$", line) for line in findings_)
    assert all(re.match(r"    (read: \S+:\d+: .+|searched: .+)$", line) for line in evidence)


def test_strict_counts_warnings():
    assert run("check", "policy_src", "--strict").exit_code == 1
    assert run("check", str(COMPLIANT), "--strict", "-p", "pipl", "-p", "gdpr").exit_code == 0


def test_compliance_findings_are_warnings_that_gate_only_when_asked(compliant):
    edit(compliant, "policy.yaml", "response_days: 15", "response_days: 20")
    result = run("check", str(compliant))
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "[MIIT-15-DAYS]" in result.stderr
    assert run("check", str(compliant), "--fail-on", "MIIT-15-DAYS").exit_code == 1
    assert run("check", str(compliant), "--fail-on", "miit-").exit_code == 1
    assert run("check", str(compliant), "--fail-on", "GDPR-").exit_code == 0
    assert run("check", str(compliant), "--fail-on", "MIIT-15").exit_code == 0  # no family
    edit(compliant, "policy.yaml", "title: 隐私政策", "title: 隐私政策\ncheck:\n  fail_on: [MIIT-15*]")
    assert run("check", str(compliant)).exit_code == 1


def test_source_errors_exit_1(compliant):
    edit(compliant, "policy.yaml", "effective: 2024-05-20", "effective: 2024-04-30")
    result = run("check", str(compliant))
    assert result.exit_code == 1 and "error: " in result.stderr


def test_github_annotations():
    result = run("check", "policy_src", "--format", "github", "--lang", "en")
    assert result.exit_code == 0
    annotations = result.stdout.strip().split("\n")
    assert len(annotations) == len(expected_reference_findings())
    rights = line_of(RIGHTS, "title:")
    copy = next(a for a in annotations if "title=PIPL-45-COPY" in a)
    assert copy.startswith(f"::warning file={RIGHTS},line={rights},col=1,title=PIPL-45-COPY::"
                           "the rights section does not describe how to obtain a copy (a right "
                           "of kind `copy`)%0Asearched: ")
    assert "sections/07-rights.yaml:2 “您的权利”" in copy
    assert all(re.match(r"::(warning|error) file=[^,]+,line=\d+,col=\d+,title=[A-Z0-9.-]+::",
                        a) for a in annotations)


def test_json_output():
    result = run("check", "policy_src", "--format", "json", "-p", "pipl")
    data = json.loads(result.stdout)
    assert data["profiles"] == ["pipl"]
    assert data["summary"] == {"errors": 0, "warnings": len(expected_reference_findings()),
                               "notes": 0, "review": 0}
    first = data["findings"][0]
    assert set(first) == {"code", "severity", "article", "file", "line", "column", "message",
                          "evidence", "searched"}
    assert all(f["evidence"] or f["searched"] for f in data["findings"])
    assert all(set(e) == {"file", "line", "text"} and e["text"] for f in data["findings"]
               for e in f["evidence"])
    method = [f for f in data["findings"] if f["code"] == "PIPL-17-METHOD"]
    assert {f["line"] for f in method} == {line_of(COLLECTION, "- name: 业务功能四"),
                                           line_of(COLLECTION, "- name: 业务功能五")}
    assert all(f["article"] == RULES["PIPL-17-METHOD"].article for f in method)


def test_source_errors_come_out_in_the_chosen_format(compliant):
    edit(compliant, "policy.yaml", "title: 隐私政策", "titel: 隐私政策")
    result = run("check", str(compliant), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    messages = [f["message"] for f in data["findings"] if f["severity"] == "error"]
    assert any("unknown key `titel`" in m for m in messages)
    text = run("check", str(compliant))
    assert text.exit_code == 1 and "policy.yaml:2:1: error: unknown key `titel`" in text.stderr


# ------------------------------------------------------------------------------- explain

def test_explain_prints_requirement_article_and_messages():
    result = run("explain", "pipl-17-retention")
    assert result.exit_code == 0
    rule = RULES["PIPL-17-RETENTION"]
    assert result.stdout.startswith("PIPL-17-RETENTION: warning, profile pipl\n")
    assert f"Enforces: {rule.article}" in result.stdout
    assert "retention period" in result.stdout and rule.message["zh"] in result.stdout


def test_explain_unknown_code_suggests_the_closest():
    result = run("explain", "PIPL-17-RETENTON")
    assert result.exit_code == 2
    assert "no rule has the code 'PIPL-17-RETENTON'; did you mean PIPL-17-RETENTION" \
        in result.stderr


def test_explain_without_code_lists_every_rule():
    listed = [line.split()[0] for line in run("explain").stdout.strip().split("\n")]
    assert listed == list(RULES)


def test_every_compliance_rule_is_documented_in_both_languages():
    for code, rule in RULES.items():
        if not code.startswith(FAMILIES):
            continue
        assert re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9.]+)+", code), code
        assert rule.article and len(rule.explanation) > 40, code
        assert rule.message["en"] and re.search(r"[\u4e00-\u9fff]", rule.message["zh"]), code
        assert rule.profile in ("consistency", *PROFILES), code


def test_a_section_without_role_is_a_note_that_does_not_fail_the_check(compliant):
    edit(compliant, "sections/05-protection.yaml", "role: security\n", "")
    result = run("check", str(compliant), "--lang", "en", "--strict")
    assert result.exit_code == 0
    note, *evidence, summary = result.stderr.strip().split("\n")
    assert evidence == ["    read: " + f"{compliant / 'sections/05-protection.yaml'}:2: "
                        "title: 我们如何保护您的个人信息"]
    assert ": note: section '我们如何保护您的个人信息' has no `role`" in note
    assert summary.endswith("no findings, 1 note (profiles: pipl)")
    github = run("check", str(compliant), "--format", "github").stdout
    assert github.startswith("::notice file=") and "title=CONS-ROLE-SUGGESTED" in github


def test_a_material_change_without_ref_or_label_is_an_error(src_copy):
    edit(src_copy, "policy.yaml", "  - ref: material-risk      # a high-risk impact assessment: "
         "judged by the editors", "  - kinds: []")
    result = run("check", str(src_copy), "--lang", "en")
    assert result.exit_code == 1
    assert "error: a material change needs `ref` (the list item that words it) or `label` " \
           "[VERSION-MATERIAL-NAME]" in result.stderr
    zh = run("check", str(src_copy)).stderr
    assert "重大变更类别须有 `ref`" in zh


def test_material_change_ids_that_name_nothing_are_errors_in_both_languages(src_copy):
    edit(src_copy, "policy.yaml", "  - ref: material-rights\n", "  - ref: material-right\n")
    edit(src_copy, "policy.yaml", "    sections: [contact]\n", "    sections: [contacts]\n")
    policy = (src_copy / "policy.yaml").read_text("utf-8").split("\n")
    ref_line = next(n for n, line in enumerate(policy, 1) if "material-right\n" in line + "\n")
    section_line = next(n for n, line in enumerate(policy, 1) if "[contacts]" in line)
    shown = f"{src_copy / 'policy.yaml'}"
    expected = {
        "zh": [f"{shown}:{ref_line}:10: error: 重大变更类别 `material-right` 须为说明该类变更的"
               "列表项的 id（通常在说明本政策如何更新的一节） [VERSION-MATERIAL-REF]",
               f"{shown}:{section_line}:16: error: 重大变更类别 `material-contact` 所列的章节 id "
               "`contacts` 不存在 [VERSION-MATERIAL-SECTION]"],
        "en": [f"{shown}:{ref_line}:10: error: material change `material-right` must be the id "
               "of a list item that words it (in the section on updates) [VERSION-MATERIAL-REF]",
               f"{shown}:{section_line}:16: error: unknown section id `contacts` in material "
               "change `material-contact` [VERSION-MATERIAL-SECTION]"],
    }
    for lang, lines in expected.items():
        result = run("check", str(src_copy), "--lang", lang)
        assert result.exit_code == 1
        assert [line for line in result.output.splitlines() if "VERSION-MATERIAL" in line] == lines
