"""Shared fixtures: the reference sources, a built copy of them, and a CLI runner."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_SRC = ROOT / "policy_src"
DATA = Path(__file__).resolve().parent / "data"

# policyc keeps compiled templates and parsed sources in the user's cache folder; the
# tests (and the commands they start) get an empty one of their own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="policyc-tests-cache-")
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="policyc-tests-state-")  # cache key


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


MINIMAL_POLICY = """\
title: Privacy Policy
locale: {locale}
version: "2.0"
last_updated: 2024-05-01
effective: 2024-05-02
organisation: {{legal_name: Example Ltd, short_name: Example, address: 1 Main Street}}
app: {{name: Demo}}
contact: {{email: privacy@example.com, phone: "+44 20 7946 0000"}}
sections:
{sections}
"""


def write_policy(folder: Path, sections: dict[str, str], locale: str = "en",
                 policy: str | None = None) -> Path:
    """A small policy source folder: policy.yaml listing ``sections`` (name → YAML text)."""
    folder.mkdir(parents=True, exist_ok=True)
    listed = "\n".join(f"  - {name}" for name in sections)
    text = policy if policy is not None else MINIMAL_POLICY.format(locale=locale,
                                                                     sections=listed)
    (folder / "policy.yaml").write_text(text, encoding="utf-8")
    for name, body in sections.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def rendered_paths(monkeypatch) -> list[str]:
    """The artifact paths policyc renders from now on (not taken from its cache), in order."""
    from policyc import cache

    rendered: list[str] = []
    real = cache.render_cached

    def counting(cache_, rel_path, key, render):
        def render_and_count():
            rendered.append(rel_path)
            return render()
        return real(cache_, rel_path, key, render_and_count)

    monkeypatch.setattr(cache, "render_cached", counting)
    return rendered


def offline_venv(env_dir: Path) -> dict[str, str]:
    """A fresh virtual environment at ``env_dir`` whose packages come from this test run's
    environment (a .pth file), so `pip install` needs no network; returns the environment
    variables that put it first on PATH (its python: RUNNER_PYTHON)."""
    import sysconfig
    import venv

    venv.create(env_dir, with_pip=True)
    site = next(env_dir.glob("lib/python*/site-packages"))
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}", PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1", RUNNER_PYTHON=str(env_dir / "bin" / "python"))
    return env
