"""The bundled tables: permission wordings of real policies resolve to Android names, the
AOSP data is what it claims, data items map to the stores' kinds, SDK names and build
traces map to catalogue entries."""
from __future__ import annotations

import json

import pytest

from policyc.app.tables import (DATA, Catalogue, PermissionTable, bundled_catalogue, kind_of,
                                normalize, usage_keys)

TABLE = PermissionTable()


@pytest.mark.parametrize("wording, names", [
    # the reference policy's wordings
    ("获取读写手机存储权限", {"READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"}),
    ("获取IMEI", {"READ_PHONE_STATE"}),
    ("访问确切位置信息（使用 GPS 和网络进行定位）", {"ACCESS_FINE_LOCATION"}),
    ("访问大致位置信息（使用网络进行定位）", {"ACCESS_COARSE_LOCATION"}),
    ("读取通话状态和移动网络信息", {"READ_PHONE_STATE"}),
    ("重新设置外拨电话的路径", {"PROCESS_OUTGOING_CALLS"}),
    ("查看WIFI状态", {"ACCESS_WIFI_STATE"}),
    ("相机权限", {"CAMERA"}),
    # AOSP labels of Android 10 and of older releases, full-width and spacing variants
    ("只能在前台获取精确的位置信息", {"ACCESS_FINE_LOCATION"}),
    ("查看 Wi-Fi 状态", {"ACCESS_WIFI_STATE"}),
    ("查看WLAN连接", {"ACCESS_WIFI_STATE"}),
    ("直接拨打电话号码", {"CALL_PHONE"}),
    ("ＩＭＥＩ", {"READ_PHONE_STATE"}),
    # runtime groups
    ("通讯录", {"READ_CONTACTS", "WRITE_CONTACTS", "GET_ACCOUNTS"}),
    ("麦克风权限", {"RECORD_AUDIO"}),
    # English labels and wordings
    ("take pictures and videos", {"CAMERA"}),
    ("Read your contacts", {"READ_CONTACTS"}),
    ("Camera permission", {"CAMERA"}),
    ("access precise location only in the foreground", {"ACCESS_FINE_LOCATION"}),
    # not permissions
    ("验证支付宝", set()), ("微信信息", set()),
])
def test_wordings_resolve(wording, names):
    assert TABLE.resolve(wording) == names


def test_project_aliases_extend_the_table():
    table = PermissionTable([("获取设备信息", ["android.permission.READ_PHONE_STATE"]),
                             ("拍小票", ["CAMERA"])])
    assert table.resolve("获取设备信息") == {"READ_PHONE_STATE"}
    assert table.resolve("拍小票权限") == {"CAMERA"}
    assert PermissionTable().resolve("拍小票") == set()


def test_aosp_data_names_its_source_and_levels():
    data = json.loads((DATA / "android-permissions.json").read_text(encoding="utf-8"))
    assert "Apache-2.0" in data["licence"] and "androguard" in data["source"]
    assert data["api_levels"] == "4-36"
    permissions = data["permissions"]
    assert {p["protection"] for p in permissions.values()} == {"normal", "dangerous"}
    assert permissions["CAMERA"]["zh"] == ["拍摄照片和视频"]
    assert permissions["CAMERA"]["en"][0] == "take pictures and videos"
    assert permissions["READ_MEDIA_IMAGES"]["api"][0] == 33
    assert "MODIFY_PHONE_STATE" not in permissions       # signature level since API 9
    assert TABLE.get("android.permission.CAMERA").dangerous
    assert not TABLE.get("INTERNET").dangerous
    for key in usage_keys().values():                    # iOS keys point at real permissions
        assert key.android & set(permissions) or key.key == "NSUserTrackingUsageDescription", key


def test_normalization():
    assert normalize("  Wi-Fi　状态（GPS） ") == normalize("wifi状态(gps)") == "wifi状态gps"


@pytest.mark.parametrize("name, category, kind", [
    ("手机号码", "个人基本信息", "phone"), ("本机号码", None, "phone"),
    ("手机识别码", "个人常用设备信息", "device_id"), ("MAC地址", None, "device_id"),
    ("通讯录", "联系人信息", "contacts"), ("位置信息", None, "precise_location"),
    ("大致位置", None, "approx_location"), ("崩溃日志", None, "crash_logs"),
    ("Email address", None, "email"), ("账单金额", None, None),
])
def test_data_kinds(name, category, kind):
    found = kind_of(name, category or "")
    assert (found.id if found else None) == kind


def test_sdk_catalogue():
    catalogue = Catalogue(list(bundled_catalogue()))
    assert len(catalogue.sdks) == 26
    for name, sdk in [("微信SDK", "wechat-opensdk"), ("高德地图sdk", "amap"), ("友盟+SDK", "umeng"),
                      ("Firebase", "firebase"), ("极光推送", "jpush"), ("华为推送", "huawei-push")]:
        assert catalogue.listed_as("", name).id == sdk
    assert catalogue.listed_as("", "某某统计SDK") is None
    identify = catalogue.identify
    assert identify("gradle", "com.google.android.gms:play-services-ads").id == "google-mobile-ads"
    assert identify("gradle", "com.google.android.gms:play-services-maps").id == "google-play-services"
    assert identify("package", "com.tencent.mm.opensdk.openapi.WXAPIFactory").id == "wechat-opensdk"
    assert identify("package", "com.tencent.mmx.Other") is None
    assert identify("pod", "AMapLocation").id == "amap"
    assert identify("meta", "com.baidu.lbsapi.API_KEY").id == "baidu-map"
    assert catalogue.owner_of("restapi.amap.com").id == "amap"
    assert catalogue.owner_of("example.com") is None
    for sdk in catalogue.sdks.values():
        assert sdk.policy_url.startswith("https://") and sdk.names["zh"] and sdk.providers["en"]
