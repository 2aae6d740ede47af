"""Section roles: rules find sections by their declared `role`, never by a word in a
title. A prose section without a role whose title reads like one gets a suggestion."""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Severity
from .registry import ALWAYS, Finding, Subject, role_of, rule

# Checked in this order: the first match wins, so "未成年人信息的保护" reads as children,
# not security, and "第三方共享" as sharing.
TITLE_ROLES = (
    ("children", r"儿童|未成年|child|minor"),
    ("transfers", r"跨境|出境|境外|transfer|international|outside"),
    ("cookies", r"cookie|同类技术|tracking"),
    ("sdks", r"sdk"),
    ("sharing", r"共享|转让|公开披露|披露|shar|disclos"),
    ("third_parties", r"第三方|third[- ]part"),
    ("automated_decisions", r"自动化决策|个性化推荐|个性化推送|automated|profiling"),
    ("storage", r"存储|储存|保存|保留|storage|stor(e|ing)|retention|retain"),
    ("security", r"保护|安全|secur|protect"),
    ("rights", r"权利|权限管理|管理您的|rights|choices|control"),
    ("updates", r"更新|变更|修订|update|change"),
    ("contact", r"联系|contact"),
    ("definitions", r"定义|术语|definition"),
    ("scope", r"适用范围|范围|scope|about this|who we are"),
    ("collection", r"收集|collect"),
    ("use", r"使用|use"),
)
TITLE_PATTERNS = tuple((role, re.compile(pattern, re.IGNORECASE))
                       for role, pattern in TITLE_ROLES)


def role_from_title(title: str) -> str | None:
    """The role a section title reads like, or None."""
    return next((role for role, pattern in TITLE_PATTERNS if pattern.search(title)), None)


@rule("CONS-ROLE-SUGGESTED", Severity.NOTE, ALWAYS, "policyc source format",
      en="section '{title}' has no `role`; its title reads like `role: {role}`, which no "
         "section declares — add it if the section is about that",
      zh="章节“{title}”未声明 `role`；其标题像是 `role: {role}`，而没有章节声明该角色——"
         "若本节即说明此内容，请添加")
def role_suggested(subject: Subject) -> Iterator[Finding]:
    """Rules look sections up by `role` (collection, sharing, storage, security, rights,
    children, updates …), never by a word in a title. A top-level prose section without
    a role whose title reads like a role no section declares is a suggestion, not a
    finding about the policy: the editor confirms it by adding `role`."""
    declared = {role_of(section) for section in subject.sections}
    suggested: set[str] = set()
    for section_file in subject.project.sections:
        section = section_file.section
        if role_of(section):
            continue
        role = role_from_title(str(section.title))
        if role and role not in declared and role not in suggested:
            suggested.add(role)
            yield Finding.at(section.title.loc, title=section.title, role=role)
