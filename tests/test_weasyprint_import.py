"""WeasyPrint imported with its C libraries looked up from the linker cache: the same
libraries as :func:`ctypes.util.find_library` finds, without a process per spelling."""
from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys

import pytest

from policyc.render import weasyprint_import

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux linker cache")

# every spelling WeasyPrint 70 tries for the libraries it opens (weasyprint/text/ffi.py)
SPELLINGS = [
    "libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "libgobject-2.0.so.0",
    "libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libharfbuzz-0", "harfbuzz",
    "harfbuzz-0.0", "libharfbuzz-subset-0", "harfbuzz-subset", "libharfbuzz-vector-0",
    "harfbuzz-vector", "libfontconfig-1", "fontconfig-1", "fontconfig", "libpangoft2-1.0-0",
    "pangoft2-1.0-0", "pangoft2-1.0",
]


@linux
@pytest.mark.parametrize("name", SPELLINGS)
def test_each_spelling_finds_what_ctypes_finds(name):
    assert weasyprint_import.find_library(name) == ctypes.util.find_library(name)


@linux
def test_a_library_outside_the_cache_is_found_in_ld_library_path(tmp_path, monkeypatch):
    (tmp_path / "libpolicycprobe.so.3").write_bytes(b"\x7fELF")
    monkeypatch.setenv("LD_LIBRARY_PATH", f"/nonexistent:{tmp_path}")
    assert weasyprint_import.find_library("policycprobe") == str(tmp_path / "libpolicycprobe.so.3")
    assert weasyprint_import.find_library("policycprobe-none") is None


@linux
def test_importing_weasyprint_starts_one_process_and_restores_find_library():
    """Only ``ldconfig -p`` runs (ctypes would run gcc and ld for each missing spelling),
    and ctypes' own lookup is back in place afterwards."""
    probe = """
import ctypes.util, json, subprocess
started, real = [], subprocess.Popen.__init__
def counting(self, args, *rest, **kwargs):
    started.append(args[0] if isinstance(args, (list, tuple)) else args)
    real(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = counting
standard = ctypes.util.find_library
from policyc.render.weasyprint_import import import_weasyprint
weasyprint = import_weasyprint()
weasyprint.HTML(string="<p>x</p>").write_pdf()
print(json.dumps({"started": started, "restored": ctypes.util.find_library is standard}))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"started": ["/sbin/ldconfig"], "restored": True}


@linux
def test_weasyprint_opens_its_libraries_even_when_every_lookup_misses():
    """What makes a missed lookup harmless: WeasyPrint also tries each library's soname,
    which the dynamic linker opens without find_library."""
    probe = """
import ctypes.util
ctypes.util.find_library = lambda name: None
import weasyprint
print(weasyprint.HTML(string="<p>x</p>").write_pdf()[:5].decode())
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "%PDF-"
