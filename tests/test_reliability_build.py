"""build/ is never mixed: signals, killed builds, concurrent builds, overlapping folders."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import write_policy

POLICYC = Path(sys.executable).parent / "policyc"
SECTION = "id: collect\ntitle: What we collect\nblocks:\n  - We collect {email}.\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    out = tmp_path / "out"
    subprocess.run([str(POLICYC), "build", str(src), "-o", str(out), "-f", "html", "-f", "md"],
                   check=True, capture_output=True, timeout=120)
    (src / "collect.yaml").write_text(SECTION.replace("We collect", "We now collect"), "utf-8")
    return src, out


def interrupted_build(src: Path, out: Path, signum: int, where: str, after: int):
    """A build that sends itself ``signum`` once ``where`` (policyc.write's _stage or
    os.replace) has run ``after`` times."""
    code = textwrap.dedent(f"""
        import os, signal, sys
        import policyc.write as w
        calls = [0]
        real = {"w._stage" if where == "stage" else "os.replace"}
        def hooked(*args):
            result = real(*args)
            calls[0] += 1
            if calls[0] == {after}:
                os.kill(os.getpid(), {signum})
            return result
        if {where!r} == "stage":
            w._stage = hooked
        else:
            w.os = type("os", (), {{**{{k: getattr(os, k) for k in dir(os)}}, "replace": staticmethod(hooked)}})
        from policyc.cli import main
        sys.argv = ["policyc", "build", {str(src)!r}, "-o", {str(out)!r}, "-f", "html", "-f", "md"]
        sys.exit(main())
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("signum", [15, 1], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("where, after", [("stage", 2), ("replace", 2)])
def test_a_signal_leaves_the_previous_build(project, signum, where, after):
    src, out = project
    before = tree(out)
    result = interrupted_build(src, out, signum, where, after)
    assert "interrupted" in result.stderr, result.stderr
    assert result.returncode == 130
    assert tree(out) == before   # byte-identical, no temporary files


def test_stale_temporary_files_of_a_killed_build_are_removed(project):
    src, out = project
    stale = [out / "en" / ".privacy-policy.html.a1B2c3_d.tmp", out / ".manifest.json.zzzzzzzz.tmp"]
    mine = out / "en" / ".notes.tmp"
    for path in stale + [mine]:
        path.write_bytes(b"half")
    for _ in range(2):   # a build, then an up-to-date one
        subprocess.run([str(POLICYC), "build", str(src), "-o", str(out), "-f", "html", "-f",
                        "md"], check=True, capture_output=True, timeout=120)
        assert not any(path.exists() for path in stale)
        for path in stale:
            path.write_bytes(b"half")
    assert mine.read_bytes() == b"half"   # not policyc's: left alone


def test_a_second_build_into_the_same_folder_waits(project, monkeypatch):
    src, out = project
    from policyc.write import output_lock

    with output_lock(out, lambda: None):
        second = subprocess.Popen([str(POLICYC), "build", str(src), "-o", str(out), "-f",
                                   "html"], stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert second.poll() is None   # still waiting
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0
    assert "waiting for another build into" in err


@pytest.mark.parametrize("where", ["src", "src/sub", ".", "archive", "templates/html"])
def test_an_output_folder_overlapping_the_sources_is_a_usage_error(tmp_path, where):
    write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    (tmp_path / "archive").mkdir()
    (tmp_path / "templates").mkdir()
    before = tree(tmp_path)
    result = subprocess.run([str(POLICYC), "build", "src", "-o", where], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "overlaps" in result.stderr
    assert tree(tmp_path) == before and not (tmp_path / "src" / "sub").exists()


def test_a_failed_build_leaves_no_new_empty_folders(tmp_path):
    """The manifest cannot be renamed (a full disk, say): the files already renamed are
    taken back and the folders the build made are removed."""
    src = write_policy(tmp_path / "src", {"collect.yaml": SECTION})
    out = tmp_path / "deep" / "out"
    code = textwrap.dedent(f"""
        import errno, os, sys
        import policyc.write as w
        real = os.replace
        def replace(a, b):
            if str(b).endswith("manifest.json"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(a, b)
        w.os = type("os", (), {{**{{k: getattr(os, k) for k in dir(os)}}, "replace": staticmethod(replace)}})
        from policyc.cli import main
        sys.argv = ["policyc", "build", {str(src)!r}, "-o", {str(out)!r}, "-f", "html"]
        sys.exit(main())
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stderr
    assert not (tmp_path / "deep").exists()


def test_building_from_inside_the_source_folder_finds_the_templates_next_to_it(tmp_path):
    src = write_policy(tmp_path / "policy_src", {"collect.yaml": SECTION})
    shipped = Path(__file__).resolve().parent.parent / "templates" / "markdown" / "policy.md.j2"
    (tmp_path / "templates" / "markdown").mkdir(parents=True)
    (tmp_path / "templates" / "markdown" / "policy.md.j2").write_text(
        shipped.read_text("utf-8").replace("# {{ doc.title|md }}", "# OURS {{ doc.title|md }}"),
        "utf-8")
    for cwd, args in ((src, [".", "-o", "../a"]), (tmp_path, ["policy_src", "-o", "b"])):
        subprocess.run([str(POLICYC), "build", *args, "-f", "md"], cwd=cwd, check=True,
                       capture_output=True, timeout=120)
    for out in ("a", "b"):
        assert (tmp_path / out / "en" / "privacy-policy.md").read_text("utf-8").startswith(
            "# OURS Privacy Policy")


def test_a_symlinked_template_folder_is_part_of_the_up_to_date_check(tmp_path):
    write_policy(tmp_path / "policy_src", {"collect.yaml": SECTION})
    shipped = Path(__file__).resolve().parent.parent / "templates" / "markdown" / "policy.md.j2"
    (tmp_path / "tpl").mkdir()
    template = tmp_path / "tpl" / "policy.md.j2"
    template.write_text(shipped.read_text("utf-8"), "utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "markdown").symlink_to(tmp_path / "tpl")
    command = [str(POLICYC), "build", "policy_src", "-o", "out", "-f", "md"]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    template.write_text(shipped.read_text("utf-8").replace("# {{ doc.title|md }}",
                                                           "# CHANGED {{ doc.title|md }}"), "utf-8")
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    assert (tmp_path / "out" / "en" / "privacy-policy.md").read_text("utf-8").startswith(
        "# CHANGED")


@pytest.mark.parametrize("current", ["1.0!", "1.0 ", "1.0."])
def test_versions_sharing_an_archive_folder_are_an_error(tmp_path, current):
    old = write_policy(tmp_path / "archive" / "1.0", {"collect.yaml": SECTION})
    policy = old / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace('version: "2.0"', 'version: "1.0"'),
                      "utf-8")
    src = write_policy(tmp_path / "policy_src", {"collect.yaml": SECTION})
    policy = src / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace('version: "2.0"',
                                                        f'version: "{current}"'), "utf-8")
    result = subprocess.run([str(POLICYC), "build", "policy_src", "-o", "out", "-f", "html"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert f"versions '1.0' and '{current}' would share the folder archive/1.0/" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_version_too_long_for_a_folder_name_is_an_error(tmp_path):
    src = write_policy(tmp_path / "policy_src", {"collect.yaml": SECTION})
    policy = src / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace('version: "2.0"',
                                                        'version: "1.' + "0" * 5000 + '"'), "utf-8")
    result = subprocess.run([str(POLICYC), "build", "policy_src", "-o", "out", "-f", "html"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "policy.yaml:3:10: error: version is 5,002 characters long" in result.stderr
