"""The ``ns`` fixture: the globals of the snippet a test module is named for (see runs.py)."""

from __future__ import annotations

import pytest

from tests.snippets.runs import snippet_namespace, snippet_of


@pytest.fixture(scope="module")
def ns(request, docs_engine) -> dict:
    return snippet_namespace(docs_engine, snippet_of(request.path))
