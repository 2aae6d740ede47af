"""``policyc build``: compile the sources into HTML, Markdown and PDF."""
from __future__ import annotations

from pathlib import Path

import click

from ..build import build
from ..diagnostics import Report, display_path
from ..render import FORMATS


@click.command("build")
@click.argument("src", default="policy_src", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", default="build", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(FORMATS)),
              help="Build only this format (repeatable). Default: all.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def build_command(src: Path, out_dir: Path, formats: tuple[str, ...], quiet: bool) -> None:
    """Compile the policy in SRC (default: policy_src) into OUT (default: build)."""
    from ..cli import print_report

    report = Report()
    result = build(src, out_dir, list(formats) or None, report)
    print_report(report)
    if not quiet:
        for artifact in result.artifacts:
            click.echo(f"built {display_path(result.out_dir / artifact.path)} "
                       f"({artifact.bytes:,} bytes)")
