"""Keras's answers for the calculator (vectors.json, made by `python scripts/dev.py calculator-vectors`).

One loader and one way of checking a list of vectors, for the tests of both formula modules and of
the calculator page.
"""

from __future__ import annotations

import json

from doctools.paths import TESTS

PATH = TESTS / "calculator" / "vectors.json"
DATA = json.loads(PATH.read_text("utf8"))
VECTORS = DATA["vectors"]
LAYERS = list(DATA["arguments"])


def described(v: dict) -> str:
    """A vector as a reader reads it: its name, or its layer, config and input shape."""
    return v.get("id") or f"{v['layer']}({json.dumps(v['config'])}) on {json.dumps(v['input_shape'])}"


def check_all(vectors: list[dict], check) -> None:
    """Run ``check`` (a problem string, or None) on every vector; fail once, listing the failures."""
    assert vectors, "no vectors to check"
    failures = [f"{described(v)}: {problem}" for v in vectors if (problem := check(v))]
    assert not failures, f"{len(failures)} of {len(vectors)} vectors disagree:\n" + "\n".join(failures[:20])
