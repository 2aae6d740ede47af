"""Chinese rules of 2021–2026 that change what an app's policy must say: profile ``pipl``
(the two comparisons with the app build: every profile).

* 《网络数据安全管理条例》 (State Council Order 790, effective 2025-01-01) Art. 21: what
  happens when retention ends, restriction among the rights, the personal information
  collected and provided to others in list form, dedicated rules for children under 14.
* 《互联网应用程序个人信息收集使用规定（征求意见稿）》 (CAC draft, 2026-01-10): the SDK list
  gives each SDK's package name and version, and with an app build (`check --app`, every
  profile) they are the build's. A draft: its article numbers are not cited.
* 《常见类型移动互联网应用程序必要个人信息范围规定》 (2021) Art. 4–5: data marked required
  beyond the necessary information of the app's type (`app_type`).
* 《人脸识别技术应用安全管理办法》 (CAC and MPS Order 19, effective 2025-06-01): the notice
  (Art. 5) states separate consent (Art. 6), retention and storage in the device (Art. 8)
  and an alternative to face verification (Art. 10).
* GB/T 45574-2025 Annex A: the sensitive categories.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from .. import model as m
from ..app import Evidence
from ..app.tables import CatalogueSdk
from ..app_types import app_types
from ..diagnostics import Severity
from .app import context
from .registry import (ALWAYS, CRITERION, PERIOD, RETENTION, RULES, Finding, Subject, all_texts,
                       clauses, mentions, missing_right, named, rule, texts)
from .vocabulary import sensitive_item

WARNING = Severity.WARNING
PROFILE = "pipl"
NDSR = "网络数据安全管理条例 Art. 21"
CAC_DRAFT = "互联网应用程序个人信息收集使用规定（征求意见稿, CAC 2026-01-10）, SDK list"
NECESSARY = "常见类型移动互联网应用程序必要个人信息范围规定 Art. 4-5"
FACE = "人脸识别技术应用安全管理办法 (CAC/MPS Order 19, 2025) Art. 5, 6, 8, 10"
ANNEX_A = "GB/T 45574-2025 Annex A; PIPL Art. 28"

# ------------------------------------------------- 网络数据安全管理条例 Art. 21

# A sentence on what happens to the data when its retention period ends.
PERIOD_WORDS = re.compile(r"期限|期间|时限|保存|保留|retention|retain|period|kept", re.I)
EXPIRY = re.compile(r"届满|到期|超出|超岀|超过|期满|(期限|期间|时限)[^，,]{0,4}(结束|后)|"
                    r"(?<!\d)\d+\s*(天|日|个月|年)后|注销.{0,12}后|expir|end of|ends|after|beyond", re.I)
DISPOSAL = re.compile(r"删除|匿名化|销毁|去标识化|delet|anonymi[sz]|destroy|eras", re.I)


def expiry_clause(subject: Subject) -> str | None:
    """The first clause of the policy that says what happens when retention ends
    (超出保存期限后……匿名化处理, deleted when the period expires)."""
    for text in all_texts(subject):
        for clause in clauses(text):
            if EXPIRY.search(clause) and DISPOSAL.search(clause) and (
                    PERIOD_WORDS.search(clause) or PERIOD.search(clause) or "注销" in clause):
                return clause
    return None


@rule("NDSR-21-EXPIRY", WARNING, PROFILE, NDSR + "(3)",
      en="the policy does not say what happens to personal information when its retention "
         "period ends (`on_expiry` of a feature, or a sentence such as “deleted or "
         "anonymised when the period expires”){feature_en}",
      zh="本政策未说明保存期限届满后如何处理个人信息（功能的 `on_expiry`，或写明“保存期限届满后删除或"
         "匿名化处理”）{feature_zh}")
def expiry_handling(subject: Subject) -> Iterator[Finding]:
    """The processing rules state, besides the retention period, what happens to the
    data when it ends (删除、匿名化), or how the period is determined where it cannot be
    fixed. Met by a feature's `on_expiry`, or by one sentence of the policy that pairs
    retention with deletion or anonymisation at expiry. When some features state
    `on_expiry`, each feature with data that lacks it is reported, unless its data is not
    kept at all (`retention: 不保存`)."""
    if expiry_clause(subject):
        return
    with_data = [f for f in subject.features if f.data]
    stated = [f for f in with_data if subject.feature_fact(f, "on_expiry")]
    if not stated:
        if with_data or subject.with_role("storage", "collection"):
            yield Finding.at(subject.role_loc("storage", "collection"), feature_en="",
                             feature_zh="")
        return
    for feature in with_data:
        kept = subject.feature_fact(feature, "retention")
        if feature not in stated and not (kept and NOT_KEPT.search(str(kept))):
            name = named(feature)
            yield Finding.at(feature.loc, feature_en=f" (feature '{name}')",
                             feature_zh=f"（业务功能“{name}”）")


RESTRICT_SAID = re.compile(r"限制.{0,10}(处理|使用|我们)|(处理|使用).{0,6}限制|restrict", re.I)


@rule("NDSR-21-RESTRICT", WARNING, PROFILE, NDSR + "(4); PIPL Art. 44",
      en="the rights section does not say how to restrict the processing of personal "
         "information (a right of kind `restrict`)",
      zh="“您的权利”中未说明如何限制个人信息的处理（`kind: restrict`）")
def restriction(subject: Subject) -> Iterator[Finding]:
    """The processing rules name restriction of processing among the ways to exercise
    rights, with the method and channel: a right of kind `restrict`, or a sentence of
    the rights section about restricting processing. (Transfer and account cancellation,
    which Art. 21 names too, are checked by PIPL-45-PORTABILITY and the account
    cancellation rule.)"""
    yield from missing_right(subject, "restrict", "restrict processing", said=RESTRICT_SAID)


SHARES = re.compile(r"共享|提供给|向.{0,12}提供|委托.{0,6}处理|转让|第三方.{0,10}(收集|获取)|"
                    r"shar|disclos|provide[sd]? (it |your \w+ )?to|third[- ]part", re.I)


@rule("NDSR-21-LIST", WARNING, PROFILE, NDSR + " para. 2",
      en="personal information is provided to other handlers, but the policy does not list "
         "the recipients in list form (a `type: sdks` section: one entry per recipient with "
         "its data, purpose and method)",
      zh="向其他网络数据处理者提供个人信息，但本政策未以清单形式列明（`type: sdks` 章节：逐项列出接收方及"
         "其信息种类、目的、方式）")
def recipients_listed(subject: Subject) -> Iterator[Finding]:
    """The personal information collected and provided to other handlers is listed in
    list form (以清单等形式), with the recipients: the collected-data list comes from the
    features' data, the sharing list from a `type: sdks` section. Reported where the
    policy says it shares (a sharing or third-party section that speaks of providing or
    sharing personal information) and names its recipients in running text only, neither
    one by one nor in a linked list (a sub-processor page, a 第三方信息共享清单); a policy
    that names no recipient at all is CONS-SHARED-NO-RECIPIENT's."""
    roles = ("sharing", "third_parties")
    if subject.sdks or recipients_enumerated(subject) or mentions(
            subject, LINKED_LIST, *roles) or _other_rule(subject, "CONS-SHARED-NO-RECIPIENT"):
        return
    if subject.with_role(*roles) and mentions(subject, SHARES, *roles):
        yield Finding.at(subject.role_loc(*roles))


# A link to a list of recipients kept elsewhere (a sub-processor page, a sharing list).
LINKED_LIST = re.compile(r"(清单|列表|名单|sub-?processors?|list of)[^。\n]{0,120}\]\(|"
                         r"\[[^\][]*(清单|列表|名单|sub-?processors?)[^\][]*\]\(", re.I)
# A paragraph or list item that names a recipient: an SDK, a column of a sharing table.
RECIPIENT_NAMED = re.compile(r"SDK|软件开发工具包|第三方名称|接收方名称|共享对象名称", re.I)


def recipients_enumerated(subject: Subject) -> bool:
    """Whether the sections name recipients one by one in their own wording (a prose list
    of SDKs, a table kept as text): two paragraphs or items that name an SDK or a column
    of a sharing table."""
    named = (t for s in subject.sections for t in texts(s.blocks + s.after)
             if RECIPIENT_NAMED.search(t))
    return next(named, None) is not None and next(named, None) is not None


# The service is not for children: it is not directed at them, or it is for adults.
NOT_FOR_CHILDREN = re.compile(r"不(面向|针对|向).{0,10}(儿童|未成年)|(儿童|未成年人).{0,6}不得(使用|注册)|"
                              r"(面向|对象|针对).{0,8}(成人|成年|企业)|"
                              r"not (directed|intended) (at|to|for) children|do not knowingly|"
                              r"(intended|directed) (for|at) adults", re.I)
DEDICATED_RULES = re.compile(r"《[^》]*(儿童|未成年)[^》]*》|儿童(个人信息保护|隐私)(规则|政策|指引)|"
                             r"children'?s (privacy|personal information) (policy|notice|rules)|"
                             r"\]\(https?://|https?://", re.I)


@rule("NDSR-21-CHILDREN", WARNING, PROFILE, NDSR + " para. 2; PIPL Art. 31 para. 2",
      en="the policy processes the personal information of children under 14 but does not "
         "point to dedicated processing rules for it (`children.rules`: the title or link "
         "of the children's rules)",
      zh="本政策处理不满十四周岁未成年人的个人信息，但未指明专门的个人信息处理规则（`children.rules`："
         "儿童个人信息保护规则的名称或链接）")
def children_rules(subject: Subject) -> Iterator[Finding]:
    """A handler of the personal information of children under 14 sets dedicated
    processing rules (专门的个人信息处理规则), not only a paragraph of the general policy.
    Reported where the policy says it handles children's data (a `children` fact in
    policy.yaml, or a children's section that does not say the service is not for
    children) and neither `children.rules` nor the children's section names or links
    dedicated rules (《儿童个人信息保护规则》, a link)."""
    declared = subject.policy.children
    text = subject.role_text("children")
    handles = (declared is not None or text) and not NOT_FOR_CHILDREN.search(text)
    if not handles:
        return
    rules_text = str(declared.rules) if declared is not None else ""
    if DEDICATED_RULES.search(rules_text) or DEDICATED_RULES.search(text):
        return
    yield Finding.at(declared.loc if declared is not None else subject.role_loc("children"))

# ------------------------------------------------------ CAC draft 2026: the SDK list

SDK_WORD = re.compile(r"SDK|软件开发工具包", re.I)


@dataclass
class SdkInBuild:
    """A policy SDK that the app build embeds: its catalogue entry, and each version the
    build pins for it with the trace that pins it."""

    catalogue: CatalogueSdk
    versions: dict[str, Evidence] = field(default_factory=dict)


def sdk_builds(subject: Subject) -> dict[int, SdkInBuild]:
    """The policy's SDKs the app build embeds, by the policy entry's identity."""
    if "sdk_builds" in subject.computed:
        return subject.computed["sdk_builds"]
    check = context(subject)
    found: dict[int, SdkInBuild] = {}
    if check is not None:
        versions: dict[str, dict[str, Evidence]] = {}
        for evidence in sorted(check.build.sdk_evidence(), key=lambda e: (e.loc.path, e.loc.line)):
            known = check.catalogue.identify(evidence.kind, evidence.value)
            if known is not None and evidence.version:
                versions.setdefault(known.id, {}).setdefault(evidence.version, evidence)
        for sdk, known in check.policy_sdks:
            if known is not None and known.id in check.in_build:
                found[id(sdk)] = SdkInBuild(known, versions.get(known.id, {}))
    subject.computed["sdk_builds"] = found
    return found


@rule("CAC-SDK-IDENTITY", WARNING, PROFILE, CAC_DRAFT + "; 工信部信管函〔2023〕26号",
      en="SDK '{sdk}' does not give its {missing}: the SDK list names each SDK with its "
         "package name and version{found}",
      zh="第三方SDK“{sdk}”未写明{missing_zh}：SDK清单应逐项列明SDK名称（包名）及版本{found_zh}")
def sdk_identity(subject: Subject) -> Iterator[Finding]:
    """The CAC's 2026 draft asks the SDK list to give each embedded SDK with its package
    name and version, and app stores check SDK disclosures against the national SDK
    platform's registration (名称（包名）). Reported only where the fact exists: the
    package of an entry whose name or method says it is an SDK, or that the app build
    embeds; the version of an SDK the build embeds (the message gives the build's
    version). Recipients that are not SDKs (a payment provider, a category of
    recipients) are not reported."""
    embedded = sdk_builds(subject)
    for sdk in subject.sdks:
        known = embedded.get(id(sdk))
        is_sdk = known is not None or SDK_WORD.search(f"{sdk.name} {sdk.method or ''}")
        missing = []
        if is_sdk and not subject.sdk_fact(sdk, "package"):
            missing.append("package")
        if known is not None and known.versions and not subject.sdk_fact(sdk, "version"):
            missing.append("version")
        if not missing:
            continue
        hints = []
        if known is not None:
            if "package" in missing and known.catalogue.packages:
                hints.append(f"package: {known.catalogue.packages[0]}")
            if "version" in missing and known.versions:
                hints.append(f"version: {' / '.join(known.versions)}")
        found = f" (found in the build: {', '.join(hints)})" if hints else ""
        yield Finding.at(sdk.loc, sdk=sdk.name, missing=[f"`{n}`" for n in missing],
                         missing_zh=[{"package": "包名（`package`）",
                                      "version": "版本（`version`）"}[n] for n in missing],
                         found=found, found_zh=f"（构建中：{'，'.join(hints)}）" if hints else "")


@rule("APP-SDK-VERSION", WARNING, ALWAYS, CAC_DRAFT + "; PIPL Art. 17",
      en="SDK '{sdk}' is listed at version {stated}, but the app build embeds {built} "
         "({evidence})",
      zh="第三方SDK“{sdk}”写明的版本为 {stated}，但应用构建中为 {built}（{evidence}）")
def sdk_version(subject: Subject) -> Iterator[Finding]:
    """The version the SDK list gives is the version the app embeds: a list that names
    another version describes another SDK's behaviour (the draft asks SDK operators to
    publish their rules per version still in use). Compared where the build pins the
    version: a Gradle coordinate or version catalog, an APK's or app bundle's version
    files, Podfile.lock."""
    for sdk in subject.sdks:
        known = sdk_builds(subject).get(id(sdk))
        stated = sdk.version
        if known is None or not stated or not known.versions or str(stated) in known.versions:
            continue
        first = next(iter(known.versions.values()))
        yield Finding.at(stated.loc, sdk=sdk.name, stated=stated,
                         built=list(known.versions), evidence=f"{first.value}, {first.loc}")


def _same_package(stated: str, known: str) -> bool:
    """Whether a stated package and a known one name the same code: equal, or one is a
    sub-package of the other (com.amap.api.location in com.amap.api)."""
    return stated == known or stated.startswith(known + ".") or known.startswith(stated + ".")


@rule("APP-SDK-PACKAGE", WARNING, ALWAYS, CAC_DRAFT + "; 工信部信管函〔2023〕26号",
      en="SDK '{sdk}' is listed with package {stated}, but the SDK the app build embeds "
         "({catalogue}) has the package {known}",
      zh="第三方SDK“{sdk}”写明的包名为 {stated}，但应用构建中嵌入的该SDK（{catalogue}）包名为 {known}")
def sdk_package(subject: Subject) -> Iterator[Finding]:
    """The package name the SDK list gives is the embedded SDK's own (app stores check
    SDK disclosures against the national SDK platform's registration, 名称（包名）).
    Compared, for an SDK the build embeds, with the Android packages policyc's SDK
    catalogue knows for it; an iOS-only SDK (a bundle id) is not compared."""
    for sdk in subject.sdks:
        known = sdk_builds(subject).get(id(sdk))
        stated = sdk.package
        if known is None or not stated or not known.catalogue.packages:
            continue
        if not any(_same_package(str(stated), p) for p in known.catalogue.packages):
            yield Finding.at(stated.loc, sdk=sdk.name, stated=stated,
                             catalogue=known.catalogue.name("en"),
                             known=list(known.catalogue.packages))

# --------------------------------------- 必要个人信息范围规定: required beyond the type

# What a necessary item names, by meaning: a data item shares one of them with the type's
# necessary information, or is beyond it.
CONCEPTS = {
    "phone": r"手机|电话|移动电话|联系方式|phone|mobile|contact (details|information)",
    "name": r"姓名|名称|name",
    "address": r"地址|address",
    "payment": r"支付|付款|payment",
    "location": r"位置|定位|经纬度|location|gps",
    "route": r"出发地|到达地|目的地|起点|终点|行踪|轨迹|行程|origin|destination|route|trip",
    "identity_document": r"证件|身份证|护照|identity (card|document)|id (card|number)|passport",
    "bank_card": r"银行卡|卡号|开户银行|开户行|bank card|card number|bank account",
    "account": r"账号|帐号|账户|account",
    "contacts_list": r"联系人.{0,4}列表|好友列表|contact list",
    "parcel": r"物品|包裹|parcel|item sent",
    "gender": r"性别|gender|\bsex\b",
    "age": r"年龄|出生日期|生日|\bage\b|date of birth|birthday",
    "marital_status": r"婚姻|marital",
    "resume": r"简历|履历|r[eé]sum[eé]|\bcv\b|curriculum vitae",
    "property": r"房源|房屋|面积|户型|售价|租金|property|floor area|\brent\b",
    "vehicle": r"车辆|行驶证|车架号|车牌|vehicle|\bvin\b|licen[cs]e plate",
    "driving_licence": r"驾驶证|驾照|驾驶证件|driv(ing|er'?s) licen[cs]e",
    "medical": r"病情|症状|病历|患者|医院|科室|illness|symptom|medical condition|hospital",
    "schedule": r"出发时间|旅游时间|出行时间|出行日期|入住|退房|departure (time|date)|travel date|"
                r"check-in|check-out",
    "ticket": r"车次|船次|航班|席别|舱位|座位|场次|旅客类型|flight|seat|train number|"
              r"passenger type|performance",
    "hotel": r"酒店|hotel",
}
CONCEPT_PATTERNS = {key: re.compile(pattern, re.I) for key, pattern in CONCEPTS.items()}


def concepts(text: str) -> set[str]:
    """The kinds of necessary information ``text`` names."""
    return {key for key, pattern in CONCEPT_PATTERNS.items() if pattern.search(text)}


@rule("APPTYPE-REQUIRED-BEYOND-NECESSARY", WARNING, PROFILE, NECESSARY,
      en="'{item}' is marked required, but it is not among the necessary personal "
         "information of {app_type} ({necessary}); mark it `required: no` unless the basic "
         "function cannot run without it",
      zh="“{item}”标为必要，但不属于{app_type}的必要个人信息（{necessary}）；除非缺少该信息基本功能服务"
         "无法运行，请标注 `required: no`")
def required_beyond_necessary(subject: Subject) -> Iterator[Finding]:
    """An app may not refuse its basic function because the user declines
    non-necessary personal information (Art. 4); Art. 5 sets the necessary information
    of 39 types of app. With `app_type` declared, a data item marked required (必要 in
    the collected-data list) that names none of the type's necessary information is
    reported."""
    declared = subject.policy.app_type
    kind = app_types().get(str(declared)) if declared else None
    if kind is None:
        return
    allowed = {c for item in kind.necessary for c in concepts(item)}
    listed = "、".join(kind.necessary) or "无须个人信息"
    for feature in subject.features:
        for item in feature.data:
            if item.required and not concepts(str(item.name)) & allowed:
                yield Finding.at(item.loc, item=item.name, app_type=kind.name,
                                 necessary=listed)

# ---------------------------------------------- 人脸识别技术应用安全管理办法

FACE_WORDS = re.compile(r"人脸|面部|脸部|刷脸|面容|face|facial", re.I)
SEPARATE = re.compile(r"单独同意|单独授权|单独的同意|单独征得|单独取得|separate consent|"
                      r"consent separately|separately consent", re.I)
NOT_KEPT = re.compile(r"不(会)?(保存|保留|存储|储存)|仅.{0,6}(比对|核验)结果|"
                      r"(do|will) not (keep|retain|store)", re.I)
PLACE = re.compile(r"本地|设备内|设备上|终端|本机|手机内|不(会)?上传|存储(于|在)|保存(于|在)|"
                   r"储存(于|在)|服务器|on (your|the) device|locally|stored (on|in)|server", re.I)
ALTERNATIVE = re.compile(r"其他(方式|验证方式|认证方式|途径)|其他.{0,6}(验证|认证)|替代|也可(以)?(选择|通过)|"
                         r"人工(审核|核验)|alternative|other (way|means|method)|instead", re.I)
FACE_FACTS = {"consent": ("separate consent", "单独同意"),
              "retention": ("retention period", "保存期限"),
              "place": ("storage place (on the device unless separately agreed)",
                        "存储位置（除单独同意外存储于设备内）"),
              "alternative": ("an alternative to face verification", "人脸识别以外的其他验证方式")}


def _face_texts(subject: Subject, owner: m.Feature | m.Sdk) -> str:
    """The wording about a feature or third party with face data: its own texts and
    every sentence of the policy that speaks of face data."""
    own = [str(t) for t in texts(owner)]
    general = [c for t in all_texts(subject) for c in clauses(t) if FACE_WORDS.search(c)]
    return "\n".join(own + general)


def _face_owners(subject: Subject) -> Iterator[tuple[m.Feature | m.Sdk, m.Text, str, str]]:
    """(owner, its first face data item, the owner as messages name it in en and zh) of
    each feature and third party that processes face data."""
    for feature in subject.features:
        item = next((i.name for i in feature.data if FACE_WORDS.search(str(i.name))), None)
        if item is not None:
            name = named(feature)
            yield feature, item, f"feature '{name}'", f"业务功能“{name}”"
    for sdk in subject.sdks:
        item = next((n for n in m.data_names(sdk.data) if FACE_WORDS.search(str(n))), None)
        if item is not None:
            yield sdk, item, f"third party '{sdk.name}'", f"第三方“{sdk.name}”"


@rule("FACE-NOTICE", WARNING, PROFILE, FACE,
      en="{owner_en} processes face data ('{item}') but does not state {missing}",
      zh="{owner_zh}处理人脸信息（“{item}”），但未说明{missing_zh}")
def face_data(subject: Subject) -> Iterator[Finding]:
    """Face information is processed with the user's separate consent, kept no longer
    than the purpose needs, stored in the face-recognition device unless the user
    separately agrees otherwise, and face recognition is not the only way to verify
    where another way exists. A feature or third party (a face-verification SDK) with a
    face data item states each: in its own texts (description, `retention`, the item's
    `necessity`) or in a sentence of the policy that speaks of face data."""
    for owner, item, owner_en, owner_zh in _face_owners(subject):
        wording = _face_texts(subject, owner)
        stated_retention = isinstance(owner, m.Feature) and subject.feature_fact(owner,
                                                                                 "retention")
        present = {
            "consent": SEPARATE.search(wording),
            "retention": stated_retention or NOT_KEPT.search(wording)
            or any(RETENTION.search(c) and (PERIOD.search(c) or CRITERION.search(c))
                   for c in clauses(wording)),
            "place": PLACE.search(wording),
            "alternative": ALTERNATIVE.search(wording),
        }
        missing = [key for key, found in present.items() if not found]
        if missing:
            yield Finding.at(item.loc, owner_en=owner_en, owner_zh=owner_zh, item=item,
                             missing=[FACE_FACTS[k][0] for k in missing],
                             missing_zh=[FACE_FACTS[k][1] for k in missing])

# ------------------------------------------------------ GB/T 45574-2025 Annex A

@rule("GBT45574-A-SENSITIVE", WARNING, PROFILE, ANNEX_A,
      en="'{item}' is {category_en}, a sensitive category of GB/T 45574-2025 Annex A, but is "
         "not marked `sensitive: yes`",
      zh="“{item}”属于GB/T 45574-2025附录A的敏感个人信息类别“{category_zh}”，但未标注 `sensitive: yes`")
def annex_a(subject: Subject) -> Iterator[Finding]:
    """Data items of a feature or a third party that fall in a category of Annex A
    (biometric, religious belief, specific identity, medical and health, financial
    account, whereabouts, personal information of children under 14, other) are marked
    sensitive, so the policy shows them prominently and asks separate consent. Annex A
    no longer counts the ID-card number as specific-identity information (the ID-card
    photo still is: the number is PIPL-28-SENSITIVE-MARK's, after GB/T 35273-2020)."""
    items = [(item.name, item.loc) for f in subject.features for item in f.data
             if not item.sensitive]
    items += [(entry.name, entry.loc) for sdk in subject.sdks for entry in sdk.data
              if isinstance(entry, m.SdkData) and not entry.sensitive]
    for name, loc in items:
        category = sensitive_item(str(name))
        if category:
            yield Finding.at(loc, item=name, category_zh=category.zh, category_en=category.en)


def _other_rule(subject: Subject, code: str) -> list[Finding]:
    """The findings of another rule (none when no rule has ``code``), computed once."""
    key = ("findings", code)
    if key not in subject.computed:
        other = RULES.get(code)
        subject.computed[key] = list(other.check(subject)) if other is not None else []
    return subject.computed[key]
