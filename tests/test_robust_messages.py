"""Messages point where the text is: a glyph no font has, written as an escape; a
response time in policy.yaml's own text."""
from __future__ import annotations

from click.testing import CliRunner

from conftest import write_policy
from policyc.cli import cli

SECTION = "title: Collect\nblocks:\n  - We collect your e-mail.\n  - \"A sign: \\uE000.\"\n"


def test_a_missing_glyph_written_as_an_escape_points_at_its_text(tmp_path):
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "-f", "pdf"])
    assert result.exit_code == 1
    errors = [e for e in result.stderr.splitlines() if ": error: " in e]
    assert len(errors) == 1 and errors[0].startswith(f"{src}/collect.yaml:4:5: error: "), errors
    assert "no installed font has a glyph for '\ue000' (U+E000)" in errors[0]


def test_a_response_time_in_the_preamble_is_compared_like_one_in_a_section(tmp_path):
    policy = write_policy(tmp_path / "src", {"a.yaml": "title: A\nblocks:\n  - Hello.\n"},
                          locale="zh-CN") / "policy.yaml"
    text = policy.read_text("utf-8").replace("contact: {", "contact: {response_days: 15, ")
    policy.write_text(text + "preamble:\n  - 如有疑问，请联系我们，我们将在30天内答复。\n", "utf-8")
    result = CliRunner().invoke(cli, ["check", str(policy.parent)])
    line = len(text.splitlines()) + 2
    found = [e for e in result.output.splitlines() if "CONS-RESPONSE-TIME" in e]
    assert len(found) == 1 and found[0].startswith(f"{policy}:{line}:"), result.output
    assert "30天" in found[0]
