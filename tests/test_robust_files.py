"""Every reader of user files opens regular files only, inside their folder, bounded.

A symlink committed to a repository (``AndroidManifest.xml -> /dev/zero``, ``assets ->
/``), a FIFO named like a build file or a symlinked folder inside a shard is refused or
left alone with a clean message: nothing blocks, reads forever or leaves its folder.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from policyc import cache
from policyc.app import read_app
from policyc.diagnostics import PolicyError, Report
from policyc.files import FileProblem, open_file, read_file, walk
from policyc.merge import merge_outputs

MANIFEST = '<manifest package="x"><uses-permission android:name="android.permission.CAMERA"/></manifest>'

def app_errors(*paths: Path) -> list[str]:
    report = Report()
    app = read_app([(p, None) for p in paths], report)
    assert not app.permissions, "a file outside the app folder was read"
    return [str(d.message) for d in report.sorted()]

@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder next to the app's, holding a readable manifest and APK."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "AndroidManifest.xml").write_text(
        MANIFEST.replace("<manifest ", '<manifest xmlns:android="http://schemas.android.com/apk/res/android" '),
        "utf-8")
    return folder

def test_a_build_file_symlinked_out_of_the_app_folder_is_refused(tmp_path, outside):
    app = tmp_path / "app"
    app.mkdir()
    (app / "AndroidManifest.xml").symlink_to(outside / "AndroidManifest.xml")
    (app / "zero.apk").symlink_to("/dev/zero")
    errors = app_errors(app)
    assert len(errors) == 2 and all("points outside its folder" in e for e in errors), errors

def test_a_symlink_inside_the_app_folder_is_read(tmp_path, outside):
    app = tmp_path / "app"
    (app / "src").mkdir(parents=True)
    (app / "src" / "AndroidManifest.xml").write_bytes((outside / "AndroidManifest.xml").read_bytes())
    (app / "AndroidManifest.xml").symlink_to("src/AndroidManifest.xml")
    report = Report()
    built = read_app([(app, None)], report)
    assert not report.has_errors and [p.name for p in built.permissions] == \
        ["android.permission.CAMERA"] * 2

@pytest.mark.parametrize("name", ["Info.plist", "AndroidManifest.xml", "app.apk", "app.aab"])
def test_a_fifo_named_like_a_build_file_is_refused_not_waited_on(tmp_path, name):
    app = tmp_path / "app"
    app.mkdir()
    os.mkfifo(app / name)
    assert app_errors(app) == app_errors(app / name)
    assert len(app_errors(app)) == 1 and "not a regular file" in app_errors(app)[0]

def test_open_file_bounds_the_size_before_reading(tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(FileProblem, match="larger than"):
        open_file(big, tmp_path, limit=1000)
    with open_file(big, tmp_path, limit=2000) as stream:
        assert len(stream.read()) == 2000

def test_a_device_is_never_read(tmp_path):
    (tmp_path / "zero").symlink_to("/dev/zero")
    for reader in (read_file, open_file):
        with pytest.raises(FileProblem, match="not a regular file"):
            reader(tmp_path / "zero")

def test_the_source_digest_never_follows_a_symlink_out_of_the_folder(tmp_path, monkeypatch):
    src = tmp_path / "src"
    (src / "inner").mkdir(parents=True)
    (src / "policy.yaml").write_text("x: 1\n", "utf-8")
    (src / "inner" / "a.yaml").write_text("a: 1\n", "utf-8")
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "big.bin").write_bytes(b"x" * 100)
    (src / "assets").symlink_to(secret)          # as `assets -> /` would
    (src / "loop").symlink_to(src)               # a loop inside the folder
    (src / "alias").symlink_to("inner")          # a folder inside it, read as the build does
    (src / "file-out.yaml").symlink_to(secret / "big.bin")
    read: list[str] = []
    real_read = cache.read_file

    def recording(path, *args, **kwargs):
        read.append(os.path.realpath(path))
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(cache, "read_file", recording)
    first = cache.folder_digest(src)
    assert read and not any(p.startswith(str(secret)) for p in read), read
    assert str(src / "inner" / "a.yaml") in read
    (secret / "big.bin").write_bytes(b"y" * 100)
    assert cache.folder_digest(src) == first      # outside content is no input
    (src / "assets").unlink()
    (src / "assets").symlink_to(tmp_path)
    assert cache.folder_digest(src) != first      # the link's target is

def test_walk_lists_a_link_leaving_the_folder_but_never_enters_it(tmp_path):
    (tmp_path / "root" / "a").mkdir(parents=True)
    (tmp_path / "root" / "a" / "f").write_text("1")
    (tmp_path / "root" / "up").symlink_to("/")
    (tmp_path / "root" / "a2").symlink_to("a")
    tops = []
    for top, dirs, names in walk(tmp_path / "root"):
        tops.append(os.path.relpath(top, tmp_path / "root"))
        if top == str(tmp_path / "root"):
            assert dirs == ["a", "a2", "up"]
    assert sorted(tops) == [".", "a"]            # a2 is the same real folder as a

def shard_with(tmp_path: Path, rel: str, data: bytes) -> Path:
    shard = tmp_path / "shard"
    (shard / "p").mkdir(parents=True)
    policy = {"generator": "policyc",
              "artifacts": [{"path": rel, "sha256": hashlib.sha256(data).hexdigest()}]}
    (shard / "p" / "manifest.json").write_text(json.dumps(policy), "utf-8")
    (shard / "manifest.json").write_text(json.dumps(
        {"generator": "policyc", "artifacts": [], "policies": [{"name": "p"}]}), "utf-8")
    return shard

def test_merge_never_follows_a_symlinked_folder_out_of_a_shard(tmp_path):
    data = b"<p>from outside</p>"
    shard = shard_with(tmp_path, "en/index.html", data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_bytes(data)
    (shard / "p" / "en").symlink_to(elsewhere)
    report = Report()
    with pytest.raises(PolicyError):
        merge_outputs([shard], tmp_path / "merged", report)
    assert any("points outside its folder" in str(d.message) for d in report.sorted())
    assert not (tmp_path / "merged").exists()

def test_merge_reads_a_fifo_manifest_as_no_manifest(tmp_path):
    shard = shard_with(tmp_path, "x.html", b"x")
    (shard / "p" / "manifest.json").unlink()
    os.mkfifo(shard / "p" / "manifest.json")
    report = Report()
    with pytest.raises(PolicyError):
        merge_outputs([shard], tmp_path / "merged", report)
    assert "not a policyc manifest" in report.sorted()[0].format()

def test_import_refuses_a_fifo(tmp_path):
    from policyc.importers.outline import read_limited

    os.mkfifo(tmp_path / "in.html")
    with pytest.raises(PolicyError) as raised:
        read_limited(tmp_path / "in.html", "in.html")
    assert "not a regular file" in str(raised.value.report.sorted()[0].message)

def test_the_preview_excerpt_of_a_fifo_is_empty(tmp_path):
    from policyc.diagnostics import Loc
    from policyc.serve.preview import source_excerpt

    os.mkfifo(tmp_path / "policy.yaml")
    assert source_excerpt(Loc(str(tmp_path / "policy.yaml"), 3)) == []

