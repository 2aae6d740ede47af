"""Per-locale conventions: fixed words, numbering styles, dates, cross-reference text, fonts.

Everything a template prints that does not come from the sources lives here, once per
locale. Adding a locale means adding one :class:`LocaleStyle`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (for 1 ≤ n ≤ 999)."""
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += CN_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else CN_DIGITS[tens]) + "十"
    if ones:
        out += CN_DIGITS[ones]
    return out


def latin_letter(n: int) -> str:
    """1 → a, 26 → z, 27 → aa."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def roman(n: int) -> str:
    """1 → i, 4 → iv, 9 → ix (lower case)."""
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                          (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                          (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += digits
            n -= value
    return out


# --------------------------------------------------------------------------- numbering

COUNTER = re.compile(r"(?P<pre>[^\w\s]{0,2})(?P<counter>1(?:\.1)+|1|一|a|A|i|I)"
                     r"(?P<suf>[^\w\s]{0,2})")
PRESETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name → (section levels, list levels); the last level repeats for deeper ones
    "zh": (("一、", "（一）", "1、", "（1）"), ("1、", "（1）", "a.")),
    "decimal": (("1.", "1.1", "1.1.1", "1.1.1.1"), ("(a)", "(i)", "1.")),
    "none": (("none",), ("1.", "a.", "i.")),
}


def numbering_problem(token: str) -> str | None:
    """Why ``token`` is not a numbering style for one level, or None."""
    if token in PRESETS or token == "" or COUNTER.fullmatch(token):
        return None
    return (f"'{token}' is not a numbering style; write one number as it should look, e.g. "
            "一、 （一） 1、 （1） 1. 1.1 a) (a) A. i. (i) I., or none")


def counter_label(token: str, path: tuple[int, ...]) -> str:
    """The label of the last number of ``path`` in the style ``token`` ('1.1' numbers the
    whole path: 2.1), with the gap before the title: a space after Latin punctuation."""
    match = COUNTER.fullmatch(token)
    if token in ("none", "") or match is None:
        return ""
    n, counter = path[-1], match["counter"]
    if counter.startswith("1.1"):
        value = ".".join(map(str, path[-(counter.count(".") + 1):]))
    else:
        value = {"1": str(n), "一": chinese_number(n), "a": latin_letter(n),
                 "A": latin_letter(n).upper(), "i": roman(n), "I": roman(n).upper()}[counter]
    label = match["pre"] + value + match["suf"]
    return label + " " if label[-1].isascii() else label


def _level(tokens: tuple[str, ...], depth: int) -> str:
    return tokens[min(depth, len(tokens) - 1)]


@dataclass(frozen=True)
class LocaleStyle:
    """How one locale numbers, dates, cites and words a policy."""

    tag: str
    words: dict[str, str]
    section_number: Callable[[tuple[int, ...]], str]   # path of numbers → label (incl. gap)
    list_number: Callable[[int, int], str]             # (depth, n) → label (incl. gap)
    section_ref: Callable[[tuple[int, ...]], str]      # path → 第一条（一） / Section 1.1
    ref_join: Callable[[str, list[str]], str]          # first full ref + later short ones
    item_ref: Callable[[str, str], str]                # (enclosing ref, item label) → ref
    format_date: Callable[[dt.date], str]
    fonts: tuple[str, ...]
    numbering: str = ""                                # name of the numbering preset in force
    paper: str = "A4"                                  # the PDF's page size

    def numbered(self, sections: tuple[str, ...], lists: tuple[str, ...],
                 name: str = "") -> LocaleStyle:
        """This style with other numbering: one token per level (see :data:`PRESETS`)."""
        if name == "zh" and self.tag.startswith("zh"):
            return replace(ZH_CN, words=self.words, tag=self.tag, format_date=self.format_date,
                           fonts=self.fonts, paper=self.paper)

        def section_number(path: tuple[int, ...]) -> str:
            return counter_label(_level(sections, len(path) - 1), path)

        def cited(path: tuple[int, ...]) -> str:
            out = ""
            for depth in range(len(path)):
                label = section_number(path[:depth + 1]).strip()
                if _level(sections, depth).startswith("1.1"):
                    out = label
                else:
                    out += label.rstrip("、.") if depth == 0 else label
            return out

        def section_ref(path: tuple[int, ...]) -> str:
            return self.words["section_ref"].replace("{n}", cited(path)) if cited(path) else ""

        return replace(self, section_number=section_number, section_ref=section_ref,
                       list_number=lambda depth, n: counter_label(_level(lists, depth), (n,)),
                       numbering=name)


# --------------------------------------------------------------------------- zh-CN

ZH_SECTION_STYLES = (lambda n: f"{chinese_number(n)}、", lambda n: f"（{chinese_number(n)}）",
                     lambda n: f"{n}、", lambda n: f"（{n}）")
ZH_LIST_STYLES = (lambda n: f"{n}、", lambda n: f"（{n}）", lambda n: f"{latin_letter(n)}.")


def _zh_section_number(path: tuple[int, ...]) -> str:
    style = ZH_SECTION_STYLES[min(len(path), len(ZH_SECTION_STYLES)) - 1]
    return style(path[-1])


def _zh_section_ref(path: tuple[int, ...]) -> str:
    head = f"第{chinese_number(path[0])}条"
    return head + "".join(_zh_section_number(path[:i + 1]).rstrip("、")
                          for i in range(1, len(path)))


def _zh_ref_join(first: str, later: list[str]) -> str:
    """第一条（一） + [第一条（二）] → 第一条（一）、（二） (a shared article is said once)."""
    out = first
    article = first.split("条")[0] + "条" if "条" in first else ""
    for ref in later:
        out += "、" + (ref[len(article):] if article and ref.startswith(article)
                      and len(ref) > len(article) else ref)
    return out


ZH_CN = LocaleStyle(
    tag="zh-CN",
    words={
        "contents": "目录",
        "section_ref": "第{n}条",
        "title_ref": "“{title}”",
        "run_in": "：",
        "last_updated": "最近更新日期",
        "effective": "版本生效日期",
        "version": "版本",
        "feature": "业务功能",
        "permissions": "对应权限",
        "purpose": "使用目的",
        "asked": "是否询问",
        "can_disable": "可否关闭",
        "frequency": "调用频率",
        "yes": "是",
        "no": "否",
        "none": "无",
        "list_separator": "、",
        "colon": "：",
        "email": "电子邮箱",
        "phone": "服务电话",
        "service_hours": "服务时段",
        "in_app_feedback": "在线反馈",
        "path_open": "【",
        "path_close": "】",
        "paren_open": "（",
        "paren_close": "）",
        "officer": "个人信息保护相关负责人联系方式",
        "organisation": "企业名称",
        "address": "地点",
        "sdk_name": "{value}",
        "sdk_provider": "提供方",
        "sdk_contact": "联系方式",
        "sdk_data": "收集的个人信息",
        "sdk_policy": "隐私政策",
        "sdk_purpose": "{value}",
        "sdk_scenario": "使用场景",
        "sdk_method": "处理方式",
        "sdk_permissions": "所需权限",
        "sdk_package": "包名",
        "sdk_version": "版本",
        "sdk_function": "主要功能",
        "feature_purpose": "使用目的",
        "feature_data": "收集的个人信息",
        "feature_method": "处理方式",
        "feature_retention": "保存期限",
        "feature_on_expiry": "保存期限届满后",
        "feature_frequency": "权限调用频率",
        "feature_legal_basis": "处理依据",
        "feature_permissions": "对应权限",
        "sensitive_mark": "（敏感个人信息）",
        "basis_consent": "您的同意",
        "basis_contract": "订立、履行合同所必需",
        "basis_legal_obligation": "履行法定职责或者法定义务所必需",
        "basis_vital_interests": "保护自然人的生命健康和财产安全所必需",
        "basis_public_task": "为公共利益实施新闻报道、舆论监督等行为",
        "basis_legitimate_interests": "合法利益",
        "postal_address": "通信地址",
        "postcode": "邮政编码",
        "complaint": "投诉渠道",
        "web_form": "在线表单",
        "storage_region": "个人信息存储地点",
        "storage_retention": "个人信息保存期限",
        "storage_cross_border": "跨境传输",
        "children_age": "我们将不满{value}周岁的用户视为儿童。",
        "children_guardian_consent": "儿童使用前须取得监护人同意",
        "children_rules": "儿童个人信息保护规则",
        "gdpr_representative": "欧盟代表",
        "gdpr_dpo": "数据保护官",
        "gdpr_supervisory_authority": "监管机构",
        "page_footer": "第 {page} 页 / 共 {pages} 页",
        "back_to_top": "回到目录",
        "language_name": "简体中文",
        "languages": "语言",
        "lang:zh-CN": "简体中文",
        "lang:en": "英文",
        "prevails": "本中文译本仅供参考，{binding}文本具有法律效力；两者如有不一致，以{binding}文本为准。",
        "untranslated": "未翻译",
        "untranslated_notice": "标有“未翻译”的内容尚未翻译，以{binding}原文显示。",
    },
    section_number=_zh_section_number,
    list_number=lambda depth, n: ZH_LIST_STYLES[min(depth, len(ZH_LIST_STYLES) - 1)](n),
    section_ref=_zh_section_ref,
    ref_join=_zh_ref_join,
    item_ref=lambda ref, label: f"{ref}第{label.strip().strip('、（）.()')}项",
    format_date=lambda d: f"{d.year}年{d.month}月{d.day}日",
    fonts=("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
           "Microsoft YaHei", "PingFang SC", "sans-serif"),
    numbering="zh",
)

# --------------------------------------------------------------------------- en

EN_LIST_STYLES = (lambda n: f"({latin_letter(n)}) ", lambda n: f"({roman(n)}) ",
                  lambda n: f"{n}. ")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _en_section_number(path: tuple[int, ...]) -> str:
    return ".".join(map(str, path)) + ("." if len(path) == 1 else "") + " "


def _en_ref_join(first: str, later: list[str]) -> str:
    if not later:
        return first
    rest = [r.removeprefix("Section ") for r in later]
    return "Sections " + ", ".join([first.removeprefix("Section ")] + rest[:-1]) \
        + " and " + rest[-1]


EN = LocaleStyle(
    tag="en",
    words={
        "contents": "Contents",
        "section_ref": "Section {n}",
        "title_ref": "“{title}”",
        "run_in": " ",
        "last_updated": "Last updated",
        "effective": "Effective date",
        "version": "Version",
        "feature": "Feature",
        "permissions": "Permissions",
        "purpose": "Purpose",
        "asked": "Asked first?",
        "can_disable": "Can be turned off?",
        "frequency": "How often called",
        "yes": "Yes",
        "no": "No",
        "none": "None",
        "list_separator": ", ",
        "colon": ": ",
        "email": "Email",
        "phone": "Phone",
        "phone_pipl": "Service phone",
        "service_hours": "service hours",
        "in_app_feedback": "In-app feedback",
        "path_open": "“",
        "path_close": "”",
        "paren_open": " (",
        "paren_close": ")",
        "officer": "Data Protection Officer",
        "officer_pipl": "Personal information protection officer",
        "organisation": "Company",
        "address": "Address",
        "sdk_name": "{value}",
        "sdk_provider": "Provider",
        "sdk_contact": "Contact",
        "sdk_data": "Personal information collected",
        "sdk_policy": "Privacy policy",
        "sdk_purpose": "{value}",
        "sdk_scenario": "When it is used",
        "sdk_method": "How data is shared",
        "sdk_permissions": "Permissions",
        "sdk_package": "Package",
        "sdk_version": "Version",
        "sdk_function": "Main function",
        "feature_purpose": "Purpose",
        "feature_data": "Personal information collected",
        "feature_method": "How it is processed",
        "feature_retention": "Retention",
        "feature_on_expiry": "When retention ends",
        "feature_frequency": "How often permissions are called",
        "feature_legal_basis": "Legal basis",
        "feature_permissions": "Permissions",
        "sensitive_mark": " (sensitive)",
        "basis_consent": "your consent",
        "basis_contract": "performance of a contract with you",
        "basis_legal_obligation": "compliance with a legal obligation",
        "basis_vital_interests": "protection of vital interests",
        "basis_public_task": "a task carried out in the public interest",
        "basis_legitimate_interests": "our legitimate interests",
        "postal_address": "Postal address",
        "postcode": "Postcode",
        "complaint": "Complaints",
        "web_form": "Web form",
        "storage_region": "Where your data is stored",
        "storage_retention": "How long your data is kept",
        "storage_cross_border": "Transfers abroad",
        "children_age": "We treat users under {value} as children.",
        "children_guardian_consent": "Consent of a parent or guardian required",
        "children_rules": "Rules for children's personal information",
        "gdpr_representative": "Representative in the EU",
        "gdpr_dpo": "Data Protection Officer",
        "gdpr_supervisory_authority": "Supervisory authority",
        "page_footer": "Page {page} of {pages}",
        "back_to_top": "Back to contents",
        "language_name": "English",
        "languages": "Languages",
        "lang:zh-CN": "Chinese",
        "lang:en": "English",
        "prevails": "This English text is a translation provided for convenience. The "
                    "{binding} text of this policy is legally binding; if the two texts differ, "
                    "the {binding} text prevails.",
        "untranslated": "not translated",
        "untranslated_notice": "Passages marked “not translated” have not been translated yet "
                               "and are shown in {binding}.",
    },
    section_number=_en_section_number,
    list_number=lambda depth, n: EN_LIST_STYLES[min(depth, len(EN_LIST_STYLES) - 1)](n),
    section_ref=lambda path: "Section " + ".".join(map(str, path)),
    ref_join=_en_ref_join,
    item_ref=lambda ref, label: ref + (" " if ref[-1:] in "”\"'" else "") + label.strip(),
    format_date=lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    fonts=("Noto Sans", "DejaVu Sans", "Liberation Sans", "Noto Sans CJK SC", "sans-serif"),
    numbering="decimal",
)

EN_GB = replace(EN, tag="en-GB")
EN_US = replace(EN, tag="en-US", paper="Letter",
                format_date=lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}")

LOCALES: dict[str, LocaleStyle] = {style.tag: style for style in (ZH_CN, EN, EN_GB, EN_US)}
PAPER_SIZES = ("A4", "A5", "Letter", "Legal")


def locale_style(tag: str) -> LocaleStyle | None:
    """The style of a locale tag, matching on the language when the region is unknown."""
    if tag in LOCALES:
        return LOCALES[tag]
    language = tag.split("-")[0]
    return next((s for t, s in LOCALES.items() if t.split("-")[0] == language), None)
