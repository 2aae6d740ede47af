"""``policyc schema``: write the JSON Schema of the source format for editors."""
from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import display_path
from ..model import source_schemas
from ..write import write_atomic

SCHEMA_DIR = "schema"


@click.command("schema")
@click.argument("src", default="policy_src", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the schema files. Default: SRC/schema, where the "
                   "`# yaml-language-server: $schema=…` lines of the sources point.")
def schema_command(src: Path, out_dir: Path | None) -> None:
    """Write the JSON Schemas of policy.yaml, section files and translation catalogs."""
    if out_dir is None and not (src / "policy.yaml").is_file():
        raise click.BadParameter(f"'{display_path(src)}' is not a policy source folder (it has "
                                 "no policy.yaml); name the source folder, or the folder for "
                                 "the schema files with -o", param_hint="'SRC'")
    out_dir = out_dir or src / SCHEMA_DIR
    for name, data in source_schemas().items():
        path = out_dir / name
        changed = write_atomic(path, data)
        click.echo(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
