"""MkDocs hooks: the manual's pages that policyc itself writes.

* ``<lang>/reference/format.md``: the source format, generated from the models of
  :mod:`policyc.model` (the same definition that validates sources and gives the JSON
  Schema).
* ``<lang>/reference/rules/``: one page per profile, generated from the rule registry,
  each rule with an example finding taken from running ``policyc check`` on the real
  policies of ``tests/fixtures/real/``.
* ``assets/screenshots/*.png``: the reference policy built and photographed by headless
  Chromium.
"""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from policyc import model
from policyc.check import RULES
from policyc.schema import Text, is_required, model_fields, model_hints

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_POLICIES = sorted((ROOT / "tests" / "fixtures" / "real").glob("*/policy_src"))
PROFILE_TITLES = {
    "consistency": ("Always checked", "始终检查"),
    "pipl": ("PIPL, GB/T 35273 and the MIIT app rules", "个人信息保护法、GB/T 35273 与工信部 App 规则"),
    "gdpr": ("GDPR", "GDPR"),
    "ccpa": ("CCPA / CPRA", "CCPA / CPRA"),
}
SCREENSHOTS = {"reference-zh-CN.png": "zh-CN/privacy-policy.html",
               "reference-en.png": "en/privacy-policy.html"}


def on_config(config: Any) -> Any:
    """List each generated rule page in the navigation, under its language's rule index."""
    def expand(items: list) -> list:
        out = []
        for item in items:
            if isinstance(item, dict):
                (title, value), = item.items()
                if isinstance(value, str) and value.endswith("/reference/rules/index.md"):
                    lang = value.split("/", 1)[0]
                    value = [value] + [{profile_title(p, lang): f"{lang}/reference/rules/{p}.md"}
                                       for p in profiles()]
                elif isinstance(value, list):
                    value = expand(value)
                item = {title: value}
            out.append(item)
        return out
    config["nav"] = expand(config["nav"])
    return config


def on_files(files: Files, config: Any) -> Files:
    """Add the generated pages and pictures to the site."""
    def add(uri: str, content: str | bytes) -> None:
        files.append(File.generated(config, uri, content=content))

    add("en/reference/format.md", format_reference())
    examples = example_findings()
    for lang in ("en", "zh"):
        add(f"{lang}/reference/rules/index.md", rules_index(lang))
        for profile in profiles():
            add(f"{lang}/reference/rules/{profile}.md", rules_page(profile, lang, examples))
    for name, data in screenshots().items():
        add(f"assets/screenshots/{name}", data)
    return files


# --------------------------------------------------------------------------- the format


SOURCE_FILES = (("policy.yaml", model.Policy), ("A section file", model.Section),
                ("A translation catalog (translations/<locale>.yaml)", model.Catalog))


def format_reference() -> str:
    """Every key of the source format: its type, whether it is required, and what it does."""
    out = ["# Source format reference", "",
           "Generated from policyc's models, the one definition that also validates the "
           "sources and gives the JSON Schema (`policyc schema`). Each table lists the keys "
           "of one kind of mapping; a type in *italics* links to its own table.", ""]
    seen: set[type] = set()
    for title, root in SOURCE_FILES:
        out += [f"## {title}", ""]
        for cls in models_of(root):
            if cls not in seen:
                seen.add(cls)
                out += model_table(cls)
    return "\n".join(out) + "\n"


def models_of(tp: Any) -> list[type]:
    """The models reachable from ``tp`` (a model or a union of models), ``tp`` first."""
    found: list[type] = []

    def walk(t: Any) -> None:
        origin = get_origin(t)
        if origin in (Union, types.UnionType):
            for arg in get_args(t):
                walk(arg)
        elif origin in (list, dict):
            walk(get_args(t)[-1])
        elif dataclasses.is_dataclass(t) and t not in found:
            found.append(t)
            for hint in model_hints(t).values():
                walk(hint)

    walk(tp)
    return found


def model_table(cls: type) -> list[str]:
    """One model as a Markdown table of its keys."""
    doc = " ".join((cls.__doc__ or "").split())
    tag = getattr(cls, "TAG", None)
    lines = [f"### {cls.__name__} {{: #{cls.__name__.lower()} }}", ""]
    if doc:
        lines += [doc, ""]
    if tag and tag[0] == "type":
        lines += [f"Chosen with `type: {tag[1]}`" +
                  (" (the default)." if getattr(cls, "TAG_DEFAULT", False) else "."), ""]
    elif tag and tag[0] == "key":
        lines += [f"Chosen by the key `{tag[1]}`.", ""]
    lines += ["| key | type | required | meaning |", "|---|---|---|---|"]
    hints = model_hints(cls)
    for name, f in model_fields(cls).items():
        meaning = " ".join(str(f.metadata.get("doc", "")).split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {type_name(hints[name])} | "
                     f"{'yes' if is_required(f) else ''} | {meaning} |")
    return lines + [""]


def type_name(tp: Any) -> str:
    """A type as an editor reads it: text, yes/no, a list of …, a link to a model."""
    origin = get_origin(tp)
    args = [a for a in get_args(tp) if a is not type(None)]
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in get_args(tp))
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"mapping of id to {type_name(args[-1])}"
    if args and origin is not None:
        return " or ".join(type_name(a) for a in args)
    if tp is bool:
        return "yes/no"
    if tp is int:
        return "whole number"
    if isinstance(tp, type) and issubclass(tp, Text):
        return tp.describe
    if dataclasses.is_dataclass(tp):
        return f"*[{tp.__name__}](#{tp.__name__.lower()})*"
    return getattr(tp, "__name__", str(tp))


# --------------------------------------------------------------------------- the rules


def profiles() -> list[str]:
    """The profiles of the registered rules, those always checked first."""
    names = {rule.profile for rule in RULES.values()}
    return sorted(names, key=lambda p: (p != "consistency", p))


def profile_title(profile: str, lang: str) -> str:
    titles = PROFILE_TITLES.get(profile, (profile, profile))
    return titles[lang == "zh"]


def rules_index(lang: str) -> str:
    zh = lang == "zh"
    out = ["# 检查规则" if zh else "# Rules", "",
           ("每条规则都有固定的代码。`policyc check` 按规则集（profile）运行规则；"
            "`policyc explain 代码` 在命令行中显示同样的说明。以下页面由规则注册表生成。")
           if zh else
           ("Every rule has a stable code. `policyc check` runs the rules of the chosen "
            "profiles; `policyc explain CODE` prints the same explanation in a terminal. "
            "These pages are generated from the rule registry."), ""]
    out += ["| 规则集 | 规则数 |" if zh else "| profile | rules |", "|---|---|"]
    for profile in profiles():
        count = sum(1 for rule in RULES.values() if rule.profile == profile)
        out.append(f"| [{profile_title(profile, lang)}]({profile}.md) (`{profile}`) | {count} |")
    return "\n".join(out) + "\n"


def rules_page(profile: str, lang: str, examples: dict[str, dict]) -> str:
    zh = lang == "zh"
    out = [f"# {profile_title(profile, lang)}", ""]
    if profile == "consistency":
        out += [("这些规则无论选择哪个规则集都会运行：它们检查来源文件本身是否一致。")
                if zh else
                ("These rules run whatever profile is chosen: they check that the sources "
                 "agree with themselves (and, with `--app`, with the app's build)."), ""]
    else:
        out += [f"`policyc check --profile {profile}`", ""]
    for rule in sorted((r for r in RULES.values() if r.profile == profile),
                       key=lambda r: r.code):
        out += [f"## {rule.code}", "",
                f"**{'严重程度' if zh else 'Severity'}:** {rule.severity} · "
                f"**{'依据' if zh else 'Enforces'}:** {rule.article}", "",
                " ".join(rule.explanation.split()), "",
                f"**{'提示信息' if zh else 'Message'}:** "
                f"`{rule.message['zh' if zh else 'en']}`", ""]
        example = examples.get(rule.code)
        if example:
            out += [f"**{'示例' if zh else 'Example'}** "
                    f"({'来自' if zh else 'from'} `{example['policy']}`):", "",
                    "```text", finding_text(example), "```", ""]
    return "\n".join(out) + "\n"


def finding_text(finding: dict) -> str:
    """A finding as `policyc check` prints it, with the evidence it carries."""
    lines = [f"{finding['where']}: {finding['severity']}: {finding['message']} "
             f"[{finding['code']}]"]
    for item in finding.get("evidence") or []:
        if isinstance(item, dict):
            lines.append(f"    {item.get('file', '')}:{item.get('line', '')}: "
                         f"{item.get('text', '')}")
        else:
            lines.append(f"    {item}")
    searched = finding.get("searched") or []
    if searched:
        lines.append("    searched: " + "; ".join(map(str, searched)))
    return "\n".join(lines)


def example_findings() -> dict[str, dict]:
    """One finding per rule code from checking the bundled real policies."""
    examples: dict[str, dict] = {}
    for src in EXAMPLE_POLICIES:
        for profile in ("pipl", "gdpr"):
            result = subprocess.run(
                [sys.executable, "-m", "policyc", "check", str(src), "--profile", profile,
                 "--format", "json", "--lang", "en"],
                capture_output=True, text=True, timeout=300, cwd=ROOT)
            if result.returncode not in (0, 1):
                raise PluginError(f"policyc check failed on {src}: {result.stderr[-2000:]}")
            for finding in json.loads(result.stdout)["findings"]:
                if finding["code"] in examples:
                    continue
                path = (ROOT / finding["file"]).resolve()
                where = path.relative_to(src) if path.is_relative_to(src) else path.name
                examples[finding["code"]] = {
                    **finding, "policy": src.parent.name,
                    "where": f"{where}:{finding['line']}:{finding['column']}"}
    return examples


# --------------------------------------------------------------------------- screenshots


def screenshots() -> dict[str, bytes]:
    """The reference policy's pages as Chromium shows them."""
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                    "google-chrome"))), None)
    if chromium is None:
        raise PluginError("the manual's screenshots need Chromium: install it with "
                          "`sudo apt-get install chromium` (or run `make docs` as root)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "policyc", "build", str(ROOT / "policy_src"),
                        "-o", str(out), "--format", "html"],
                       check=True, capture_output=True, timeout=300)
        pictures = {}
        for name, page in SCREENSHOTS.items():
            picture = Path(tmp) / name
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--hide-scrollbars", "--window-size=1000,1300",
                            f"--user-data-dir={tmp}/profile", f"--screenshot={picture}",
                            (out / page).as_uri()],
                           check=True, capture_output=True, timeout=120)
            pictures[name] = picture.read_bytes()
        return pictures


# --------------------------------------------------------------------------- error examples

BROKEN = ROOT / "tests" / "broken"
BROKEN_MARK = re.compile(r"<!-- broken: ([\w-]+) -->")
DIAGNOSTIC = re.compile(r"^src/(?P<path>[^:]+):(?P<line>\d+):\d+: ")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Expand ``<!-- broken: CASE -->`` into the case's source lines and the exact message
    policyc prints for them (the same cases ``tests/test_errors.py`` runs)."""
    return BROKEN_MARK.sub(lambda match: broken_example(match.group(1)), markdown)


def broken_example(case: str) -> str:
    folder = BROKEN / case
    if not (folder / "expected.txt").is_file():
        raise PluginError(f"the manual names the error case '{case}', which tests/broken/ lacks")
    messages = [line for line in (folder / "expected.txt").read_text("utf-8").splitlines()
                if line and not line.startswith(("#", "exit "))]
    out = []
    place = DIAGNOSTIC.match(messages[0])
    source = folder / place["path"] if place else None
    if source and source.is_file():
        try:
            lines = source.read_text("utf-8").splitlines()
        except UnicodeDecodeError:
            lines = []
        if lines:
            at = int(place["line"])
            first = max(1, at - 4)
            out += [f'```yaml title="{place["path"]}"',
                    *lines[first - 1:at + 1], "```", ""]
    out += ["```text", *messages, "```"]
    return "\n".join(out)
