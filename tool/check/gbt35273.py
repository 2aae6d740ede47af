"""GB/T 35273-2020 (Information security technology — Personal information security
specification) rules: profile ``pipl``."""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Severity
from .registry import (Finding, Subject, all_texts, clauses, mentions, missing_right, rule,
                       says)

WARNING = Severity.WARNING
PROFILE = "pipl"


REGION = re.compile(r"境内|境外|中国|中华人民共和国|大陆|香港|新加坡|美国|欧盟|欧洲|服务器位于|数据中心|"
                    r"China|PRC|Singapore|United States|\bEU\b|\bEEA\b|Europe|located in|"
                    r"servers? in|data cent", re.IGNORECASE)
CANCEL_ACCOUNT = re.compile(r"注销(账号|账户|帐号|帐户)|(cancel|close|delete)\w* (your|the) account",
                            re.IGNORECASE)
COMPLAINT = re.compile(r"投诉|举报|complain", re.IGNORECASE)
CROSS_BORDER = re.compile(r"跨境|出境|境外|transfer|outside (of )?(china|the)|international|"
                          r"third countr", re.IGNORECASE)


@rule("GBT-STORAGE-REGION", WARNING, PROFILE, "GB/T 35273-2020 5.5 c), Appendix D",
      en="the policy does not say where personal information is stored (`storage.region`, or "
         "a region in the section of role `storage`)",
      zh="本政策未说明个人信息的存储地点（`storage.region`，或 `role: storage` 一节中的地域）")
def storage_region(subject: Subject) -> Iterator[Finding]:
    """The policy states the region where personal information is stored, e.g.
    中华人民共和国境内, as the published `storage.region`, in the section of role
    `storage`, or in a sentence anywhere that stores data in a region ("存储在中国境内")."""
    if subject.policy_fact("storage.region") or mentions(subject, REGION, "storage"):
        return
    if any(STORED.search(c) and REGION.search(c) for text in all_texts(subject)
           for c in clauses(text)):
        return
    yield Finding.at(subject.role_loc("storage")).searching(subject.searched())


PROVIDED = re.compile(r"提供|传输|转移|transfer|provide", re.IGNORECASE)
STORED = re.compile(r"存储|储存|存放|保存|服务器|stor(e|ed|age)|server|host", re.IGNORECASE)


@rule("GBT-CROSS-BORDER", WARNING, PROFILE, "GB/T 35273-2020 5.5 c); PIPL Art. 38-39",
      en="the policy does not say whether personal information leaves the country "
         "(`storage.cross_border`, or the sections of role `storage` or `transfers`)",
      zh="本政策未说明个人信息是否出境（`storage.cross_border`，或 `role: storage`、"
         "`role: transfers` 的章节）")
def cross_border(subject: Subject) -> Iterator[Finding]:
    """The policy states whether personal information is transferred abroad, as the
    published `storage.cross_border` or in the section of role `storage` or `transfers`."""
    if not (subject.policy_fact("storage.cross_border") or subject.with_role("transfers")
            or mentions(subject, CROSS_BORDER, "storage") or any(
                CROSS_BORDER.search(c) and (STORED.search(c) or PROVIDED.search(c))
                for text in all_texts(subject) for c in clauses(text))):
        yield Finding.at(subject.role_loc("transfers", "storage")).searching(subject.searched())


@rule("GBT-SECURITY", WARNING, PROFILE, "GB/T 35273-2020 5.5 e), Appendix D; PIPL Art. 51",
      en="no section of role `security` describes the measures protecting personal "
         "information",
      zh="没有 `role: security` 的章节说明个人信息安全保护措施")
def security(subject: Subject) -> Iterator[Finding]:
    """The policy describes how personal information is protected, in a section of role
    `security` or in sentences on security measures anywhere (加密, encryption …)."""
    if not says(subject, "security"):
        yield Finding.at(subject.sections_loc).searching(subject.searched())


@rule("GBT-COMPLAINT", WARNING, PROFILE, "GB/T 35273-2020 5.5 g), 8.7; PIPL Art. 50",
      en="neither the rights section (a right of kind `complaint`) nor the contact section "
         "gives a complaint channel",
      zh="“您的权利”（`kind: complaint`）和联系我们一节均未说明投诉渠道")
def complaint(subject: Subject) -> Iterator[Finding]:
    """The policy gives a complaint channel, how long an answer takes and the external
    body the user can turn to when the answer does not satisfy them: a right of kind
    `complaint`, or a complaint channel in any words anywhere in the policy (the in-app
    path "反馈/投诉" counts)."""
    channel = subject.policy.contact.in_app_feedback
    if (COMPLAINT.search(str(channel or "")) or subject.policy_fact("contact.complaint")
            or mentions(subject, COMPLAINT)):
        return iter(())
    return missing_right(subject, "complaint", "complain")


@rule("GBT-CANCEL-ACCOUNT", WARNING, PROFILE, "GB/T 35273-2020 8.5; App 认定方法 4",
      en="the rights section does not describe how to cancel the account (a right of kind "
         "`cancel_account`)",
      zh="“您的权利”中未说明如何注销账号（`kind: cancel_account`）")
def cancel_account(subject: Subject) -> Iterator[Finding]:
    """An app with accounts lets the user cancel the account as easily as registering,
    and says how: a right of kind `cancel_account`, or a sentence anywhere in the policy
    on cancelling or deleting the account."""
    if mentions(subject, CANCEL_ACCOUNT):
        return iter(())
    return missing_right(subject, "cancel_account", "cancel the account")
