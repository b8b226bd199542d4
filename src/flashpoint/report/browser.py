"""Open a report in headless Chromium and check that it really renders.

A page can be valid HTML and still show nothing: an SVG the browser cannot decode, a
blocked outside reference, a script error. This asks a real browser. It is used by the
test suite (skipped where no browser is installed) and by bench/report_check.py, and
needs `selenium` (the `dev` extra) plus Chromium and its driver. Selenium is given the
driver explicitly, so it never tries to download one; Chromium runs with its background
networking off, as the report needs no network at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")
WIDTH = 1280

#: for every chart image: loaded, decoded size and size on the page
_CHARTS_JS = """
return Array.from(document.querySelectorAll('img.chart')).map(img => {
  const box = img.getBoundingClientRect();
  return {name: img.closest('section').id, complete: img.complete,
          natural_width: img.naturalWidth, natural_height: img.naturalHeight,
          width: box.width, height: box.height};
});
"""


class BrowserError(RuntimeError):
    """No browser to check with (selenium, Chromium or its driver missing)."""


@dataclass(frozen=True)
class ChartState:
    """How one chart image came out in the browser."""

    name: str
    complete: bool
    natural_width: int
    natural_height: int
    width: float
    height: float

    @property
    def rendered(self) -> bool:
        """Loaded, decoded (an undecodable SVG has no natural size) and visible."""
        return (self.complete and self.natural_width > 0 and self.natural_height > 0
                and self.width > 0 and self.height > 0)


@dataclass
class PageCheck:
    """What the browser saw."""

    title: str
    errors: list[str]              # console messages at SEVERE level
    chart_states: list[ChartState]
    empty_areas: int               # chart areas that explain why there is no chart
    height: int                    # of the whole page, in CSS pixels
    screenshot: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def charts(self) -> int:
        return len(self.chart_states)


def available() -> str | None:
    """None when a check can run, else the reason it cannot."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        return (f"{' and '.join(missing)} not found (Debian: apt-get install chromium "
                "chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def check_page(path: str | Path, *, screenshot: str | Path | None = None) -> PageCheck:
    """Load the page from disk, collect console errors and the state of every chart,
    and optionally save a screenshot of the whole page (PNG)."""
    reason = available()
    if reason:
        raise BrowserError(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    page = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="flashpoint-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={WIDTH},900")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.get(page.as_uri())
            driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))"
                ".then(() => done(true));")
            states = [ChartState(**s) for s in driver.execute_script(_CHARTS_JS)]
            empty = driver.execute_script(
                "return document.querySelectorAll('.chart-empty').length;")
            height = int(driver.execute_script(
                "return document.documentElement.scrollHeight;"))
            logs = driver.get_log("browser")
            saved = None
            if screenshot is not None:
                driver.set_window_size(WIDTH, height + 140)  # outer size: leave room for chrome
                saved = Path(screenshot)
                saved.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(saved))
            return PageCheck(
                title=driver.title,
                errors=[e["message"] for e in logs if e.get("level") == "SEVERE"],
                warnings=[e["message"] for e in logs if e.get("level") == "WARNING"],
                chart_states=states, empty_areas=int(empty), height=height,
                screenshot=saved)
        finally:
            driver.quit()
