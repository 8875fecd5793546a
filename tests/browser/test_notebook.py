"""The notebook pages: slim (doctools/hooks/notebook.py), showing every stored output, downloadable.

The outputs the page must show are read from the notebook files themselves, so the test follows
the notebooks as they change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from doctools.hooks.notebook import render_math, slim
from doctools.paths import ROOT
from doctools.site.check import page_file, page_url, site_pages, watch

NOTEBOOKS = sorted((ROOT / "docs").rglob("*.ipynb"))


def text_outputs(notebook: Path) -> list[str]:
    """The text each code cell of the notebook shows: streams and plain-text results."""
    texts = []
    for cell in json.loads(notebook.read_text("utf8"))["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain")
            if text:
                texts.append("".join(text) if isinstance(text, list) else text)
    return texts


def code_cells(notebook: Path) -> int:
    cells = json.loads(notebook.read_text("utf8"))["cells"]
    return sum(1 for cell in cells if cell["cell_type"] == "code" and "".join(cell["source"]).strip())


def test_every_notebook_is_a_page(built_site):
    pages = site_pages(built_site)
    assert NOTEBOOKS, "the site has no notebook"
    assert all(page_url(notebook) in pages for notebook in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_page_carries_no_nbconvert_styles_or_scripts(notebook, built_site):
    html = page_file(built_site, page_url(notebook)).read_text("utf8")
    article = html[html.find("<article") : html.find("</article>")]
    for leftover in ("<style", "<script", "jupyter-wrapper{", "MathJax", "mermaid", "clipboard-copy"):
        assert leftover not in article, f"the notebook page still has {leftover!r} in its content"
    assert '<script src="">' not in html
    assert 'id="cell-id=' not in html


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_page_shows_inputs_and_outputs_and_downloads(notebook, built_site, site_url, context):
    published = built_site / page_url(notebook) / notebook.name  # the copy made at build time
    page = context.new_page()
    load = watch(page)
    page.goto(site_url + page_url(notebook), wait_until="networkidle")

    inputs = page.locator("article .jp-CodeCell .jp-Cell-inputWrapper div.highlight pre > code")
    assert inputs.count() == code_cells(published), "not every code cell of the notebook is on the page"

    outputs = page.locator("article .jp-OutputArea-output")
    shown = [" ".join(text.split()) for text in outputs.all_inner_texts()]
    for box in outputs.all():
        size = box.bounding_box()
        assert size and size["width"] > 0 and size["height"] > 0, "an output of the notebook is not drawn"
    for text in text_outputs(published):
        wanted = " ".join(text.split())
        assert any(wanted in output for output in shown), f"the page does not show the output {text[:200]!r}"

    with page.expect_download() as download:
        page.locator("article a.md-content__button[download]").click()
    saved = Path(download.value.path()).read_bytes()
    assert saved == published.read_bytes(), "the download button does not give the notebook file"
    assert json.loads(saved)["cells"], "the downloaded notebook has no cells"
    assert download.value.suggested_filename == notebook.name
    assert not load.problems(), "\n".join(load.problems())


def test_slim_rewrites_nbconvert_markup():
    """doctools/hooks/notebook.py on the markup nbconvert writes (a trimmed copy of a real page)."""
    nbconvert = (
        "<style>.jupyter-wrapper{--jp-x: 1}</style>\n"
        '<script src=""> </script>\n<!-- Load mathjax -->\n'
        '<script type="text/x-mathjax-config">MathJax.Hub.Config({})</script>\n'
        '<div class="jupyter-wrapper"><div class="jp-Cell jp-CodeCell" id="cell-id=44fb920e">'
        '<div class="jp-Cell-inputWrapper" tabindex="0">'
        '<div class="jp-Collapser jp-InputCollapser jp-Cell-inputCollapser">\n</div>'
        '<div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div>'
        '<div class="zeroclipboard-container">\n<clipboard-copy for="cell-1"><svg></svg></clipboard-copy>\n</div>\n'
        '<div class="highlight-ipynb hl-python"><pre><span></span><span class="n">x</span> = 1\n</pre></div>\n'
        '<div class="clipboard-copy-txt" id="cell-1">x = 1</div>'
        '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain" tabindex="0">\n'
        "<pre>(None, 98, 32)\n</pre>\n</div>"
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">'
        '<h2 id="shapes">Shapes<a class="anchor-link" href="#shapes">¶</a></h2>'
        "<p>The length is $\\frac{n - k}{s} + 1$ and <code>$HOME</code> stays.</p></div>"
        "</div></div>"
    )
    slimmed = slim(nbconvert)
    for gone in ("<style", "<script", "<!--", "clipboard", "In [1]:", "jp-Collapser", "cell-id=", 'tabindex="0"'):
        assert gone not in slimmed, gone
    code = '<div class="language-python highlight"><pre><code><span class="n">x</span> = 1\n</code></pre></div>'
    assert code in slimmed
    assert 'language-output highlight" data-mime-type="text/plain"><pre><code>(None, 98, 32)\n</code></pre>' in slimmed
    assert '<a class="headerlink" href="#shapes">' in slimmed
    assert 'id="cell-44fb920e"' in slimmed
    assert "<math" in slimmed and "\\frac" not in slimmed and "<code>$HOME</code>" in slimmed


def test_render_math_leaves_code_prices_and_tags_alone():
    assert render_math("<code>$x$</code> costs $5 or $6") == "<code>$x$</code> costs $5 or $6"
    assert "<math" in render_math("a $$\\sum_i x_i$$ b") and 'display="block"' in render_math("$$x$$")
    assert render_math('<a title="$x$">y</a>') == '<a title="$x$">y</a>'
