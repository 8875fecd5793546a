"""Tests that read what a snippet computed, from the run its pages share (one run per session).

A test module is named for the snippet it checks: tests/snippets/guides/test_images.py reads
snippets/guides/images.py. Its tests take the ``ns`` fixture (tests/snippets/conftest.py), the
snippet's globals after it ran, and the module sets ``pytestmark = snippet_group(__file__)`` to stay
in the pytest-xdist group of the pages that include the snippet, so the snippet runs once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from doctools.paths import ROOT, SNIPPETS, TESTS


def snippet_of(test_module: str | Path) -> Path:
    """tests/snippets/<section>/test_<name>.py -> snippets/<section>/<name>.py (which must exist)."""
    relative = Path(test_module).resolve().relative_to(TESTS / "snippets")
    snippet = SNIPPETS / relative.parent / relative.name.removeprefix("test_")
    assert snippet.is_file(), f"{test_module} is named for {snippet.relative_to(ROOT)}, which does not exist"
    return snippet


def snippet_namespace(docs_engine, snippet: Path) -> dict:
    """The globals of a snippet after it ran; fails with the snippet's error."""
    run = docs_engine.snippet(snippet)
    assert run.failure is None, str(run.failure)
    return run.namespace


def snippet_group(test_module: str | Path):
    """The pytest-xdist group of the pages that include the module's snippet."""
    return pytest.mark.xdist_group(snippet_of(test_module).relative_to(ROOT).as_posix())
