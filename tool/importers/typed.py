"""Typed parts of an imported policy: a permissions table, an SDK list (subsections,
labelled lines or a table), the user's rights (subsections or a list of titled items)
and the contact section with its channels; a section that reads as one of them but
cannot be typed says why in the report.
"""
from __future__ import annotations

import re

from ..model import PackageName
from .facts import EMAIL
from .numbering import CN, chinese_value
from .outline import plain
from .structure import ListBlock, Note, Para, Sec, TableBlock

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
    if not {"feature", "permissions", "purpose"} <= set(columns):
        return None
    rows = []
    for cells in table.rows[1:]:
        if len(cells) != len(table.rows[0]):
            return None
        values = {name: cells[k] for name, k in columns.items()}
        flags = {}
        for flag in [f for f in ("asked", "can_disable") if f in columns]:
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
    "package": re.compile(r"^((sdk\s*)?包名|package( name)?)$", re.I),
    "version": re.compile(r"^((sdk\s*)?版本号?|(sdk )?version)$", re.I),
    "function": re.compile(r"^(主要功能|main function)$", re.I),
    "purpose": re.compile(r"使用目的|目的|用途|功能|purpose", re.I),
    "data": re.compile(r"个人信息|信息类型|字段|收集.*信息|data", re.I),
    "provider": re.compile(r"第三方主体|提供方|公司|主体|provider|company", re.I),
    "permissions": re.compile(r"权限|permission", re.I),
    "policy_url": re.compile(r"隐私政策|链接|policy|link|url", re.I),
    "method": re.compile(r"处理方式|共享方式|方式|method", re.I),
    "scenario": re.compile(r"场景|scenario", re.I),
}
URL = re.compile(r"https?://[^\s<>\"'，。；）)】]+")
# What a package name and a version look like (the source format's own patterns).
IDENTITY = {"package": re.compile(PackageName.pattern),
            "version": re.compile(r"[0-9A-Za-z][0-9A-Za-z._\-]*\d[0-9A-Za-z._\-]*|\d")}


def _sdk_field(label: str) -> str | None:
    for name, pattern in SDK_FIELDS.items():
        if pattern.search(label):
            return name
    return None


def sdk_from_section(sec: Sec) -> dict | None:
    """One SDK from a subsection: its title is the name, its one paragraph the purpose
    (or labelled lines such as 使用目的：…, 第三方主体：…, 隐私政策链接：…; other paragraphs
    are its free text)."""
    if sec.sections or not all(isinstance(b, Para) for b in sec.blocks) or not sec.blocks:
        return None
    sdk: dict = {"name": sec.title}
    unlabelled = []
    for block in sec.blocks:
        m = re.match(r"^([^：:]{2,12})[：:]\s*(.+)$", plain(block.text))
        name = _sdk_field(m.group(1)) if m else None
        if name in IDENTITY and not IDENTITY[name].fullmatch(m.group(2).strip()):
            name = None         # "包名：见官网" is text, not a package name
        if name and name != "name" and name not in sdk:
            value = block.text[block.text.find(m.group(2)[:1], len(m.group(1))):] \
                if m.group(2) else ""
            sdk[name] = value
            separator = plain(block.text)[len(m.group(1))]
            sdk.setdefault("_labels", {})[name] = (m.group(1).strip(), separator)
        else:
            unlabelled.append(block.text)
    if "purpose" not in sdk and len(unlabelled) == 1:
        sdk["purpose"] = unlabelled.pop()
    if unlabelled:              # free text about the third party, printed after its name
        sdk["blocks"] = unlabelled
    return _sdk_fields(sdk)


def _sdk_labels(sdks: list[dict], facts: dict) -> None:
    """The words an SDK list labels its lines with (第三方主体：, 使用目的：), when every
    SDK that has the line uses the same: ``facts["sdk_labels"]`` maps field → (label,
    separator). The providers are noted in ``facts["third_parties"]``: they are not the
    organisation."""
    found: dict[str, set] = {}
    for sdk in sdks:
        for field_name, label in sdk.pop("_labels", {}).items():
            found.setdefault(field_name, set()).add(label)
    for field_name, labels in found.items():
        if len(labels) == 1:
            facts.setdefault("sdk_labels", {})[field_name] = labels.pop()
    facts.setdefault("third_parties", set()).update(
        plain(sdk["provider"]) for sdk in sdks if sdk.get("provider"))


def _sdk_fields(sdk: dict) -> dict:
    for name, value in sdk.items():
        if name not in ("data", "permissions", "blocks", "_labels"):
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
        rights = [{"kinds": right_kinds(plain(m.group("title"))), "title": m.group("title").strip(),
                   "blocks": ([Para(m.group("rest").strip(), item.line)] if m.group("rest").strip()
                              else []) + item.blocks, "line": item.line}
                  for m, item in zip(found, block.items)]
        sec.typed = {"type": "rights", "rights": rights, "after": sec.blocks[k + 1:],
                     "layout": "bullets" if block.kind == "bullets" else "clauses"}
        sec.blocks = sec.blocks[:k]
        return rights
    return None


def right_kinds(title: str) -> list[str]:
    """Every right a title names (删除与限制处理 → delete, restrict); [other] for none."""
    found = [kind for kind, pattern in RIGHT_KINDS if re.search(pattern, title, re.I)]
    if len(found) > 1 and "requests" in found:      # 请求 / request: a word of many titles
        found.remove("requests")
    if not re.search(r"[和与及、,，/]|\band\b|\bor\b", title):
        found = found[:1]       # one right named (获取副本 is copy, not also access)
    return found or ["other"]


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
WORKING_DAYS = re.compile(rf"((?<![{CN}])[{CN}]+|(?<!\d)\d+)\s*个?(?:工作日|working days|business days)")


def contact_section(sec: Sec, facts: dict, notes: list[Note]) -> dict | None:
    """The contact section's facts: channel and company lines (邮箱：…, 公司名称：…) and
    channels named in its sentences go to policy.yaml; its text stays as written
    (channels: [] and details: [] print no generated line). None when it states none."""
    seen = False
    for block in sec.blocks:
        text = plain(block.text).strip() if isinstance(block, Para) else ""
        for name, pattern in CONTACT_LINES:
            m = pattern.match(text) if text else None
            if not m:
                continue
            value = m.group("v").strip()
            if name in ("legal_name", "address"):
                facts.setdefault("organisation", {}).setdefault(name, value)
            elif name == "officer":
                facts.setdefault("contact", {}).setdefault("officer", {"email": value})
            else:
                facts.setdefault("contact", {}).setdefault(name, value)
                if name == "phone" and m.group("hours"):
                    facts["contact"].setdefault("service_hours", m.group("hours").strip())
            notes.append(Note("typed", block.line, f"contact: {name} {value}"))
            seen = True
            break
        days = WORKING_DAYS.search(text)
        if days:
            number = days.group(1)
            value = int(number) if number.isdigit() else chinese_value(number)
            facts.setdefault("contact", {}).setdefault("response_days", value)
    if not _prose_contact(sec, facts, notes) and not seen:
        return None
    notes.append(Note("typed", sec.line, "contact section: its text stays as written "
                                         "(channels: [] and details: [] print no generated "
                                         "lines)"))
    return {"channels": [], "details": [], "after": []}


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


def type_sections(sections: list[Sec], facts: dict, notes: list[Note], top=True,
                  lists: bool = True) -> None:
    """Give sections their type where their content allows; without ``lists``, only the
    contact section's facts are read (permissions, SDKs and rights stay prose)."""
    for sec in sections:
        type_sections(sec.sections, facts, notes, top=False, lists=lists)
        tables = [b for b in sec.blocks if isinstance(b, TableBlock)]
        if not lists:
            pass
        elif len(tables) == 1 and not sec.sections:
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
                facts.setdefault("third_parties", set()).update(
                    plain(sdk["provider"]) for sdk in sdks if sdk.get("provider"))
                k = sec.blocks.index(table)
                sec.typed = {"type": "sdks", "sdks": sdks, "after": sec.blocks[k + 1:]}
                sec.blocks = sec.blocks[:k]
                notes.append(Note("typed", table.line, f"SDK table: {len(sdks)} SDKs"))
                continue
        for table in tables:
            notes.append(Note("prose", table.line, f"table of {len(table.rows) - 1} rows in "
                                                   f"'{plain(sec.title)}' kept as a table "
                                                   "(no typed table fits)"))
        if lists and SDK_SECTION.search(plain(sec.title)) and sec.sections:
            sdks = [sdk_from_section(s) for s in sec.sections]
            if all(sdks):
                _sdk_labels(sdks, facts)
                sec.typed = {"type": "sdks", "sdks": sdks, "after": []}
                names = ", ".join(plain(s["name"]) for s in sdks)
                notes.append(Note("typed", sec.line, f"SDK list: {len(sdks)} SDKs ({names})"))
                sec.sections = []
                continue
        rights = None
        if not lists:
            pass
        elif top and RIGHTS_SECTION.search(plain(sec.title)) and sec.sections and \
                all(not s.sections for s in sec.sections):
            rights = [{"kinds": right_kinds(plain(s.title)), "title": s.title, "blocks": s.blocks,
                       "line": s.line} for s in sec.sections]
            sec.typed = {"type": "rights", "rights": rights}
            sec.sections = []
        elif top and RIGHTS_SECTION.search(plain(sec.title)) and not sec.sections:
            rights = _rights_from_list(sec)
        if rights:
            kinds = ", ".join("+".join(r["kinds"]) for r in rights)
            notes.append(Note("typed", sec.line, f"rights: {len(rights)} ({kinds})"))
            for r in rights:
                if r["kinds"] == ["other"]:
                    notes.append(Note("check", r["line"], f"right '{plain(r['title'])}': kind "
                                                          "not recognised, set to other"))
            continue
        if top and CONTACT_SECTION.search(plain(sec.title)) and not sec.sections:
            typed = contact_section(sec, facts, notes)
            if typed is not None:
                sec.typed = {"type": "contact", **typed}
                continue
            notes.append(Note("prose", sec.line, f"'{plain(sec.title)}' stays prose: its "
                                                 "contact details are written in sentences, "
                                                 "not one per line"))
    if top and lists:
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
