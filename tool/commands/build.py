"""``policyc build``: compile the sources into HTML, Markdown and PDF."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from ..build import OutputFolderError, UndeclaredLocaleError, build
from ..batch import parse_shard, plan_jobs, policy_sources, run_batch, shard_of, \
    write_batch_root
from ..diagnostics import PolicyError, Report, display_path
from ..render import FORMATS


def _out(value: str) -> Path:
    if not value.strip():
        raise click.BadParameter("the output folder is empty; name a folder (default: build)")
    return Path(value)


@click.command("build")
@click.argument("srcs", metavar="[SRC]...", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", default="build", show_default=True,
              type=click.Path(file_okay=False), callback=lambda ctx, param, value: _out(value),
              help="Output folder.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(FORMATS)),
              help="Build only this format (repeatable). Default: html, md and pdf.")
@click.option("-l", "--locale", "locales", multiple=True, metavar="LOCALE",
              help="Build only this locale's edition (repeatable). Default: every locale "
                   "declared in policy.yaml.")
@click.option("--allow-stale", "--allow-missing", "allow_missing", is_flag=True,
              help="Build editions with stale or missing translations: the binding wording "
                   "is shown in their place, marked as not yet translated.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes: a batch builds this many policies at a time; one "
                   "policy renders this many PDFs at a time.")
@click.option("--shard", metavar="K/N", callback=lambda ctx, param, value: _shard(value),
              help="Build only the K-th of N shares of a batch (by policy name), each "
                   "into OUT/<name>; join the shares with `policyc merge`.")
@click.option("--base-url", metavar="URL", callback=lambda ctx, param, value: _base_url(value),
              help="Address the site is published at (default: base_url in policy.yaml): "
                   "canonical and hreflang links, sitemap.xml.")
@click.option("--force", is_flag=True,
              help="Build into OUT even when it holds files policyc did not build (they "
                   "are kept).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def build_command(srcs: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
                  locales: tuple[str, ...], allow_missing: bool, jobs: int,
                  shard: tuple[int, int] | None, base_url: str | None, force: bool,
                  quiet: bool) -> None:
    """Compile the policy in SRC (default: policy_src) into OUT (default: build).

    Several SRC folders, or a folder of policy folders, build each policy into
    OUT/<folder name>, with a progress line per artifact; -j N builds N at a time.
    """
    from ..cli import print_report

    report = Report()
    sources = policy_sources(list(srcs) or [Path("policy_src")], report)
    if report.has_errors:
        raise PolicyError(report)
    if len(sources) > 1 or shard:
        try:
            planned = plan_jobs(sources, out_dir, batch=True)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'SRC'") from None
        if shard:
            planned = shard_of(planned, shard)
        if base_url:  # each policy is published in its folder under the batch's address
            planned = [replace(job, base_url=f"{base_url}{job.out_dir.name}/")
                       for job in planned]
        options = {"formats": list(formats) or None, "locales": list(locales) or None,
                   "allow_missing": allow_missing, "force": force}
        echo = (lambda line: None) if quiet else click.echo
        try:
            report = run_batch(planned, options, jobs, echo)
        except UndeclaredLocaleError as exc:
            raise click.BadParameter(str(exc), param_hint="'--locale'") from None
        if write_batch_root(out_dir, [job.out_dir.name for job in planned]):
            echo(f"built {display_path(out_dir / 'index.html')} and manifest.json "
                 "(every policy of the batch)")
        if report.has_errors:
            raise PolicyError(report)
        print_report(report)
        return
    src = sources[0]
    try:
        result = build(src, out_dir, list(formats) or None, report, list(locales) or None,
                       allow_missing, base_url, jobs, force)
    except UndeclaredLocaleError as exc:
        raise click.BadParameter(str(exc), param_hint="'--locale'") from None
    except OutputFolderError as exc:
        raise click.BadParameter(str(exc), param_hint="'-o' / '--out'") from None
    print_report(report)
    if not quiet:
        for artifact in result.artifacts:
            click.echo(f"built {display_path(result.out_dir / artifact.path)} "
                       f"({artifact.bytes:,} bytes)")


def _base_url(value: str | None) -> str | None:
    """``--base-url`` ending in '/'; a usage error unless it is an http(s) address."""
    from ..render.site import normalise_base_url

    try:
        return None if value is None else normalise_base_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--base-url'") from None


def _shard(value: str | None) -> tuple[int, int] | None:
    try:
        return None if value is None else parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--shard'") from None
