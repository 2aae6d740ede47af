"""The two lists MIIT asks apps to publish, built from the same data as the policy.

* 已收集个人信息清单 (collected-data list): one row per data item of each feature — type,
  item, purpose, scenario (the feature), collection (required or optional, sensitive), and
  where some feature gives them, the frequency of its permission calls and what happens at
  the end of retention.
* 第三方信息共享清单 (third-party sharing list): one row per SDK or third party — name,
  provider, contact, purpose, scenario, method, data, permissions, privacy-policy link, and
  where some SDK gives them, its package name, version and main function (the SDK list of
  the CAC's 2026 draft on apps).

They are part of the resolved :class:`~policyc.document.Document` of an edition, in its
wording (the renderer in :mod:`policyc.render.lists` only lays them out). They are built
for policies under Chinese law (binding locale zh) unless ``miit_lists`` says otherwise.
"""
from __future__ import annotations

from typing import Callable

from . import model as m
from .diagnostics import Report
from .document import Document, Link, ListTable, Ref, plain
from .inline import InlineParser

WORDS = {
    "zh": {
        "collected-data-list": "已收集个人信息清单",
        "third-party-sharing-list": "第三方信息共享清单",
        "data_columns": ("类型", "信息名称", "使用目的", "使用场景", "收集情况"),
        "sdk_columns": ("第三方名称/SDK名称", "SDK提供方", "联系方式", "使用目的", "使用场景",
                        "共享方式", "个人信息类型", "所需权限", "隐私政策链接"),
        "frequency": "权限调用频率", "on_expiry": "保存期限届满后的处理",
        "package": "包名", "sdk_version": "版本", "function": "主要功能",
        "required": "必要", "optional": "可选", "sensitive": "敏感个人信息",
        "not_stated": "未说明", "none": "无", "separator": "、", "join": "；",
        "version": "版本", "effective": "生效日期",
    },
    "en": {
        "collected-data-list": "Personal information collected",
        "third-party-sharing-list": "Personal information shared with third parties",
        "data_columns": ("Type", "Item", "Purpose", "Scenario", "Collection"),
        "sdk_columns": ("Third party / SDK", "Provider", "Contact", "Purpose", "Scenario",
                        "Method", "Personal information", "Permissions",
                        "Privacy policy"),
        "frequency": "How often permissions are called", "on_expiry": "When retention ends",
        "package": "Package", "sdk_version": "Version", "function": "Main function",
        "required": "Required", "optional": "Optional", "sensitive": "sensitive",
        "not_stated": "Not stated", "none": "None", "separator": ", ", "join": "; ",
        "version": "Version", "effective": "Effective",
    },
}



def wanted(policy: m.Policy) -> bool:
    """Whether the policy publishes the MIIT lists: ``miit_lists``, else when it is
    written under Chinese law (its binding locale is Chinese)."""
    if policy.miit_lists is not None:
        return policy.miit_lists
    return str(policy.locale).lower().startswith("zh")


def miit_lists(sections: list, document: Document, variables: dict[str, str],
               format_date: Callable) -> list[ListTable]:
    """Both lists of ``document``, from the (localized) source ``sections``."""
    words = WORDS["zh" if document.locale.lower().startswith("zh") else "en"]
    cells = _Cells(document, words, variables)
    found = [s for section in sections for s in _walk(section)]
    features = [f for s in found if isinstance(s, m.DataCollectedSection) for f in s.features]
    sdks = [sdk for s in found if isinstance(s, m.SdksSection) for sdk in s.sdks]
    meta = [document.organisation]
    if document.version:
        meta.append(f"{words['version']} {document.version}")
    if document.effective:
        meta.append(f"{words['effective']} {format_date(document.effective)}")
    app = variables.get("app", "")
    data_extra = [name for name in DATA_EXTRA if any(getattr(f, name) for f in features)]
    sdk_extra = [name for name in SDK_EXTRA if any(getattr(sdk, name) for sdk in sdks)]
    return [ListTable("collected-data-list", words["collected-data-list"],
                      (*words["data_columns"], *(words[name] for name in data_extra)),
                      [cells.data_row(f, item) + [cells.feature_fact(f, name)
                                                  for name in data_extra]
                       for f in features for item in f.data],
                      app, " · ".join(meta)),
            ListTable("third-party-sharing-list", words["third-party-sharing-list"],
                      _with_sdk_extra(words["sdk_columns"],
                                      [words[SDK_WORD.get(n, n)] for n in sdk_extra]),
                      [_with_sdk_extra(cells.sdk_row(sdk),
                                       [cells.text(getattr(sdk, name)) for name in sdk_extra])
                       for sdk in sdks],
                      app, " · ".join(meta))]


DATA_EXTRA = ("frequency", "on_expiry")    # feature facts printed as columns when given
SDK_EXTRA = ("package", "version", "function")
SDK_WORD = {"version": "sdk_version"}


def _with_sdk_extra(row, extra: list) -> list:
    """A sharing-list row (or header) with the SDK's extra cells after its name: the
    package and version identify the SDK, as 名称（包名） does on the national SDK platform."""
    row = list(row)
    return row[:1] + extra + row[1:]


def _walk(section: m.SectionBase):
    yield section
    for child in section.sections:
        yield from _walk(child)


class _Cells:
    """Turns source texts into plain cell text: variables filled in, markup dropped."""

    def __init__(self, document: Document, words: dict, variables: dict[str, str]):
        self.words = words
        self.headings = {s.anchor: s.number + plain(s.title) for s in document.walk()}
        self.parser = InlineParser(variables, self._ref, Report())

    def _ref(self, ids: list[str]) -> Ref:
        """A reference reads as the heading it points to (the lists stand alone)."""
        return Ref(self.words["separator"].join(self.headings.get(i, i) for i in ids), ids[0])

    def text(self, value) -> str:
        if not value:
            return self.words["not_stated"]
        spans = self.parser.parse(value)
        return " ".join(plain(spans).split())

    def texts(self, values: list, empty: str) -> str:
        if not values:
            return self.words[empty]
        return self.words["separator"].join(self.text(v) for v in values)

    def data_row(self, feature: m.Feature, item: m.DataItem) -> list:
        w = self.words
        collection = w["required"] if item.required else w["optional"]
        if item.sensitive:
            collection += w["join"] + w["sensitive"]
        return [self.text(item.category), self.text(item.name),
                self.text(item.purpose or feature.purpose), self.text(feature.name), collection]

    def feature_fact(self, feature: m.Feature, name: str) -> str:
        """A feature's extra column: a feature without permissions calls none."""
        if name == "frequency" and not feature.frequency and not feature.permissions:
            return self.words["none"]
        return self.text(getattr(feature, name))

    def sdk_row(self, sdk: m.Sdk) -> list:
        link = Link(str(sdk.policy_url), (str(sdk.policy_url),)) if sdk.policy_url \
            else self.words["not_stated"]
        return [self.text(sdk.name), self.text(sdk.provider), self.text(sdk.contact),
                self.text(sdk.purpose), self.text(sdk.scenario), self.text(sdk.method),
                self.texts(m.data_names(sdk.data), "not_stated"),
                self.texts(sdk.permissions, "none"), link]
