"""Checks of the built site as readers get it, shared by the browser tests and scripts/audit.py.

- ``serve``: the built site on 127.0.0.1, under the path of its site_url, as on GitHub Pages;
- ``site_pages``: every page, from the built sitemap.xml;
- ``check_links``: every internal link and #anchor of every HTML file resolves (external links are
  listed, never fetched);
- ``Load`` / ``load``: a page opened in Chromium, with its console errors, failed and off-site
  requests and the bytes it transferred;
- ``run_axe`` (axe-core from node_modules) and ``run_lighthouse`` (scripts/lighthouse.mjs).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from doctools.paths import CHROMIUM, DOCS, ROOT

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NODE_MODULES = ROOT / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_SCRIPT = ROOT / "scripts" / "lighthouse.mjs"
ARTIFACTS = ROOT / ".artifacts"

# The pages whose screenshots and Lighthouse scores the issue asks for, relative to the site's root.
KEY_PAGES = ["", "reference/standard/", "guides/images/", "calculator/"]
LIGHTHOUSE_MINIMUM = 95
WEIGHT_LIMIT = 400_000  # bytes a page may transfer, not counting the search index
SEARCH_INDEX = "search/search_index.json"


def site_url_setting() -> str:
    """The site_url of mkdocs.yml, e.g. 'https://keras-conv-guide.github.io/keras-conv-guide/'."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf8"), re.MULTILINE)
    return match[1] if match[1].endswith("/") else match[1] + "/"


def site_path() -> str:
    """The path part of site_url, e.g. '/keras-conv-guide/'."""
    return urlsplit(site_url_setting()).path or "/"


# ----------------------------------------------------------------------------------------------
# Serving the built site


# Text files that the server compresses, as GitHub Pages does for browsers that accept gzip.
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb"}


@functools.cache
def served_bytes(path: Path) -> bytes:
    """What the server sends for a file of the site: gzip for text, the file itself otherwise."""
    data = path.read_bytes()
    return gzip.compress(data, compresslevel=6, mtime=0) if path.suffix in COMPRESSIBLE else data


class SiteHandler(SimpleHTTPRequestHandler):
    """Files of the built site under ``prefix``, gzipped where GitHub Pages gzips them, and the
    site's 404.html for anything missing."""

    prefix = "/"

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()  # folders without a slash (redirect), missing files, images
        body = served_bytes(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

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


@contextlib.contextmanager
def serve(site_dir: Path):
    """Serve the built site on 127.0.0.1 (a free port); yields the site's base URL."""
    handler = partial(type("Handler", (SiteHandler,), {"prefix": site_path()}), directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{site_path()}"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, from its sitemap.xml, as paths relative to the site's root."""
    loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    base = site_url_setting()
    pages = []
    for element in ET.parse(site_dir / "sitemap.xml").getroot().iter(loc):
        url = element.text.strip()
        assert url.startswith(base), f"sitemap.xml lists {url}, outside site_url {base}"
        pages.append(url[len(base) :])
    return pages


def page_url(source: Path) -> str:
    """The URL path, relative to the site's root, of a page of docs/ (.md or .ipynb): 'reference/standard/'."""
    relative = source.resolve().relative_to(DOCS).with_suffix("")
    if relative.name == "index":
        relative = relative.parent
    return "" if relative == Path(".") else relative.as_posix() + "/"


def page_file(site_dir: Path, relative: str) -> Path:
    """The HTML file behind a page path such as 'reference/standard/'."""
    return site_dir / relative / "index.html" if relative.endswith("/") or not relative else site_dir / relative


# ----------------------------------------------------------------------------------------------
# Links and anchors


LINK_ATTRIBUTES = {
    "a": ["href"],
    "link": ["href"],
    "script": ["src"],
    "img": ["src"],
    "source": ["src"],
    "iframe": ["src"],
    "audio": ["src"],
    "video": ["src", "poster"],
    "form": ["action"],
}
URL_META = {"og:url", "og:image", "twitter:image"}


class PageLinks(HTMLParser):
    """The ids and the outgoing URLs of one HTML file."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name") if tag in ("a", "input") else ("id",):
            if attributes.get(name):
                self.ids.add(attributes[name])
        for name in LINK_ATTRIBUTES.get(tag, []):
            if attributes.get(name) is not None:
                self.urls.append(attributes[name])
        if tag == "meta" and (attributes.get("property") or attributes.get("name")) in URL_META:
            self.urls.append(attributes.get("content") or "")


@dataclass
class LinkReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=dict)  # URL -> pages that link to it

    def external_listing(self) -> str:
        lines = [f"External links ({len(self.external)}, listed, not fetched):"]
        for url in sorted(self.external):
            pages = sorted(self.external[url])
            where = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
            lines.append(f"  {url}  (from {where})")
        return "\n".join(lines)


def _target_file(site_dir: Path, path: str) -> Path | None:
    """The file a site path names, as a static host serves it (a folder serves its index.html)."""
    candidate = site_dir / unquote(path).lstrip("/")
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_links(site_dir: Path) -> LinkReport:
    """Resolve every internal URL and #fragment in every HTML file (and sitemap.xml) of the site."""
    site_dir = Path(site_dir)
    base = site_url_setting()
    prefix = site_path()
    parsed: dict[Path, PageLinks] = {}
    for html_file in sorted(site_dir.rglob("*.html")):
        parser = PageLinks()
        parser.feed(html_file.read_text("utf8"))
        parsed[html_file] = parser

    report = LinkReport()

    def resolve(source: str, page_url: str, url: str) -> None:
        report.checked += 1
        split = urlsplit(url)
        if split.scheme in ("mailto", "tel", "javascript", "data"):
            return
        absolute = urljoin(page_url, url)
        if not absolute.startswith(base) and split.scheme in ("http", "https"):
            report.external.setdefault(url, set()).add(source)
            return
        if not absolute.startswith(base):
            report.problems.append(f"{source}: {url!r} points outside the site ({base})")
            return
        path, fragment = urlsplit(absolute).path, urlsplit(absolute).fragment
        target = _target_file(site_dir, path[len(prefix) :])
        if target is None:
            report.problems.append(f"{source}: {url!r} -> {path} does not exist in the built site")
            return
        if fragment and target.suffix == ".html" and unquote(fragment) not in parsed[target].ids:
            relative = target.relative_to(site_dir).as_posix()
            report.problems.append(f"{source}: {url!r} -> no id {unquote(fragment)!r} in {relative}")

    for html_file, parser in parsed.items():
        source = html_file.relative_to(site_dir).as_posix()
        # 404.html is served at any missing path, so its links must work from anywhere: resolve
        # them from a path that is deeper than any page.
        location = "__missing__/deeper/" if source == "404.html" else source.removesuffix("index.html")
        page_url = urljoin(base, location)
        for url in parser.urls:
            if url == "#" or url == "":
                continue  # the top of the page itself
            resolve(source, page_url, url)
    for page in site_pages(site_dir):
        resolve("sitemap.xml", base, page)
    return report


# ----------------------------------------------------------------------------------------------
# A page in the browser


@dataclass
class Load:
    """A page, and what happened while it was open: problems and the bytes it transferred."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {r}" for r in self.failed_requests]
            + [f"request leaving localhost: {r}" for r in self.foreign_requests]
            + [f"Content-Security-Policy violation: {v}" for v in self.csp_violations]
        )

    def urls(self) -> list[str]:
        """The URLs the page loaded (each once)."""
        return list(dict.fromkeys(response.url for response in self.responses))


@dataclass
class Weight:
    """What a page weighs: each file it loaded, as the server sent it and uncompressed."""

    files: dict[str, tuple[int, int]]  # site path -> (bytes sent, bytes uncompressed)

    @property
    def sent(self) -> int:
        return sum(sent for sent, _ in self.files.values())

    @property
    def uncompressed(self) -> int:
        return sum(raw for _, raw in self.files.values())

    def listing(self) -> str:
        ordered = sorted(self.files.items(), key=lambda item: -item[1][0])
        return "\n".join(f"    {sent:>9,} ({raw:>9,} uncompressed)  {path}" for path, (sent, raw) in ordered)


def weigh(load: Load, site_dir: Path, base_url: str) -> Weight:
    """The bytes of the site's files that the page loaded, the search index aside.

    Counted from the files themselves (response bodies as ``serve`` sends them, gzipped where
    GitHub Pages gzips), so the figure does not depend on how Chromium reports worker requests.
    """
    files = {}
    for url in load.urls():
        if not url.startswith(base_url):
            continue
        relative = urlsplit(url).path[len(urlsplit(base_url).path) :]
        target = _target_file(Path(site_dir), relative)
        if target is not None and relative != SEARCH_INDEX:
            files[relative or "index.html"] = (len(served_bytes(target)), target.stat().st_size)
    return Weight(files)


# Every page the tests open reports what its Content-Security-Policy refused (doctools/hooks/csp.py): the
# listener is added before any script of the page runs, through Playwright, which CSP does not see.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline code"} ` +
      `at ${event.sourceFile || event.documentURI}:${event.lineNumber}:${event.columnNumber}` +
      (event.sample ? ` (${event.sample})` : ""),
  );
}, true);
"""


def watch(page) -> Load:
    """Record console errors, failed requests, requests off localhost, Content-Security-Policy
    violations and responses of a page."""
    load = Load(page)
    page.expose_function("__reportCspViolation", lambda violation: load.csp_violations.append(violation))
    page.add_init_script(REPORT_CSP_VIOLATIONS)

    def on_request(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in ("127.0.0.1", "localhost"):
            load.foreign_requests.append(request.url)

    def on_response(response):
        load.responses.append(response)
        if response.status >= 400:
            load.failed_requests.append(f"{response.status} {response.url}")

    page.on("console", lambda msg: msg.type == "error" and load.console_errors.append(msg.text))
    page.on("pageerror", lambda error: load.console_errors.append(str(error)))
    page.on("request", on_request)
    page.on("requestfailed", lambda request: load.failed_requests.append(f"{request.failure} {request.url}"))
    page.on("response", on_response)
    return load


def settle(page) -> None:
    """Wait until the page's CSS transitions and animations (e.g. after a palette switch) end."""
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")


def set_palette(page, scheme: str) -> None:
    """Switch Material's palette to 'default' (light) or 'slate' (dark) with its header toggle."""
    for _ in range(2):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme:
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
        page.wait_for_timeout(50)
    settle(page)
    current = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert current == scheme, f"the palette toggle gave {current!r}, not {scheme!r}"


# ----------------------------------------------------------------------------------------------
# axe-core and Lighthouse


def node_tool_missing() -> str | None:
    """Why the Node.js audit tools cannot run here, or None when they can."""
    if not shutil.which("node"):
        return "node is not on PATH (Node.js 20+ runs Lighthouse)"
    if not (AXE_SCRIPT.exists() and (NODE_MODULES / "lighthouse").exists()):
        return "node_modules/ lacks axe-core or lighthouse: run npm ci (python scripts/dev.py test does)"
    return None


# Material makes a code block focusable (tabindex) once a ResizeObserver finds it scrolls; on a long
# page under load that lands after "networkidle". Wait for it (at most 5 s), then let axe judge.
CODE_BLOCKS_SETTLED = """new Promise((resolve) => {
  const deadline = performance.now() + 5000;
  const check = () => {
    const pending = [...document.querySelectorAll("pre > code")].some(
      (code) => code.scrollWidth > code.clientWidth && !code.hasAttribute("tabindex"));
    if (!pending || performance.now() > deadline) resolve(); else setTimeout(check, 50);
  };
  check();
})"""


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA)."""
    page.evaluate(CODE_BLOCKS_SETTLED)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts.
        page.evaluate(AXE_SCRIPT.read_text("utf8"))
    result = page.evaluate(
        """axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
            resultTypes: ["violations"],
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe_violations(violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        count = len(violation["nodes"])
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}), {count} element(s)")
        for node in violation["nodes"][:5]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {' '.join(node['target'])}: {summary[:300]}")
    return lines


def run_lighthouse(urls: list[str], report_dir: Path | None = None, timeout: int = 600) -> list[dict]:
    """Lighthouse's scores for each URL (scripts/lighthouse.mjs, desktop preset, one Chromium)."""
    command = ["node", str(LIGHTHOUSE_SCRIPT), *urls]
    if report_dir is not None:
        command += ["--report-dir", str(report_dir)]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return json.loads(result.stdout)


def lighthouse_table(results: list[dict], base: str) -> str:
    lines = [f"{'page':<24} {'performance':>12} {'accessibility':>14} {'best-practices':>15} {'seconds':>8}"]
    for entry in results:
        scores = entry["scores"]
        lines.append(
            f"{'/' + entry['url'][len(base) :]:<24} {scores['performance']:>12} {scores['accessibility']:>14} "
            f"{scores['best-practices']:>15} {entry['seconds']:>8.1f}"
        )
    return "\n".join(lines)


def lighthouse_failures(results: list[dict], minimum: int = LIGHTHOUSE_MINIMUM) -> list[str]:
    """One line per category under the minimum, naming the audits that cost points."""
    failures = []
    for entry in results:
        if entry["runtimeError"]:
            failures.append(f"{entry['url']}: Lighthouse could not audit it: {entry['runtimeError']}")
            continue
        for category, score in entry["scores"].items():
            if score < minimum:
                audits = "; ".join(f"{a['id']} ({a['score']}) {a['value']}".strip() for a in entry["failed"][category])
                shifts = ", ".join(f"{s['element']} ({s['score']:.3f})" for s in entry.get("layoutShifts", []))
                shifted = f"; layout shifts: {shifts}" if category == "performance" and shifts else ""
                failures.append(f"{entry['url']}: {category} {score} < {minimum}: {audits}{shifted}")
    return failures


def weight_table(weights: dict[str, Weight], limit: int = WEIGHT_LIMIT) -> str:
    lines = [f"{'page':<40} {'sent':>9} {'uncompressed':>13}  (bytes; search index aside; limit {limit:,} sent)"]
    for page, weight in sorted(weights.items(), key=lambda item: -item[1].sent):
        lines.append(f"{'/' + page:<40} {weight.sent:>9,} {weight.uncompressed:>13,}")
    return "\n".join(lines)
