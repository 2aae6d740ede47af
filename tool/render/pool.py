"""PDFs rendered side by side: ``policyc build -j N`` for the editions of one policy.

WeasyPrint lays out one document on one core, and a policy has a PDF per edition and
per archived edition. With N workers, every PDF that is not taken from the cache is
handed to a pool of N processes as soon as its document is resolved (as the page to lay
out: the HTML is made here, so a worker needs only WeasyPrint); the build goes on
rendering the rest, and waits for the PDFs only when it writes
(:meth:`Pending.result`). The bytes are the same as a build with one process.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

from typing import TYPE_CHECKING

from ..document import Document
from . import Templates, pdf
from .weasyprint_import import import_weasyprint

if TYPE_CHECKING:
    from ..cache import BuildCache


class Pending:
    """An artifact being rendered elsewhere; ``result()`` waits for its bytes (once) and
    hands them to ``on_done`` (the cache). The worker writes the PDF in several standards
    from one layout; ``variant`` is the one this artifact is."""

    def __init__(self, future: Future, on_done: Callable[[bytes], None], variant: str):
        self._future = future
        self._on_done = on_done
        self._variant = variant
        self._data: bytes | None = None

    def result(self) -> bytes:
        if self._data is None:
            self._data = self._future.result()[self._variant]
            self._on_done(self._data)
        return self._data


class PdfPool:
    """N worker processes that render PDFs; a context manager that stops them."""

    def __init__(self, workers: int):
        self._executor = ProcessPoolExecutor(max_workers=workers)
        self._copies: dict[str, tuple[Future, str]] = {}   # by the copy's digest
        for _ in range(workers):   # each worker starts now and imports WeasyPrint at once
            self._executor.submit(import_weasyprint)

    def render_cached(self, cache: BuildCache | None, rel_path: str, key: str | None,
                      document: Document, templates: Templates) -> bytes | Pending:
        """The PDF at ``rel_path``: reused when ``key`` matches, else handed to a worker
        (and remembered in ``cache`` once its bytes are taken)."""
        data = None if cache is None else cache.fetch(rel_path, key)
        if data is not None:
            return data
        remember = (lambda done: None) if cache is None else \
            (lambda done: cache.store(rel_path, key, done))
        copy = self._copies.pop(pdf.copy_key(document) or "", None)
        if copy is not None:   # written by the task of the edition it copies
            return Pending(copy[0], remember, copy[1])
        future = self._executor.submit(pdf.write_standards, pdf.pdf_page(document, templates),
                                       templates)
        for variant in document.pdf_copies:
            copy_key = pdf.copy_key(document.in_standard(variant))
            if copy_key is not None:
                self._copies[copy_key] = (future, variant)
        return Pending(future, remember, document.pdf_variant)

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, *exc) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
