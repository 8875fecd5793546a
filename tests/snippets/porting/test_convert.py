"""snippets/porting/convert.py without PyTorch: the layouts against Keras's own weights and shapes.

The rules are checked here against Keras (weight shapes, where each tap lands, the "same" padding
and the transposed output lengths); tests/snippets/porting/test_compare.py checks them against real
PyTorch modules in the torch run.
"""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from snippets.porting.convert import batchnorm_settings, same_padding, torch_to_keras, transpose_crop

rng = np.random.default_rng(0)


def keras_shapes(layer, rank_input):
    layer.build(rank_input)
    return [tuple(w.shape) for w in layer.weights]


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("groups", [1, 2, 4])
def test_conv_layout(rank, groups):
    layer = getattr(keras.layers, f"Conv{rank}D")(8, 3, groups=groups)
    torch_weight = rng.normal(size=(8, 8 // groups, *[3] * rank))
    kernel, bias = torch_to_keras(type(layer).__name__, {"weight": torch_weight, "bias": np.zeros(8)})
    assert [kernel.shape, bias.shape] == keras_shapes(layer, (None, *[9] * rank, 8))
    # PyTorch's weight[out, in, *taps] is Keras's kernel[*taps, in, out]
    for out, inp, *taps in itertools.product(range(8), range(8 // groups), *[range(3)] * rank):
        assert kernel[(*taps, inp, out)] == torch_weight[(out, inp, *taps)]


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_transposed_layout(rank):
    layer = getattr(keras.layers, f"Conv{rank}DTranspose")(6, 2, use_bias=False)
    torch_weight = rng.normal(size=(4, 6, *[2] * rank))  # (in, out, *taps)
    [kernel] = torch_to_keras(type(layer).__name__, {"weight": torch_weight, "bias": None})
    assert [kernel.shape] == keras_shapes(layer, (None, *[5] * rank, 4))
    for inp, out, *taps in itertools.product(range(4), range(6), *[range(2)] * rank):
        assert kernel[(*taps, out, inp)] == torch_weight[(inp, out, *taps)]


@pytest.mark.parametrize("rank", [1, 2])
@pytest.mark.parametrize("multiplier", [1, 3])
def test_depthwise_layout(rank, multiplier):
    layer = getattr(keras.layers, f"DepthwiseConv{rank}D")(3, depth_multiplier=multiplier)
    torch_weight = rng.normal(size=(5 * multiplier, 1, *[3] * rank))
    kernel, bias = torch_to_keras(
        type(layer).__name__, {"weight": torch_weight, "bias": np.zeros(5 * multiplier)}, {"groups": 5}
    )
    assert [kernel.shape, bias.shape] == keras_shapes(layer, (None, *[7] * rank, 5))
    # PyTorch's output channel c*m + j is Keras's channel c, multiplier j: the order of Keras's outputs
    for channel, j, *taps in itertools.product(range(5), range(multiplier), *[range(3)] * rank):
        assert kernel[(*taps, channel, j)] == torch_weight[(channel * multiplier + j, 0, *taps)]


def test_depthwise_output_order_is_keras_order():
    """Keras's output channel c*m + j comes from input channel c: set one tap, see which output lights up."""
    layer = keras.layers.DepthwiseConv1D(1, depth_multiplier=2, use_bias=False)
    torch_weight = np.zeros((3 * 2, 1, 1), "float32")
    torch_weight[3, 0, 0] = 1.0  # PyTorch: output 3 = channel 1, multiplier 1
    layer.build((None, 1, 3))
    layer.set_weights(torch_to_keras("DepthwiseConv1D", {"weight": torch_weight}, {"groups": 3}))
    out = keras.ops.convert_to_numpy(layer(np.array([[[0.0, 1.0, 0.0]]], "float32")))
    assert out[0, 0].tolist() == [0, 0, 0, 1, 0, 0]


@pytest.mark.parametrize("use_bias", [True, False])
def test_separable_layout(use_bias):
    layer = keras.layers.SeparableConv2D(7, 3, depth_multiplier=2, use_bias=use_bias)
    entry = {"depthwise.weight": rng.normal(size=(10, 1, 3, 3)), "pointwise.weight": rng.normal(size=(7, 10, 1, 1))}
    if use_bias:
        entry["pointwise.bias"] = rng.normal(size=7)
    weights = torch_to_keras("SeparableConv2D", entry, {"groups": 5})
    assert [w.shape for w in weights] == keras_shapes(layer, (None, 9, 9, 5))


KERAS_NAMES = {"weight": "gamma", "bias": "beta", "running_mean": "moving_mean", "running_var": "moving_variance"}


def test_batchnorm():
    layer = keras.layers.BatchNormalization(**batchnorm_settings(0.1, 1e-5))
    assert (layer.momentum, layer.epsilon) == pytest.approx((0.9, 1e-5))
    entry = {name: rng.normal(size=6) for name in ("weight", "bias", "running_mean", "running_var")}
    weights = torch_to_keras("BatchNormalization", entry)
    layer.build((None, 4, 6))
    layer.set_weights(weights)  # gamma, beta, moving mean, moving variance
    for variable, value, name in zip(
        layer.weights, layer.get_weights(), ("weight", "bias", "running_mean", "running_var"), strict=True
    ):
        assert variable.path.endswith(KERAS_NAMES[name])
        np.testing.assert_array_equal(value, entry[name].astype("float32"))


@pytest.mark.parametrize(
    ("layer", "entry", "config", "message"),
    [
        ("Conv2DTranspose", {"weight": np.zeros((4, 2, 3, 3))}, {"groups": 2}, "has no groups"),
        ("DepthwiseConv2D", {"weight": np.zeros((6, 2, 3, 3))}, {"groups": 3}, "not a depthwise kernel"),
        ("DepthwiseConv2D", {"weight": np.zeros((7, 1, 3, 3))}, {"groups": 3}, "not a depthwise kernel"),
        ("Dense", {"weight": np.zeros((4, 2))}, {}, "no conversion for 'Dense'"),
    ],
)
def test_errors(layer, entry, config, message):
    with pytest.raises(ValueError, match=message):
        torch_to_keras(layer, entry, config)


@pytest.mark.parametrize(
    ("length", "kernel", "stride", "dilation"), list(itertools.product([7, 8, 9], [1, 2, 3, 4], [1, 2, 3], [1, 2]))
)
def test_same_padding_is_keras_same(length, kernel, stride, dilation):
    """ZeroPadding1D(same_padding(...)) then "valid" gives Keras's "same" output, value for value."""
    if stride > 1 and dilation > 1:
        return  # Keras rejects the combination
    x = rng.integers(-2, 3, size=(1, length, 2)).astype("float32")
    same = keras.layers.Conv1D(3, kernel, strides=stride, dilation_rate=dilation, padding="same")
    valid = keras.layers.Conv1D(3, kernel, strides=stride, dilation_rate=dilation)
    padded = keras.layers.ZeroPadding1D(same_padding(length, kernel, stride, dilation))(x)
    same.build(x.shape)
    valid.build(padded.shape)
    weights = [rng.integers(-2, 3, size=w.shape).astype("float32") for w in same.weights]  # exact sums
    same.set_weights(weights)
    valid.set_weights(weights)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(valid(padded)), keras.ops.convert_to_numpy(same(x)))


@pytest.mark.parametrize(
    ("kernel", "stride", "padding", "dilation", "output_padding"),
    [
        (k, s, p, d, op)
        for k, s, p, d in itertools.product([1, 2, 3, 4, 5], [1, 2, 3], ["valid", "same"], [1, 2])
        for op in [None, *range(s)]
        if s == 1 or d == 1
    ],
)
def test_transpose_crop_gives_keras_length(kernel, stride, padding, dilation, output_padding):
    """PyTorch's length with padding=0, (n-1)*s + d*(k-1) + 1 + output_padding, less the crop, is Keras's."""
    extra, start, end = transpose_crop(kernel, stride, padding, dilation, output_padding)
    assert extra < max(stride, dilation), "PyTorch accepts output_padding < max(stride, dilation) only"
    assert min(extra, start, end) >= 0
    layer = keras.layers.Conv1DTranspose(
        2, kernel, strides=stride, padding=padding, dilation_rate=dilation, output_padding=output_padding
    )
    for n in (1, 4, 5):
        torch_length = (n - 1) * stride + dilation * (kernel - 1) + 1 + extra
        assert torch_length - start - end == layer.compute_output_shape((None, n, 3))[1]
