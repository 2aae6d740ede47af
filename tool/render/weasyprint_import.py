"""WeasyPrint, imported with its C libraries looked up quickly.

WeasyPrint opens GObject, Pango, HarfBuzz and fontconfig by trying several spellings of
each library's name with :func:`ctypes.util.find_library`. On Linux every spelling that is
not in the dynamic linker's cache makes ``find_library`` run ``gcc`` and ``ld`` (16 of the
22 lookups, about 0.2 s of every import, in each PDF worker). While WeasyPrint is imported
here, a lookup reads the linker cache once and answers from it, then from the folders the
dynamic linker searches by itself (``LD_LIBRARY_PATH`` and the default ones), without
starting a process. A lookup that misses never loses a library: WeasyPrint's spellings
include each library's soname (``libpango-1.0.so.0``), which the dynamic linker opens by
itself. Elsewhere (macOS, Windows) WeasyPrint is imported as it is.
"""
from __future__ import annotations

import ctypes.util
import glob
import os
import re
import struct
import subprocess
import sys
import threading
from functools import lru_cache
from types import ModuleType

LDCONFIG = "/sbin/ldconfig"   # where ctypes.util reads the linker cache from
DEFAULT_FOLDERS = ("/lib", "/usr/lib", "/lib64", "/usr/lib64")
# the cache entries of this process's ABI, as ctypes.util names them
_ABI_TYPES = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit",
              "sparc64-64": "libc6,64bit", "s390x-64": "libc6,64bit",
              "ia64-64": "libc6,IA-64"}
_patching = threading.Lock()


def import_weasyprint() -> ModuleType:
    """The ``weasyprint`` module, imported on first use."""
    if "weasyprint" not in sys.modules and sys.platform.startswith("linux") \
            and os.access(LDCONFIG, os.X_OK):
        with _patching:
            standard = ctypes.util.find_library
            ctypes.util.find_library = find_library
            try:
                import weasyprint  # noqa: F401 - its libraries are opened on import
            finally:
                ctypes.util.find_library = standard
    import weasyprint

    return weasyprint


def find_library(name: str) -> str | None:
    """What the dynamic linker would open for ``name`` ('pango-1.0' → 'libpango-1.0.so.0'):
    the linker cache's entry, else the first ``lib<name>.so*`` file in the folders the
    linker searches; None when there is none."""
    abi = _ABI_TYPES.get(f"{os.uname().machine}-{struct.calcsize('l') * 8}", "libc6")
    match = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}",
                      _linker_cache())
    if match:
        return match.group(1)
    folders = [*os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep), *DEFAULT_FOLDERS]
    for folder in filter(None, folders):
        found = sorted(glob.glob(os.path.join(glob.escape(folder),
                                              f"lib{glob.escape(name)}.so*")))
        if found:
            return found[0]
    return None


@lru_cache(maxsize=1)
def _linker_cache() -> str:
    """``ldconfig -p``: the libraries in the linker cache, one per line."""
    try:
        listed = subprocess.run([LDCONFIG, "-p"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env={"LC_ALL": "C", "LANG": "C"}, check=False)
    except OSError:
        return ""
    return os.fsdecode(listed.stdout)
