"""How far ``policyc diff`` can be trusted on real version histories.

For each pair of consecutive versions of a service (``FOLDER/<service>/<date>.md``, as Open
Terms Archive records them), both are imported with ``policyc import`` and compared with
``policyc diff OLD NEW --format json``. Two figures:

* coverage: of the sentences one original has and the other has not, the share that some
  change quotes in its ``old`` or ``new`` (wanted: at least 95 %);
* empty changes: the share of changes whose ``old`` and ``new`` read the same and that
  change no link (wanted: at most 5 %).

With a labels file (``tests/fixtures/versions/labels/<service>.yaml``: changes picked by
a snippet of their wording, each with the material flag a reviewer gives it and why), a
third: the share of labelled changes whose ``material`` flag agrees.

    .venv/bin/python tests/bench/diff_versions.py FOLDER [--only SERVICE] [--show]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from click.testing import CliRunner

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "versions" / "labels"
SENTENCE_END = re.compile(r"(?<=[。！？；])\s*|(?<=[.!?;:])\s+")
MARKDOWN = [
    (re.compile(r"!\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),     # images
    (re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),  # links
    (re.compile(r"<[^>\n]+>"), " "),                                   # HTML tags
    (re.compile(r"\\(.)"), r"\1"),                                     # escapes
    (re.compile(r"^\s*(?:#+|[-*+]|\d+[.)])\s+", re.M), ""),            # headings, items
    (re.compile(r"^\s*(?:=+|-+|\*{3,}|\|?[\s:|-]+\|[\s:|-]*)\s*$", re.M), ""),  # rules
    (re.compile(r"\|"), "\n"),                                         # table cells
    (re.compile(r"\*+|(?<!\w)_+|_+(?!\w)"), ""),                        # emphasis
]
# A number a policy gives its sections and items (1.2, (3), iv.): generated, no wording.
NUMBER = re.compile(r"^\s*(?:(?:\(?\d+(?:\.\d+)*[.)]?|\(?(?:[ivxlc]+|[a-z])[.)])\s+(?=\S)"
                    r"|[（(][一二三四五六七八九十百\d]+[）)]\s*|[一二三四五六七八九十百\d]+[、．]\s*)",
                    re.I)
DATE_FORMATS = ("%B %d, %Y", "%d %B %Y", "%Y-%m-%d", "%b %d, %Y")


def sentences(markdown: str) -> dict[str, str]:
    """The sentences of a Markdown text as a reader sees them, by their key."""
    text = markdown
    for pattern, replacement in MARKDOWN:
        text = pattern.sub(replacement, text)
    out = {}
    for line in text.splitlines():
        for sentence in SENTENCE_END.split(NUMBER.sub("", line.strip())):
            sentence = NUMBER.sub("", sentence).strip()
            if len(key(sentence)) >= 3:
                out[key(sentence)] = sentence
    return out


def as_date(text: str) -> str | None:
    """A sentence that is only a date (the last-updated line), as YYYY-MM-DD."""
    import datetime as dt

    cleaned = re.sub(r"^(?:last (?:updated|modified|revised)|effective(?: date)?|updated)"
                     r"\s*(?:on|:)?\s*", "", text.strip(" _.*"), flags=re.I).strip(" _.*")
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def key(text: str) -> str:
    """Text reduced to its letters and digits, lower case: what a reader reads."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if c.isalnum())


@dataclass
class Pair:
    service: str
    old: str
    new: str
    changes: list[dict]
    missing: list[str] = field(default_factory=list)   # differing sentences no change quotes
    differing: int = 0
    empty: int = 0                                     # changes reading the same, no links
    labelled: int = 0
    agreed: int = 0
    disagreements: list[str] = field(default_factory=list)


def import_policy(markdown: Path, dest: Path) -> Path:
    from policyc.cli import cli

    if dest.exists():    # the middle version of three, imported for the pair before
        return dest
    result = CliRunner().invoke(cli, ["import", str(markdown), "-o", str(dest)])
    if result.exit_code != 0:
        raise RuntimeError(f"import {markdown} failed: {result.output[-500:]}")
    return dest


def diff_json(old: Path, new: Path) -> dict:
    from policyc.cli import cli

    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json"])
    if result.exit_code not in (0, 1):
        raise RuntimeError(f"diff {old} {new} failed: {result.output[-500:]}")
    return json.loads(result.output)


def measure_pair(service: str, old_md: Path, new_md: Path, work: Path) -> Pair:
    """Import both versions, diff them and measure the diff against the originals."""
    old = import_policy(old_md, work / f"{service}-{old_md.stem}")
    new = import_policy(new_md, work / f"{service}-{new_md.stem}")
    data = diff_json(old, new)
    pair = Pair(service, old_md.stem, new_md.stem, data["changes"])
    before = sentences(old_md.read_text(encoding="utf-8"))
    after = sentences(new_md.read_text(encoding="utf-8"))
    quoted = "\x00".join(key(c["old"] or "") + "\x00" + key(c["new"] or "")
                         for c in data["changes"])
    differing = [text for k, text in {**before, **after}.items()
                 if (k in before) != (k in after)]
    pair.differing = len(differing)
    dates = {data["old"]["last_updated"], data["new"]["last_updated"],
             data["old"]["effective"], data["new"]["effective"]}
    pair.missing = [text for text in differing
                    if key(text) not in quoted and as_date(text) not in dates]
    pair.empty = sum(1 for c in data["changes"]
                     if c["old"] and c["old"] == c["new"] and not c["links"])
    return pair


def label_agreement(pair: Pair, labels: list[dict]) -> None:
    """Compare the ``material`` flags with the labels of this pair."""
    for label in labels:
        if label["pair"] != f"{pair.old} {pair.new}":
            continue
        pair.labelled += 1
        snippet = key(label["text"])
        sides = [(c, key(c["old"] or ""), key(c["new"] or "")) for c in pair.changes]
        change = next((c for c, old, new in sides if snippet in (old, new)), None) \
            or next((c for c, old, new in sides if snippet in old or snippet in new), None)
        if change is not None and change["material"] is label["material"]:
            pair.agreed += 1
        else:
            found = "no change quotes it" if change is None else \
                f"diff says material={change['material']}"
            pair.disagreements.append(f"{label['text'][:60]!r}: labelled "
                                      f"material={label['material']}, {found}")


def measure_service(folder: Path, work: Path) -> list[Pair]:
    versions = sorted(folder.glob("*.md"))
    labels_file = LABELS / f"{folder.name}.yaml"
    labels = yaml.safe_load(labels_file.read_text(encoding="utf-8")) \
        if labels_file.exists() else []
    pairs = []
    for old_md, new_md in zip(versions, versions[1:]):
        pair = measure_pair(folder.name, old_md, new_md, work)
        label_agreement(pair, labels)
        pairs.append(pair)
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder of <service>/<date>.md")
    parser.add_argument("--only", action="append", help="measure only this service")
    parser.add_argument("--show", action="store_true", help="list what is missed")
    args = parser.parse_args(argv)
    services = [f for f in sorted(args.folder.iterdir()) if f.is_dir()
                and (not args.only or f.name in args.only)]
    totals = {"differing": 0, "missing": 0, "changes": 0, "empty": 0, "labelled": 0,
              "agreed": 0}
    with tempfile.TemporaryDirectory(prefix="policyc-diff-bench-") as tmp:
        for folder in services:
            for pair in measure_service(folder, Path(tmp)):
                covered = 1 - len(pair.missing) / pair.differing if pair.differing else 1
                empty = pair.empty / len(pair.changes) if pair.changes else 0
                agreement = f"{pair.agreed}/{pair.labelled}" if pair.labelled else "-"
                print(f"{pair.service:14} {pair.old} → {pair.new}: {len(pair.changes):3} changes, "
                      f"coverage {covered:6.1%} ({pair.differing - len(pair.missing)}/"
                      f"{pair.differing}), empty {empty:5.1%}, labels agree {agreement}")
                if args.show:
                    for text in pair.missing:
                        print(f"    missed: {text[:150]}")
                    for text in pair.disagreements:
                        print(f"    label: {text}")
                totals["differing"] += pair.differing
                totals["missing"] += len(pair.missing)
                totals["changes"] += len(pair.changes)
                totals["empty"] += pair.empty
                totals["labelled"] += pair.labelled
                totals["agreed"] += pair.agreed
    t = totals
    print(f"overall: coverage {1 - t['missing'] / max(t['differing'], 1):.1%} "
          f"({t['differing'] - t['missing']}/{t['differing']}), empty "
          f"{t['empty'] / max(t['changes'], 1):.1%} of {t['changes']} changes, labels agree "
          f"{t['agreed']}/{t['labelled']}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
