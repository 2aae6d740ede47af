"""The first-run notice in headless Chromium at a phone's 360 px: nothing wider than the
screen, no text cut off, both choices visible side by side at equal size."""
from __future__ import annotations

import pytest

from browser import available

WIDTH = 360

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not available(),
                                 reason="needs chromium and chromedriver")]

# every element's box, and whether its content overflows it
MEASURE = """
const out = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  out.push({tag: el.tagName, left: r.left, right: r.right, width: r.width, height: r.height,
            clipped: el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'});
}
return {page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
        height: document.documentElement.scrollHeight, boxes: out};
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    import browser as chromium

    driver = chromium.driver(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def phone(driver, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": True})


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_notice_fits_a_phone_screen(browser, reference_build, tmp_path, locale):
    phone(browser, 740)
    browser.get((reference_build / locale / "consent-notice.html").as_uri())
    first = browser.execute_script(MEASURE)
    assert first["page"] == first["view"] == WIDTH            # no horizontal scrolling
    for box in first["boxes"]:
        assert box["left"] >= 0 and box["right"] <= WIDTH + 0.5, box
        assert not box["clipped"], box
    # the two choices stay on screen while reading (sticky), side by side, equal in size
    buttons = browser.execute_script(
        "return [...document.querySelectorAll('button')].map(b => b.getBoundingClientRect())"
        ".map(r => [r.top, r.bottom, r.width, r.height])")
    assert len(buttons) == 2
    (top1, bottom1, width1, height1), (top2, bottom2, width2, height2) = buttons
    assert top1 == top2 and bottom1 <= 740 and abs(width1 - width2) < 1 and height1 == height2
    assert height1 >= 44                                       # a finger-sized target
    phone(browser, first["height"])                            # the whole notice, for a look
    browser.save_screenshot(str(tmp_path / f"consent-notice-{locale}.png"))
    assert (tmp_path / f"consent-notice-{locale}.png").stat().st_size > 10_000
