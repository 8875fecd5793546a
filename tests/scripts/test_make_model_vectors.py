"""scripts/make_model_vectors.py: the committed model vectors are what Keras computes today.

Building all 40 keras.applications models takes the generator minutes; here two small ones are
built afresh and must reproduce their committed entries exactly (config, every layer's output shape
and parameters, count_params), so that a change in Keras or in the generator shows up.
"""

from __future__ import annotations

import gzip
import json

import pytest

from doctools.paths import TESTS

VECTORS = TESTS / "calculator" / "model_vectors.json.gz"


@pytest.mark.parametrize("name", ["MobileNetV3Small", "NASNetMobile"])
def test_a_fresh_build_reproduces_the_committed_vectors(name):
    from scripts import make_model_vectors

    data = json.loads(gzip.decompress(VECTORS.read_bytes()))
    assert make_model_vectors.OUTPUT == VECTORS
    assert sorted(data["models"]) == make_model_vectors.MODELS
    assert make_model_vectors.vectors(name) == data["models"][name]
