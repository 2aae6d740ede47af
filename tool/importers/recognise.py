"""Typed parts of an imported policy: what the text states as data, not prose.

From the sections found by :mod:`.structure` this recognises the front matter (title,
dates, version, the sentence introducing the contents), a permissions table, an SDK
list, the user's rights, the contact section and its channels, the facts repeated in
the text (e-mail, phone, names: they become variables) and references to sections
(第九条, 第一条（一）、（二） become ``{ref:…}`` — unless the target is missing or the
words around the reference speak of another section, which is reported).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .numbering import CN, chinese_value
from .outline import escape, plain
from .structure import ListBlock, Note, Para, Sec, Structure, TableBlock

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


@dataclass
class Draft:
    """An imported policy: the facts for policy.yaml and the typed sections."""

    locale: str
    policy: dict
    sections: list[Sec]
    notes: list[Note] = field(default_factory=list)


# ----------------------------------------------------------------------------- dates

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


# ----------------------------------------------------------------------------- typed sections

PERMISSION_COLUMNS = {
    "feature": re.compile(r"业务功能|功能|场景|feature|function", re.I),
    "permissions": re.compile(r"权限|permission", re.I),
    "purpose": re.compile(r"目的|用途|purpose", re.I),
    "asked": re.compile(r"询问|提示|asked|ask", re.I),
    "can_disable": re.compile(r"关闭|disable|turn(ed)? off", re.I),
}
YES = {"是", "yes", "y", "√", "✓", "可以", "可", "需要", "true"}
NO = {"否", "no", "n", "×", "✗", "不可以", "不可", "不需要", "false"}
NONE = {"无", "none", "-", "—", "n/a", "/", ""}


def split_list(text: str) -> list[str]:
    """``a、b（c、d）、e`` → [a, b（c、d）, e]: split at 、，,；; outside brackets."""
    parts, depth, buf = [], 0, ""
    for ch in text:
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
        if ch in "、，,；;\n" and depth == 0:
            parts.append(buf.strip())
            buf = ""
            continue
        buf += ch
    parts.append(buf.strip())
    return [p for p in parts if p]


def one_line(text: str) -> str:
    """A cell's lines as one text: joined without a space between CJK characters."""
    out = ""
    for line in text.split("\n"):
        line = line.strip()
        if out and line and not (re.search(r"[\u3000-\u9fff\uff00-\uffef]$", out) or
                                 re.match(r"[\u3000-\u9fff\uff00-\uffef]", line)):
            out += " "
        out += line
    return out


def _columns(header: list[str], patterns: dict) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for k, cell in enumerate(header):
        for name, pattern in patterns.items():
            if name not in found and pattern.search(plain(cell)):
                found[name] = k
                break
    return found


def permission_rows(table: TableBlock, notes: list[Note]) -> list[dict] | None:
    """The rows of a permissions table, or None when ``table`` is not one."""
    columns = _columns(table.rows[0], PERMISSION_COLUMNS)
    if set(columns) != set(PERMISSION_COLUMNS):
        return None
    rows = []
    for cells in table.rows[1:]:
        if len(cells) != len(table.rows[0]):
            return None
        values = {name: cells[k] for name, k in columns.items()}
        flags = {}
        for flag in ("asked", "can_disable"):
            word = plain(values[flag]).strip().lower()
            if word not in YES and word not in NO:
                notes.append(Note("check", table.line, f"permissions table: '{word}' in "
                                  f"column {flag} is neither yes nor no; table kept as text"))
                return None
            flags[flag] = word in YES
        permissions = [] if plain(values["permissions"]).strip().lower() in NONE else \
            split_list(values["permissions"])
        rows.append({"feature": one_line(values["feature"]), "permissions": permissions,
                     "purpose": one_line(values["purpose"]), **flags})
    return rows


SDK_SECTION = re.compile(r"sdk|第三方|third[- ]part|service providers|processors", re.I)
SDK_FIELDS = {
    "name": re.compile(r"^(sdk\s*名称|第三方(sdk)?名称|名称|sdk name|name)$", re.I),
    "purpose": re.compile(r"使用目的|目的|用途|功能|purpose", re.I),
    "data": re.compile(r"个人信息|信息类型|字段|收集.*信息|data", re.I),
    "provider": re.compile(r"第三方主体|提供方|公司|主体|provider|company", re.I),
    "permissions": re.compile(r"权限|permission", re.I),
    "policy_url": re.compile(r"隐私政策|链接|policy|link|url", re.I),
    "method": re.compile(r"处理方式|共享方式|方式|method", re.I),
    "scenario": re.compile(r"场景|scenario", re.I),
}
URL = re.compile(r"https?://[^\s<>\"'，。；）)】]+")


def _sdk_field(label: str) -> str | None:
    for name, pattern in SDK_FIELDS.items():
        if pattern.search(label):
            return name
    return None


def sdk_from_section(sec: Sec) -> dict | None:
    """One SDK from a subsection: its title is the name, its text the purpose (or
    labelled lines such as 使用目的：…, 第三方主体：…, 隐私政策链接：…)."""
    if sec.sections or not all(isinstance(b, Para) for b in sec.blocks) or not sec.blocks:
        return None
    sdk: dict = {"name": sec.title}
    unlabelled = []
    for block in sec.blocks:
        m = re.match(r"^([^：:]{2,12})[：:]\s*(.+)$", plain(block.text))
        name = _sdk_field(m.group(1)) if m else None
        if name and name != "name" and name not in sdk:
            value = block.text[block.text.find(m.group(2)[:1], len(m.group(1))):] \
                if m.group(2) else ""
            sdk[name] = value
        else:
            unlabelled.append(block.text)
    if "purpose" not in sdk:
        if len(unlabelled) != 1:
            return None
        sdk["purpose"] = unlabelled.pop()
    elif unlabelled:
        return None
    return _sdk_fields(sdk)


def _sdk_fields(sdk: dict) -> dict:
    for name, value in sdk.items():
        if name not in ("data", "permissions"):
            sdk[name] = one_line(value)
    for name in ("data", "permissions"):
        if name in sdk:
            sdk[name] = split_list(sdk[name])
    if "policy_url" in sdk:
        url = URL.search(plain(sdk["policy_url"]))
        if url:
            sdk["policy_url"] = url.group()
        else:
            sdk.pop("policy_url")
    return sdk


def sdks_from_table(table: TableBlock) -> list[dict] | None:
    header = [plain(c) for c in table.rows[0]]
    fields = [_sdk_field(c) for c in header]
    if "name" not in fields or "purpose" not in fields:
        return None
    out = []
    for cells in table.rows[1:]:
        sdk = {f: cells[k] for k, f in enumerate(fields) if f and k < len(cells) and
               plain(cells[k]).strip()}
        if "name" not in sdk or "purpose" not in sdk:
            return None
        out.append(_sdk_fields(sdk))
    return out


RIGHT_KINDS = [
    ("cancel_account", r"注销|cancel|close (your|the) account|delete (your|the) account"),
    ("withdraw_consent", r"撤回|改变.*授权|授权同意的范围|withdraw|consent"),
    ("delete", r"删除|erase|erasure|delet"),
    ("correct", r"更正|修改|补充|correct|rectif"),
    ("copy", r"复制|副本|copy"),
    ("portability", r"转移|可携|portab"),
    ("access", r"访问|查阅|查询|获取.*副本|access"),
    ("explanation", r"解释|说明|知情|right to know|be informed"),
    ("automated_decisions", r"自动化决策|automated"),
    ("restrict", r"限制|restrict"),
    ("object", r"拒绝|反对|object"),
    ("complaint", r"投诉|举报|complain|supervisory"),
    ("requests", r"响应|请求|request|exercis"),
]


LEAD_IN = re.compile(r"^\*\*(?P<title>[^*]{2,80}?)\*\*\s*(?P<rest>.*)$", re.S)
ZH_LEAD_IN = re.compile(r"^(?P<title>[^：:。；;！？!?*]{2,20})[：:]\s*(?P<rest>.+)$", re.S)


def _rights_from_list(sec: Sec) -> list[dict] | None:
    """Rights written as a list whose items open with a title (**Right to Know.** You …,
    查阅权：您可以……): typed, kept as a list (layout bullets or clauses)."""
    for k, block in enumerate(sec.blocks):
        if not isinstance(block, ListBlock) or len(block.items) < 3:
            continue
        found = [LEAD_IN.match(i.text) or ZH_LEAD_IN.match(i.text) for i in block.items]
        if not all(found):
            continue
        rights = [{"kind": right_kind(plain(m.group("title"))), "title": m.group("title").strip(),
                   "blocks": ([Para(m.group("rest").strip(), item.line)] if m.group("rest").strip()
                              else []) + item.blocks, "line": item.line}
                  for m, item in zip(found, block.items)]
        sec.typed = {"type": "rights", "rights": rights, "after": sec.blocks[k + 1:],
                     "layout": "bullets" if block.kind == "bullets" else "clauses"}
        sec.blocks = sec.blocks[:k]
        return rights
    return None


def right_kind(title: str) -> str:
    for kind, pattern in RIGHT_KINDS:
        if re.search(pattern, title, re.I):
            return kind
    return "other"


RIGHTS_SECTION = re.compile(r"权利|管理您的个人信息|rights|your choices", re.I)
CONTACT_SECTION = re.compile(r"联系我们|联系方式|contact", re.I)
CONTACT_LINES = [
    ("email", re.compile(r"^(电子邮箱|电子邮件|邮箱|e-?mail(?: address)?)\s*[：:]\s*(?P<v>"
                         + EMAIL.pattern + r")\s*[。.]?$", re.I)),
    ("phone", re.compile(r"^(服务电话|客服电话|联系电话|电话|phone|telephone|tel)\s*[：:]\s*"
                         r"(?P<v>\+?[\d][\d\s\-()]{4,}\d)\s*(?:[（(](?:服务时段|服务时间|工作时间|"
                         r"hours)[：:]\s*(?P<hours>.+?)[）)])?\s*[。.]?$", re.I)),
    ("in_app_feedback", re.compile(r"^(在线反馈|意见反馈|在线客服)\s*[：:]\s*【?(?P<v>.+?)】?\s*$")),
    ("officer", re.compile(r"^(个人信息保护(?:相关)?负责人(?:联系方式|邮箱)?|data protection officer|"
                           r"dpo)\s*[：:]\s*(?P<v>" + EMAIL.pattern + r")\s*[。.]?$", re.I)),
    ("legal_name", re.compile(r"^(企业名称|公司名称|公司全称|运营者|运营方|company(?: name)?)\s*[：:]\s*(?P<v>.+)$", re.I)),
    ("address", re.compile(r"^(地点|地址|注册地址|办公地址|联系地址|通讯地址|address)\s*[：:]\s*(?P<v>.+)$", re.I)),
]
WORKING_DAYS = re.compile(rf"([{CN}]+|\d+)\s*个?(?:工作日|working days|business days)")


def contact_section(sec: Sec, facts: dict, notes: list[Note]) -> dict | None:
    """Type the contact section: channel and company lines become policy.yaml facts."""
    before, after, seen = [], [], False
    for block in sec.blocks:
        text = plain(block.text).strip() if isinstance(block, Para) else ""
        for name, pattern in CONTACT_LINES:
            m = pattern.match(text) if text else None
            if not m:
                continue
            value = m.group("v").strip()
            if name in ("legal_name", "address"):
                facts.setdefault("organisation", {})[name] = value
            elif name == "officer":
                facts.setdefault("contact", {}).setdefault("officer", {"email": value})
            else:
                facts.setdefault("contact", {}).setdefault(name, value)
                if name == "phone" and m.group("hours"):
                    facts["contact"]["service_hours"] = m.group("hours").strip()
            notes.append(Note("typed", block.line, f"contact: {name} {value}"))
            seen = True
            break
        else:
            (after if seen else before).append(block)
            days = WORKING_DAYS.search(text)
            if days and seen:
                number = days.group(1)
                value = int(number) if number.isdigit() else chinese_value(number)
                facts.setdefault("contact", {}).setdefault("response_days", value)
    if not seen:
        if _prose_contact(sec, facts, notes):
            notes.append(Note("typed", sec.line, "contact section: its details stay in its "
                                                 "sentences (channels: [] and details: [] "
                                                 "print no generated lines)"))
            return {"channels": [], "details": [], "after": []}
        return None
    sec.blocks = before
    return {"after": after}


PROSE_FACTS = [
    ("email", re.compile(r"(?:邮箱|邮件|e-?mail)[^：:@]{0,6}[：:]?\s*(?P<v>" + EMAIL.pattern + ")", re.I)),
    ("phone", re.compile(r"(?:电话|phone|tel)[^：:\d]{0,4}[：:]?\s*(?P<v>\+?\d[\d\- ]{5,}\d)", re.I)),
    ("address", re.compile(r"(?:联系地址|注册地址|办公地址|地址)(?:为|是)?[：:]\s*(?P<v>[^。；;\n]{4,80})")),
]


def _prose_contact(sec: Sec, facts: dict, notes: list[Note]) -> bool:
    """Contact details written inside sentences: facts (and variables), the text stays.
    True when the section gives any."""
    found = False
    for block in sec.blocks:
        if not isinstance(block, Para):
            continue
        text = plain(block.text)
        for name, pattern in PROSE_FACTS:
            m = pattern.search(text)
            if not m:
                continue
            value = m.group("v").strip()
            found = True
            holder = facts.setdefault("organisation" if name == "address" else "contact", {})
            if name not in holder:
                holder[name] = value
                notes.append(Note("typed", block.line, f"contact: {name} {value} (in the "
                                                      "text of the contact section)"))
    return found


def type_sections(sections: list[Sec], facts: dict, notes: list[Note], top=True) -> None:
    """Give sections their type where their content allows."""
    for sec in sections:
        type_sections(sec.sections, facts, notes, top=False)
        tables = [b for b in sec.blocks if isinstance(b, TableBlock)]
        if len(tables) == 1 and not sec.sections:
            table = tables[0]
            rows = permission_rows(table, notes)
            if rows is not None:
                k = sec.blocks.index(table)
                sec.typed = {"type": "permissions", "rows": rows, "after": sec.blocks[k + 1:]}
                sec.blocks = sec.blocks[:k]
                notes.append(Note("typed", table.line, f"permissions table: {len(rows)} rows "
                                                      f"→ section '{plain(sec.title)}'"))
                continue
            sdks = sdks_from_table(table) if SDK_SECTION.search(plain(sec.title)) else None
            if sdks:
                k = sec.blocks.index(table)
                sec.typed = {"type": "sdks", "sdks": sdks, "after": sec.blocks[k + 1:]}
                sec.blocks = sec.blocks[:k]
                notes.append(Note("typed", table.line, f"SDK table: {len(sdks)} SDKs"))
                continue
        for table in tables:
            notes.append(Note("prose", table.line, f"table of {len(table.rows) - 1} rows in "
                                                   f"'{plain(sec.title)}' kept as a bulleted "
                                                   "list of its rows (no typed table fits)"))
        if SDK_SECTION.search(plain(sec.title)) and sec.sections:
            sdks = [sdk_from_section(s) for s in sec.sections]
            if all(sdks):
                sec.typed = {"type": "sdks", "sdks": sdks, "after": []}
                names = ", ".join(plain(s["name"]) for s in sdks)
                notes.append(Note("typed", sec.line, f"SDK list: {len(sdks)} SDKs ({names})"))
                sec.sections = []
                continue
        rights = None
        if top and RIGHTS_SECTION.search(plain(sec.title)) and sec.sections and \
                all(not s.sections for s in sec.sections):
            rights = [{"kind": right_kind(plain(s.title)), "title": s.title, "blocks": s.blocks,
                       "line": s.line} for s in sec.sections]
            sec.typed = {"type": "rights", "rights": rights}
            sec.sections = []
        elif top and RIGHTS_SECTION.search(plain(sec.title)) and not sec.sections:
            rights = _rights_from_list(sec)
        if rights:
            kinds = ", ".join(r["kind"] for r in rights)
            notes.append(Note("typed", sec.line, f"rights: {len(rights)} ({kinds})"))
            for r in rights:
                if r["kind"] == "other":
                    notes.append(Note("check", r["line"], f"right '{plain(r['title'])}': kind "
                                                          "not recognised, set to other"))
            continue
        if top and CONTACT_SECTION.search(plain(sec.title)) and not sec.sections:
            typed = contact_section(sec, facts, notes)
            if typed is not None:
                sec.typed = {"type": "contact", **typed}
                if "channels" not in typed:
                    notes.append(Note("typed", sec.line, "contact section: channels and "
                                                         "company details moved to policy.yaml"))
                continue
            notes.append(Note("prose", sec.line, f"'{plain(sec.title)}' stays prose: its "
                                                 "contact details are written in sentences, "
                                                 "not one per line"))
    if top:
        _prose_notes(sections, notes, top=True)


def _prose_notes(sections: list[Sec], notes: list[Note], top: bool) -> None:
    """Why a section that reads as third parties or rights stays prose (sections that
    became SDKs or rights are gone from the tree by now)."""
    for sec in sections:
        if sec.typed is None and SDK_SECTION.search(plain(sec.title)):
            notes.append(Note("prose", sec.line, f"'{plain(sec.title)}' stays prose: no list "
                                                 "of named third parties with a purpose "
                                                 "each, and no SDK table"))
        elif top and sec.typed is None and RIGHTS_SECTION.search(plain(sec.title)):
            notes.append(Note("prose", sec.line, f"'{plain(sec.title)}' stays prose: no "
                                                 "subsection or titled list item per right"))
        _prose_notes(sec.sections, notes, top=False)


# ----------------------------------------------------------------------------- ids

TOPICS = [
    ("collection", r"收集|\bcollect"), ("permissions", r"权限|\bpermission"),
    ("cookies", r"cookie|同类技术"), ("sdks", r"sdk|第三方"), ("use", r"使用|\buse\b"),
    ("sharing", r"共享|转让|披露|\bshar|\bdisclos"),
    ("storage", r"存储|储存|保存|\bretention|\bstor(e|age)"),
    ("children", r"儿童|未成年|\bchild|\bminor"),
    ("protection", r"保护|安全|\bsecur|\bprotect"), ("rights", r"权利|\brights\b"),
    ("updates", r"更新|变更|\bchanges?\b|\bupdates?\b"),
    ("contact", r"联系|\bcontact"), ("transfers", r"跨境|境外|\btransfer|\binternational"),
]


ROLE_OF_TOPIC = {"protection": "security"}


def assign_ids(sections: list[Sec], notes: list[Note]) -> None:
    """Readable ids for top-level sections (by topic), numbered ids below; a prose
    section whose title names a topic gets that ``role`` for the checks."""
    used: set[str] = set()
    for n, sec in enumerate(sections, 1):
        title = plain(sec.title)
        topic = next((i for i, p in TOPICS if re.search(p, title, re.I) and i not in used), None)
        if sec.typed and sec.typed["type"] in ("rights", "contact", "sdks", "permissions"):
            topic = sec.typed["type"] if sec.typed["type"] not in used else topic
        elif topic:
            sec.role = ROLE_OF_TOPIC.get(topic, topic)
            notes.append(Note("typed", sec.line, f"role: {sec.role} (from the title "
                                                 f"'{title}')"))
        sec.id = topic or f"section-{n}"
        used.add(sec.id)
        _sub_ids(sec, used)


def _sub_ids(sec: Sec, used: set[str]) -> None:
    for n, sub in enumerate(sec.sections, 1):
        if sub.typed and sub.typed["type"] not in used:
            sub.id = sub.typed["type"]
        else:
            sub.id = f"{sec.id}-{n}"
        used.add(sub.id)
        _sub_ids(sub, used)


# ----------------------------------------------------------------------------- references

REF = re.compile(rf"第([{CN}]+|\d+)(条|章|节)?((?:[（(][{CN}\d]+[）)]、?)*)(条)?")


def _each_text(sections: list[Sec]):
    """(holder, key, line) of every paragraph and item text, to read or replace."""
    def blocks(seq, line):
        for k, block in enumerate(seq):
            if isinstance(block, Para):
                yield seq, k, block.line
            elif isinstance(block, ListBlock):
                for item in block.items:
                    yield item, "text", item.line
                    yield from blocks(item.blocks, item.line)
    for sec in sections:
        yield from blocks(sec.blocks, sec.line)
        if sec.typed:
            yield from blocks(sec.typed.get("after", []), sec.line)
            for right in sec.typed.get("rights", []):
                yield from blocks(right["blocks"], right["line"])
        yield from _each_text(sec.sections)


def _get(holder, key) -> str:
    return holder[key].text if isinstance(holder, list) else getattr(holder, key)


def _set(holder, key, value: str) -> None:
    if isinstance(holder, list):
        holder[key].text = value
    else:
        setattr(holder, key, value)


def link_references(sections: list[Sec], notes: list[Note]) -> None:
    """第X条 / 第X条（Y） / 第X（Y）、（Z）条 → {ref:…} when the target is clear."""
    by_value: dict[int, Sec] = {}
    for k, sec in enumerate(sections, 1):
        by_value.setdefault(sec.value or k, sec)
    for holder, key, line in list(_each_text(sections)):
        text = _get(holder, key)
        out, last = [], 0
        for m in REF.finditer(text):
            if not (m.group(2) == "条" or m.group(4)):
                continue
            replaced = _reference(m, text, by_value, sections, line, notes)
            if replaced:
                out += [text[last:m.start()], replaced]
                last = m.end()
        if out:
            _set(holder, key, "".join(out) + text[last:])


def prune_ids(sections: list[Sec]) -> None:
    """Subsection ids that no reference uses are left out (top-level ids stay: they are
    the sections' readable anchors and file names)."""
    used = set()
    for holder, key, _ in _each_text(sections):
        for m in re.finditer(r"\{ref:([^}]+)\}", _get(holder, key)):
            used.update(part.strip() for part in m.group(1).split(","))

    def walk(secs):
        for sec in secs:
            if sec.id not in used and not (sec.typed and sec.id == sec.typed["type"]):
                sec.id = None
            walk(sec.sections)
    for sec in sections:
        walk(sec.sections)


def _reference(m: re.Match, text: str, by_value: dict[int, Sec], sections, line: int,
               notes: list[Note]) -> str | None:
    number = m.group(1)
    value = int(number) if number.isdigit() else chinese_value(number)
    target = by_value.get(value)
    shown = m.group(0)
    if target is None:
        notes.append(Note("check", line, f"{shown} names no section (the text has "
                                         f"{len(sections)}): kept as text"))
        return None
    subs = re.findall(rf"[（(]([{CN}\d]+)[）)]", m.group(3) or "")
    ids = []
    for sub in subs:
        sub_value = int(sub) if sub.isdigit() else chinese_value(sub)
        child = next((s for k, s in enumerate(target.sections, 1)
                      if (s.value or k) == sub_value), None)
        if child is None:
            notes.append(Note("check", line, f"{shown}: {plain(target.title)} has no "
                                             f"subsection （{sub}）: kept as text"))
            return None
        ids.append(child.id)
    ids = ids or [target.id]
    context = plain(text[max(0, m.start() - 12):m.start()])
    named = re.match(r'\s*[【“"「《]([^】”"」》]{2,30})[】”"」》]', plain(text[m.end():m.end() + 40]))
    if named and not subs:
        wanted = _by_title(named.group(1), sections)
        if wanted is not None and wanted is not target:
            notes.append(Note("check", line, f"{shown} names {plain(target.title)}, but the "
                              f"text calls it '{named.group(1)}', which is "
                              f"{plain(wanted.title)}: kept as text, please check"))
            return None
    if not subs and not named:
        better = _better_target(context, target, sections)
        if better is not None:
            notes.append(Note("check", line, f"{shown} names {plain(target.title)}, but the "
                              f"text before it ('{context.strip()}') speaks of "
                              f"{plain(better.title)}: kept as text, please check"))
            return None
    result = "{ref:" + ",".join(ids) + "}"
    canonical = m.group(3) == "" and m.group(4) is None or (m.group(2) == "条" and not m.group(4))
    notes.append(Note("normalised" if not canonical else "typed", line,
                      f"{shown} → {result}" + ("" if canonical else
                                               " (the build writes 第…条 before the subsections)")))
    return result


def _by_title(name: str, sections: list[Sec]) -> Sec | None:
    import difflib

    titles = {plain(s.title): s for s in sections}
    close = difflib.get_close_matches(name, list(titles), 1, 0.6)
    return titles[close[0]] if close else None


def _better_target(context: str, target: Sec, sections: list[Sec]) -> Sec | None:
    """Another top-level section the words before a reference point to, when the target's
    title does not share them."""
    for topic, pattern in TOPICS:
        words = re.findall(pattern, context, re.I)
        if not words:
            continue
        if re.search(pattern, plain(target.title), re.I):
            return None
        for sec in sections:
            if sec is not target and re.search(pattern, plain(sec.title), re.I):
                return sec
    return None


# ----------------------------------------------------------------------------- variables

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
    targets = list(_each_text(sections))
    holders = [(policy, k) for k in ("preamble", "introduction")]
    for holder, key, _ in targets:
        text = _get(holder, key)
        new = _substitute(text, facts, counts)
        if new != text:
            _set(holder, key, new)
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


# ----------------------------------------------------------------------------- numbering

STYLE_OF_FAMILY = {"cn、": "一、", "（cn）": "（一）", "1、": "1、", "1.": "1.", "1)": "1)",
                   "(i)": "(i)", "i.": "i.", "(a)": "(a)", "a)": "a)", "a.": "a.", "(A)": "(A)",
                   "A.": "A.", "1.1": "1.1", "1.1.1": "1.1.1", "1.1.1.1": "1.1.1.1"}


def _style(family: str, locale: str) -> str | None:
    if family == "(1)":
        return "（1）" if locale.startswith("zh") else "(1)"
    if family.startswith("list:ol"):
        return "1."
    return STYLE_OF_FAMILY.get(family)


def numbering_found(sections: list[Sec], locale: str) -> str | dict | None:
    """The numbering the input used, per section level and list level, as the source
    format writes it: a preset name (zh, decimal, none) when it is one, else the levels."""
    from collections import Counter

    from ..locales import PRESETS

    section_levels: list[Counter] = []
    list_levels: list[Counter] = []

    def walk_lists(blocks, depth):
        for block in blocks:
            if isinstance(block, ListBlock) and block.kind == "numbered":
                while len(list_levels) <= depth:
                    list_levels.append(Counter())
                style = _style(block.family, locale)
                if style:
                    list_levels[depth][style] += 1
                for item in block.items:
                    walk_lists(item.blocks, depth + 1)

    def walk(secs, depth):
        for sec in secs:
            while len(section_levels) <= depth:
                section_levels.append(Counter())
            section_levels[depth][_style(sec.family, locale) or ("none" if not sec.family
                                                                 else "")] += 1
            walk_lists(sec.blocks, 0)
            if sec.typed:
                walk_lists(sec.typed.get("after", []), 0)
                for right in sec.typed.get("rights", []):
                    walk_lists(right["blocks"], 0)
            walk(sec.sections, depth + 1)

    walk(sections, 0)
    levels = []
    for counter in section_levels:
        counter.pop("", None)
        if not counter:
            break
        levels.append(counter.most_common(1)[0][0])
    lists = [c.most_common(1)[0][0] for c in list_levels if c]
    if not levels and not lists:
        return None
    def fits(preset: tuple, found: list) -> bool:
        return all(preset[min(k, len(preset) - 1)] == style for k, style in enumerate(found))

    for name, (preset_sections, preset_lists) in PRESETS.items():
        if fits(preset_sections, levels) and fits(preset_lists, lists):
            return name
    out: dict = {}
    if levels:
        out["sections"] = levels
    if lists:
        out["lists"] = lists
    return out
