"""What a build generates for an app from its policy: the Play Data safety CSV against the
form's columns and ids, the App Privacy JSON and PrivacyInfo.xcprivacy read back (plistlib),
InfoPlist.strings and Android strings.xml parsed as their tools do, the first-run notice's
data and page, and the rules that check the notice."""
from __future__ import annotations

import csv
import io
import json
import plistlib
import re
import shutil
from pathlib import Path

from lxml import etree, html

from policyc.build import build
from policyc.check import check_project
from policyc.diagnostics import Report
from policyc.project import load_project

ROOT = Path(__file__).resolve().parent.parent
COMPLIANT = ROOT / "tests" / "fixtures" / "app" / "policy"

# Play Console's Data safety CSV template: columns, data types per category, purposes
HEADER = ["Question ID (machine readable)", "Response ID (machine readable)", "Response value",
          "Answer requirement", "Human-friendly question label"]
PLAY_TYPES = {
    "PERSONAL": ["PSL_NAME", "PSL_EMAIL", "PSL_USER_ACCOUNT", "PSL_ADDRESS", "PSL_PHONE",
                 "PSL_RACE_ETHNICITY", "PSL_POLITICAL_RELIGIOUS",
                 "PSL_SEXUAL_ORIENTATION_GENDER_IDENTITY", "PSL_OTHER_PERSONAL"],
    "FINANCIAL": ["PSL_CREDIT_DEBIT_BANK_ACCOUNT_NUMBER", "PSL_PURCHASE_HISTORY",
                  "PSL_CREDIT_SCORE", "PSL_OTHER"],
    "LOCATION": ["PSL_APPROX_LOCATION", "PSL_PRECISE_LOCATION"],
    "SEARCH_AND_BROWSING": ["PSL_WEB_BROWSING_HISTORY"],
    "EMAIL_AND_TEXT": ["PSL_EMAILS", "PSL_SMS_CALL_LOG", "PSL_OTHER_MESSAGES"],
    "PHOTOS_AND_VIDEOS": ["PSL_PHOTOS", "PSL_VIDEOS"],
    "AUDIO": ["PSL_AUDIO", "PSL_MUSIC", "PSL_OTHER_AUDIO"],
    "HEALTH_AND_FITNESS": ["PSL_HEALTH", "PSL_FITNESS"],
    "CONTACTS": ["PSL_CONTACTS"], "CALENDAR": ["PSL_CALENDAR"],
    "APP_PERFORMANCE": ["PSL_CRASH_LOGS", "PSL_PERFORMANCE_DIAGNOSTICS", "PSL_OTHER_PERFORMANCE"],
    "FILES_AND_DOCS": ["PSL_FILES_AND_DOCS"],
    "APP_ACTIVITY": ["PSL_USER_INTERACTION", "PSL_IN_APP_SEARCH_HISTORY", "PSL_APPS_ON_DEVICE",
                     "PSL_USER_GENERATED_CONTENT", "PSL_OTHER_APP_ACTIVITY"],
    "IDENTIFIERS": ["PSL_DEVICE_ID"],
}
PLAY_PURPOSES = ["PSL_APP_FUNCTIONALITY", "PSL_ANALYTICS", "PSL_DEVELOPER_COMMUNICATIONS",
                 "PSL_FRAUD_PREVENTION_SECURITY", "PSL_ADVERTISING", "PSL_PERSONALIZATION",
                 "PSL_ACCOUNT_MANAGEMENT"]
REQUIREMENTS = {"REQUIRED", "MAYBE_REQUIRED", "MULTIPLE_CHOICE", "SINGLE_CHOICE", "OPTIONAL"}
APPLE_CATEGORIES = {"NAME", "EMAIL_ADDRESS", "PHONE_NUMBER", "PHYSICAL_ADDRESS",
                    "OTHER_CONTACT_INFO", "HEALTH", "FITNESS", "PAYMENT_INFORMATION",
                    "CREDIT_AND_FRAUD", "OTHER_FINANCIAL_INFO", "PRECISE_LOCATION",
                    "COARSE_LOCATION", "SENSITIVE_INFO", "CONTACTS", "EMAILS_OR_TEXT_MESSAGES",
                    "PHOTOS_OR_VIDEOS", "AUDIO", "GAMEPLAY_CONTENT", "CUSTOMER_SUPPORT",
                    "OTHER_USER_CONTENT", "BROWSING_HISTORY", "SEARCH_HISTORY", "USER_ID",
                    "DEVICE_ID", "PURCHASE_HISTORY", "PRODUCT_INTERACTION", "ADVERTISING_DATA",
                    "OTHER_USAGE_DATA", "CRASH_DATA", "PERFORMANCE_DATA",
                    "OTHER_DIAGNOSTIC_DATA", "OTHER_DATA"}
APPLE_PURPOSES = {"THIRD_PARTY_ADVERTISING", "DEVELOPERS_ADVERTISING", "ANALYTICS",
                  "PRODUCT_PERSONALIZATION", "APP_FUNCTIONALITY", "OTHER_PURPOSES"}


def template_ids() -> set[tuple[str, str]]:
    """Every (question, response) pair of the Play template this generator answers."""
    ids = {("PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA", ""),
           ("PSL_DATA_COLLECTION_ENCRYPTED_IN_TRANSIT", ""),
           ("PSL_SUPPORT_DATA_DELETION_BY_USER", "DATA_DELETION_YES"),
           ("PSL_SUPPORT_DATA_DELETION_BY_USER", "DATA_DELETION_NO")}
    for category, types in PLAY_TYPES.items():
        for data_type in types:
            ids.add((f"PSL_DATA_TYPES_{category}", data_type))
            usage = f"PSL_DATA_USAGE_RESPONSES:{data_type}:"
            ids |= {(usage + "PSL_DATA_USAGE_COLLECTION_AND_SHARING", "PSL_DATA_USAGE_ONLY_COLLECTED"),
                    (usage + "PSL_DATA_USAGE_COLLECTION_AND_SHARING", "PSL_DATA_USAGE_ONLY_SHARED"),
                    (usage + "PSL_DATA_USAGE_EPHEMERAL", ""),
                    (usage + "DATA_USAGE_USER_CONTROL", "PSL_DATA_USAGE_USER_CONTROL_OPTIONAL"),
                    (usage + "DATA_USAGE_USER_CONTROL", "PSL_DATA_USAGE_USER_CONTROL_REQUIRED")}
            for purpose in PLAY_PURPOSES:
                ids |= {(usage + "DATA_USAGE_COLLECTION_PURPOSE", purpose),
                        (usage + "DATA_USAGE_SHARING_PURPOSE", purpose)}
    return ids


def answered(rows, question_prefix: str) -> set[str]:
    return {r[1] for r in rows if r[0].startswith(question_prefix) and r[2] == "true"}


def test_data_safety_csv_is_the_play_template_answered_from_the_policy(reference_build):
    raw = (reference_build / "app" / "data-safety.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # Play reads the header's first cell literally
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == HEADER
    body = rows[1:]
    assert all(len(row) == 5 for row in body)
    pairs = [(r[0], r[1]) for r in body]
    assert len(pairs) == len(set(pairs)) and set(pairs) == template_ids()
    assert {r[3] for r in body} <= REQUIREMENTS and all(r[4].strip() for r in body)
    assert {r[2] for r in body} <= {"", "true", "false"}
    assert answered(body, "PSL_DATA_TYPES_") == {"PSL_PHONE", "PSL_PRECISE_LOCATION",
                                                  "PSL_CONTACTS", "PSL_DEVICE_ID"}
    values = {(r[0], r[1]): r[2] for r in body}
    assert values[("PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA", "")] == "true"
    assert values[("PSL_SUPPORT_DATA_DELETION_BY_USER", "DATA_DELETION_YES")] == "true"
    usage = "PSL_DATA_USAGE_RESPONSES:{}:PSL_DATA_USAGE_COLLECTION_AND_SHARING"
    # 高德地图sdk receives 位置信息: location is collected and shared, the phone number only collected
    assert values[(usage.format("PSL_PRECISE_LOCATION"), "PSL_DATA_USAGE_ONLY_SHARED")] == "true"
    assert values[(usage.format("PSL_PHONE"), "PSL_DATA_USAGE_ONLY_SHARED")] == ""
    # 注册成为用户 (免密登录或短信验证注册): the phone number serves account management too
    assert answered(body, "PSL_DATA_USAGE_RESPONSES:PSL_PHONE:DATA_USAGE_COLLECTION_PURPOSE") == {
        "PSL_APP_FUNCTIONALITY", "PSL_ACCOUNT_MANAGEMENT"}
    manifest = json.loads((reference_build / "manifest.json").read_text(encoding="utf-8"))
    listed = {a["path"]: a["format"] for a in manifest["artifacts"]}
    assert listed["app/data-safety.csv"] == "data-safety.csv"
    assert listed["zh-CN/consent-notice.html"] == "consent-notice.html"
    assert listed["app/android/res/values-zh-rCN/strings.xml"] == "strings.xml"


def test_app_privacy_details_and_privacy_manifest(reference_build):
    details = json.loads((reference_build / "app" / "app-privacy-details.json").read_text())
    assert [d["category"] for d in details] == ["CONTACTS", "DEVICE_ID", "PHONE_NUMBER",
                                               "PRECISE_LOCATION"]
    for entry in details:
        assert set(entry["purposes"]) <= APPLE_PURPOSES
        assert entry["data_protections"] in (["DATA_LINKED_TO_YOU"], ["DATA_NOT_LINKED_TO_YOU"])
    manifest = plistlib.loads((reference_build / "app" / "PrivacyInfo.xcprivacy").read_bytes())
    assert manifest["NSPrivacyTracking"] is False
    assert [t["NSPrivacyCollectedDataType"] for t in manifest["NSPrivacyCollectedDataTypes"]] == [
        "NSPrivacyCollectedDataTypeContacts", "NSPrivacyCollectedDataTypeDeviceID",
        "NSPrivacyCollectedDataTypePhoneNumber", "NSPrivacyCollectedDataTypePreciseLocation"]
    assert all(t["NSPrivacyCollectedDataTypePurposes"] for t in manifest["NSPrivacyCollectedDataTypes"])


STRING_LINE = re.compile(r'^"(?P<key>[A-Za-z]+)" = "(?P<value>(?:[^"\\]|\\.)*)";$')


def read_strings(path: Path) -> dict[str, str]:
    """An InfoPlist.strings file as Xcode reads it (one "key" = "value"; per line)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("/*"):
            continue
        match = STRING_LINE.match(line)
        assert match, line
        out[match["key"]] = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(
            m[1], m[1]), match["value"])
    return out


def read_android(path: Path) -> dict[str, str]:
    root = etree.fromstring(path.read_bytes())
    return {e.get("name"): e.text for e in root.iter("string")}


def test_permission_strings_per_locale(reference_build):
    ios = reference_build / "app" / "ios"
    zh, en = read_strings(ios / "zh-Hans.lproj" / "InfoPlist.strings"), \
        read_strings(ios / "en.lproj" / "InfoPlist.strings")
    assert set(zh) == set(en) == {
        "NSCameraUsageDescription", "NSContactsUsageDescription",
        "NSLocationWhenInUseUsageDescription", "NSMicrophoneUsageDescription",
        "NSPhotoLibraryAddUsageDescription", "NSPhotoLibraryUsageDescription"}
    assert zh["NSCameraUsageDescription"] == "用于上传图文信息"
    assert en["NSCameraUsageDescription"] == "Uploading images and text"
    res = reference_build / "app" / "android" / "res"
    default, chinese = read_android(res / "values" / "strings.xml"), \
        read_android(res / "values-zh-rCN" / "strings.xml")
    assert default == chinese
    assert chinese["permission_rationale_send_sms"] == "发送营销短信"
    english = read_android(res / "values-en" / "strings.xml")
    assert set(english) == set(chinese) and "permission_rationale_internet" not in english
    assert english["permission_rationale_read_contacts"] == (
        "Updating the contacts with collected data and deleting updated data; Placing calls "
        "from your phone\\'s own number through an API")


def test_text_with_markup_and_quotes_stays_text_in_every_form(src_copy, tmp_path):
    hostile = "@home \"quoted\" <b>&amp;</b> it's {{ x }}"
    collection = src_copy / "sections" / "01-collection.yaml"
    text = collection.read_text(encoding="utf-8")
    quoted = "purpose: '" + hostile.replace("'", "''") + "'"
    collection.write_text(text.replace("purpose: 用于上传图文信息", quoted)
                          .replace("purpose: 数字化地图采集", quoted), encoding="utf-8")
    out = tmp_path / "out"
    build(src_copy, out, formats=["html"], locales=["zh-CN"], allow_missing=True)
    assert read_strings(out / "app/ios/zh-Hans.lproj/InfoPlist.strings")[
        "NSCameraUsageDescription"] == hostile
    android = read_android(out / "app/android/res/values/strings.xml")["permission_rationale_camera"]
    assert android == "\\@home \\\"quoted\\\" <b>&amp;</b> it\\'s {{ x }}"   # Android's escapes
    page = html.fromstring((out / "zh-CN/consent-notice.html").read_bytes())
    assert not page.xpath("//main//b")
    assert any(hostile in item.text_content() for item in page.xpath("//li"))


def test_consent_notice_data_and_page(reference_build):
    notice = json.loads((reference_build / "zh-CN" / "consent-notice.json").read_text())
    assert notice["heading"] == "异业爆客个人信息保护提示"
    assert notice["handler"]["name"] == "石家庄异业同盟信息科技有限公司"
    assert [i["feature"] for i in notice["purposes"]["items"]][:2] == ["绑定设备", "注册成为用户"]
    assert [s["name"] for s in notice["sdks"]["items"]] == ["微信SDK", "抖音SDK", "快手SDK",
                                                            "高德地图sdk", "支付宝SDK"]
    assert [link["href"] for link in notice["links"]["items"]] == [
        "privacy-policy.html", "collected-data-list.html", "third-party-sharing-list.html"]
    assert notice["contact"]["email"] == "yiyebaoke@163.com"
    assert notice["actions"] == {"decline": "不同意", "accept": "同意", "preselected": None}
    page = html.fromstring((reference_build / "zh-CN" / "consent-notice.html").read_bytes())
    assert page.get("lang") == "zh-CN"
    assert [b.text for b in page.xpath("//button")] == ["不同意", "同意"]
    assert not page.xpath("//input")           # no box to tick, let alone a pre-ticked one
    assert page.xpath("//h2/text()") == ["个人信息处理者", "我们为以下目的收集您的信息",
                                         "我们申请的系统权限", "第三方SDK", "保存期限", "您的权利",
                                         "联系我们"]
    english = json.loads((reference_build / "en" / "consent-notice.json").read_text())
    assert english["heading"] == "Yiye Baoke: your privacy"
    assert english["purposes"]["items"][0]["text"] == (
        "Device binding: Storing user data locally and binding the device. "
        "Collects: Phone identification code")
    assert notice["purposes"]["items"][2]["text"] == (
        "业务功能二：数据资源采集：通讯录数据的存储、删除、导入分享。收集：通讯录（敏感个人信息）")


def notice_codes(policy: Path) -> list[str]:
    report = Report()
    check_project(load_project(policy, report), report)
    return [d.code for d in report.sorted() if d.code.startswith("APP-NOTICE")]


def test_notice_rules(tmp_path):
    assert notice_codes(COMPLIANT) == []
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    collection = policy / "sections" / "01-collection.yaml"
    text = collection.read_text(encoding="utf-8")
    collection.write_text(text.replace("purpose: 显示您附近的合作门店",
                                       "purpose: " + "显示您附近的合作门店并" * 120), encoding="utf-8")
    assert notice_codes(policy) == ["APP-NOTICE-LENGTH"]


def test_a_policy_without_an_app_gets_no_app_artifacts(tmp_path):
    from conftest import MINIMAL_POLICY, write_policy

    policy = MINIMAL_POLICY.format(locale="en", sections="  - intro.yaml").replace(
        "app: {name: Demo}\n", "")
    src = write_policy(tmp_path / "web", {"intro.yaml": "title: About\nblocks: [We run a website.]\n"},
                       policy=policy)
    result = build(src, tmp_path / "out", formats=["html"])
    paths = {a.path for a in result.artifacts}
    assert "en/privacy-policy.html" in paths
    assert not {p for p in paths if p.startswith("app/") or "consent-notice" in p}
