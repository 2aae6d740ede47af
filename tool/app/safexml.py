"""Untrusted XML, parsed safely: no entities, no DTD, no network, bounded size.

App manifests and property lists come from builds policyc does not control. A file that
declares entities (the "billion laughs" and external-entity attacks) is refused before
it is parsed; lxml runs with entity substitution, DTD loading and network access off.
"""
from __future__ import annotations

import re

from . import ReadProblem

MAX_XML_BYTES = 16 * 1024 * 1024
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


class XmlProblem(ReadProblem):
    """Why a file cannot be read as XML."""


def parse_xml(data: bytes):
    """The lxml tree of ``data``; raises :class:`XmlProblem` for anything unsafe or broken."""
    from lxml import etree

    if len(data) > MAX_XML_BYTES:
        limit = MAX_XML_BYTES // (1024 * 1024)
        raise XmlProblem(f"file is larger than {limit} MiB; refused", f"文件大于 {limit} MiB，拒绝读取")
    for pattern, what, what_zh in ((_ENTITY_DECLARATION, "declares XML entities", "声明了 XML 实体"),
                                   (_DOCTYPE, "has an internal DTD", "含有内部 DTD")):
        found = pattern.search(data)
        if found:
            line = data.count(b"\n", 0, found.start()) + 1
            raise XmlProblem(f"{what}; refused (entities are never expanded)",
                             f"{what_zh}，拒绝读取（从不展开实体）", line)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        message = str(exc.msg or exc).split(", line ")[0]
        raise XmlProblem(f"not well-formed XML: {message}", f"XML 格式错误：{message}", line) from None
    if root is None:
        raise XmlProblem("empty XML document", "XML 文档为空")
    return root


def local_name(tag) -> str:
    """An element's name without its namespace ('' for comments and the like)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
