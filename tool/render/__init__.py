"""Render stage: one module per output format, each turning a Document into bytes.

A renderer module defines ``EXTENSION`` (the artifact's file extension) and
``render(document, templates) -> bytes``. Renderers are imported only when their format
is built, so building HTML and Markdown never imports WeasyPrint.
"""
from __future__ import annotations

import hashlib
import importlib
import os
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from .. import __version__
from ..diagnostics import display_path
from ..files import FileProblem, read_file, walk
from ..usercache import read_sealed, user_cache_dir, write_sealed

if TYPE_CHECKING:
    import jinja2

FORMATS: dict[str, str] = {"html": "html", "md": "markdown", "pdf": "pdf", "docx": "docx"}
DEFAULT_FORMATS = ("html", "md", "pdf")   # what a build without --format makes; docx on request
PACKAGE_DIR = Path(__file__).resolve().parent.parent
MAX_COMPILED_BYTES = 16 * 1024 * 1024   # a compiled template; larger entries are misses
ARTIFACT_STEM = "privacy-policy"


def renderer(fmt: str) -> ModuleType:
    """The renderer module of a format name (html, md, pdf, docx)."""
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}")


def artifact_path(out_dir: Path, locale: str, fmt: str) -> Path:
    """Where the artifact of one locale and format goes."""
    return out_dir / locale / f"{ARTIFACT_STEM}.{renderer(fmt).EXTENSION}"
def render_artifact(fmt: str, document, templates: Templates, cache, rel_path: str,
                    key: str | None, pool=None):
    """One artifact of ``document``: reused from ``cache`` when ``key`` matches, else
    rendered — a PDF by a worker of ``pool`` when there is one (then a
    :class:`~policyc.render.pool.Pending` until its bytes are taken)."""
    from ..cache import render_cached

    if pool is not None and fmt == "pdf":
        return pool.render_cached(cache, rel_path, key, document, templates)
    module = renderer(fmt)
    return render_cached(cache, rel_path, key, lambda: module.render(document, templates))


def default_templates_dir() -> Path:
    """The templates shipped with policyc.

    An installed wheel carries them as ``policyc/templates``; a source checkout (and an
    editable install) keeps them in ``templates/`` next to the package folder ``tool/``.
    """
    for candidate in (PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "templates"):
        if (candidate / "html").is_dir():
            return candidate
    raise FileNotFoundError(f"policyc's templates are missing from {PACKAGE_DIR}")


class Templates:
    """Where templates are looked up: a project's own ``templates/`` first, then policyc's."""

    def __init__(self, project_dir: Path | None = None):
        dirs = []
        if project_dir is not None and project_dir.is_dir():
            dirs.append(project_dir.resolve())
        shipped = default_templates_dir().resolve()
        if shipped not in dirs:
            dirs.append(shipped)
        self.dirs = dirs
        self._digests: dict[tuple[str, ...] | None, str] = {}

    def environment(self, autoescape: bool) -> jinja2.Environment:
        """A Jinja environment over the template folders (HTML-escaping when ``autoescape``)."""
        return _environment(tuple(self.dirs), autoescape)

    def read(self, name: str) -> str:
        """The text of a non-template file such as a stylesheet, first match wins."""
        for folder in self.dirs:
            path = folder / name
            if os.path.lexists(path):
                return read_file(path).decode("utf-8", errors="replace")
        raise FileNotFoundError(name)

    def digest(self, folders: tuple[str, ...] | None = None) -> str:
        """A digest of the template files in effect under ``folders`` (all when None),
        names and bytes (for cache keys; read once per Templates)."""
        if folders not in self._digests:
            digest = hashlib.sha256()
            for path in self.files():
                rel = next(path.relative_to(d) for d in self.dirs if path.is_relative_to(d))
                if folders is None or rel.parts[0] in folders:
                    try:
                        data = read_file(path)
                    except FileProblem as problem:   # reported when the template is used
                        data = f"unreadable: {problem}".encode("utf-8")
                    digest.update(f"{rel.as_posix()}\0{len(data)}\0".encode("utf-8"))
                    digest.update(data)
            self._digests[folders] = digest.hexdigest()
        return self._digests[folders]

    def files(self) -> list[Path]:
        """Every template file in effect (for cache keys)."""
        seen: dict[str, Path] = {}
        for folder in self.dirs:
            for path in _walk(folder):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and rel not in seen and not rel.endswith((".py", ".pyc")):
                    seen[rel] = path
        return [seen[k] for k in sorted(seen)]


def _walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, symlinked folders inside the folder holding it (the
    project) followed, each real folder once."""
    return sorted(Path(top, name) for top, _, files in walk(folder, folder.parent)
                  for name in files)


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], autoescape: bool) -> jinja2.Environment:
    import jinja2

    options = {"autoescape": autoescape, "trim_blocks": True, "lstrip_blocks": True,
               "keep_trailing_newline": True}
    env = jinja2.Environment(loader=_loader(dirs),
                             undefined=jinja2.StrictUndefined,
                             bytecode_cache=_bytecode_cache(options), **options)
    env.globals["policyc_version"] = __version__
    return env


def _loader(dirs: tuple[Path, ...]) -> jinja2.BaseLoader:
    """Jinja's file loader, reading through :func:`policyc.files.read_file`: a template is
    a regular file of bounded size (a FIFO or a device is an error). Template folders may
    be symlinks (``templates/html -> ../tpl``): templates are the project's code."""
    import jinja2

    class Loader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            pieces = jinja2.loaders.split_template_path(template)
            for folder in self.searchpath:
                path = os.path.join(folder, *pieces)
                if not os.path.lexists(path):
                    continue
                try:
                    text = read_file(path).decode("utf-8")
                except FileProblem as problem:
                    raise jinja2.TemplateError(f"{display_path(path)}: {problem.strerror}") from None
                except UnicodeDecodeError as problem:
                    raise jinja2.TemplateError(f"{display_path(path)}: not UTF-8 ({problem})") from None
                mtime = os.path.getmtime(path)
                return text, os.path.normpath(path), lambda: _mtime(path) == mtime
            raise jinja2.TemplateNotFound(template)

    return Loader([str(d) for d in dirs])


def _mtime(path: str) -> float | None:
    try:
        return os.path.getmtime(path)
    except OSError:
        return None


def _bytecode_cache(options: dict) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in the user's cache folder (``$XDG_CACHE_HOME``
    or ``~/.cache``, then ``policyc/``), one folder per Jinja version and set of options.
    Jinja reuses a compiled template only while its source is unchanged. Compiled code is
    marshal data, which can run anything, so an entry is unmarshalled only when its seal
    verifies (:mod:`policyc.usercache`): a damaged or foreign entry is compiled again.
    None when no cache folder can be made: templates are then compiled on every run."""
    import jinja2

    class SealedBytecodeCache(jinja2.BytecodeCache):
        def __init__(self, folder: Path):
            self.folder = folder

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            data = read_sealed(self.folder, f"{bucket.key}.cache", MAX_COMPILED_BYTES)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            write_sealed(self.folder, f"{bucket.key}.cache", bucket.bytecode_to_string())

    tag = hashlib.sha256(repr(sorted(options.items())).encode()).hexdigest()[:12]
    folder = user_cache_dir(f"jinja-{jinja2.__version__}-{tag}")
    return None if folder is None else SealedBytecodeCache(folder)
