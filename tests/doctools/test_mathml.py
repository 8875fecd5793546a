"""doctools/extensions/mathml.py: formulas become MathML when a page is converted, in any builder."""

from __future__ import annotations

import markdown

EXTENSIONS = ["pymdownx.arithmatex", "doctools.extensions.mathml"]
CONFIG = {"pymdownx.arithmatex": {"generic": True}}


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIG)


def test_inline_and_display_formulas_become_mathml():
    html = convert("Inline $C_{in} \\cdot F$ here.\n\n$$\n\\frac{a}{b} < c\n$$\n")
    assert html.count("<math") == 2
    assert 'display="block"' in html and "<mfrac>" in html
    assert "\\(" not in html and "\\[" not in html and "$" not in html


def test_text_without_formulas_is_left_alone():
    text = "No formula here: 3 < 4 and `code $x$`."
    assert convert(text) == markdown.markdown(text, extensions=["pymdownx.arithmatex"], extension_configs=CONFIG)
