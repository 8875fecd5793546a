"""What readers do on the site, done in Chromium: search, copy code, switch tabs, get lost (404).

The pages these tests use are picked from the built site (the first page, in sitemap order, that
has code blocks or content tabs), so the tests follow the pages as they are written. The test run
also leaves screenshots of four pages, in both palettes, under .artifacts/browser/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from doctools.site.check import KEY_PAGES, page_file, set_palette, site_pages, watch

SEARCH_TERMS = ["SeparableConv2D", "output_padding"]


def pages_with(site_dir, pattern: str) -> list[str]:
    """The pages whose article's HTML matches a regular expression, in sitemap order."""
    found = []
    for path in site_pages(site_dir):
        html = page_file(site_dir, path).read_text("utf8")
        if re.search(pattern, html[html.find("<article") : html.find("</article>")]):
            found.append(path)
    return found


def open_page(context, url: str):
    page = context.new_page()
    load = watch(page)
    page.goto(url, wait_until="networkidle")
    return page, load


def search(page, term: str):
    """Type a query into Material's search box; return the result items once they are shown."""
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(term, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15_000)
    return results


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_the_term_and_leads_to_a_page_with_it(term, site_url, watched_page):
    page = watched_page.page
    page.goto(site_url, wait_until="networkidle")
    results = search(page, term)
    texts = results.all_inner_texts()
    matching = [i for i, text in enumerate(texts) if term.lower() in text.lower()]
    assert matching, f"no search result for {term!r} shows it; results: {texts}"

    results.nth(matching[0]).locator("a").first.click()
    page.wait_for_load_state("networkidle")
    body = page.locator("article").inner_text()
    assert term.lower() in body.lower(), f"the result for {term!r} led to {page.url}, which lacks it"
    assert not watched_page.problems(), "\n".join(watched_page.problems())


@pytest.fixture
def clipboard_context(browser, site_url):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    created = browser.new_context(viewport={"width": 1280, "height": 900})
    created.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    yield created
    created.close()


def test_copy_buttons_copy_the_code(built_site, site_url, clipboard_context):
    """On the first page with a code block, and on the notebook (whose cells the hook rewrites)."""
    with_code = pages_with(built_site, r'<div class="language-\w+ highlight"><pre>')
    assert with_code, "no page of the site has a code block"
    notebooks = [p for p in with_code if p.startswith("notebooks/")]
    for path in dict.fromkeys([with_code[0], *notebooks[:1]]):
        page, load = open_page(clipboard_context, site_url + path)
        block = page.locator("article div.highlight:has(pre > code)").first
        block.scroll_into_view_if_needed()
        page.evaluate("navigator.clipboard.writeText('')")
        block.hover()
        button = block.locator("button[data-md-type=copy], button.md-clipboard").first
        button.wait_for(state="visible")
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        shown = block.locator("pre > code").evaluate("(code) => code.textContent")
        assert copied.strip(), f"/{path}: the copy button put nothing on the clipboard"
        assert copied.rstrip() == shown.rstrip(), f"/{path}: copied {copied!r}, the block shows {shown!r}"
        assert not load.problems(), "\n".join(load.problems())
        page.close()


def test_content_tabs_switch(built_site, site_url, context):
    with_tabs = pages_with(built_site, r'class="tabbed-set')
    assert with_tabs, 'no page of the site has content tabs (=== "Tab") yet'
    page, load = open_page(context, site_url + with_tabs[0])
    tabs = page.locator("article .tabbed-set").first
    labels = tabs.locator(":scope > .tabbed-labels > label")
    blocks = tabs.locator(":scope > .tabbed-content > .tabbed-block")
    assert labels.count() >= 2 and blocks.count() == labels.count()
    tabs.scroll_into_view_if_needed()
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
    labels.nth(1).click()
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible(), "clicking the second tab did not show it"
    labels.nth(0).click()
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible(), "clicking the first tab did not bring it back"
    assert not load.problems(), "\n".join(load.problems())


def test_code_annotations_open(built_site, site_url, context):
    annotated = pages_with(built_site, r"# \(1\)!")
    assert annotated, "no page of the site has a code annotation (# (1)!) yet"
    page, load = open_page(context, site_url + annotated[0])
    marker = page.locator("article .md-annotation").first
    marker.scroll_into_view_if_needed()
    marker.locator(".md-annotation__index").click(force=True)  # its marker pulses, so it is never "stable"
    tooltip = marker.locator(".md-tooltip__inner")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().strip(), "the annotation opened empty"
    assert not load.problems(), "\n".join(load.problems())


def test_a_missing_page_gets_a_useful_404(site_url, context):
    page = context.new_page()
    load = watch(page)
    missing = site_url + "reference/no-such-layer/"
    response = page.goto(missing, wait_until="networkidle")
    assert response.status == 404
    assert "not found" in page.locator("article h1").inner_text().lower()
    # The 404 of the missing page itself is expected; nothing else may fail.
    problems = [p for p in load.problems() if missing not in p and "status of 404" not in p]
    assert not problems, "\n".join(problems)

    links = {a.inner_text(): a.get_attribute("href") for a in page.locator("article li a").all()}
    wanted = {"Home": "", "Reference": "reference/", "Guides": "guides/", "Calculator": "calculator/"}
    for name, target in wanted.items():
        assert name in links, f"the 404 page has no link to {name}: {links}"
        url = page.evaluate("(href) => new URL(href, location.href).href", links[name])
        assert url == site_url + target, f"the 404 page's {name} link leads to {url}"
        assert page.request.get(url).status == 200

    page.locator("#site-404-query").fill("SeparableConv2D")
    page.locator("#site-404-query").press("Enter")
    page.wait_for_load_state("networkidle")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15_000)
    assert any("separableconv2d" in text.lower() for text in results.all_inner_texts())


def test_screenshots_of_four_pages_in_both_palettes(site_url, context, artifacts, record_property):
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for path in KEY_PAGES:
        page, load = open_page(context, site_url + path)
        name = path.strip("/").replace("/", "-") or "home"
        for scheme, suffix in (("default", "light"), ("slate", "dark")):
            set_palette(page, scheme)
            height = min(page.evaluate("document.documentElement.scrollHeight"), 8000)
            target = folder / f"{name}-{suffix}.png"
            page.screenshot(path=target, full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": height})
            assert target.stat().st_size > 10_000, f"{target} is suspiciously small"
        assert not load.problems(), f"/{path}:\n" + "\n".join(load.problems())
        page.close()
    shots = sorted(p.name for p in folder.glob("*.png"))
    record_property("report: Screenshots", f"{folder}/: {', '.join(shots)}")
