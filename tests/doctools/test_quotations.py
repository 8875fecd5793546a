"""Figures quoted from papers, in marked quotations, compared with the site's own values.

``doctools/quotations.py`` reads the quotations (``!!! quote`` blocks with an id) and compares
each figure, at the precision the paper prints, with the value ``doctools/content/quotations.py``
computes for it. Here: every quotation of the site is registered, the quotations computed with
conv_arithmetic agree (and their layers agree with Keras), and a wrong figure fails at its
file:line unless a footnote next to it explains it. The quotations computed from the
keras.applications models are compared in tests/snippets/cost/test_audits.py, which shares the
models' one build.
"""

from __future__ import annotations

from decimal import Decimal

import keras
import pytest

from doctools.content import quotations as content
from doctools.macs import macs_by_definition
from doctools.paths import DOCS, ROOT
from doctools.quotations import compare, footnotes, read_quotations

PAGES = sorted(DOCS.rglob("*.md"))


def quotations_of(page):
    return read_quotations(page)


def test_every_quotation_is_registered_on_its_page():
    seen = {}
    for page in PAGES:
        for quotation in quotations_of(page):
            where = f"{page}:{quotation.line}"
            assert quotation.id in content.QUOTATIONS, f"{where}: a quotation needs <!-- quotation: ID --> (registered)"
            assert content.QUOTATIONS[quotation.id].page == page.relative_to(ROOT).as_posix(), where
            assert quotation.id not in seen, f"{where}: quotation {quotation.id} appears twice"
            seen[quotation.id] = where
    assert set(seen) == set(content.QUOTATIONS)


def the_quotation(quotation_id):
    quoted = content.QUOTATIONS[quotation_id]
    page = ROOT / quoted.page
    (quotation,) = [q for q in read_quotations(page) if q.id == quotation_id]
    return quotation, quoted, footnotes(page.read_text("utf8"))


LOCAL = sorted(key for key, quoted in content.QUOTATIONS.items() if quoted.source == "conv_arithmetic")


@pytest.mark.parametrize("quotation_id", LOCAL)
def test_quoted_figures_agree_with_the_site_or_say_why(quotation_id):
    quotation, quoted, notes = the_quotation(quotation_id)
    assert compare(quotation, quoted, content.table3_values(), notes) == []


def test_the_table3_layers_match_keras():
    for row, example in content.TABLE3_ROWS.items():
        layer = getattr(keras.layers, example.layer)(**example.config)
        layer.build(example.input_shape)
        output_shape = tuple(layer.compute_output_shape(example.input_shape))
        info = example.info()
        assert info["params"] == layer.count_params(), row
        assert info["macs"] == macs_by_definition(layer, example.input_shape, output_shape), row


def planted(tmp_path, old: str, new: str, footnote: str = ""):
    """The Table 3 quotation with one cell changed, in a scratch copy of its page."""
    quoted = content.QUOTATIONS["mobilenet-table3"]
    text = (ROOT / quoted.page).read_text("utf8")
    assert text.count(old) == 1
    page = tmp_path / "index.md"
    page.write_text(text.replace(old, new) + footnote, "utf8")
    (quotation,) = [q for q in read_quotations(page) if q.id == "mobilenet-table3"]
    line = 1 + text[: text.index(old)].count("\n")
    return compare(quotation, quoted, content.table3_values(), footnotes(page.read_text("utf8"))), line, page


def test_a_wrong_quoted_digit_fails_at_its_line(tmp_path):
    problems, line, page = planted(tmp_path, "| Convolution | 462 | 2.36 |", "| Convolution | 462 | 2.63 |")
    assert len(problems) == 1 and problems[0].startswith(f"{page}:{line}: the quoted figure 2.63"), problems
    assert "value, 2.36 at the printed precision" in problems[0]


def test_a_disagreement_with_a_note_passes_and_an_undefined_note_fails(tmp_path):
    cell = "| Convolution | 462 | 2.63[^typo] |"
    problems, line, page = planted(tmp_path, "| Convolution | 462 | 2.36 |", cell)
    assert problems == [f"{page}:{line}: the note [^typo] next to 2.63 is not defined on the page"]
    problems, _, _ = planted(tmp_path, "| Convolution | 462 | 2.36 |", cell, "\n[^typo]: A misprint.\n")
    assert problems == []


def test_rounding_is_at_the_printed_precision():
    from doctools.quotations import at_precision

    assert at_precision(462_422_016 / 10**6, Decimal("462")) == Decimal("462")
    assert at_precision(52_283_392 / 10**6, Decimal("52.3")) == Decimal("52.3")
    assert at_precision(15_346_630_656 / 10**6, Decimal("15300"), Decimal("100")) == Decimal("15300")
    assert at_precision(3_857_973_248 / 10**9, Decimal("3.8")) == Decimal("3.9")
