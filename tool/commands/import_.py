"""``policyc import``: an existing policy (text, Markdown, HTML, Word) becomes sources."""
from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import Loc, PolicyError, Report, display_path

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
@click.option("--translation-of", "source", metavar="SRC",
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="FILE is an official translation of the policy in SRC: align it with "
                   "SRC's texts, write SRC/translations/LOCALE.yaml and add LOCALE to "
                   "`locales` (needs --locale).")
@click.pass_context
def import_command(ctx: click.Context, file: Path, out_dir: Path, locale: str | None,
                   encoding: str | None, force: bool, source: Path | None) -> None:
    """Import FILE (.txt, .md, .html, .htm, .docx or a text .pdf) as policy sources in OUT.

    Prints a report: the sections found, what became typed data, what stayed prose,
    what was normalised and what to check, each with the input's line (Word and PDF: ¶
    paragraph number). Bad input is an error and nothing is written.
    """
    from ..importers import import_policy
    from ..locales import locale_style

    if locale and locale_style(locale) is None:
        raise click.BadParameter(f"unknown locale '{locale}'", param_hint="'--locale'")
    if source is not None:
        if not locale:
            raise click.BadParameter("say which locale the translation is in, e.g. "
                                     "--locale de", param_hint="'--locale'")
        ctx.exit(_import_translation(file, source, locale, encoding, force))
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
    checked = result.verification
    click.echo(f"kept {checked.kept} of {checked.total} sentences on the page")
    if checked.lost:
        report = Report()
        for line, sentence in checked.lost:
            report.error(Loc(outline.path, line), f"not on the page: {sentence}")
        report.error(Loc(display_path(result.out_dir)),
                     f"{len(checked.lost)} sentence(s) of the input are not on the page; the "
                     "sources are written: add them where they belong")
        raise PolicyError(report)
    click.echo(f"next: policyc build {display_path(result.out_dir)}")


def _import_translation(file: Path, source: Path, locale: str, encoding: str | None,
                        force: bool) -> int:
    """Run an import of a translation and print what it paired, doubted and left out."""
    from ..importers.translation import import_translation

    done = import_translation(file, source, locale, encoding, force)
    alignment = done.alignment
    click.echo(f"imported {display_path(file)} as the {locale} translation of "
               f"{display_path(source)} → {display_path(done.catalog)}: "
               f"{len(alignment.pairs)} of {done.texts} texts paired"
               + (f"; {locale} added to `locales`" if done.policy_changed else ""))
    if alignment.unsure:
        click.echo(f"unsure pairs ({len(alignment.unsure)}), check each:")
        for pair in alignment.unsure:
            click.echo(f"  {pair.source.path}: {pair.why}\n"
                       f"    {pair.source.text.loc}: "
                       f"{_short(pair.source.text)}\n"
                       f"    {display_path(file)}: {_short(pair.translation.text)}")
    if alignment.unpaired_source:
        click.echo(f"not in the translation ({len(alignment.unpaired_source)}; missing "
                   "until translated):")
        for slot in alignment.unpaired_source:
            click.echo(f"  {slot.path}: {_short(slot.text)}")
    if alignment.unpaired_translation:
        click.echo(f"only in the translation ({len(alignment.unpaired_translation)}; not "
                   "imported):")
        for slot in alignment.unpaired_translation:
            click.echo(f"  {display_path(file)}: {_short(slot.text)}")
    click.echo(f"next: policyc translations {display_path(source)}")
    return 0


def _short(text: str, limit: int = 100) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
