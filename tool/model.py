"""The source format of a policy: the one definition behind validation, model and JSON Schema.

A policy is ``policy.yaml`` (facts about the policy, the organisation, the app and
its contact channels, plus the ordered list of section files) and one YAML file per
top-level section. Text fields may use inline Markdown (``**bold**``, ``*italic*``,
``[text](https://…)``), variables (``{app}``, ``{email}``) and cross-references
(``{ref:contact}``); see :mod:`policyc.inline`. Numbers are never typed: they are
generated from the structure.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal, Union

from .schema import Email, Id, IsoDate, LocaleTag, Model, Text, Url, doc

# ----------------------------------------------------------------------------- blocks


@dataclass(kw_only=True)
class ListItem(Model):
    """One item of a numbered or bulleted list."""

    NAME: ClassVar[str] = "list item"
    text: Text = doc("the item's text")
    id: Id | None = doc("id for cross-references to this item", None)
    blocks: list[Block] = doc("paragraphs and lists nested in this item", factory=list)


Item = Union[Text, ListItem]


@dataclass(kw_only=True)
class NumberedList(Model):
    """A list whose items get generated numbers (1、 / （1） or (a) / (i))."""

    NAME: ClassVar[str] = "numbered list"
    TAG: ClassVar[tuple] = ("key", "numbered")
    numbered: list[Item] = doc("the items, in order")


@dataclass(kw_only=True)
class BulletList(Model):
    """A list of unnumbered items."""

    NAME: ClassVar[str] = "bulleted list"
    TAG: ClassVar[tuple] = ("key", "bullets")
    bullets: list[Item] = doc("the items, in order")


@dataclass(kw_only=True)
class Clauses(Model):
    """Numbered paragraphs without headings, numbered like subsections: （一） or 1.1."""

    NAME: ClassVar[str] = "clauses"
    TAG: ClassVar[tuple] = ("key", "clauses")
    clauses: list[Item] = doc("the clauses, in order")


Block = Union[Text, NumberedList, BulletList, Clauses]

# ----------------------------------------------------------------------------- sections


@dataclass(kw_only=True)
class SectionBase(Model):
    """What every section has: a title, body blocks and subsections."""

    title: Text = doc("heading, without a number (numbers are generated)")
    id: Id | None = doc("id for cross-references, e.g. {ref:contact}", None)
    toc_title: Text | None = doc("shorter title for the table of contents", None)
    blocks: list[Block] = doc("paragraphs (text) and lists before any subsections",
                              factory=list)
    sections: list[Section] = doc("subsections, numbered one level down", factory=list)


@dataclass(kw_only=True)
class ProseSection(SectionBase):
    """A section of paragraphs, lists and subsections (the default type)."""

    NAME: ClassVar[str] = "section"
    TAG: ClassVar[tuple] = ("type", "prose")
    TAG_DEFAULT: ClassVar[bool] = True


@dataclass(kw_only=True)
class DataItem(Model):
    """One kind of personal information a feature uses."""

    NAME: ClassVar[str] = "data item"
    name: Text = doc("what is collected, e.g. 手机号码")
    category: Text | None = doc("type of information for the collected-data list, e.g. 设备信息", None)
    purpose: Text | None = doc("why this item is needed, when it differs from the feature's", None)
    sensitive: bool = doc("sensitive personal information (PIPL Art. 28)", False)
    required: bool = doc("needed for the feature to work (else optional)", True)
    necessity: Text | None = doc("why a sensitive item is necessary (PIPL Art. 30)", None)
    impact: Text | None = doc("the impact on the user's rights of processing a sensitive item "
                              "(PIPL Art. 30)", None)


LegalBasis = Literal["consent", "contract", "legal_obligation", "vital_interests",
                     "public_task", "legitimate_interests"]


@dataclass(kw_only=True)
class Feature(Model):
    """A business function and the personal information it collects."""

    NAME: ClassVar[str] = "feature"
    name: Text = doc("name of the feature as shown, e.g. 注册成为用户")
    id: Id | None = doc("id used by permission rows and cross-references", None)
    blocks: list[Block] = doc("how the feature uses personal information", factory=list)
    purpose: Text | None = doc("purpose of processing, for checks and the data list", None)
    data: list[DataItem] = doc("the personal information the feature collects", factory=list)
    permissions: list[Text] = doc("system permissions the feature asks for", factory=list)
    retention: Text | None = doc("how long the data is kept", None)
    method: Text | None = doc("how the data is processed, e.g. 收集、本地存储 (PIPL Art. 17)", None)
    legal_basis: LegalBasis | None = doc("the legal basis of the processing (GDPR Art. 6)", None)


@dataclass(kw_only=True)
class DataCollectedSection(SectionBase):
    """The features of the app and the personal information each one collects."""

    NAME: ClassVar[str] = "data_collected section"
    TAG: ClassVar[tuple] = ("type", "data_collected")
    features: list[Feature] = doc("the features, in order; rendered as a numbered list")


@dataclass(kw_only=True)
class PermissionRow(Model):
    """One row of the permissions table."""

    NAME: ClassVar[str] = "permission row"
    feature: Text = doc("the business function as shown in the table")
    feature_id: Id | None = doc("id of the feature (data_collected) this row belongs to", None)
    permissions: list[Text] = doc("the system permissions; empty when none", factory=list)
    purpose: Text = doc("why the permissions are used")
    asked: bool = doc("whether the user is asked before use")
    can_disable: bool = doc("whether the user can turn the permission off")


@dataclass(kw_only=True)
class PermissionsSection(SectionBase):
    """The table of system permissions: feature, permissions, purpose, asked?, can be turned off?"""

    NAME: ClassVar[str] = "permissions section"
    TAG: ClassVar[tuple] = ("type", "permissions")
    rows: list[PermissionRow] = doc("the table rows, in order")
    after: list[Block] = doc("paragraphs after the table", factory=list)


@dataclass(kw_only=True)
class Sdk(Model):
    """A third-party SDK embedded in the app (or another third party receiving data)."""

    NAME: ClassVar[str] = "SDK"
    name: Text = doc("the SDK's name, e.g. 微信SDK")
    id: Id | None = doc("id for cross-references", None)
    provider: Text | None = doc("the company that provides it", None)
    contact: Text | None = doc("how to contact the provider", None)
    purpose: Text = doc("what the app uses it for")
    method: Text | None = doc("how data reaches the third party, e.g. SDK 本机采集", None)
    scenario: Text | None = doc("when it is used", None)
    data: list[Text] = doc("the personal information it processes", factory=list)
    permissions: list[Text] = doc("system permissions it needs", factory=list)
    policy_url: Url | None = doc("link to the provider's privacy policy", None)


@dataclass(kw_only=True)
class SdksSection(SectionBase):
    """The list of third-party SDKs."""

    NAME: ClassVar[str] = "sdks section"
    TAG: ClassVar[tuple] = ("type", "sdks")
    sdks: list[Sdk] = doc("the SDKs, in order; rendered as a numbered list")
    after: list[Block] = doc("paragraphs after the list", factory=list)


RightKind = Literal["access", "copy", "portability", "correct", "delete", "cancel_account",
                    "withdraw_consent", "explanation", "object", "restrict",
                    "automated_decisions", "complaint", "requests", "other"]


@dataclass(kw_only=True)
class Right(Model):
    """A right of the user and how to exercise it; rendered as a subsection."""

    NAME: ClassVar[str] = "right"
    kind: RightKind = doc("which right this is (used by the compliance checks)")
    title: Text = doc("heading of the right, without a number")
    id: Id | None = doc("id for cross-references", None)
    blocks: list[Block] = doc("how the user exercises the right", factory=list)


@dataclass(kw_only=True)
class RightsSection(SectionBase):
    """The user's rights, each a numbered subsection."""

    NAME: ClassVar[str] = "rights section"
    TAG: ClassVar[tuple] = ("type", "rights")
    rights: list[Right] = doc("the rights, in order")


@dataclass(kw_only=True)
class ContactSection(SectionBase):
    """How to contact the organisation; channels and company details come from policy.yaml."""

    NAME: ClassVar[str] = "contact section"
    TAG: ClassVar[tuple] = ("type", "contact")
    after: list[Block] = doc("paragraphs between the contact channels and the company details",
                             factory=list)


Section = Union[ProseSection, DataCollectedSection, PermissionsSection, SdksSection,
                RightsSection, ContactSection]

# ----------------------------------------------------------------------------- policy.yaml


@dataclass(kw_only=True)
class Organisation(Model):
    """The personal information handler (controller)."""

    NAME: ClassVar[str] = "organisation"
    legal_name: Text = doc("registered name, e.g. 石家庄异业同盟信息科技有限公司; variable {org_name}")
    short_name: Text = doc("name used in the text; variable {org}")
    address: Text = doc("registered address; variable {address}")


@dataclass(kw_only=True)
class App(Model):
    """The product the policy covers."""

    NAME: ClassVar[str] = "app"
    name: Text = doc("the app's name; variable {app}")


@dataclass(kw_only=True)
class Officer(Model):
    """The personal-information protection officer (PIPL Art. 52)."""

    NAME: ClassVar[str] = "officer"
    name: Text | None = doc("name or title of the officer", None)
    email: Email | None = doc("e-mail address of the officer", None)
    phone: Text | None = doc("phone number of the officer", None)


@dataclass(kw_only=True)
class Contact(Model):
    """Contact channels, shown in the contact section and usable as variables."""

    NAME: ClassVar[str] = "contact"
    email: Email = doc("e-mail address for privacy questions; variable {email}")
    phone: Text | None = doc("service phone number; variable {phone}", None)
    service_hours: Text | None = doc("when the phone is answered, e.g. 9：30-18：00", None)
    in_app_feedback: Text | None = doc("the in-app path to the feedback form", None)
    response_days: int | None = doc("working days within which requests are answered", None)
    officer: Officer | None = doc("personal-information protection officer", None)


@dataclass(kw_only=True)
class Storage(Model):
    """Where and how long personal information is kept (GB/T 35273-2020 5.5)."""

    NAME: ClassVar[str] = "storage"
    region: Text = doc("where the data is stored, e.g. 中华人民共和国境内")
    retention: Text | None = doc("retention period of every feature that states none", None)
    cross_border: Text | None = doc("whether and how data leaves the country (PIPL Art. 38-39, "
                                    "GDPR Art. 13(1)(f)), e.g. 不向境外提供", None)


@dataclass(kw_only=True)
class Children(Model):
    """The rules for the personal information of children (PIPL Art. 31)."""

    NAME: ClassVar[str] = "children"
    age: int = doc("users younger than this are children, e.g. 14")
    guardian_consent: bool = doc("whether a parent or guardian must consent first")
    rules: Text = doc("where the dedicated rules are: a section of this policy or a link")


@dataclass(kw_only=True)
class Gdpr(Model):
    """Facts a policy under the GDPR must state (Art. 13)."""

    NAME: ClassVar[str] = "gdpr"
    representative: Text | None = doc("the controller's representative in the EU (Art. 27)", None)
    dpo: Officer | None = doc("the data protection officer (Art. 37)", None)
    supervisory_authority: Text | None = doc("the supervisory authority the user can complain "
                                             "to (Art. 77)", None)


ChangeKind = Literal["purpose", "data_types", "retention", "recipients", "ownership", "rights",
                     "contact"]


@dataclass(kw_only=True)
class MaterialChange(Model):
    """A kind of change the policy calls material (its section on updates lists them)."""

    NAME: ClassVar[str] = "material change"
    ref: Id = doc("id of the list item that words this kind of change, e.g. in the section "
                  "on updates; its text names the change in changelogs")
    kinds: list[ChangeKind] = doc("detected changes that fall under it: purpose, data_types, "
                                  "retention, recipients, ownership, rights, contact",
                                  factory=list)
    sections: list[Id] = doc("ids of sections whose rewording also falls under it",
                             factory=list)


PdfVariant = Literal["pdf/ua-1", "pdf/ua-2", "pdf/a-3b", "pdf/a-3u", "pdf/a-2b", "pdf/a-3a"]


@dataclass(kw_only=True)
class PdfSettings(Model):
    """Which PDF standard the PDFs claim (WeasyPrint checks nothing: see the README)."""

    NAME: ClassVar[str] = "PDF settings"
    variant: PdfVariant = doc("standard of the editions' PDFs: pdf/ua-1 (accessible, the "
                              "default), pdf/ua-2, or a PDF/A level", "pdf/ua-1")
    archived: PdfVariant = doc("standard of the archived editions' PDFs "
                               "(archive/<version>/…): PDF/A-3b by default, for long-term "
                               "keeping", "pdf/a-3b")


@dataclass(kw_only=True)
class Policy(Model):
    """policy.yaml: facts about the policy and the ordered list of section files."""

    NAME: ClassVar[str] = "policy.yaml"
    title: Text = doc("title of the policy, e.g. 隐私政策")
    locale: LocaleTag = doc("the binding locale: language of the wording in the section files, "
                            "e.g. zh-CN")
    locales: list[LocaleTag] = doc("every locale the policy is published in, the binding one "
                                   "included; each other locale is translated in "
                                   "translations/<locale>.yaml. Default: the binding locale",
                                   factory=list)
    version: Text = doc("version of this edition, e.g. 1.0")
    last_updated: IsoDate = doc("date of the last update (YYYY-MM-DD)")
    effective: IsoDate = doc("date this version takes effect (YYYY-MM-DD)")
    organisation: Organisation = doc("the organisation responsible for the policy")
    app: App = doc("the app the policy covers")
    contact: Contact = doc("contact channels")
    storage: Storage | None = doc("where and how long personal information is stored", None)
    children: Children | None = doc("how the personal information of children is handled", None)
    gdpr: Gdpr | None = doc("facts the GDPR requires (Art. 13)", None)
    variables: dict[Id, Text] = doc("further named facts usable in text as {name}",
                                    factory=dict)
    preamble: list[Block] = doc("paragraphs before the table of contents", factory=list)
    contents: Text | None = doc("sentence introducing the table of contents; default 目录/Contents",
                                None)
    introduction: list[Block] = doc("paragraphs after the table of contents, before the first "
                                    "section", factory=list)
    sections: list[Text] = doc("section files relative to policy.yaml, in order")
    material_changes: list[MaterialChange] = doc(
        "what counts as a material change, for `policyc diff` and the changes page; "
        "default: purposes, data types and retention; recipients; ownership; rights; contact",
        factory=list)
    base_url: Url | None = doc("the address the built site is published at, e.g. https://example.com/privacy/; relative links in the text resolve against it, and the HTML pages get canonical and hreflang links and a sitemap.xml", None)
    pdf: PdfSettings = doc("PDF standards: PDF/UA-1 for the editions, PDF/A-3b for the "
                           "archived editions, unless set here", factory=PdfSettings)


# ----------------------------------------------------------------------------- translations


@dataclass(kw_only=True)
class TranslatedText(Model):
    """One text of a translation catalog: where it goes, what it translates, the translation."""

    NAME: ClassVar[str] = "translated text"
    at: Text = doc("the text's place in the sources, e.g. collection/blocks/1 or "
                   "policy.yaml/title (see `policyc translations --help`)")
    source: Text = doc("the binding wording this translates, exactly as in the sources")
    text: Text = doc("the translation")


@dataclass(kw_only=True)
class Catalog(Model):
    """translations/<locale>.yaml: the wording of one non-binding locale."""

    NAME: ClassVar[str] = "translation catalog"
    locale: LocaleTag = doc("the locale of the translations, e.g. en")
    texts: list[TranslatedText] = doc("the translated texts", factory=list)
