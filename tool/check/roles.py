"""Section roles: rules find sections by their declared `role`. A prose section without
a role whose title reads like one gets a suggestion (see :func:`.registry.roles_from_title`)."""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from .registry import ALWAYS, Finding, Subject, declared_role, roles_from_title, rule


@rule("CONS-ROLE-SUGGESTED", Severity.NOTE, ALWAYS, "policyc source format",
      en="section '{title}' has no `role`; its title reads like {roles}, which no section "
         "declares — add `role: {role}` if the section is about that",
      zh="章节“{title}”未声明 `role`；其标题像是 {roles}，而没有章节声明该角色——"
         "若本节即说明此内容，请添加 `role: {role}`")
def role_suggested(subject: Subject) -> Iterator[Finding]:
    """Rules look sections up by `role` (collection, sharing, storage, security, rights,
    children, updates …). A top-level section that declares no role and whose title
    reads like a role no section declares (beyond the one its type implies) is a
    suggestion, not a finding about the policy:
    until the editor confirms it by adding `role`, the rules that need that role read
    the suggested section, and report nothing missing that it may hold. A declared role
    always wins over a title."""
    declared = subject.declared_roles()
    for section_file in subject.project.sections:
        section = section_file.section
        if section.role or section.title is None:
            continue
        roles = [r for r in roles_from_title(str(section.title))
                 if r not in declared and r != declared_role(section)]
        if roles:
            yield Finding.at(section.title.loc, title=section.title, role=roles[0],
                             roles=[f"`role: {r}`" for r in roles])


@rule("CONS-THIRD-PARTY-LIST", Severity.NOTE, ALWAYS, "MIIT 第三方信息共享清单",
      en="this document only lists third parties: it is checked as a third-party list, and "
         "the duties of the whole policy (rights, children, storage …) are left to the policy",
      zh="本文件仅列出第三方：按第三方信息共享清单检查，隐私政策整体的要求（权利、儿童、存储等）"
         "由隐私政策本身满足")
def third_party_list(subject: Subject) -> Iterator[Finding]:
    """A 第三方信息共享清单 published on its own (every section is a section of SDKs) is an
    annex of the policy. It is held to what such a list must say for each third party —
    name, provider, contact, purpose, method, data, privacy-policy link — and not to what
    the policy as a whole must say; the note says so, so that an empty result is not
    taken for a complete policy."""
    if subject.is_third_party_list():
        yield Finding.at(subject.sections_loc)
