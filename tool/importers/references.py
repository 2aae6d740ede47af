"""Ids, roles and cross-references of an imported policy.

Top-level sections get readable ids and a ``role`` from the topic their title names;
references such as 第九条, 第一条（一）、（二） or 第一（一）、（二）条 become ``{ref:…}`` —
unless the target is missing or the words around the reference (联系方式见本协议第九条,
第九条【如何联系我们】) name another section, which is reported and left as text.
"""
from __future__ import annotations

import re

from .numbering import CN, chinese_value
from .outline import plain
from .structure import ListBlock, Note, Para, Sec

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


def each_text(sections: list[Sec]):
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
        yield from each_text(sec.sections)


def text_at(holder, key) -> str:
    return holder[key].text if isinstance(holder, list) else getattr(holder, key)


def set_text_at(holder, key, value: str) -> None:
    if isinstance(holder, list):
        holder[key].text = value
    else:
        setattr(holder, key, value)


def link_references(sections: list[Sec], notes: list[Note]) -> None:
    """第X条 / 第X条（Y） / 第X（Y）、（Z）条 → {ref:…} when the target is clear."""
    by_value: dict[int, Sec] = {}
    for k, sec in enumerate(sections, 1):
        by_value.setdefault(sec.value or k, sec)
    for holder, key, line in list(each_text(sections)):
        text = text_at(holder, key)
        out, last = [], 0
        for m in REF.finditer(text):
            if not (m.group(2) == "条" or m.group(4)):
                continue
            replaced = _reference(m, text, by_value, sections, line, notes)
            if replaced:
                out += [text[last:m.start()], replaced]
                last = m.end()
        if out:
            set_text_at(holder, key, "".join(out) + text[last:])


def prune_ids(sections: list[Sec]) -> None:
    """Subsection ids that no reference uses are left out (top-level ids stay: they are
    the sections' readable anchors and file names)."""
    used = set()
    for holder, key, _ in each_text(sections):
        for m in re.finditer(r"\{ref:([^}]+)\}", text_at(holder, key)):
            used.update(part.strip() for part in m.group(1).split(","))

    def walk(secs):
        for sec in secs:
            if sec.id not in used and not (sec.typed and sec.id == sec.typed["type"]):
                sec.id = None
            walk(sec.sections)
    for sec in sections:
        walk(sec.sections)


PAGE_LINK = re.compile(r"\[((?:\\.|[^\[\]\\]){0,300})\]\(#([A-Za-z0-9][A-Za-z0-9_-]{0,200})\)")


def page_links(sections: list[Sec], policy: dict, notes: list[Note]) -> None:
    """Links to places on the page (``[…](#3-1-basic-account-data)``) keep working: the
    section whose heading the anchor names (as GitHub or a site slugs it) keeps it as its
    ``anchor``; a link to an anchor no section has keeps its words, without the link."""
    holders = list(each_text(sections)) + [
        (policy[key], k, block.line) for key in ("preamble", "introduction")
        for k, block in enumerate(policy.get(key, [])) if isinstance(block, Para)]
    wanted = {m.group(2) for holder, key, _ in holders
              for m in PAGE_LINK.finditer(text_at(holder, key))}
    every = list(_walk(sections))
    taken = {sec.anchor for sec in every if sec.anchor}
    for sec in every:
        if sec.anchor:
            continue
        title = plain(sec.title)
        slugs = {_slug(f"{sec.label} {title}"), _slug(title), _github(f"{sec.label} {title}"),
                 _github(title)} - taken
        found = sorted(slugs & wanted)
        if found:
            sec.anchor = found[0]
            taken.add(sec.anchor)
    for holder, key, line in holders:
        text = text_at(holder, key)
        kept = PAGE_LINK.sub(lambda m: m.group(0) if m.group(2) in taken else m.group(1), text)
        if kept != text:
            set_text_at(holder, key, kept)
            notes.append(Note("check", line, "a link to a place on the page that no heading "
                                             "names: its words kept, without the link"))


def _walk(sections: list[Sec]):
    for sec in sections:
        yield sec
        yield from _walk(sec.sections)


def _slug(text: str) -> str:
    """A site's anchor of a heading: lower case, every run of other characters a '-'."""
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def _github(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


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
    if not canonical:   # the build would word it 第…条（…）: the text stays as written
        notes.append(Note("check", line, f"{shown} names {plain(target.title)}: kept as "
                                         "written (a cross-reference would reword it)"))
        return None
    notes.append(Note("typed", line, f"{shown} → {result}"))
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
