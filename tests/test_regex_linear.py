"""Every regular expression policyc runs on user text takes time linear in the text.

Each pattern compiled in the package (module level, or written literally in a call such
as ``re.search(r"…", text)``) is run over adversarial text at two sizes, n and 8n, in one
run, and the ratio of the two CPU times is asserted: about 8 for a linear search, about
64 for a quadratic one (the e-mail search ``[\\w.]+@…`` over a run of letters with no
``@``, a street address over "1 A 1 A 1 A …"). The text repeats a short unit: fixed
units known to hurt backtracking searches, then units Hypothesis draws from the
pattern's own characters. A pattern used only with ``match`` at a fixed start is
measured with ``match``.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import policyc

TOOL = Path(policyc.__file__).parent
SMALL, LARGE = 1000, 8000
RATIO = 24          # linear ≈ 8, quadratic ≈ 64
SLOW_ENOUGH = 0.002  # seconds for the large text below which nothing can be told
# patterns only ever run with .match at the start of a short piece (a label, a link)
MATCH_ONLY = {"policyc.inline.SCHEME", "policyc.importers.numbering._PATTERNS",
              "policyc.importers.typed.IDENTITY", "policyc.importers.text.DELIMITER"}
UNITS = ["a", "A", "1", " ", ".", "@", "中", "a@", "1 ", "1 A", "a.", "A ", ", ", "\n",
         "（", "第", "地址：", "-", "a1", "1.", "Aa ", " a", "\t", "<", "[", "*", "_", "{",
         "http://", "a:", "：", "、", "[a](", "**a", "_a", "1a", "一", "a_", "\t\n", " \n"]


def _module_patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern a module of the package holds (in a list: ``NAME[k]``)."""
    found: dict[str, re.Pattern] = {}

    def collect(obj, name: str, depth: int = 0) -> None:
        if isinstance(obj, re.Pattern):
            found.setdefault(name, obj)
        elif isinstance(obj, (list, tuple)) and depth < 3:
            for k, item in enumerate(obj):
                collect(item, f"{name}[{k}]", depth + 1)
        elif isinstance(obj, dict) and depth < 3:
            for key, item in obj.items():
                collect(item, f"{name}[{key!r}]", depth + 1)

    for info in pkgutil.walk_packages(policyc.__path__, "policyc."):
        if not info.name.endswith("__main__"):
            for attr, value in vars(importlib.import_module(info.name)).items():
                collect(value, f"{info.name}.{attr}")
    return found


def _literal_patterns() -> dict[str, tuple[re.Pattern, bool]]:
    """Patterns written as string literals in calls such as ``re.search(r"…", text)``,
    each with whether the call only matches at the start."""
    found = {}
    for path in sorted(TOOL.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in ("search", "finditer", "findall", "sub", "subn",
                                           "split", "compile", "match", "fullmatch")
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, (str, bytes))):
                flags = 0
                for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                    if isinstance(arg, ast.Attribute) and isinstance(getattr(re, arg.attr, None),
                                                                     re.RegexFlag):
                        flags |= getattr(re, arg.attr)
                found[f"{path.relative_to(TOOL)}:{node.lineno}"] = (
                    re.compile(node.args[0].value, flags),
                    node.func.attr in ("match", "fullmatch"))
    return found


def _all_patterns() -> dict[str, tuple[re.Pattern, bool]]:
    """Name → (pattern, run only with match)."""
    patterns = {name: (pattern, name.split("[")[0] in MATCH_ONLY)
                for name, pattern in _module_patterns().items()}
    known = {(p.pattern, p.flags) for p, _ in patterns.values()}
    for name, (pattern, match_only) in _literal_patterns().items():
        if (pattern.pattern, pattern.flags) not in known:
            patterns[name] = (pattern, match_only)
    return patterns


PATTERNS = _all_patterns()


def _cpu(run, text) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        run(text)
        best = min(best, time.process_time() - start)
    return best


def growth(pattern: re.Pattern, unit: str, match_only: bool) -> tuple[float, float]:
    """CPU seconds of scanning ``unit`` repeated to SMALL and to LARGE characters."""
    if isinstance(pattern.pattern, bytes):
        unit_data = unit.encode("utf-8")
    else:
        unit_data = unit
    run = (lambda t: pattern.match(t)) if match_only else \
        (lambda t: sum(1 for _ in pattern.finditer(t)))
    small = unit_data * (SMALL // len(unit))
    large = unit_data * (LARGE // len(unit))
    return _cpu(run, small), _cpu(run, large)


def assert_linear(name: str, unit: str) -> None:
    pattern, match_only = PATTERNS[name]
    small, large = growth(pattern, unit, match_only)
    if large > SLOW_ENOUGH:
        # measured again once: a pause of the machine is not the pattern's growth
        small, large = min((small, large), growth(pattern, unit, match_only),
                           key=lambda pair: pair[1] / max(pair[0], 1e-7))
        assert large / max(small, 1e-7) < RATIO, (
            f"{name} {pattern.pattern[:80]!r} grows {large / max(small, 1e-7):.0f}x "
            f"from {SMALL} to {LARGE} characters of {unit!r}")


def test_the_audit_finds_the_patterns():
    assert len(PATTERNS) > 100
    for name in ("policyc.importers.facts.EMAIL", "policyc.importers.facts.ADDRESS",
                 "policyc.check.registry.MARKUP", "policyc.render.docx.LINE_BREAK"):
        assert name in PATTERNS, name


def test_patterns_said_to_be_match_only_are_never_searched():
    source = "\n".join(p.read_text("utf-8") for p in TOOL.rglob("*.py"))
    for name in MATCH_ONLY:
        attr = name.rpartition(".")[2]
        assert not re.search(rf"\b{attr}\.(search|finditer|findall|sub|split)\(", source), name


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_known_adversarial_units(name):
    for unit in UNITS:
        assert_linear(name, unit)


def _pattern_chars(pattern: re.Pattern) -> list[str]:
    text = pattern.pattern if isinstance(pattern.pattern, str) else \
        pattern.pattern.decode("latin-1")
    return sorted({c for c in text if c.isprintable() and c not in "\\()?*+|^$"}
                  | set("a1 .\n中"))


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_generated_adversarial_units(name, data):
    alphabet = _pattern_chars(PATTERNS[name][0])
    unit = data.draw(st.lists(st.sampled_from(alphabet), min_size=1, max_size=5).map("".join))
    assert_linear(name, unit)


@pytest.mark.parametrize("text, email, address", [
    ("Write to privacy.team+x@mail.example.co.uk today.", "privacy.team+x@mail.example.co.uk",
     None),
    ("Example Inc., 1600 Amphitheatre Parkway, Mountain View, CA 94043, USA. "
     "E-mail: a_b@ex.com", "a_b@ex.com",
     "1600 Amphitheatre Parkway, Mountain View, CA 94043"),
    ("联系地址：北京市海淀区示例路1号。邮箱 dpo@example.cn", "dpo@example.cn", "北京市海淀区示例路1号"),
])
def test_the_linear_searches_find_what_they_found(text, email, address):
    from policyc.importers.facts import ADDRESS, EMAIL

    assert EMAIL.search(text).group() == email
    found = ADDRESS.search(text)
    assert (found and (found.group("zh") or found.group("us")).strip()) == address or \
        (found is None and address is None)
