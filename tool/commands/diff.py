"""``policyc diff OLD NEW``: what changed between two editions, and whether it is material."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..diagnostics import PolicyError, Report
from ..versions import Comparison, SnapshotError, compare, describe, load_snapshot
from ..versions.changes import reason_text
from ..versions.messages import messages
from ..versions.redline import redline_text

EXIT_NO_CHANGES, EXIT_CHANGES, EXIT_CANNOT_COMPARE = 0, 1, 2
ADDED, REMOVED = ("added", "added_collects", "added_untitled"), ("removed", "removed_untitled")


@click.command("diff")
@click.argument("old")
@click.argument("new", default="policy_src")
@click.option("--src", default="policy_src", show_default=True,
              help="The source folder a bare git revision (OLD or NEW) refers to.")
@click.option("-f", "--format", "output", default="text", show_default=True,
              type=click.Choice(["text", "json", "docx"]),
              help="text: a changelog with redlines; json: one object, for CI; docx: the "
                   "new edition with every change as Word tracked changes (needs -o).")
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The file --format docx writes.")
@click.option("-l", "--locale", metavar="LOCALE",
              help="With --format docx: the edition to mark up (default: the binding one).")
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str, src: str, output: str,
                 out_file: Path | None, locale: str | None) -> None:
    """Compare two editions of a policy: OLD and NEW (default: policy_src).

    Each is a source folder, a git revision (`v1.0`, `HEAD~3`: the --src folder at that
    revision, read without touching the work tree) or REV:PATH. A change is a difference
    in the text or links a reader sees (spacing and markup alone are none); each is tagged
    with the material-change category it falls under and why. Changes of facts no edition
    prints are listed apart, as unpublished.

    Exit status: 0 no changes, 1 changes (JSON `outcome` says minor or material),
    2 the editions cannot be compared (not found, or invalid sources) or the Word file
    cannot be written.
    """
    from ..cli import print_report

    if (output == "docx") != (out_file is not None) or (locale and output != "docx"):
        raise click.UsageError("-o FILE (and --locale) go with --format docx, and --format "
                               "docx needs -o FILE")
    report = Report()
    try:
        comparison = compare(load_snapshot(old, src, report), load_snapshot(new, src, report),
                             report)
    except SnapshotError as exc:
        click.echo(f"policyc diff: {exc}", err=True)
        ctx.exit(EXIT_CANNOT_COMPARE)
    except PolicyError:
        print_report(report)
        ctx.exit(EXIT_CANNOT_COMPARE)
    if report.has_errors:
        print_report(report)
        ctx.exit(EXIT_CANNOT_COMPARE)
    if output == "docx":
        from ..versions.redline_docx import UndeclaredLocaleError, redline_docx
        from ..write import write_files

        try:
            write_files({out_file: redline_docx(comparison, locale)})
        except UndeclaredLocaleError as exc:
            raise click.BadParameter(str(exc), param_hint="'--locale'") from None
        except PolicyError as exc:   # missing translations, an unwritable file
            print_report(exc.report)
            ctx.exit(EXIT_CANNOT_COMPARE)
        click.echo(f"wrote {out_file}: {len(comparison.changes)} "
                   f"change{'s' * (len(comparison.changes) != 1)}, {comparison.outcome}")
    elif output == "json":
        data = comparison.to_json()
        data["version_bumped"] = not not_updated(comparison)
        data["not_updated"] = not_updated(comparison) if comparison.changes else []
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(changelog_text(comparison), nl=False)
    ctx.exit(EXIT_CHANGES if comparison.changes else EXIT_NO_CHANGES)


def wording_lines(change) -> list[str]:
    """The wording a change affects: a redline when both editions word it, else the
    added (``+``) or removed (``-``) wording itself."""
    if change.old is not None and change.new is not None:
        return redline_text(change.old, change.new).splitlines()
    if change.new is not None:
        return [f"+ {line}" for line in change.new.splitlines()]
    if change.old is not None:
        return [f"- {line}" for line in change.old.splitlines()]
    return []


def not_updated(comparison: Comparison) -> list[str]:
    """What still says what the old edition said: ``version`` (when either edition has
    one) and ``last_updated``."""
    old, new = comparison.old.project.policy, comparison.new.project.policy
    out = []
    if (old.version is not None or new.version is not None) \
            and str(old.version) == str(new.version):
        out.append("version")
    if str(old.last_updated) == str(new.last_updated):
        out.append("last_updated")
    return out


def changelog_text(comparison: Comparison) -> str:
    """The changelog for a terminal: a heading, changes by category, redlines indented."""
    old, new = comparison.old, comparison.new
    lines = [f"{old.source} ({old.version}, effective {old.effective}) → "
             f"{new.source} ({new.version}, effective {new.effective}): "
             f"{len(comparison.changes)} change{'s' * (len(comparison.changes) != 1)}, "
             f"{comparison.outcome}"]
    stale = not_updated(comparison)
    if comparison.changes and stale:
        lines.append(f"note: the content changed but {' and '.join(stale)} "
                     f"{'was' if len(stale) == 1 else 'were'} not updated")
    for category, changes in comparison.grouped():
        lines.append("")
        lines.append(f"material: {category.label}" if category else "minor:")
        for change in changes:
            lines += change_lines(change, category is not None)
    if comparison.unpublished:
        lines += ["", "unpublished (facts no edition prints; never material):"]
        for change in comparison.unpublished:
            lines += change_lines(change, False)
    return "\n".join(lines) + "\n"


def change_lines(change, material: bool) -> list[str]:
    """A change for a terminal: its line, why it is material, its redline and links."""
    mark = "+" if change.key.endswith(ADDED) else "-" if change.key.endswith(REMOVED) else "~"
    lines = [f"  {mark} {describe(change)}"]
    if not change.links or change.old != change.new:
        lines += [f"      {line}" for line in wording_lines(change)]
    lines += ["      " + messages("en")["link"].format(old=a or "—", new=b or "—")
              for a, b in change.links]
    if material and change.reason:
        lines.append("      " + reason_text(change))
    return lines
