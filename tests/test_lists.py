"""The two MIIT lists: generated with every build from the same data as the policy."""
from __future__ import annotations

import csv
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policyc.build import build
from policyc.project import load_project
from policyc.render import Templates
from policyc.render.lists import render_lists
from policyc.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "policy_src"
COMPLIANT = ROOT / "tests" / "fixtures" / "compliant"
LISTS = ("collected-data-list.html", "collected-data-list.csv",
         "third-party-sharing-list.html", "third-party-sharing-list.csv")
DATA_COLUMNS = ["类型", "信息名称", "使用目的", "使用场景", "收集情况"]
SDK_COLUMNS = ["第三方名称/SDK名称", "SDK提供方", "联系方式", "使用目的", "使用场景", "共享方式",
               "个人信息类型", "所需权限", "隐私政策链接"]
# the columns an SDK's package, version and main function add after its name, when given
PACKAGE, VERSION, FUNCTION = "包名", "版本", "主要功能"


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


class Tables(HTMLParser):
    """The text of every table cell, the links, the lang and scripts of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self.lang = ""
        self.scripts = 0
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self.links.append(attrs["href"])
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def compliant_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compliant")
    build(COMPLIANT, out, ["html"])
    return out


def test_build_emits_both_lists_for_every_locale_and_lists_them(reference_build):
    manifest = json.loads((reference_build / "manifest.json").read_text(encoding="utf-8"))
    for locale in manifest["policy"]["locales"]:
        for name in LISTS:
            entry = next(a for a in manifest["artifacts"] if a["path"] == f"{locale}/{name}")
            assert entry["format"] == name
            assert entry["bytes"] == (reference_build / locale / name).stat().st_size


def test_reference_collected_data_list_has_one_row_per_declared_item(reference_build):
    project = load_project(REFERENCE)
    features = [f for sf in project.sections for s in [sf.section, *sf.section.sections]
                for f in getattr(s, "features", [])]
    rows = read_csv(reference_build / "zh-CN" / "collected-data-list.csv")
    assert rows[0] == DATA_COLUMNS
    assert [(r[1], r[3]) for r in rows[1:]] == [(str(item.name), str(f.name))
                                                for f in features for item in f.data]
    contacts = next(r for r in rows if r[1] == "通讯录")
    assert contacts[0] == "联系人信息" and "敏感个人信息" in contacts[4]
    device = next(r for r in rows if r[1] == "手机识别码")
    assert device[2] == "绑定设备"        # the item's own purpose wins over the feature's


def test_reference_sharing_list_shows_the_gaps(reference_build):
    rows = read_csv(reference_build / "zh-CN" / "third-party-sharing-list.csv")
    columns = [SDK_COLUMNS[0], PACKAGE, *SDK_COLUMNS[1:]]   # the reference gives packages only
    assert rows[0] == columns
    assert [r[0] for r in rows[1:]] == ["微信SDK", "抖音SDK", "快手SDK", "高德地图sdk", "支付宝SDK"]
    amap = rows[4]
    assert amap[1] == "com.amap.api"
    assert amap[7] == "位置信息" and amap[2] == "未说明" and amap[9] == "未说明"
    page = Tables((reference_build / "zh-CN" / "third-party-sharing-list.html")
                  .read_text(encoding="utf-8"))
    assert page.lang == "zh-CN" and page.rows[0] == columns
    assert page.rows[1:] == rows[1:]


def test_compliant_lists_are_complete_and_link_the_sdk_policy(compliant_build):
    rows = read_csv(compliant_build / "zh-CN" / "third-party-sharing-list.csv")
    assert rows[0] == [SDK_COLUMNS[0], PACKAGE, VERSION, FUNCTION, *SDK_COLUMNS[1:]]
    assert rows[1] == ["高德定位SDK", "com.amap.api.location", "6.4.0", "定位",
                       "高德软件有限公司", "400-810-0080", "为“附近门店”提供定位",
                       "使用“附近门店”时", "SDK 在本机采集", "精确位置信息", "访问精确位置信息",
                       "https://lbs.amap.com/pages/privacy/"]
    page = Tables((compliant_build / "zh-CN" / "third-party-sharing-list.html")
                  .read_text(encoding="utf-8"))
    assert page.links == ["https://lbs.amap.com/pages/privacy/"]
    data = read_csv(compliant_build / "zh-CN" / "collected-data-list.csv")
    assert data[0] == [*DATA_COLUMNS, "权限调用频率", "保存期限届满后的处理"]
    assert ["财产信息", "账单备注", "保存您的账单并生成统计报表", "记账", "可选", "无",
            "删除或匿名化处理"] in data
    nearby = next(r for r in data if r[3] == "附近门店")
    assert nearby[5] == "每次打开“附近门店”页面时读取一次" and nearby[6] == "未说明"


def test_lists_escape_markup_fill_variables_and_defuse_formulas(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(COMPLIANT, src)
    path = src / "sections" / "01-collection.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("          - name: 账单金额", "          - name: '<script>alert(1)</script>'")
    text = text.replace("        purpose: 保存您的账单并生成统计报表", "        purpose: =HYPERLINK(\"x\") {app}")
    path.write_text(text, encoding="utf-8")
    project = load_project(src)
    out = render_lists(resolve(project), Templates(project.templates_dir))
    page = Tables(out["collected-data-list.html"].decode("utf-8"))
    assert page.scripts == 0
    assert any("<script>alert(1)</script>" in row for row in page.rows)
    rows = list(csv.reader(io.StringIO(out["collected-data-list.csv"].decode("utf-8-sig"))))
    purposes = {r[2] for r in rows}
    assert "'=HYPERLINK(\"x\") 青禾记账" in purposes


def test_lists_are_byte_identical_across_builds():
    project = load_project(COMPLIANT)
    document = resolve(project)
    templates = Templates(project.templates_dir)
    assert render_lists(document, templates) == render_lists(document, templates)
