"""The data policyc matches an app against, bundled in ``data/`` (sources and licences
in ``data/README.md``): Android permissions with their AOSP labels in English and
Chinese, wordings real policies use, iOS purpose-string keys, kinds of personal data as
the app stores name them, and the SDK catalogue."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PERMISSION_PREFIX = "android.permission."
_PREFIXES = ("获取", "访问", "使用", "申请", "允许", "调用", "开启", "access", "use")
_SUFFIXES = ("的权限", "权限", "permission", "permissions")


@lru_cache(maxsize=None)
def bundled(name: str) -> dict:
    """A data file of ``data/`` as JSON."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def normalize(wording: str) -> str:
    """Wording as compared: full-width folded, case-folded, without spaces and
    punctuation; WLAN and Wi-Fi both read as wifi."""
    text = unicodedata.normalize("NFKC", wording).casefold()
    text = "".join(ch for ch in text if not unicodedata.category(ch)[0] in "PZS")
    return text.replace("wlan", "wifi")


def short_name(permission: str) -> str:
    """CAMERA for android.permission.CAMERA; other names as they are."""
    return permission[len(PERMISSION_PREFIX):] if permission.startswith(PERMISSION_PREFIX) \
        else permission


# --------------------------------------------------------------------------- permissions


@dataclass(frozen=True)
class Permission:
    name: str                    # short name, e.g. ACCESS_FINE_LOCATION
    protection: str              # normal or dangerous
    group: str | None
    api: tuple[int, int]
    labels: dict[str, tuple[str, ...]]     # en / zh → labels, newest first

    @property
    def dangerous(self) -> bool:
        return self.protection == "dangerous"

    def label(self, language: str) -> str:
        labels = self.labels.get(language) or self.labels.get("en") or (self.name,)
        return labels[0]


class PermissionTable:
    """Android permissions by name, and the wordings that name them."""

    def __init__(self, extra_aliases: list[tuple[str, list[str]]] = ()):
        self.permissions, bundled_index = _bundled_permissions()
        self.index = dict(bundled_index)
        for wording, names in extra_aliases:
            key = normalize(wording)
            self.index[key] = self.index.get(key, frozenset()) | {short_name(n) for n in names}

    def get(self, name: str) -> Permission | None:
        return self.permissions.get(short_name(name))

    def resolve(self, wording: str) -> frozenset[str]:
        """The permissions a policy's wording names (empty when none is recognised)."""
        key = normalize(wording)
        for candidate in _variants(key):
            if candidate in self.index:
                return self.index[candidate]
        return frozenset()


@lru_cache(maxsize=None)
def _bundled_permissions() -> tuple[dict[str, Permission], dict[str, frozenset[str]]]:
    """The bundled permissions, and every label, group name and alias → permissions."""
    data = bundled("android-permissions.json")
    permissions = {
        name: Permission(name, info["protection"], info.get("group"), tuple(info["api"]),
                         {"en": tuple(info["en"]), "zh": tuple(info["zh"])})
        for name, info in data["permissions"].items()}
    index: dict[str, set[str]] = {}
    def add(wording: str, names) -> None:
        index.setdefault(normalize(wording), set()).update(names)
    for permission in permissions.values():
        for labels in permission.labels.values():
            for label in labels:
                add(label, [permission.name])
    for group in data["groups"].values():
        add(group["zh"], group["permissions"])
        add(group["en"], group["permissions"])
    for wording, names in bundled("permission-aliases.json")["aliases"].items():
        add(wording, names)
    return permissions, {key: frozenset(names) for key, names in index.items()}


# permissions split up by later Android releases: declaring one covers the other
_SUCCESSORS = {
    "READ_EXTERNAL_STORAGE": ("READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO", "READ_MEDIA_AUDIO",
                              "READ_MEDIA_VISUAL_USER_SELECTED"),          # Android 13, 14
    "BLUETOOTH": ("BLUETOOTH_CONNECT",), "BLUETOOTH_ADMIN": ("BLUETOOTH_SCAN", "BLUETOOTH_ADVERTISE"),
    "BODY_SENSORS": ("BODY_SENSORS_BACKGROUND",),
}
_RELATED = {name: set(successors) for name, successors in _SUCCESSORS.items()}
for _name, _successors in _SUCCESSORS.items():
    for _successor in _successors:
        _RELATED.setdefault(_successor, set()).add(_name)


def covered(names) -> frozenset[str]:
    """``names`` with the permissions an Android release split them into or from
    (READ_EXTERNAL_STORAGE and READ_MEDIA_IMAGES, BLUETOOTH and BLUETOOTH_CONNECT …)."""
    out = set(names)
    for name in names:
        out |= _RELATED.get(name, set())
    return frozenset(out)


def _variants(key: str):
    """``key``, then without a leading verb (获取 …) and a trailing 权限/permission."""
    yield key
    stripped = key
    for _ in range(2):
        for prefix in _PREFIXES:
            if stripped.startswith(prefix) and len(stripped) > len(prefix):
                stripped = stripped[len(prefix):]
                yield stripped
        for suffix in _SUFFIXES:
            if stripped.endswith(suffix) and len(stripped) > len(suffix):
                stripped = stripped[:-len(suffix)]
                yield stripped


# --------------------------------------------------------------------------- iOS keys


@dataclass(frozen=True)
class UsageKey:
    key: str
    android: frozenset[str]
    primary: str                 # the permission whose declaration calls for this key
    names: dict[str, str]        # en / zh


@lru_cache(maxsize=None)
def usage_keys() -> dict[str, UsageKey]:
    return {key: UsageKey(key, frozenset(info["android"]), info["android"][0], {"en": info["en"], "zh": info["zh"]})
            for key, info in bundled("ios-usage.json")["keys"].items()}


# --------------------------------------------------------------------------- data kinds


@dataclass(frozen=True)
class DataKind:
    id: str
    play_category: str           # e.g. PERSONAL (question PSL_DATA_TYPES_PERSONAL)
    play_type: str               # e.g. PSL_PHONE
    apple: str                   # App Store Connect category, e.g. PHONE_NUMBER
    xcprivacy: str               # NSPrivacyCollectedDataType…
    names: dict[str, str]
    words: tuple[str, ...]


@lru_cache(maxsize=None)
def data_kinds() -> tuple[DataKind, ...]:
    return tuple(DataKind(k["id"], k["play"][0], k["play"][1], k["apple"], k["xcprivacy"],
                          {"en": k["en"], "zh": k["zh"]},
                          tuple(normalize(w) for w in k["words"]))
                 for k in bundled("data-types.json")["kinds"])


def kind_of(*wordings: str) -> DataKind | None:
    """The first kind whose words occur in one of ``wordings`` (a data item's name, then
    its category)."""
    for wording in wordings:
        if not wording:
            continue
        text = normalize(wording)
        for kind in data_kinds():
            if any(word and word in text for word in kind.words):
                return kind
    return None


# --------------------------------------------------------------------------- SDKs


@dataclass(frozen=True)
class CatalogueSdk:
    id: str
    names: dict[str, str]                  # en / zh
    aliases: tuple[str, ...]
    providers: dict[str, str]
    policy_url: str
    gradle: tuple[str, ...]
    packages: tuple[str, ...]
    pods: tuple[str, ...]
    meta_data: tuple[str, ...]
    plugins: tuple[str, ...]
    domains: tuple[str, ...]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]

    def provider(self, language: str) -> str:
        return self.providers.get(language) or self.providers.get("en", "")

    @property
    def android(self) -> bool:
        return bool(self.gradle or self.packages or self.meta_data or self.plugins)

    @property
    def ios(self) -> bool:
        return bool(self.pods)

    def match(self, kind: str, value: str) -> int:
        """How specifically this SDK matches one trace of the build (0: not at all)."""
        if kind == "gradle":
            best = 0
            for pattern in self.gradle:
                if pattern.endswith(":*"):
                    if value.split(":")[0] == pattern[:-2]:
                        best = max(best, len(pattern) - 2)
                elif value == pattern:
                    best = max(best, len(pattern) + 1000)
            return best
        if kind == "package":
            return max((len(p) for p in self.packages if value == p or value.startswith(p + ".")),
                       default=0)
        candidates = {"pod": self.pods, "meta": self.meta_data, "plugin": self.plugins}.get(kind, ())
        return 1000 if value in candidates else 0


def _sdk_name_key(name: str) -> str:
    key = normalize(name)
    return key[:-3] if key.endswith("sdk") and len(key) > 3 else key


# Where a policy's name for an SDK joins several names: brackets, slashes, list marks, and
# a space between Chinese and Latin words (极光推送（JPush）, 极光推送 JPush, 个推/Getui).
NAME_PARTS = re.compile(r"[（）()【】\[\]/／、,，;；|]+|(?<=[^\x00-\x7f])\s+(?=[A-Za-z0-9])|"
                        r"(?<=[A-Za-z0-9])\s+(?=[^\x00-\x7f])")


def name_parts(name: str) -> list[str]:
    """``name`` itself, then each name it joins: 极光推送（JPush） gives 极光推送 and JPush."""
    parts = [part.strip() for part in NAME_PARTS.split(name) if part.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


class Catalogue:
    """The SDKs policyc recognises, bundled and added by the project."""

    def __init__(self, entries: list[CatalogueSdk]):
        self.sdks = {sdk.id: sdk for sdk in entries}
        self.by_name: dict[str, CatalogueSdk] = {}
        self.by_provider: dict[str, list[CatalogueSdk]] = {}
        for sdk in self.sdks.values():
            for name in (*sdk.names.values(), *sdk.aliases, sdk.id):
                self.by_name.setdefault(_sdk_name_key(name), sdk)
            for provider in {normalize(p) for p in sdk.providers.values() if p}:
                self.by_provider.setdefault(provider, []).append(sdk)

    def identify(self, kind: str, value: str) -> CatalogueSdk | None:
        """The SDK one trace of the build belongs to (the most specific match)."""
        best, score = None, 0
        for sdk in self.sdks.values():
            found = sdk.match(kind, value)
            if found > score:
                best, score = sdk, found
        return best

    def listed_as(self, sdk_id: str, name: str, provider: str = "") -> CatalogueSdk | None:
        """The SDK a policy's entry is, by identity: its ``id``; its name, or any name it
        joins (极光推送（JPush）), being a name or alias of one; else its provider's only
        SDK, or the one of the provider's SDKs whose name or alias its name contains."""
        if sdk_id in self.sdks:
            return self.sdks[sdk_id]
        for part in name_parts(name):
            if part and (sdk := self.by_name.get(_sdk_name_key(part))):
                return sdk
        provided = self.by_provider.get(normalize(provider), []) if provider else []
        if len(provided) == 1:
            return provided[0]
        written = _sdk_name_key(name)
        within = [sdk for sdk in provided
                  if any(len(key) > 1 and key in written for key in
                         map(_sdk_name_key, (*sdk.names.values(), *sdk.aliases)))]
        return within[0] if len(within) == 1 else None

    def owner_of(self, domain: str) -> CatalogueSdk | None:
        for sdk in self.sdks.values():
            if any(domain == d or domain.endswith("." + d) for d in sdk.domains):
                return sdk
        return None


def catalogue_entry(data: dict) -> CatalogueSdk:
    """A catalogue entry from its JSON form (``data/sdks.json``)."""
    def names(value) -> dict[str, str]:
        return dict(value) if isinstance(value, dict) else {"en": str(value), "zh": str(value)}
    return CatalogueSdk(
        id=data["id"], names=names(data["name"]), aliases=tuple(data.get("aliases", ())),
        providers=names(data.get("provider", "")), policy_url=data.get("policy_url", ""),
        gradle=tuple(data.get("gradle", ())), packages=tuple(data.get("packages", ())),
        pods=tuple(data.get("pods", ())), meta_data=tuple(data.get("meta_data", ())),
        plugins=tuple(data.get("plugins", ())), domains=tuple(data.get("domains", ())))


@lru_cache(maxsize=None)
def bundled_catalogue() -> tuple[CatalogueSdk, ...]:
    return tuple(catalogue_entry(entry) for entry in bundled("sdks.json")["sdks"])
