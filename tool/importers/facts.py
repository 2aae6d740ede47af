"""Facts an imported policy states: its title, dates and date wording, version, the
organisation's names and address, and the contact channels, each only where the text
states it (a labelled line, a definition, a contact sentence), never guessed; where the
text prints one as a whole word it becomes its variable.
"""
from __future__ import annotations

import datetime as dt
import re

from .outline import Outline, escape, plain
from .references import each_text, set_text_at, text_at
from .structure import ListBlock, Note, Para, Sec, Structure

# ----------------------------------------------------------------------------- dates

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``: 2022年4月1日, 2022-04-01, 2022/4/1, March 1, 2022, 1 March 2022."""
    patterns = [
        (r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", (1, 2, 3)),
        (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", (1, 2, 3)),
        (r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", (3, 1, 2)),
        (r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", (3, 2, 1)),
    ]
    for pattern, (y, mth, d) in patterns:
        for m in re.finditer(pattern, text):
            month = m.group(mth)
            if not month.isdigit():
                names = [k for k, name in enumerate(MONTHS, 1) if name.startswith(month.lower()[:3])]
                if not names or len(month) < 3:
                    continue
                month = names[0]
            try:
                return dt.date(int(m.group(y)), int(month), int(m.group(d)))
            except ValueError:
                continue
    return None


DATE_LABEL = re.compile(
    r"^\s*(?P<label>最近更新日期|最后更新日期|(?:本版|本版本|版本)?更新日期|发布日期|最近更新时间|更新时间|版本更新日期|"
    r"版本生效日期|生效日期|生效时间|Last (?:updated|modified|revised)(?: on)?|"
    r"(?:Effective|Updated)(?: date| on| as of)?|Date of last update)\s*[：:]?\s*(?P<rest>.+)$",
    re.I)
VERSION_LINE = re.compile(r"^\s*(?:版本号?|Version)\s*[：:]?\s*[vV]?(\d+(?:\.\d+)*)\s*$")


def _date_line(text: str) -> tuple[str, dt.date] | None:
    m = DATE_LABEL.match(text)
    if not m:
        return None
    date = parse_date(m.group("rest"))
    if date is None or len(re.sub(r"\s", "", m.group("rest"))) > 24:
        return None
    label = m.group("label").lower()
    return ("effective" if "生效" in label or "effective" in label else "last_updated"), date


DATE_SHAPES = [
    (re.compile(r"(\d{4})(\s*)年(\s*)(\d{1,2})(\s*)月(\s*)(\d{1,2})(\s*)日"),
     lambda m: "YYYY{}年{}{}{}月{}{}{}日".format(m[2], m[3], _padded(m, 4, 7)[0], m[5], m[6],
                                                _padded(m, 4, 7)[1], m[8])),
    (re.compile(r"(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})"),
     lambda m: f"YYYY{m[2]}{_padded(m, 3, 5)[0]}{m[4]}{_padded(m, 3, 5)[1]}"),
    (re.compile(r"([A-Z][a-z]{2,8}) (\d{1,2}), (\d{4})"), lambda m: "MMMM D, YYYY"),
    (re.compile(r"(\d{1,2}) ([A-Z][a-z]{2,8}) (\d{4})"), lambda m: "D MMMM YYYY"),
]


def _padded(m: re.Match, month: int, day: int) -> tuple[str, str]:
    """MM or DD where that number is written with a leading zero (02 月 17 日, 8月05日)."""
    def zero(group: int) -> bool:
        return len(m.group(group)) == 2 and m.group(group).startswith("0")
    return "MM" if zero(month) else "M", "DD" if zero(day) else "D"


def date_wording(inline: str, name: str, date: dt.date, locale: str) -> tuple[str, str] | None:
    """How the input words a date line, when the build would word it differently: the
    line with ``{date}`` where the date goes, and the date's format (YYYY 年 MM 月 DD 日)."""
    from ..locales import locale_style

    style = locale_style(locale)
    for pattern, shape in DATE_SHAPES:
        m = pattern.search(inline)
        if not m or (shape(m).startswith("MMMM") or shape(m).startswith("D M")) and \
                m.group(0).split()[0 if shape(m).startswith("MMMM") else 1].lower() not in MONTHS:
            continue
        default = f"{style.words[name]}{style.words['colon']}{style.format_date(date)}"
        if inline.strip() == escape(default):
            return None
        line = inline[:m.start()] + "{date}" + inline[m.end():]
        fmt = shape(m)
        return line, ("" if style.format_date(date) == m.group(0) else fmt)
    return None


# ----------------------------------------------------------------------------- front matter

POLICY_WORDS = re.compile(r"隐私|政策|协议|声明|条款|privacy|policy|notice|statement", re.I)


def front_matter(structure: Structure, locale: str, notes: list[Note]) -> dict:
    """title, dates, version, preamble, contents and introduction from the text before
    the first section."""
    out: dict = {}
    preamble: list = []
    introduction: list = []
    dated: list = []            # the date lines taken as facts
    blocks = list(structure.front)
    toc_line = structure.toc_line
    for k, block in enumerate(blocks):
        text = plain(block.text).strip() if isinstance(block, Para) else ""
        if isinstance(block, Para):
            if "title" not in out and title_like_para(text) and POLICY_WORDS.search(text) \
                    and not preamble:
                out["title"] = block.text
                notes.append(Note("typed", block.line, f"title: {text}"))
                continue
            if text == plain(out.get("title", "\0")):
                notes.append(Note("prose", block.line, "the title repeated: dropped"))
                continue
            date = _date_line(text)
            if date and date[0] not in out:
                out[date[0]] = date[1]
                notes.append(Note("typed", block.line, f"{date[0]}: {date[1].isoformat()}"))
                wording = date_wording(block.text, date[0], date[1], locale)
                if wording is None and not _default_date_line(text, date, locale):
                    # worded in a way the build cannot write (September 6th, 2021): the
                    # line stays as written, the date is a fact that prints no line
                    out.setdefault("dates", {})["lines"] = []
                    notes.append(Note("prose", block.line, "the date line stays as written "
                                                           "(dates: lines: [])"))
                    preamble.append(block)
                    continue
                dated.append(block)
                if wording:
                    line, pattern = wording
                    out.setdefault("dates", {})[date[0]] = line
                    if pattern:
                        out["dates"].setdefault("format", pattern)
                    notes.append(Note("typed", block.line, f"dates: the line is worded "
                                                          f"'{plain(line)}'"))
                continue
            version = VERSION_LINE.match(text)
            if version and "version" not in out:
                out["version"] = version.group(1)
                notes.append(Note("typed", block.line, f"version: {version.group(1)}"))
                continue
            if toc_line is not None and block.line < toc_line and k + 1 < len(blocks) and \
                    (blocks[k + 1].line > toc_line) and re.search(r"[：:]$", text):
                out["contents"] = block.text
                notes.append(Note("typed", block.line, "contents: the sentence introducing "
                                                      "the table of contents"))
                continue
        if toc_line is not None and block.line > toc_line:
            introduction.append(block)
        else:
            preamble.append(block)
    if toc_line is not None and "contents" not in out and preamble and \
            isinstance(preamble[-1], Para) and re.search(r"[：:]$", plain(preamble[-1].text)):
        out["contents"] = preamble.pop().text
    if out.get("dates", {}).get("lines") == []:     # no date line prints: all stay text
        preamble = sorted(preamble + dated, key=lambda block: block.line)
    out["preamble"], out["introduction"] = preamble, introduction
    return out


def _default_date_line(text: str, date: tuple[str, dt.date], locale: str) -> bool:
    """``text`` is the date line the build writes by default."""
    from ..locales import locale_style

    style = locale_style(locale)
    name, day = date
    return text.strip() == f"{style.words[name]}{style.words['colon']}{style.format_date(day)}"


def title_like_para(text: str) -> bool:
    return bool(text) and len(text) <= 40 and not re.search(r"[。；;！？!?，,]", text)


# ----------------------------------------------------------------------------- names and variables


def use_variables(sections: list[Sec], policy: dict, notes: list[Note]) -> None:
    """Where the text prints a stated fact as a whole word, it becomes its variable:
    {org_name}, {address}, {email}, {phone}; never inside a longer word, name or link
    target, so a changed fact changes the page exactly where the old value was printed."""
    contact, org = policy.get("contact", {}), policy.get("organisation", {})
    facts = [("org_name", org.get("legal_name")), ("address", org.get("address")),
             ("email", contact.get("email")), ("phone", contact.get("phone"))]
    facts = [(name, escape(value)) for name, value in facts if value and len(value) >= 4]
    counts = {name: 0 for name, _ in facts}
    for holder, key, _ in list(each_text(sections)):
        text = text_at(holder, key)
        new = substitute(text, facts, counts)
        if new != text:
            set_text_at(holder, key, new)
    for key in ("preamble", "introduction"):
        for block in policy.get(key, []):
            if isinstance(block, Para):
                block.text = substitute(block.text, facts, counts)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    item.text = substitute(item.text, facts, counts)
    for name, count in counts.items():
        if count:
            notes.append(Note("typed", 0, f"{{{name}}}: {count} occurrence"
                                          f"{'s' * (count != 1)} in the text"))


IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
JOINING_WORDS = set("的与和及或由为是即指称向在对被经从于将同跟给")
"""Characters a name may follow as a word of its own (由X有限公司提供)."""
LINK_TARGET = re.compile(r"\]\([^()]{0,2000}\)|\{[^{}]{0,200}\}")


def whole_word_at(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` stands as a whole word: not inside a longer Latin word, number,
    e-mail address or Chinese name."""
    before, after = text[start - 1:start], text[end:end + 1]
    first, last = text[start], text[end - 1]
    if first.isalnum() and not IDEOGRAPH.match(first) and re.match(r"[A-Za-z0-9_.%+@-]", before):
        return False
    if last.isalnum() and not IDEOGRAPH.match(last) and (
            re.match(r"[A-Za-z0-9_@-]", after) or re.match(r"\.[A-Za-z0-9]", text[end:end + 2])):
        return False
    if IDEOGRAPH.match(first) and IDEOGRAPH.match(before) and before not in JOINING_WORDS:
        return False
    return True


def substitute(text: str, facts: list[tuple[str, str]], counts: dict[str, int]) -> str:
    """``text`` with each whole-word occurrence of a fact's value as ``{name}``; link
    targets and variables already there are left alone."""
    for name, value in facts:
        out, last = [], 0
        protected = [m.span() for m in LINK_TARGET.finditer(text)]
        for m in re.finditer(re.escape(value), text):
            if any(a < m.end() and m.start() < b for a, b in protected) or \
                    not whole_word_at(text, m.start(), m.end()):
                continue
            out += [text[last:m.start()], "{" + name + "}"]
            last = m.end()
            counts[name] += 1
        text = "".join(out) + text[last:]
    return text


# ----------------------------------------------------------------------------- locale and what the input lacks

ADDRESS = re.compile(r"(?:联系地址|注册地址|办公地址|通讯地址|地址|住所)(?:为|是)?[：:]\s*"
                     r"(?P<zh>[^。；;\n]{4,60})|(?P<us>\b\d{1,6} [A-Z0-9][\w.#-]{0,40}(?: [\w.#-]{1,40}){0,8}"
                     r"(?:, [\w.# -]{1,60}?){0,4}, [A-Z]{2} \d{5}(?:-\d{4})?(?: USA| United States)?)")
GENERIC_NAMES = {"我们", "本政策", "用户", "您", "本公司", "公司", "we", "us", "you", "our",
                 "the company", "company", "this policy", "policy", "services", "service"}


def detect_locale(outline: Outline) -> str:
    """zh-CN for Chinese text; English otherwise, en-US when it writes US dates
    (April 20, 2023) or a US address."""
    text = "\n".join(e.plain for e in outline.entries[:400])
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z]{2,}", text))
    if cjk >= words:
        return "zh-CN"
    us_date = re.search(r"\b(January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{1,2}, \d{4}", text)
    us_address = ADDRESS.search(text)
    return "en-US" if us_date or (us_address and us_address.group("us")) else "en"


def default_title(locale: str) -> str:
    return "隐私政策" if locale.startswith("zh") else "Privacy Policy"


EN_LEGAL_NAME = (r"(?<![\w&.'’-])(?:[A-Z0-9][\w&.'’-]{0,40},? ){1,6}(?:Ltd|Limited|Inc|LLC|GmbH|Corp|"
                 r"Corporation|S\.A|B\.V|AG|PLC|plc)\b\.?")
DEFINED_HANDLER = re.compile(
    r"(?P<name>[\u4e00-\u9fff（）()]{4,40}?(?:股份有限公司|有限责任公司|有限公司|集团))\s*[（(]\s*"
    r"(?:以下|下文|下)?(?:简称|称|统称)(?:为)?\s*[“\"「'‘](?P<short>[^”\"」'’]{2,30}?)[”\"」'’]|"
    r"(?P<en>" + EN_LEGAL_NAME + r")[^\n]{0,200}?\((?:hereinafter(?: referred to as)?|"
    r"together|collectively)?,?\s*[“\"'‘](?P<en_short>[^”\"'’]{2,30}?)[”\"'’]")
"""A handler's name and the short name the text defines for it: X有限公司（以下简称“X”）,
Example Ltd (together, "Example")."""


CONTACT_SENTENCE = re.compile(
    r"(?:contact us|reach us|write to us|email us|联系我们|发送邮件至|发邮件至|邮件至)[^。\n]{0,80}?"
    r"(?<![\w.%+-])(?P<v>" + EMAIL.pattern + r")|(?<![\w.%+-])(?P<w>" + EMAIL.pattern +
    r")[^。\n]{0,20}?(?:与我们联系|联系我们)", re.I)
"""A sentence asking the reader to write to an address (contact us at …, 发送邮件至…)."""


def _name_tail(name: str, text: str) -> str:
    """The name the text uses of a match that may have caught words before it
    (欢迎使用X有限公司 → X有限公司): its tail named most often, the longest of those."""
    if not IDEOGRAPH.match(name):
        return name
    tails = [name[k:] for k in range(0, max(1, len(name) - 5))]
    return max(tails, key=lambda t: (text.count(t), len(t)))


def complete_facts(policy: dict, facts: dict, full: str, locale: str,
                    notes: list[Note]) -> None:
    """The facts policy.yaml states, each only where the text states it: a labelled
    line (联系邮箱：…), the contact section, a definition (X有限公司（以下简称“X”）).
    A fact the text does not state is left out: nothing is guessed or made up."""
    policy.setdefault("title", escape(default_title(locale)))
    if "last_updated" not in policy and "effective" not in policy:
        notes.append(Note("check", 0, "the text states no date of last update: the page "
                                      "prints none (add last_updated if it should)"))
    contact = facts.get("contact", {})
    said = CONTACT_SENTENCE.search(full)
    if "email" not in contact and said:
        contact["email"] = said.group("v") or said.group("w")
        notes.append(Note("typed", 0, f"contact: email {contact['email']} (the text asks to "
                                      "be contacted there)"))
    if not contact:
        notes.append(Note("check", 0, "no contact line (邮箱：… / Email: …) found: "
                                      "policy.yaml names no channel"))
    org = dict(facts.get("organisation", {}))
    defined = DEFINED_HANDLER.search(full)
    if defined:
        name = _name_tail((defined.group("name") or defined.group("en")).strip(), full)
        short = (defined.group("short") or defined.group("en_short")).strip()
        if "legal_name" not in org and name not in facts.get("third_parties", ()):
            org["legal_name"] = name
            notes.append(Note("typed", 0, f"organisation: {name} (the text defines it)"))
        if org.get("legal_name") == name and short.lower() not in GENERIC_NAMES:
            org["short_name"] = short
            notes.append(Note("typed", 0, f"organisation: short name {short} (the text "
                                          "defines it)"))
    address = ADDRESS.search(full)
    if "address" not in org and address:
        org["address"] = (address.group("zh") or address.group("us")).strip()
        notes.append(Note("typed", 0, f"organisation: address {org['address']} (the text "
                                      "gives it)"))
    if "legal_name" not in org:
        notes.append(Note("check", 0, "no company name stated (企业名称：… or X有限公司（以下"
                                      "简称“…”）): policy.yaml names none"))
    labels = _labels(facts.get("sdk_labels", {}), locale)
    if labels:
        policy["labels"] = labels
        notes.append(Note("typed", 0, "labels: the SDK lines keep their words (" +
                          ", ".join(f"{k}: {v}" for k, v in labels.items()) + ")"))
    policy.update({"organisation": {k: org[k] for k in ("legal_name", "short_name",
                                                        "address") if org.get(k)},
                   "contact": contact})


def _labels(found: dict[str, tuple[str, str]], locale: str) -> dict[str, str]:
    """``labels:`` for the SDK lines whose words differ from the locale's: a labelled
    purpose is a whole sentence (使用目的：{value}), other fields their label."""
    from ..locales import locale_style

    words = locale_style(locale).words
    out = {}
    for name, (label, separator) in found.items():
        key = "sdk_policy" if name == "policy_url" else f"sdk_{name}"
        if key not in words:
            continue
        wording = f"{label}{separator}{{value}}" if name == "purpose" else label
        if words[key] != wording:
            out[key] = escape(wording).replace("\\{value}", "{value}")
    return out
