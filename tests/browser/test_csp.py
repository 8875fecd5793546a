"""The Content-Security-Policy of every page (doctools/hooks/csp.py), read from the built files and enforced
in Chromium.

Every page the browser tests open also reports each violation of the policy (doctools/site/check.py's watch), so
the tests of search, copy buttons, tabs, annotations, math, the notebook, the 404 page and the
calculator fail if the policy refuses anything they use. The tests here check the policy itself:
on every built page it is there, before any script, strict, and its hashes are exactly those of
the page's executed inline scripts (computed here independently of the hook); the inline scripts
Material needs do run under it (a stored palette and tab choice come back after a reload); and a
script, handler or style that the page did not ship is refused and reported.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from mkdocs.exceptions import PluginError

from doctools.hooks.csp import PLACEHOLDER, fill, policy
from doctools.site.check import page_file, set_palette, site_pages, watch

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
DATA_BLOCK_TYPES = {"application/json", "text/x-mathjax-config", "text/plain", "application/ld+json"}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf8")).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        assert name not in parsed, f"{name} appears twice in {policy}"
        parsed[name] = sources
    return parsed


def executed_inline_scripts(html: str) -> list[str]:
    """The texts of the inline scripts a browser runs: no src, and not a data block."""
    scripts = []
    for attributes, text in SCRIPT.findall(html):
        kind = re.search(r'\stype="([^"]*)"', attributes)
        if " src=" in f" {attributes}" or (kind and kind[1].lower() in DATA_BLOCK_TYPES):
            continue
        assert not kind or kind[1] in ("module", "text/javascript"), f"an inline script of unknown type: {attributes}"
        scripts.append(text)
    return scripts


def built_pages(site_dir) -> dict[str, str]:
    """Every HTML file of the built site, by its path, with the 404 page."""
    pages = {path.relative_to(site_dir).as_posix(): path.read_text("utf8") for path in site_dir.rglob("*.html")}
    assert "404.html" in pages and "calculator/index.html" in pages and len(pages) > len(site_pages(site_dir))
    return pages


def test_every_page_carries_a_strict_policy_whose_hashes_are_its_inline_scripts(built_site):
    problems = []
    pages = built_pages(built_site)
    notebooks = [path for path in pages if path.startswith("notebooks/")]
    assert notebooks, "no notebook page was built"
    for path, html in pages.items():
        metas = META.findall(html)
        if len(metas) != 1:
            problems.append(f"{path}: {len(metas)} Content-Security-Policy meta elements")
            continue
        policy = directives(metas[0])
        scripts = executed_inline_scripts(html)
        script_src = policy.get("script-src", [])
        hashes = {source for source in script_src if source.startswith("'sha256-")}
        expected = {
            "default-src": ["'none'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
        }
        for name, sources in expected.items():
            if policy.get(name) != sources:
                problems.append(f"{path}: {name} is {policy.get(name)}, not {sources}")
        if [s for s in script_src if not s.startswith("'sha256-")] != ["'self'"]:
            problems.append(f"{path}: script-src allows more than the site and hashes: {script_src}")
        if hashes != {sha256(text) for text in scripts}:
            problems.append(
                f"{path}: script-src lists {sorted(hashes)}, the page's inline scripts hash to "
                f"{sorted(sha256(text) for text in scripts)}"
            )
        if len(scripts) < 3:
            problems.append(f"{path}: only {len(scripts)} inline scripts; Material writes at least 3")
        if policy.get("style-src") != ["'self'"]:
            problems.append(f"{path}: style-src is {policy.get('style-src')}, not only the site's stylesheets")
        styles = {sha256(value) for value in STYLE_ATTRIBUTE.findall(html)}
        wanted_attr = ["'unsafe-hashes'", *sorted(styles)] if styles else ["'none'"]
        if sorted(policy.get("style-src-attr", [])) != sorted(wanted_attr):
            problems.append(f"{path}: style-src-attr is {policy.get('style-src-attr')}, not {wanted_attr}")
        if "'unsafe-inline'" in metas[0] or "'unsafe-eval'" in metas[0]:
            problems.append(f"{path}: the policy allows unsafe-inline or unsafe-eval")
        if html.find("<script") < html.find('http-equiv="Content-Security-Policy"'):
            problems.append(f"{path}: a script comes before the policy, which covers only what follows it")
        if HANDLER.search(html):
            problems.append(f"{path}: an inline event handler: {HANDLER.search(html)[0][:120]}")
    assert not problems, "\n".join(problems)


def test_the_stored_palette_and_tab_choice_come_back_under_the_policy(built_site, site_url, context):
    """Material's inline scripts (allowed by their hashes) restore the reader's choices on load."""
    with_tabs = [p for p in site_pages(built_site) if 'class="tabbed-set' in page_file(built_site, p).read_text("utf8")]
    assert with_tabs, "no page has content tabs"
    page = context.new_page()
    load = watch(page)
    page.goto(site_url + with_tabs[0], wait_until="networkidle")
    set_palette(page, "slate")
    tabs = page.locator("article .tabbed-set").first
    second = tabs.locator(":scope > .tabbed-labels > label").nth(1)
    name = second.inner_text().strip()
    tabs.scroll_into_view_if_needed()
    second.click()
    page.reload(wait_until="networkidle")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate", "the stored palette was not applied"
    checked = page.evaluate(
        """() => { const input = document.querySelector("article .tabbed-set > input:checked");
                   return document.querySelector(`label[for="${input.id}"]`).innerText.trim(); }"""
    )
    assert checked == name, f"the stored tab {name!r} was not selected again after a reload ({checked!r} is)"
    # The reload aborts what the first load still fetched (the favicon, the search index): not the page's doing.
    problems = [p for p in load.problems() if not p.startswith("failed request: net::ERR_ABORTED ")]
    assert not problems, "\n".join(problems)


INJECT = """() => {
  window.__injected = [];
  const script = document.createElement("script");
  script.textContent = "window.__injected.push('inline script')";
  document.body.append(script);
  const button = document.createElement("button");
  button.setAttribute("onclick", "window.__injected.push('event handler')");
  document.body.append(button);
  button.click();
  const link = document.createElement("a");
  link.href = "javascript:window.__injected.push('javascript: URL')";
  document.body.append(link);
  link.click();
  const styled = document.createElement("p");
  styled.setAttribute("style", "color: rgb(1, 2, 3)");
  document.body.append(styled);
  return { ran: window.__injected, color: getComputedStyle(styled).color };
}"""


@pytest.mark.parametrize("path", ["", "calculator/", "notebooks/layer-exploration/", "no/such/page/"])
def test_what_the_page_did_not_ship_is_refused_and_reported(path, site_url, context):
    page = context.new_page()
    load = watch(page)
    page.goto(site_url + path, wait_until="networkidle")
    assert not load.csp_violations, load.csp_violations
    outcome = page.evaluate(INJECT)
    page.wait_for_timeout(200)  # violation events are dispatched as tasks
    assert outcome["ran"] == [], f"/{path}: injected code ran: {outcome['ran']}"
    assert outcome["color"] != "rgb(1, 2, 3)", f"/{path}: an injected style attribute was applied"
    directives_hit = {violation.split()[0] for violation in load.csp_violations}
    assert directives_hit >= {"script-src-elem", "script-src-attr", "style-src-attr"}, load.csp_violations
    assert any(p.startswith("Content-Security-Policy violation") for p in load.problems())


# ----------------------------------------------------------------------------------------------
# The hook on small pages


def html_page(body: str, head: str = "") -> str:
    return f"<html><head>{PLACEHOLDER}{head}</head><body>{body}</body></html>"


def filled_policy(html: str) -> dict[str, list[str]]:
    return directives(META.search(fill(html, "test.md"))[1])


def test_the_hook_hashes_executed_scripts_and_style_attributes_only():
    body = (
        "<script>run()</script>"
        '<script type="module">go()</script>'
        '<script type="application/json">{"data": 1}</script>'
        '<script type="text/x-mathjax-config">MathJax.Hub.Config({})</script>'
        '<script src="app.js"></script>'
        "<script>a()\r\nb()</script>"
        '<p style="color: red">x</p><p style="color: red">y</p><svg><rect style="fill: &quot;x&quot;"/></svg>'
    )
    policy = filled_policy(html_page(body))
    wanted = {sha256("run()"), sha256("go()"), sha256("a()\nb()")}
    assert policy["script-src"] == ["'self'", *sorted(wanted)]
    assert policy["style-src-attr"] == ["'unsafe-hashes'", *sorted({sha256("color: red"), sha256('fill: "x"')})]
    assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert filled_policy(html_page("<p>plain</p>"))["style-src-attr"] == ["'none'"]


@pytest.mark.parametrize(
    "body",
    ['<button onclick="go()">x</button>', '<a href="javascript:go()">x</a>', '<img src=x onerror="go()">'],
)
def test_the_hook_fails_the_build_on_inline_handlers(body):
    with pytest.raises(PluginError, match="inline event handlers"):
        fill(html_page(body), "test.md")


def test_the_hook_fails_the_build_without_one_meta_before_the_scripts():
    with pytest.raises(PluginError, match="expected one"):
        fill("<html><head></head><body></body></html>", "test.md")
    with pytest.raises(PluginError, match="expected one"):
        fill(html_page("", head=PLACEHOLDER), "test.md")
    with pytest.raises(PluginError, match="must precede"):
        fill(f"<html><head><script>x()</script>{PLACEHOLDER}</head></html>", "test.md")


def test_under_serve_inline_scripts_are_allowed_for_live_reload():
    html = html_page("<script>run()</script>")
    assert policy(html, serving=True).startswith("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src")
    assert "'unsafe-inline'" not in policy(html)
