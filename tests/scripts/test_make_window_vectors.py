"""scripts/make_window_vectors.py: the committed window vectors are what Keras computes today.

The whole file takes the generator about a minute; here a fresh Keras run of a subset (the named
examples, every 20th random vector and every 6th channel vector) must reproduce the committed
vectors exactly, so that a change in Keras (or in the generator) that moves a link shows up.
"""

from __future__ import annotations

import copy
import json

import pytest

from doctools.paths import TESTS

VECTORS = TESTS / "calculator" / "window-vectors.json"


@pytest.fixture(scope="module")
def generator():
    from scripts import make_window_vectors

    return make_window_vectors


@pytest.fixture(scope="module")
def data():
    return json.loads(VECTORS.read_text("utf8"))


def fresh(generator, v: dict) -> dict:
    """Keras's answer for the vector's layer, config and input shape, in the vector's form."""
    if "stages" in v:
        return generator.channels(v["layer"], v["config"], v["input_shape"])
    return generator.windows(v["layer"], v["config"], v["input_shape"])


def stored(v: dict) -> dict:
    return {key: value for key, value in v.items() if key != "id"}


def test_the_file_was_written_by_this_generator_and_keras(generator, data):
    import keras

    assert data["meta"] == {
        "generator": "scripts/make_window_vectors.py",
        "keras": keras.__version__,
        "backend": "tensorflow",
        "seed": generator.SEED,
    }
    assert [v["id"] for v in data["windows"][: len(generator.EXAMPLES)]] == [e[0] for e in generator.EXAMPLES]
    assert len(data["windows"]) == len(generator.EXAMPLES) + generator.PER_LAYER * len(generator.LAYERS)


def test_a_fresh_keras_run_reproduces_a_subset(generator, data):
    examples = len(generator.EXAMPLES)
    subset = data["windows"][:examples] + data["windows"][examples::20] + data["channels"][::6]
    assert len(subset) > 50
    differ = [stored(v) for v in subset if fresh(generator, v) != stored(v)]
    assert not differ, f"{len(differ)} committed vectors differ from Keras's answer today, first: {differ[0]}"


def test_the_comparison_can_fail(generator, data):
    vector = copy.deepcopy(next(v for v in data["windows"] if v.get("id") == "conv1d-same-even"))
    assert fresh(generator, vector) == stored(vector)
    vector["config"]["padding"] = "valid"  # Keras connects this config differently
    assert fresh(generator, vector) != stored(vector)
    wiring = copy.deepcopy(next(v for v in data["channels"] if v["layer"] == "DepthwiseConv2D"))
    wiring["stages"][0]["links"].pop()
    assert fresh(generator, wiring) != stored(wiring)
