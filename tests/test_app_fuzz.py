"""The app readers on arbitrary and mutated bytes: every outcome is facts or a reported
problem, never an exception."""
from __future__ import annotations

import plistlib
import random

from hypothesis import given, settings, strategies as st

from aab import proto_xml
from axml import axml
from policyc.app import AppBuild, aab, apk, gradle, infoplist, manifest, podfile, xcprivacy
from policyc.diagnostics import Report

VALID_AXML = axml([(0, "manifest", {"package": "com.example"}, 2),
                   (1, "uses-permission", {"android:name": "android.permission.CAMERA"}, 3),
                   (1, "application", {}, 4),
                   (2, "activity", {"android:name": "com.tencent.tauth.AuthActivity"}, 5)])
VALID_PROTO_XML = proto_xml([(0, "manifest", {"package": "com.example"}, 2),
                             (1, "uses-permission",
                              {"android:name": "android.permission.CAMERA"}, 3),
                             (1, "application", {}, 4)])
VALID_PLIST = plistlib.dumps({"NSCameraUsageDescription": "拍照", "NSPrivacyTrackingDomains": ["a.com"],
                              "NSPrivacyCollectedDataTypes": [{"NSPrivacyCollectedDataType": "X"}]})
VALID_BINARY_PLIST = plistlib.dumps(plistlib.loads(VALID_PLIST), fmt=plistlib.FMT_BINARY)


def mutate(data: bytes, seed: int, count: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(count):
        choice = rng.random()
        at = rng.randrange(len(out)) if out else 0
        if choice < 0.5 and out:
            out[at] = rng.randrange(256)
        elif choice < 0.75:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif out:
            del out[at:at + rng.randrange(1, 16)]
    return bytes(out)


def read_all(data: bytes) -> None:
    for reader in (manifest.read, infoplist.read, xcprivacy.read, gradle.read_build_file,
                   gradle.read_catalog, podfile.read):
        reader(data, "fuzzed", AppBuild(), Report())
    for parse in (apk.parse_axml, aab.parse_proto_xml):
        try:
            parse(data)
        except apk.ApkProblem:   # an app bundle's problems are APK problems too
            pass


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 12))
def test_mutated_binary_manifests_and_plists(seed, count):
    for valid in (VALID_AXML, VALID_PROTO_XML, VALID_PLIST, VALID_BINARY_PLIST):
        read_all(mutate(valid, seed, count))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_arbitrary_bytes(data):
    read_all(data)
    read_all(b"bplist00" + data)
    read_all(b"\x03\x00\x08\x00" + data)
