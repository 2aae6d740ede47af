"""An Android App Bundle (.aab) read like an APK: every module's manifest in aapt2's
protocol-buffer XML, with its source lines, and the library version files under
``<module>/root/META-INF``; a hostile bundle is an APP-READ error, never a crash."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from aab import field, proto_xml
from policyc.app import aab
from policyc.check import check_project
from policyc.diagnostics import Report
from policyc.project import load_project
from test_app import ADD_SDK, COMPLIANT, ROOT, TABLE, app_findings

BASE = "base/manifest/AndroidManifest.xml"


def _bundle(path: Path, entries: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_every_module_manifest_and_library_version_is_read(tmp_path):
    bundle = _bundle(tmp_path / "app-release.aab", {
        BASE: proto_xml([
            (0, "manifest", {"package": "com.example.ledger"}, 2),
            (1, "uses-permission", {"android:name": "android.permission.ACCESS_FINE_LOCATION"}, 3),
            (1, "uses-permission", {"android:name": "android.permission.READ_CONTACTS"}, 4),
            (1, "application", {}, 6),
            (2, "meta-data", {"android:name": "com.amap.api.v2.apikey"}, 7),
            (2, "activity", {"android:name": "com.tencent.tauth.AuthActivity"}, 9)]),
        "scanner/manifest/AndroidManifest.xml": proto_xml([
            (0, "manifest", {"package": "com.example.ledger.scanner"}, 2),
            (1, "uses-permission", {"android:name": "android.permission.READ_CONTACTS"}, 4),
            (1, "uses-permission", {"android:name": "android.permission.SEND_SMS"}, 5)]),
        "base/root/META-INF/com.google.firebase_firebase-analytics.version": "21.5.0",
        "base/dex/classes.dex": b"dex\n035\0",
        "BundleConfig.pb": b"",
    })
    shown = tmp_path.relative_to(ROOT) if tmp_path.is_relative_to(ROOT) else tmp_path
    base = f"{shown}/app-release.aab!{BASE}"
    assert app_findings(COMPLIANT, bundle) == [
        f"{base}:4:1: error: the app requests the runtime permission "
        "android.permission.READ_CONTACTS (read your contacts), which no permission row or "
        f"feature of the policy declares (permissions table: {TABLE}) "
        "[APP-DANGEROUS-PERMISSION-UNDECLARED]",
        f"{base}:9:1: error: the build embeds Tencent QQ Connect SDK by Shenzhen Tencent "
        "Computer Systems Co., Ltd. (com.tencent.tauth.AuthActivity), which the policy does "
        f"not list; {ADD_SDK} policy (https://wiki.connect.qq.com/qq互联sdk隐私保护声明) "
        "[APP-SDK-UNDECLARED]",
        f"{shown}/app-release.aab!base/root/META-INF/com.google.firebase_firebase-analytics."
        "version:1:1: error: the build embeds Firebase by Google LLC "
        "(com.google.firebase:firebase-analytics), which the policy does not list; "
        f"{ADD_SDK} policy (https://firebase.google.com/support/privacy) [APP-SDK-UNDECLARED]",
        f"{shown}/app-release.aab!scanner/manifest/AndroidManifest.xml:5:1: error: the app "
        "requests the runtime permission android.permission.SEND_SMS (send and view SMS "
        "messages), which no permission row or feature of the policy declares (permissions "
        f"table: {TABLE}) [APP-DANGEROUS-PERMISSION-UNDECLARED]",
    ]   # READ_CONTACTS again in the feature module: reported once, where the base asks


def test_a_folder_search_finds_a_bundle(tmp_path):
    (tmp_path / "app" / "release").mkdir(parents=True)
    _bundle(tmp_path / "app" / "release" / "app-release.aab", {BASE: proto_xml([
        (0, "manifest", {}, 1),
        (1, "uses-permission", {"android:name": "android.permission.READ_CONTACTS"}, 2)])})
    found = [f.split(": ", 1)[0] for f in app_findings(COMPLIANT, tmp_path) if ".aab!" in f]
    assert found == [f"{tmp_path}/app/release/app-release.aab!{BASE}:2:1"]


def test_attribute_values_kept_only_compiled_are_read():
    """aapt2 may keep only the compiled value: a string item, a reference, a number."""
    string_item = field(2, field(1, "android.permission.CAMERA"))
    attribute = field(1, "http://schemas.android.com/apk/res/android") + field(2, "name") \
        + field(6, string_item)
    element = field(3, "uses-permission") + field(4, attribute)
    reference = field(1, "http://schemas.android.com/apk/res/android") + field(2, "label") \
        + field(6, field(1, field(2, 0x7F0E0001)))
    number = field(2, "versionCode") + field(6, field(7, field(1, 0x10) + field(2, 42)))
    root = field(3, "manifest") + field(4, reference) + field(4, number) \
        + field(5, field(1, element))
    elements = aab.parse_proto_xml(field(1, root))
    assert [(e.tag, e.attrs, e.parents) for e in elements] == [
        ("manifest", {"android:label": "@0x7f0e0001", "versionCode": "42"}, ()),
        ("uses-permission", {"android:name": "android.permission.CAMERA"}, ("manifest",))]


def _nested(depth: int) -> bytes:
    node = field(1, field(3, "x"))
    for _ in range(depth):
        node = field(1, field(3, "x") + field(5, node))
    return node


@pytest.mark.parametrize("entries, problem", [
    ({}, "no base/manifest/AndroidManifest.xml in the archive (not an app bundle?)"),
    ({BASE: "<manifest/>"},
     f"!{BASE}: the manifest is text XML; a bundle holds aapt2's protocol-buffer XML"),
    ({BASE: field(1, field(3, "manifest"))[:-3]},
     f"!{BASE}: a field of 10 bytes at byte 2 runs past its message (9 bytes)"),
    ({BASE: b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"},
     f"!{BASE}: a number longer than 10 bytes at byte 11"),
    ({BASE: b"\x0b\x00"}, f"!{BASE}: unsupported wire type 3 at byte 1"),
    ({BASE: field(1, 7)}, f"!{BASE}: a number where a message belongs"),
    ({BASE: _nested(100)}, f"!{BASE}: elements nested deeper than 64"),
    ({BASE: b""}, f"!{BASE}: the manifest has no elements"),
])
def test_hostile_bundles_are_read_errors(tmp_path, entries, problem):
    path = _bundle(tmp_path / "hostile.aab", entries)
    report = Report()
    check_project(load_project(COMPLIANT, report), report, language="en", app_paths=[path])
    where = f"{path}{problem}" if problem.startswith("!") else f"{path}: {problem}"
    assert [(d.code, d.message) for d in report.sorted() if d.code.startswith("APP-")] == [
        ("APP-READ", f"cannot read {where}")]


def test_a_zip_bomb_manifest_is_refused(tmp_path):
    path = tmp_path / "bomb.aab"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(BASE, "w", force_zip64=True) as entry:
            for _ in range(64):
                entry.write(b"\0" * (1024 * 1024))
    report = Report()
    check_project(load_project(COMPLIANT, report), report, language="en", app_paths=[path])
    assert [d.message for d in report.sorted() if d.code == "APP-READ"] == [
        f"cannot read {path}: {BASE} would inflate to 67108864 bytes (limit 4194304); "
        "refused as a possible zip bomb"]
