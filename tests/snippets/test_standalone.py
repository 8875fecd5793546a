"""Every file in snippets/ runs from top to bottom, as `python snippets/...py` would run it.

Pages that include a snippet check what each section prints; this test makes sure every
snippet runs even where no page includes it, and pytest-cov holds snippets/ to 100 % line
coverage. The run is shared with the pages (one run per snippet per test session).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from doctools.backends import snippet_backends
from doctools.paths import ROOT

SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))


def _param(path: Path):
    name = path.relative_to(ROOT).as_posix()
    marks = [pytest.mark.xdist_group(name)]
    # A snippet that needs a backend says so in its first lines (# backends: torch); other backends'
    # runs deselect it, count it, and leave it out of the coverage gate (doctools/backends.py).
    if (names := snippet_backends(path)) is not None:
        marks.append(pytest.mark.backends(*names))
    return pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in SNIPPETS])
def test_snippet_runs(path, docs_engine):
    run = docs_engine.snippet(path)
    assert run.failure is None, str(run.failure)
