"""Warnings Keras raises from its own modules on one backend (doctools.backends.LIBRARY_WARNINGS).

Docs code runs with every warning as an error. The known ones pass only when Keras's own module
raises them: the same call written in docs code still fails its block. Once Keras stops raising
one, the first test fails, and its entry is removed.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from doctools import backends
from doctools.engine.execution import fresh_namespace, run_code

pytestmark = [pytest.mark.backends("jax", "torch"), pytest.mark.xdist_group("library-warnings")]

KNOWN = backends.library_warnings()
PAGE = Path("docs/page.md")


def module_file(module: str) -> str:
    return module.replace(".", "/") + ".py"


@pytest.mark.parametrize("known", KNOWN, ids=lambda known: known.module)
def test_keras_still_raises_it(known):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(known.trigger, {"__name__": "__main__"})
    raised = [(w.category, str(w.message), Path(w.filename).as_posix()) for w in caught]
    assert any(
        category is known.category and re.match(known.message, message) and filename.endswith(module_file(known.module))
        for category, message, filename in raised
    ), f"Keras no longer raises it: remove it from doctools/backends.py ({raised})"


@pytest.mark.parametrize("known", KNOWN, ids=lambda known: known.module)
def test_docs_code_that_triggers_it_inside_keras_passes(known):
    outcome = run_code(known.trigger, PAGE, 1, fresh_namespace(PAGE))
    assert outcome.error is None, outcome.error_text


def test_the_same_call_in_docs_code_fails_at_its_line():
    code = "import keras\nimport numpy as np\nlayer = keras.layers.Dense(2)\nlayer.build((None, 3))\n"
    code += "np.array(layer.kernel)\n"
    outcome = run_code(code, PAGE, 10, fresh_namespace(PAGE))
    assert isinstance(outcome.error, DeprecationWarning)
    assert outcome.error_line == 14
