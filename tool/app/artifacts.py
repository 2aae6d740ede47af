"""The build artifacts generated for an app from its policy: the store forms, a privacy
manifest draft and permission strings under ``app/``, the first-run notice with each
edition. Only a policy that describes an app (``app:`` in policy.yaml) gets them."""
from __future__ import annotations

from dataclasses import dataclass

from .facts import app_facts, describes_app

APP_FOLDER = "app"


@dataclass(frozen=True)
class AppArtifact:
    path: str          # relative to the output folder
    format: str
    locale: str
    data: bytes


def app_artifacts(project, documents, templates) -> list[AppArtifact]:
    """Every app artifact of ``documents`` (the editions being built; the store forms
    are written once, from the first, the binding edition when it is built)."""
    if not documents or not describes_app(project):
        return []
    from ..render import android_strings, app_privacy, consent, data_safety, ios_strings, xcprivacy

    out: list[AppArtifact] = []
    first = app_facts(project, documents[0])
    for name, module in (("data-safety.csv", data_safety), ("app-privacy-details.json", app_privacy),
                         ("PrivacyInfo.xcprivacy", xcprivacy)):
        out.append(AppArtifact(f"{APP_FOLDER}/{name}", name, first.locale, module.render(first)))
    binding = str(project.policy.locale)
    for document in documents:
        facts = first if document is documents[0] else app_facts(project, document)
        locale = document.locale
        out.append(AppArtifact(f"{APP_FOLDER}/ios/{ios_strings.lproj(locale)}/InfoPlist.strings",
                               "InfoPlist.strings", locale, ios_strings.render(facts)))
        strings = android_strings.render(facts)
        folders = [android_strings.values_folder(locale)]
        if locale == binding:
            folders.insert(0, "values")   # the default resources: the binding language
        for folder in folders:
            out.append(AppArtifact(f"{APP_FOLDER}/android/res/{folder}/strings.xml",
                                   "strings.xml", locale, strings))
        for name, data in consent.render(facts, document.lang, templates).items():
            out.append(AppArtifact(f"{locale}/{name}", name, locale, data))
    return out
