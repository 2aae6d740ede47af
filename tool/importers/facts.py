"""Facts an imported policy states: its title, dates and date wording, version, the
organisation's names and address, the app, and the contact channels; repeated
occurrences of them in the text become variables.
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
    """MM and DD when either number is written with a leading zero (02 月 17 日)."""
    padded = any(len(m.group(g)) == 2 and m.group(g).startswith("0") for g in (month, day))
    return ("MM", "DD") if padded else ("M", "D")


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
    out["preamble"], out["introduction"] = preamble, introduction
    return out


def title_like_para(text: str) -> bool:
    return bool(text) and len(text) <= 40 and not re.search(r"[。；;！？!?，,]", text)


# ----------------------------------------------------------------------------- names and variables


def short_name(legal_name: str, text: str) -> str:
    """The part of the legal name the text uses on its own most (异业同盟 of
    石家庄异业同盟信息科技有限公司, Example of Example Ltd), else the legal name."""
    best, score = legal_name, 0
    rest = text.replace(legal_name, "")
    if re.search(r"[\u4e00-\u9fff]", legal_name):
        parts = [legal_name[a:b] for a in range(len(legal_name))
                 for b in range(a + 3, min(len(legal_name), a + 40) + 1)]
    else:
        words = legal_name.split()
        parts = [" ".join(words[a:b]) for a in range(len(words))
                 for b in range(a + 1, len(words) + 1) if len(" ".join(words[a:b])) >= 3]
    for part in parts:
        count = rest.count(part)
        if count >= 2 and count * len(part) > score:
            best, score = part, count * len(part)
    return best


def app_name(text: str, exclude: str) -> str | None:
    """The app's name: the words most often right before APP/App/客户端/小程序."""
    scores: dict[str, int] = {}
    for m in re.finditer(r"([\u4e00-\u9fffA-Za-z0-9]{2,8})(?:APP|App|app|客户端|小程序)", text):
        word = m.group(1)
        for k in range(len(word) - 1):
            part = word[k:]
            if len(part) >= 2 and part != exclude and not re.fullmatch(r"[A-Za-z]+", part):
                count = text.count(part)
                scores[part] = max(scores.get(part, 0), count * len(part) if count >= 2 else 0)
    if not scores:
        return None
    name, score = max(scores.items(), key=lambda kv: kv[1])
    return name if score else None


def use_variables(sections: list[Sec], policy: dict, notes: list[Note]) -> None:
    """Facts repeated in the text become variables: {org_name}, {address}, {email}, {phone},
    {app}, {org}."""
    contact, org = policy.get("contact", {}), policy.get("organisation", {})
    facts = [("org_name", org.get("legal_name")), ("address", org.get("address")),
             ("email", contact.get("email")),
             ("phone", contact.get("phone")), ("app", policy.get("app", {}).get("name")),
             ("org", org.get("short_name"))]
    facts = [(name, escape(value)) for name, value in facts if value and len(value) >= 2]
    counts = {name: 0 for name, _ in facts}
    targets = list(each_text(sections))
    holders = [(policy, k) for k in ("preamble", "introduction")]
    for holder, key, _ in targets:
        text = text_at(holder, key)
        new = _substitute(text, facts, counts)
        if new != text:
            set_text_at(holder, key, new)
    for policy_holder, key in holders:
        for block in policy_holder.get(key, []):
            if isinstance(block, Para):
                block.text = _substitute(block.text, facts, counts)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    item.text = _substitute(item.text, facts, counts)
    for name, count in counts.items():
        if count:
            notes.append(Note("typed", 0, f"{{{name}}}: {count} occurrence"
                                          f"{'s' * (count != 1)} in the text"))


def _substitute(text: str, facts: list[tuple[str, str]], counts: dict[str, int]) -> str:
    pieces = [text]
    for name, value in facts:
        new = []
        for piece in pieces:
            if piece.startswith("{") and piece.endswith("}"):
                new.append(piece)
                continue
            parts = piece.split(value)
            for k, part in enumerate(parts):
                if k:
                    new.append("{" + name + "}")
                    counts[name] += 1
                new.append(part)
        pieces = new
    return "".join(pieces)


# ----------------------------------------------------------------------------- locale and what the input lacks

PLACEHOLDER = {"zh-CN": "（待补充）", "en": "(to be completed)"}
LEGAL_NAME = re.compile(r"[\u4e00-\u9fff（）()]{4,40}?(?:股份有限公司|有限责任公司|有限公司|集团)|"
                        r"[A-Z0-9][\w&.,' -]{1,60}? (?:Ltd|Limited|Inc|LLC|GmbH|Corp|Corporation|"
                        r"S\.A|B\.V|AG|PLC|plc)\b\.?")

ADDRESS = re.compile(r"(?:联系地址|注册地址|办公地址|通讯地址|地址|住所)(?:为|是)?[：:]\s*"
                     r"(?P<zh>[^。；;\n]{4,60})|(?P<us>\b\d{1,6} [A-Z0-9][\w.#-]{0,40}(?: [\w.#-]{1,40}){0,8}"
                     r"(?:, [\w.# -]{1,60}?){0,4}, [A-Z]{2} \d{5}(?:-\d{4})?(?: USA| United States)?)")
DEFINED_NAME = re.compile(r"(?:下称|以下简称|简称|hereinafter(?: referred to as)?|together,)\s*"
                          r"[“\"「'‘]\s*([^”\"」'’]{2,30}?)\s*[”\"」'’]", re.I)
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


def complete_facts(policy: dict, facts: dict, full: str, locale: str,
                    notes: list[Note]) -> None:
    placeholder = PLACEHOLDER["zh-CN" if locale.startswith("zh") else "en"]
    policy.setdefault("title", escape(default_title(locale)))
    if "last_updated" not in policy:
        if "effective" in policy:
            policy["last_updated"] = policy["effective"]
        else:
            policy["last_updated"] = dt.date.today()
            notes.append(Note("check", 0, "no date of last update found: last_updated set to "
                                          f"today ({policy['last_updated'].isoformat()})"))
    contact = facts.get("contact", {})
    if "email" not in contact:
        found = EMAIL.search(full)
        if found:
            contact["email"] = found.group()
            notes.append(Note("typed", 0, f"contact: email {found.group()} (first address "
                                          "in the text)"))
    if not contact:
        contact["email"] = "privacy@example.com"
        notes.append(Note("check", 0, "no e-mail address or other contact channel found: "
                                      "policy.yaml has privacy@example.com; replace it"))
    org = facts.get("organisation", {})
    if "legal_name" not in org:
        names = [n for n in _company_names(full) if n not in facts.get("third_parties", ())]
        if names:
            org["legal_name"] = names[0]
            notes.append(Note("typed", 0, f"organisation: {org['legal_name']} (the company "
                                          "name the text names most)"))
        else:
            org["legal_name"] = placeholder
            notes.append(Note("check", 0, f"no company name found: organisation.legal_name "
                                          f"is {placeholder}"))
    defined = [m.group(1).strip() for m in DEFINED_NAME.finditer(full)
               if m.group(1).strip().lower() not in GENERIC_NAMES]
    if defined and org["legal_name"] != placeholder:
        org["short_name"] = defined[0]
        notes.append(Note("typed", 0, f"organisation: short name {defined[0]} (the text "
                                      "defines it)"))
    else:
        org["short_name"] = short_name(org["legal_name"], full) if org["legal_name"] != \
            placeholder else placeholder
    if "address" not in org:
        found = ADDRESS.search(full)
        if found:
            org["address"] = (found.group("zh") or found.group("us")).strip()
            notes.append(Note("typed", 0, f"organisation: address {org['address']} (the "
                                          "address the text gives)"))
    if "address" not in org:
        org["address"] = placeholder
        notes.append(Note("check", 0, f"no address found: organisation.address is "
                                      f"{placeholder}"))
    labels = _labels(facts.get("sdk_labels", {}), locale)
    if labels:
        policy["labels"] = labels
        notes.append(Note("typed", 0, "labels: the SDK lines keep their words (" +
                          ", ".join(f"{k}: {v}" for k, v in labels.items()) + ")"))
    app = app_name(full, org["short_name"])
    policy.update({"organisation": {k: org[k] for k in ("legal_name", "short_name",
                                                        "address")}, "contact": contact})
    if app:
        policy["app"] = {"name": app}


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


def _company_names(text: str) -> list[str]:
    """Company names in ``text``, the most often named first: of each match, the longest
    tail that occurs as often as any (我们不会与X有限公司 → X有限公司)."""
    scores: dict[str, tuple[int, int]] = {}
    for m in LEGAL_NAME.finditer(text):
        name = m.group().strip()
        tails = [name[k:] for k in range(0, max(1, len(name) - 5))]
        best = max(tails, key=lambda t: (text.count(t), len(t))).strip()
        scores[best] = (text.count(best), len(best))
    return sorted(scores, key=lambda n: scores[n], reverse=True)
