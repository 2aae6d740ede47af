"""The preview sees every edit: one saved right after its first answer, and those made
after the source folder was replaced; no character of a message can split its event."""
from __future__ import annotations

import json
import shutil
import time

import pytest

from conftest import REFERENCE_SRC
from test_serve import (EventStream, live, reword_source, started,  # noqa: F401,F811
                        stopped)
from policyc.serve.server import event

SECTION = "sections/09-updates.yaml"
TITLE = "本政策如何更新"


def page_shows(preview, text: str, path: str = "/zh-CN/privacy-policy.html") -> bool:
    """Whether the served page comes to show ``text`` (asked until it does, or for at
    most 30 seconds: a bound on a failing test, not a measure of speed)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if text in preview.request(path)[2].decode("utf-8"):
            return True
        time.sleep(0.1)
    return False


def test_an_edit_saved_right_after_the_first_answer_is_built(tmp_path, monkeypatch):
    """The edit is made inside on_ready, before any later moment a watcher could start."""
    import policyc.serve as serve_module

    section = tmp_path / "policy_src" / SECTION
    real_serve = serve_module.serve

    def serve_and_edit(src, host, port, allow_missing=False, on_ready=None, on_build=None,
                       stop=None):
        def ready(url, state):
            reword_source(tmp_path / "policy_src", TITLE, "本政策如何修订")   # else stale
            section.write_text(section.read_text("utf-8").replace(TITLE, "本政策如何修订", 1),
                               "utf-8")
            on_ready(url, state)
        return real_serve(src, host, port, allow_missing, ready, on_build, stop)

    monkeypatch.setattr(serve_module, "serve", serve_and_edit)
    preview = started(tmp_path, monkeypatch)
    try:
        assert page_shows(preview, "本政策如何修订")
    finally:
        stopped(preview)


def test_a_replaced_source_folder_is_watched_and_its_fix_shown(live):
    section = live.src / SECTION
    original = section.read_text("utf-8")
    section.write_text(original.replace("title:", "title: [", 1), "utf-8")   # broken
    events = EventStream(live.port)
    try:
        events.until(lambda s: s["errors"])
        copy = live.src.parent / "copy"
        shutil.copytree(REFERENCE_SRC, copy)
        (copy / SECTION).write_text(original.replace(TITLE, "本政策如何变更", 1), "utf-8")
        reword_source(copy, TITLE, "本政策如何变更")
        shutil.rmtree(live.src)
        shutil.copytree(copy, live.src)
        fixed = events.until(lambda s: not s["errors"] and not s["building"], limit=50)
        assert fixed["generation"]
        assert page_shows(live, "本政策如何变更")
        reword_source(live.src, "本政策如何变更", "本政策如何再变更")
        section.write_text(original.replace(TITLE, "本政策如何再变更", 1), "utf-8")
        assert page_shows(live, "本政策如何再变更")
    finally:
        events.close()


def parse_event_stream(data: bytes) -> list[tuple[str, str]]:
    """Events as a browser reads them: lines end at CR, LF or CRLF only (the HTML
    standard's event-stream parsing), data lines joined with LF."""
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    events, name, lines = [], "message", []
    for line in text.split("\n"):
        if not line:
            if lines:
                events.append((name, "\n".join(lines)))
            name, lines = "message", []
        elif line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            lines.append(line[len("data: "):])
    return events


@pytest.mark.parametrize("text", ["a\u2028b", "a\u2029b", "a\x85b", "a\rb", "a\r\nb",
                                  "a\nb", "\x1c\x1d\x1e", "\u000b\u000c"])
def test_no_character_splits_an_event(text):
    data = json.dumps({"message": text})
    assert parse_event_stream(event(data)) == [("state", data)]
    from policyc.serve.preview import State
    from policyc.diagnostics import Diagnostic, Loc, Severity

    state = State(generation="g", errors=(Diagnostic(Loc("x.yaml", 0), Severity.ERROR, text),))
    [(name, carried)] = parse_event_stream(event(state.as_json()))
    assert json.loads(carried)["errors"][0]["message"] == text
