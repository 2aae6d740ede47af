"""Render stage: one module per output format, each turning a Document into bytes.

A renderer module defines ``EXTENSION`` (the artifact's file extension) and
``render(document, templates) -> bytes``. Renderers are imported only when their format
is built, so building HTML and Markdown never imports WeasyPrint.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import jinja2

from .. import __version__

FORMATS: dict[str, str] = {"html": "html", "md": "markdown", "pdf": "pdf"}
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def renderer(fmt: str) -> ModuleType:
    """The renderer module of a format name (html, md, pdf)."""
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}")


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

    def environment(self, autoescape: bool) -> jinja2.Environment:
        """A Jinja environment over the template folders (HTML-escaping when ``autoescape``)."""
        return _environment(tuple(self.dirs), autoescape)

    def read(self, name: str) -> str:
        """The text of a non-template file such as a stylesheet, first match wins."""
        for folder in self.dirs:
            path = folder / name
            if path.is_file():
                return path.read_text(encoding="utf-8")
        raise FileNotFoundError(name)

    def files(self) -> list[Path]:
        """Every template file in effect (for cache keys)."""
        seen: dict[str, Path] = {}
        for folder in self.dirs:
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and rel not in seen and not rel.endswith((".py", ".pyc")):
                    seen[rel] = path
        return [seen[k] for k in sorted(seen)]


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
                             autoescape=autoescape, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["policyc_version"] = __version__
    return env
