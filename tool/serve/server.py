"""The preview's HTTP server: the last good build, an index of it, and live updates.

Only what the build lists is served, looked up by URL path in the build's manifest, so
no URL can reach another file (``..`` in any spelling is refused before the lookup) and
no folder is ever listed. HTML pages get one ``<script>`` added as they are sent (the
built files never hold it): it follows ``/__policyc/events`` (server-sent events),
reloads the page when a new build is ready, and shows the sources' errors and check
warnings over the page. Markdown is shown rendered, as a reader of the repository sees
it; ``?raw`` gives the file itself.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from markupsafe import Markup

from ..build import ARTIFACT_STEM
from .preview import Preview, Site

ASSETS_DIR = Path(__file__).resolve().parent
ASSETS = {"live.js": "text/javascript", "worker.js": "text/javascript"}
PREFIX = "/__policyc/"
KEEPALIVE_SECONDS = 15.0
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf",
                 ".csv": "text/plain; charset=utf-8", ".json": "application/json",
                 ".md": "text/plain; charset=utf-8"}
FORMAT_NAMES = {"html": "HTML", "md": "Markdown", "pdf": "PDF", "csv": "CSV"}  # in this order
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# the raw HTML policyc's Markdown renderer writes (render/markdown.py), with escaped values
# (links to the web, mail, phone, or within the site: never a script)
OWN_MARKDOWN_TAG = re.compile(r'<a href="(?:(?:https?|mailto|tel):[^"<>]*|[^"<>:]*)">|'
                              r'<span lang="[A-Za-z0-9-]*">|</?(?:strong|em|ins)>|</a>|</span>')
# the preview's own pages speak the browser's language (Accept-Language), as the overlay does
WORDS = {
    "en": {"preview": "policyc preview", "version": "Version", "last_updated": "last updated",
           "effective": "effective", "archived": "Archived editions",
           "nothing": "Nothing is built yet: the sources have errors. They are listed over "
                      "this page; this page shows the editions as soon as the sources build.",
           "note": "PDFs are built when opened, from the sources as they are then. Pages "
                   "update by themselves when a source, translation, template or archived "
                   "edition is saved.",
           "home": "Every edition of the policy", "rendered": "rendered as Markdown",
           "raw": "the file itself",
           "not_found": ("Not found", "Nothing is built at this address."),
           "unknown_host": ("Unknown host", "This preview answers only to the address it "
                                            "printed."),
           "no_pdf": ("No PDF yet", "The PDF is built from sources without errors; fix the "
                                    "errors shown and open it again."),
           "app": "For the app stores and the app's build",
           "documents": {"data-safety": "Google Play data safety form",
                         "app-privacy-details": "App Store privacy details",
                         "PrivacyInfo": "iOS privacy manifest (draft)"}},
    "zh": {"preview": "policyc 预览", "version": "版本", "last_updated": "最后更新",
           "effective": "生效", "archived": "历史版本",
           "nothing": "尚未构建成功：源文件有错误，已列在本页上方；源文件一旦构建成功，本页即列出"
                      "各语言版本。",
           "note": "PDF 在打开时按当时的源文件构建。保存源文件、翻译、模板或历史版本后，页面会"
                   "自动更新。",
           "home": "本政策的所有版本", "rendered": "按 Markdown 显示", "raw": "原始文件",
           "not_found": ("未找到", "此地址没有构建出的内容。"),
           "unknown_host": ("未知主机", "本预览只响应它打印出的地址。"),
           "no_pdf": ("暂无 PDF", "PDF 只能由没有错误的源文件构建；请改正所示错误后再打开。"),
           "documents": {"privacy-policy": "隐私政策", "collected-data-list": "已收集个人信息清单",
                         "third-party-sharing-list": "第三方信息共享清单",
                         "changes": "本次更新内容", "archive": "历史版本",
                         "consent-notice": "首次运行提示",
                         "data-safety": "Google Play 数据安全表单",
                         "app-privacy-details": "App Store 隐私详情",
                         "PrivacyInfo": "iOS 隐私清单（草稿）"},
           "app": "供应用商店与应用构建使用"},
}


class PreviewServer(ThreadingHTTPServer):
    """Serves a :class:`Preview` at ``address`` (host, port; port 0 picks a free one)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview):
        self.preview = preview
        self.closing = threading.Event()
        if ":" in address[0]:
            import socket

            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"

    def close(self) -> None:
        """Stop serving: event streams end, the socket is closed."""
        self.closing.set()
        self.preview.wake()
        self.shutdown()
        self.server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    """One request: an artifact, the index, an asset, the event stream, or 404."""

    server: PreviewServer
    server_version = "policyc-serve"

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal shows builds, not requests

    def respond(self, head: bool) -> None:
        self.lang = page_language(self.headers.get("Accept-Language") or "")
        if not self.host_allowed():
            self.send_page(HTTPStatus.MISDIRECTED_REQUEST, "unknown_host", head)
            return
        url = urlsplit(self.path)
        path = request_path(url.path)
        preview = self.server.preview
        generation = preview.state.generation  # before reading a file: never older than it
        site = preview.site
        if path is None:
            self.not_found(head)
        elif path == "/":
            self.send_html(render_page("index.html", self.lang,
                                       title=site.policy.get("title") or "policyc",
                                       facts=policy_facts(site.policy, self.lang),
                                       editions=index_of(site, preview, self.lang)),
                           generation, head)
        elif path == PREFIX + "events":
            self.stream_events()
        elif path == PREFIX + "state":
            self.send(HTTPStatus.OK, "application/json", preview.state.as_json().encode(), head)
        elif path.startswith(PREFIX) and path[len(PREFIX):] in ASSETS:
            name = path[len(PREFIX):]
            self.send(HTTPStatus.OK, ASSETS[name], asset(name), head)
        elif path[1:] in site.files:
            self.send_artifact(path[1:], site, generation, "raw" in parse_qs(url.query,
                                                                            keep_blank_values=True),
                               head)
        elif path.endswith(".pdf") and path[1:] in preview.pdf_paths():
            built = preview.pdf(path[1:])
            if built is None:
                self.send_page(HTTPStatus.SERVICE_UNAVAILABLE, "no_pdf", head)
            else:
                self.send(HTTPStatus.OK, "application/pdf", built.read_bytes(), head)
        else:
            self.not_found(head)

    def host_allowed(self) -> bool:
        """Whether the Host header names this server (a page on another site that
        resolves its own name to 127.0.0.1 must not read the drafts)."""
        bound = self.server.server_address[0]
        if bound not in LOOPBACK:
            return True  # served on purpose to other machines: any name may reach it
        return host_name(self.headers.get("Host") or "") in LOOPBACK

    def send_artifact(self, rel: str, site: Site, generation: str, raw: bool,
                      head: bool) -> None:
        try:
            data = site.files[rel].path.read_bytes()
        except OSError:  # gone with a build that finished meanwhile
            self.not_found(head)
            return
        suffix = Path(rel).suffix
        if suffix == ".html":
            self.send_html(data, generation, head, digest=site.files[rel].sha256[:16])
        elif suffix == ".md" and not raw:
            self.send_html(markdown_page(rel, data, self.lang), generation, head)
        else:
            self.send(HTTPStatus.OK, CONTENT_TYPES.get(suffix, "application/octet-stream"),
                      data, head)

    def stream_events(self) -> None:
        """Server-sent events: the state now, then each new one, until the page goes."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version, state = preview.snapshot()
        try:
            self.wfile.write(b"retry: 500\n\n" + event(state.as_json()))
            self.wfile.flush()
            while not self.server.closing.is_set():
                newer, state = preview.wait(version, KEEPALIVE_SECONDS)
                if self.server.closing.is_set():
                    break
                self.wfile.write(event(state.as_json()) if newer != version else b": idle\n\n")
                self.wfile.flush()
                version = newer
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def not_found(self, head: bool) -> None:
        self.send_page(HTTPStatus.NOT_FOUND, "not_found", head)

    def send_page(self, status: HTTPStatus, message: str, head: bool) -> None:
        """A page saying why nothing is shown: ``message`` names its title and text."""
        title, text = WORDS[self.lang][message]
        self.send_html(render_page("message.html", self.lang, title=title, text=text),
                       self.server.preview.state.generation, head, status)

    def send_html(self, page: bytes | str, generation: str, head: bool,
                  status: HTTPStatus = HTTPStatus.OK, digest: str = "") -> None:
        data = page.encode("utf-8") if isinstance(page, str) else page
        self.send(status, CONTENT_TYPES[".html"], inject_live_script(data, generation, digest),
                  head)

    def send(self, status: HTTPStatus, content_type: str, data: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass


def host_name(header: str) -> str:
    """The name in a Host header, without its port: ``[::1]:8000`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def request_path(raw: str) -> str | None:
    """The decoded URL path, or None when it could reach outside the build: a ``..``
    or ``.`` segment (however encoded), a backslash, a NUL, an empty segment, or
    bytes that are not UTF-8."""
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None
    segments = path[1:].split("/")
    if path != "/" and any(segment in ("", ".", "..") for segment in segments):
        return None
    return path


def event(data: str) -> bytes:
    """One server-sent event named ``state``: a ``data:`` line for each of the lines of
    ``data`` as the event stream counts them (split at CR, LF and CRLF only; U+2028 and
    the like are text there)."""
    lines = "".join(f"data: {line}\n" for line in
                    data.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return f"event: state\n{lines}\n".encode("utf-8")


def inject_live_script(page: bytes, generation: str, digest: str = "") -> bytes:
    """``page`` with the preview's script added before ``</body>`` (or at the end); it
    knows the build the page is from and, for a built file, the file's digest."""
    digest_attr = f' data-digest="{digest}"' if digest else ""
    tag = (f'<script src="{PREFIX}live.js" data-generation="{generation}"{digest_attr}>'
           '</script>\n').encode("ascii")
    at = page.lower().rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


@lru_cache(maxsize=None)
def asset(name: str) -> bytes:
    return (ASSETS_DIR / name).read_bytes()


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(ASSETS_DIR)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def render_page(template: str, lang: str, **values) -> str:
    """One of the preview's own pages (index, Markdown view, messages) in ``lang``."""
    return _environment().get_template(template).render(lang=lang, words=WORDS[lang], **values)


def page_language(accept_language: str) -> str:
    """``zh`` when the browser prefers Chinese (its Accept-Language header), else ``en``."""
    best, best_q = "", -1.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and q > best_q:
            best, best_q = tag.lower(), q
    return "zh" if best.startswith("zh") else "en"


def index_of(site: Site, preview: Preview, lang: str = "en") -> list[dict]:
    """The editions of the build for the index: per locale, each document with a link
    per format; archived editions last, one entry per version and locale."""
    from ..locales import locale_style

    pdfs = preview.pdf_paths()
    groups: dict[str, dict[str, dict[str, str]]] = {}
    for path in [*site.files, *pdfs]:
        parts = path.split("/")
        stem, _, ext = parts[-1].rpartition(".")
        if parts[0] == "archive" and len(parts) == 4:
            key, name = f"archive {parts[1]} {parts[2]}", parts[1]
        elif parts[0] == "app":   # the store forms and files for the app's build
            key = "app"
            name = _document_name(stem, lang) if len(parts) == 2 else "/".join(parts[1:])
        elif len(parts) == 2:
            key, name = parts[0], _document_name(stem, lang)
        else:
            continue
        groups.setdefault(key, {}).setdefault(name, {})[FORMAT_NAMES.get(ext, ext.upper())] = \
            "/" + path
    editions = []
    order = list(FORMAT_NAMES.values())
    for key, documents in groups.items():
        archived = key.startswith("archive ")
        locale = "" if key == "app" else key.split()[-1]
        style = locale_style(locale) if locale else None
        language = style.words["language_name"] if style else WORDS[lang]["app"]
        ordered = [(name, dict(sorted(formats.items(), key=lambda f: _rank(order, f[0]))))
                   for name, formats in sorted(documents.items(), key=lambda item: item[0] !=
                                               _document_name(ARTIFACT_STEM, lang))]
        editions.append({"locale": locale, "language": language, "archived": archived,
                         "version": key.split()[1] if archived else "",
                         "documents": ordered})
    locales = site.policy.get("locales", [])
    editions.sort(key=lambda edition: (edition["archived"], edition["version"],
                                       _rank(locales, edition["locale"] or None)))
    return editions


def _rank(order: list[str], value: str) -> int:
    return order.index(value) if value in order else len(order)


def policy_facts(policy: dict, lang: str = "en") -> list[str]:
    """The manifest's version and dates, as the index shows them."""
    words = WORDS[lang]
    return [f"{words[key]} {policy[key]}" for key in ("version", "last_updated", "effective")
            if policy.get(key)]


def _document_name(stem: str, lang: str = "en") -> str:
    """A file stem as a reader names the document: ``third-party-sharing-list`` →
    ``Third party sharing list`` (第三方信息共享清单)."""
    return WORDS[lang]["documents"].get(stem) or stem.replace("-", " ").capitalize()


def markdown_page(rel: str, data: bytes, lang: str = "en") -> str:
    """A Markdown artifact rendered as CommonMark with GitHub's tables and heading
    anchors; of raw HTML only the tags policyc writes render (links, emphasis, underline,
    a language span), the rest is shown as text."""
    body = _markdown().render(data.decode("utf-8", "replace"))
    return render_page("markdown.html", lang, title=rel, path="/" + rel, body=Markup(body))


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    def own_tags_only(renderer, tokens, idx, options, env) -> str:
        """The tags policyc's Markdown writes render; any other raw HTML shows as text."""
        if OWN_MARKDOWN_TAG.fullmatch(tokens[idx].content):
            return tokens[idx].content
        return renderer.text(tokens, idx, options, env)

    md.add_render_rule("html_inline", own_tags_only)
    md.add_render_rule("html_block", own_tags_only)

    def heading_ids(state) -> None:
        used: dict[str, int] = {}
        for opening, inline in zip(state.tokens, state.tokens[1:]):
            if opening.type == "heading_open":
                slug = github_slug(inline.content)
                count = used.get(slug, 0)
                used[slug] = count + 1
                opening.attrSet("id", slug if count == 0 else f"{slug}-{count}")

    md.core.ruler.push("heading_ids", heading_ids)
    return md


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces → '-'."""
    text = re.sub(r"[*_`]|\[([^\][]*)\]\([^()]*\)", r"\1", text)  # the words, not the markup
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
