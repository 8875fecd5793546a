"""The converter against real PyTorch modules (torch run only): outputs equal, on many configurations.

snippets/porting/compare.py shows one configuration per mapping on the page; these tests run the
same mappings over a grid. PyTorch is imported inside the fixture, so the TensorFlow run never
imports it while collecting.
"""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from snippets.porting.convert import same_padding, torch_to_keras, transpose_crop

pytestmark = pytest.mark.backends("torch")

rng = np.random.default_rng(0)


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def small_integers(*shape):
    return rng.integers(-2, 3, size=shape).astype("float32")


def as_numpy(tensor):
    return keras.ops.convert_to_tensor(tensor).detach().cpu().numpy()


def run_both(torch, torch_layer, keras_layer, x, config=None, torch_model=None):
    """Same integer weights in both; returns (PyTorch's output channels-last, Keras's output).

    torch_model, when given, is what runs in PyTorch (a Sequential around torch_layer)."""
    torch_layer.requires_grad_(False)
    for value in torch_layer.state_dict().values():
        value.copy_(torch.from_numpy(small_integers(*value.shape)))
    state = {name: value.numpy() for name, value in torch_layer.state_dict().items()}
    keras_layer.build((None, *x.shape[2:], x.shape[1]))
    keras_layer.set_weights(torch_to_keras(type(keras_layer).__name__, state, config))
    expected = np.moveaxis((torch_model or torch_layer)(torch.from_numpy(x)).numpy(), 1, -1)
    return expected, as_numpy(keras_layer(np.moveaxis(x, 1, -1)))


@pytest.mark.parametrize(
    ("rank", "kernel", "stride", "dilation", "groups", "bias"),
    [c for c in itertools.product([1, 2, 3], [1, 2, 3], [1, 2], [1, 2], [1, 2, 4], [True, False]) if 1 in c[2:4]],
)
def test_conv(torch, rank, kernel, stride, dilation, groups, bias):
    x = small_integers(2, 8, *[7] * rank)
    torch_layer = getattr(torch.nn, f"Conv{rank}d")(
        8, 12, kernel, stride=stride, dilation=dilation, groups=groups, bias=bias
    )
    keras_layer = getattr(keras.layers, f"Conv{rank}D")(
        12, kernel, strides=stride, dilation_rate=dilation, groups=groups, use_bias=bias
    )
    expected, got = run_both(torch, torch_layer, keras_layer, x, {"groups": groups})
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(
    ("rank", "kernel", "multiplier", "stride"), list(itertools.product([1, 2], [1, 3], [1, 2, 3], [1, 2]))
)
def test_depthwise(torch, rank, kernel, multiplier, stride):
    x = small_integers(2, 5, *[8] * rank)
    torch_layer = getattr(torch.nn, f"Conv{rank}d")(5, 5 * multiplier, kernel, stride=stride, groups=5)
    keras_layer = getattr(keras.layers, f"DepthwiseConv{rank}D")(kernel, strides=stride, depth_multiplier=multiplier)
    expected, got = run_both(torch, torch_layer, keras_layer, x, {"groups": 5})
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(("rank", "multiplier", "bias"), list(itertools.product([1, 2], [1, 2], [True, False])))
def test_separable(torch, rank, multiplier, bias):
    conv = getattr(torch.nn, f"Conv{rank}d")
    depthwise = conv(4, 4 * multiplier, 3, groups=4, bias=False).requires_grad_(False)
    pointwise = conv(4 * multiplier, 6, 1, bias=bias).requires_grad_(False)
    state = {}
    for part, module in [("depthwise", depthwise), ("pointwise", pointwise)]:
        for name, value in module.state_dict().items():
            value.copy_(torch.from_numpy(small_integers(*value.shape)))
            state[f"{part}.{name}"] = value.numpy()
    layer = getattr(keras.layers, f"SeparableConv{rank}D")(6, 3, depth_multiplier=multiplier, use_bias=bias)
    x = small_integers(2, 4, *[7] * rank)
    layer.build((None, *[7] * rank, 4))
    layer.set_weights(torch_to_keras(type(layer).__name__, state, {"groups": 4}))
    expected = np.moveaxis(pointwise(depthwise(torch.from_numpy(x))).numpy(), 1, -1)
    np.testing.assert_array_equal(as_numpy(layer(np.moveaxis(x, 1, -1))), expected)


@pytest.mark.parametrize(
    ("rank", "kernel", "stride", "padding", "dilation", "output_padding"),
    [
        (r, k, s, p, d, op)
        for r, k, s, p, d in itertools.product([1, 2, 3], [1, 2, 3, 4], [1, 2, 3], ["valid", "same"], [1, 2])
        for op in [None, *range(s)]
        if s == 1 or d == 1
    ],
)
def test_transposed(torch, rank, kernel, stride, padding, dilation, output_padding):
    extra, start, end = transpose_crop(kernel, stride, padding, dilation, output_padding)
    x = small_integers(1, 3, *[4] * rank)
    torch_layer = getattr(torch.nn, f"ConvTranspose{rank}d")(
        3, 5, kernel, stride=stride, dilation=dilation, output_padding=extra
    )
    keras_layer = getattr(keras.layers, f"Conv{rank}DTranspose")(
        5, kernel, strides=stride, padding=padding, dilation_rate=dilation, output_padding=output_padding
    )
    expected, got = run_both(torch, torch_layer, keras_layer, x)
    cut = (slice(None), *[slice(start, expected.shape[axis] - end) for axis in range(1, rank + 1)], slice(None))
    np.testing.assert_array_equal(got, expected[cut])


@pytest.mark.parametrize(("length", "kernel", "stride"), list(itertools.product([7, 8], [1, 2, 3, 4], [1, 2, 3])))
def test_same_as_torch_zero_pad(torch, length, kernel, stride):
    """Keras's "same" is PyTorch's ZeroPad1d(same_padding(...)) then padding=0."""
    x = small_integers(1, 3, length)
    torch_conv = torch.nn.Conv1d(3, 4, kernel, stride=stride)
    keras_layer = keras.layers.Conv1D(4, kernel, strides=stride, padding="same")
    pad = torch.nn.ZeroPad1d(same_padding(length, kernel, stride))
    expected, got = run_both(torch, torch_conv, keras_layer, x, torch_model=torch.nn.Sequential(pad, torch_conv))
    np.testing.assert_array_equal(got, expected)
