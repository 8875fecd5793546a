"""Proof that the checker catches a wrong digit, says where it is, and that update repairs it.

Real pages are copied into a scratch docs tree: a page with inline blocks, a page whose blocks
include a snippet, and the notebook. One digit of a stored parameter count or shape is changed
in each; the suite must fail at exactly that file:line, and the update command must restore the
files to what they were.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from doctools.engine.fences import parse_page
from doctools.engine.notebooks import output_text
from doctools.engine.outputs import normalize, sanitize
from tests.doctools.engine.inner_runs import ROOT, check, scratch_tree, update

INLINE_PAGE = "docs/index.md"
SNIPPET_PAGE = "docs/reference/standard.md"
NOTEBOOK = "docs/notebooks/layer-exploration.ipynb"

# A parameter count such as 6,176 or a dimension inside a shape such as (None, 98, 32).
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|(?<=\(None, )\d+|(?<=\(4, )\d+")


def _bump(line: str) -> str:
    """Change the last digit of the first count or dimension on the line."""
    match = NUMBER.search(line)
    end = match.end() - 1
    return line[:end] + str((int(line[end]) + 1) % 10) + line[end + 1 :]


def plant_in_page(path: Path, include_block: bool) -> int:
    """Change one digit in the first stored output of the wanted kind; return its line."""
    page = parse_page(path)
    lines = path.read_text("utf8").split("\n")
    for block in page.blocks:
        if block.output is None or (block.kind == "include") != include_block:
            continue
        for offset, text in enumerate(block.output.content.splitlines()):
            if NUMBER.search(text):
                number = block.output.code_line + offset
                lines[number - 1] = _bump(lines[number - 1])
                path.write_text("\n".join(lines), "utf8")
                return number
    raise AssertionError(f"{path}: no stored count or shape to plant an error in")


def plant_in_notebook(path: Path) -> int:
    """Change one digit in the first stored shape of the notebook; return its file line."""
    lines = path.read_text("utf8").split("\n")
    for number, text in enumerate(lines, start=1):
        if '"text": [' in lines[number - 2] and NUMBER.search(text):
            lines[number - 1] = _bump(text)
            path.write_text("\n".join(lines), "utf8")
            return number
    raise AssertionError(f"{path}: no stored shape to plant an error in")


def _outputs(path: Path) -> list[list[str]]:
    cells = nbformat.read(path, as_version=4).cells
    return [sanitize(normalize(output_text(c.outputs))) for c in cells if c.cell_type == "code"]


@pytest.mark.xdist_group("planted-errors")
def test_planted_digits_fail_at_their_line_and_update_repairs_them(pytester):
    files = {
        INLINE_PAGE: Path(INLINE_PAGE),
        SNIPPET_PAGE: Path(SNIPPET_PAGE),
        NOTEBOOK: Path(NOTEBOOK),
        "snippets/reference/standard_conv.py": Path("snippets/reference/standard_conv.py"),
    }
    tree = scratch_tree(pytester, files)
    planted = {
        INLINE_PAGE: plant_in_page(tree / INLINE_PAGE, include_block=False),
        SNIPPET_PAGE: plant_in_page(tree / SNIPPET_PAGE, include_block=True),
        NOTEBOOK: plant_in_notebook(tree / NOTEBOOK),
    }

    result = check(pytester)
    assert result.ret != 0
    report = result.stdout.str()
    for name, line in planted.items():
        assert f"{name}:{line}: stored output" in report, f"no failure reported at {name}:{line}\n{report}"
    # One test per run python block of the two pages, and one for the notebook: all but the three pass.
    blocks = [block for page in (INLINE_PAGE, SNIPPET_PAGE) for block in parse_page(tree / page).blocks]
    tests = sum(1 for block in blocks if block.kind != "untested")
    result.assert_outcomes(failed=3, passed=tests + 1 - 3)

    update(pytester).assert_outcomes(passed=tests + 1)
    for name in (INLINE_PAGE, SNIPPET_PAGE):
        assert (tree / name).read_text("utf8") == (ROOT / name).read_text("utf8"), f"update did not repair {name}"
    assert _outputs(tree / NOTEBOOK) == _outputs(ROOT / NOTEBOOK), "update did not repair the notebook"
