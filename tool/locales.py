"""Per-locale conventions: generated words, numbering styles, dates, references, fonts.

Any BCP 47 tag Babel knows is a locale. Its dates, list joiners, language names and
writing direction come from CLDR (through Babel); the words policyc generates (fact
labels, the contents heading, date lines, table headers, the language switcher, the
entry page) and each language's quotation marks, numbering preset, date pattern and page
size come from the gettext catalog ``locale/<ll[_RR]>/LC_MESSAGES/policyc.po`` of the
package: msgctxt is the key, msgid the English wording, msgstr the language's. A tag
without a catalog of its language gets the English words (:func:`has_catalog` tells).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
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

COUNTER = re.compile(r"(?P<pre>第|[^\w\s]{0,2})(?P<counter>1(?:\.1)+|1|一|a|A|i|I)"
                     r"(?P<suf>(?<=第.)[条章节]|(?<=第..)[条章节]|[^\w\s]{0,2})")
"""One level's numbering written as its first number looks: 一、 （1） 1.1 a) 第一条 第1条."""
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
    direction: str = "ltr"                             # ltr, or rtl (Arabic, Hebrew …)
    font_package: str = "fonts-noto-core"              # the Debian package of its fonts
    month_names: tuple[str, ...] = ()                  # January … December, in the locale

    def numbered(self, sections: tuple[str, ...], lists: tuple[str, ...],
                 name: str = "") -> LocaleStyle:
        """This style with other numbering: one token per level (see :data:`PRESETS`)."""
        if name == "zh" and self.tag.startswith("zh"):
            return _zh_numbering(self)

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



# --------------------------------------------------------------------------- zh numbering

ZH_SECTION_STYLES = (lambda n: f"{chinese_number(n)}、", lambda n: f"（{chinese_number(n)}）",
                     lambda n: f"{n}、", lambda n: f"（{n}）")
ZH_LIST_STYLES = (lambda n: f"{n}、", lambda n: f"（{n}）", lambda n: f"{latin_letter(n)}.")


def _zh_section_number(path: tuple[int, ...]) -> str:
    style = ZH_SECTION_STYLES[min(len(path), len(ZH_SECTION_STYLES)) - 1]
    return style(path[-1])


def _zh_numbering(style: LocaleStyle) -> LocaleStyle:
    """``style`` numbered the Chinese way: 一、 （一） 1、 （1）, cited 第一条（一）."""
    article = style.words["section_ref"]
    item = "项" if "条" in article else "項"   # simplified 第一条第1项, traditional 第一條第1項

    def section_ref(path: tuple[int, ...]) -> str:
        return article.replace("{n}", chinese_number(path[0])) + "".join(
            _zh_section_number(path[:i + 1]).rstrip("、") for i in range(1, len(path)))

    def ref_join(first: str, later: list[str]) -> str:
        """第一条（一） + [第一条（二）] → 第一条（一）、（二） (a shared article is said once)."""
        head = article.split("{n}")[-1]
        shared = first.split(head)[0] + head if head and head in first else ""
        out = first
        for ref in later:
            out += "、" + (ref[len(shared):] if shared and ref.startswith(shared)
                          and len(ref) > len(shared) else ref)
        return out

    return replace(style, section_number=_zh_section_number, section_ref=section_ref,
                   list_number=lambda depth, n: ZH_LIST_STYLES[min(depth, 2)](n),
                   ref_join=ref_join, numbering="zh",
                   item_ref=lambda ref, label: f"{ref}第{label.strip().strip('、（）.()')}{item}")


# --------------------------------------------------------------------------- decimal numbering

DECIMAL_LIST_STYLES = (lambda n: f"({latin_letter(n)}) ", lambda n: f"({roman(n)}) ",
                       lambda n: f"{n}. ")


def _decimal_section_number(path: tuple[int, ...]) -> str:
    return ".".join(map(str, path)) + ("." if len(path) == 1 else "") + " "


def _decimal_numbering(style: LocaleStyle, tag: str) -> LocaleStyle:
    """``style`` numbered 1. 1.1 with lists (a) (i) 1., cited by its catalog's words."""
    single, plural = style.words["section_ref"], style.words["section_refs"]

    def number_of(ref: str) -> str | None:
        """The number a reference cites (Abschnitt 1.2 → 1.2), None if it is no section's."""
        before, _, after = single.partition("{n}")
        middle = ref[len(before):len(ref) - len(after)]
        return middle if ref.startswith(before) and ref.endswith(after) and middle else None

    def ref_join(first: str, later: list[str]) -> str:
        """Section 1.1 + [Section 1.2] → Sections 1.1 and 1.2 (CLDR's list pattern)."""
        if not later:
            return first
        numbers = [number_of(ref) for ref in [first, *later]]
        if all(numbers):
            return plural.replace("{n}", join_list(numbers, tag))
        return join_list([first, *later], tag)

    return replace(style, section_number=_decimal_section_number,
                   list_number=lambda depth, n: DECIMAL_LIST_STYLES[min(depth, 2)](n),
                   section_ref=lambda path: single.replace("{n}", ".".join(map(str, path))),
                   ref_join=ref_join, numbering="decimal",
                   item_ref=lambda ref, label: ref + (" " if ref[-1:] in "”\"'»“」" else "")
                   + label.strip())


# --------------------------------------------------------------------------- catalogs

CATALOGS = Path(__file__).parent / "locale"
SETTINGS = ("numbering", "date_format", "paper", "quote_open", "quote_close")

# The Noto families of each script (fontconfig picks the first installed) and the Debian
# package that installs them; Latin, Cyrillic and Greek are the default.
SCRIPT_FONTS: dict[str, tuple[tuple[str, ...], str]] = {
    "Hans": (("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
              "Microsoft YaHei", "PingFang SC"), "fonts-noto-cjk"),
    "Hant": (("Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "Microsoft JhengHei",
              "PingFang TC"), "fonts-noto-cjk"),
    "Jpan": (("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "Yu Gothic"),
             "fonts-noto-cjk"),
    "Kore": (("Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans KR", "Malgun Gothic"),
             "fonts-noto-cjk"),
    "Arab": (("Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans"), "fonts-noto-core"),
    "Hebr": (("Noto Sans Hebrew", "DejaVu Sans"), "fonts-noto-core"),
    "Thai": (("Noto Sans Thai",), "fonts-noto-core"),
    "Deva": (("Noto Sans Devanagari",), "fonts-noto-core"),
}
LATIN_FONTS = ("Noto Sans", "DejaVu Sans", "Liberation Sans")


def _babel_locale(tag: str):
    """The Babel locale of a BCP 47 tag, or None when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(str(tag).replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def script_of(tag: str) -> str:
    """The script a locale is written in: Hans, Hant, Latn, Arab … (CLDR likely subtags)."""
    from babel.core import get_global

    loc = _babel_locale(tag)
    if loc is None:
        return "Latn"
    if loc.script:
        return loc.script
    likely = get_global("likely_subtags")
    for key in (f"{loc.language}_{loc.territory}", loc.language):
        if key in likely:
            parts = likely[key].split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return parts[1]
    return "Latn"


@lru_cache(maxsize=None)
def _catalog_names() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in CATALOGS.iterdir() if p.is_dir()))


def catalog_chain(tag: str) -> list[str]:
    """The catalogs that word ``tag``, most specific first: de-AT → [de]; zh-HK → [zh_TW]
    (same script); en-US → [en_US, en]. Empty when its language has none."""
    loc = _babel_locale(tag)
    if loc is None:
        return []
    names = _catalog_names()
    exact = f"{loc.language}_{loc.territory}" if loc.territory else ""
    chain = [exact] if exact in names else []
    script = script_of(tag)
    regional = [n for n in names if n.split("_")[0] == loc.language and "_" in n
                and n != exact]
    if loc.language in names:
        chain.append(loc.language)
    elif not chain:
        chain += [n for n in regional if script_of(n.replace("_", "-")) == script][:1]
    return chain


def has_catalog(tag: str) -> bool:
    """Whether policyc has a message catalog for the language of ``tag``."""
    return bool(catalog_chain(tag))


@lru_cache(maxsize=None)
def _read_catalog(name: str) -> dict[str, str]:
    """key (msgctxt) → wording of one .po file; untranslated messages left out."""
    from babel.messages.pofile import read_po

    with open(CATALOGS / name / "LC_MESSAGES" / "policyc.po", "rb") as handle:
        catalog = read_po(handle)
    return {message.context: message.string for message in catalog
            if message.id and message.context and message.string}


@lru_cache(maxsize=None)
def english_words() -> dict[str, str]:
    """key → English wording: the msgid of every message (the fallback of every locale)."""
    from babel.messages.pofile import read_po

    with open(CATALOGS / "en" / "LC_MESSAGES" / "policyc.po", "rb") as handle:
        return {m.context: m.id for m in read_po(handle) if m.id and m.context}


SETTING_DEFAULTS = {"numbering": "decimal", "date_format": "long", "paper": "A4"}


def messages(tag: str) -> dict[str, str]:
    """Every key's wording in ``tag``: its catalogs', English where they have none. The
    settings (numbering, date pattern, paper) come from its own catalogs only, else CLDR's
    long date, decimal numbering and A4."""
    out = {**english_words(), **SETTING_DEFAULTS}
    for name in reversed(catalog_chain(tag)):
        out.update(_read_catalog(name))
    return out


def language_name(tag: str, in_tag: str, specific: bool = True) -> str:
    """The name of the language of ``tag`` in the language of ``in_tag`` (CLDR): 简体中文,
    Deutsch, British English; with ``specific`` False only the language: Chinese."""
    loc, where = _babel_locale(tag), _babel_locale(in_tag)
    if loc is None or where is None:
        return str(tag)
    names = where.languages
    keys = [loc.language]
    if specific:
        if loc.language == "zh":   # CLDR names Chinese by its script: 简体中文, 繁體中文
            keys.insert(0, f"zh_{script_of(tag)}")
        if loc.territory:
            keys.insert(0, f"{loc.language}_{loc.territory}")
    return next((names[k] for k in keys if k in names), str(tag))


def join_list(items: list[str], tag: str) -> str:
    """Items joined as the locale joins a list: a, b and c; a、b和c (CLDR)."""
    from babel.lists import format_list

    loc = _babel_locale(tag)
    return format_list(items, locale=loc) if loc else ", ".join(items)


def list_separator(tag: str) -> str:
    """What stands between two items in the middle of a list: ', ' or '、' (CLDR)."""
    loc = _babel_locale(tag)
    if loc is None:
        return ", "
    middle = loc.list_patterns["standard"]["middle"]
    return middle.replace("{0}", "", 1).replace("{1}", "", 1)


@lru_cache(maxsize=None)
def locale_style(tag: str) -> LocaleStyle | None:
    """The conventions of a BCP 47 tag, or None when CLDR does not know the language."""
    from babel.dates import format_date, get_month_names

    loc = _babel_locale(tag)
    if loc is None:
        return None
    tag = str(tag)
    found = messages(tag)
    words = {k: v for k, v in found.items() if k not in SETTINGS}
    open_quote, close_quote = found["quote_open"], found["quote_close"]
    words.update({"title_ref": f"{open_quote}{{title}}{close_quote}",
                  "list_separator": list_separator(tag),
                  "language_name": language_name(tag, tag)})
    pattern = found["date_format"]
    script = script_of(tag)
    fonts, package = SCRIPT_FONTS.get(script, (LATIN_FONTS, "fonts-noto-core"))
    if script not in SCRIPT_FONTS:   # CJK names in Latin text still need a glyph
        fonts = LATIN_FONTS + SCRIPT_FONTS["Hans"][0][:1]
    months = get_month_names("wide", "format", loc)
    style = LocaleStyle(
        tag=tag, words=words, section_number=_decimal_section_number,
        list_number=lambda depth, n: "", section_ref=lambda path: "",
        ref_join=lambda first, later: first, item_ref=lambda ref, label: ref,
        format_date=lambda d: format_date(d, pattern, locale=loc),
        fonts=(*fonts, "sans-serif"), paper=found["paper"],
        direction="rtl" if loc.character_order == "right-to-left" else "ltr",
        font_package=package, month_names=tuple(months[n] for n in range(1, 13)))
    if found["numbering"] == "zh":
        return _zh_numbering(style)
    return _decimal_numbering(style, tag)


PAPER_SIZES = ("A4", "A5", "Letter", "Legal")
