"""policyc serve without a browser: what the server sends, refuses and announces.

The preview runs in a thread of the test (the same :func:`policyc.serve.serve` the
command runs) over a copy of the reference; requests go through http.client, which
sends paths exactly as written.
"""
from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import sys
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REFERENCE_SRC

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench.serve import ServeProcess  # noqa: E402

LIVE_TAG = re.compile(rb'<script src="/__policyc/live\.js" data-generation="[^"]*"'
                      rb'(?: data-digest="[0-9a-f]{16}")?></script>\n')


class Live:
    """A preview of ``src`` served from a thread until :meth:`stop`."""

    def __init__(self, src: Path):
        from policyc.serve import serve

        self.src = src
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.builds: list = []
        self.error: BaseException | None = None

        def ready(url, state):
            self.url, self.first = url, state
            self.ready.set()

        def run():
            try:
                serve(src, "127.0.0.1", 0, on_ready=ready,
                      on_build=lambda state, changed: self.builds.append(state),
                      stop=self.stopping)
            except BaseException as exc:  # noqa: BLE001 - shown by the test
                self.error = exc
                self.ready.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.ready.wait(30), "the preview did not start"
        assert self.error is None, self.error
        self.port = urlsplit(self.url).port

    def request(self, path: str, method: str = "GET",
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "the preview did not stop"


class EventStream:
    """``/__policyc/events`` read one server-sent event at a time."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        self.connection.request("GET", "/__policyc/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next_state(self) -> dict:
        name, data = None, []
        while True:
            line = self.response.fp.readline().decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data.append(line[len("data: "):])
            elif not line and name == "state":
                return json.loads("\n".join(data))

    def until(self, accept, limit: int = 20) -> dict:
        for _ in range(limit):
            state = self.next_state()
            if accept(state):
                return state
        raise AssertionError("no such state was announced")

    def close(self) -> None:
        self.connection.close()


def started(folder: Path, monkeypatch) -> Live:
    """A preview of a copy of the reference in ``folder``, building into
    ``folder/tmp`` (paths in diagnostics read policy_src/…)."""
    src = folder / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    monkeypatch.chdir(folder)
    private = folder / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    preview = Live(src)
    (preview.work,) = private.iterdir()
    return preview


def stopped(preview: Live) -> None:
    preview.stop()
    assert not any(preview.work.parent.iterdir())  # the private output folder is removed


def reword_source(src: Path, old: str, new: str) -> None:
    """Record in the English catalog that its translation of ``old`` now translates ``new``."""
    catalog = src / "translations" / "en.yaml"
    catalog.write_text(catalog.read_text("utf-8").replace(f"source: {old}", f"source: {new}", 1),
                       encoding="utf-8")


@pytest.fixture
def live(tmp_path, monkeypatch):
    """A preview the test may change."""
    preview = started(tmp_path, monkeypatch)
    yield preview
    stopped(preview)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A preview the tests only read."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        preview = started(tmp_path_factory.mktemp("site"), monkeypatch)
        yield preview
        stopped(preview)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])


def parsed(data: bytes) -> Links:
    links = Links()
    links.feed(data.decode("utf-8"))
    return links


def test_index_links_every_edition_and_artifact(site):
    status, headers, body = site.request("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    hrefs = parsed(body).hrefs
    for locale in ("zh-CN", "en"):
        for name in ("privacy-policy.html", "privacy-policy.md", "privacy-policy.pdf",
                     "collected-data-list.html", "collected-data-list.csv",
                     "third-party-sharing-list.html", "changes.html", "archive.html"):
            assert f"/{locale}/{name}" in hrefs
        assert f"/archive/1.0/{locale}/privacy-policy.html" in hrefs
    text = body.decode("utf-8")
    assert text.index("简体中文") < text.index("English")  # declared order, binding first
    assert "Version 1.0 · last updated 2022-04-01 · effective 2022-04-01" in text
    for href in hrefs:
        if href.startswith("/") and href != "/" and not href.endswith(".pdf"):
            assert site.request(href)[0] == 200, href


def test_the_previews_own_pages_speak_the_browsers_language(site):
    """Accept-Language zh… gives the index, the messages and the Markdown view in
    Chinese (as the error overlay speaks navigator.language); anything else English."""
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
    status, _, body = site.request("/", headers=chinese)
    text = body.decode("utf-8")
    assert status == 200 and '<html lang="zh">' in text
    assert "版本 1.0 · 最后更新 2022-04-01 · 生效 2022-04-01" in text
    assert "<td>隐私政策</td>" in text and "<td>已收集个人信息清单</td>" in text
    assert "<h2>历史版本</h2>" in text and "Archived editions" not in text
    assert "<h2>供应用商店与应用构建使用</h2>" in text and "<td>Google Play 数据安全表单</td>" in text
    assert '<a href="/app/ios/zh-Hans.lproj/InfoPlist.strings">' in text   # nested app files
    status, _, body = site.request("/nothing.html", headers=chinese)
    assert status == 404 and "<h1>未找到</h1>" in body.decode("utf-8")
    _, _, body = site.request("/zh-CN/privacy-policy.md", headers=chinese)
    assert "按 Markdown 显示" in body.decode("utf-8")
    for other in ({"Accept-Language": "en-US,zh;q=0.5"}, {"Accept-Language": "fr"}, {}):
        _, _, body = site.request("/", headers=other)
        assert '<html lang="en">' in body.decode("utf-8")
        assert "<td>Privacy policy</td>" in body.decode("utf-8")


@pytest.mark.parametrize("path", [
    "/../policy_src/policy.yaml", "/zh-CN/../../policy_src/policy.yaml",
    "/%2e%2e/policy_src/policy.yaml", "/%2E%2E%2Fpolicy_src%2Fpolicy.yaml",
    "/zh-CN/%2e%2e/%2e%2e/policy_src/policy.yaml", "/zh-CN/..%2f..%2fpolicy_src/policy.yaml",
    "/%252e%252e/policy_src/policy.yaml", "/..%5cpolicy_src%5cpolicy.yaml",
    "/zh-CN\\..\\..\\policy_src\\policy.yaml", "//etc/passwd", "/zh-CN/./privacy-policy.html",
    "/zh-CN/privacy-policy.html%00.pdf", "/%ff%fe", "/policy_src/policy.yaml",
    "/.policyc-cache.json", "/manifest.json",
])
def test_nothing_outside_the_build_is_served(site, path):
    status, _, body = site.request(path)
    assert status == 404
    assert b"organisation" not in body and b"root:" not in body


@pytest.mark.parametrize("path", ["/zh-CN", "/zh-CN/", "/archive/", "/archive/1.0/zh-CN/",
                                  "/__policyc/", "/nothing.html", "/zh-CN/privacy-policy.docx",
                                  "/xx/privacy-policy.pdf"])
def test_folders_are_not_listed_and_unknown_paths_are_404(site, path):
    status, headers, body = site.request(path)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert b"Not found" in body and b"privacy-policy.html" not in body


def test_head_and_other_hosts(site):
    status, headers, body = site.request("/zh-CN/privacy-policy.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    # a page of another site whose name resolves to 127.0.0.1 must not read the drafts
    assert site.request("/zh-CN/privacy-policy.html",
                        headers={"Host": "attacker.example:80"})[0] == 421
    assert site.request("/", headers={"Host": f"localhost:{site.port}"})[0] == 200
    assert site.request("/", method="POST")[0] == 501


def test_served_pages_get_the_script_and_built_files_never_do(site):
    folder = site.src.parent  # nothing is built next to the sources
    assert not (folder / "build").exists()
    from policyc.build import build

    built = folder / "compare"
    build(site.src, built, ["html", "md"])
    for rel in ("zh-CN/privacy-policy.html", "en/changes.html",
                "archive/1.0/en/privacy-policy.html", "zh-CN/collected-data-list.html"):
        status, headers, body = site.request("/" + rel)
        assert status == 200 and headers["Cache-Control"] == "no-store"
        assert len(LIVE_TAG.findall(body)) == 1
        assert body.rindex(b"</script>") < body.rindex(b"</body>")
        assert LIVE_TAG.sub(b"", body) == (built / rel).read_bytes()  # the rest as built
    for rel in ("zh-CN/privacy-policy.md?raw", "zh-CN/collected-data-list.csv"):
        status, headers, body = site.request("/" + rel)
        assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
        assert body == (built / rel.removesuffix("?raw")).read_bytes()
    built_files = [path for path in site.work.rglob("*") if path.is_file()]
    assert len(built_files) > 20
    for path in built_files:
        assert b"__policyc" not in path.read_bytes(), path


def test_markdown_is_shown_rendered_with_working_anchors(site):
    status, _, body = site.request("/en/privacy-policy.md")
    assert status == 200
    page = parsed(body)
    anchors = [href[1:] for href in page.hrefs if href.startswith("#")]
    assert len(anchors) >= 10 and set(anchors) <= page.ids
    text = body.decode("utf-8")
    assert "<h2 id=\"1-what-personal-information-we-collect\">" in text
    assert "../zh-CN/privacy-policy.md" in page.hrefs  # the edition switch stays in the preview
    assert "/en/privacy-policy.md?raw" in page.hrefs
    assert LIVE_TAG.search(body)


def test_the_markdown_view_renders_policycs_own_tags_and_shows_other_html_as_text():
    from policyc.serve.server import markdown_page

    page = markdown_page("x.md", (
        '见<a href="#sec">第一条</a>、<a href="mailto:a@b.example">a@b.example</a>，'
        "<strong>粗</strong><ins>下划线</ins> <script>alert(1)</script> "
        '<a href="javascript:alert(1)">x</a> <a href="/" onclick="y">z</a>\n').encode())
    body = page[page.index("<article"):]
    assert '<a href="#sec">第一条</a>' in body and '<a href="mailto:a@b.example">' in body
    assert "<strong>粗</strong><ins>下划线</ins>" in body
    assert "&lt;script&gt;" in body and "<script>alert" not in body
    assert '&lt;a href=&quot;javascript:alert(1)&quot;&gt;' in body
    assert '&lt;a href=&quot;/&quot; onclick=&quot;y&quot;&gt;' in body


def test_a_rebuild_is_announced_and_errors_keep_the_last_good_build(live):
    events = EventStream(live.port)
    try:
        first = events.next_state()
        assert first["generation"] and first["errors"] == []
        assert len(first["warnings"]) > 10  # the reference has check warnings
        assert all(re.fullmatch(r"policy_src/.+:\d+:\d+", w["where"]) for w in first["warnings"])
        section = live.src / "sections" / "09-updates.yaml"
        original = section.read_text(encoding="utf-8")
        section.write_text(original.replace("本政策如何更新", "本政策如何修订", 1), encoding="utf-8")
        reword_source(live.src, "本政策如何更新", "本政策如何修订")   # else it is stale: an error
        rebuilt = events.until(lambda s: s["generation"] != first["generation"])
        assert rebuilt["errors"] == []
        page = live.request("/zh-CN/privacy-policy.html")[2].decode("utf-8")
        assert "本政策如何修订" in page and f'data-generation="{rebuilt["generation"]}"' in page

        lines = original.splitlines(keepends=True)
        at = next(n for n, text in enumerate(lines) if "未经您明确同意" in text)
        lines[at] = lines[at].replace("  - ", "  -: [", 1)  # broken YAML
        section.write_text("".join(lines), encoding="utf-8")
        broken = events.until(lambda s: s["errors"])
        assert broken["generation"] == rebuilt["generation"]  # the last good build stays
        where = [error["where"] for error in broken["errors"]]
        assert any(w.startswith(f"policy_src/sections/09-updates.yaml:{at + 1}:")
                   for w in where), where
        error = broken["errors"][0]
        _, line, col = error["where"].rsplit(":", 2)
        assert error["excerpt"][-1] == [int(line), lines[at].rstrip("\n")]
        assert error["col"] == int(col)
        assert "本政策如何修订" in live.request("/zh-CN/privacy-policy.html")[2].decode("utf-8")
        assert live.request("/")[0] == 200

        section.write_text(original, encoding="utf-8")
        reword_source(live.src, "本政策如何修订", "本政策如何更新")
        fixed = events.until(lambda s: not s["errors"] and not s["building"])
        assert fixed["generation"] not in ("", rebuilt["generation"])
        assert "本政策如何更新" in live.request("/zh-CN/privacy-policy.html")[2].decode("utf-8")
    finally:
        events.close()
    assert live.builds and all(not state.building for state in live.builds)


def test_a_change_that_alters_no_artifact_reloads_nothing(live):
    events = EventStream(live.port)
    try:
        first = events.next_state()
        policy = live.src / "policy.yaml"
        policy.write_text(policy.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
        after = events.until(lambda s: not s["building"])
        assert after["generation"] == first["generation"] and after["errors"] == []
    finally:
        events.close()


def test_the_command_prints_its_address_and_stops_on_ctrl_c(tmp_path):
    src = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    private = tmp_path / "tmp"
    private.mkdir()
    with ServeProcess(src, tmp_path, env={"TMPDIR": str(private)}) as serve:
        assert len(list(private.iterdir())) == 1
        assert serve.url.startswith("http://127.0.0.1:")
        port = urlsplit(serve.url).port
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/zh-CN/privacy-policy.html")
        assert connection.getresponse().status == 200
        connection.close()
        code, out, err = serve.stop()
    assert code == 0, err
    assert "Serving policy_src at http://127.0.0.1:" in out and "stopped" in out
    assert re.search(r"built in \d+ ms, \d+ check warnings", out), (out, err)
    assert "Traceback" not in err
    assert not any(private.iterdir())  # the private output folder is removed
    assert not (tmp_path / "build").exists()
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", port))


def test_the_command_reports_a_busy_port_and_a_missing_folder(tmp_path):
    from click.testing import CliRunner
    from policyc.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(REFERENCE_SRC), "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no policy.yaml here" in result.output
    result = CliRunner().invoke(cli, ["serve", "--port", "70000"])
    assert result.exit_code == 2


def test_templates_next_to_the_sources_are_watched(tmp_path, monkeypatch):
    src = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    from policyc.render import default_templates_dir

    ours = tmp_path / "templates" / "html"
    ours.mkdir(parents=True)
    shutil.copy(default_templates_dir() / "html" / "style.css", ours / "style.css")
    monkeypatch.chdir(tmp_path)
    live = Live(src)
    events = EventStream(live.port)
    try:
        first = events.next_state()
        with open(ours / "style.css", "a", encoding="utf-8") as css:
            css.write("\n.preview-test-marker { color: red; }\n")
        rebuilt = events.until(lambda s: s["generation"] != first["generation"])
        assert rebuilt["digests"]["zh-CN/privacy-policy.html"] != \
            first["digests"]["zh-CN/privacy-policy.html"]
        page = live.request("/zh-CN/privacy-policy.html")[2]
        assert b".preview-test-marker" in page
    finally:
        events.close()
        live.stop()


def test_sigterm_stops_it_as_ctrl_c_does(tmp_path):
    src = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    with ServeProcess(src, tmp_path) as serve:
        serve.process.terminate()
        code, out, err = serve.stop()
    assert code == 0 and "stopped" in out and "Traceback" not in err


@pytest.mark.slow
def test_pdfs_are_built_when_opened_and_kept_while_the_sources_are_broken(live):
    from pypdf import PdfReader
    import io

    status, headers, body = live.request("/en/privacy-policy.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert "Privacy Policy" in PdfReader(io.BytesIO(body)).pages[0].extract_text()
    archived = live.request("/archive/1.0/zh-CN/privacy-policy.pdf")
    assert archived[0] == 200 and archived[2].startswith(b"%PDF-")

    events = EventStream(live.port)
    try:
        events.next_state()
        section = live.src / "sections" / "09-updates.yaml"
        section.write_text("title: [broken\n", encoding="utf-8")
        events.until(lambda s: s["errors"])
        again = live.request("/en/privacy-policy.pdf")  # the last PDF that built
        assert again[0] == 200 and again[2] == body
    finally:
        events.close()


def test_broken_from_the_start_then_fixed(tmp_path, monkeypatch):
    src = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    policy = src / "policy.yaml"
    original = policy.read_text(encoding="utf-8")
    policy.write_text(original.replace("title:", "title: [", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    live = Live(src)
    events = EventStream(live.port)
    try:
        state = events.next_state()
        assert state["generation"] == "" and state["errors"]
        assert state["errors"][0]["where"].startswith("policy_src/policy.yaml:")
        line = int(state["errors"][0]["where"].split(":")[1])
        assert state["errors"][0]["excerpt"][-1][0] == line
        status, _, body = live.request("/")
        assert status == 200 and b"Nothing is built yet" in body
        assert live.request("/zh-CN/privacy-policy.html")[0] == 404
        assert live.request("/zh-CN/privacy-policy.pdf")[0] == 404
        policy.write_text(original, encoding="utf-8")
        fixed = events.until(lambda s: s["generation"])
        assert fixed["errors"] == []
        assert live.request("/zh-CN/privacy-policy.html")[0] == 200
        # built before, broken now, never a PDF: say so
        policy.write_text(original.replace("title:", "title: [", 1), encoding="utf-8")
        events.until(lambda s: s["errors"])
        status, _, body = live.request("/zh-CN/privacy-policy.pdf")
        assert status == 503 and b"fix the errors" in body
    finally:
        events.close()
        live.stop()


def test_the_command_opens_the_browser_and_prints_errors(monkeypatch):
    """The command's own lines, with the preview itself replaced by one broken build."""
    from click.testing import CliRunner

    import policyc.serve
    from policyc.cli import cli
    from policyc.diagnostics import Diagnostic, Loc, Severity
    from policyc.serve.preview import State

    opened = []
    broken = State(errors=(Diagnostic(Loc("policy_src/policy.yaml", 3, 7), Severity.ERROR,
                                      "unknown key `titel`"),),
                   warnings=(Diagnostic(Loc("policy_src/policy.yaml", 1, 1), Severity.WARNING,
                                        "a warning"),))

    def fake_serve(src, host, port, allow_missing, on_ready, on_build):
        on_ready(f"http://{host}:{port}/", broken)
        on_build(State(), {str(Path("policy_src/policy.yaml").resolve())})
        raise KeyboardInterrupt

    monkeypatch.setattr(policyc.serve, "serve", fake_serve)
    monkeypatch.setattr("webbrowser.open", opened.append)
    result = CliRunner().invoke(cli, ["serve", str(REFERENCE_SRC), "--open", "--host",
                                      "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert opened == ["http://0.0.0.0:8123/"]
    lines = result.output.splitlines()
    assert "built: 1 error, 1 check warning; the pages keep the last good build and show:" \
        in lines
    assert "  policy_src/policy.yaml:3:7: error: unknown key `titel`" in lines
    assert any(line.startswith("warning: listening on 0.0.0.0: anyone who can reach")
               for line in lines)
    assert any(line.endswith("policy.yaml changed: rebuilt in 0 ms") for line in lines)
    assert lines[-1] == "stopped"


def test_an_archive_folder_made_while_serving_is_watched(live):
    events = EventStream(live.port)
    try:
        first = events.next_state()
        past = live.src.parent / "archive" / "0.9"
        shutil.copytree(live.src, past, ignore=shutil.ignore_patterns("schema"))
        policy = past / "policy.yaml"
        policy.write_text(policy.read_text(encoding="utf-8").replace(
            'version: "1.0"', 'version: "0.9"').replace("2022-04-01", "2021-04-01"),
            encoding="utf-8")
        rebuilt = events.until(lambda s: "archive/0.9/zh-CN/privacy-policy.html" in s["digests"])
        assert rebuilt["generation"] != first["generation"]
        assert b"/archive/0.9/en/privacy-policy.html" in live.request("/")[2]
        # from now on the folder is watched: a change to the archived edition rebuilds
        section = past / "sections" / "09-updates.yaml"
        section.write_text(section.read_text(encoding="utf-8").replace(
            "本政策如何更新", "旧版如何更新", 1), encoding="utf-8")
        reword_source(past, "本政策如何更新", "旧版如何更新")
        events.until(lambda s: s["digests"].get("archive/0.9/zh-CN/privacy-policy.html")
                     != rebuilt["digests"]["archive/0.9/zh-CN/privacy-policy.html"])
        assert "旧版如何更新" in live.request("/archive/0.9/zh-CN/privacy-policy.html")[2].decode()
    finally:
        events.close()


def test_an_error_at_the_end_of_a_file_shows_that_line_empty(tmp_path):
    from policyc.diagnostics import Loc
    from policyc.serve.preview import source_excerpt

    path = tmp_path / "a.yaml"
    path.write_text("a: 1\nb: 2\ntitle: [\n", encoding="utf-8")
    assert source_excerpt(Loc(str(path), 4, 1)) == [[2, "b: 2"], [3, "title: ["], [4, ""]]
    assert source_excerpt(Loc(str(path), 1, 1)) == [[1, "a: 1"]]
    assert source_excerpt(Loc(str(path), 9, 1)) == []
    assert source_excerpt(Loc(str(tmp_path / "gone.yaml"), 1, 1)) == []


@pytest.mark.parametrize("header, name", [
    ("localhost:8000", "localhost"), ("localhost", "localhost"), ("[::1]:8000", "::1"),
    ("[::1]", "::1"), ("127.0.0.1:80", "127.0.0.1"), ("Attacker.Example:80", "attacker.example"),
])
def test_host_names(header, name):
    from policyc.serve.server import host_name

    assert host_name(header) == name


@pytest.mark.parametrize("allow_missing", [False, True])
def test_allow_missing_shows_untranslated_text_instead_of_an_error(tmp_path, monkeypatch,
                                                                   allow_missing):
    from policyc.serve.preview import Preview

    src = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    monkeypatch.chdir(tmp_path)
    section = src / "sections" / "09-updates.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace(
        "  - 我们的隐私政策可能变更。\n", "  - 我们的隐私政策可能变更。\n  - 新增的一段说明。\n", 1),
        encoding="utf-8")
    state = Preview(src, tmp_path / "work", allow_missing).rebuild()
    if allow_missing:
        assert state.errors == () and state.generation
        page = (tmp_path / "work" / "site" / "en" / "privacy-policy.html").read_text("utf-8")
        assert "新增的一段说明。" in page
    else:
        assert [d.code for d in state.errors] == ["I18N-MISSING"]
        assert state.errors[0].loc.path == "policy_src/sections/09-updates.yaml"
        assert state.generation == ""
