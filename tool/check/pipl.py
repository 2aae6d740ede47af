"""PIPL rules (Personal Information Protection Law of the PRC): profile ``pipl``."""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Severity
from .registry import Finding, Subject, features_lacking, missing_right, rule

ERROR, WARNING = Severity.ERROR, Severity.WARNING
PROFILE = "pipl"
MINIMUM_CHILD_AGE = 14

# --------------------------------------------------------------- Art. 17: each activity


@rule("PIPL-17-PURPOSE", WARNING, PROFILE, "PIPL Art. 17(1)(2)",
      en="feature '{feature}' does not state the purpose of processing (`purpose`)",
      zh="业务功能“{feature}”未说明处理目的（`purpose`）")
def purpose(subject: Subject) -> Iterator[Finding]:
    """Each processing activity (a feature) states its purpose: the user consents to a
    purpose, not to a feature name."""
    yield from features_lacking(subject, lambda feature: feature.purpose)


@rule("PIPL-17-METHOD", WARNING, PROFILE, "PIPL Art. 17(1)(2)",
      en="feature '{feature}' does not state how the data is processed (`method`)",
      zh="业务功能“{feature}”未说明处理方式（`method`）")
def method(subject: Subject) -> Iterator[Finding]:
    """Each feature states its processing method, e.g. 收集、本地存储、上传至服务器: the
    user must know whether data stays on the device or reaches the handler."""
    yield from features_lacking(subject, lambda feature: feature.method)


@rule("PIPL-17-DATA", WARNING, PROFILE, "PIPL Art. 17(1)(2); GB/T 35273-2020 5.5",
      en="feature '{feature}' does not list the personal information it processes (`data`)",
      zh="业务功能“{feature}”未列出处理的个人信息种类（`data`）")
def data_types(subject: Subject) -> Iterator[Finding]:
    """Each feature lists the kinds of personal information it processes; they also
    make up the collected-data list (已收集个人信息清单)."""
    yield from features_lacking(subject, lambda feature: feature.data)


@rule("PIPL-17-RETENTION", WARNING, PROFILE, "PIPL Art. 17(1)(2), Art. 19",
      en="feature '{feature}' does not state how long its data is kept (`retention`, or "
         "`storage.retention` in policy.yaml)",
      zh="业务功能“{feature}”未说明个人信息的保存期限（`retention`，或 policy.yaml 中的 "
         "`storage.retention`）")
def retention(subject: Subject) -> Iterator[Finding]:
    """Each feature states its retention period, either its own `retention` or the
    policy-wide `storage.retention`. Art. 19 limits retention to the shortest period the
    purpose needs, which the user can only judge when the period is stated."""
    yield from features_lacking(subject, subject.retention_of)


@rule("PIPL-17-CHANGES", WARNING, PROFILE, "PIPL Art. 17(2); GB/T 35273-2020 Appendix D",
      en="no section says how changes to the policy are announced",
      zh="没有说明本政策如何更新及变更通知方式的章节")
def change_notice(subject: Subject) -> Iterator[Finding]:
    """The policy says how users learn of changes. A section whose title speaks of
    updates or changes (更新, 变更, 修订, update, change) counts."""
    if subject.section_titled("更新", "变更", "修订", "update", "change") is None:
        yield Finding.at(subject.sections_loc)

# --------------------------------------------------------------------- Art. 23: recipients


@rule("PIPL-23-RECIPIENT", WARNING, PROFILE, "PIPL Art. 23; App 认定方法 3(1)",
      en="third party '{sdk}' lacks {missing}",
      zh="第三方“{sdk}”缺少{missing}")
def recipient(subject: Subject) -> Iterator[Finding]:
    """Every third party or SDK that receives personal information is named with its
    provider, the provider's contact, the purpose, the method and the kinds of personal
    information, so the user can give an informed, separate consent."""
    for sdk in subject.sdks:
        missing = [name for name, value in (("provider", sdk.provider),
                                            ("contact", sdk.contact),
                                            ("method", sdk.method),
                                            ("data", sdk.data)) if not value]
        if missing:
            yield Finding.at(sdk.loc, sdk=sdk.name, missing=[f"`{n}`" for n in missing])

# ------------------------------------------------------------ Art. 28-31: sensitive data

SENSITIVE_WORDS = re.compile(r"身份证|护照|人脸|面部|指纹|声纹|虹膜|生物识别|银行卡|银行账户|支付账号|"
                             r"精确位置|位置|行踪|轨迹|通讯录|联系人|通话记录|短信内容|健康|病历|医疗|"
                             r"宗教|性取向|biometric|fingerprint|face|passport|location|"
                             r"contacts|health|religio", re.IGNORECASE)


@rule("PIPL-28-SENSITIVE-MARK", WARNING, PROFILE, "PIPL Art. 28; GB/T 35273-2020 Appendix B",
      en="'{item}' looks like sensitive personal information but is not marked `sensitive: yes`",
      zh="“{item}”属于敏感个人信息，但未标注 `sensitive: yes`")
def sensitive_unmarked(subject: Subject) -> Iterator[Finding]:
    """Data items that are sensitive personal information (identity documents,
    biometrics, financial accounts, location and whereabouts, contacts, health, religion)
    are marked sensitive, so the policy shows them prominently and asks separate consent."""
    for feature in subject.features:
        for item in feature.data:
            if not item.sensitive and SENSITIVE_WORDS.search(item.name):
                yield Finding.at(item.loc, item=item.name)


@rule("PIPL-30-SENSITIVE", WARNING, PROFILE, "PIPL Art. 29-30",
      en="sensitive item '{item}' does not state {missing}",
      zh="敏感个人信息“{item}”未说明{missing}")
def sensitive_disclosure(subject: Subject) -> Iterator[Finding]:
    """For each sensitive item the policy states why it is necessary and how processing
    it affects the user's rights (`necessity`, `impact`)."""
    for feature in subject.features:
        for item in feature.data:
            if item.sensitive:
                missing = [f"`{name}`" for name in ("necessity", "impact")
                           if not getattr(item, name)]
                if missing:
                    yield Finding.at(item.loc, item=item.name, missing=missing)


@rule("PIPL-31-CHILDREN", WARNING, PROFILE, "PIPL Art. 31",
      en="policy.yaml does not declare the rules for children's personal information "
         "(`children`: age, guardian consent, where the rules are)",
      zh="policy.yaml 未声明儿童个人信息处理规则（`children`：年龄、监护人同意、规则所在）")
def children(subject: Subject) -> Iterator[Finding]:
    """A handler of personal information of children under 14 needs a guardian's consent
    and dedicated processing rules; the policy declares them in `children`."""
    if subject.policy.children is None:
        yield Finding.at(subject.policy_loc)


@rule("PIPL-31-CHILD-AGE", ERROR, PROFILE, "PIPL Art. 28, 31",
      en="children under {minimum} need a guardian's consent; `children` declares age {age} "
         "and guardian consent {consent}",
      zh="不满{minimum}周岁未成年人的个人信息须取得监护人同意；`children` 声明的年龄为 {age}，"
         "监护人同意为 {consent}")
def child_age(subject: Subject) -> Iterator[Finding]:
    """The personal information of a child under 14 is sensitive and needs the consent of
    a parent or guardian: a declared age below 14, or no guardian consent, contradicts
    the law and is an error."""
    rules = subject.policy.children
    if rules and (rules.age < MINIMUM_CHILD_AGE or not rules.guardian_consent):
        yield Finding.at(rules.loc, minimum=MINIMUM_CHILD_AGE, age=rules.age,
                         consent="yes" if rules.guardian_consent else "no")

# ------------------------------------------------------------------ Art. 44-50: rights


def _right_rule(code: str, article: str, kind: str, en: str, zh: str, why: str) -> None:
    @rule(code, WARNING, PROFILE, article,
          en=f"the rights section does not describe how to {en} (a right of kind `{kind}`)",
          zh=f"“您的权利”中未说明如何{zh}（`kind: {kind}`）", explanation=why)
    def check(subject: Subject) -> Iterator[Finding]:
        return missing_right(subject, kind, en)


_right_rule("PIPL-45-ACCESS", "PIPL Art. 45(1)", "access", "access personal information",
            "查阅个人信息",
            "The rights section describes how the user accesses (查阅) their personal "
            "information: a right of kind `access`.")
_right_rule("PIPL-45-COPY", "PIPL Art. 45(1)-(2)", "copy", "obtain a copy", "复制个人信息",
            "The rights section describes how the user obtains a copy (复制) of their personal "
            "information: a right of kind `copy`.")
_right_rule("PIPL-46-CORRECT", "PIPL Art. 46", "correct", "correct personal information",
            "更正、补充个人信息",
            "The rights section describes how the user corrects or completes inaccurate "
            "personal information: a right of kind `correct`.")
_right_rule("PIPL-47-DELETE", "PIPL Art. 47", "delete", "delete personal information",
            "删除个人信息",
            "The rights section describes how the user has personal information deleted: a "
            "right of kind `delete`.")
_right_rule("PIPL-15-WITHDRAW", "PIPL Art. 15", "withdraw_consent", "withdraw consent",
            "撤回同意",
            "The rights section describes a convenient way to withdraw consent (Art. 15 "
            "requires it to be as easy as giving it): a right of kind `withdraw_consent`.")
_right_rule("PIPL-48-EXPLAIN", "PIPL Art. 48", "explanation",
            "ask for an explanation of the processing rules", "要求解释说明个人信息处理规则",
            "The rights section describes how the user asks the handler to explain its "
            "processing rules: a right of kind `explanation`.")
_right_rule("PIPL-50-REQUESTS", "PIPL Art. 50", "requests", "make a request and how it is "
            "answered", "提出请求及我们如何响应",
            "The rights section describes how requests are made and answered, and the "
            "reasons for refusing one (Art. 50): a right of kind `requests`.")

# ----------------------------------------------------------------------- Art. 52: officer


@rule("PIPL-52-OFFICER", WARNING, PROFILE, "PIPL Art. 52",
      en="the contact of the personal-information protection officer is missing "
         "(`contact.officer` with an e-mail or phone)",
      zh="缺少个人信息保护负责人的联系方式（`contact.officer` 的电子邮箱或电话）")
def officer(subject: Subject) -> Iterator[Finding]:
    """A handler processing personal information above the CAC's threshold appoints a
    personal-information protection officer and publishes the officer's contact. A
    warning: the duty depends on the volume processed."""
    contact = subject.policy.contact
    if not (contact.officer and (contact.officer.email or contact.officer.phone)):
        yield Finding.at(contact.loc)
