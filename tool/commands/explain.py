"""``policyc explain``: what a check rule requires and why."""
from __future__ import annotations

import textwrap

import click

from ..check import RULES, find_rule
from ..check.registry import Rule


@click.command("explain")
@click.argument("code", required=False)
def explain_command(code: str | None) -> None:
    """Explain the rule CODE (e.g. PIPL-17-RETENTION); without CODE, list every rule."""
    if code is None:
        for rule in RULES.values():
            click.echo(f"{rule.code:<28} {str(rule.severity):<8} {rule.profile:<12} "
                       f"{rule.article}")
        return
    rule, close = find_rule(code)
    if rule is None:
        hint = f"; did you mean {' or '.join(close)}?" if close else \
            "; `policyc explain` lists every rule"
        raise click.BadParameter(f"no rule has the code '{code}'{hint}", param_hint="CODE")
    click.echo(explanation(rule))


def explanation(rule: Rule) -> str:
    """The text `policyc explain` prints for one rule."""
    profile = "always checked" if rule.profile == "consistency" else f"profile {rule.profile}"
    lines = [f"{rule.code}: {rule.severity}, {profile}",
             f"Enforces: {rule.article}", "",
             textwrap.fill(rule.explanation, width=88), "",
             "Message:",
             f"  en: {rule.message['en']}",
             f"  zh: {rule.message['zh']}"]
    return "\n".join(lines)
