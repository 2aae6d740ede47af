"""``policyc translations``: how complete each locale's translation is."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..project import load_project
from ..translate import (LocaleStatus, change_excerpt, declared_locales, locale_status,
                         shows_stale, text_slots)

COLUMNS = ("translated", "stale", "missing", "unused")


def _places(status: LocaleStatus) -> dict[str, list]:
    """The places of one locale's texts by state; a stale one with its old and new wording."""
    out: dict[str, list] = {"translated": [], "stale": [], "missing": []}
    for match in status.matches:
        if match.state == "stale":
            old, new = change_excerpt(match.entry.source, match.slot.text)
            out["stale"].append({"at": match.slot.path, "was": old, "now": new,
                                 "source": str(match.slot.text.loc),
                                 "entry": str(match.entry.text.loc)})
        else:
            out[match.state].append(match.slot.path)
    return out


@click.command("translations")
@click.argument("src", default="policy_src", type=click.Path(path_type=Path))
@click.option("-f", "--format", "output", default="text", show_default=True,
              type=click.Choice(["text", "json"]),
              help="text: a table and each stale or missing place; json: one object, for CI.")
@click.option("--allow-stale", is_flag=True,
              help="Exit 0 even when translations are stale or missing.")
@click.pass_context
def translations_command(ctx: click.Context, src: Path, output: str, allow_stale: bool) -> None:
    """Count, per locale, the texts of SRC that are translated, stale and missing.

    A translation is stale when the binding wording changed after it was made, missing
    when the text has none, unused when it translates no text of the sources. Exit
    status 1 when any is stale or missing, unless --allow-stale or policy.yaml has
    `translations: {stale: show}`.
    """
    project = load_project(src)
    binding = str(project.policy.locale)
    rows, places = [], {}
    for locale in declared_locales(project.policy):
        if locale == binding:
            continue
        status = locale_status(project, locale)
        places[locale] = _places(status)
        rows.append({"locale": locale, "catalog": status.catalog,
                     "catalog_exists": status.has_catalog, **status.counts(),
                     "places": places[locale]})
    total = len(text_slots(project))
    behind = any(row["stale"] or row["missing"] for row in rows)
    if output == "json":
        click.echo(json.dumps({"source": str(src), "binding": binding, "texts": total,
                               "locales": rows}, ensure_ascii=False, indent=2))
    else:
        click.echo(f"binding locale {binding}: {total} texts")
        click.echo(f"{'locale':<10}" + "".join(f"{c:>12}" for c in COLUMNS) + "  catalog")
        for row in rows:
            catalog = row["catalog"] if row["catalog_exists"] else f"{row['catalog']} (none)"
            click.echo(f"{row['locale']:<10}" + "".join(f"{row[c]:>12}" for c in COLUMNS)
                       + f"  {catalog}")
        for row in rows:
            for stale in row["places"]["stale"]:
                click.echo(f"{stale['entry']}: stale {row['locale']} translation of "
                           f"`{stale['at']}`: “{stale['was']}” is now “{stale['now']}”",
                           err=True)
            if row["catalog_exists"]:
                for place in row["places"]["missing"]:
                    click.echo(f"{row['catalog']}: missing {row['locale']} translation of "
                               f"`{place}`", err=True)
    if behind and not (allow_stale or shows_stale(project.policy)):
        ctx.exit(1)
