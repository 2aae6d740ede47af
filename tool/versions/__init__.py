"""Versions of a policy: what changed, whether it is material, and the archive.

* :mod:`.snapshots` loads an edition from a folder, a git revision, the ``archive/``
  folder or the git tags;
* :mod:`.differ` compares two editions as data and :mod:`.material` sorts each change
  into the material-change categories the policy declares;
* :mod:`.redline` marks changed wording; :mod:`.pages` writes the changes page and the
  archive for ``build``; :mod:`.rules` checks that changed content got a new version.
"""
from .changes import Change, describe
from .compare import Comparison, compare
from .snapshots import Snapshot, SnapshotError, load_snapshot, recorded_snapshots

__all__ = ["Change", "Comparison", "Snapshot", "SnapshotError", "compare", "describe",
           "load_snapshot", "recorded_snapshots"]
