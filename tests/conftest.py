"""Shared fixtures: the reference sources, a built copy of them, and a CLI runner."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_SRC = ROOT / "policy_src"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory) -> Path:
    """The reference policy built once, all formats, into a temporary output folder."""
    from policyc.build import build

    out = tmp_path_factory.mktemp("build")
    build(REFERENCE_SRC, out)
    return out


@pytest.fixture
def src_copy(tmp_path) -> Path:
    """A writable copy of the reference sources, for tests that change them."""
    dest = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, dest)
    return dest
