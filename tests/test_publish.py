"""Publishing: the entry page, canonical and hreflang links, the sitemap, shards and merge."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REFERENCE_SRC, ROOT

BASE = "https://example.com/privacy/"


def policyc(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policyc", *args], capture_output=True,
                          text=True, cwd=cwd)


class Page(HTMLParser):
    """Every element's tag and attributes, and the text of scripts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def links(self, **wanted) -> list[dict]:
        return [attrs for tag, attrs in self.elements
                if tag in ("a", "link") and all(attrs.get(k) == v for k, v in wanted.items())]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The reference built as HTML and Markdown with a base URL."""
    out = tmp_path_factory.mktemp("site")
    run = policyc("build", str(REFERENCE_SRC), "-o", str(out), "-f", "html", "-f", "md",
                  "--base-url", BASE.rstrip("/"), "-q")
    assert run.returncode == 0, run.stderr
    return out


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_entry_page_lists_every_edition_and_page_built(site):
    listed = {a["path"]: a for a in manifest(site)["artifacts"]}
    assert listed["index.html"]["format"] == "index"
    page = Page((site / "index.html").read_text(encoding="utf-8"))
    hrefs = {attrs["href"] for tag, attrs in page.elements if tag == "a"}
    published = {p for p in listed if not p.startswith("archive/") and p not in
                 ("index.html", "sitemap.xml")}
    assert hrefs == published          # every edition, list, changes and archive page
    for href in hrefs:
        assert (site / href).is_file()
    texts = (site / "index.html").read_text(encoding="utf-8")
    for words in ("隐私政策", "Privacy Policy", "中文", "English", "已收集个人信息清单",
                  "第三方信息共享清单", "What changed", "All versions"):
        assert words in texts


def test_entry_page_loads_nothing_from_outside(site):
    page = Page((site / "index.html").read_text(encoding="utf-8"))
    for tag, attrs in page.elements:
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            assert attrs["rel"] == "alternate"
            assert not attrs["href"].startswith(("http:", "https:", "//"))
    data = json.loads(page.scripts[0])      # the editions the script chooses from
    assert {e["lang"] for e in data} == {"zh-cn", "en"}
    assert "fetch(" not in page.scripts[1] and "XMLHttpRequest" not in page.scripts[1]


def test_editions_have_canonical_and_absolute_alternates(site):
    for locale in ("zh-CN", "en"):
        page = Page((site / locale / "privacy-policy.html").read_text(encoding="utf-8"))
        assert [a["href"] for a in page.links(rel="canonical")] == \
            [f"{BASE}{locale}/privacy-policy.html"]
        alternates = {a["hreflang"]: a["href"] for a in page.links(rel="alternate")}
        assert alternates == {"zh-CN": f"{BASE}zh-CN/privacy-policy.html",
                              "en": f"{BASE}en/privacy-policy.html",
                              "x-default": f"{BASE}index.html"}


def test_sitemap_lists_every_page_at_its_absolute_address(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    pages = {a["path"] for a in manifest(site)["artifacts"] if a["path"].endswith(".html")}
    assert set(urls) == {BASE + p for p in pages}
    edition = urls[f"{BASE}en/privacy-policy.html"]
    assert edition.findtext("s:lastmod", namespaces=ns) == "2022-04-01"
    assert {(link.get("hreflang"), link.get("href")) for link in edition.findall("x:link", ns)} \
        == {("zh-CN", f"{BASE}zh-CN/privacy-policy.html"), ("en", f"{BASE}en/privacy-policy.html")}
    assert "sitemap.xml" in {a["path"] for a in manifest(site)["artifacts"]}


def test_without_a_base_url_there_is_no_sitemap_nor_canonical(tmp_path):
    run = policyc("build", str(REFERENCE_SRC), "-o", str(tmp_path), "-f", "html", "-q")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "index.html").is_file() and not (tmp_path / "sitemap.xml").exists()
    page = Page((tmp_path / "en" / "privacy-policy.html").read_text(encoding="utf-8"))
    assert not page.links(rel="canonical")
    assert {a["href"] for a in page.links(rel="alternate")} == \
        {"../zh-CN/privacy-policy.html", "../en/privacy-policy.html"}


def test_base_url_in_policy_yaml(src_copy, tmp_path):
    policy = src_copy / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "base_url: https://example.org/p\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    run = policyc("build", str(src_copy), "-o", str(out), "-f", "html", "-q")
    assert run.returncode == 0, run.stderr
    page = Page((out / "zh-CN" / "privacy-policy.html").read_text(encoding="utf-8"))
    assert page.links(rel="canonical")[0]["href"] == "https://example.org/p/zh-CN/privacy-policy.html"


def test_a_base_url_that_is_not_http_is_an_error_where_written(src_copy, tmp_path):
    policy = src_copy / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text + "base_url: mailto:a@example.com\n", encoding="utf-8")
    line = text.count("\n") + 1
    run = policyc("build", str(src_copy), "-o", str(tmp_path / "out"), "-f", "html")
    assert run.returncode == 1
    assert f"policy.yaml:{line}:11: error: base_url: 'mailto:a@example.com' is not an " \
           "absolute http or https address" in run.stderr
    assert not (tmp_path / "out").exists()
    usage = policyc("build", str(src_copy), "-o", str(tmp_path / "out"), "--base-url", "ftp://x")
    assert usage.returncode == 2 and "--base-url" in usage.stderr


# ----------------------------------------------------------------------------- batches

@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """A folder of three policies (copies of the reference under other names)."""
    root = tmp_path_factory.mktemp("shards") / "policies"
    for name in ("gamma", "alpha", "beta"):
        shutil.copytree(REFERENCE_SRC, root / name)
    return root


def published(out: Path) -> dict[str, bytes]:
    """Every file in an output folder, by path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".policyc-cache.json"}


def test_shards_split_a_batch_by_name_and_merge_into_the_full_build(batch, tmp_path):
    options = ["-f", "html", "-f", "md", "-l", "en", "-q"]
    full = tmp_path / "full"
    assert policyc("build", str(batch), "-o", str(full), *options).returncode == 0
    shards = []
    for k in (1, 2):
        out = tmp_path / f"shard{k}"
        run = policyc("build", str(batch), "-o", str(out), "--shard", f"{k}/2", *options)
        assert run.returncode == 0, run.stderr
        shards.append(out)
    assert sorted(p.name for p in shards[0].iterdir() if p.is_dir()) == ["alpha", "gamma"]
    assert sorted(p.name for p in shards[1].iterdir() if p.is_dir()) == ["beta"]
    merged = tmp_path / "merged"
    run = policyc("merge", str(shards[0]), str(shards[1]), "-o", str(merged))
    assert run.returncode == 0, run.stderr
    assert published(merged) == published(full)
    root = json.loads((merged / "manifest.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in root["policies"]] == ["alpha", "beta", "gamma"]
    paths = [a["path"] for a in root["artifacts"]]
    assert len(paths) == len(set(paths))
    manifests = {"manifest.json", *(f"{name}/manifest.json" for name in ("alpha", "beta", "gamma"))}
    assert set(paths) == set(published(merged)) - manifests
    index = Page((merged / "index.html").read_text(encoding="utf-8"))
    assert [a["href"] for tag, a in index.elements if tag == "a"] == \
        ["alpha/index.html", "beta/index.html", "gamma/index.html"]


def test_a_single_policy_shard_builds_into_its_folder(batch, tmp_path):
    run = policyc("build", str(batch / "alpha"), "-o", str(tmp_path), "--shard", "1/1",
                  "-f", "md", "-l", "en", "-q")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "alpha" / "en" / "privacy-policy.md").is_file()


@pytest.mark.parametrize("shard", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(batch, tmp_path, shard):
    run = policyc("build", str(batch), "-o", str(tmp_path), "--shard", shard)
    assert run.returncode == 2 and "--shard" in run.stderr
    assert not any(tmp_path.iterdir())


def test_merge_refuses_a_damaged_shard_and_writes_nothing(batch, tmp_path):
    shard = tmp_path / "shard"
    assert policyc("build", str(batch), "-o", str(shard), "--shard", "2/2", "-f", "md",
                   "-l", "en", "-q").returncode == 0
    (shard / "beta" / "en" / "privacy-policy.md").write_text("tampered", encoding="utf-8")
    run = policyc("merge", str(shard), "-o", str(tmp_path / "merged"))
    assert run.returncode == 1
    assert "beta/en/privacy-policy.md:1:1: error: does not match the checksum" in run.stderr
    assert not (tmp_path / "merged").exists()
    single = tmp_path / "single"
    assert policyc("build", str(batch / "beta"), "-o", str(single), "-f", "md",
                   "-q").returncode == 0
    run = policyc("merge", str(single), "-o", str(tmp_path / "merged"))
    assert run.returncode == 1 and "lists no policies" in run.stderr
    run = policyc("merge", str(shard), "-o", str(shard / "inner"))
    assert run.returncode == 2


def test_merge_refuses_two_shards_with_different_copies_of_a_policy(batch, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert policyc("build", str(batch), "-o", str(one), "--shard", "2/2", "-f", "md",
                   "-l", "en", "-q").returncode == 0
    assert policyc("build", str(batch), "-o", str(two), "--shard", "2/2", "-f", "html",
                   "-l", "en", "-q").returncode == 0
    run = policyc("merge", str(one), str(two), "-o", str(tmp_path / "merged"))
    assert run.returncode == 1 and "policy 'beta' is also in" in run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("languages, expected", [("en-US,en", "en/privacy-policy.html"),
                                                 ("zh-CN,zh", "zh-CN/privacy-policy.html"),
                                                 ("zh-TW", "zh-CN/privacy-policy.html"),
                                                 ("fr-FR,fr", "index.html")])
def test_the_entry_page_opens_the_readers_language(site, languages, expected):
    from browser import chromium

    with chromium(languages=languages) as browser:
        browser.get((site / "index.html").as_uri())
        assert browser.current_url == (site / expected).as_uri()
        if expected == "index.html":     # no edition in that language: the plain list
            links = browser.find_elements("css selector", "ul.formats a")
            assert {link.text for link in links} >= {"网页", "Web page"}
        browser.get((site / "index.html").as_uri() + "?all")
        assert browser.current_url.endswith("index.html?all")
