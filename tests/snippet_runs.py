"""Tests that read what a snippet computed, from the run the pages share (one run per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def snippet_namespace(docs_engine, name: str) -> dict:
    """The globals of ``snippets/<name>`` after it ran; fails with the snippet's error."""
    run = docs_engine.snippet(ROOT / "snippets" / name)
    assert run.failure is None, str(run.failure)
    return run.namespace


def same_run_as(name: str):
    """Keep a test in the pytest-xdist group of the pages that include ``snippets/<name>``."""
    return pytest.mark.xdist_group(f"snippets/{name}")
