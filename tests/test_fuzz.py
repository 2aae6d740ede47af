"""Whatever the sources contain, policyc ends with exit 0 or 1 and clean diagnostics.

Hypothesis mutates copies of the reference sources the way an editor (or a bad merge)
would — deleting, duplicating and swapping lines, inserting random bytes, changing
indentation — and builds them (HTML and Markdown) into a copy of an earlier build.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REFERENCE_SRC
from policyc.build import build
from policyc.cli import cli

DIAGNOSTIC = re.compile(r"^[^:]+:\d+:\d+: (error|warning|note): .+")
EVIDENCE = re.compile(r"^    (read: .+:\d+: .*|searched: .+)$")
SUMMARY = re.compile(r"^(\d+ errors?(, \d+ warnings?)?|\d+ warnings?)$")  # build, check
CHECK_SUMMARY = re.compile(r"^.+: (no findings|\d+ errors?, \d+ warnings?)(, \d+ notes?)? \(profiles: .+\)$")
SOURCES = sorted(p.relative_to(REFERENCE_SRC).as_posix() for p in REFERENCE_SRC.rglob("*.yaml"))

ANY_LINE = st.integers(min_value=0, max_value=10**6)
MUTATION = st.one_of(
    st.tuples(st.just("delete"), ANY_LINE),
    st.tuples(st.just("duplicate"), ANY_LINE),
    st.tuples(st.just("swap"), ANY_LINE, ANY_LINE),
    st.tuples(st.just("bytes"), ANY_LINE, st.integers(0, 200), st.binary(min_size=1, max_size=6)),
    st.tuples(st.just("indent"), ANY_LINE, st.sampled_from([b"", b" ", b"  ", b"    ", b"\t"])),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    """``data`` with each mutation applied in turn (line numbers wrap around)."""
    lines = data.split(b"\n")
    for kind, n, *rest in mutations:
        i = n % len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = rest[0] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "bytes":
            at = min(rest[0], len(lines[i]))
            lines[i] = lines[i][:at] + rest[1] + lines[i][at:]
        elif kind == "indent":
            lines[i] = rest[0] + lines[i].lstrip(b" ")
    return b"\n".join(lines)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory) -> Path:
    """The reference sources built to HTML and Markdown, to be copied per example."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    build(REFERENCE_SRC, out, ["html", "md"])
    return out


def assert_clean(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for line in lines[:-1]:
        # a finding's evidence is indented under it
        assert DIAGNOSTIC.match(line) or EVIDENCE.match(line), line
    if lines:
        last = lines[-1]
        assert DIAGNOSTIC.match(last) or SUMMARY.match(last) or CHECK_SUMMARY.match(last), last


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source=st.sampled_from(SOURCES), mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_mutated_sources_never_crash_nor_damage_the_build(earlier_build, source, mutations):
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        shutil.copytree(REFERENCE_SRC, src)
        shutil.copytree(earlier_build, out)
        before = snapshot(out)
        target = src / source
        target.write_bytes(mutate(target.read_bytes(), mutations))

        result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out),
                                          "-f", "html", "-f", "md"])
        assert_clean(result)
        if result.exit_code == 1:
            assert ": error: " in result.stderr
            assert snapshot(out) == before
        else:
            manifest = json.loads((out / "manifest.json").read_text("utf-8"))
            for artifact in manifest["artifacts"]:
                data = (out / artifact["path"]).read_bytes()
                assert hashlib.sha256(data).hexdigest() == artifact["sha256"]

        assert_clean(CliRunner().invoke(cli, ["check", str(src)]))


def test_mutations_do_change_the_sources():
    data = b"a: 1\nb:\n  - x\n"
    assert mutate(data, [("delete", 0)]) == b"b:\n  - x\n"
    assert mutate(data, [("duplicate", 0)]) == b"a: 1\na: 1\nb:\n  - x\n"
    assert mutate(data, [("swap", 0, 1)]) == b"b:\na: 1\n  - x\n"
    assert mutate(data, [("bytes", 2, 1, b"\xff")]) == b"a: 1\nb:\n \xff - x\n"
    assert mutate(data, [("indent", 2, b"\t")]) == b"a: 1\nb:\n\t- x\n"
