"""``policyc translations``: how complete each locale's translation is."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..project import load_project
from ..translate import declared_locales, locale_status, text_slots

COLUMNS = ("translated", "stale", "missing", "unused")


@click.command("translations")
@click.argument("src", default="policy_src", type=click.Path(path_type=Path))
@click.option("-f", "--format", "output", default="text", show_default=True,
              type=click.Choice(["text", "json"]),
              help="text: a table; json: one object, for CI.")
def translations_command(src: Path, output: str) -> None:
    """Count, per locale, the texts of SRC that are translated, stale and missing.

    A translation is stale when the binding wording changed after it was made, missing
    when the text has none, unused when it translates no text of the sources.
    `policyc check` lists each of them with its file and line.
    """
    project = load_project(src)
    binding = str(project.policy.locale)
    rows = []
    for locale in declared_locales(project.policy):
        if locale == binding:
            continue
        status = locale_status(project, locale)
        rows.append({"locale": locale, "catalog": status.catalog,
                     "catalog_exists": status.has_catalog, **status.counts()})
    total = len(text_slots(project))
    if output == "json":
        click.echo(json.dumps({"source": str(src), "binding": binding, "texts": total,
                               "locales": rows}, ensure_ascii=False, indent=2))
        return
    click.echo(f"binding locale {binding}: {total} texts")
    click.echo(f"{'locale':<10}" + "".join(f"{c:>12}" for c in COLUMNS) + "  catalog")
    for row in rows:
        catalog = row["catalog"] if row["catalog_exists"] else f"{row['catalog']} (none)"
        click.echo(f"{row['locale']:<10}" + "".join(f"{row[c]:>12}" for c in COLUMNS)
                   + f"  {catalog}")
