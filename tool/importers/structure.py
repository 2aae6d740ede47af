"""From the flat outline to sections, lists and paragraphs.

Headings with a level (Markdown, HTML, Word heading styles) are sections at that depth.
Elsewhere the numbering is the structure: each new family of labels (一、 then （一）
then 1、) goes one level down, a family seen before goes back up to its level. A run of
numbered siblings whose texts are short titles followed by paragraphs is a run of
subsections; any other run is a list (numbered, bulleted, or clauses for （一）/1.1).
A paragraph after a list item belongs to that item when the list goes on after it, else
it ends the list. A numbered run at the start whose items repeat later headings is the
input's table of contents: it is dropped (the build generates one), and where its
wording differs from a heading it becomes that section's ``toc_title``.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .outline import Entry, plain

SENTENCE_END = re.compile(r"[。；;！!？?，,：:.]$|[。；;！？]")
CLAUSE_FAMILIES = ("（cn）", "1.1", "1.1.1", "1.1.1.1")


@dataclass
class Item:
    text: str
    line: int
    blocks: list = field(default_factory=list)


@dataclass
class ListBlock:
    kind: str                     # "numbered" | "bullets" | "clauses"
    items: list[Item]
    line: int
    family: str = ""              # the family of its labels (1、, （1）, a) …)
    start: int = 1                # the number of its first item, as written


@dataclass
class TableBlock:
    rows: list[list[str]]
    line: int


@dataclass
class Para:
    text: str
    line: int


@dataclass
class Sec:
    """A section as found: its title, where it was, the label it was numbered with."""

    title: str
    line: int
    label: str = ""
    value: int | None = None
    blocks: list = field(default_factory=list)
    sections: list["Sec"] = field(default_factory=list)
    toc_title: str | None = None
    id: str | None = None
    typed: dict | None = None      # type-specific fields when a recogniser typed it
    file: str = ""                 # the section file it is written to (top level)
    family: str = ""               # the family of its label ("" when unnumbered)
    role: str | None = None        # what the section is about, for the checks
    anchor: str | None = None      # the anchor its published page gave it (#service-1)


@dataclass
class Note:
    """One line of the import report."""

    kind: str        # "section", "typed", "prose", "normalised", "check"
    line: int
    message: str


@dataclass
class Structure:
    front: list                    # paragraphs and lists before the first section
    sections: list[Sec]
    toc: list[tuple[str, int]]     # the input's table of contents: (text, line)
    toc_line: int | None
    notes: list[Note]


def title_like(entry: Entry) -> bool:
    """Short, no sentence punctuation: reads as a heading."""
    text = entry.plain.strip()
    if not text or SENTENCE_END.search(text):
        return False
    if re.search(r"[\u4e00-\u9fff]", text):
        return len(text) <= 30
    return len(text.split()) <= 12


def heading_like(entry: Entry) -> bool:
    """A title written as a sentence ending in a colon: （一）我们将通过以下途径收集……："""
    text = entry.plain.strip()
    return len(text) <= 50 and bool(re.search(r"[：:]$", text)) and \
        not re.search(r"[。；;！!？?]", text)


def _norm(text: str) -> str:
    return re.sub(r"[\s；;。.，,:：]+$", "", re.sub(r"\s+", "", text))


def find_toc(entries: list[Entry]) -> tuple[int, int] | None:
    """Start and end of a numbered run whose texts come back as later headings."""
    i = 0
    while i < len(entries):
        e = entries[i]
        if e.kind != "item" or e.marker is None:
            i += 1
            continue
        j = i
        while j < len(entries) and entries[j].kind == "item" and entries[j].marker \
                and entries[j].marker.family == e.marker.family and \
                (j == i or not e.marker.ordered or
                 entries[j].marker.value > entries[j - 1].marker.value):
            j += 1      # a number that starts again is the first heading after the list
        if j - i >= 3 and all(len(x.plain) <= 80 and "。" not in x.plain
                              for x in entries[i:j]):       # entries are titles
            later = {_norm(x.plain) for x in entries[j:] if x.marker or x.kind == "heading"}
            texts = [_norm(x.plain) for x in entries[i:j]]
            hits = sum(t in later or bool(difflib.get_close_matches(t, later, 1, 0.75))
                       for t in texts)
            if hits >= 0.8 * len(texts):
                return i, j
        i = max(j, i + 1)
        if i > len(entries) // 3:
            break
    return None


def build(entries: list[Entry]) -> Structure:
    """Sections, lists and paragraphs of ``entries``, with notes on what was normalised."""
    notes: list[Note] = []
    entries = [_one_row_as_text(e) for e in entries]
    entries = [e for e in entries if e.kind == "table" or e.plain.strip()]
    entries = _title_heading(entries)
    toc: list[tuple[str, int]] = []
    toc_line = None
    found = find_toc(entries)
    if found:
        start, end = found
        toc = [(entries[k].text, entries[k].line) for k in range(start, end)]
        toc_line = entries[start].line
        notes.append(Note("prose", toc_line, f"table of contents ({end - start} entries) "
                                             "dropped: the build generates it"))
        entries = entries[:start] + entries[end:]
    depth, parent = _depths(entries)
    run_of = _runs(entries, depth, parent)
    heading_runs, run_in = _heading_runs(entries, depth, run_of)
    if run_in:
        entries = _split_run_in(entries, run_in, notes)
        depth, parent = _depths(entries)
        run_of = _runs(entries, depth, parent)
        heading_runs, _ = _heading_runs(entries, depth, run_of)
    notes.extend(_numbering_notes(entries, run_of, heading_runs))
    root = _tree(entries, depth, run_of, heading_runs)
    front, sections = _content(root, run_of, in_item=False)
    if toc:
        printed = _apply_toc(sections, toc, notes)
        _toc_anchors(sections, toc)
        titles = {_norm(plain(sec.title)) for sec in _all(sections)}
        for k, (text, line) in enumerate(toc):      # what the build's contents lack
            if k not in printed and _norm(plain(text)) not in titles:
                front.append(Para(text, line))
                notes.append(Note("prose", line, f"contents entry '{plain(text)}' names no "
                                                 "heading: kept as a paragraph"))
        front.sort(key=lambda block: block.line)
    return Structure(front, sections, toc, toc_line, notes)


def _one_row_as_text(entry: Entry) -> Entry:
    """A table of one row is a paragraph of its cells (nothing to type, nothing lost)."""
    if entry.kind != "table" or len(entry.rows) > 1:
        return entry
    cells = [c for row in entry.rows for c in row if plain(c).strip()]
    return Entry("para", " ".join(cells), entry.line)


def _title_heading(entries: list[Entry]) -> list[Entry]:
    """A first heading alone at the top level is the document's title: a paragraph."""
    headings = [e for e in entries if e.kind == "heading"]
    if len(headings) == 1 and entries and entries[0] is headings[0]:
        headings.append(Entry("heading", level=(headings[0].level or 1) + 1))
    if len(headings) < 2:
        return entries
    top = min(e.level or 1 for e in headings)
    if headings[0].level == top and all((e.level or 1) > top for e in headings[1:]):
        first = headings[0]
        return [Entry("para", (first.marker.label + " " if first.marker else "") + first.text,
                      first.line) if e is first else e for e in entries]
    return entries


def _depths(entries: list[Entry]) -> tuple[list[int | None], list[int | None]]:
    """Depth of each heading and numbered entry (None for body), and its parent index."""
    levels = sorted({e.level for e in entries if e.kind == "heading" and e.level})
    rank = {level: k + 1 for k, level in enumerate(levels)}
    stack: list[tuple[str, int, int]] = []        # (family key, depth, entry index)
    depth: list[int | None] = []
    parent: list[int | None] = []
    for index, e in enumerate(entries):
        if e.kind == "heading":
            d = rank.get(e.level, 1)
            while stack and stack[-1][1] >= d:
                stack.pop()
            parent.append(stack[-1][2] if stack else None)
            stack.append((f"h{d}", d, index))
            depth.append(d)
            continue
        if e.marker is None:
            depth.append(None)
            parent.append(None)
            continue
        family = e.marker.family
        found = next((k for k, s in enumerate(stack) if s[0] == family), None)
        if found is not None:
            del stack[found + 1:]
            d = stack[found][1]
            stack[found] = (family, d, index)
        else:
            if title_like(e):   # a title never belongs to a sentence of a list before it
                while stack and stack[-1][0] != "h" and stack[-1][0][0] != "h" and \
                        not title_like(entries[stack[-1][2]]) and \
                        not heading_like(entries[stack[-1][2]]):
                    stack.pop()
            d = (stack[-1][1] if stack else 0) + 1
            stack.append((family, d, index))
        depth.append(d)
        parent.append(stack[-2][2] if len(stack) >= 2 else None)
    return depth, parent


def _runs(entries, depth, parent) -> list[int | None]:
    """A run id per numbered entry: siblings of one family under one parent."""
    ids: dict[tuple, int] = {}
    out: list[int | None] = []
    for index, e in enumerate(entries):
        if e.kind != "item" or e.marker is None:
            out.append(None)
            continue
        key = (e.marker.family, depth[index], parent[index])
        out.append(ids.setdefault(key, len(ids)))
    return out


RUN_IN = re.compile(r"^(?P<title>[^：:。；;！？!?]{2,20}[：:])(?P<rest>.+)$")


def _heading_runs(entries, depth, run_of) -> tuple[set[int], set[int]]:
    """The runs that are subsections, and the entries among them with a run-in title
    (（六）获取个人信息副本：您可以……) to split into title and text."""
    members: dict[int, list[int]] = {}
    for index, run in enumerate(run_of):
        if run is not None:
            members.setdefault(run, []).append(index)
    headings, run_in = set(), set()
    for run, indices in members.items():
        first = entries[indices[0]]
        if not first.marker.ordered or first.marker.family.startswith("list:"):
            continue
        followed = [k + 1 < len(entries) and (entries[k + 1].kind in ("para", "table") or (
            depth[k + 1] is not None and depth[k + 1] > depth[k])) for k in indices]
        titles = [title_like(entries[k]) for k in indices]
        if all(titles) and any(followed) or all(followed) and all(
                t or heading_like(entries[k]) for t, k in zip(titles, indices)):
            headings.add(run)
            continue
        # all subsections but one or two whose title runs into its text
        split = [k for t, k in zip(titles, indices) if not t and not heading_like(entries[k])]
        if len(indices) >= 3 and len(split) <= max(1, len(indices) // 4) and \
                sum(followed) >= len(indices) - len(split) and \
                all(RUN_IN.match(entries[k].plain.strip()) for k in split):
            headings.add(run)
            run_in.update(split)
    return headings, run_in


def _split_run_in(entries: list[Entry], run_in: set[int], notes: list[Note]) -> list[Entry]:
    out = []
    for index, entry in enumerate(entries):
        if index not in run_in:
            out.append(entry)
            continue
        m = RUN_IN.match(entry.text)
        if not m:
            out.append(entry)
            continue
        out.append(Entry(entry.kind, m.group("title"), entry.line, entry.level, entry.marker))
        out.append(Entry("para", m.group("rest").strip(), entry.line))
        notes.append(Note("normalised", entry.line, f"{entry.marker.label}"
                                                    f"{plain(m.group('title'))} runs into its "
                                                    "text: title and paragraph split"))
    return out


def _numbering_notes(entries, run_of, heading_runs) -> list[Note]:
    members: dict[int, list[int]] = {}
    for index, run in enumerate(run_of):
        if run is not None:
            members.setdefault(run, []).append(index)
    notes = []
    for run, indices in members.items():
        if not entries[indices[0]].marker.ordered:
            continue
        labels = [entries[k].marker.label for k in indices]
        values = [entries[k].marker.value for k in indices]
        if values == list(range(values[0], values[0] + len(values))):
            continue        # numbered as written (a list may start at 4)
        for n, k in enumerate(indices, 1):
            value = entries[k].marker.value
            if value == n:
                continue
            before = entries[indices[n - 2]].marker.value if n > 1 else None
            what = ("repeats the number before it" if value == before else
                    f"follows {labels[n - 2]}" if n > 1 else "starts the numbering")
            notes.append(Note("normalised", entries[k].line,
                              f"{labels[n - 1]} {what} ({' '.join(labels)}); numbered "
                              f"{n} of {len(indices)} in the sources"))
            break
    return notes


@dataclass
class _Node:
    entry: Entry | None
    depth: int
    index: int
    heading: bool
    children: list = field(default_factory=list)


def _tree(entries, depth, run_of, heading_runs) -> _Node:
    root = _Node(None, 0, -1, True)
    stack = [root]
    for index, e in enumerate(entries):
        d = depth[index]
        if d is not None:
            while stack[-1].depth >= d:
                stack.pop()
            node = _Node(e, d, index, e.kind == "heading" or run_of[index] in heading_runs)
            stack[-1].children.append(node)
            stack.append(node)
            continue
        while not stack[-1].heading and not _continues(run_of, stack[-1].index, index):
            stack.pop()
        stack[-1].children.append(_Node(e, 0, index, False))
    return root


def _continues(run_of, item: int, after: int) -> bool:
    run = run_of[item]
    return any(r == run for r in run_of[after + 1:])


def _content(node: _Node, run_of, in_item: bool) -> tuple[list, list[Sec]]:
    blocks: list = []
    sections: list[Sec] = []
    children = node.children
    k = 0
    while k < len(children):
        child = children[k]
        e = child.entry
        if child.heading:
            sub_blocks, sub_sections = _content(child, run_of, False)
            sections.append(Sec(e.text, e.line, e.marker.label if e.marker else "",
                                e.marker.value if e.marker else None, sub_blocks,
                                sub_sections, family=e.marker.family if e.marker else ""))
            k += 1
            continue
        if e.kind == "item" and child.depth:
            run = run_of[child.index]
            items = []
            while k < len(children) and children[k].entry.kind == "item" and \
                    children[k].depth and run_of[children[k].index] == run:
                sub_blocks, sub_sections = _content(children[k], run_of, True)
                sub_blocks += _as_blocks(sub_sections)
                items.append(Item(children[k].entry.text, children[k].entry.line, sub_blocks))
                k += 1
            family = e.marker.family
            kind = ("bullets" if not e.marker.ordered else
                    "clauses" if family in CLAUSE_FAMILIES and not in_item else "numbered")
            block = ListBlock(kind, items, e.line, family, _start(children, k - len(items),
                                                                  len(items)))
        elif e.kind == "table":
            block = TableBlock(e.rows, e.line)
            k += 1
        else:
            block = Para(e.text, e.line)
            k += 1
        if sections:          # text after a subsection: it ends that subsection
            last = sections[-1]
            while last.sections:
                last = last.sections[-1]
            last.blocks.append(block)
        else:
            blocks.append(block)
    return blocks, sections


def _start(children: list, first: int, count: int) -> int:
    """The number a numbered list starts at as written, when its numbers run on from it
    (4. 5. 6.); else 1."""
    values = [children[first + n].entry.marker.value for n in range(count)]
    if values[0] > 1 and values == list(range(values[0], values[0] + count)):
        return values[0]
    return 1


def _as_blocks(sections: list[Sec]) -> list:
    """Subsections found inside a list item, as its paragraphs (an item holds no
    sections): each title after its number, then its blocks."""
    out: list = []
    for sec in sections:
        space = " " if sec.label[-1:].isascii() else ""
        out.append(Para(f"{sec.label}{space}{sec.title}" if sec.label else sec.title, sec.line))
        out += sec.blocks + _as_blocks(sec.sections)
    return out


def _all(sections: list[Sec]):
    for sec in sections:
        yield sec
        yield from _all(sec.sections)


def _toc_anchors(sections: list[Sec], toc: list[tuple[str, int]]) -> None:
    """A section named word for word by a contents entry that links to a place on the
    page keeps that place as its anchor (#service-1)."""
    targets = {}
    for text, _ in toc:
        link = re.search(r"\[((?:\\.|[^\[\]\\]){0,300})\]\(#([A-Za-z0-9][A-Za-z0-9_-]{0,200})\)", text)
        if link:
            targets.setdefault(_norm(plain(link.group(1))).casefold(), link.group(2))
    stack = list(sections)
    while stack:
        sec = stack.pop(0)
        anchor = targets.pop(_norm(plain(sec.title)).casefold(), None)
        if anchor and not sec.anchor:
            sec.anchor = anchor
        stack[:0] = sec.sections


def _apply_toc(sections: list[Sec], toc: list[tuple[str, int]], notes: list[Note]) -> set[int]:
    """Match the contents entries to the sections by wording; a differing wording is the
    section's toc_title. The entries the build's contents print (by index)."""
    entries = [(re.sub(r"\[([^\[\]]{0,500})\]\([^()]{0,2000}\)", r"\1", text)
                .rstrip(" \t\r\n\f\v\u3000\u00a0；;。.，,").strip(), line) for text, line in toc]
    used: set[int] = set()
    for sec in sections:
        best, score = None, 0.0
        for k, (wording, _) in enumerate(entries):
            if k in used:
                continue
            ratio = difflib.SequenceMatcher(None, _norm(wording).casefold(),
                                            _norm(sec.title).casefold()).ratio()
            if ratio > score:
                best, score = k, ratio
        if best is None or score < 0.6:
            notes.append(Note("check", sec.line, f"section '{sec.title}' is not in the "
                                                 "input's table of contents"))
            continue
        used.add(best)
        wording, line = entries[best]
        if _norm(wording) != _norm(sec.title):
            sec.toc_title = wording
            notes.append(Note("prose", line, f"contents entry '{wording}' differs from the "
                                             f"heading '{sec.title}': kept as its toc_title"))
    return used
