"""What the store forms, permission strings and first-run notice say, taken from the
policy in one locale: its features and data items (with their kinds, as the stores name
them), permission rows (with the Android permissions and iOS keys they stand for), SDKs,
rights, retention and contact — all as plain text with variables filled in."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import model as m
from ..diagnostics import Report
from ..document import Document, Ref, plain
from ..inline import InlineParser
from ..project import Project
from ..resolve import variables_of
from ..translate import localize
from .tables import (DataKind, PermissionTable, bundled, data_kinds, kind_of, normalize,
                     short_name, usage_keys)

PLAY_DEFAULT, APPLE_DEFAULT = "PSL_APP_FUNCTIONALITY", "APP_FUNCTIONALITY"
XCPRIVACY_DEFAULT = "NSPrivacyCollectedDataTypePurposeAppFunctionality"
NOT_LINKED = {"crash_logs", "diagnostics"}


@dataclass
class FeatureFacts:
    name: str
    purpose: str
    data: list[tuple[str, bool]]          # (item, sensitive)
    permissions: list[str]
    retention: str


@dataclass
class DataUse:
    """One kind of data as the stores ask about it, gathered from every feature."""

    kind: DataKind
    items: list[str] = field(default_factory=list)
    required: bool = False
    shared: bool = False
    purposes_text: list[str] = field(default_factory=list)

    def purposes(self, store: str) -> list[str]:
        """Purpose ids of ``store`` (play, apple, xcprivacy) the purposes' words suggest;
        app functionality when none does."""
        default = {"play": PLAY_DEFAULT, "apple": APPLE_DEFAULT,
                   "xcprivacy": XCPRIVACY_DEFAULT}[store]
        text = normalize(" ".join(self.purposes_text))
        found = {p[store] for p in bundled("data-types.json")["purposes"]
                 if any(normalize(w) in text for w in p["words"])}
        found.add(default)
        return sorted(found)

    @property
    def linked(self) -> bool:
        return self.kind.id not in NOT_LINKED


@dataclass
class PermissionUse:
    feature: str
    wording: list[str]
    purpose: str
    android: list[str]
    ios_keys: list[str]


@dataclass
class SdkFacts:
    name: str
    provider: str
    purpose: str
    data: list[str]
    policy_url: str


@dataclass
class AppFacts:
    locale: str
    language: str                       # zh or en
    title: str
    app: str
    organisation: str
    address: str
    email: str
    phone: str
    retention: str
    features: list[FeatureFacts]
    data: list[DataUse]
    permissions: list[PermissionUse]
    sdks: list[SdkFacts]
    rights: list[str]
    right_kinds: set[str]
    officer: str


def describes_app(project: Project) -> bool:
    """Whether the policy is an app's (store forms and a first-run notice apply)."""
    return getattr(project.policy, "app", None) is not None


def app_facts(project: Project, document: Document | None = None) -> AppFacts:
    """The facts of ``project`` in the wording of ``document``'s locale (default: the
    binding locale, references shown by id)."""
    locale = document.locale if document is not None else str(project.policy.locale)
    source = localize(project, locale, Report(), allow_missing=True)
    policy = source.policy
    text = _Plain(policy, document)
    sections = [s for sf in source.sections for s in _walk(sf.section)]
    features = [f for s in sections if isinstance(s, m.DataCollectedSection) for f in s.features]
    rows = [r for s in sections if isinstance(s, m.PermissionsSection) for r in s.rows]
    sdks = [x for s in sections if isinstance(s, m.SdksSection) for x in s.sdks]
    rights = [r for s in sections if isinstance(s, m.RightsSection) for r in s.rights]
    storage = policy.storage
    default_retention = text(storage.retention) if storage and storage.retention else ""
    # kinds are matched on the binding wording, whatever the locale
    binding = [f for sf in project.sections for s in _walk(sf.section)
               if isinstance(s, m.DataCollectedSection) for f in s.features]
    binding_rows = [r for sf in project.sections for s in _walk(sf.section)
                    if isinstance(s, m.PermissionsSection) for r in s.rows]
    binding_sdks = [x for sf in project.sections for s in _walk(sf.section)
                    if isinstance(s, m.SdksSection) for x in s.sdks]
    uses: dict[str, DataUse] = {}
    for feature, original in zip(features, binding):
        for item, item_original in zip(feature.data, original.data):
            kind = kind_of(str(item_original.name), str(item_original.category or ""))
            if kind is None:
                continue
            use = uses.setdefault(kind.id, DataUse(kind))
            use.items.append(text(item.name))
            use.required = use.required or item.required
            use.purposes_text += [str(original.name or ""), str(original.purpose or ""),
                                  str(item_original.purpose or "")]
    for sdk in binding_sdks:
        for item in m.data_names(sdk.data):
            kind = kind_of(str(item))
            if kind is not None and kind.id in uses:
                uses[kind.id].shared = True
    app = project.policy.app
    table = PermissionTable([(str(a.wording), [str(n) for n in a.android])
                             for a in (app.permission_aliases if app is not None else ())])
    permission_uses = []
    for row, original in zip(rows, binding_rows):
        names = {short_name(str(n)) for n in original.android}
        for wording in original.permissions:
            names |= table.resolve(wording)
        keys = sorted(k.key for k in usage_keys().values() if k.primary in names)
        permission_uses.append(PermissionUse(text(row.feature), [text(w) for w in row.permissions],
                                             text(row.purpose), sorted(names), keys))
    officer = policy.contact.officer
    return AppFacts(
        locale=locale, language="zh" if locale.lower().startswith("zh") else "en",
        title=text(policy.title), app=text(policy.app.name) if policy.app else "",
        organisation=text(policy.organisation.legal_name), address=text(policy.organisation.address),
        email=str(policy.contact.email or ""), phone=str(policy.contact.phone or ""),
        retention=default_retention,
        features=[FeatureFacts(text(f.name), text(f.purpose) if f.purpose else "",
                               [(text(i.name), i.sensitive) for i in f.data],
                               [text(p) for p in f.permissions],
                               text(f.retention) if f.retention else default_retention)
                  for f in features],
        data=sorted(uses.values(), key=lambda u: [k.id for k in data_kinds()].index(u.kind.id)),
        permissions=permission_uses,
        sdks=[SdkFacts(text(s.name), text(s.provider) if s.provider else "",
                       text(s.purpose) if s.purpose else "",
                       [text(d) for d in m.data_names(s.data)], str(s.policy_url or ""))
              for s in sdks],
        rights=[text(r.title) for r in rights], right_kinds={k for r in rights for k in r.all_kinds()},
        officer=str(officer.email or officer.phone or "") if officer else "")


def _walk(section: m.SectionBase):
    yield section
    for child in section.sections:
        yield from _walk(child)


class _Plain:
    """Source text as plain text: variables filled in, markup dropped, references named
    by the headings they point to."""

    def __init__(self, policy: m.Policy, document: Document | None):
        self.headings = {s.anchor: s.number + plain(s.title)
                         for s in (document.walk() if document is not None else ())}
        self.parser = InlineParser(variables_of(policy), self._ref, Report())

    def _ref(self, ids: list[str]) -> Ref:
        return Ref("、".join(self.headings.get(i, i) for i in ids), ids[0])

    def __call__(self, value) -> str:
        if not value:
            return ""
        return " ".join(plain(self.parser.parse(value)).split())
