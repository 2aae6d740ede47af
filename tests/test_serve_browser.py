"""policyc serve in a real browser: the page follows the sources without being reloaded
by hand, and broken sources show their errors over the page until they are fixed.

Runs ``policyc serve`` as a user does and drives headless Chromium with selenium. The
overlay's screenshot is saved as ``overlay.png`` in the test's folder.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import REFERENCE_SRC

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench.serve import ServeProcess, browser_available, chromium  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not browser_available(),
                                 reason="needs chromium and chromium-driver")]
TIMEOUT = 20


def wait_for(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # noqa: BLE001 - the page is being replaced under the driver
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def overlay(driver):
    """The preview's shadow root, or None while the page has none."""
    from selenium.webdriver.common.by import By

    hosts = driver.find_elements(By.CSS_SELECTOR, "policyc-preview")
    return hosts[0].shadow_root if hosts else None


def shown(driver, selector: str):
    from selenium.webdriver.common.by import By

    root = overlay(driver)
    found = root.find_elements(By.CSS_SELECTOR, selector) if root else []
    return found[0] if found and found[0].is_displayed() else None


@pytest.fixture
def preview(tmp_path):
    src = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    # the tests reword the binding text: the English edition shows it marked meanwhile,
    # instead of stopping the build as stale
    policy = src / "policy.yaml"
    text = policy.read_text("utf-8")
    assert "translations: {prevails: true}" in text
    policy.write_text(text.replace("translations: {prevails: true}",
                                   "translations: {prevails: true, stale: show}"), "utf-8")
    with ServeProcess(src, tmp_path) as serve:
        driver = chromium(tmp_path / "profile")
        try:
            yield serve, driver, src
        finally:
            driver.quit()
            code, out, err = serve.stop()
            assert code == 0, err


def test_the_page_follows_edits_and_shows_errors_until_fixed(preview, tmp_path):
    from selenium.webdriver.common.by import By

    serve, driver, src = preview
    driver.get(serve.url + "zh-CN/privacy-policy.html")
    assert "本政策如何更新" in driver.find_element(By.TAG_NAME, "body").text
    driver.execute_script("window.notReloaded = true; window.scrollTo(0, 1500)")

    section = src / "sections" / "09-updates.yaml"
    original = section.read_text(encoding="utf-8")
    section.write_text(original.replace("本政策如何更新", "本政策如何修订与通知", 1),
                       encoding="utf-8")
    wait_for(lambda: "本政策如何修订与通知" in driver.find_element(By.TAG_NAME, "body").text,
             "the edited title")
    # put in place without a reload (the flag set before is still there), scroll kept
    assert driver.execute_script("return window.notReloaded") is True
    assert driver.execute_script("return window.scrollY") == 1500
    assert driver.title == "隐私政策"

    # check warnings: a folded panel that opens
    summary = wait_for(lambda: shown(driver, "details.warnings summary"), "the warnings panel")
    assert summary.text.endswith("check warnings")
    items = overlay(driver).find_elements(By.CSS_SELECTOR, "details.warnings li")
    assert items and not items[0].is_displayed()
    summary.click()
    assert items[0].is_displayed()
    assert ".yaml:" in items[0].text

    # broken YAML: the overlay names the file and line, the page stays
    lines = original.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if "未经您明确同意" in line)
    lines[at] = lines[at].replace("  - ", "  -: [<b>x</b>", 1)
    section.write_text("".join(lines), encoding="utf-8")
    panel = wait_for(lambda: shown(driver, ".backdrop .panel"), "the error overlay")
    text = panel.text
    where = f"policy_src/sections/09-updates.yaml:{at + 1}:"
    assert where in text
    assert "error in the sources" in text or "errors in the sources" in text
    assert "本政策如何修订与通知" in driver.find_element(By.TAG_NAME, "body").text
    assert driver.find_elements(By.TAG_NAME, "b") == []  # source text is shown, not markup
    excerpt = overlay(driver).find_element(By.CSS_SELECTOR, "pre.excerpt .at")
    assert "<b>x</b>" in excerpt.text
    column = int(text.split(where)[1].split(":")[0])
    assert excerpt.find_element(By.CSS_SELECTOR, "mark").text == lines[at][column - 1]
    driver.save_screenshot(str(tmp_path / "overlay.png"))
    assert (tmp_path / "overlay.png").stat().st_size > 10_000

    # a page opened while the sources are broken shows the overlay too
    driver.get(serve.url + "en/privacy-policy.html")
    wait_for(lambda: shown(driver, ".backdrop .panel"), "the overlay on a newly opened page")

    # fixed: the overlay goes by itself; the page reloads only if the build changed
    driver.get(serve.url + "zh-CN/privacy-policy.html")
    wait_for(lambda: shown(driver, ".backdrop .panel"), "the overlay")
    driver.execute_script("window.notReloaded = true")
    section.write_text(original.replace("本政策如何更新", "本政策如何修订与通知", 1),
                       encoding="utf-8")  # as it was before the mistake
    wait_for(lambda: overlay(driver) and shown(driver, ".backdrop") is None, "no overlay")
    assert driver.execute_script("return window.notReloaded") is True
    assert "本政策如何修订与通知" in driver.find_element(By.TAG_NAME, "body").text

    section.write_text("".join(lines), encoding="utf-8")
    wait_for(lambda: shown(driver, ".backdrop .panel"), "the overlay again")
    section.write_text(original, encoding="utf-8")  # fixed differently: a new build
    wait_for(lambda: "本政策如何更新" in driver.find_element(By.TAG_NAME, "body").text
             and shown(driver, ".backdrop") is None, "the fixed page without the overlay")
    assert driver.execute_script("return window.notReloaded") is True


def test_a_translation_edit_updates_the_english_page(preview):
    from selenium.webdriver.common.by import By

    serve, driver, src = preview
    driver.get(serve.url)
    driver.find_element(By.CSS_SELECTOR, 'a[href="/en/privacy-policy.html"]').click()
    wait_for(lambda: "How this policy is updated" in driver.find_element(By.TAG_NAME,
                                                                             "body").text,
             "the English page")
    catalog = src / "translations" / "en.yaml"
    text = catalog.read_text(encoding="utf-8")
    assert "How this policy is updated" in text
    catalog.write_text(text.replace("How this policy is updated", "How and when this policy "
                                                                   "changes", 1),
                       encoding="utf-8")
    wait_for(lambda: "How and when this policy changes" in driver.find_element(
        By.TAG_NAME, "body").text, "the edited translation")

    # the Markdown edition is shown rendered, its table of contents links working
    driver.get(serve.url + "en/privacy-policy.md")
    heading = driver.find_element(By.CSS_SELECTOR, 'h2[id="9-how-and-when-this-policy-changes"]')
    assert heading.text == "9. How and when this policy changes"


def test_many_tabs_share_one_stream_and_unchanged_pages_stay(preview):
    from selenium.webdriver.common.by import By

    serve, driver, src = preview
    unchanged = serve.url + "zh-CN/collected-data-list.html"
    driver.get(unchanged)
    first = wait_for(lambda: driver.execute_script("return window.policycPreview"), "the script")
    driver.execute_script("window.notReloaded = true")
    tabs = [driver.current_window_handle]
    # more tabs than a browser opens connections to one server (6): each would hang on
    # its own event stream; they share the worker's
    for _ in range(7):
        driver.switch_to.new_window("tab")
        driver.get(serve.url + "zh-CN/privacy-policy.html")
        wait_for(lambda: "本政策如何更新" in driver.find_element(By.TAG_NAME, "body").text,
                 "a tab's page")
        tabs.append(driver.current_window_handle)
    section = src / "sections" / "09-updates.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("本政策如何更新",
                                                                  "本政策的更新", 1),
                       encoding="utf-8")
    for handle in tabs[1:]:
        driver.switch_to.window(handle)
        wait_for(lambda: "本政策的更新" in driver.find_element(By.TAG_NAME, "body").text,
                 "the edit in every tab")
    driver.switch_to.window(tabs[0])
    state = wait_for(lambda: (lambda s: s if s["generation"] != first["generation"] else None)(
        driver.execute_script("return window.policycPreview")), "the new build noted")
    assert state.get("updatedAt") is None  # the list did not change: not fetched again
    assert driver.execute_script("return window.notReloaded") is True


def test_the_overlay_speaks_chinese_in_a_chinese_browser(tmp_path):
    src = tmp_path / "policy_src"
    shutil.copytree(REFERENCE_SRC, src)
    with ServeProcess(src, tmp_path) as serve:
        driver = chromium(tmp_path / "profile", "zh-CN")
        try:
            driver.get(serve.url + "zh-CN/privacy-policy.html")
            assert driver.execute_script("return navigator.language") == "zh-CN"
            summary = wait_for(lambda: shown(driver, "details.warnings summary"), "the panel")
            assert summary.text.endswith("条检查警告")
            section = src / "sections" / "09-updates.yaml"
            section.write_text("title: [\n", encoding="utf-8")
            panel = wait_for(lambda: shown(driver, ".backdrop .panel"), "the error overlay")
            assert "源文件中有 1 处错误" in panel.text and "改正源文件并保存后" in panel.text
            assert "policy_src/sections/09-updates.yaml:" in panel.text
            driver.save_screenshot(str(tmp_path / "overlay-zh.png"))
        finally:
            driver.quit()
            serve.stop()
