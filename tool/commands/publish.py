"""``policyc publish OUT DEST``: the folder a CI uploads, made from the build's manifest."""
from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import PolicyError, Report, display_path


@click.command("publish")
@click.argument("out_dir", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@click.argument("dest", metavar="DEST", type=click.Path(file_okay=False, path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def publish_command(out_dir: Path, dest: Path, quiet: bool) -> None:
    """Copy the files the build in OUT lists in its manifest.json (and the manifest) into
    DEST, a new or empty folder: what a CI job uploads to GitHub or GitLab Pages. Files
    in OUT that the build did not write are left out; every file is checked against its
    checksum first."""
    from ..publish import publish

    source, target = out_dir.resolve(), dest.resolve()
    if target.is_relative_to(source) or source.is_relative_to(target):
        raise click.BadParameter(f"'{display_path(dest)}' overlaps the output folder "
                                 f"'{display_path(out_dir)}'; publish into another folder",
                                 param_hint="'DEST'")
    report = Report()
    published = publish(out_dir, dest, report)
    if report.has_errors:
        raise PolicyError(report)
    if not quiet:
        click.echo(f"published {len(published)} files from {display_path(out_dir)} into "
                   f"{display_path(dest)}")
