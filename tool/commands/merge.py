"""``policyc merge``: join the outputs of a sharded batch into one folder."""
from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import PolicyError, Report, display_path


@click.command("merge")
@click.argument("shards", metavar="SHARD_OUT...", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the whole batch into.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def merge_command(shards: tuple[Path, ...], out_dir: Path, quiet: bool) -> None:
    """Join the output folders of `policyc build SRC... --shard K/N` (one per shard) into
    OUT, with one manifest and one entry page: the folder one build of the whole batch
    writes. Every file is checked against its manifest's checksum first."""
    from ..merge import merge_outputs

    target = out_dir.resolve()
    for shard in shards:
        if target == shard.resolve() or target.is_relative_to(shard.resolve()) or \
                shard.resolve().is_relative_to(target):
            raise click.BadParameter(f"'{display_path(out_dir)}' overlaps the shard "
                                     f"'{display_path(shard)}'; merge into another folder",
                                     param_hint="'-o'")
    report = Report()
    written = merge_outputs(list(shards), out_dir, report)
    if report.has_errors:
        raise PolicyError(report)
    if not quiet:
        click.echo(f"merged {len(shards)} shard{'s' * (len(shards) != 1)} into "
                   f"{display_path(out_dir)} ({len(written)} files written)")
