"""The site built with Zensical, Material for MkDocs' successor, carries what the MkDocs build carries.

Zensical reads mkdocs.yml and runs Python-Markdown extensions, but runs no MkDocs hooks and ignores
plugins it does not know, and still says "No issues found". So the generated tables and the MathML
must come from Markdown extensions (doctools/extensions/), and this test compares, page by page,
every table and every formula of the two builds, and the calculator. The one documented exception
is the notebook page: Zensical copies notebooks as files and does not render them (yet).
"""

from __future__ import annotations

import re

import pytest

from doctools.paths import DOCS, ROOT
from doctools.site.build import build_with_zensical
from doctools.site.check import page_file, page_url

TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
PAGES = sorted(page_url(page) for page in DOCS.rglob("*.md"))
NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    result, site = build_with_zensical(ROOT, tmp_path_factory.mktemp("zensical"))
    assert result.returncode == 0, f"zensical build failed:\n{result.stdout}\n{result.stderr}"
    return site


@pytest.mark.parametrize("url", PAGES, ids=lambda url: url or "home")
def test_tables_and_formulas_are_the_same_in_both_builds(built_site, zensical_site, url):
    mkdocs_html = page_file(built_site, url).read_text("utf8")
    zensical_html = page_file(zensical_site, url).read_text("utf8")
    assert TABLE.findall(zensical_html) == TABLE.findall(mkdocs_html)
    assert MATH.findall(zensical_html) == MATH.findall(mkdocs_html)
    assert "<!-- conv-" not in zensical_html  # no marker left unrendered


def test_the_comparison_sees_generated_content(built_site):
    """Pages that have markers show tables and MathML, so equal lists above are not two empty ones."""
    html = page_file(built_site, "reference/standard/").read_text("utf8")
    assert len(TABLE.findall(html)) >= 2 and MATH.findall(html)


def test_the_calculator_is_on_the_zensical_site(zensical_site):
    html = page_file(zensical_site, "calculator/").read_text("utf8")
    assert 'id="conv-calculator"' in html
    inline_import = re.compile(r'<script type="module">import "([^"]+)";</script>')
    imports = inline_import.findall(html)
    assert imports == inline_import.findall((DOCS / "calculator.md").read_text("utf8"))
    assert imports, "no module script on the calculator page"
    for module in imports:  # resolved against the page's URL, calculator/
        assert (zensical_site / "calculator" / module).resolve().is_file(), module


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_the_documented_exception(zensical_site, notebook):
    """Zensical copies the notebook instead of rendering it; when it renders notebooks, this fails."""
    assert (zensical_site / notebook.relative_to(DOCS)).is_file()
    assert not page_file(zensical_site, page_url(notebook)).exists()
