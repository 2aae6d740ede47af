"""Per-locale conventions: fixed words, numbering styles, dates, cross-reference text, fonts.

Everything a template prints that does not come from the sources lives here, once per
locale. Adding a locale means adding one :class:`LocaleStyle`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
        "last_updated": "最近更新日期",
        "effective": "版本生效日期",
        "version": "版本",
        "feature": "业务功能",
        "permissions": "对应权限",
        "purpose": "使用目的",
        "asked": "是否询问",
        "can_disable": "可否关闭",
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
        "sdk_provider": "提供方",
        "sdk_contact": "联系方式",
        "sdk_data": "收集的个人信息",
        "sdk_policy": "隐私政策",
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
    item_ref=lambda ref, label: f"{ref}第{label.strip('、（）.()')}项",
    format_date=lambda d: f"{d.year}年{d.month}月{d.day}日",
    fonts=("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
           "Microsoft YaHei", "PingFang SC", "sans-serif"),
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
        "last_updated": "Last updated",
        "effective": "Effective date",
        "version": "Version",
        "feature": "Feature",
        "permissions": "Permissions",
        "purpose": "Purpose",
        "asked": "Asked first?",
        "can_disable": "Can be turned off?",
        "yes": "Yes",
        "no": "No",
        "none": "None",
        "list_separator": ", ",
        "colon": ": ",
        "email": "E-mail",
        "phone": "Service phone",
        "service_hours": "service hours",
        "in_app_feedback": "In-app feedback",
        "path_open": "“",
        "path_close": "”",
        "paren_open": " (",
        "paren_close": ")",
        "officer": "Personal information protection officer",
        "organisation": "Company",
        "address": "Address",
        "sdk_provider": "Provider",
        "sdk_contact": "Contact",
        "sdk_data": "Personal information collected",
        "sdk_policy": "Privacy policy",
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
    item_ref=lambda ref, label: f"{ref}{label.strip()}",
    format_date=lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    fonts=("Noto Sans", "DejaVu Sans", "Liberation Sans", "Noto Sans CJK SC", "sans-serif"),
)

LOCALES: dict[str, LocaleStyle] = {style.tag: style for style in (ZH_CN, EN)}


def locale_style(tag: str) -> LocaleStyle | None:
    """The style of a locale tag, matching on the language when the region is unknown."""
    if tag in LOCALES:
        return LOCALES[tag]
    language = tag.split("-")[0]
    return next((s for t, s in LOCALES.items() if t.split("-")[0] == language), None)
