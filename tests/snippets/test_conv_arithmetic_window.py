"""window_map and channel_map of snippets/conv_arithmetic.py against Keras's links.

Every vector of ``tests/calculator/window-vectors.json`` is what Keras computed on one-hot inputs
with one-hot kernels (``scripts/make_window_vectors.py``); the JavaScript twins ``windowMap`` and
``channelMap`` are checked against the same file by ``tests/calculator/window-map.test.mjs``, so the
two modules agree wherever Keras has spoken. Pure Python: no Keras.
"""

from __future__ import annotations

import copy
import json

import pytest

from doctools.paths import TESTS
from snippets.conv_arithmetic import CONVOLUTIONS, channel_map, layer_info, window_map

DATA = json.loads((TESTS / "calculator" / "window-vectors.json").read_text("utf8"))


def per_axis(value, rank: int) -> list[int]:
    return list(value) if isinstance(value, list) else [1 if value is None else value] * rank


def window_mismatch(v: dict) -> str | None:
    """How window_map disagrees with one Keras vector, or None."""
    rank = CONVOLUTIONS[v["layer"]][1]
    got = window_map(v["layer"], v["config"], v["input_shape"])
    if list(got["output_shape"]) != v["output_shape"]:
        return f"output shape {got['output_shape']} != {v['output_shape']}"
    links = [[*o, *i, *t] for o, i, t in got["links"]]
    if links != sorted(links):
        return "links are not sorted by output, then input"
    if links != v["links"]:
        missing = [link for link in v["links"] if link not in links][:3]
        extra = [link for link in links if link not in v["links"]][:3]
        return f"links differ: Keras has {missing} that window_map lacks; window_map has {extra} that Keras lacks"
    transposed = CONVOLUTIONS[v["layer"]][0] == "transposed"
    strides, dilation = per_axis(v["config"].get("strides"), rank), per_axis(v["config"].get("dilation_rate"), rank)
    kernel = per_axis(v["config"]["kernel_size"], rank)
    for axis, (before, after) in enumerate(got["padding"]):
        s, d = strides[axis], dilation[axis]
        implied = {
            (i * s + t * d - o) if transposed else (o * s + t * d - i)
            for o, i, t in ((link[axis], link[rank + axis], link[2 * rank + axis]) for link in v["links"])
        }
        if implied and implied != {before}:
            return f"axis {axis}: padding before is {before}, Keras's links imply {sorted(implied)}"
        n, m = v["input_shape"][1 + axis], v["output_shape"][1 + axis]
        extent = (kernel[axis] - 1) * d + 1
        if transposed and before + m + after != (n - 1) * s + extent:
            return f"axis {axis}: cropping {before, after} does not close the full output"
        if not transposed and not 0 <= before + n + after - ((m - 1) * s + extent) < s:
            return f"axis {axis}: padding {before, after} does not fit the windows"
    return None


def channel_mismatch(v: dict) -> str | None:
    got = channel_map(v["layer"], v["config"], v["input_shape"])
    if (got["in_channels"], got["out_channels"]) != (v["input_shape"][-1], v["output_shape"][-1]):
        return f"channels {got['in_channels']} -> {got['out_channels']}"
    stages = [{"kernel": s["kernel"], "links": [list(link) for link in s["links"]]} for s in got["stages"]]
    if stages != v["stages"]:
        return f"stages {stages} != Keras's {v['stages']}"
    return None


@pytest.mark.parametrize("layer", list(CONVOLUTIONS))
def test_window_map_agrees_with_every_keras_vector(layer):
    vectors = [v for v in DATA["windows"] if v["layer"] == layer]
    assert len(vectors) >= 40
    failures = [f"{v['config']} on {v['input_shape']}: {why}" for v in vectors if (why := window_mismatch(v))]
    assert not failures, "\n".join(failures[:10])


def test_channel_map_agrees_with_every_keras_vector():
    assert {CONVOLUTIONS[v["layer"]][0] for v in DATA["channels"]} == {
        "standard",
        "depthwise",
        "separable",
        "transposed",
    }
    failures = [f"{v['layer']} {v['config']}: {why}" for v in DATA["channels"] if (why := channel_mismatch(v))]
    assert not failures, "\n".join(failures[:10])


def test_same_puts_the_extra_zero_after_and_causal_all_before():
    assert window_map("Conv1D", {"filters": 1, "kernel_size": 4, "padding": "same"}, (None, 7, 1))["padding"] == (
        (1, 2),
    )
    causal = {"filters": 1, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}
    assert window_map("Conv1D", causal, (None, 8, 1))["padding"] == ((4, 0),)
    transposed = {"filters": 1, "kernel_size": 3, "strides": 2, "output_padding": 1}
    assert window_map("Conv1DTranspose", transposed, (None, 4, 1))["padding"] == ((0, -1),)


# Each check can fail: a vector changed in one place no longer matches.
def mutations(v: dict):
    dropped = copy.deepcopy(v)
    dropped["links"].pop()
    yield "a link dropped", dropped
    moved = copy.deepcopy(v)
    moved["links"][0][0] += 1
    moved["links"].sort()
    yield "a link moved", moved
    shape = copy.deepcopy(v)
    shape["output_shape"][1] += 1
    yield "the output shape", shape


def test_each_check_can_fail():
    vector = next(v for v in DATA["windows"] if v.get("id") == "conv1d-same-even")
    assert window_mismatch(vector) is None
    for what, changed in mutations(vector):
        assert window_mismatch(changed), what
    wiring = next(v for v in DATA["channels"] if v["layer"] == "SeparableConv2D")
    assert channel_mismatch(wiring) is None
    changed = copy.deepcopy(wiring)
    changed["stages"][0]["links"][0][0] += 1
    assert channel_mismatch(changed)
    changed = copy.deepcopy(wiring)
    changed["output_shape"][-1] += 1
    assert channel_mismatch(changed)


# (layer, config, input shape, the argument the message starts with, whether layer_info raises too)
REJECTED = [
    ("Conv2D", {"filters": 1, "kernel_size": 3}, (None, None, 5, 1), "input_shape", False),
    ("Conv1DTranspose", {"filters": 1, "kernel_size": 3}, (None, None, 1), "input_shape", False),
    ("MaxPooling2D", {}, (None, 4, 4, 1), "layer_name", False),
    ("Conv2D", {"filters": 1, "kernel_size": 5}, (None, 3, 3, 1), "kernel_size", True),
    ("Conv2D", {"filters": 1, "kernel_size": 3, "padding": "causal"}, (None, 5, 5, 1), "padding", True),
    (
        "Conv1DTranspose",
        {"filters": 1, "kernel_size": 3, "strides": 2, "output_padding": 2},
        (None, 4, 1),
        "output_padding",
        True,
    ),
    (
        "Conv2DTranspose",
        {"filters": 1, "kernel_size": 2, "padding": "same", "output_padding": 0},
        (None, 3, 3, 1),
        "output_padding",
        True,
    ),
    ("Conv1D", {"filters": 1, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 9, 1), "strides", True),
    ("Conv2D", {"filters": 1, "kernel_size": 3}, (None, 5, 5), "input_shape", True),
    ("Conv7D", {"filters": 1, "kernel_size": 3}, (None, 5, 1), "layer_name", True),
]


@pytest.mark.parametrize(("layer", "config", "shape", "argument", "layer_info_too"), REJECTED)
def test_window_map_raises_where_it_cannot_map(layer, config, shape, argument, layer_info_too):
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        window_map(layer, config, shape)
    if layer_info_too:
        with pytest.raises(ValueError, match=rf"^{argument}: "):
            layer_info(layer, config, shape)
    else:
        layer_info(layer, config, shape)


def test_channel_map_raises_where_layer_info_does():
    with pytest.raises(ValueError, match=r"^groups: "):
        channel_map("Conv2D", {"filters": 4, "kernel_size": 1, "groups": 3}, (None, 1, 1, 6))
    with pytest.raises(ValueError, match=r"^layer_name: "):
        channel_map("Dense", {"units": 3}, (None, 4))
