"""The built site served on localhost, and Debian's Chromium driven by Playwright.

The site is served under the path of its ``site_url`` (as on GitHub Pages), with the site's own
404 page for missing paths. Every page a test opens records console errors, failed requests and
requests that leave localhost, so tests can assert there were none.

All browser tests run in one pytest-xdist group, so a run starts one Chromium, and Lighthouse's
own Chromium never competes with the Playwright tests for the CPU.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from doctools.site.check import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Load, node_tool_missing, serve, watch

HERE = Path(__file__).resolve().parent


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def missing(reason: str):
    """Skip a test that lacks a tool, except on CI, where every tool must be there."""
    if on_ci():
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def site_url(built_site):
    """The base URL of the built site, served on 127.0.0.1 for this test session."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright (never a browser Playwright downloads)."""
    if not CHROMIUM.exists():
        missing(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser):
    """A fresh browser context: no cookies, no stored palette choice."""
    created = browser.new_context(viewport={"width": 1280, "height": 900})
    yield created
    created.close()


@pytest.fixture
def watched_page(context) -> Load:
    """A new page in a fresh context, recording console errors and requests."""
    return watch(context.new_page())


@pytest.fixture(scope="session")
def node_tools():
    """Node.js and the locked npm packages (axe-core, Lighthouse) that the audits need."""
    reason = node_tool_missing()
    if reason:
        missing(reason)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder (git-ignored) where the browser tests leave screenshots and reports."""
    folder = ARTIFACTS / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
