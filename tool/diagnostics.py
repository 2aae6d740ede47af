"""Diagnostics: every problem policyc finds, with its place in the sources.

Library code never prints and never exits. It adds :class:`Diagnostic` objects to a
:class:`Report`; the command-line layer prints them compiler-style
(``path:line:col: error: message``) and turns the report into an exit code.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Iterable, NamedTuple


class Loc(NamedTuple):
    """A place in a source file; line and column count from 1 (0: not known)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        """``path:line:col``; a finding about a whole file points at its start."""
        return f"{self.path}:{self.line or 1}:{self.col or 1}"


class Severity(IntEnum):
    """How bad a finding is; errors stop a build."""

    NOTE = 0         # a suggestion: never counts towards the exit status
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters (and bidirectional overrides) written as escapes."""
    return UNPRINTABLE.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
        m.group(), m.group().encode("unicode_escape").decode("ascii")), text)


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where, how bad, what, and optionally a stable rule code."""

    loc: Loc
    severity: Severity
    message: str
    code: str = ""
    # What a compliance finding rests on, shown under it; not part of its identity (a
    # build replayed from the cache reports the same findings without it).
    evidence: tuple = field(default=(), compare=False)    # check.registry.Evidence items
    searched: tuple[str, ...] = field(default=(), compare=False)   # sections read in full

    def format(self) -> str:
        """The compiler-style line, e.g. ``a.yaml:3:5: error: unknown key``.

        Always one line, and never a raw control character (which a terminal would obey):
        line breaks in a message (a quoted multi-line value) are shown as ``\\n``, other
        control characters as ``\\x1b`` and the like, in the path too.
        """
        suffix = f" [{self.code}]" if self.code else ""
        return f"{printable(str(self.loc))}: {self.severity}: {printable(self.message)}{suffix}"

    def sort_key(self) -> tuple:
        return (self.loc.path, self.loc.line, self.loc.col, -self.severity, self.message)


@dataclass(frozen=True)
class Issue:
    """A problem found but not yet worded: the code of the rule that words it, where it
    is, and the values its message names (messages exist in several languages)."""

    code: str
    loc: Loc
    values: dict[str, str]

    def worded(self, messages: dict[str, str]) -> str:
        """The message of ``messages`` for this code, with the values filled in."""
        return messages[self.code].format_map(self.values)


@dataclass
class Report:
    """The findings of one run, collected from every stage."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    review: list[Diagnostic] = field(default_factory=list)
    """Items a rule could not decide: for a person to judge, never counted as findings."""

    def add(self, loc: Loc, message: str, severity: Severity = Severity.ERROR,
            code: str = "", evidence: tuple = (), searched: tuple[str, ...] = ()) -> None:
        """Record a finding (an error unless a severity is given)."""
        self.diagnostics.append(Diagnostic(loc, severity, message, code, evidence, searched))

    def error(self, loc: Loc, message: str, code: str = "") -> None:
        self.add(loc, message, Severity.ERROR, code)

    def warning(self, loc: Loc, message: str, code: str = "") -> None:
        self.add(loc, message, Severity.WARNING, code)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors, each once (two editions may find the same problem in one text)."""
        return list(dict.fromkeys(d for d in self.diagnostics if d.severity is Severity.ERROR))

    @property
    def warnings(self) -> list[Diagnostic]:
        return list(dict.fromkeys(d for d in self.diagnostics
                                  if d.severity is Severity.WARNING))

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def sorted(self) -> list[Diagnostic]:
        """Findings sorted by file, line and column, duplicates removed."""
        return sorted(set(self.diagnostics), key=Diagnostic.sort_key)

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 on errors (or on warnings when ``strict``)."""
        if self.has_errors or (strict and self.warnings):
            return 1
        return 0

    def sorted_review(self) -> list[Diagnostic]:
        """The review items sorted like findings, duplicates removed."""
        return sorted(set(self.review), key=Diagnostic.sort_key)


class PolicyError(Exception):
    """Raised by a stage that cannot go on; carries the report that says why."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


def display_path(path: str | os.PathLike, base: str | os.PathLike | None = None) -> str:
    """A path as the user should see it: relative to ``base`` (default: cwd) when inside."""
    path = os.path.abspath(path)
    base = os.path.abspath(base or os.getcwd())
    try:
        rel = os.path.relpath(path, base)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
