"""The site builds strictly, without TensorFlow, and shows only python code that the tests run."""

from __future__ import annotations

import textwrap
from html import unescape
from html.parser import HTMLParser

import pytest

from doctools.engine.fences import Block, parse_page
from doctools.engine.includes import read_chunks, split_spec
from doctools.paths import ROOT
from doctools.site.check import page_file, page_url

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))


def test_strict_build_imports_no_deep_learning_framework(site_build):
    assert site_build["returncode"] == 0, f"mkdocs build --strict failed:\n{site_build['log']}"


class PythonBlocks(HTMLParser):
    """Collect the text of every python code block of a built page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._depth = 0  # nesting depth of <div> inside a python block, 0 when outside
        self._in_code = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div":
            if self._depth:
                self._depth += 1
            elif "language-python" in classes:
                self._depth = 1
                self.blocks.append("")
        elif tag == "code" and self._depth:
            self._in_code = True

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False
        elif tag == "div" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._in_code:
            self.blocks[-1] += data


def _normal(code: str) -> str:
    return "\n".join(line.rstrip() for line in unescape(code).strip("\n").splitlines())


def shown_code(block: Block) -> str:
    """What the site shows for a python fence: its code, or the snippet sections it includes."""
    if block.kind != "include":
        return _normal(block.fence.content)
    parts = []
    for spec in block.includes:
        name, section = split_spec(spec)
        chunks = read_chunks(ROOT / name)
        lines = [line for c in chunks if section is None or c.name == section for line in c.lines]
        parts.append(textwrap.dedent("\n".join(lines)))
    return _normal("\n".join(parts))


def _line_of(text: str, code: str) -> int:
    first = next((line.strip() for line in code.splitlines() if line.strip()), "")
    for number, line in enumerate(text.splitlines(), start=1):
        if first and line.strip() == first:
            return number
    return 1


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_python_block_on_the_site_is_run(page, built_site):
    """Parse the page the way the site does (the built HTML) and match each python block."""
    parser = PythonBlocks()
    parser.feed(page_file(built_site, page_url(page)).read_text("utf8"))
    on_site = [_normal(code) for code in parser.blocks]
    known = {shown_code(block): block for block in parse_page(page).blocks}
    relative = page.relative_to(ROOT).as_posix()
    problems = []
    for code in on_site:
        if code not in known:
            line = _line_of(page.read_text("utf8"), code)
            problems.append(
                f"{relative}:{line}: this python block is on the site, but the tests do not run it "
                "(is it in a container the runner cannot see, or spelt differently?)"
            )
    for code, block in known.items():
        if code not in on_site:
            problems.append(
                f"{relative}:{block.line}: the tests run this fence, but the site does not show it as python code "
                "(check the fence syntax)"
            )
    assert not problems, "\n".join(problems)
