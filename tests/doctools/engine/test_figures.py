"""Figures drawn by snippets: the check compares the stored file, and update rewrites it.

A snippet may set ``FIGURES = {path: text}``. The engine compares each stored file with the fresh
text at the first block that includes the snippet, and ``update`` writes it.
"""

from __future__ import annotations

import pytest

from tests.doctools.engine.inner_runs import check, scratch_tree, update

SNIPPET = """
# --8<-- [start:draw]
picture = "<svg><title>a square</title><rect width='2' height='2'/></svg>\\n"
FIGURES = {"docs/assets/square.svg": picture}
print(len(picture))
# --8<-- [end:draw]
"""
PAGE = '# Page\n\n```python\n--8<-- "snippets/draw.py:draw"\n```\n\n```output\n63\n```\n'


@pytest.mark.xdist_group("planted-errors")
def test_a_missing_or_stale_figure_fails_and_update_writes_it(pytester):
    tree = scratch_tree(pytester, {"snippets/draw.py": SNIPPET, "docs/page.md": PAGE})
    stored = tree / "docs/assets/square.svg"

    result = check(pytester)
    result.assert_outcomes(failed=1)
    assert "docs/page.md:4: the stored figure docs/assets/square.svg is missing" in result.stdout.str()

    update(pytester).assert_outcomes(passed=1)
    assert stored.read_text("utf8") == "<svg><title>a square</title><rect width='2' height='2'/></svg>\n"
    check(pytester).assert_outcomes(passed=1)

    stored.write_text(stored.read_text("utf8").replace("'2'", "'3'", 1), "utf8")
    result = check(pytester)
    result.assert_outcomes(failed=1)
    assert "the stored figure docs/assets/square.svg differs from a fresh render by snippets/draw.py" in (
        result.stdout.str()
    )


TOLERANT = """
# --8<-- [start:draw]
picture = "<svg><title>levels</title><!-- levels: 0 1 2 3 --></svg>\\n"


def matches(stored):
    levels = [int(v) for v in stored.split("levels: ")[1].split(" --")[0].split()]
    return all(abs(a - b) <= 1 for a, b in zip(levels, [0, 1, 2, 3], strict=True))


FIGURES = {"docs/assets/levels.svg": (picture, matches)}
print("drawn")
# --8<-- [end:draw]
"""


@pytest.mark.xdist_group("planted-errors")
def test_a_figure_of_varying_data_is_compared_by_its_data(pytester):
    page = '# Page\n\n```python\n--8<-- "snippets/draw.py:draw"\n```\n\n```output\ndrawn\n```\n'
    tree = scratch_tree(pytester, {"snippets/draw.py": TOLERANT, "docs/page.md": page})
    stored = tree / "docs/assets/levels.svg"
    stored.parent.mkdir(parents=True)
    stored.write_text("<svg><title>levels</title><!-- levels: 0 1 3 3 --></svg>\n", "utf8")  # within 1
    check(pytester).assert_outcomes(passed=1)
    stored.write_text("<svg><title>levels</title><!-- levels: 0 1 5 3 --></svg>\n", "utf8")  # not
    result = check(pytester)
    result.assert_outcomes(failed=1)
    assert "the stored figure docs/assets/levels.svg differs from a fresh render" in result.stdout.str()
    update(pytester).assert_outcomes(passed=1)
    assert "levels: 0 1 2 3" in stored.read_text("utf8")
