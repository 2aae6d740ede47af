"""Real policies written by others compile into editions that say what they published.

Each folder under tests/fixtures/real/ holds a published policy (``original.md``), its
encoding in policyc's format (``policy_src/``) and a README naming the source, the licence
and what the editions show by design that the original does not have.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from fidelity import missing_sentences

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
POLICIES = {"tancloud": "zh-CN", "basecamp": "en-US"}


@pytest.fixture(scope="module", params=sorted(POLICIES))
def real(request, tmp_path_factory):
    """(name, original text, folder of the binding edition) of one real policy, built once."""
    from policyc.build import build

    name = request.param
    out = tmp_path_factory.mktemp(f"real-{name}")
    build(REAL / name / "policy_src", out)
    return name, (REAL / name / "original.md").read_text("utf-8"), out / POLICIES[name]


@pytest.mark.parametrize("ext", ["md", "html", "pdf"])
def test_at_least_98_percent_of_the_sentences_are_reproduced(real, ext):
    name, original, edition = real
    missing, total = missing_sentences(original, edition / f"privacy-policy.{ext}")
    assert total > 150, f"{name}: the original was not read ({total} sentences)"
    assert 1 - len(missing) / total >= 0.98, (name, ext, len(missing), total, missing)


def test_the_sources_are_named_with_their_licence():
    for name in POLICIES:
        readme = (REAL / name / "README.md").read_text("utf-8")
        assert re.search(r"^\| Licence \| \S", readme, re.M), name
        assert re.search(r"^\| Commit \| `[0-9a-f]{40}`", readme, re.M), name
        assert (REAL / name / "original.md").stat().st_size > 10_000, name
