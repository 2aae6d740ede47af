"""GB/T 35273-2020 (Information security technology — Personal information security
specification) rules: profile ``pipl``."""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from .registry import Finding, Subject, missing_right, rule

WARNING = Severity.WARNING
PROFILE = "pipl"


@rule("GBT-STORAGE-REGION", WARNING, PROFILE, "GB/T 35273-2020 5.5 c), Appendix D",
      en="policy.yaml does not declare where personal information is stored (`storage.region`)",
      zh="policy.yaml 未声明个人信息的存储地点（`storage.region`）")
def storage_region(subject: Subject) -> Iterator[Finding]:
    """The policy states the region where personal information is stored, e.g.
    中华人民共和国境内; PIPL Art. 40 requires storage in China for some handlers."""
    if subject.policy.storage is None:
        yield Finding.at(subject.policy_loc)


@rule("GBT-CROSS-BORDER", WARNING, PROFILE, "GB/T 35273-2020 5.5 c); PIPL Art. 38-39",
      en="policy.yaml does not state whether personal information leaves the country "
         "(`storage.cross_border`)",
      zh="policy.yaml 未说明个人信息是否出境（`storage.cross_border`）")
def cross_border(subject: Subject) -> Iterator[Finding]:
    """The policy states whether personal information is transferred abroad and, if so,
    to whom, why and how the user exercises rights against the foreign recipient."""
    storage = subject.policy.storage
    if storage is None or not storage.cross_border:
        yield Finding.at(storage.loc if storage else subject.policy_loc)


@rule("GBT-SECURITY", WARNING, PROFILE, "GB/T 35273-2020 5.5 e), Appendix D; PIPL Art. 51",
      en="no section describes the security measures protecting personal information",
      zh="没有说明个人信息安全保护措施的章节")
def security(subject: Subject) -> Iterator[Finding]:
    """The policy describes how personal information is protected. A section whose title
    speaks of protection or security (保护, 安全, protect, secur) counts."""
    if subject.section_titled("保护", "安全", "protect", "secur") is None:
        yield Finding.at(subject.sections_loc)


@rule("GBT-COMPLAINT", WARNING, PROFILE, "GB/T 35273-2020 5.5 g), 8.7; PIPL Art. 50",
      en="the rights section does not describe how to complain (a right of kind `complaint`)",
      zh="“您的权利”中未说明投诉渠道（`kind: complaint`）")
def complaint(subject: Subject) -> Iterator[Finding]:
    """The policy gives a complaint channel, how long an answer takes and the external
    body the user can turn to when the answer does not satisfy them."""
    return missing_right(subject, "complaint", "complain")


@rule("GBT-CANCEL-ACCOUNT", WARNING, PROFILE, "GB/T 35273-2020 8.5; App 认定方法 4",
      en="the rights section does not describe how to cancel the account (a right of kind "
         "`cancel_account`)",
      zh="“您的权利”中未说明如何注销账号（`kind: cancel_account`）")
def cancel_account(subject: Subject) -> Iterator[Finding]:
    """An app with accounts lets the user cancel the account as easily as registering,
    and says how."""
    return missing_right(subject, "cancel_account", "cancel the account")
