"""The command line: a thin click layer over the library.

Library errors become clean CLI errors here, in one place (:class:`PolicycGroup`, so
``policyc`` behaves the same from the console script, ``main()`` and click's test
runner): diagnostics are printed compiler-style to stderr and the exit code says what
happened — 0 success, 1 errors in the sources, 2 a usage error, 3 an internal error (a
bug: one line saying so; ``--debug`` shows the traceback), 130 interrupted.
"""
from __future__ import annotations

import gc
import importlib
import os
import sys

import click

from . import __version__
from .commands import COMMANDS
from .diagnostics import PolicyError, Report

ISSUES_URL = "the policyc issue tracker"
EXIT_SOURCE_ERRORS = 1
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130


class PolicycGroup(click.Group):
    """The command group; turns what a command raises into a message and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported on first use."""
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        return getattr(importlib.import_module(f".commands.{module}", __package__), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PolicyError as exc:
            print_report(exc.report)
            ctx.exit(EXIT_SOURCE_ERRORS)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; artifacts already in the output folder are unchanged",
                       err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # the reader went away (`policyc explain | head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_SOURCE_ERRORS)
        except Exception as exc:  # noqa: BLE001 - the one place bugs become a clean message
            if (ctx.obj or {}).get("debug"):
                import traceback

                traceback.print_exc()
            click.echo(internal_error_line(exc), err=True)
            ctx.exit(EXIT_INTERNAL_ERROR)


def internal_error_line(error: BaseException) -> str:
    """The one line printed for a bug: what happened and how to report it."""
    what = " ".join(f"{type(error).__name__}: {error}".split())
    return (f"policyc: internal error (a bug in policyc {__version__}): {what}; run again "
            f"with --debug for the traceback and report it to {ISSUES_URL}")


@click.group(cls=PolicycGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="policyc")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """policyc compiles a privacy policy written as YAML into HTML, Markdown and PDF."""
    ctx.obj = {"debug": debug}


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
    """Run ``policyc`` with ``argv`` (default: the process's arguments); returns the exit
    code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="policyc", standalone_mode=True)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        return 1
    return 0


def run() -> int:
    """Entry point of the ``policyc`` console script and ``python -m policyc``: :func:`main`,
    then every object is frozen out of the garbage collector, which the interpreter's
    exit would otherwise walk once more (20–40 ms of every command)."""
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
