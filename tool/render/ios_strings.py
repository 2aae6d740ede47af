"""InfoPlist.strings: the iOS purpose strings (``NSCameraUsageDescription`` …) in one
locale, each the purpose of the permission rows that declare the resource."""
from __future__ import annotations

from ..app.facts import AppFacts


def lproj(locale: str) -> str:
    """The Xcode localization folder of a locale: zh-CN → zh-Hans.lproj, en → en.lproj."""
    language, _, region = locale.partition("-")
    if language == "zh":
        return "zh-Hant.lproj" if region in ("TW", "HK", "MO", "Hant") else "zh-Hans.lproj"
    return f"{locale}.lproj"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def strings(facts: AppFacts) -> dict[str, str]:
    """Key → purpose string; several rows for one key are joined."""
    separator = "；" if facts.language == "zh" else "; "
    out: dict[str, list[str]] = {}
    for use in facts.permissions:
        for key in use.ios_keys:
            purposes = out.setdefault(key, [])
            if use.purpose and use.purpose not in purposes:
                purposes.append(use.purpose)
    return {key: separator.join(p) for key, p in sorted(out.items()) if p}


def render(facts: AppFacts) -> bytes:
    lines = [f"/* {facts.app}: purpose strings from the privacy policy ({facts.locale}) */"]
    lines += [f'"{key}" = "{_escape(text)}";' for key, text in strings(facts).items()]
    return ("\n".join(lines) + "\n").encode("utf-8")
