"""The built site served on localhost, and Debian's Chromium driven by Playwright.

The site is served under the path of its ``site_url`` (as on GitHub Pages), with the site's own
404 page for missing paths. Every page a test opens records console errors, failed requests and
requests that leave localhost, so tests can assert there were none.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def site_path() -> str:
    """The path part of site_url, e.g. '/keras-conv-guide/'."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf8"), re.MULTILINE)
    return urlsplit(match[1]).path or "/"


class SiteHandler(SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        if path.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :]
        else:
            path = "/__outside_the_site__"
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """The base URL of the built site, served on 127.0.0.1 for this test session."""
    handler = partial(type("Handler", (SiteHandler,), {"prefix": site_path()}), directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{site_path()}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright (never a browser Playwright downloads)."""
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page with what went wrong while it was open."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {r}" for r in self.failed_requests]
            + [f"request leaving localhost: {r}" for r in self.foreign_requests]
        )


def watch(page) -> Watched:
    watched = Watched(page)

    def on_request(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in ("127.0.0.1", "localhost"):
            watched.foreign_requests.append(request.url)

    def on_response(response):
        if response.status >= 400:
            watched.failed_requests.append(f"{response.status} {response.url}")

    page.on("console", lambda msg: msg.type == "error" and watched.console_errors.append(msg.text))
    page.on("pageerror", lambda error: watched.console_errors.append(str(error)))
    page.on("request", on_request)
    page.on("requestfailed", lambda request: watched.failed_requests.append(f"{request.failure} {request.url}"))
    page.on("response", on_response)
    return watched


@pytest.fixture
def context(browser):
    """A fresh browser context: no cookies, no stored palette choice."""
    created = browser.new_context(viewport={"width": 1280, "height": 900})
    yield created
    created.close()


@pytest.fixture
def watched_page(context) -> Watched:
    """A new page in a fresh context, recording console errors and requests."""
    return watch(context.new_page())
