"""The Python module and the calculator's JavaScript agree, judged by the same Keras vectors.

``snippets/conv_arithmetic.py`` (``layer_info``) and ``docs/javascripts/conv-calculator.mjs``
(``layerInfo``, tested on these vectors by ``tests/calculator/conv-calculator.test.mjs``) are two
implementations of the same rules. Every vector in ``tests/calculator/vectors.json`` is Keras's
answer for one layer (``scripts/make_calculator_vectors.py``): its parameter count, weight shapes,
output shape and MACs, or the argument its error is about. Here ``layer_info`` must give the same
answer on every vector; so the two modules agree wherever Keras has spoken. Pure Python: no Keras.

One difference between the two modules is by design, and pinned here so that a change to either
shows up: some transposed layers (``padding="same"``, ``output_padding`` 0 on an axis whose dilated
kernel extent is even) pass Keras's shape checks but fail when TensorFlow runs them. Keras reports
their shapes, and the vectors keep those shapes with a ``backend_error``. The JavaScript returns
Keras's numbers with a warning about ``output_padding``; ``layer_info`` has no channel for warnings
and raises ``ValueError`` about ``output_padding`` instead.
"""

from __future__ import annotations

import pytest

from snippets.conv_arithmetic import CONVOLUTIONS, layer_info
from tests.calculator.vectors import LAYERS, VECTORS, check_all


def answer(v: dict) -> dict | ValueError:
    """layer_info's answer as plain lists (JSON's form), or the ValueError it raised."""
    try:
        info = layer_info(v["layer"], v["config"], v["input_shape"])
    except ValueError as error:
        return error
    return {
        "params": info["params"],
        "weight_shapes": [list(shape) for shape in info["weight_shapes"]],
        "output_shape": list(info["output_shape"]),
        "macs": info["macs"],
    }


def argument_of(error: ValueError) -> str:
    """The argument a message of layer_info is about: it starts with the argument's name."""
    return str(error).split(":", 1)[0]


def of_layer(layer: str, kind: str) -> list[dict]:
    return [v for v in VECTORS if v["layer"] == layer and kind in v]


def test_the_vectors_cover_every_layer():
    assert sorted(LAYERS) == sorted(CONVOLUTIONS)
    for layer in LAYERS:
        assert len(of_layer(layer, "expected")) >= 100, layer
        assert len(of_layer(layer, "error")) >= 40, layer


@pytest.mark.parametrize("layer", LAYERS)
def test_valid_vectors_give_kerass_numbers(layer):
    def check(v):
        got = answer(v)
        if isinstance(got, ValueError):
            return f"layer_info raised {got}; Keras: {v['expected']}"
        return None if got == v["expected"] else f"layer_info gives {got}; Keras: {v['expected']}"

    check_all([v for v in of_layer(layer, "expected") if "backend_error" not in v], check)


@pytest.mark.parametrize("layer", LAYERS)
def test_invalid_vectors_raise_valueerror_naming_kerass_argument(layer):
    def check(v):
        got = answer(v)
        if not isinstance(got, ValueError):
            return f"layer_info returned {got}; Keras: {v['error']}"
        if v["arg"] and argument_of(got) != v["arg"]:
            return f"layer_info names {argument_of(got)!r} ({got}); Keras names {v['arg']!r} ({v['error']})"
        return None

    check_all(of_layer(layer, "error"), check)


TRANSPOSED = [layer for layer in LAYERS if "Transpose" in layer]


@pytest.mark.parametrize("layer", TRANSPOSED)
def test_where_tensorflow_cannot_run_keras_the_python_module_raises(layer):
    """Keras gives shapes, the JavaScript gives them with a warning; layer_info raises (see above)."""
    backend = [v for v in of_layer(layer, "expected") if "backend_error" in v]

    def check(v):
        got = answer(v)
        if not isinstance(got, ValueError):
            return f"layer_info returned {got}; expected a ValueError about {v['backend_arg']}"
        return None if argument_of(got) == v["backend_arg"] else f"layer_info names {argument_of(got)!r}: {got}"

    check_all(backend, check)
