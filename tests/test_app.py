"""`policyc check --app`: the policy against the Android and iOS build it describes.

Each fixture app in tests/fixtures/app/ is checked against a policy and every app
finding is asserted exactly, at the app file's own line; hostile inputs (entities, zip
bombs, damaged archives and plists, huge files) give one clean error each.
"""
from __future__ import annotations

import json
import plistlib
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from axml import axml
from policyc.check import RULES, check_project
from policyc.cli import cli
from policyc.diagnostics import Report
from policyc.project import load_project

ROOT = Path(__file__).resolve().parent.parent
APPS = "tests/fixtures/app"
COMPLIANT = "tests/fixtures/app/policy"   # the compliant example, as app tests know it
COLLECTION = f"{COMPLIANT}/sections/01-collection.yaml"
SDKS = f"{COMPLIANT}/sections/02-sdks.yaml"
MANIFEST = f"{APPS}/android/app/src/main/AndroidManifest.xml"


def line_of(path: str, needle: str, after: str = "") -> int:
    """1-based number of the first line containing ``needle`` after the line with ``after``."""
    lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines[start:], start + 1) if needle in line)


TABLE = f"{COLLECTION}:{line_of(COLLECTION, 'type: permissions') - 2}:5"   # the table's section
AMAP = f"{SDKS}:{line_of(SDKS, '- name: 高德定位SDK')}:5"
ADD_SDK = f"add it to the `sdks` list of {SDKS} with its provider, purpose, data and privacy"
FEATURE_LOCATION = f"{COLLECTION}:{line_of(COLLECTION, '- 访问精确位置信息')}:13"
ROW_LOCATION = f"{COLLECTION}:{line_of(COLLECTION, '- 访问精确位置信息', after='feature: 附近门店')}:13"
SDK_LOCATION = f"{SDKS}:{line_of(SDKS, '- 访问精确位置信息')}:9"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def app_findings(policy: str | Path, *apps: str | Path, language: str = "en") -> list[str]:
    """The app findings (APP-* codes) of checking ``policy`` against ``apps``, as printed."""
    report = Report()
    check_project(load_project(policy, report), report, language=language,
                  app_paths=[Path(a) for a in apps])
    return [d.format() for d in report.sorted() if d.code.startswith("APP-")]


def test_android_project_manifest_gradle_and_catalog():
    assert app_findings(COMPLIANT, f"{APPS}/android") == [
        f"{APPS}/android/app/build.gradle.kts:15:5: error: the build embeds JPush SDK by "
        "Shenzhen Hexun Huagu Information Technology Co., Ltd. (Aurora Mobile) "
        f"(cn.jiguang.sdk:jpush), which the policy does not list; "
        f"{ADD_SDK} policy "
        "(https://www.jiguang.cn/license/privacy) [APP-SDK-UNDECLARED]",
        f"{MANIFEST}:5:1: warning: the app requests android.permission.INTERNET (have full "
        "network access), which no permission row or feature of the policy declares "
        f"(permissions table: {TABLE}) [APP-PERMISSION-UNDECLARED]",
        f"{MANIFEST}:7:1: error: the app requests the runtime permission "
        "android.permission.CAMERA (take pictures and videos), which no permission row or "
        f"feature of the policy declares (permissions table: {TABLE}) "
        "[APP-DANGEROUS-PERMISSION-UNDECLARED]",
    ]


def test_what_the_policy_declares_but_the_build_lacks():
    """Groovy build file with map notation; the location permission and the AMap SDK the
    policy declares are missing from the build."""
    lite = f"{APPS}/android-lite"
    files = f"{lite}/AndroidManifest.xml"
    assert app_findings(COMPLIANT, lite) == [
        f"{lite}/AndroidManifest.xml:3:1: warning: the app requests android.permission.INTERNET "
        "(have full network access), which no permission row or feature of the policy "
        f"declares (permissions table: {TABLE}) [APP-PERMISSION-UNDECLARED]",
        f"{lite}/build.gradle:5:5: error: the build embeds UMeng SDK by Umeng Tongxin (Beijing) "
        "Technology Co., Ltd. (com.umeng.umsdk:common), which the policy does not list; "
        f"{ADD_SDK} policy (https://www.umeng.com/page/policy) [APP-SDK-UNDECLARED]",
        f"{FEATURE_LOCATION}: warning: the policy declares “访问精确位置信息” "
        f"(ACCESS_FINE_LOCATION), which the app build does not request ({files}) "
        "[APP-PERMISSION-NOT-REQUESTED]",
        f"{ROW_LOCATION}: warning: the policy declares “访问精确位置信息” "
        f"(ACCESS_FINE_LOCATION), which the app build does not request ({files}) "
        "[APP-PERMISSION-NOT-REQUESTED]",
        f"{AMAP}: warning: the policy lists SDK “高德定位SDK” (AMap SDK), which the app "
        f"build does not embed ({files}, {lite}/build.gradle) [APP-SDK-NOT-IN-BUILD]",
        f"{SDK_LOCATION}: warning: the policy declares “访问精确位置信息” (ACCESS_FINE_LOCATION), "
        f"which the app build does not request ({files}) [APP-PERMISSION-NOT-REQUESTED]",
    ]


def test_ios_folder_info_plist_privacy_manifest_and_podfile():
    ios = f"{APPS}/ios"
    assert app_findings(COMPLIANT, ios) == [
        f"{ios}/Info.plist:9:1: error: Info.plist asks for camera (NSCameraUsageDescription: "
        "“用于拍摄小票”), but no permission row or feature of the policy declares it "
        f"(permissions table: {TABLE}) [APP-IOS-USAGE-UNDECLARED]",
        f"{ios}/Podfile:6:1: error: the build embeds Tencent Bugly by Shenzhen Tencent Computer "
        f"Systems Co., Ltd. (Bugly), which the policy does not list; "
        f"{ADD_SDK} policy "
        "(https://bugly.qq.com/v2/contract) [APP-SDK-UNDECLARED]",
        f"{ios}/PrivacyInfo.xcprivacy:10:1: error: PrivacyInfo.xcprivacy names tracking domain "
        "app-measurement.com (Firebase, not listed), but the policy discloses no third party "
        f"it belongs to; add it to the `sdks` list of {SDKS} [APP-TRACKING-DOMAIN-UNDISCLOSED]",
        f"{ios}/PrivacyInfo.xcprivacy:40:1: warning: PrivacyInfo.xcprivacy declares collecting "
        "NSPrivacyCollectedDataTypeDeviceID (device or other ids), which no data item of the "
        "policy's features is [APP-XCPRIVACY-DATA-UNDECLARED]",
    ]


def test_messages_in_chinese():
    assert app_findings(COMPLIANT, f"{APPS}/ios/Info.plist", language="zh") == [
        f"{APPS}/ios/Info.plist:9:1: error: Info.plist 申请访问相机（NSCameraUsageDescription："
        "“用于拍摄小票”），但隐私政策的权限说明和功能均未声明（权限说明："
        f"{TABLE}） [APP-IOS-USAGE-UNDECLARED]"]


def test_reference_policy_against_an_app_that_matches_it():
    """Every permission wording of the reference (获取IMEI, 访问确切位置信息…, 相机权限 …)
    resolves through the AOSP labels and aliases; its five SDKs are found by name."""
    assert app_findings("policy_src", f"{APPS}/reference-android") == []


def test_binary_plist_and_apk(tmp_path):
    """A binary Info.plist (no lines to show) and an APK's binary manifest (AXML, with
    its source lines) and META-INF library versions."""
    (tmp_path / "Info.plist").write_bytes(plistlib.dumps(
        {"NSMicrophoneUsageDescription": "语音记账"}, fmt=plistlib.FMT_BINARY))
    apk = tmp_path / "app-release.apk"
    with zipfile.ZipFile(apk, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("AndroidManifest.xml", axml([
            (0, "manifest", {"package": "com.example.ledger"}, 2),
            (1, "uses-permission", {"android:name": "android.permission.ACCESS_FINE_LOCATION"}, 3),
            (1, "uses-permission", {"android:name": "android.permission.READ_CONTACTS"}, 4),
            (1, "application", {}, 6),
            (2, "meta-data", {"android:name": "com.amap.api.v2.apikey"}, 7),
            (2, "activity", {"android:name": "com.tencent.tauth.AuthActivity"}, 9)]))
        archive.writestr("META-INF/com.google.firebase_firebase-analytics.version", "21.5.0")
        archive.writestr("classes.dex", b"dex\n035\0")
    shown = tmp_path.relative_to(ROOT) if tmp_path.is_relative_to(ROOT) else tmp_path
    manifest = f"{shown}/app-release.apk!AndroidManifest.xml"
    found = app_findings(COMPLIANT, tmp_path / "Info.plist", apk)
    assert found == [
        f"{shown}/Info.plist:1:1: error: Info.plist asks for microphone "
        "(NSMicrophoneUsageDescription: “语音记账”), but no permission row or feature of the "
        f"policy declares it (permissions table: {TABLE}) [APP-IOS-USAGE-UNDECLARED]",
        f"{manifest}:4:1: error: the app requests the runtime permission "
        "android.permission.READ_CONTACTS (read your contacts), which no permission row or "
        f"feature of the policy declares (permissions table: {TABLE}) "
        "[APP-DANGEROUS-PERMISSION-UNDECLARED]",
        f"{manifest}:9:1: error: the build embeds Tencent QQ Connect SDK by Shenzhen Tencent "
        "Computer Systems Co., Ltd. (com.tencent.tauth.AuthActivity), which the policy does "
        f"not list; {ADD_SDK} policy (https://wiki.connect.qq.com/qq互联sdk隐私保护声明) [APP-SDK-UNDECLARED]",
        f"{shown}/app-release.apk!META-INF/com.google.firebase_firebase-analytics.version:1:1: "
        "error: the build embeds Firebase by Google LLC (com.google.firebase:firebase-analytics), "
        "which the policy does not list; "
        f"{ADD_SDK} policy (https://firebase.google.com/support/privacy) "
        "[APP-SDK-UNDECLARED]",
    ]


def test_row_names_android_permissions_and_project_aliases(tmp_path):
    """A row may name permissions by `android:`; a project adds its own wordings."""
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    collection = policy / "sections" / "01-collection.yaml"
    text = collection.read_text(encoding="utf-8")
    text = text.replace("        feature_id: bookkeeping\n        permissions: []\n",
                        "        feature_id: bookkeeping\n        permissions: [拍小票]\n"
                        "        android: [android.permission.INTERNET]\n")
    collection.write_text(text, encoding="utf-8")
    yaml = policy / "policy.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "  name: 示例记账\n", "  name: 示例记账\n  permission_aliases:\n"
        "    - {wording: 拍小票, android: [CAMERA]}\n"), encoding="utf-8")
    found = app_findings(policy, f"{APPS}/android")
    assert [f.rsplit("[", 1)[1] for f in found] == ["APP-SDK-UNDECLARED]"]


HOSTILE = f"{APPS}/hostile"


def test_hostile_xml_never_expands_entities():
    entities = "declares XML entities; refused (entities are never expanded)"
    assert app_findings(COMPLIANT, HOSTILE) == [
        f"{HOSTILE}/billion-laughs/AndroidManifest.xml:3:1: error: cannot read "
        f"{HOSTILE}/billion-laughs/AndroidManifest.xml: {entities} [APP-READ]",
        f"{HOSTILE}/broken/AndroidManifest.xml:4:1: error: cannot read "
        f"{HOSTILE}/broken/AndroidManifest.xml: not well-formed XML: Opening and ending tag "
        "mismatch: uses-permission line 3 and manifest [APP-READ]",
        f"{HOSTILE}/plist-entity/Info.plist:2:1: error: cannot read "
        f"{HOSTILE}/plist-entity/Info.plist: {entities} [APP-READ]",
        f"{HOSTILE}/xxe/AndroidManifest.xml:2:1: error: cannot read "
        f"{HOSTILE}/xxe/AndroidManifest.xml: {entities} [APP-READ]",
    ]


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("AndroidManifest.xml", "w", force_zip64=True) as entry:
            block = b"\0" * (1024 * 1024)
            for _ in range(64):
                entry.write(block)


@pytest.mark.parametrize("name, make, problem", [
    ("bomb.apk", _zip_bomb, "AndroidManifest.xml would inflate to 67108864 bytes "
                            "(limit 4194304); refused as a possible zip bomb"),
    ("empty.apk", lambda p: zipfile.ZipFile(p, "w").close(),
     "no AndroidManifest.xml in the archive (not an APK?)"),
    ("text.apk", lambda p: zipfile.ZipFile(p, "w").writestr(
        "AndroidManifest.xml", "<manifest/>"),
     "AndroidManifest.xml is text XML; an APK holds compiled XML"),
    ("truncated.apk", lambda p: p.write_bytes(b"PK\x03\x04garbage"),
     "not a readable zip archive (File is not a zip file)"),
    ("damaged.apk", lambda p: zipfile.ZipFile(p, "w").writestr(
        "AndroidManifest.xml", b"\x03\x00\x08\x00\xff\xff\x00\x00\x01\x00\x1c\x00\xff\xff\x00\x00"),
     "damaged chunk at byte 8"),
    ("Info.plist", lambda p: p.write_bytes(b"bplist00\xff\xff\xff"),
     "damaged binary property list (InvalidFileException)"),
    ("PrivacyInfo.xcprivacy", lambda p: p.write_bytes(b"<html><body/></html>"),
     "not a property list (the root element is <html>)"),
])
def test_hostile_archives_and_plists(tmp_path, name, make, problem):
    path = tmp_path / name
    make(path)
    report = Report()
    check_project(load_project(COMPLIANT, report), report, language="en", app_paths=[path])
    assert [(d.code, d.message) for d in report.sorted() if d.code.startswith("APP-")] == [
        ("APP-READ", f"cannot read {path}: {problem}")]


def test_huge_file_refused_without_reading_it(tmp_path):
    manifest = tmp_path / "AndroidManifest.xml"
    with manifest.open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    report = Report()
    check_project(load_project(COMPLIANT, report), report, language="en", app_paths=[manifest])
    assert [d.message for d in report.sorted() if d.code == "APP-READ"] == [
        f"cannot read {manifest}: file is larger than 16 MiB"]


def test_cli_github_annotations_and_paths_in_policy_yaml(tmp_path):
    """`--app` on the command line; `app.build` in policy.yaml; both reach the checks,
    and `--format github` annotates the manifest line."""
    result = CliRunner().invoke(cli, ["check", COMPLIANT, "--app", f"{APPS}/android",
                                      "--format", "github", "--lang", "en"])
    assert result.exit_code == 1
    assert (f"::error file={MANIFEST},line=7,col=1,title=APP-DANGEROUS-PERMISSION-UNDECLARED::"
            "the app requests the runtime permission android.permission.CAMERA") in result.output
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    shutil.copytree(ROOT / APPS / "reference-android", policy / "app")
    yaml = policy / "policy.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "  name: 示例记账\n", "  name: 示例记账\n  build: [app, missing]\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(policy), "--format", "json", "--lang", "en"])
    findings = [f for f in json.loads(result.output)["findings"] if f["code"].startswith("APP-")]
    codes = sorted({f["code"] for f in findings})
    assert codes == ["APP-DANGEROUS-PERMISSION-UNDECLARED", "APP-PERMISSION-UNDECLARED",
                     "APP-READ", "APP-SDK-UNDECLARED"]
    missing = next(f for f in findings if f["code"] == "APP-READ")
    assert (missing["line"], missing["message"]) == (
        yaml.read_text(encoding="utf-8").split("\n").index("  build: [app, missing]") + 1,
        f"app build path not found: {policy / 'missing'}")


def test_every_app_rule_is_registered_with_both_languages():
    codes = [code for code in RULES if code.startswith("APP-")]
    assert len(codes) == 13
    for code in codes:
        rule = RULES[code]
        assert rule.message["en"] and rule.message["zh"] and rule.explanation


def test_manual_shows_the_real_annotations():
    page = (ROOT / "docs" / "en" / "app.md").read_text(encoding="utf-8")
    shown = [line for line in page.splitlines() if line.startswith("::")]
    result = CliRunner().invoke(cli, ["check", COMPLIANT, "--app", f"{APPS}/android",
                                      "--format", "github", "--lang", "en"])
    annotations = [line for line in result.output.splitlines() if "title=APP-" in line]
    # the README shows each annotation's message; the evidence follows it after %0A
    assert shown and shown == [line.split("%0A", 1)[0] for line in annotations]


def test_project_catalogue_plugins_and_pod_lock(tmp_path):
    """A project's own SDK (by package prefix and Gradle plugin), a bundled SDK found by
    its plugin id, pods from Podfile.lock."""
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    (policy / "sdks.yaml").write_text(
        "sdks:\n  - id: acme-push\n    name: 极简推送SDK\n    provider: 某某科技有限公司\n"
        "    packages: [com.acme.push]\n    plugins: [com.acme.push.gradle]\n", encoding="utf-8")
    yaml = policy / "policy.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "  name: 示例记账\n", "  name: 示例记账\n  sdk_catalogue: sdks.yaml\n"), encoding="utf-8")
    app = tmp_path / "app"
    app.mkdir()
    (app / "build.gradle").write_text(
        "plugins {\n    id 'com.acme.push.gradle'\n}\napply plugin: 'com.google.gms.google-services'\n",
        encoding="utf-8")
    (app / "Podfile.lock").write_text(
        "PODS:\n  - AMapFoundation (1.8.2)\n  - AMapLocation (2.10.0):\n    - AMapFoundation (>= 1.8.0)\n"
        "  - \"UMCommon (7.4.2)\"\n\nDEPENDENCIES:\n  - AMapLocation\n", encoding="utf-8")
    report = Report()
    check_project(load_project(policy, report), report, language="en", app_paths=[app])
    found = [(d.code, d.loc.path.rsplit("/", 1)[-1], d.loc.line, d.message.split(" (")[0])
             for d in report.sorted() if d.code.startswith("APP-")]
    assert found == [
        ("APP-SDK-UNDECLARED", "Podfile.lock", 5, "the build embeds UMeng SDK by Umeng Tongxin"),
        ("APP-SDK-UNDECLARED", "build.gradle", 2, "the build embeds 极简推送SDK by 某某科技有限公司"),
        ("APP-SDK-UNDECLARED", "build.gradle", 4, "the build embeds Firebase by Google LLC"),
    ]


def test_bad_project_catalogue_is_a_source_error(tmp_path):
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    (policy / "sdks.yaml").write_text("sdks:\n  - id: x\n    nmae: typo\n", encoding="utf-8")
    yaml = policy / "policy.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "  name: 示例记账\n", "  name: 示例记账\n  sdk_catalogue: sdks.yaml\n"), encoding="utf-8")
    report = Report()
    check_project(load_project(policy, report), report, language="en",
                  app_paths=[ROOT / APPS / "android-lite"])
    problems = [(d.loc.path.rsplit("/", 1)[-1], d.loc.line, d.message)
                for d in report.sorted() if d.code == "APP-READ"]
    assert problems == [("sdks.yaml", 3, "unknown key `nmae` in catalogue SDK; did you mean `name`?")]


def test_a_manifest_alone_does_not_tell_which_sdks_are_missing():
    """A source manifest lists few of the SDKs a build merges in: listed SDKs are only
    looked for where dependencies are known (Gradle, an APK, a Podfile)."""
    found = app_findings(COMPLIANT, f"{APPS}/android-lite/AndroidManifest.xml")
    assert [f.rsplit("[", 1)[1] for f in found] == [
        "APP-PERMISSION-UNDECLARED]", "APP-PERMISSION-NOT-REQUESTED]",
        "APP-PERMISSION-NOT-REQUESTED]", "APP-PERMISSION-NOT-REQUESTED]"]


def test_permissions_split_by_later_android_releases(tmp_path):
    """A policy's 相册 (READ_EXTERNAL_STORAGE …) covers Android 13's READ_MEDIA_IMAGES, and a
    row naming BLUETOOTH_CONNECT is met by an older app's BLUETOOTH."""
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    collection = policy / "sections" / "01-collection.yaml"
    collection.write_text(collection.read_text(encoding="utf-8").replace(
        "        feature_id: bookkeeping\n        permissions: []\n",
        "        feature_id: bookkeeping\n        permissions: [读取您共享存储空间中的内容]\n"
        "        android: [BLUETOOTH_CONNECT, INTERNET]\n"), encoding="utf-8")
    (tmp_path / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n'
        '  <uses-permission android:name="android.permission.READ_MEDIA_IMAGES"/>\n'
        '  <uses-permission android:name="android.permission.BLUETOOTH"/>\n'
        '  <uses-permission android:name="android.permission.INTERNET"/>\n'
        '  <uses-permission android:name="android.permission.ACCESS_FINE_LOCATION"/>\n'
        '</manifest>\n', encoding="utf-8")
    assert app_findings(policy, tmp_path / "AndroidManifest.xml") == []


def test_unreadable_files_are_worded_in_chinese_too():
    found = app_findings(COMPLIANT, f"{HOSTILE}/xxe", f"{APPS}/missing", language="zh")
    assert found == [
        f"{HOSTILE}/xxe/AndroidManifest.xml:2:1: error: 无法读取 {HOSTILE}/xxe/AndroidManifest.xml："
        "声明了 XML 实体，拒绝读取（从不展开实体） [APP-READ]",
        f"{APPS}/missing:1:1: error: 找不到应用构建路径：{APPS}/missing [APP-READ]"]


def test_build_checks_the_app_named_in_policy_yaml(tmp_path):
    """`app.build` makes `policyc build` check the app: what the app does and the policy
    does not say is reported as a warning; a compliance finding never stops the build."""
    from policyc.build import build
    from policyc.diagnostics import Severity

    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    shutil.copytree(ROOT / APPS / "android", tmp_path / "android")
    yaml = policy / "policy.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "  name: 示例记账\n", "  name: 示例记账\n  build: [../android]\n"), encoding="utf-8")
    report = Report()
    build(policy, tmp_path / "out", formats=["html"], report=report)
    found = [d for d in report.diagnostics if d.code.startswith("APP-")]
    assert sorted(d.code for d in found) == [
        "APP-DANGEROUS-PERMISSION-UNDECLARED", "APP-PERMISSION-UNDECLARED", "APP-SDK-UNDECLARED"]
    assert all(d.severity is Severity.WARNING for d in found)
    assert (tmp_path / "out" / "zh-CN" / "privacy-policy.html").is_file()


JPUSH_PROVIDER = "深圳市和讯华谷信息技术有限公司"


@pytest.mark.parametrize("entry", [
    "name: 极光推送", "name: JPush", "name: 极光推送（JPush）", "name: 极光推送 JPush",
    "name: 极光推送(JPush)SDK", "name: 消息推送\n    id: jpush",
    f"name: 消息推送服务\n    provider: {JPUSH_PROVIDER}",
], ids=["zh", "en", "fullwidth-brackets", "space", "brackets-sdk", "id", "provider"])
def test_an_sdk_in_the_build_is_listed_by_id_provider_or_any_known_name(tmp_path, entry):
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    sdks = policy / "sections" / "02-sdks.yaml"
    sdks.write_text(sdks.read_text(encoding="utf-8") + f"  - {entry}\n", encoding="utf-8")
    found = app_findings(policy, f"{APPS}/android")
    assert not [f for f in found if "APP-SDK-UNDECLARED" in f], found
    assert len(found) == 2      # the two undeclared permissions remain


def test_a_missing_sdk_is_to_be_added_to_the_sdk_list_never_at_another_entry(tmp_path):
    policy = tmp_path / "policy"
    shutil.copytree(COMPLIANT, policy)
    sdks = policy / "sections" / "02-sdks.yaml"
    # a name another provider's SDK bears, and a provider of several SDKs: neither is JPush
    sdks.write_text(sdks.read_text(encoding="utf-8") + "  - name: 推送服务\n    provider: "
                    "深圳市腾讯计算机系统有限公司\n", encoding="utf-8")
    shown = sdks.relative_to(ROOT) if sdks.is_relative_to(ROOT) else sdks
    for language, where in (("en", f"add it to the `sdks` list of {shown} with"),
                            ("zh", f"请在{shown} 的 sdks 列表中补充")):
        found = [f for f in app_findings(policy, f"{APPS}/android", language=language)
                 if "APP-SDK-UNDECLARED" in f]
        assert len(found) == 1 and where in found[0], found
        assert "02-sdks.yaml:" not in found[0].split(": error: ", 1)[1]
