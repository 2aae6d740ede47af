"""The caches are untrusted input: they may cost time, never change an artifact or run code.

Each test builds a small policy with its own cache and state folders, damages or forges
what the cache holds, builds again and compares the output folder with a clean build.
"""
from __future__ import annotations

import json
import marshal
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_policy

POLICYC = Path(sys.executable).parent / "policyc"
SECTION = """\
id: collect
title: What we collect
blocks:
  - "We collect **your e-mail** to answer you at {email}."
"""


class Exploit:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_STATE_HOME": str(tmp_path / "state")}


def run(env, src: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(POLICYC), "build", str(src), "-o", str(out), "-f", "html",
                           "-f", "md", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def entries(env, name: str) -> list[Path]:
    return [p for p in sorted((Path(env["XDG_CACHE_HOME"]) / "policyc").glob(f"{name}/*"))
            if p.is_file()]


@pytest.fixture
def built(tmp_path, env):
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    result = run(env, src, tmp_path / "clean")
    assert result.returncode == 0, result.stderr
    return src, tree(tmp_path / "clean")


def test_build_folder_holds_only_what_is_published(tmp_path, env, built):
    src, clean = built
    listed = {a["path"] for a in json.loads(clean["manifest.json"])["artifacts"]}
    assert set(clean) == listed | {"manifest.json"}
    assert run(env, src, tmp_path / "other").returncode == 0
    assert tree(tmp_path / "other") == clean   # byte-identical as folders


def test_a_crafted_pickle_in_the_sources_cache_never_runs(tmp_path, env, built):
    src, clean = built
    marker = tmp_path / "pwned"
    sources = entries(env, "sources")
    assert sources
    for entry in sources:
        entry.write_bytes(pickle.dumps(Exploit(marker)))
    result = run(env, src, tmp_path / "again")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert tree(tmp_path / "again") == clean


def test_an_edited_cached_model_does_not_change_the_text(tmp_path, env, built):
    src, clean = built
    for entry in entries(env, "sources"):
        data = entry.read_bytes()
        entry.write_bytes(data.replace(b"your e-mail", b"your wallet"))
    assert run(env, src, tmp_path / "again").returncode == 0
    assert tree(tmp_path / "again") == clean


def test_crafted_jinja_bytecode_never_runs(tmp_path, env, built):
    src, clean = built
    marker = tmp_path / "pwned"
    code = compile(f"import os; os.system('touch {marker}')", "<x>", "exec")
    compiled = [p for p in (Path(env["XDG_CACHE_HOME"]) / "policyc").glob("jinja-*/*")]
    assert compiled
    import jinja2.bccache
    for entry in compiled:   # what Jinja's own cache would accept: magic, checksum, code
        entry.write_bytes(jinja2.bccache.bc_magic + pickle.dumps("x", 2) + marshal.dumps(code))
    result = run(env, src, tmp_path / "again")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert tree(tmp_path / "again") == clean


@pytest.mark.parametrize("state", ['"a string"', "[1, 2]", "[" * 100_000 + "]" * 100_000,
                                   '{"format": 4, "artifacts": {"en/privacy-policy.html": "x"},'
                                   ' "last_build": {"inputs": 1, "order": "x"}}'])
def test_damaged_build_state_is_a_miss(tmp_path, env, built, state, monkeypatch):
    """A state entry of the wrong shape, even one sealed with the right key, is ignored."""
    src, clean = built
    out = tmp_path / "out"
    assert run(env, src, out).returncode == 0
    folder = Path(env["XDG_CACHE_HOME"]) / "policyc" / "builds"
    monkeypatch.setenv("XDG_CACHE_HOME", env["XDG_CACHE_HOME"])
    monkeypatch.setenv("XDG_STATE_HOME", env["XDG_STATE_HOME"])
    from policyc.cache import BuildCache
    from policyc.usercache import write_sealed
    entry = BuildCache(out)
    write_sealed(entry.folder, entry.name, state.encode())
    assert len(list(folder.glob("*.json"))) == 2
    (out / "en" / "privacy-policy.html").write_text("stale", "utf-8")
    result = run(env, src, out)
    assert result.returncode == 0, result.stderr
    assert tree(out) == clean


def test_fifo_and_symlink_entries_are_misses(tmp_path, env, built):
    src, clean = built
    for entry in entries(env, "sources") + entries(env, "builds"):
        entry.unlink()
        os.mkfifo(entry)
    for entry in [p for p in (Path(env["XDG_CACHE_HOME"]) / "policyc").glob("jinja-*/*")]:
        entry.unlink()
        entry.symlink_to("/dev/zero")
    result = run(env, src, tmp_path / "again")   # the time-out catches a hang
    assert result.returncode == 0, result.stderr
    assert tree(tmp_path / "again") == clean


def test_without_a_cache_key_nothing_is_cached(tmp_path, env, built):
    src, clean = built
    env = {**env, "XDG_CACHE_HOME": str(tmp_path / "cache2"), "XDG_STATE_HOME": "/proc/none"}
    assert run(env, src, tmp_path / "again").returncode == 0
    assert tree(tmp_path / "again") == clean
    assert not list((tmp_path / "cache2").rglob("*"))


def test_the_cache_key_is_private(tmp_path, env, built):
    key = Path(env["XDG_STATE_HOME"]) / "policyc" / "cache-key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(key.read_bytes()) == 32
