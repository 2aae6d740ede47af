"""The source format of a policy: the one definition behind validation, model and JSON Schema.

A policy is ``policy.yaml`` (facts about the policy, the organisation, the app and
its contact channels, plus the ordered list of section files) and one YAML file per
top-level section. Text fields may use inline Markdown (``**bold**``, ``*italic*``,
``[text](https://…)``), variables (``{app}``, ``{email}``) and cross-references
(``{ref:contact}``); see :mod:`policyc.inline`. Numbers are never typed: they are
generated from the structure.
"""
from __future__ import annotations

import json as _json
from dataclasses import dataclass
from typing import ClassVar, Literal, Union

from .app_types import NAMES as APP_TYPE_NAMES
from .diagnostics import Loc
from .locales import numbering_problem
from .schema import Email, Id, IsoDate, LocaleTag, Model, Text, Url, doc, json_schema



class AndroidPermission(Text):
    """The name of an Android permission: CAMERA or android.permission.CAMERA."""

    pattern = r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*"
    describe = "Android permission name such as ACCESS_FINE_LOCATION"


class PackageName(Text):
    """An SDK's package name: an Android package or an iOS bundle id (a fact, never translated)."""

    pattern = r"[A-Za-z][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)+"
    describe = "package name such as com.tencent.mm.opensdk"


class FilePath(Text):
    """A path relative to policy.yaml (a fact, not wording: never translated)."""

    describe = "path"


class Phrase(Text):
    """Wording that is matched against the policy's text, never printed or translated."""

    describe = "wording as the policy writes it"


class NumberStyle(Text):
    """How one level is numbered, written as its first number looks: 一、 （一） 1. 1.1 a) (i) …"""

    describe = "numbering style (一、 （一） 1、 （1） 1. 1.1 a) (a) A. i. (i) I. or none)"

    @classmethod
    def problem(cls, value: str) -> str | None:
        return numbering_problem(value)


class Setting(Text):
    """A value that is configuration, not wording (never translated): a file path, a
    front-matter value."""

    describe = "text"

# ----------------------------------------------------------------------------- blocks


@dataclass(kw_only=True)
class ListItem(Model):
    """One item of a numbered or bulleted list."""

    NAME: ClassVar[str] = "list item"
    title: Text | None = doc("a run-in title printed in bold before the text, e.g. "
                             "获取个人信息副本 → （六）**获取个人信息副本**：您可以…", None)
    text: Text = doc("the item's text")
    id: Id | None = doc("id for cross-references to this item", None)
    blocks: list[Block] = doc("paragraphs and lists nested in this item", factory=list)
    emphasis: bool = doc("key content printed in bold in every edition (HTML, Markdown, "
                         "PDF, Word), as the CAC asks of key content", False)


Item = Union[Text, ListItem]


@dataclass(kw_only=True)
class Paragraph(Model):
    """A paragraph written as a mapping, for what plain text cannot say: `emphasis`."""

    NAME: ClassVar[str] = "paragraph"
    TAG: ClassVar[tuple] = ("key", "text")
    text: Text = doc("the paragraph's text")
    emphasis: bool = doc("key content printed in bold in every edition (HTML, Markdown, "
                         "PDF, Word), as the CAC asks of key content", False)


@dataclass(kw_only=True)
class NumberedList(Model):
    """A list whose items get generated numbers (1、 / （1） or (a) / (i))."""

    NAME: ClassVar[str] = "numbered list"
    TAG: ClassVar[tuple] = ("key", "numbered")
    numbered: list[Item] = doc("the items, in order")
    style: NumberStyle | None = doc("this list's numbering, written as its first number looks, "
                                    "e.g. （1） or a); default: the policy's list level", None)
    emphasis: bool = doc("every item printed in bold in every edition (HTML, Markdown, "
                         "PDF, Word), as the CAC asks of every item", False)


@dataclass(kw_only=True)
class BulletList(Model):
    """A list of unnumbered items."""

    NAME: ClassVar[str] = "bulleted list"
    TAG: ClassVar[tuple] = ("key", "bullets")
    bullets: list[Item] = doc("the items, in order")
    emphasis: bool = doc("every item printed in bold in every edition (HTML, Markdown, "
                         "PDF, Word), as the CAC asks of every item", False)


@dataclass(kw_only=True)
class Clauses(Model):
    """Numbered paragraphs without headings, numbered like subsections: （一） or 1.1."""

    NAME: ClassVar[str] = "clauses"
    TAG: ClassVar[tuple] = ("key", "clauses")
    clauses: list[Item] = doc("the clauses, in order")
    emphasis: bool = doc("every clause printed in bold in every edition (HTML, Markdown, "
                         "PDF, Word), as the CAC asks of every clause", False)


class Cell(Text):
    """The text of a table cell: inline text like a paragraph's, and may be empty ("")."""

    allow_empty = True


@dataclass(kw_only=True)
class TableContent(Model):
    """A table's caption, header row and rows."""

    NAME: ClassVar[str] = "table"
    caption: Text | None = doc("a title printed above the table", None)
    header: list[Cell] = doc("the header row: one cell per column, e.g. [Name, Purpose]")
    rows: list[list[Cell]] = doc("the rows, each a list of cells in column order; a row with "
                                 "fewer cells than the header ends in empty cells",
                                 factory=list)

    def problems(self) -> list[tuple[Loc, str]]:
        """A header without cells, and rows with more cells than the header."""
        if self.header is None:
            return []   # reported as missing
        if not self.header:
            return [(self.loc, "the table's `header` has no cells; write one per column")]
        width = len(self.header)
        return [(row[width].loc, f"row {k} of the table has {len(row)} cells but the header "
                                 f"has {width}; remove a cell or add a column to the header")
                for k, row in enumerate(self.rows, 1) if len(row) > width]


@dataclass(kw_only=True)
class Table(Model):
    """A table of text: a header row and rows of cells (inline text: links, emphasis)."""

    NAME: ClassVar[str] = "table"
    TAG: ClassVar[tuple] = ("key", "table")
    table: TableContent = doc("the table: `caption` (optional), `header` and `rows`")


Block = Union[Text, Paragraph, NumberedList, BulletList, Clauses, Table]

# ----------------------------------------------------------------------------- sections

SectionRole = Literal["scope", "definitions", "collection", "use", "permissions", "cookies",
                      "sdks", "third_parties", "sharing", "transfers", "storage", "security",
                      "rights", "children", "automated_decisions", "updates", "contact",
                      "other"]


@dataclass(kw_only=True)
class SectionBase(Model):
    """What every section has: a title, body blocks and subsections."""

    title: Text | None = doc("heading, without a number (numbers are generated); without it "
                             "the section prints no heading and is not in the contents", None)
    id: Id | None = doc("id for cross-references, e.g. {ref:contact}", None)
    role: SectionRole | None = doc("what the section is about, for the checks: scope, "
                                   "definitions, collection, use, permissions, cookies, sdks, "
                                   "third_parties, sharing, transfers, storage, security, "
                                   "rights, children, automated_decisions, updates, contact, "
                                   "other", None)
    toc_title: Text | None = doc("shorter title for the table of contents (top-level "
                                 "sections and, with `contents_depth`, subsections)", None)
    blocks: list[Block] = doc("paragraphs (text) and lists before the structured part and "
                              "any subsections", factory=list)
    after: list[Block] = doc("paragraphs and lists after the structured part (features, "
                             "table, SDKs, rights, contact lines); numbered clauses and lists "
                             "here continue the structured part's numbering", factory=list)
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
    id: Id | None = doc("id by which an SDK's `data` may name this item", None)
    aliases: list[Text] = doc("other names of this item, as third parties word it, e.g. "
                              "面部特征 for 人脸信息; an SDK's `data` may use them", factory=list)
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
    name: Text | None = doc("name of the feature as shown, e.g. 注册成为用户; without it the "
                            "feature is a numbered paragraph (its first block)", None)
    id: Id | None = doc("id used by permission rows and cross-references", None)
    blocks: list[Block] = doc("how the feature uses personal information", factory=list)
    purpose: Text | None = doc("purpose of processing, for checks and the data list", None)
    data: list[DataItem] = doc("the personal information the feature collects", factory=list)
    permissions: list[Text] = doc("system permissions the feature asks for", factory=list)
    frequency: Text | None = doc("how often the feature calls its permissions, e.g. 仅在您扫码时"
                                 "调用一次 (CAC draft on apps, 2026: permissions and their "
                                 "frequency per function)", None)
    retention: Text | None = doc("how long the data is kept", None)
    on_expiry: Text | None = doc("what happens to the data when the retention period ends, e.g. "
                                 "删除或匿名化处理 (网络数据安全管理条例 Art. 21)", None)
    method: Text | None = doc("how the data is processed, e.g. 收集、本地存储 (PIPL Art. 17)", None)
    legal_basis: LegalBasis | None = doc("the legal basis of the processing (GDPR Art. 6)", None)


@dataclass(kw_only=True)
class DataCollectedSection(SectionBase):
    """The features of the app and the personal information each one collects."""

    NAME: ClassVar[str] = "data_collected section"
    TAG: ClassVar[tuple] = ("type", "data_collected")
    features: list[Feature] = doc("the features, in order; rendered as a numbered list")
    layout: Literal["numbered", "bullets", "paragraphs"] | None = doc(
        "numbered (default), bullets, or paragraphs (each entry's lines in a row, no list)",
        None)


@dataclass(kw_only=True)
class PermissionRow(Model):
    """One row of the permissions table."""

    NAME: ClassVar[str] = "permission row"
    feature: Text = doc("the business function as shown in the table")
    feature_id: Id | None = doc("id of the feature (data_collected) this row belongs to", None)
    permissions: list[Text] = doc("the system permissions; empty when none", factory=list)
    android: list[AndroidPermission] = doc("the Android permissions of this row by name, e.g. "
                              "ACCESS_FINE_LOCATION, when the wording alone does not say",
                              factory=list)
    purpose: Text = doc("why the permissions are used")
    frequency: Text | None = doc("how often the permissions are called, e.g. 每次打开扫码页时 "
                                 "(CAC draft on apps, 2026)", None)
    asked: bool = doc("whether the user is asked before use")
    can_disable: bool = doc("whether the user can turn the permission off")


@dataclass(kw_only=True)
class PermissionsSection(SectionBase):
    """The table of system permissions: feature, permissions, purpose, asked?, can be turned off?"""

    NAME: ClassVar[str] = "permissions section"
    TAG: ClassVar[tuple] = ("type", "permissions")
    rows: list[PermissionRow] = doc("the table rows, in order")


@dataclass(kw_only=True)
class SdkData(Model):
    """Personal information a third party receives, with its own purpose or finer items."""

    NAME: ClassVar[str] = "third-party data item"
    name: Text = doc("what is shared, e.g. 设备信息")
    purpose: Text | None = doc("why this item is shared, when it differs from the SDK's", None)
    sensitive: bool = doc("sensitive personal information (PIPL Art. 28)", False)
    items: list[SdkDataEntry] = doc("finer items, e.g. IMEI, OAID under 设备信息", factory=list)


SdkDataEntry = Union[Text, SdkData]


@dataclass(kw_only=True)
class SdkLink(Model):
    """A link about a third party: its privacy policy, data-processing notes, a user guide."""

    NAME: ClassVar[str] = "link"
    title: Text = doc("what the link is, e.g. 隐私政策 or Sub-processor list")
    url: Url = doc("the address (http, https or mailto)")
    text: Text | None = doc("the link's text, when it is not the address itself", None)


@dataclass(kw_only=True)
class Sdk(Model):
    """A third party receiving data: an SDK in the app, a payment provider, a processor, an
    ad network, a category of recipients."""

    NAME: ClassVar[str] = "SDK"
    name: Text = doc("the SDK's or recipient's name, e.g. 微信SDK")
    id: Id | None = doc("id for cross-references", None)
    package: PackageName | None = doc("the SDK's package name as the national SDK platform registers "
                                  "it: the Android package (com.tencent.mm.opensdk) or the iOS "
                                  "bundle id; printed as 名称（包名）", None)
    version: Setting | None = doc("the SDK version the app embeds, e.g. 6.8.24 (`policyc check "
                                  "--app` compares it with the build)", None)
    function: Text | None = doc("the SDK's main function, e.g. 消息推送 (CAC draft on apps, "
                                "2026: SDK list)", None)
    provider: Text | None = doc("the company that provides it", None)
    contact: Text | None = doc("how to contact the provider", None)
    purpose: Text | None = doc("what the app uses it for", None)
    scenario: Text | None = doc("when it is used", None)
    method: Text | None = doc("how data reaches the third party, e.g. SDK 本机采集", None)
    data: list[SdkDataEntry] = doc("the personal information it processes: names, or items "
                                   "with a purpose and finer items", factory=list)
    permissions: list[Text] = doc("system permissions it needs", factory=list)
    policy_url: Url | None = doc("link to the provider's privacy policy", None)
    links: list[SdkLink] = doc("further links: data-processing notes, a user guide, a "
                               "sub-processor list", factory=list)
    blocks: list[Block] = doc("free text about this third party, printed after its name",
                              factory=list)


def data_names(entries: list) -> list[Text]:
    """The names of a third party's data items, finer items included, in order."""
    out: list[Text] = []
    for entry in entries:
        if isinstance(entry, SdkData):
            out.append(entry.name)
            out.extend(data_names(entry.items))
        else:
            out.append(entry)
    return out


@dataclass(kw_only=True)
class SdksSection(SectionBase):
    """The list of third-party SDKs or other recipients."""

    NAME: ClassVar[str] = "sdks section"
    TAG: ClassVar[tuple] = ("type", "sdks")
    sdks: list[Sdk] = doc("the SDKs, in order; rendered as a numbered list")
    layout: Literal["numbered", "bullets", "paragraphs"] | None = doc(
        "numbered (default), bullets, or paragraphs (each entry's lines in a row, no list)",
        None)


RightKind = Literal["access", "copy", "portability", "correct", "delete", "cancel_account",
                    "withdraw_consent", "explanation", "object", "restrict",
                    "automated_decisions", "complaint", "requests", "other"]


@dataclass(kw_only=True)
class Right(Model):
    """A right of the user and how to exercise it; rendered as a subsection."""

    NAME: ClassVar[str] = "right"
    kind: RightKind = doc("which right this is (used by the compliance checks)")
    title: Text | None = doc("heading of the right, without a number; without it the right is "
                             "a numbered paragraph (its first block)", None)
    id: Id | None = doc("id for cross-references", None)
    blocks: list[Block] = doc("how the user exercises the right", factory=list)
    run_in: bool = doc("among subsections, print this right as a numbered paragraph with "
                       "its title run in (（六）**获取个人信息副本**：…) instead of a heading",
                       False)


@dataclass(kw_only=True)
class RightsSection(SectionBase):
    """The user's rights, each a numbered subsection."""

    NAME: ClassVar[str] = "rights section"
    TAG: ClassVar[tuple] = ("type", "rights")
    rights: list[Right] = doc("the rights, in order")
    layout: Literal["subsections", "clauses", "bullets"] | None = doc(
        "subsections (a numbered heading per right; the default when rights have titles), "
        "clauses (numbered paragraphs, the title run in: （一）**删除**：…; the default without "
        "titles) or bullets (a bulleted list, the title run in: • **Right to Know.** You …)",
        None)


ChannelLine = Literal["email", "phone", "in_app_feedback", "officer", "postal_address",
                      "complaint"]
DetailLine = Literal["organisation", "address", "postcode"]


@dataclass(kw_only=True)
class ContactSection(SectionBase):
    """How to contact the organisation; channels and company details come from policy.yaml.

    Printed in order: `blocks`, the channel lines, `after`, the company lines."""

    NAME: ClassVar[str] = "contact section"
    TAG: ClassVar[tuple] = ("type", "contact")
    channels: list[ChannelLine] | None = doc(
        "which contact lines to print, in this order (default: email, phone, in_app_feedback, "
        "officer, postal_address, complaint — each when given); [] prints none", None)
    details: list[DetailLine] | None = doc(
        "which company lines to print after `after`, in this order (default: organisation, "
        "address, postcode); [] prints none", None)


Section = Union[ProseSection, DataCollectedSection, PermissionsSection, SdksSection,
                RightsSection, ContactSection]

# ----------------------------------------------------------------------------- policy.yaml


@dataclass(kw_only=True)
class Organisation(Model):
    """The personal information handler (controller)."""

    NAME: ClassVar[str] = "organisation"
    legal_name: Text = doc("registered name, e.g. 石家庄异业同盟信息科技有限公司; variable {org_name}")
    short_name: Text = doc("name used in the text; variable {org}")
    address: Text | None = doc("registered address; variable {address}", None)


@dataclass(kw_only=True)
class PermissionAlias(Model):
    """A wording of the policy and the Android permissions it stands for."""

    NAME: ClassVar[str] = "permission alias"
    wording: Phrase = doc("the wording as the policy writes it, e.g. 获取设备信息")
    android: list[AndroidPermission] = doc("the permissions it names, e.g. READ_PHONE_STATE")


@dataclass(kw_only=True)
class App(Model):
    """The product the policy covers."""

    NAME: ClassVar[str] = "app"
    name: Text = doc("the app's name; variable {app}")
    build: list[FilePath] = doc("the app's build, checked against the policy by `policyc check`: "
                            "paths relative to policy.yaml of an AndroidManifest.xml, an .apk, "
                            "build.gradle(.kts), gradle/libs.versions.toml, a Podfile, "
                            "Info.plist, PrivacyInfo.xcprivacy, or a folder holding them",
                            factory=list)
    permission_aliases: list[PermissionAlias] = doc(
        "further wordings of Android permissions that this policy uses", factory=list)
    sdk_catalogue: FilePath | None = doc("a YAML file (relative to policy.yaml) of further SDKs "
                                     "to recognise in the build, extending policyc's catalogue",
                                     None)


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
    email: Email | None = doc("e-mail address for privacy questions; variable {email}", None)
    phone: Text | None = doc("service phone number; variable {phone}", None)
    service_hours: Text | None = doc("when the phone is answered, e.g. 9：30-18：00", None)
    in_app_feedback: Text | None = doc("the in-app path to the feedback form", None)
    response_days: int | None = doc("working days within which requests are answered", None)
    officer: Officer | None = doc("personal-information protection officer", None)
    postal_address: Text | None = doc("postal address for requests, when it differs from the "
                                      "registered one; variable {postal_address}", None)
    postcode: Text | None = doc("postcode of the postal (or registered) address", None)
    complaint: Text | None = doc("where to complain, e.g. an authority or a dispute body", None)
    web_form: Url | None = doc("address of a web form for requests", None)

    CHANNELS: ClassVar[tuple] = ("email", "phone", "in_app_feedback", "officer",
                                 "postal_address", "web_form")

    def channels_given(self) -> list[str]:
        """The contact channels this policy gives (at least one is required)."""
        return [name for name in self.CHANNELS if getattr(self, name)]


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


@dataclass(kw_only=True)
class Numbering(Model):
    """Numbering per level: each level written as its first number looks."""

    NAME: ClassVar[str] = "numbering"
    sections: list[NumberStyle] = doc("section levels, top first, e.g. [一、, （一）] or [1., 1.1, "
                                      "1.1.1] or [none]; the last repeats deeper down",
                                      factory=list)
    lists: list[NumberStyle] = doc("numbered-list levels, outermost first, e.g. [1、, （1）] or "
                                   "[a), i)]; the last repeats deeper down", factory=list)


@dataclass(kw_only=True)
class DateLines(Model):
    """Wording of the lines under the title; each prints only when its fact is given."""

    NAME: ClassVar[str] = "dates"
    last_updated: Text | None = doc("line of the last update, {date} where the date goes, "
                                    "e.g. '*Last updated: {date}*' or 本版更新日期：{date}", None)
    effective: Text | None = doc("line of the effective date, e.g. 生效日期：{date}", None)
    version: Text | None = doc("line of the version, e.g. 'Version {version}' (printed only "
                               "when given)", None)
    lines: list[Literal["version", "last_updated", "effective"]] | None = doc(
        "which lines print, in this order (default: version when worded, last_updated, "
        "effective); [] prints none", None)
    format: Setting | None = doc("how dates are written: YYYY, MM (zero-padded), M, DD, D, "
                                 "MMMM (month name), e.g. 'YYYY 年 MM 月 DD 日' → 2022 年 02 月 "
                                 "17 日; default: the locale's", None)


NumberingChoice = Union[NumberStyle, Numbering]
PaperSize = Literal["A4", "A5", "Letter", "Legal"]

ChangeKind = Literal["purpose", "data_types", "retention", "recipients", "ownership", "rights",
                     "contact"]


@dataclass(kw_only=True)
class MaterialChange(Model):
    """A kind of change the policy calls material (its section on updates lists them)."""

    NAME: ClassVar[str] = "material change"
    ref: Id | None = doc("id of the list item that words this kind of change, e.g. in the "
                         "section on updates; its text names the change in changelogs", None)
    label: dict[LocaleTag, Text] = doc("the name of this kind of change per locale, when no "
                                       "list item words it (`ref`), e.g. {zh-CN: 共享对象变化, "
                                       "en: Change of recipients}", factory=dict)
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
class CheckSettings(Model):
    """What fails `policyc check` in a pipeline: compliance findings are warnings."""

    NAME: ClassVar[str] = "check settings"
    fail_on: list[Text] = doc("rule codes whose findings fail `policyc check` (exit 1), e.g. "
                              "[PIPL-29-SEPARATE-CONSENT]; a code ending in `-` or `*` names a "
                              "family (PIPL-, GDPR-13*)", factory=list)


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
    version: Text | None = doc("version of this edition, e.g. 1.0", None)
    last_updated: IsoDate = doc("date of the last update (YYYY-MM-DD)")
    effective: IsoDate | None = doc("date this version takes effect (YYYY-MM-DD)", None)
    organisation: Organisation = doc("the organisation responsible for the policy")
    app: App | None = doc("the app the policy covers", None)
    contact: Contact = doc("contact channels (at least one)")
    numbering: NumberingChoice | None = doc(
        "how sections and lists are numbered: zh (一、 （一） 1、 （1）), decimal (1. 1.1 1.1.1), "
        "none, or a mapping with per-level `sections` and `lists`. Default: the locale's "
        "(zh for Chinese, decimal otherwise)", None)
    paper: PaperSize | None = doc("page size of the PDF: A4, A5, Letter, Legal (default: the "
                                  "locale's; Letter for en-US, else A4)", None)
    dates: DateLines | None = doc("wording of the date lines under the title and how dates "
                                  "are written", None)
    labels: dict[Id, Text] = doc(
        "wording of generated labels and fact lines, replacing the locale's: e.g. "
        "sdk_provider: 第三方主体, last_updated: 更新日期, fact_purpose: 'We use it to {value}.' "
        "(see README)", factory=dict)
    front_matter: dict[Id, Setting] = doc("YAML front matter written at the top of the "
                                          "Markdown edition (Jekyll, Hugo, GitHub Pages), "
                                          "e.g. layout: page", factory=dict)
    app_type: Literal[APP_TYPE_NAMES] | None = doc(  # type: ignore[valid-type]
        "the app's type among the 39 of 《常见类型移动互联网应用程序必要个人信息范围规定》, e.g. "
        "网上购物类: data marked required beyond the type's necessary information is reported",
        None)
    contents_depth: int = doc("heading levels listed in the contents (0: no contents list)", 1)
    miit_lists: bool | None = doc("publish the MIIT lists (collected-data and third-party "
                                  "sharing) beside the policy; default: when the binding "
                                  "locale is Chinese", None)
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
    front_sections: list[Setting] = doc("unnumbered section files before the numbered body "
                                        "(提示条款, 定义 …)", factory=list)
    sections: list[Text] = doc("section files relative to policy.yaml, in order")
    back_sections: list[Setting] = doc("unnumbered section files after the numbered body "
                                       "(生效日期, 历史版本, a signature block)", factory=list)
    material_changes: list[MaterialChange] = doc(
        "what counts as a material change, for `policyc diff` and the changes page; "
        "default: purposes, data types and retention; recipients; ownership; rights; contact",
        factory=list)
    base_url: Url | None = doc("the address the built site is published at, e.g. https://example.com/privacy/; relative links in the text resolve against it, and the HTML pages get canonical and hreflang links and a sitemap.xml", None)
    pdf: PdfSettings = doc("PDF standards: PDF/UA-1 for the editions, PDF/A-3b for the "
                           "archived editions, unless set here", factory=PdfSettings)
    check: CheckSettings | None = doc("which findings of `policyc check` fail it (exit 1)",
                                      None)


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
    numbering: NumberingChoice | None = doc("this edition's own numbering (see policy.yaml "
                                            "`numbering`); default: the policy's", None)
    paper: PaperSize | None = doc("this edition's PDF page size; default: the policy's", None)
    front_matter: dict[Id, Setting] | None = doc("this edition's Markdown front matter; "
                                                 "default: the policy's", None)
    texts: list[TranslatedText] = doc("the translated texts", factory=list)


# ----------------------------------------------------------------------------- JSON Schema


def source_schemas() -> dict[str, bytes]:
    """The schema files editors use: ``policy.schema.json``, ``section.schema.json`` and
    ``translation.schema.json`` (for ``translations/<locale>.yaml``).

    Deterministic bytes (key order follows the models), so committed copies can be
    compared with freshly generated ones.
    """
    schemas = {
        "policy.schema.json": json_schema(Policy, "policy.yaml",
                                          "The facts about a privacy policy and its ordered "
                                          "list of section files (policyc)."),
        "section.schema.json": json_schema(Section, "policyc section file",
                                           "One top-level section of a privacy policy "
                                           "(policyc); `type` selects the structured kind."),
        "translation.schema.json": json_schema(Catalog, "policyc translation catalog"),
    }
    return {name: (_json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            for name, schema in schemas.items()}
