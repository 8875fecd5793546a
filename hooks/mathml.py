"""Render the formulas of every page to MathML at build time.

pymdownx.arithmatex (generic mode) wraps each formula as ``\\(...\\)`` or ``\\[...\\]``; this
hook replaces them with MathML, which browsers draw natively, so the site loads no math script
and no formula is left as raw TeX.
"""

import html
import re

from latex2mathml.converter import convert

_INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.DOTALL)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.DOTALL)


def _render(match: re.Match, display: str) -> str:
    tex = html.unescape(match[1]).strip()
    mathml = convert(tex, display=display)
    tag = "div" if display == "block" else "span"
    return f'<{tag} class="arithmatex">{mathml}</{tag}>'


def on_page_content(html_text, page, config, files):
    html_text = _BLOCK.sub(lambda m: _render(m, "block"), html_text)
    return _INLINE.sub(lambda m: _render(m, "inline"), html_text)
