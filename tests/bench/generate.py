"""Generate policies for benchmarks and tests: the reference policy scaled N times.

A policy at scale N repeats the reference's content sections (everything but the
contact section, which closes the policy once) N times, with every id and
cross-reference renamed per copy, so it has N times the sections, table rows, SDKs and
text of the reference and still resolves. At scale 1 the translations are copied too,
so the policy has the reference's editions; a scaled policy has one locale. ``--count`` writes several such policies,
each with its own app name, into one folder of policies.

    python tests/bench/generate.py OUT [--scale N] [--count K] [--locale LOCALE]
"""
from __future__ import annotations

import argparse
import copy
import re
import shutil
from pathlib import Path

import yaml

REFERENCE_SRC = Path(__file__).resolve().parents[2] / "policy_src"
ID_KEYS = ("id", "feature_id")
REF = re.compile(r"\{ref:([^}]*)\}")


def _ids(node) -> set[str]:
    """Every id declared in a YAML value."""
    if isinstance(node, dict):
        found = {str(node["id"])} if node.get("id") else set()
        return found.union(*(_ids(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_ids(item) for item in node))
    return set()


def _renamed(node, suffix: str, ids: set[str]):
    """A deep copy of a YAML value with the given ids, and references to them, suffixed."""
    def rename(ident: str) -> str:
        return f"{ident}{suffix}" if ident in ids else ident

    if isinstance(node, dict):
        return {key: (rename(str(value)) if key in ID_KEYS and value
                      else _renamed(value, suffix, ids)) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed(item, suffix, ids) for item in node]
    if isinstance(node, str):
        return REF.sub(lambda m: "{ref:" + ",".join(rename(t.strip())
                                                    for t in m.group(1).split(",")) + "}", node)
    return copy.deepcopy(node)


def _dump(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096),
                    encoding="utf-8")


def generate_policy(dest: Path, scale: int = 1, app: str | None = None,
                    locale: str | None = None, reference: Path = REFERENCE_SRC,
                    translated: bool = True) -> Path:
    """Write a policy source folder ``dest`` holding the reference scaled ``scale`` times
    (with the reference's translated editions when ``translated`` and ``scale`` is 1)."""
    policy = yaml.safe_load((reference / "policy.yaml").read_text(encoding="utf-8"))
    sections = [(entry, yaml.safe_load((reference / entry).read_text(encoding="utf-8")))
                for entry in policy["sections"]]
    content, closing = sections[:-1], sections[-1:]
    content_ids = set().union(*(_ids(section) for _, section in content))
    listed = []
    for copy_no in range(1, scale + 1):
        suffix = "" if copy_no == 1 else f"-{copy_no}"
        for entry, section in content:
            name = Path(entry)
            rel = name.with_name(f"{name.stem}{suffix}{name.suffix}").as_posix()
            _dump(dest / rel, _renamed(section, suffix, content_ids))
            listed.append(rel)
    for entry, section in closing:
        _dump(dest / entry, section)
        listed.append(entry)
    policy["sections"] = listed
    if translated and scale == 1 and (reference / "translations").is_dir():
        shutil.copytree(reference / "translations", dest / "translations", dirs_exist_ok=True)
    else:  # the translations cover the reference's text once: a scaled policy has one locale
        policy.pop("locales", None)
    if app:
        policy["app"]["name"] = app
        for catalog in sorted((dest / "translations").glob("*.yaml")):
            data = yaml.safe_load(catalog.read_text(encoding="utf-8"))
            for entry in data["texts"]:   # the app's name is the same in every edition
                if entry["at"] == "policy.yaml/app/name":
                    entry["source"] = entry["text"] = app
            _dump(catalog, data)
    if locale:
        policy["locale"] = locale
    _dump(dest / "policy.yaml", policy)
    return dest


def generate_batch(dest: Path, count: int, scale: int = 1, locale: str | None = None) -> list[Path]:
    """Write ``count`` policies (``dest/policy-01`` …), each with its own app name."""
    return [generate_policy(dest / f"policy-{n:02d}", scale, app=f"示例应用{n:02d}", locale=locale)
            for n in range(1, count + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (a policy, or a folder of policies)")
    parser.add_argument("--scale", type=int, default=1, help="times the reference (default 1)")
    parser.add_argument("--count", type=int, default=0,
                        help="write this many policies into OUT instead of one")
    parser.add_argument("--locale", help="locale to put in policy.yaml")
    args = parser.parse_args()
    if args.count:
        generate_batch(args.out, args.count, args.scale, args.locale)
    else:
        generate_policy(args.out, args.scale, locale=args.locale)


if __name__ == "__main__":
    main()
