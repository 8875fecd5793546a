"""The site's diagrams (SVG) are drawn, described, and legible in the light and the dark palette.

A diagram is an ``<svg>`` in a page's article (icons of buttons aside) or an ``<img>`` of an .svg
file. Each must have a nonzero size and a text alternative, and every text and stroke colour in
it must reach a contrast of 3:1 (WCAG 2.2, 1.4.11 non-text contrast) with what lies behind it:
the page, or the filled shape a label sits on. (Strokes drawn deliberately faint, less than half
opaque, such as grid lines, are left out; text never is.) Inline SVG follows Material's palette toggle, so
it is checked after switching the palette. An .svg file drawn by ``<img>`` cannot see the toggle,
so its colours must contrast with the page background of both palettes.
"""

from __future__ import annotations

import re
from pathlib import Path

from doctools.site.check import page_file, set_palette, site_pages, watch

MIN_CONTRAST = 3.0

# The checks, in JavaScript, run in the page: inspectPage(minimum) and inspectSvgFile(...).
SCRIPT = (Path(__file__).with_name("diagrams.js")).read_text("utf8")
INSPECT_PAGE = f"(minimum) => {{ {SCRIPT}\n return inspectPage(minimum); }}"
INSPECT_SVG_FILE = f"(args) => {{ {SCRIPT}\n return inspectSvgFile(args); }}"


def diagram_pages(site_dir) -> list[str]:
    """Pages whose article holds an inline <svg> or an .svg image (candidates; the browser decides)."""
    pages = []
    for path in site_pages(site_dir):
        html = page_file(site_dir, path).read_text("utf8")
        article = html[html.find("<article") : html.find("</article>")]
        if re.search(r"<svg\b|<img\b[^>]*\.svg", article):
            pages.append(path)
    return pages


def test_diagrams_are_drawn_and_legible_in_both_palettes(built_site, site_url, context):
    inline_count, image_urls, problems = 0, {}, []
    backgrounds = {}
    for path in diagram_pages(built_site):
        page = context.new_page()
        load = watch(page)
        page.goto(site_url + path, wait_until="networkidle")
        for scheme in ("default", "slate"):
            set_palette(page, scheme)
            result = page.evaluate(INSPECT_PAGE, MIN_CONTRAST)
            inline_count += result["inline"] if scheme == "default" else 0
            backgrounds[scheme] = result["background"]
            problems += [f"/{path} [{scheme} palette] {problem}" for problem in result["problems"]]
            for url in result["images"]:
                image_urls.setdefault(url, path)
        problems += [f"/{path}: {problem}" for problem in load.problems()]
        page.close()

    # An .svg in an <img> is drawn by the colour scheme of the reader's system, whichever palette
    # the page shows: check it under both, against the background of both palettes.
    for url, path in image_urls.items():
        for media in ("light", "dark"):
            page = context.new_page()
            page.emulate_media(color_scheme=media)
            page.goto(url)
            for scheme, background in backgrounds.items():
                where = f"/{path}: {url} (system {media}, {scheme} palette)"
                problems += page.evaluate(INSPECT_SVG_FILE, [background, MIN_CONTRAST, where])
            page.close()

    assert inline_count + len(image_urls) > 0, (
        "no page of the site has a diagram yet: the reference pages are meant to have SVG diagrams"
    )
    assert not problems, "\n".join(problems)


def test_the_check_finds_ink_that_vanishes_and_diagrams_without_text(context):
    """The checker itself: a planted drawing with invisible marks fails for exactly those marks."""
    page = context.new_page()
    page.set_content(
        """<body style="background: #1e2129; margin: 0"><article>
        <svg width="300" height="100" role="img" aria-label="planted">
          <rect x="0" y="0" width="150" height="50" fill="#ffffff"/>
          <text x="10" y="30" fill="#eeeeee">pale on white</text>
          <text x="160" y="30" fill="#eeeeee">pale on the page</text>
          <line x1="0" y1="80" x2="300" y2="80" stroke="#000000" stroke-width="2"/>
          <line x1="0" y1="90" x2="300" y2="90" stroke="#ffffff" stroke-width="2"/>
          <line x1="0" y1="95" x2="300" y2="95" stroke="#000000" stroke-opacity="0.15"/>
        </svg>
        <svg width="20" height="20"><circle cx="10" cy="10" r="8" fill="#ff0000"/></svg>
        </article></body>"""
    )
    result = page.evaluate(INSPECT_PAGE, MIN_CONTRAST)
    problems = "\n".join(result["problems"])
    assert result["inline"] == 2
    assert "text #eeeeee on #ffffff" in problems
    assert "stroke #000000 on #1e2129" in problems
    assert "#2 () has no text alternative" in problems
    assert "pale on the page" not in problems and "stroke #ffffff" not in problems
    assert len(result["problems"]) == 3, problems
