"""The two lists MIIT asks apps to publish, built from the same data as the policy.

* 已收集个人信息清单 (collected-data list): one row per data item of each feature — type,
  item, purpose, scenario (the feature), collection (required or optional, sensitive).
* 第三方信息共享清单 (third-party sharing list): one row per SDK or third party — name,
  provider, contact, purpose, scenario, method, data, permissions, privacy-policy link.

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
    meta = [document.organisation] if document.organisation else []
    if document.version:
        meta.append(f"{words['version']} {document.version}")
    if document.effective:
        meta.append(f"{words['effective']} {format_date(document.effective)}")
    app = variables.get("app", "")
    return [ListTable("collected-data-list", words["collected-data-list"], words["data_columns"],
                      [cells.data_row(f, item) for f in features for item in f.data],
                      app, " · ".join(meta)),
            ListTable("third-party-sharing-list", words["third-party-sharing-list"],
                      words["sdk_columns"], [cells.sdk_row(sdk) for sdk in sdks],
                      app, " · ".join(meta))]


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

    def sdk_row(self, sdk: m.Sdk) -> list:
        link = Link(str(sdk.policy_url), (str(sdk.policy_url),)) if sdk.policy_url \
            else self.words["not_stated"]
        return [self.text(sdk.name), self.text(sdk.provider), self.text(sdk.contact),
                self.text(sdk.purpose), self.text(sdk.scenario), self.text(sdk.method),
                self.texts(m.data_names(sdk.data), "not_stated"),
                self.texts(sdk.permissions, "none"), link]
