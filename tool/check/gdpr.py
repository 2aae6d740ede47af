"""GDPR rules (Regulation (EU) 2016/679, Art. 13 information to be provided): profile
``gdpr``."""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from .registry import (Finding, Subject, features_lacking, missing_right, rule,
                       sdks_lacking)

WARNING = Severity.WARNING
PROFILE = "gdpr"


def _gdpr_loc(subject: Subject):
    gdpr = subject.policy.gdpr
    return gdpr.loc if gdpr else subject.policy_loc


@rule("GDPR-13-DPO", WARNING, PROFILE, "GDPR Art. 13(1)(b), 37",
      en="the contact of the data protection officer is missing (`gdpr.dpo`)",
      zh="缺少数据保护官的联系方式（`gdpr.dpo`）")
def dpo(subject: Subject) -> Iterator[Finding]:
    """The policy gives the contact details of the data protection officer."""
    gdpr = subject.policy.gdpr
    if not (gdpr and gdpr.dpo and (gdpr.dpo.email or gdpr.dpo.phone)):
        yield Finding.at(_gdpr_loc(subject))


@rule("GDPR-27-REPRESENTATIVE", WARNING, PROFILE, "GDPR Art. 13(1)(a), 27",
      en="the controller's representative in the EU is not named (`gdpr.representative`)",
      zh="未说明控制者在欧盟的代表（`gdpr.representative`）")
def representative(subject: Subject) -> Iterator[Finding]:
    """A controller outside the EU that offers services to people in the EU names its
    representative in the Union, with contact details."""
    gdpr = subject.policy.gdpr
    if not (gdpr and gdpr.representative):
        yield Finding.at(_gdpr_loc(subject))


@rule("GDPR-13-PURPOSE", WARNING, PROFILE, "GDPR Art. 13(1)(c)",
      en="feature '{feature}' does not state the purpose of processing (`purpose`)",
      zh="业务功能“{feature}”未说明处理目的（`purpose`）")
def purpose(subject: Subject) -> Iterator[Finding]:
    """Each feature states the purpose for which the personal data are processed."""
    yield from features_lacking(subject, lambda feature: feature.purpose)


@rule("GDPR-13-LEGAL-BASIS", WARNING, PROFILE, "GDPR Art. 13(1)(c)-(d), 6(1)",
      en="feature '{feature}' does not state its legal basis (`legal_basis`)",
      zh="业务功能“{feature}”未说明处理的法律依据（`legal_basis`）")
def legal_basis(subject: Subject) -> Iterator[Finding]:
    """Each purpose has a legal basis from Art. 6(1): consent, contract, legal
    obligation, vital interests, public task or legitimate interests."""
    yield from features_lacking(subject, lambda feature: feature.legal_basis)


@rule("GDPR-13-RECIPIENTS", WARNING, PROFILE, "GDPR Art. 13(1)(e)",
      en="recipient '{sdk}' does not name the company that receives the data (`provider`)",
      zh="接收方“{sdk}”未说明接收数据的公司（`provider`）")
def recipients(subject: Subject) -> Iterator[Finding]:
    """The policy names the recipients of personal data: every SDK names its provider."""
    yield from sdks_lacking(subject, lambda sdk: sdk.provider)


@rule("GDPR-13-TRANSFERS", WARNING, PROFILE, "GDPR Art. 13(1)(f), 44-49",
      en="policy.yaml does not state whether data is transferred to third countries "
         "(`storage.cross_border`)",
      zh="policy.yaml 未说明数据是否转移至第三国（`storage.cross_border`）")
def transfers(subject: Subject) -> Iterator[Finding]:
    """The policy states whether personal data is transferred outside the EU and on
    which safeguards."""
    storage = subject.policy.storage
    if storage is None or not storage.cross_border:
        yield Finding.at(storage.loc if storage else subject.policy_loc)


@rule("GDPR-13-RETENTION", WARNING, PROFILE, "GDPR Art. 13(2)(a)",
      en="feature '{feature}' does not state how long its data is kept (`retention`, or "
         "`storage.retention` in policy.yaml)",
      zh="业务功能“{feature}”未说明数据的保存期限（`retention`，或 policy.yaml 中的 "
         "`storage.retention`）")
def retention(subject: Subject) -> Iterator[Finding]:
    """Each feature states the period its data is kept or the criteria that fix it."""
    yield from features_lacking(subject, subject.retention_of)


@rule("GDPR-77-COMPLAINT", WARNING, PROFILE, "GDPR Art. 13(2)(d), 77",
      en="the supervisory authority the user can complain to is not named "
         "(`gdpr.supervisory_authority`)",
      zh="未说明用户可以向其投诉的监管机构（`gdpr.supervisory_authority`）")
def supervisory_authority(subject: Subject) -> Iterator[Finding]:
    """The policy tells the user of the right to lodge a complaint with a supervisory
    authority, and names it."""
    gdpr = subject.policy.gdpr
    if not (gdpr and gdpr.supervisory_authority):
        yield Finding.at(_gdpr_loc(subject))


def _right_rule(code: str, article: str, kind: str, en: str, zh: str) -> None:
    @rule(code, WARNING, PROFILE, article,
          en=f"the rights section does not describe the right {en} (a right of kind `{kind}`)",
          zh=f"“您的权利”中未说明{zh}（`kind: {kind}`）",
          explanation=f"Art. 13(2) requires the policy to inform the user of the right {en}; "
                      f"the rights section has a right of kind `{kind}`.")
    def check(subject: Subject) -> Iterator[Finding]:
        return missing_right(subject, kind, en)


_right_rule("GDPR-15-ACCESS", "GDPR Art. 13(2)(b), 15", "access", "of access", "访问权")
_right_rule("GDPR-16-RECTIFY", "GDPR Art. 13(2)(b), 16", "correct", "to rectification",
            "更正权")
_right_rule("GDPR-17-ERASE", "GDPR Art. 13(2)(b), 17", "delete", "to erasure", "删除权")
_right_rule("GDPR-18-RESTRICT", "GDPR Art. 13(2)(b), 18", "restrict",
            "to restriction of processing", "限制处理权")
_right_rule("GDPR-20-PORTABILITY", "GDPR Art. 13(2)(b), 20", "portability",
            "to data portability", "数据可携带权")
_right_rule("GDPR-21-OBJECT", "GDPR Art. 13(2)(b), 21", "object", "to object", "反对权")
_right_rule("GDPR-7-WITHDRAW", "GDPR Art. 13(2)(c), 7(3)", "withdraw_consent",
            "to withdraw consent at any time", "随时撤回同意的权利")
