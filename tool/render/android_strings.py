"""res/values[-<qualifier>]/strings.xml: rationale strings for Android's runtime
permission requests (认定方法 §二.3: state the purpose when asking), one per dangerous
permission the policy declares, named ``permission_rationale_<permission>``."""
from __future__ import annotations

from html import escape as html_escape

from ..app.facts import AppFacts
from ..app.tables import PermissionTable


def values_folder(locale: str) -> str:
    """The Android resource folder of a locale: zh-CN → values-zh-rCN, en → values-en."""
    parts = locale.split("-")
    if len(parts) == 1:
        return f"values-{parts[0]}"
    if len(parts) == 2 and len(parts[1]) == 2:
        return f"values-{parts[0]}-r{parts[1]}"
    return "values-b+" + "+".join(parts)


def xml_text(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped for XML character data (as xml.sax.saxutils does,
    which would import urllib.request: 20 ms of every build)."""
    return html_escape(text, quote=False)


def _escape(text: str) -> str:
    """Android resource string escaping on top of XML's: quotes, apostrophes, a leading
    @ or ? (resource references), and line breaks."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'").replace("\n", "\\n")
    if text[:1] in ("@", "?"):
        text = "\\" + text
    return xml_text(text)


def strings(facts: AppFacts) -> dict[str, str]:
    table = PermissionTable()
    separator = "；" if facts.language == "zh" else "; "
    out: dict[str, list[str]] = {}
    for use in facts.permissions:
        for name in use.android:
            permission = table.get(name)
            if permission is None or not permission.dangerous or not use.purpose:
                continue
            purposes = out.setdefault(f"permission_rationale_{name.lower()}", [])
            if use.purpose not in purposes:
                purposes.append(use.purpose)
    return {name: separator.join(p) for name, p in sorted(out.items())}


def render(facts: AppFacts) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f"<!-- {xml_text(facts.app).replace('--', '- -')}: permission rationale strings "
             f"from the privacy policy ({facts.locale}) -->", "<resources>"]
    lines += [f'    <string name="{name}">{_escape(text)}</string>'
              for name, text in strings(facts).items()]
    lines.append("</resources>")
    return ("\n".join(lines) + "\n").encode("utf-8")
