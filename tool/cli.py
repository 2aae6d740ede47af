"""The command line: a thin click layer over the library.

Library errors become clean CLI errors here, in one place: diagnostics are printed
compiler-style to stderr and the exit code says what happened — 0 success, 1 errors in
the sources, 2 a usage error, 3 an internal error (a bug; ``--debug`` shows the traceback).
"""
from __future__ import annotations

import sys
import traceback

import click

from . import __version__
from .commands import COMMANDS
from .diagnostics import PolicyError, Report

ISSUES_URL = "the policyc issue tracker"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="policyc")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """policyc compiles a privacy policy written as YAML into HTML, Markdown and PDF."""
    ctx.obj = {"debug": debug}


for command in COMMANDS:
    cli.add_command(command)


def print_report(report: Report) -> None:
    """Print every diagnostic, sorted by file and line, then a one-line summary."""
    for diagnostic in report.sorted():
        click.echo(diagnostic.format(), err=True)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors or warnings:
        parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
        if warnings:
            parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
        click.echo(", ".join(parts), err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``policyc`` console script."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="policyc", standalone_mode=False)
    except PolicyError as exc:
        print_report(exc.report)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted; artifacts already in the output folder are unchanged",
                   err=True)
        return 130
    except Exception:  # noqa: BLE001 - the one place bugs are turned into a clean message
        if debug:
            traceback.print_exc()
        else:
            error = sys.exc_info()[1]
            click.echo(f"policyc: internal error: {type(error).__name__}: {error}\n"
                       f"This is a bug in policyc {__version__}. Run again with --debug for "
                       f"the traceback and report it to {ISSUES_URL}.", err=True)
        return 3
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
