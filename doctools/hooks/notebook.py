"""Slim the notebook pages that mkdocs-jupyter renders, and make their cells look like the site's.

nbconvert inlines about 600 KB of JupyterLab CSS into every notebook page, plus scripts the site
does not use (a MathJax configuration, an empty ``<script src="">``, a Mermaid loader that would
fetch from a CDN, and a custom element for its own copy buttons). This hook removes all of that
and rewrites the cells into the markup that Material already styles in light and dark:

- input cells become ``<div class="language-python highlight"><pre><code>`` blocks, so they get the
  site's syntax colours and Material's copy button;
- text outputs become ``language-output`` blocks, styled like the ``output`` fences of the pages;
- formulas in Markdown cells (``$...$``, ``$$...$$``) are rendered to MathML, as on the other pages;
- heading anchors become Material's ``headerlink``, and cell ids become valid CSS identifiers.

What remains is styled by overrides/assets/stylesheets/notebook.css, which overrides/main.html
links on notebook pages only.
"""

from __future__ import annotations

import html
import re

from doctools.extensions.mathml import to_mathml

_DROP = [
    re.compile(r"<style\b[^>]*>.*?</style>\s*", re.DOTALL),
    re.compile(r"<script\b[^>]*>.*?</script>\s*", re.DOTALL),
    re.compile(r"<!--.*?-->\s*", re.DOTALL),
    # nbconvert's own copy button and the hidden copy of each cell's source that it copies from
    re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>\s*', re.DOTALL),
    re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">.*?</div>\s*', re.DOTALL),
    # "In [3]:" prompts and the collapsers beside the cells: JupyterLab's interface, not content
    re.compile(r'<div class="jp-(?:Input|Output)Prompt jp-(?:InputArea|OutputArea)-prompt">[^<]*</div>\s*'),
    re.compile(r'<div class="jp-Collapser [^"]*">\s*</div>\s*'),
]

_CODE = re.compile(r'<div class="highlight-ipynb hl-(\w+)"><pre>(?:<span></span>)?(.*?)</pre></div>', re.DOTALL)
_TEXT_OUTPUT = re.compile(
    r'<div class="jp-RenderedText jp-OutputArea-output"( data-mime-type="[^"]*")[^>]*>\s*<pre>(.*?)</pre>\s*</div>',
    re.DOTALL,
)
_CELL_ID = re.compile(r'id="cell-id=([\w-]+)"')
_MARKDOWN = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^>]*>)(.*?)(</div>)', re.DOTALL)
_PROTECTED = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>|<[^>]+>)", re.DOTALL)
_MATH = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]"  # display: $$...$$ or \[...\]
    r"|\\\((.+?)\\\)|(?<![\\$\w])\$(?=\S)([^$]+?)(?<=\S)\$(?![\w$])",  # inline: \(...\) or $...$
    re.DOTALL,
)


def _code(match: re.Match) -> str:
    return f'<div class="language-{match[1]} highlight"><pre><code>{match[2]}</code></pre></div>'


def _text_output(match: re.Match) -> str:
    stream = " nb-stderr" if "stderr" in match[1] else ""
    return (
        f'<div class="jp-RenderedText jp-OutputArea-output language-output highlight{stream}"{match[1]}>'
        f"<pre><code>{match[2]}</code></pre></div>"
    )


def _math(match: re.Match) -> str:
    display, inline_tex = match[1] or match[2], match[3] or match[4]
    mode = "block" if display else "inline"
    tag = "div" if display else "span"
    return f'<{tag} class="arithmatex">{to_mathml(html.unescape(display or inline_tex), mode)}</{tag}>'


def render_math(fragment: str) -> str:
    """Turn TeX in the text of an HTML fragment into MathML, leaving tags, code and pre alone."""
    parts = _PROTECTED.split(fragment)
    return "".join(part if index % 2 else _MATH.sub(_math, part) for index, part in enumerate(parts))


def slim(content: str) -> str:
    """The notebook page's HTML without nbconvert's styles and scripts, in the site's markup."""
    for pattern in _DROP:
        content = pattern.sub("", content)
    content = _CODE.sub(_code, content)
    content = _TEXT_OUTPUT.sub(_text_output, content)
    content = _MARKDOWN.sub(lambda m: m[1] + render_math(m[2]) + m[3], content)
    content = content.replace(' class="jp-Cell-inputWrapper" tabindex="0"', ' class="jp-Cell-inputWrapper"')
    # nbconvert's cell ids ("cell-id=44fb920e") are not valid in CSS selectors, which Material's
    # copy buttons build from them.
    content = _CELL_ID.sub(r'id="cell-\1"', content)
    return content.replace('<a class="anchor-link" href=', '<a class="headerlink" href=')


def on_page_content(html_text, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html_text
    return slim(html_text)
