"""Formulas rendered to MathML when a page is converted: a Python-Markdown extension.

pymdownx.arithmatex (generic mode) wraps each formula as ``\\(...\\)`` or ``\\[...\\]``; this
extension's postprocessor replaces them with MathML, which browsers draw natively, so the site
loads no math script and no formula is left as raw TeX. The notebook pages use ``to_mathml`` too.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert
from markdown import Extension
from markdown.postprocessors import Postprocessor

_INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.DOTALL)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.DOTALL)


def to_mathml(tex: str, display: str) -> str:
    """MathML for a formula (``display`` is "inline" or "block")."""
    return convert(tex.strip(), display=display)


def _render(match: re.Match, display: str) -> str:
    tag = "div" if display == "block" else "span"
    return f'<{tag} class="arithmatex">{to_mathml(html.unescape(match[1]), display)}</{tag}>'


def render_formulas(text: str) -> str:
    """Every arithmatex formula of an HTML text as MathML."""
    text = _BLOCK.sub(lambda m: _render(m, "block"), text)
    return _INLINE.sub(lambda m: _render(m, "inline"), text)


class MathMLPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return render_formulas(text)


class MathMLExtension(Extension):
    def extendMarkdown(self, md):
        # Last of all, after the raw HTML (where arithmatex may stash formulas) is put back.
        md.postprocessors.register(MathMLPostprocessor(md), "mathml", 1)


def makeExtension(**kwargs):
    return MathMLExtension(**kwargs)
