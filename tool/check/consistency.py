"""Consistency rules: the policy agrees with itself. They run with every profile."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..diagnostics import Severity
from ..inline import PLACEHOLDER
from .. import model as m
from ..schema import Text
from .published import fact_loc, recorded_facts
from .registry import (ALWAYS, CRITERION, PERIOD, Finding, Subject, all_texts, clauses,
                       mentions, named, rule, sentences, texts)

ERROR, WARNING = Severity.ERROR, Severity.WARNING
PIPL = "pipl"   # the permission table and complete data lists are Chinese requirements

# ------------------------------------------------------------------------ features and rows


@rule("CONS-ROW-FEATURE", WARNING, PIPL, "PIPL Art. 17(1)(2); App 认定方法 3(2)",
      en="permission row '{row}' names no feature declared in the data_collected section; "
         "add `feature_id`",
      zh="权限说明“{row}”对应的业务功能未在收集信息部分说明；请添加 `feature_id`")
def row_without_feature(subject: Subject) -> Iterator[Finding]:
    """Every row of the permissions table belongs to a feature that the data_collected
    section declares (by `feature_id`, or by the same name). A permission used by a
    function the policy never describes is a purpose the user was not told about."""
    for row in subject.rows:
        if not row.feature_id and subject.feature_of(row) is None:
            yield Finding.at(row.loc, row=row.feature)


@rule("CONS-UNKNOWN-FEATURE", ERROR, ALWAYS, "policyc source format",
      en="`feature_id` '{id}' is not the id of a feature",
      zh="`feature_id` “{id}” 不是任何业务功能的 id")
def unknown_feature_id(subject: Subject) -> Iterator[Finding]:
    """A permission row's `feature_id` must be the id of a feature in a data_collected
    section: the row and the feature describe the same processing."""
    features = subject.features_by_id()
    for row in subject.rows:
        if row.feature_id and str(row.feature_id) not in features:
            yield Finding.at(row.feature_id.loc, id=row.feature_id)


@rule("CONS-FEATURE-NO-ROW", WARNING, PIPL, "App 认定方法 3(3); GB/T 35273-2020 5.3",
      en="feature '{feature}' uses permissions but has no row in the permissions table",
      zh="业务功能“{feature}”使用系统权限，但权限说明中没有对应的行")
def feature_without_row(subject: Subject) -> Iterator[Finding]:
    """A feature that asks for system permissions has a row in the permissions table,
    which tells the user the purpose and whether the permission can be turned off."""
    with_rows = {id(subject.feature_of(row)) for row in subject.rows}
    for feature in subject.features:
        if feature.permissions and id(feature) not in with_rows:
            yield Finding.at(feature.loc, feature=named(feature))


@rule("CONS-PERMISSION-NO-ROW", WARNING, PIPL, "App 认定方法 3(3)",
      en="feature '{feature}' uses {permissions}, which its permission rows do not list",
      zh="业务功能“{feature}”使用的权限 {permissions} 未列入其权限说明")
def permission_not_in_rows(subject: Subject) -> Iterator[Finding]:
    """Every permission a feature declares is listed in that feature's rows of the
    permissions table, so the table is complete."""
    for feature in subject.features:
        rows = [row for row in subject.rows if subject.feature_of(row) is feature]
        listed = {str(p) for row in rows for p in row.permissions}
        missing = [p for p in feature.permissions if str(p) not in listed]
        if rows and missing:
            yield Finding.at(missing[0].loc, feature=named(feature), permissions=missing)


@rule("CONS-PERMISSION-UNDECLARED", WARNING, PIPL, "App 认定方法 3(3); PIPL Art. 17",
      en="permission row '{row}' lists {permissions}, which feature '{feature}' does not "
         "declare",
      zh="权限说明“{row}”列出的权限 {permissions} 未在业务功能“{feature}”中说明")
def permission_not_in_feature(subject: Subject) -> Iterator[Finding]:
    """Every permission in a row is declared by the feature the row belongs to, so the
    description of the feature says what the permission is used for."""
    for row in subject.rows:
        feature = subject.feature_of(row)
        if feature is None:
            continue
        declared = {str(p) for p in feature.permissions}
        extra = [p for p in row.permissions if str(p) not in declared]
        if extra:
            yield Finding.at(extra[0].loc, row=row.feature, feature=named(feature),
                             permissions=extra)


@rule("CONS-SDK-DATA", WARNING, ALWAYS, "PIPL Art. 23; GB/T 35273-2020 9.2",
      en="SDK '{sdk}' processes '{item}', which no feature declares (by name, `id` or "
         "`aliases`)",
      zh="第三方SDK“{sdk}”处理的个人信息“{item}”未在任何业务功能中说明（名称、`id` 或 `aliases`）")
def sdk_data_undeclared(subject: Subject) -> Iterator[Finding]:
    """Personal information an SDK processes is information the policy says it collects:
    each entry of an SDK's `data` is the name, the `id` or one of the `aliases` of a data
    item of some feature (人脸信息 declared once with `aliases: [面部特征]`)."""
    declared = {_data_key(name) for f in subject.features for item in f.data
                for name in (item.name, item.id, *item.aliases) if name}
    for sdk in subject.sdks:
        for item in m.data_names(sdk.data):
            if _data_key(item) not in declared:
                yield Finding.at(item.loc, sdk=sdk.name, item=item)


def _data_key(name: object) -> str:
    """A data item's name for matching: case and spaces do not count."""
    return "".join(str(name).split()).casefold()

# ---------------------------------------------------------------------------- ids, variables


def _placeholders(text: Text) -> Iterator[tuple[bool, list[str]]]:
    """(is a reference, names) of every {name} and {ref:a,b} in a text, escapes skipped."""
    for match in PLACEHOLDER.finditer(text):
        if match.start() and text[match.start() - 1] == "\\":
            continue
        yield bool(match.group(1)), [n.strip() for n in match.group(2).split(",")]


def _referenced(subject: Subject) -> set[str]:
    """Ids something uses: references, permission rows, material-change categories and
    the places of translated texts (``register/blocks/2``)."""
    used = {str(row.feature_id) for row in subject.rows if row.feature_id}
    used.update(str(category.ref) for category in subject.policy.material_changes
                if category.ref)
    for catalog in subject.project.catalogs.values():
        used.update(str(entry.at).split("/", 1)[0] for entry in catalog.texts)
    for text in all_texts(subject):
        for is_ref, names in _placeholders(text):
            if is_ref:
                used.update(names)
    return used


def _item_ids(obj) -> Iterator[Text]:
    """Ids that exist only to be referenced: those of list items and clauses. Feature,
    SDK, section and right ids also match them across versions in `policyc diff`."""
    if isinstance(obj, list):
        for child in obj:
            yield from _item_ids(child)
        return
    if isinstance(obj, m.ListItem) and obj.id:
        yield obj.id
    for name in ("sections", "features", "sdks", "rights", "blocks", "numbered", "bullets",
                 "clauses", "after"):
        children = getattr(obj, name, None)
        if isinstance(children, list):
            yield from _item_ids(children)


@rule("CONS-UNUSED-ID", WARNING, ALWAYS, "policyc source format",
      en="id '{id}' is declared but nothing refers to it",
      zh="id “{id}” 已声明，但没有任何引用")
def unused_id(subject: Subject) -> Iterator[Finding]:
    """An id on a list item or clause is there for references ({ref:id}), a
    material-change category or a translation's place; one that nothing uses is likely a
    typo in the reference. Section, right, feature and SDK ids are not reported: they
    are the stable anchors of the published page (privacy-policy.html#contact) and what
    `policyc diff` matches across versions."""
    used = _referenced(subject)
    for section_file in subject.project.sections:
        for ident in _item_ids(section_file.section):
            if str(ident) not in used:
                yield Finding.at(ident.loc, id=ident)


@rule("CONS-UNUSED-VARIABLE", WARNING, ALWAYS, "policyc source format",
      en="variable '{name}' is declared but no text uses it",
      zh="变量 “{name}” 已声明，但没有任何文字使用")
def unused_variable(subject: Subject) -> Iterator[Finding]:
    """A variable declared under `variables:` in policy.yaml is used by some text as
    {name}; an unused one is usually a misspelt or forgotten fact."""
    used = {name for text in all_texts(subject)
            for is_ref, names in _placeholders(text) if not is_ref for name in names}
    for name in subject.policy.variables:
        if str(name) not in used:
            yield Finding.at(name.loc, name=name)

# ---------------------------------------------------------------------------------- dates


@rule("CONS-DATE-ORDER", ERROR, ALWAYS, "PIPL Art. 17(2)-(3); GB/T 35273-2020 Appendix D",
      en="the effective date {effective} is before the last update {last_updated}",
      zh="生效日期 {effective} 早于更新日期 {last_updated}")
def date_order(subject: Subject) -> Iterator[Finding]:
    """The effective date is on or after the last-updated date: a version cannot take
    effect before its wording was final (it may take effect later, after a notice
    period). The version itself is a required key of policy.yaml."""
    policy = subject.policy
    if policy.effective and policy.last_updated and \
            policy.effective.date < policy.last_updated.date:
        yield Finding.at(policy.effective.loc, effective=policy.effective,
                         last_updated=policy.last_updated)


CHANNEL_IN_TEXT = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}(?:@|\[at\]|\(at\))[\w-]{1,63}(?:\.|\[dot\]|\(dot\))[\w.-]{1,63}"
    r"|mailto:|tel:|(?<![\d.])(?!\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d))"
    r"\+?\d[\d ()-]{6,}\d(?![\d.])"                                              # a phone number
    r"|(?:contact|write to|联系|反馈|客服)[^。.;；\n]{0,100}?(?:https?://|【|->|→)"    # a form,
    r"|【[^】]*(?:反馈|客服|联系|帮助)[^】]*】",                                      # an in-app path
    re.I)


@rule("CONS-NO-CONTACT", WARNING, ALWAYS, "PIPL Art. 17(1)(1); GDPR Art. 13(1)(a)",
      en="the policy gives the reader no way to reach the organisation: no e-mail address, "
         "phone, postal address or contact form in policy.yaml's `contact` or in its text; "
         "give at least one of {channels}",
      zh="本政策没有告诉读者如何联系个人信息处理者：policy.yaml 的 `contact` 和正文中都没有电子邮箱、"
         "电话、通讯地址或联系表单；请至少给出 {channels} 之一")
def no_contact_channel(subject: Subject) -> Iterator[Finding]:
    """The policy tells the reader how to reach the organisation — an e-mail address, a
    phone number, an in-app path, an officer, a postal address or a web form — in
    policy.yaml's `contact` or anywhere in its text: the reader is told how to ask, object
    and complain. An imported policy whose text states no channel gets none in
    `contact`, so the page says only what the text says; its sentences still count."""
    contact = subject.policy.contact
    if contact.channels_given() or sentences(subject, CHANNEL_IN_TEXT):
        return
    yield Finding.at(contact.loc if contact.loc.path else subject.policy.loc,
                     channels=tuple(contact.CHANNELS)).searching(subject.searched())


# ------------------------------------------------------------------------ response times

CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}
NUMBER = r"((?<![0-9])[0-9]+|(?<![零一二三四五六七八九十百两])[零一二三四五六七八九十百两]+)"
RESPONSE_TIME = re.compile(
    NUMBER + r"\s*个?\s*(工作日|自然日|日历日|天|日)"
    r"|((?<![0-9])[0-9]+|two|three|five|seven|ten|fifteen|thirty)\s*(?:\(\d+\)\s*)?"
    r"(working|business|calendar)?\s*days?\b", re.IGNORECASE)
RESPONSE_WORDS = re.compile(r"答复|回复|响应|反馈|受理|办理|respond|response|reply|answer",
                            re.IGNORECASE)
ENGLISH_NUMBERS = {"two": 2, "three": 3, "five": 5, "seven": 7, "ten": 10, "fifteen": 15,
                   "thirty": 30}
CALENDAR_DAYS_PER_WORKING_DAY = 7 / 5


def chinese_numeral(text: str) -> int:
    """七 → 7, 十五 → 15, 二十 → 20, 一百零五 → 105."""
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = 2 if char == "两" else CN_DIGITS[char]
    return total + current


@dataclass(frozen=True)
class ResponseTime:
    """A time the text promises for an answer: "15个工作日", "30天", "within 30 days"."""

    text: Text
    offset: int
    days: int
    working: bool            # working (business) days, else calendar days

    @property
    def working_days(self) -> float:
        """The promise in working days (a calendar week has five)."""
        return self.days if self.working else self.days / CALENDAR_DAYS_PER_WORKING_DAY

    def shown(self, language: str) -> str:
        unit = {("zh", True): "个工作日", ("zh", False): "天",
                ("en", True): " working days", ("en", False): " days"}[language, self.working]
        return f"{self.days}{unit}"


def _sentence_around(text: str, start: int, end: int) -> str:
    """The clause around a match: from the previous to the next sentence stop."""
    stops = "。；;!?！？\n"
    left = max(text.rfind(c, 0, start) for c in stops)
    rights = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    return text[left + 1:min(rights) if rights else len(text)]


def response_times(subject: Subject) -> list[ResponseTime]:
    """Every answer time the policy states: any number of working days (工作日), and
    calendar days (天, 日, days) or business days in a clause that speaks of answering
    (答复, 回复, 响应, respond, reply …); "30日内删除" in a retention clause is not one."""
    if response_times not in subject.computed:
        found = []
        for text in all_texts(subject):
            for match in RESPONSE_TIME.finditer(text):
                clause = _sentence_around(text, match.start(), match.end())
                if match.group(2) != "工作日" and not RESPONSE_WORDS.search(clause):
                    continue
                if match.group(1):
                    number, unit = match.group(1), match.group(2)
                    days = _Days.of(number) if number.isdigit() else chinese_numeral(number)
                    working = unit == "工作日"
                else:
                    number, unit = match.group(3).lower(), (match.group(4) or "").lower()
                    days = _Days.of(number) if number.isdigit() else ENGLISH_NUMBERS[number]
                    working = unit in ("working", "business")
                found.append(ResponseTime(text, match.start(), days, working))
        subject.computed[response_times] = found
    return subject.computed[response_times]


class _Days(int):
    """A stated number of days; one too long to be a number shows its first digits."""

    shown: str

    @classmethod
    def of(cls, digits: str) -> int:
        if len(digits) <= 9:
            return int(digits)
        days = cls(10 ** 9)   # longer than any deadline: compares as "too long"
        days.shown = f"{digits[:12]}… ({len(digits):,} digits)"
        return days

    def __str__(self) -> str:
        return self.shown

    def __format__(self, spec: str) -> str:
        return format(self.shown, spec)


@rule("CONS-RESPONSE-TIME", WARNING, ALWAYS, "PIPL Art. 50; App 认定方法 4",
      en="this text promises an answer within {stated}, but contact.response_days is "
         "{declared} working days",
      zh="此处承诺 {stated_zh} 内答复，但 contact.response_days 为 {declared} 个工作日")
def response_time_mismatch(subject: Subject) -> Iterator[Finding]:
    """Every response time the text states ("在7个工作日内", "30天内回复", "within 15
    business days") equals `contact.response_days` in policy.yaml, in the same unit: a
    user told two different deadlines cannot rely on either. Calendar days (天, 日, days)
    never equal a number of working days, except the same number. Without
    `response_days`, the first stated time counts."""
    declared = subject.policy.contact.response_days
    for time in response_times(subject):
        if declared is None:
            declared = time.days
        if time.days != declared:
            yield Finding.at(time.text.loc_at(time.offset), stated=time.shown("en"),
                             stated_zh=time.shown("zh"), declared=declared)

# --------------------------------------------------------------------------- open wording

OPEN_ENDED = re.compile(r"包括但不限于|包括不限于|例如|比如|诸如|之类|(?<![平相同对均高中初])等(?![待级同于])"
                        r"|\bsuch as\b|\betc\b\.?|\be\.g\.|\bfor example\b|\bincluding but not "
                        r"limited to\b", re.IGNORECASE)


def _data_texts(subject: Subject) -> Iterator[Text]:
    """The texts that are lists of personal information or permissions: a feature's data
    items and permissions, a permission row's permissions, an SDK's data and
    permissions. Prose describing a feature is not a list."""
    for feature in subject.features:
        for item in feature.data:
            yield item.name
            if item.category:
                yield item.category
        yield from feature.permissions
    for row in subject.rows:
        yield from row.permissions
    for sdk in subject.sdks:
        yield from m.data_names(sdk.data)
        yield from sdk.permissions


@rule("CONS-OPEN-ENDED", WARNING, PIPL, "GB/T 35273-2020 5.5, Appendix D; App 认定方法 2",
      en="open-ended wording '{word}' where the policy must list the personal information "
         "completely",
      zh="个人信息应逐项列全，此处使用了不确定的表述“{word}”")
def open_ended(subject: Subject) -> Iterator[Finding]:
    """The personal information a feature collects, its permissions and an SDK's data are
    complete lists: words such as 等, 例如, 包括但不限于, "such as" or "etc." leave the
    user unable to know what is collected (GB/T 35273 asks for explicit types). Every
    occurrence in a list of data or permissions is reported; prose is not a list."""
    for text in _data_texts(subject):
        for match in OPEN_ENDED.finditer(text):
            yield Finding.at(text.loc_at(match.start()), word=match.group(0))

# ------------------------------------------------------------------ facts and recipients


@rule("CONS-FACT-UNPUBLISHED", WARNING, ALWAYS, "PIPL Art. 17; GDPR Art. 12(1), 13",
      en="{fact} is recorded in the sources but printed in no edition; the reader never sees it",
      zh="{fact} 已在源文件中记录，但任何版本都未印出，读者看不到")
def fact_unpublished(subject: Subject) -> Iterator[Finding]:
    """A fact the checks read (a feature's purpose, method, retention or legal basis, an
    SDK's provider or method, the storage region, the DPO …) certifies nothing unless the
    published policy prints it: a recorded fact that no edition, list or page shows is a
    finding, and the rules that need it treat it as missing."""
    for fact, value in recorded_facts(subject.project):
        if not subject.published(fact):
            yield Finding.at(fact_loc(subject.project, fact, value), fact=f"`{fact}`")


SHARING = re.compile(r"共享|提供给|向第三方提供|委托|share|disclose to|provide .{0,30}to (third|our "
                     r"partners|service providers)", re.IGNORECASE)
NAMED_RECIPIENT = re.compile(r"有限公司|有限责任公司|股份公司|(?<![A-Za-z\u4e00-\u9fff])[A-Za-z\u4e00-\u9fff]{2,}SDK|\bInc\b|\bLLC\b|"
                             r"\bLtd\b|\bGmbH\b|\bLimited\b|Corporation|sub-?processors?|"
                             r"\bAWS\b|Amazon Web Services|Google|Stripe|PayPal|Microsoft|"
                             r"Cloudflare|阿里云|腾讯云|支付宝|微信|友盟|极光|个推|百度",
                             re.IGNORECASE)
NOT_SHARED = re.compile(r"不会|不与|不向|绝不|从不|\bnot\b|\bnever\b|\bno\b", re.IGNORECASE)


@rule("CONS-SHARED-NO-RECIPIENT", WARNING, "pipl", "PIPL Art. 23",
      en="the policy says personal information is shared, but names no recipient (an SDK or "
         "third party in a section of type `sdks`, or a company by name)",
      zh="本政策称会共享个人信息，但未指明任何接收方（`type: sdks` 一节中的 SDK 或第三方，或公司名称）")
def shared_without_recipient(subject: Subject) -> Iterator[Finding]:
    """When the sharing section says personal information is shared with others, the
    recipients (SDKs and other third parties) are named, each with the data it receives:
    in a section of type `sdks`, by company name in the sections on sharing and third
    parties, or in a linked list of sub-processors. "关联方、商业合作伙伴" names nobody: a
    sharing clause without any named recipient leaves the user unable to know who holds
    their data. Profile pipl: the GDPR (Art. 13(1)(e)) is met by categories of
    recipients."""
    if subject.sdks or mentions(subject, NAMED_RECIPIENT, "sharing", "third_parties", "sdks"):
        return
    for clause in clauses(subject.role_text("sharing")):
        if SHARING.search(clause) and not NOT_SHARED.search(clause):
            yield Finding.at(subject.role_loc("sharing")).searching(subject.searched("sharing"))
            return


VAGUE_RETENTION = re.compile(r"必要|必需|最短|合理|as long as (is )?(necessary|needed|required)|"
                             r"necessary|reasonabl", re.IGNORECASE)


@rule("CONS-RETENTION-VAGUE", WARNING, ALWAYS, "PIPL Art. 17(1)(2), 19; GDPR Art. 13(2)(a)",
      en="retention '{retention}' is neither a period nor a criterion that fixes one",
      zh="保存期限“{retention}”既不是期限，也不是确定期限的标准")
def retention_vague(subject: Subject) -> Iterator[Finding]:
    """A retention is a period ("2年", "30 days") or a criterion that fixes it ("until you
    delete your account"); "as long as necessary" or "所必需的最短时间" alone tells the
    user nothing."""
    storage = subject.policy.storage
    stated = [f.retention for f in subject.features if f.retention]
    if storage and storage.retention:
        stated.append(storage.retention)
    for text in stated:
        if VAGUE_RETENTION.search(text) and not (PERIOD.search(text) or CRITERION.search(text)):
            yield Finding.at(text.loc, retention=text)


# ------------------------------------------------------------------------ template facts

EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org", "example")   # RFC 2606
ADDRESS_HOST = re.compile(r"(?<![\w.+-])[\w.+-]+@([\w-]+(?:\.[\w-]+)*)|"
                          r"https?://([\w-]+(?:\.[\w-]+)*)[\w/.~%?#=&+:-]*",
                          re.ASCII | re.IGNORECASE)
EXAMPLE_NAME = re.compile(r"示例|\bExample\b")


def _example_host(host: str) -> bool:
    host = host.lower()
    return any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS)


def _example_address(text: str) -> str | None:
    """The first e-mail or web address in ``text`` at a domain reserved for examples."""
    for match in ADDRESS_HOST.finditer(text):
        if _example_host(match.group(1) or match.group(2)):
            return match.group(0)
    return None


@rule("CONS-TEMPLATE-FACT", WARNING, ALWAYS, "PIPL Art. 17(1)(1); GDPR Art. 13(1)(a)",
      en="“{value}” is an example, not a fact of yours (left from `policyc init` or an "
         "import); replace it before publishing",
      zh="“{value}”是示例信息，不是您的真实信息（来自 `policyc init` 的模板或导入时的占位）；发布前请替换")
def template_fact(subject: Subject) -> Iterator[Finding]:
    """A policy started with `policyc init` (or imported from a text that lacked a fact)
    holds example facts until the editor replaces them: addresses at domains reserved for
    examples (example.com, example.org, example.net, *.example), and names of the
    organisation, the app and the third parties (and the facts of contact and GDPR) that
    say 示例 or Example. Published, they tell the reader nothing about who processes
    their information or how to reach them."""
    policy = subject.policy
    names = [*texts(policy.organisation), *texts(policy.contact), *texts(policy.gdpr),
             getattr(policy.app, "name", None),
             *(text for sdk in subject.sdks for text in (sdk.name, sdk.provider))]
    flagged: set[int] = set()
    for text in names:
        if isinstance(text, Text) and (EXAMPLE_NAME.search(text)
                                       or _example_host(text.strip())):
            flagged.add(id(text))
            yield Finding.at(text.loc, value=text)
    for text in all_texts(subject):
        if id(text) not in flagged and (address := _example_address(text)):
            yield Finding.at(text.loc, value=address)
