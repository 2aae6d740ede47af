"""Headless Chromium for the slow tests: Debian's chromium driven through chromium-driver."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The machine's network is closed: without these, Chromium keeps trying to reach Google.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")


def available() -> bool:
    """Whether Debian's chromium and chromium-driver are installed."""
    return os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)


def driver(profile: Path, width: int = 1280, height: int = 900, languages: str | None = None):
    """A selenium WebDriver on the profile folder ``profile``, its window ``width`` ×
    ``height``, asking for ``languages`` (Accept-Language, navigator.languages)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    if languages:
        options.add_argument(f"--lang={languages.split(',')[0]}")
        options.add_argument(f"--accept-lang={languages}")
        options.add_experimental_option("prefs", {"intl.accept_languages": languages})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@contextmanager
def chromium(width: int = 1024, height: int = 900, languages: str | None = None):
    """A WebDriver on a fresh profile, quit and removed afterwards; skips the test when
    Chromium is missing."""
    if not available():
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium "
                    "chromium-driver)")
    profile = tempfile.mkdtemp(prefix="policyc-chromium-")
    browser = driver(Path(profile), width, height, languages)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)
