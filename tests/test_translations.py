"""Translations know their source: stale, missing, moved and unused texts are reported."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_SRC
from policyc.cli import cli
from policyc.project import load_project
from policyc.translate import change_excerpt, text_slots

OLD = "敏感个人信息是指一旦泄露或者非法使用"
NEW = "敏感个人信息是指一旦被泄露或者被非法使用"
I18N = re.compile(r"^(\S+): (error|warning): (.*) \[(I18N-[A-Z-]+)\]$", re.M)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def findings(src: Path, *options: str) -> list[tuple[str, str, str, str]]:
    """(location, severity, message, code) of every translation finding of `policyc check`."""
    result = invoke("check", str(src), "--lang", "en", *options)
    return I18N.findall(result.stderr)


def counts(src: Path, exit_code: int = 0) -> dict[str, dict]:
    result = invoke("translations", str(src), "--format", "json")
    assert result.exit_code == exit_code, result.output
    data = json.loads(result.stdout)
    return {row["locale"]: row for row in data["locales"]} | {"": data}


def entry_line(catalog: Path, place: str, key: str = "text") -> int:
    """The line of `key` in the catalog entry for `place`."""
    lines = catalog.read_text("utf-8").splitlines()
    start = lines.index(f"  - at: {place}")
    return next(n for n in range(start, len(lines))
                if lines[n].startswith((f"  - {key}:", f"    {key}:"))) + 1


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if needle in line)


def set_locales(src: Path, locales: str) -> None:
    policy = src / "policy.yaml"
    text = policy.read_text("utf-8")
    policy.write_text(re.sub(r"^locales: .*$", f"locales: {locales}", text, flags=re.M),
                      encoding="utf-8")


def test_reference_english_translation_is_complete_and_current():
    data = counts(REFERENCE_SRC)
    total = len(text_slots(load_project(REFERENCE_SRC)))
    assert data[""]["binding"] == "zh-CN" and data[""]["texts"] == total
    assert {k: data["en"][k] for k in ("translated", "stale", "missing", "unused")} == \
        {"translated": total, "stale": 0, "missing": 0, "unused": 0}
    assert findings(REFERENCE_SRC) == []


def test_places_mirror_the_yaml_and_restart_at_ids():
    places = [slot.path for slot in text_slots(load_project(REFERENCE_SRC))]
    for expected in ("policy.yaml/title", "policy.yaml/contact/in_app_feedback",
                     "register/blocks/2", "use/blocks/1/numbered/2/text",
                     "use/blocks/1/numbered/2/blocks/1/numbered/9",
                     "permissions/rows/11/permissions/5", "sdks/sdks/4/data/1",
                     "sharing/sections/3/title", "protection/blocks/1/clauses/6",
                     "rights/rights/2/blocks/2/numbered/1", "contact/after/2"):
        assert expected in places
    assert len(places) == len(set(places))
    # facts shared by every edition are not wording
    assert not [p for p in places if p.endswith(("/version", "/phone", "/kind", "/id"))
                or p.startswith("policy.yaml/sections")]


def test_changed_source_makes_exactly_that_translation_stale(src_copy):
    section = src_copy / "sections" / "01-collection.yaml"
    section.write_text(section.read_text("utf-8").replace(OLD, NEW), encoding="utf-8")
    catalog = src_copy / "translations" / "en.yaml"

    found = findings(src_copy)
    assert len(found) == 1
    loc, severity, message, code = found[0]
    assert (code, severity) == ("I18N-STALE", "error")
    assert loc == f"{catalog}:{entry_line(catalog, 'collection/blocks/2')}:11"
    assert message.startswith("stale en translation of `collection/blocks/2`: the zh-CN "
                              f"wording changed from “{OLD}")
    assert f"” to “{NEW}" in message
    assert f"(at {section}:{line_of(section, NEW)}:5)" in message
    data = counts(src_copy, exit_code=1)
    assert data["en"]["stale"] == 1
    assert [s["at"] for s in data["en"]["places"]["stale"]] == ["collection/blocks/2"]
    assert "collection/blocks/2" not in data["en"]["places"]["translated"]
    assert invoke("translations", str(src_copy), "--allow-stale").exit_code == 0

    # the build stops, naming the entry; with --allow-stale the new wording is shown, marked
    out = src_copy.parent / "out"
    result = invoke("build", str(src_copy), "-o", str(out), "-f", "md")
    assert result.exit_code == 1
    assert "`collection/blocks/2` 的 en 译文已过时" in result.stderr   # the policy's language
    result = invoke("build", str(src_copy), "-o", str(out), "-f", "md", "--allow-stale")
    assert result.exit_code == 0, result.output
    md = (out / "en" / "privacy-policy.md").read_text("utf-8")
    assert f'<span lang="zh-CN">{NEW}' in md and "\\[not translated\\]" in md
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["policy"]["translations"]["en"]["stale"] == 1
    assert manifest["policy"]["translations"]["en"]["state"] == "binding wording shown"

    # recording the new source wording clears it
    text = catalog.read_text("utf-8")
    catalog.write_text(text.replace(f"source: {OLD}", f"source: {NEW}"), encoding="utf-8")
    assert findings(src_copy) == []
    assert counts(src_copy)["en"]["stale"] == 0


def test_inserted_paragraph_is_missing_and_nothing_shifts_onto_wrong_text(src_copy):
    section = src_copy / "sections" / "01-collection.yaml"
    text = section.read_text("utf-8")
    section.write_text(text.replace("blocks:\n  - 个人信息是指",
                                    "blocks:\n  - 本节为新增内容。\n  - 个人信息是指", 1),
                       encoding="utf-8")
    found = findings(src_copy)
    codes = sorted(code for *_, code in found)
    assert codes == ["I18N-MISSING"] + ["I18N-MOVED"] * 3
    missing = next(f for f in found if f[3] == "I18N-MISSING")
    assert missing[:2] == (f"{section}:{line_of(section, '本节为新增内容')}:5", "error")
    assert "missing en translation of `collection/blocks/1`" in missing[2]

    out = src_copy.parent / "out"
    assert invoke("build", str(src_copy), "-o", str(out), "-f", "md").exit_code == 1
    result = invoke("build", str(src_copy), "-o", str(out), "-f", "md", "--allow-missing")
    assert result.exit_code == 0, result.output
    md = (out / "en" / "privacy-policy.md").read_text("utf-8")
    assert '<span lang="zh-CN">本节为新增内容。</span> \\[not translated\\]' in md
    assert "Passages marked “not translated” have not been translated yet" in md
    # the moved paragraphs keep their own translations, in order
    first = md.index("本节为新增内容")
    assert first < md.index("Personal information means") < md.index(
        "Sensitive personal information means")


def test_removed_source_leaves_an_unused_translation(src_copy):
    section = src_copy / "sections" / "08-children.yaml"
    lines = section.read_text("utf-8").splitlines(keepends=True)
    section.write_text("".join(line for line in lines if "尽管当地法律" not in line),
                       encoding="utf-8")
    catalog = src_copy / "translations" / "en.yaml"
    assert findings(src_copy) == [
        (f"{catalog}:{entry_line(catalog, 'children/blocks/3', 'at')}:9", "warning",
         "`children/blocks/3` translates no text of the sources; remove it", "I18N-UNUSED")]


def test_third_locale_without_translations_reports_every_text_missing(src_copy):
    set_locales(src_copy, "[zh-CN, en, en-GB]")
    total = len(text_slots(load_project(src_copy)))
    data = counts(src_copy, exit_code=1)
    assert {k: data["en-GB"][k] for k in ("translated", "stale", "missing")} == \
        {"translated": 0, "stale": 0, "missing": total}
    assert data["en-GB"]["catalog_exists"] is False
    policy = src_copy / "policy.yaml"
    assert findings(src_copy) == [
        (f"{policy}:{line_of(policy, 'locales:')}:22", "error",
         f"locale 'en-GB' has no translations: {src_copy}/translations/en-GB.yaml does not "
         f"exist, so all {total} texts are missing", "I18N-NO-CATALOG")]

    # an empty catalog: each text is reported at its own place in the binding sources
    (src_copy / "translations" / "en-GB.yaml").write_text("locale: en-GB\ntexts: []\n",
                                                          encoding="utf-8")
    found = findings(src_copy)
    assert len(found) == total
    assert {code for *_, code in found} == {"I18N-MISSING"}
    assert {severity for _, severity, *_ in found} == {"error"}
    slots = text_slots(load_project(src_copy))
    assert {loc for loc, *_ in found} == {str(slot.text.loc) for slot in slots}
    assert invoke("check", str(src_copy), "--allow-missing").exit_code == 0


def test_missing_translations_fall_back_visibly_with_allow_missing(src_copy):
    set_locales(src_copy, "[zh-CN, en, en-GB]")
    out = src_copy.parent / "out"
    result = invoke("build", str(src_copy), "-o", str(out), "-f", "html", "--locale", "en-GB")
    assert result.exit_code == 1 and "[I18N-NO-CATALOG]" in result.stderr
    result = invoke("build", str(src_copy), "-o", str(out), "-f", "html", "--locale", "en-GB",
                    "--allow-missing")
    assert result.exit_code == 0, result.output
    html = (out / "en-GB" / "privacy-policy.html").read_text("utf-8")
    assert '<html lang="en-GB">' in html
    marked = re.findall(r'<span class="untranslated" lang="zh-CN">(.*?)</span>'
                        r'<small class="untranslated-mark">\[not translated\]</small>', html)
    assert "如果您有任何疑问、意见或建议，请您把问题发送到邮箱：yiyebaoke@163.com，我们将在7个工作日内进行处理。" in marked
    assert 'hreflang="en-GB"' in html and ">British English<" in html


@pytest.mark.parametrize("change, message", [
    ("locales: [en]", "`locales` must include the binding locale 'zh-CN' (set by `locale`)"),
    ("locales: [zh-CN, en, zh-CN]", "locale 'zh-CN' is listed twice in `locales`"),
    ("locales: [zh-CN, xx]", "locale 'xx' is not a language CLDR knows"),
])
def test_bad_locales_declarations(src_copy, change, message):
    set_locales(src_copy, change.split(": ", 1)[1])
    result = invoke("build", str(src_copy), "-o", str(src_copy.parent / "out"))
    assert result.exit_code == 1
    policy = src_copy / "policy.yaml"
    assert f"{policy}:{line_of(policy, 'locales:')}:" in result.stderr
    assert message in result.stderr


def test_catalog_problems_are_reported_at_their_line(src_copy):
    catalog = src_copy / "translations" / "en.yaml"
    text = catalog.read_text("utf-8")
    text = text.replace("locale: en\n", "locale: en-GB\n")
    text += "  - at: policy.yaml/title\n    source: 隐私政策\n    text: Privacy Notice\n"
    catalog.write_text(text, encoding="utf-8")
    result = invoke("build", str(src_copy), "-o", str(src_copy.parent / "out"), "-f", "md")
    assert result.exit_code == 1
    assert f"{catalog}:{line_of(catalog, 'locale: en-GB')}:9: error: this catalog says locale " \
           "'en-GB' but its file name is for 'en'" in result.stderr
    last_at = len(text.splitlines()) - 2
    assert f"{catalog}:{last_at}:9: error: `policy.yaml/title` is translated twice (first at " \
           f"line {entry_line(catalog, 'policy.yaml/title', 'at')})" in result.stderr


def test_inline_errors_in_a_translation_point_into_the_catalog(src_copy):
    catalog = src_copy / "translations" / "en.yaml"
    text = catalog.read_text("utf-8")
    catalog.write_text(text.replace("text: Privacy Policy\n", "text: Privacy Policy of {ap}\n"),
                       encoding="utf-8")
    result = invoke("build", str(src_copy), "-o", str(src_copy.parent / "out"), "-f", "md")
    assert result.exit_code == 1
    line = line_of(catalog, "Privacy Policy of {ap}")
    assert f"{catalog}:{line}:29: error: unknown variable `{{ap}}`" in result.stderr


def test_change_excerpt_keeps_short_texts_and_cuts_long_ones():
    assert change_excerpt("短句甲", "短句乙") == ("短句甲", "短句乙")
    old = "开头" * 50 + "旧的说法" + "结尾" * 50
    new = "开头" * 50 + "新的表述" + "结尾" * 50
    cut_old, cut_new = change_excerpt(old, new)
    assert "旧的说法" in cut_old and "新的表述" in cut_new
    assert cut_old.startswith("…") and cut_old.endswith("…") and len(cut_old) < len(old)
