"""A project's own SDK catalogue (``app.sdk_catalogue`` in policy.yaml): further SDKs, or
bundled ones corrected by id, in the same shape as policyc's ``data/sdks.json``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..diagnostics import Report
from ..schema import Model, Text, doc
from .tables import Catalogue, CatalogueSdk, bundled_catalogue, catalogue_entry


@dataclass(kw_only=True)
class CatalogueEntry(Model):
    """One SDK: how to recognise it in a build, and what the policy should say about it."""

    NAME: ClassVar[str] = "catalogue SDK"
    id: Text = doc("a stable id; an entry with a bundled entry's id replaces it")
    name: Text = doc("the SDK's name, e.g. 某某推送SDK")
    name_en: Text | None = doc("its English name, when it differs", None)
    aliases: list[Text] = doc("other names a policy may call it by", factory=list)
    provider: Text | None = doc("the company providing it", None)
    provider_en: Text | None = doc("the provider's English name", None)
    policy_url: Text | None = doc("the provider's privacy policy", None)
    gradle: list[Text] = doc("Maven coordinates group:artifact, or group:* for a group",
                             factory=list)
    packages: list[Text] = doc("Java/Kotlin package prefixes of its classes", factory=list)
    pods: list[Text] = doc("CocoaPods names", factory=list)
    meta_data: list[Text] = doc("AndroidManifest meta-data keys it reads", factory=list)
    plugins: list[Text] = doc("Gradle plugin ids", factory=list)
    domains: list[Text] = doc("domains it sends data to", factory=list)


@dataclass(kw_only=True)
class CatalogueFile(Model):
    NAME: ClassVar[str] = "SDK catalogue"
    sdks: list[CatalogueEntry] = doc("the SDKs")


def load_catalogue(path: Path | None, report: Report) -> Catalogue:
    """The bundled catalogue, extended by the project's file at ``path`` (if any)."""
    entries: dict[str, CatalogueSdk] = {sdk.id: sdk for sdk in bundled_catalogue()}
    if path is not None:
        from ..sources import read_source

        _, value, _ = read_source(path, CatalogueFile, "SDK catalogue", report)
        for entry in value.sdks if value is not None else ():
            entries[str(entry.id)] = catalogue_entry({
                "id": str(entry.id),
                "name": {"zh": str(entry.name), "en": str(entry.name_en or entry.name)},
                "aliases": [str(a) for a in entry.aliases],
                "provider": {"zh": str(entry.provider or ""),
                             "en": str(entry.provider_en or entry.provider or "")},
                "policy_url": str(entry.policy_url or ""),
                **{key: [str(v) for v in getattr(entry, key)]
                   for key in ("gradle", "packages", "pods", "meta_data", "plugins", "domains")}})
    return Catalogue(list(entries.values()))
