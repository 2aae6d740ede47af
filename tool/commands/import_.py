"""``policyc import``: an existing policy (text, Markdown, HTML, Word) becomes sources."""
from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import display_path

REPORT_PARTS = [("section", "sections"), ("typed", "typed (data the build and the checks read)"),
                ("prose", "kept as prose or dropped"), ("normalised", "normalised"),
                ("check", "for the editor to check")]


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", default="policy_src", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Source folder to write (must not exist unless --force).")
@click.option("-l", "--locale", metavar="LOCALE",
              help="Binding locale of the policy, e.g. zh-CN or en. Default: detected.")
@click.option("--encoding", metavar="NAME",
              help="Encoding of a text, Markdown or HTML file, e.g. gb18030. Default: "
                   "detected (UTF-8 with or without BOM, UTF-16, GB18030/GBK …).")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def import_command(file: Path, out_dir: Path, locale: str | None, encoding: str | None,
                   force: bool) -> None:
    """Import FILE (.txt, .md, .html, .htm, .docx or a text .pdf) as policy sources in OUT.

    Prints a report: the sections found, what became typed data, what stayed prose,
    what was normalised and what to check, each with the input's line (Word and PDF: ¶
    paragraph number). Bad input is an error and nothing is written.
    """
    from ..importers import import_policy
    from ..locales import locale_style

    if locale and locale_style(locale) is None:
        raise click.BadParameter(f"unknown locale '{locale}'", param_hint="'--locale'")
    result = import_policy(file, out_dir, locale, encoding, force)
    outline, draft = result.outline, result.draft
    click.echo(f"imported {outline.path} ({outline.fmt}"
               f"{', ' + outline.encoding if outline.fmt not in ('docx', 'pdf') else ''}, "
               f"{draft.locale}) "
               f"→ {display_path(result.out_dir)}: {len(draft.sections)} sections, "
               f"{len(result.files)} files")
    for kind, heading in REPORT_PARTS:
        notes = [n for n in draft.notes if n.kind == kind]
        if not notes:
            continue
        click.echo(f"{heading}:")
        for note in sorted(notes, key=lambda n: n.line):
            where = f"{outline.where(note.line)}: " if note.line else ""
            click.echo(f"  {where}{note.message}")
    click.echo(f"next: policyc build {display_path(result.out_dir)}")
