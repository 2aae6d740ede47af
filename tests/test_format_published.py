"""Every structured fact the checks read is printed in every edition, and recorded in
Document.published: the reference policy and the compliant example, each locale."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REFERENCE_SRC
from policyc import model as m
from policyc.build import build
from policyc.document import plain
from policyc.project import load_project
from policyc.inline import InlineParser
from policyc.resolve import FEATURE_FACTS, POLICY_FACTS, resolve, variables_of
from policyc.translate import localize
from policyc.diagnostics import Report

COMPLIANT = Path(__file__).resolve().parent / "fixtures" / "compliant"
SDK_FACTS = ("provider", "contact", "purpose", "scenario", "method", "data", "permissions",
             "policy_url")


def _entities(project):
    def walk(section):
        yield section
        for child in section.sections:
            yield from walk(child)
    sections = [s for sf in project.sections for s in walk(sf.section)]
    features = [f for s in sections if isinstance(s, m.DataCollectedSection) for f in s.features]
    sdks = [x for s in sections if isinstance(s, m.SdksSection) for x in s.sdks]
    return features, sdks


def _given(project):
    """Every (subject/field) the sources give a value for."""
    features, sdks = _entities(project)
    out = set()
    for feature in features:
        out |= {f"feature:{feature.id or feature.name}/{name}" for name in FEATURE_FACTS
                if getattr(feature, name)}
    for sdk in sdks:
        out |= {f"sdk:{sdk.id or sdk.name}/{name}" for name in SDK_FACTS if getattr(sdk, name)}
    policy = project.policy
    out |= {f"policy/{attr}.{name}" for attr, name in POLICY_FACTS
            if getattr(policy, attr) is not None
            and getattr(getattr(policy, attr), name) is not None}
    if policy.contact.officer:
        out.add("policy/contact.officer")
    return out


@pytest.mark.parametrize("src", [REFERENCE_SRC, COMPLIANT], ids=["reference", "compliant"])
def test_every_given_fact_is_published_in_every_locale(src):
    project = load_project(src)
    given = _given(project)
    assert given
    for locale in [str(t) for t in project.policy.locales] or [str(project.policy.locale)]:
        document = resolve(project, locale=locale)
        assert given <= document.published, (locale, sorted(given - document.published))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def compliant_editions(tmp_path_factory):
    out = tmp_path_factory.mktemp("compliant")
    build(COMPLIANT, out)
    return out


def test_each_fact_value_is_in_the_html_markdown_and_pdf(compliant_editions):
    """The value of every feature and third-party fact reads in each edition's text."""
    import lxml.html
    from markdown_it import MarkdownIt
    from pdfminer.high_level import extract_text

    project = load_project(COMPLIANT)
    for locale in [str(t) for t in project.policy.locales] or [str(project.policy.locale)]:
        localized = localize(project, locale, Report(), allow_missing=True)
        variables = variables_of(localized.policy)
        folder = compliant_editions / locale
        html = _norm(lxml.html.fromstring((folder / "privacy-policy.html").read_bytes())
                     .text_content())
        md_html = MarkdownIt("commonmark").enable("table").render(
            (folder / "privacy-policy.md").read_text("utf-8"))
        markdown = _norm(lxml.html.fromstring(md_html).text_content())
        pdf = _norm(extract_text(str(folder / "privacy-policy.pdf")))
        features, sdks = _entities(localized)
        values = []
        for feature in features:
            values += [feature.purpose, feature.method, feature.retention]
            values += [item.name for item in feature.data]
        for sdk in sdks:
            values += [sdk.provider, sdk.contact, sdk.purpose, sdk.scenario, sdk.method]
            values += list(m.data_names(sdk.data)) + list(sdk.permissions)
        shown = [_norm(plain(InlineParser(variables, lambda ids: None, Report()).parse(v)))
                 for v in values if v]
        assert shown
        for value in shown:
            assert value in html, (locale, value)
            assert value in markdown, (locale, value)
            assert value in pdf, (locale, value)
