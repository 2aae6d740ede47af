"""``policyc check``: what the policy lacks or gets inconsistent, with the article."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..check import PROFILES, RULES, check_project, default_profiles, gating
from ..diagnostics import Diagnostic, PolicyError, Report, Severity, printable
from ..document import Document
from ..project import Project, load_project
from ..resolve import resolve
from ..translate import tolerate_missing

OUTPUT_FORMATS = ("text", "github", "json")


@click.command("check")
@click.argument("src", default="policy_src", type=click.Path(path_type=Path))
@click.option("-p", "--profile", "profiles", multiple=True, type=click.Choice(PROFILES),
              help="Check against this law (repeatable): pipl (PIPL, GB/T 35273, MIIT app "
                   "rules), gdpr, or ccpa (CCPA/CPRA, for a policy addressing California "
                   "residents). Default: pipl for a Chinese policy, else gdpr.")
@click.option("-f", "--format", "output", default="text", show_default=True,
              type=click.Choice(OUTPUT_FORMATS),
              help="text: path:line:col lines and a summary; github: workflow annotations; "
                   "json: one object with every finding.")
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1 on any finding).")
@click.option("--fail-on", "fail_on", multiple=True, metavar="CODE",
              help="Exit 1 when a finding of this rule is reported (repeatable; PIPL- or "
                   "GDPR-13* names a family); added to `check.fail_on` of policy.yaml.")
@click.option("--review", is_flag=True,
              help="Also print the review list: items the rules could not decide, for a "
                   "person to judge (never counted as findings).")
@click.option("--lang", type=click.Choice(["en", "zh"]),
              help="Language of the messages. Default: the policy's.")
@click.option("--allow-missing", is_flag=True,
              help="Report missing translations as warnings, not errors.")
@click.option("--app", "apps", multiple=True, type=click.Path(path_type=Path),
              help="Check the policy against this app build (repeatable): an "
                   "AndroidManifest.xml, .apk, .aab, build.gradle(.kts), libs.versions.toml, "
                   "Podfile, Info.plist, PrivacyInfo.xcprivacy, or a folder holding them; "
                   "added to `app.build` of policy.yaml.")
@click.pass_context
def check_command(ctx: click.Context, src: Path, profiles: tuple[str, ...], output: str,
                  strict: bool, fail_on: tuple[str, ...], review: bool, lang: str | None,
                  allow_missing: bool, apps: tuple[Path, ...]) -> None:
    """Check the policy in SRC (default: policy_src) and report what it lacks.

    Exit status: 0 without errors (compliance findings are warnings), 1 with source
    errors, with --strict on any finding, with --fail-on (or `check.fail_on` of
    policy.yaml) on a finding of those rules. Each finding shows the sentences it read or
    the sections it searched. `policyc explain CODE` says what a rule requires.
    """
    report = Report()
    used = list(profiles)
    gates = list(fail_on)
    try:
        project = load_project(src, report)
    except PolicyError:
        if output == "text":
            raise  # printed like every other source error
    else:
        used = used or default_profiles(str(project.policy.locale))
        if project.policy.check is not None:
            gates += [str(code) for code in project.policy.check.fail_on]
        binding = resolved(project, report)
        if binding is not None:
            check_project(project, report, used, lang, app_paths=list(apps), binding=binding)
            if allow_missing:
                tolerate_missing(report)
    diagnostics = report.sorted()
    to_review = report.sorted_review() if review else []
    if output == "json":
        click.echo(json.dumps(_json(diagnostics, src, used, report, to_review),
                              ensure_ascii=False, indent=2))
    elif output == "github":
        for diagnostic in diagnostics:
            click.echo(github_annotation(diagnostic))
        for diagnostic in to_review:
            click.echo(github_annotation(diagnostic, "notice"))
    else:
        for diagnostic in diagnostics:
            click.echo(shown_with_evidence(diagnostic), err=True)
        for diagnostic in to_review:
            click.echo(shown_with_evidence(diagnostic, "review"), err=True)
        click.echo(summary(report, src, used), err=True)
    gated = gating(gates)
    failed = any(gated(d.code) for d in report.diagnostics if d.severity >= Severity.WARNING)
    ctx.exit(max(report.exit_code(strict), int(failed)))


def evidence_lines(diagnostic: Diagnostic) -> list[str]:
    """The lines shown under a finding: each sentence read (``read: file:line: text``),
    else the sections searched."""
    lines = [f"    read: {printable(e.file)}:{e.line or 1}: {printable(e.text)}"
             for e in diagnostic.evidence]
    if diagnostic.searched:
        lines.append("    searched: " + printable("; ".join(diagnostic.searched)))
    return lines


def shown_with_evidence(diagnostic: Diagnostic, label: str = "") -> str:
    """A finding as the text format prints it: the compiler-style line (``review`` in
    place of the severity for an item to review), then its evidence, indented."""
    line = diagnostic.format()
    if label:
        line = line.replace(f": {diagnostic.severity}: ", f": {label}: ", 1)
    return "\n".join([line, *evidence_lines(diagnostic)])


def resolved(project: Project, report: Report) -> Document | None:
    """The binding edition when the text resolves (variables, references, links), as
    the build needs; else None, the problems reported (the rules run only on sources
    that resolve)."""
    try:
        return resolve(project, report, report_translations=False)
    except PolicyError:
        return None


def summary(report: Report, src: Path, profiles: list[str]) -> str:
    """The last line: counts of errors, warnings and notes and the profiles checked."""
    errors, warnings = len(report.errors), len(report.warnings)
    notes = sum(d.severity is Severity.NOTE for d in report.diagnostics)
    counts = (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
              if errors or warnings else "no findings")
    if notes:
        counts += f", {notes} note{'s' * (notes != 1)}"
    to_review = len(report.sorted_review())
    if to_review:
        counts += f", {to_review} to review"
    return f"{src}: {counts} (profiles: {', '.join(profiles)})"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diagnostic: Diagnostic, level: str = "") -> str:
    """A GitHub Actions workflow command: ``::warning file=…,line=…,col=…,title=…::message``,
    the evidence on the lines after the message."""
    level = level or {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(
        diagnostic.severity, "notice")
    loc = diagnostic.loc
    props = [f"file={_escape_property(loc.path)}"]
    if loc.line:
        props += [f"line={loc.line}", f"col={loc.col or 1}"]
    if diagnostic.code:
        props.append(f"title={_escape_property(diagnostic.code)}")
    message = "\n".join([diagnostic.message, *(line.strip() for line in
                                              evidence_lines(diagnostic))])
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def _finding(d: Diagnostic) -> dict:
    rule = RULES.get(d.code)
    return {"code": d.code, "severity": str(d.severity), "article": rule.article if rule else "",
            "file": d.loc.path, "line": d.loc.line, "column": d.loc.col, "message": d.message,
            "evidence": [{"file": e.file, "line": e.line, "text": e.text} for e in d.evidence],
            "searched": list(d.searched)}


def _json(diagnostics: list[Diagnostic], src: Path, profiles: list[str], report: Report,
          to_review: list[Diagnostic]) -> dict:
    findings = [_finding(d) for d in diagnostics]
    return {"source": str(src), "profiles": profiles, "findings": findings,
            "review": [_finding(d) for d in to_review],
            "summary": {"errors": sum(f["severity"] == "error" for f in findings),
                        "warnings": sum(f["severity"] == "warning" for f in findings),
                        "notes": sum(f["severity"] == "note" for f in findings),
                        "review": len(report.sorted_review())}}
