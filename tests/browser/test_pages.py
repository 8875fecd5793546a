"""Every page of the built site, opened in Chromium: it loads cleanly, offline, light and accessible.

For each page: no console error, no failed request, no request leaving localhost; formulas are
drawn as MathML (nonzero size, fractions stacked) and no raw TeX is left in the text; the page
transfers at most 400 KB (the search index aside); and axe-core finds no serious or critical
violation, in the light palette and in the dark one.
"""

from __future__ import annotations

import pytest

from doctools.paths import DOCS
from doctools.site.check import (
    WEIGHT_LIMIT,
    describe_violations,
    page_url,
    run_axe,
    set_palette,
    site_pages,
    weigh,
)

WEIGHT_REPORT = "report: Page weight in bytes: sent (gzip, as GitHub Pages sends), uncompressed; search index aside"
PAGES = sorted(page_url(p) for p in [*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")])

# Text that is TeX, not prose: \( \) \[ \] delimiters, $$, or a command such as \frac or \times.
RAW_TEX = r"\\[()\[\]]|\$\$|\\[A-Za-z]{2,}"

INSPECT_MATH = """
(rawTex) => {
  const problems = [];
  let drawn = 0;
  for (const math of document.querySelectorAll("article math")) {
    if (!math.parentElement.checkVisibility()) continue;  // in a closed <details> or an inactive tab
    drawn += 1;
    const box = math.getBoundingClientRect();
    const display = getComputedStyle(math).display;
    const text = math.textContent.trim().slice(0, 60);
    if (!(box.width > 0 && box.height > 0)) problems.push(`formula "${text}" has no size`);
    if (!display.includes("math")) problems.push(`formula "${text}" is not laid out as MathML (display: ${display})`);
    for (const fraction of math.querySelectorAll("mfrac")) {
      const [numerator, denominator] = fraction.children;
      if (numerator.getBoundingClientRect().bottom > denominator.getBoundingClientRect().top + 1) {
        problems.push(`the fraction in "${text}" is not drawn as a fraction`);
      }
    }
  }
  for (const holder of document.querySelectorAll("article .arithmatex")) {
    if (!holder.querySelector("math")) problems.push(`a formula was not converted: ${holder.textContent.slice(0, 80)}`);
  }
  const prose = document.querySelector("article").cloneNode(true);
  prose.querySelectorAll("pre, code, math, script, style, .highlight").forEach((node) => node.remove());
  const pattern = new RegExp(rawTex, "g");
  for (const match of prose.textContent.matchAll(pattern)) {
    const at = match.index;
    problems.push(`raw TeX in the text: "...${prose.textContent.slice(Math.max(0, at - 40), at + 40).trim()}..."`);
  }
  return {drawn, problems};
}
"""


def test_the_sitemap_lists_every_page(built_site):
    assert sorted(site_pages(built_site)) == PAGES


@pytest.mark.parametrize("path", PAGES, ids=lambda p: "/" + p)
def test_page_loads_offline_with_math_and_within_weight(path, built_site, site_url, watched_page, record_property):
    page = watched_page.page
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response.status == 200, f"/{path} answered {response.status}"
    assert page.title().endswith("Keras Conv Guide"), page.title()

    math = page.evaluate(INSPECT_MATH, RAW_TEX)
    weight = weigh(watched_page, built_site, site_url)
    record_property(WEIGHT_REPORT, f"/{path:<40} {weight.sent:>9,} {weight.uncompressed:>13,}")

    problems = watched_page.problems() + math["problems"]
    if weight.sent > WEIGHT_LIMIT:
        problems.append(
            f"the page transferred {weight.sent:,} bytes (search index aside), over the limit of {WEIGHT_LIMIT:,}:\n"
            + weight.listing()
        )
    assert not problems, f"/{path}:\n" + "\n".join(problems)


# A missing path, which the server answers with the site's 404 page.
MISSING = "no/such/page/"


@pytest.mark.parametrize("path", [*PAGES, MISSING], ids=lambda p: "/" + p)
def test_page_has_no_serious_accessibility_violation(path, site_url, watched_page, node_tools):
    page = watched_page.page
    page.goto(site_url + path, wait_until="networkidle")
    found = []
    for scheme in ("default", "slate"):
        set_palette(page, scheme)
        violations = run_axe(page)
        found += [f"[{scheme} palette] {line}" for line in describe_violations(violations)]
    assert not found, f"axe-core on /{path}:\n" + "\n".join(found)
