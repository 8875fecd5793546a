"""pytest-xdist's loadgroup keeps each group in one worker.

The engine relies on it: the blocks of a page, and the pages and tests that use one snippet,
share a group, so that each chain of blocks and each snippet runs once per test run.
"""

import pytest


@pytest.mark.xdist_group("loadgroup-check")
def test_grouped_tests_carry_their_group(request, worker_id):
    if worker_id == "master":
        pytest.skip("only a run with pytest-xdist workers groups tests")
    assert request.node.nodeid.endswith("@loadgroup-check"), (
        "pytest-xdist did not attach the xdist_group to the test id, so --dist=loadgroup would scatter "
        "a page's blocks over workers and run chains and snippets more than once"
    )
