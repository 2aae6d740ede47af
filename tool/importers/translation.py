"""An official translation brought in: ``policyc import FILE --translation-of SRC --locale L``.

The translation is read like any policy (the same readers, structure and emitter, into a
scratch folder), then each of its texts is aligned with a text of SRC in document order:

* a pair scores by the anchors both texts share (link targets, e-mail addresses,
  numbers, names written in Latin capitals such as Firefox), by how their lengths
  compare (measured against the two documents' overall ratio), and by their kind (a
  heading pairs with a heading, a list item with a list item at the same depth);
* the alignment is global (Needleman–Wunsch): a text the other edition lacks is left
  unpaired instead of shifting every later pair (a 23-item list against a 22-item one
  loses one item, not fifteen);
* a pair with a weak score, anchors that disagree or lengths far apart is kept but
  listed as unsure, with both texts, for the editor to check.

The result is SRC/translations/<L>.yaml (one entry per paired text: its place, the
binding wording and the translation) and L added to `locales` in SRC/policy.yaml.
"""
from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Loc, PolicyError, Report, display_path
from ..translate import Slot, catalog_path, declared_locales, text_slots

URL = re.compile(r"(?:https?://|mailto:|www\.)[^\s)\]>\"']+", re.I)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
NAME = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*\b|\b[A-Z][a-z]+[A-Z]\w*\b"
                  r"|(?<![\w])[A-Z][a-z]{2,}(?![\w])")
REF = re.compile(r"\{ref:([^}]+)\}")
VARIABLE = re.compile(r"(?<!\\)\{([A-Za-z][A-Za-z0-9_.]*)\}")
GAP = -0.15          # the score of leaving a text unpaired
UNSURE_SCORE = 0.25  # a pair scoring below this is listed as unsure
TITLE_MARGIN = 1.0   # how much better an alignment must be to take a paragraph as the title
MAX_TEXTS = 20000    # texts per side the alignment takes (quadratic in time)


@dataclass
class Features:
    """What a text is compared by."""

    kind: str
    depth: int
    length: int
    anchors: frozenset[str]
    text: str
    heading_like: bool     # short, without a sentence's end: may be a heading read as text


@dataclass
class Pair:
    source: Slot
    translation: Slot
    score: float
    why: str = ""        # why it is unsure ('' when sure)


@dataclass
class Alignment:
    pairs: list[Pair] = field(default_factory=list)
    unpaired_source: list[Slot] = field(default_factory=list)
    unpaired_translation: list[Slot] = field(default_factory=list)

    @property
    def total(self) -> float:
        """The alignment's score: its pairs', less the texts it leaves unpaired."""
        return sum(p.score for p in self.pairs) + GAP * (len(self.unpaired_source)
                                                       + len(self.unpaired_translation))

    @property
    def unsure(self) -> list[Pair]:
        return [pair for pair in self.pairs if pair.why]


def _kind(path: str) -> tuple[str, int]:
    """A place's kind (title, paragraph, item, cell …) and its list depth."""
    parts = [p for p in path.split("/") if not p.isdigit()]
    last = parts[-1] if parts else ""
    depth = sum(1 for p in parts if p in ("bullets", "numbered", "clauses"))
    if last in ("title", "toc_title"):
        return "title", depth
    if last in ("bullets", "numbered", "clauses", "text"):
        return "item", depth
    return last, depth


def anchors(text: str) -> frozenset[str]:
    """Tokens a faithful translation keeps: link targets, addresses, numbers, names."""
    found = {u.lower().rstrip(".,;") for u in URL.findall(text)}
    found |= {e.lower() for e in EMAIL.findall(text)}
    stripped = URL.sub(" ", EMAIL.sub(" ", text))
    found |= {n for n in NUMBER.findall(stripped)}
    found |= {w for w in NAME.findall(stripped)}
    return frozenset(found)


def _features(slot: Slot) -> Features:
    kind, depth = _kind(slot.path)
    text = str(slot.text)
    flat = " ".join(text.split())
    return Features(kind, depth, max(1, len(URL.sub("", text))), anchors(text), flat,
                    len(flat) <= 150 and not re.search(r"[.。!?！？:：;；]\W*$", flat))


def _score(a: Features, b: Features, ratio: float, names: set[str]) -> tuple[float, str]:
    """How well two texts pair, and why the pair is doubtful ('' when it is not)."""
    if (a.kind == "title") != (b.kind == "title"):
        if not (a.heading_like and b.heading_like):
            return -9.0, "kind"
        score = -0.1    # a heading one reader took for a paragraph
    else:
        score = 0.6 if a.kind == b.kind else 0.1
    if a.text == b.text:
        return score + 1.5, ""
    score += 0.2 if a.depth == b.depth else -0.3
    lengths = abs(math.log(b.length / (ratio * a.length)))
    # the length of a short text (a heading) says little: 留意事項 is Things you should know
    score -= 0.9 * lengths * min(1.0, (a.length + b.length) / 80)
    # a name counts only where the other edition writes it somewhere too
    left = a.anchors - names
    right = b.anchors - names
    shared = left & right
    union = left | right
    why = ""
    if union:
        overlap = len(shared) / len(union)
        score += 1.6 * overlap - 0.5
        if left and b.anchors and not shared:
            why = "they share no link, number or name"
    if lengths > 0.8 and not why:
        why = "their lengths differ much"
    return score, why


def align(source: list[Slot], translation: list[Slot]) -> Alignment:
    """Pair the texts of two editions of one policy, in order (see the module's notes)."""
    fa = [_features(s) for s in source[:MAX_TEXTS]]
    fb = [_features(s) for s in translation[:MAX_TEXTS]]
    ratio = (sum(f.length for f in fb) or 1) / (sum(f.length for f in fa) or 1)
    in_a = set().union(*(f.anchors for f in fa)) if fa else set()
    in_b = set().union(*(f.anchors for f in fb)) if fb else set()
    names = {x for x in in_a ^ in_b if NAME.fullmatch(x)}
    n, m = len(fa), len(fb)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]   # 0 pair, 1 skip source, 2 skip translation
    for i in range(1, n + 1):
        best[i][0], move[i][0] = best[i - 1][0] + GAP, 1
    for j in range(1, m + 1):
        best[0][j], move[0][j] = best[0][j - 1] + GAP, 2
    scores: dict[tuple[int, int], tuple[float, str]] = {}
    for i in range(1, n + 1):
        row, above = best[i], best[i - 1]
        for j in range(1, m + 1):
            score = scores[i, j] = _score(fa[i - 1], fb[j - 1], ratio, names)
            options = (above[j - 1] + score[0], above[j] + GAP, row[j - 1] + GAP)
            k = max(range(3), key=options.__getitem__)
            row[j], move[i][j] = options[k], k
    out = Alignment()
    i, j = n, m
    while i or j:
        k = move[i][j]
        if i and j and k == 0:
            score, why = scores[i, j]
            if not why and score < UNSURE_SCORE:
                why = "the pair scores low"
            out.pairs.append(Pair(source[i - 1], translation[j - 1], score, why))
            i, j = i - 1, j - 1
        elif i and (k == 1 or not j):
            out.unpaired_source.append(source[i - 1])
            i -= 1
        else:
            out.unpaired_translation.append(translation[j - 1])
            j -= 1
    out.pairs.reverse()
    out.unpaired_source.reverse()
    out.unpaired_translation.reverse()
    return out


def _title_from_preamble(slots: list[Slot]) -> list[Slot]:
    """The translation's texts with its first paragraph before the first section, when it
    reads like a heading, as its title (the reader found none: the default title goes)."""
    title = next((s for s in slots if s.path == "policy.yaml/title"), None)
    first = next((s for s in slots if s.path.startswith("policy.yaml/preamble/")), None)
    if first is not None and not _features(first).heading_like:
        first = None
    if title is None or first is None:
        return slots
    moved = Slot(title.path, first.text, title.holder, title.key)
    return [moved if s is title else s for s in slots if s is not first]


# --------------------------------------------------------------------------- writing


@dataclass
class TranslationImport:
    """What an import of a translation did."""

    catalog: Path
    locale: str
    alignment: Alignment
    texts: int                 # texts of the source
    policy_changed: bool       # the locale was added to `locales`


def _ids(pairs: list[Pair]) -> dict[str, str]:
    """Ids of the translation's sections and items → the source's, from paired titles."""
    out = {}
    for pair in pairs:
        mine = getattr(pair.translation.holder, "id", None)
        theirs = getattr(pair.source.holder, "id", None)
        if mine and theirs:
            out[str(mine)] = str(theirs)
    return out


def _translated(text: str, ids: dict[str, str], known: dict[str, str],
                values: dict[str, str]) -> str:
    """The translation's wording with its cross-references naming the source's ids, and
    the variables the reader found in it written out where the source has no such
    variable or another value (the translation says what it says)."""
    def swap(match: re.Match) -> str:
        named = [ids.get(part.strip(), part.strip()) for part in match.group(1).split(",")]
        return "{ref:" + ",".join(named) + "}"

    def spell(match: re.Match) -> str:
        name = match.group(1)
        return values[name] if name in values and known.get(name) != values[name] \
            else match.group(0)
    return VARIABLE.sub(spell, REF.sub(swap, text))


def catalog_bytes(locale: str, binding: str, pairs: list[Pair], known: dict[str, str],
                  values: dict[str, str]) -> bytes:
    from .emit import render_file

    ids = _ids(pairs)
    data = {"locale": locale,
            "texts": [{"at": p.source.path, "source": str(p.source.text),
                       "text": _translated(str(p.translation.text), ids, known, values)}
                      for p in pairs]}
    header = (f"{locale} wording of the policy, imported by policyc import --translation-of;"
              f" the binding text is the {binding} one in policy.yaml and sections/.")
    return render_file(data, "../schema/translation.schema.json", header)


def add_locale(policy_file: Path, locale: str, binding: str) -> bool:
    """Add ``locale`` to `locales` in policy.yaml, keeping the rest of the file as written."""
    text = policy_file.read_text("utf-8")
    flow = re.search(r"^locales:[ \t]*\[([^\]\n]*)\]", text, re.M)
    if flow:
        listed = [t.strip().strip("'\"") for t in flow.group(1).split(",") if t.strip()]
        if locale in listed:
            return False
        listed = listed or [binding]
        new = "locales: [" + ", ".join([*listed, locale]) + "]"
        text = text[:flow.start()] + new + text[flow.end():]
    elif re.search(r"^locales:[ \t]*(#.*)?$", text, re.M):
        block = re.search(r"^locales:[ \t]*(#.*)?\n((?:[ \t]+-.*\n)*)", text, re.M)
        items = [line.split("-", 1)[1].strip().strip("'\"")
                 for line in block.group(2).splitlines()]
        if locale in items:
            return False
        indent = re.match(r"[ \t]*", block.group(2)).group(0) if block.group(2) else "  "
        text = text[:block.end()] + f"{indent}- {locale}\n" + text[block.end():]
    else:
        where = re.search(r"^locale:.*\n", text, re.M)
        at = where.end() if where else 0
        text = text[:at] + f"locales: [{binding}, {locale}]\n" + text[at:]
    policy_file.write_text(text, "utf-8")
    return True


def import_translation(path: Path, src: Path, locale: str, encoding: str | None = None,
                       force: bool = False) -> TranslationImport:
    """Align the translation in ``path`` with the sources in ``src`` and write its catalog.

    Raises PolicyError when the sources do not load, the locale is the binding one, a
    catalog exists (without ``force``) or the translation cannot be read.
    """
    from ..project import POLICY_FILE, load_project
    from . import import_policy

    project = load_project(src)
    binding = str(project.policy.locale)
    target = catalog_path(project.root, locale)
    report = Report()
    if locale == binding:
        report.error(Loc(display_path(project.root / POLICY_FILE)), f"'{locale}' is the "
                     "binding locale of these sources; a translation is in another locale")
    elif target.exists() and not force:
        report.error(Loc(display_path(target)), "a catalog for this locale exists; replace "
                                                "it with --force")
    if report.has_errors:
        raise PolicyError(report)
    with tempfile.TemporaryDirectory(prefix="policyc-translation-") as scratch:
        imported = import_policy(path, Path(scratch) / "edition", locale, encoding)
        edition = load_project(imported.out_dir)
        slots, binding_slots = text_slots(edition), text_slots(project)
        alignment = align(binding_slots, slots)
        if not any(note.message.startswith("title:") for note in imported.draft.notes):
            # the reader found no title: perhaps it is the first paragraph; the clearly
            # better alignment says (a near tie keeps the texts as read)
            other = align(binding_slots, _title_from_preamble(slots))
            if other.total > alignment.total + TITLE_MARGIN:
                alignment = other
    from ..resolve import variables_of

    data = catalog_bytes(locale, binding, alignment.pairs, variables_of(project.policy),
                         variables_of(edition.policy))
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.tmp")
    staged.write_bytes(data)
    staged.replace(target)
    changed = locale not in declared_locales(project.policy) and add_locale(
        project.root / POLICY_FILE, locale, binding)
    return TranslationImport(target, locale, alignment, len(text_slots(project)), changed)
