"""Official translations in: imported against the source's structure, built in their own
locale's words, and never published as current once the source has changed."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from conftest import write_policy
from policyc.cli import cli
from policyc.diagnostics import Loc
from policyc.importers.translation import align
from policyc.schema import Text
from policyc.translate import Slot

NOTICE = Path(__file__).parent / "data" / "translations" / "common_voice"
TRANSLATIONS = ("fr", "zh-CN")
SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？；])")
MARKUP = re.compile(r"\{:[^}]*\}|\*\*|\[([^\]]*)\]\([^)]*\)|^#+\s*|^\*\s+", re.M)


def invoke(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sentences(markdown: str) -> list[str]:
    """The sentences of an original notice, its Markdown markup taken off."""
    plain = MARKUP.sub(lambda m: m.group(1) or "", markdown)
    out = []
    for line in plain.splitlines():
        out += [squeezed(s) for s in SENTENCE.split(line.strip()) if len(squeezed(s)) >= 12]
    return out


def main_text(page: Path) -> tuple[str, list[str]]:
    """The page's text, and each paragraph, item and heading of its policy (<main>)."""
    root = lxml.html.parse(str(page)).getroot()
    main = root.find(".//main")
    navigation = {id(e) for nav in main.iter("nav") for e in nav.iter()}   # the contents
    # Mozilla's kramdown attribute lists ({: datetime=…}) are left in by the Markdown
    # reader (tests/test_import_*.py own that); they are not what this test measures
    blocks = [re.sub(r"\{:[^}]*\}", "", squeezed(e.text_content()))
              for e in main.iter("p", "li", "h1", "h2", "h3")
              if id(e) not in navigation and not e.findall(".//p") and not e.findall(".//li")]
    return squeezed(root.find("body").text_content()), [b for b in blocks if b]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("notice") / "src"
    result = invoke("import", NOTICE / "en.md", "-o", src, "--locale", "en")
    assert result.exit_code == 0, result.output
    for locale in TRANSLATIONS:
        result = invoke("import", NOTICE / f"{locale}.md", "--translation-of", src,
                        "--locale", locale)
        assert result.exit_code == 0, result.output
        assert f"→ {src}/translations/{locale}.yaml" in result.output
    return src


def test_each_translation_is_imported_and_declared(imported):
    policy = (imported / "policy.yaml").read_text("utf-8")
    assert re.search(r"^locales: \[en, fr, zh-CN\]$", policy, re.M)
    result = invoke("translations", imported, "--format", "json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("locale", ("en", *TRANSLATIONS))
def test_each_edition_keeps_its_original_and_adds_nothing(imported, tmp_path, locale):
    out = tmp_path / "out"
    result = invoke("build", imported, "-o", out, "-f", "html", "--locale", locale)
    assert result.exit_code == 0, result.output
    text, blocks = main_text(out / locale / "privacy-policy.html")
    wanted = sentences((NOTICE / f"{locale}.md").read_text("utf-8"))
    kept = [s for s in wanted if s in text]
    assert len(kept) >= 0.98 * len(wanted), [s for s in wanted if s not in text]
    original = squeezed(MARKUP.sub(lambda m: m.group(1) or "",
                                   (NOTICE / f"{locale}.md").read_text("utf-8")))
    page = lxml.html.parse(str(out / locale / "privacy-policy.html")).getroot()
    generated = {squeezed(e.text_content()) for e in page.iter("p", "li")
                 if {"date", "notice"} & set((e.get("class") or "").split())}
    added = [b for b in blocks if b not in original and b not in generated]
    assert added == []
    assert page.get("lang") == locale


def test_a_changed_source_sentence_is_stale_in_every_edition(imported, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(imported, src)
    section = next((src / "sections").glob("*.yaml"))
    old = "This helps us and other researchers improve and create speech-to-text technology"
    new = "This helps researchers improve speech-to-text technology"
    section.write_text(section.read_text("utf-8").replace(old, new), "utf-8")

    result = invoke("translations", src)
    assert result.exit_code == 1
    for locale in TRANSLATIONS:
        assert re.search(rf"stale {locale} translation of `[^`]+/bullets/1`", result.stderr)
    result = invoke("build", src, "-o", tmp_path / "out", "-f", "html")
    assert result.exit_code == 1
    assert all(f"stale {locale} translation of" in result.stderr for locale in TRANSLATIONS)

    result = invoke("build", src, "-o", tmp_path / "out", "-f", "html", "--allow-stale")
    assert result.exit_code == 0, result.output
    for locale in TRANSLATIONS:
        page = lxml.html.parse(str(tmp_path / "out" / locale / "privacy-policy.html")).getroot()
        marked = [e for e in page.iter("span") if e.get("class") == "untranslated"]
        assert [e.get("lang") for e in marked] == ["en"]
        assert new in marked[0].text_content()


def slot(path: str, text: str) -> Slot:
    return Slot(path, Text(text, Loc("x.yaml", 1, 1)), None, 0)


def test_a_shorter_list_leaves_its_missing_item_unpaired_instead_of_shifting():
    source = [slot("s/title", "What we collect")] + [
        slot(f"s/blocks/1/bullets/{n}", f"Item {n}: we keep record {1000 + n} for {n} days.")
        for n in range(1, 24)]
    # the translation lacks item 7, and words every item differently
    translation = [slot("s/title", "Was wir erheben")] + [
        slot(f"s/blocks/1/bullets/{k}", f"Punkt: Datensatz {1000 + n} wird {n} Tage gespeichert.")
        for k, n in enumerate((n for n in range(1, 24) if n != 7), 1)]
    alignment = align(source, translation)
    assert [s.path for s in alignment.unpaired_source] == ["s/blocks/1/bullets/7"]
    assert alignment.unpaired_translation == []
    for pair in alignment.pairs[1:]:
        number = re.search(r"record (\d+)", pair.source.text).group(1)
        assert f"Datensatz {number} " in pair.translation.text
    assert not alignment.unsure


def test_a_pair_without_shared_anchors_is_listed_as_unsure():
    source = [slot("s/blocks/1", "Write to privacy@example.com or call +1 555 0100.")]
    translation = [slot("s/blocks/1", "Schreiben Sie an datenschutz@example.de, Telefon 0800 "
                                      "123 456.")]
    alignment = align(source, translation)
    assert len(alignment.pairs) == 1 and alignment.unsure


GERMAN = (
    "  - {at: policy.yaml/title, source: Privacy Policy, text: Datenschutzerklärung}\n"
    "  - {at: s/title, source: Collection, text: Erhebung}\n"
    "  - {at: s/blocks/1, source: We collect your e-mail address., "
    "text: Wir erheben Ihre E-Mail-Adresse.}\n")


def german_policy(folder: Path, section: str, locales: str, entries: str) -> Path:
    """An English policy of one section `s`, published in ``locales``, with German texts."""
    src = write_policy(folder, {"s.yaml": section})
    policy = src / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + f"locales: {locales}\n", "utf-8")
    (src / "translations").mkdir()
    (src / "translations" / "de.yaml").write_text("locale: de\ntexts:\n" + entries, "utf-8")
    return src


def test_german_edition_uses_cldr_dates_and_its_catalog(tmp_path):
    section = "id: s\ntitle: Collection\nblocks:\n  - We collect your e-mail address.\n"
    src = german_policy(tmp_path / "src", section, "[en, de, ar]", GERMAN)
    result = invoke("build", src, "-o", tmp_path / "out", "-f", "html", "--allow-stale")
    assert result.exit_code == 0, result.output
    # ar has no catalog: one warning, English labels
    assert result.stderr.count("no message catalog for 'ar'") == 1
    de = lxml.html.parse(str(tmp_path / "out" / "de" / "privacy-policy.html")).getroot()
    text = " ".join(de.text_content().split())
    assert "Zuletzt aktualisiert: 1. Mai 2024" in text and "Gültig ab: 2. Mai 2024" in text
    assert "Inhalt" in text and "Deutsch" in text
    assert "prevails" not in text and "verbindlich" not in text   # not declared
    ar = lxml.html.parse(str(tmp_path / "out" / "ar" / "privacy-policy.html")).getroot()
    assert ar.get("dir") == "rtl" and ar.get("lang") == "ar"
    assert "Last updated" in ar.text_content()


def test_content_only_some_editions_have(tmp_path):
    section = ("id: s\ntitle: Collection\nblocks:\n  - We collect your e-mail address.\n"
               "  - numbered:\n      - text: Only the English edition lists this item.\n"
               "        only: [en]\n      - Every edition lists this item.\n"
               "  - bullets: [Nur in Deutschland gilt diese Regel.]\n    only: [de]\n"
               "sections:\n  - title: Marketing in the US\n    only: [en]\n"
               "    blocks: [We send US offers.]\n")
    src = german_policy(tmp_path / "src", section, "[en, de]", GERMAN + (
        "  - {at: policy.yaml/organisation/legal_name, source: Example Ltd, text: Example Ltd}\n"
        "  - {at: policy.yaml/organisation/short_name, source: Example, text: Example}\n"
        "  - {at: policy.yaml/organisation/address, source: 1 Main Street, text: 1 Main Street}\n"
        "  - {at: policy.yaml/app/name, source: Demo, text: Demo}\n"
        "  - {at: s/blocks/2/numbered/2, source: Every edition lists this item., "
        "text: Jede Ausgabe führt diesen Punkt.}\n"))
    result = invoke("translations", src, "--format", "json")
    assert result.exit_code == 0, result.output   # nothing `only: [en]` needs German
    result = invoke("build", src, "-o", tmp_path / "out", "-f", "html")
    assert result.exit_code == 0, result.output
    en = lxml.html.parse(str(tmp_path / "out" / "en" / "privacy-policy.html")).getroot()
    de = lxml.html.parse(str(tmp_path / "out" / "de" / "privacy-policy.html")).getroot()
    assert "We send US offers." in en.text_content()
    assert "Nur in Deutschland" not in en.text_content()
    assert "Nur in Deutschland gilt diese Regel." in de.text_content()
    assert "US offers" not in de.text_content() and "Marketing" not in de.text_content()
    items = [" ".join(li.text_content().split()) for li in de.iter("li")
             if "Punkt" in li.text_content()]
    assert items == ["(a) Jede Ausgabe führt diesen Punkt."]   # numbered without the other
    assert "Only the English edition lists this item." in en.text_content()
