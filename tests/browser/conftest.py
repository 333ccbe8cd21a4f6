import os
import shutil

import pytest

from scripts.local_server import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import copy_seed

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    return []


@pytest.fixture
def page(browser, console_errors):
    """A fresh page that records console errors (CSP violations among them)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db, seed_rows):
    """The live server holding the seed content."""
    copy_seed(seed_rows)
    return live_server.url


# Every WCAG 2.0, 2.1 and 2.2 success criterion of levels A and AA that axe-core checks.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


# Animations that end on their own: one on a scroll timeline (a table's
# scroll hint) follows the scrolling and never finishes.
SETTLED = """() => Promise.all(
    document.getAnimations()
        .filter((animation) => animation.timeline === document.timeline)
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => null))
)"""


@pytest.fixture(scope="session")
def axe_violations():
    """
    Runs axe-core (bundled by axe-playwright-python, so no network at test
    time) on a page as it is now, and returns its WCAG A/AA violations, one
    line per rule with the nodes it failed on; an empty list means none.
    $AXE_CORE_JS names another axe.min.js to check with, e.g. a newer axe-core.

        assert axe_violations(page) == []
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe.from_file(os.environ["AXE_CORE_JS"]) if os.environ.get("AXE_CORE_JS") else Axe()
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        # Label in Name (WCAG 2.5.3) is still "experimental", so off, in the
        # bundled axe-core 4.12; axe-core 4.14 runs it by default.
        "rules": {"label-content-name-mismatch": {"enabled": True}},
        "resultTypes": ["violations"],
    }

    def violations(page):
        # Colours are measured as drawn: a transition or the dialog's opening
        # animation caught halfway is a contrast failure that no reader sees.
        page.evaluate(SETTLED)
        results = axe.run(page, options=options).response
        return [
            f"{rule['id']} ({rule['impact']}, {len(rule['nodes'])}): "
            + "; ".join(" ".join(map(str, node["target"])) for node in rule["nodes"][:5])
            for rule in results["violations"]
        ]

    return violations
