"""A Content-Security-Policy for every page, with the hashes of the page's own inline scripts.

overrides/main.html puts an empty ``<meta http-equiv="Content-Security-Policy" content="">`` in
the head of every page (the 404 page extends it), before the first script. After each page is
rendered, this hook reads the page as the browser will, and fills the meta with the policy below:

- ``script-src 'self'`` plus the SHA-256 hash of each inline ``<script>`` the browser executes.
  Material writes four (its storage scope, the stored palette, the stored tab choice, the jump to
  the anchor), and they differ from page to page (they hold the page's base path), so the hashes
  are computed here, per page, never typed. A data block (``type="application/json"``, such as
  Material's ``__config``) is never executed, so CSP does not check it and it is not hashed.
  No 'unsafe-inline' and no 'unsafe-eval'. An inline event handler (``onclick=``) or a
  ``javascript:`` URL would need 'unsafe-hashes', which the policy never grants: the build fails
  if a page has one, rather than shipping a page whose script is refused.
- ``style-src 'self'``: stylesheets from the site only (the theme and extra CSS), plus the hash of
  any inline ``<style>`` element (the pages have none today; the notebook hook strips nbconvert's).
  ``style-src-attr``: the SVG chart of the benchmark (docs/cost/speed.md includes the file that
  matplotlib drew) styles its shapes with ``style="..."`` attributes. Allowing them all
  ('unsafe-inline') would let injected markup restyle the page; instead each value the page holds
  is allowed by its hash ('unsafe-hashes' is the CSP keyword for hashing attributes, and covers
  only those exact values), and a page without any gets ``'none'``. Material and the calculator
  set styles at run time only through the CSSOM (``element.style.setProperty``), which CSP does
  not restrict, so no feature needs more.
- ``img-src 'self' data:``: Material's icons in its CSS are ``data:`` SVG images. ``font-src
  'self'``: the theme uses system fonts (``font: false``), so nothing else is ever loaded.
  ``connect-src 'self'``: the search worker fetches the index from the site.
- ``default-src 'none'``, ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'`` (the
  404 page's search form): everything else is refused.

``frame-ancestors`` (clickjacking) and ``report-to`` cannot be set from a meta element, only as
HTTP headers, which GitHub Pages does not let a site set; the browser ignores them here.

Under ``mkdocs serve``, the live-reload script that MkDocs injects into each response is inline
and different on every request, so it cannot be hashed: there, and only there, ``script-src``
allows inline scripts. The built site, which the tests check, never does.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

PLACEHOLDER = '<meta http-equiv="Content-Security-Policy" content="">'

# The script types a browser executes (HTML: "prepare the script element"); every other type
# is a data block, which CSP does not check.
JAVASCRIPT_TYPES = {
    "",
    "module",
    "importmap",
    "speculationrules",
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
}

_serving = False


def source_hash(text: str) -> str:
    """A CSP hash source for an inline script or style: 'sha256-<base64 of the UTF-8 text>'."""
    # The HTML parser turns CR LF and lone CR into LF before a script's text is hashed.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def executes(attributes: dict[str, str | None]) -> bool:
    """Whether a browser runs a <script> with these attributes (and without src) as script."""
    kind = attributes.get("type")
    if kind is None and attributes.get("language"):
        kind = "text/" + attributes["language"]
    return (kind or "").strip().lower() in JAVASCRIPT_TYPES


class InlineCode(HTMLParser):
    """The inline scripts, <style> elements, style attributes and event handlers of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self._open: tuple[str, list[str]] | None = None  # (tag, text parts) inside <script>/<style>

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.handlers.append(f"<{tag} {name}={value[:40]!r}>")
        if "style" in attributes and attributes["style"] is not None:
            self.style_attributes.append(attributes["style"])
        if tag == "script" and "src" not in attributes and executes(attributes):
            self._open = ("script", [])
        elif tag == "style":
            self._open = ("style", [])

    def handle_data(self, data):
        if self._open:
            self._open[1].append(data)

    def handle_entityref(self, name):  # only outside <script>/<style>, whose text is raw
        pass

    def handle_charref(self, name):
        pass

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            text = "".join(self._open[1])
            (self.scripts if tag == "script" else self.styles).append(text)
            self._open = None


def policy(html: str, serving: bool = False) -> str:
    """The Content-Security-Policy for a page's HTML."""
    found = InlineCode()
    found.feed(html)
    found.close()
    if found.handlers:
        raise PluginError(
            "inline event handlers and javascript: URLs are refused by the site's Content-Security-Policy "
            f"(doctools/hooks/csp.py); attach the script from a file instead: {', '.join(found.handlers)}"
        )
    scripts = ["'unsafe-inline'"] if serving else sorted(set(map(source_hash, found.scripts)))
    styles = sorted(set(map(source_hash, found.styles)))
    attributes = sorted(set(map(source_hash, found.style_attributes)))
    directives = [
        "default-src 'none'",
        " ".join(["script-src 'self'", *scripts]),
        " ".join(["style-src 'self'", *styles]),
        " ".join(["style-src-attr", "'unsafe-hashes'", *attributes]) if attributes else "style-src-attr 'none'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def fill(html: str, where: str) -> str:
    """The page with the policy in its (single) Content-Security-Policy meta element."""
    count = html.count(PLACEHOLDER)
    if count != 1:
        raise PluginError(
            f"{where}: expected one {PLACEHOLDER} (from overrides/main.html), found {count}: "
            "does the page's template extend main.html?"
        )
    head_script = html.find("<script")
    if head_script != -1 and head_script < html.find(PLACEHOLDER):
        raise PluginError(f"{where}: a <script> comes before the Content-Security-Policy meta, which must precede it")
    content = policy(html.replace(PLACEHOLDER, ""), serving=_serving)
    return html.replace(PLACEHOLDER, f'<meta http-equiv="Content-Security-Policy" content="{content}">')


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


# Last of all the post-page handlers, so that the page is hashed as it is written to disk.
@event_priority(-100)
def on_post_page(output, page, config):
    return fill(output, page.file.src_uri)


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content  # sitemap.xml and the like
    return fill(output_content, template_name)
