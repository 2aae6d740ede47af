"""Untrusted XML, parsed safely: no entities, no DTD, no network, bounded size.

App manifests and property lists come from builds policyc does not control. A file that
declares entities (the "billion laughs" and external-entity attacks) is refused before
it is parsed; lxml runs with entity substitution, DTD loading and network access off.
"""
from __future__ import annotations

import re

MAX_XML_BYTES = 16 * 1024 * 1024
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


class XmlProblem(Exception):
    """Why a file cannot be read as XML, with the line where it shows (0: the file)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


def parse_xml(data: bytes):
    """The lxml tree of ``data``; raises :class:`XmlProblem` for anything unsafe or broken."""
    from lxml import etree

    if len(data) > MAX_XML_BYTES:
        raise XmlProblem(f"file is larger than {MAX_XML_BYTES // (1024 * 1024)} MiB; refused")
    for pattern, what in ((_ENTITY_DECLARATION, "declares XML entities"),
                          (_DOCTYPE, "has an internal DTD")):
        found = pattern.search(data)
        if found:
            line = data.count(b"\n", 0, found.start()) + 1
            raise XmlProblem(f"{what}; refused (entities are never expanded)", line)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        message = str(exc.msg or exc).split(", line ")[0]
        raise XmlProblem(f"not well-formed XML: {message}", line) from None
    if root is None:
        raise XmlProblem("empty XML document")
    return root


def local_name(tag) -> str:
    """An element's name without its namespace ('' for comments and the like)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
