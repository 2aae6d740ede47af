"""``policyc serve`` measured in a real browser: from saving a source to the page showing
the new text, for a one-line change of a section of the reference and for one of its
English translation. Also what the preview's browser tests share: a headless Chromium
and a ``policyc serve`` process.

    python tests/bench/run.py --case serve

The time of one update is taken from both ends of the same clock: just before the file
is written, and the first frame painted with the new text, as the page reports it
(the preview's script notes the frame after it puts a new build in place; a page that
was loaded instead gives its first contentful paint), so how often the bench polls the
browser does not count.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import browser

# once the page shows ``marker``: when it was first painted with it; the preview's script
# says when it put a new build in place, else (a page loaded) its first contentful paint
PAINTED_WITH = """
if (!document.body || !document.body.innerText.includes(arguments[0])) return null;
const live = window.policycPreview;
if (live && live.updatedAt === null) return null;
if (live && live.updatedAt) return live.updatedAt;
const paint = performance.getEntriesByName("first-contentful-paint")[0];
return performance.timeOrigin + (paint ? paint.startTime : performance.now());
"""


def browser_available() -> bool:
    return browser.available()


def chromium(profile: Path, language: str = "en-US"):
    """A headless Chromium driven by selenium, with a fresh profile in ``profile``,
    speaking ``language``."""
    return browser.driver(profile, 1280, 900, language)


def _ctrl_c_stops() -> None:
    """Ctrl-C's default action in the child, and SIGINT not blocked: a shell without job
    control starts its background commands (``make test &``) with SIGINT ignored, and a
    child inherits its parent's disposition and signal mask."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _signal_state(pid: int) -> str:
    """Each thread's pending, blocked, ignored and caught signals (Linux /proc), to tell
    why a signal was not acted on."""
    states = []
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")) if sys.platform == "linux" else ():
        try:
            lines = (task / "status").read_text().splitlines()
        except OSError:
            continue
        states.append(" ".join(line.replace("\t", "") for line in lines
                               if line.startswith(("Name", "SigPnd", "ShdPnd", "SigBlk",
                                                   "SigIgn", "SigCgt"))))
    return "; ".join(states) or "no /proc"


class ServeProcess:
    """``policyc serve SRC --port 0`` started in ``cwd``; :attr:`url` is the address it
    printed. Stopped with SIGINT, as Ctrl-C does."""

    def __init__(self, src: Path, cwd: Path, *args: str, env: dict | None = None):
        # PYTHONFAULTHANDLER: a preview that does not stop shows where each thread is
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1", **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policyc", "serve", str(src), "--port", "0", *args],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=_ctrl_c_stops)
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._printed = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # stderr is read as it comes too: a full pipe would stop the server mid-write
        self._error_reader = threading.Thread(
            target=lambda: self.errors.extend(self.process.stderr), daemon=True)
        self._error_reader.start()
        if not self._printed.wait(60) or not hasattr(self, "url"):
            self.process.kill()
            self._error_reader.join(10)
            raise RuntimeError("policyc serve stopped before it printed its address:\n"
                               + "".join(self.lines) + "".join(self.errors))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            found = re.search(r"http://\S+/", line)
            if found and not self._printed.is_set():
                self.url = found.group(0)
                self._printed.set()
        self._printed.set()

    def stop(self, timeout: float = 30) -> tuple[int, str, str]:
        """Ctrl-C; the exit code, everything printed on stdout, and stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            signals = _signal_state(self.process.pid)
            self.process.send_signal(signal.SIGABRT)   # the fault handler prints the threads
            self.process.wait(10)
            self._error_reader.join(10)
            raise AssertionError(f"policyc serve did not stop within {timeout} s of Ctrl-C "
                                 f"({signals}):\n" + "".join(self.lines)
                                 + "".join(self.errors)) from None
        finally:
            self._reader.join(timeout)
            self._error_reader.join(timeout)
        return code, "".join(self.lines), "".join(self.errors)

    def __enter__(self) -> "ServeProcess":
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def wait_painted(driver, marker: str, timeout: float = 15.0) -> float:
    """The time (seconds since the epoch) the page first painted with ``marker`` shown."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            painted = driver.execute_script(PAINTED_WITH, marker)
        except Exception:  # noqa: BLE001 - the page is being replaced under the driver
            painted = None
        if painted is not None:
            return painted / 1000
        time.sleep(0.01)
    raise TimeoutError(f"the page never showed {marker!r}")


def edit_latencies(driver, url: str, path: Path, old: str, runs: int) -> list[float]:
    """Seconds from writing ``path`` (``old`` replaced by a new text) to the page at
    ``url`` painted with it, ``runs`` times."""
    original = path.read_text(encoding="utf-8")
    assert old in original, f"{old!r} is not in {path}"
    driver.get(url)
    wait_painted(driver, old)
    seconds = []
    try:
        for run in range(runs + 1):  # the first one warms up
            marker = f"{old}{run}x{time.time_ns() % 100000}"
            time.sleep(0.4)  # the previous update is over: every run starts from rest
            edited = original.replace(old, marker, 1)
            start = time.time()
            path.write_text(edited, encoding="utf-8")
            painted = wait_painted(driver, marker)
            if run:
                seconds.append(painted - start)
    finally:
        path.write_text(original, encoding="utf-8")
    return seconds


def measure(src: Path, work: Path, runs: int) -> dict[str, list[float]]:
    """Edit → page updated, for a section of the reference and for its translation."""
    copy = work / "serve" / "policy_src"
    shutil.copytree(src, copy)
    cases = {
        "a one-line text change in sections/09-updates.yaml, zh-CN page":
            ("zh-CN/privacy-policy.html", copy / "sections" / "09-updates.yaml",
             "我们会在本页面上发布"),
        "a one-line change in translations/en.yaml, en page":
            ("en/privacy-policy.html", copy / "translations" / "en.yaml",
             "we explain them to you service by service"),
    }
    results = {}
    with ServeProcess(copy, copy.parent) as serve:
        driver = chromium(work / "serve-profile")
        try:
            for name, (page, path, old) in cases.items():
                results[name] = edit_latencies(driver, serve.url + page, path, old, runs)
        finally:
            driver.quit()
            serve.stop()
    return results


def summary(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return (f"median {statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f}, "
            f"{len(ms)} edits)")
