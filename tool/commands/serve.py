"""``policyc serve``: a live preview of the policy in the browser, rebuilt on every save."""
from __future__ import annotations

import errno
from collections import Counter
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import POLICY_FILE
from ..diagnostics import Loc, PolicyError, Report, Severity, display_path

if TYPE_CHECKING:
    from ..serve import State


@click.command("serve")
@click.argument("src", default="policy_src", type=click.Path(path_type=Path))
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@click.option("--allow-stale", "--allow-missing", "allow_missing", is_flag=True,
              help="Show editions with missing translations (the binding wording, marked) "
                   "instead of an error.")
def serve_command(src: Path, port: int, host: str, open_browser: bool,
                  allow_missing: bool) -> None:
    """Preview the policy in SRC (default: policy_src) in a web browser.

    Every edition and artifact is built into a private folder (build/ is not touched)
    and served, with an index of the editions at the printed address. Saving a source,
    translation, template or archived edition rebuilds them and every open page
    updates by itself; when the sources have errors, the pages keep the last good build
    and list the errors over it. PDFs are built when opened. Ctrl-C stops.
    """
    from ..serve import serve

    root = src.parent if src.is_file() else src
    if not (src.is_file() or (root / POLICY_FILE).is_file()):
        report = Report()
        report.error(Loc(display_path(root / POLICY_FILE)),
                     f"no {POLICY_FILE} here; is '{display_path(root)}' a policy source folder?")
        raise PolicyError(report)

    def ready(url: str, state: State) -> None:
        report_build(state, "built")
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"warning: listening on {host}: anyone who can reach this machine can "
                       "read the drafts", err=True)
        click.echo(f"Serving {display_path(root)} at {url}  (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    def rebuilt(state: State, changed: set[str]) -> None:
        names = sorted(display_path(path) for path in changed)
        what = names[0] if len(names) == 1 else f"{len(names)} files"
        report_build(state, f"{what} changed: rebuilt")

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve(src, host, port, allow_missing, on_ready=ready, on_build=rebuilt)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(f"port {port} on {host} is in use (is another preview "
                                       f"running?); choose another with --port") from None
        raise click.ClickException(f"cannot listen on {host}:{port}: "
                                   f"{exc.strerror or exc}") from None
    except KeyboardInterrupt:
        click.echo("stopped")


def report_build(state: State, what: str) -> None:
    """One line per build; the errors in full (as the pages show them)."""
    counts = Counter("check warning" if d.severity is Severity.WARNING else str(d.severity)
                     for d in state.warnings)
    noted = "".join(f", {n} {what}{'s' * (n != 1)}" for what, n in counts.items())
    if not state.errors:
        click.echo(f"{what} in {state.seconds * 1000:.0f} ms{noted}")
        return
    errors = len(state.errors)
    click.echo(f"{what}: {errors} error{'s' * (errors != 1)}{noted}; the pages keep the last "
               "good build and show:", err=True)
    for diagnostic in state.errors:
        click.echo(f"  {diagnostic.format()}", err=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the preview as Ctrl-C does
