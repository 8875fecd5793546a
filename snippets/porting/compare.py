# backends: torch
"""Each conv layer run in PyTorch and in Keras on the same weights (docs/reference/from-pytorch.md)."""

# --8<-- [start:setup]
import keras
import numpy as np
import torch

from snippets.porting.convert import batchnorm_settings, same_padding, torch_to_keras, transpose_crop

rng = np.random.default_rng(0)


def small_integers(*shape):
    """Values in -2..2: every float32 sum of such products is exact, in any order."""
    return rng.integers(-2, 3, size=shape).astype("float32")


def as_numpy(tensor):
    """A Keras output on the torch backend is a torch tensor. (keras.ops.convert_to_numpy calls
    np.array on it, which warns with torch 2.13 and numpy 2.4: torch's __array__ has no copy=.)"""
    return keras.ops.convert_to_tensor(tensor).detach().cpu().numpy()


def run_both(torch_layer, keras_layer, x):
    """x is channels-first, as PyTorch wants it; Keras gets it channels-last."""
    torch_layer.requires_grad_(False).weight.copy_(torch.from_numpy(small_integers(*torch_layer.weight.shape)))
    if torch_layer.bias is not None:
        torch_layer.bias.copy_(torch.from_numpy(small_integers(*torch_layer.bias.shape)))
    state = {name: value.numpy() for name, value in torch_layer.state_dict().items()}
    keras_layer.build((None, *x.shape[2:], x.shape[1]))
    keras_layer.set_weights(torch_to_keras(type(keras_layer).__name__, state, {"groups": torch_layer.groups}))
    expected = torch_layer(torch.from_numpy(x)).numpy()
    got = as_numpy(keras_layer(np.moveaxis(x, 1, -1)))
    return np.moveaxis(expected, 1, -1), got


def compare(name, expected, got):
    assert expected.shape == got.shape, (name, expected.shape, got.shape)
    difference = float(np.max(np.abs(expected - got)))
    assert difference <= 1e-5, (name, difference)
    print(f"{name:32} output {got.shape}, largest difference {difference:.0e}")


# --8<-- [end:setup]

# --8<-- [start:layouts]
for layer, shape, config in [
    ("Conv2D", (16, 4, 3, 3), {"groups": 2}),
    ("Conv2DTranspose", (8, 16, 3, 3), {}),
    ("DepthwiseConv2D", (24, 1, 3, 3), {"groups": 8}),
]:
    kernel = torch_to_keras(layer, {"weight": small_integers(*shape)}, config)[0]
    print(f"{layer:16} PyTorch {shape} -> Keras {kernel.shape}")
# --8<-- [end:layouts]

# --8<-- [start:groups]
for rank, (torch_class, keras_class) in enumerate(
    [
        (torch.nn.Conv1d, keras.layers.Conv1D),
        (torch.nn.Conv2d, keras.layers.Conv2D),
        (torch.nn.Conv3d, keras.layers.Conv3D),
    ],
    start=1,
):
    x = small_integers(2, 8, *[9] * rank)  # 8 channels, 9 steps along each axis
    torch_layer = torch_class(8, 12, kernel_size=3, stride=2, groups=4)
    keras_layer = keras_class(12, kernel_size=3, strides=2, groups=4)
    compare(f"{keras_class.__name__}, groups=4", *run_both(torch_layer, keras_layer, x))
# --8<-- [end:groups]

# --8<-- [start:depthwise]
x = small_integers(2, 8, 9, 9)
torch_layer = torch.nn.Conv2d(8, 8 * 3, kernel_size=3, groups=8)  # groups = in_channels
keras_layer = keras.layers.DepthwiseConv2D(kernel_size=3, depth_multiplier=3)
compare("DepthwiseConv2D, multiplier 3", *run_both(torch_layer, keras_layer, x))
# --8<-- [end:depthwise]

# --8<-- [start:separable]
x = small_integers(2, 8, 9, 9)
depthwise = torch.nn.Conv2d(8, 8 * 2, kernel_size=3, groups=8, bias=False).requires_grad_(False)
pointwise = torch.nn.Conv2d(8 * 2, 16, kernel_size=1).requires_grad_(False)
for weight in (depthwise.weight, pointwise.weight, pointwise.bias):
    weight.copy_(torch.from_numpy(small_integers(*weight.shape)))
state = {
    f"{part}.{name}": value.numpy()
    for part, module in [("depthwise", depthwise), ("pointwise", pointwise)]
    for name, value in module.state_dict().items()
}
separable = keras.layers.SeparableConv2D(16, kernel_size=3, depth_multiplier=2)
separable.build((None, 9, 9, 8))
separable.set_weights(torch_to_keras("SeparableConv2D", state, {"groups": 8}))
expected = pointwise(depthwise(torch.from_numpy(x))).numpy()
got = as_numpy(separable(np.moveaxis(x, 1, -1)))
compare("SeparableConv2D", np.moveaxis(expected, 1, -1), got)
# --8<-- [end:separable]

# --8<-- [start:transposed]
for rank, (torch_class, keras_class) in enumerate(
    [
        (torch.nn.ConvTranspose1d, keras.layers.Conv1DTranspose),
        (torch.nn.ConvTranspose2d, keras.layers.Conv2DTranspose),
        (torch.nn.ConvTranspose3d, keras.layers.Conv3DTranspose),
    ],
    start=1,
):
    for kernel, stride, padding, dilation, output_padding in [
        (3, 2, "valid", 1, 1),
        (3, 2, "same", 1, None),
        (4, 2, "same", 1, None),
        (3, 3, "same", 1, 2),
        (3, 1, "same", 2, None),
        (2, 3, "valid", 1, None),
    ]:
        extra, start, end = transpose_crop(kernel, stride, padding, dilation, output_padding)
        x = small_integers(2, 4, *[5] * rank)
        torch_layer = torch_class(4, 6, kernel, stride=stride, dilation=dilation, output_padding=extra)
        keras_layer = keras_class(
            6, kernel, strides=stride, padding=padding, dilation_rate=dilation, output_padding=output_padding
        )
        expected, got = run_both(torch_layer, keras_layer, x)
        cut = (slice(None), *[slice(start, expected.shape[axis] - end) for axis in range(1, rank + 1)])
        compare(f"{keras_class.__name__} {kernel}/{stride}/{padding}/{dilation}/{output_padding}", expected[cut], got)
# --8<-- [end:transposed]

# --8<-- [start:transposed_naive]
x = small_integers(1, 4, 5, 5)
torch_layer = torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1)
keras_layer = keras.layers.Conv2DTranspose(6, 3, strides=2, padding="same")
expected, got = run_both(torch_layer, keras_layer, x)
print("same shape:", expected.shape == got.shape, "largest difference:", float(np.max(np.abs(expected - got))))
# --8<-- [end:transposed_naive]

# --8<-- [start:padding]
for stride in (1, 2):
    x = small_integers(1, 4, 8, 8)
    torch_layer = torch.nn.Conv2d(4, 6, 3, stride=stride, padding=3 // 2)
    keras_layer = keras.layers.Conv2D(6, 3, strides=stride, padding="same")
    expected, got = run_both(torch_layer, keras_layer, x)
    print(
        f"stride {stride}: Keras 'same' pads {same_padding(8, 3, stride)},",
        "largest difference to PyTorch padding=1:",
        float(np.max(np.abs(expected - got))),
    )
# --8<-- [end:padding]

# --8<-- [start:padding_fix]
x = small_integers(1, 4, 8, 8)
torch_layer = torch.nn.Conv2d(4, 6, 3, stride=2, padding=1)
keras_conv = keras.layers.Conv2D(6, 3, strides=2, padding="valid")
keras_layer = keras.Sequential([keras.layers.ZeroPadding2D(padding=((1, 1), (1, 1))), keras_conv])
keras_conv.build((None, 10, 10, 4))
for weight in (torch_layer.requires_grad_(False).weight, torch_layer.bias):
    weight.copy_(torch.from_numpy(small_integers(*weight.shape)))
state = {name: value.numpy() for name, value in torch_layer.state_dict().items()}
keras_conv.set_weights(torch_to_keras("Conv2D", state))
expected = np.moveaxis(torch_layer(torch.from_numpy(x)).numpy(), 1, -1)
compare("ZeroPadding2D(1) + valid", expected, as_numpy(keras_layer(np.moveaxis(x, 1, -1))))
# --8<-- [end:padding_fix]

# --8<-- [start:channels_first]
x = small_integers(2, 8, 9, 9)
torch_layer = torch.nn.Conv2d(8, 12, 3, groups=2).requires_grad_(False)
keras_layer = keras.layers.Conv2D(12, 3, groups=2, data_format="channels_first")
keras_layer.build((None, 8, 9, 9))
state = {name: value.numpy() for name, value in torch_layer.state_dict().items()}
keras_layer.set_weights(torch_to_keras("Conv2D", state))  # the kernel layout does not change
expected = torch_layer(torch.from_numpy(x)).numpy()
compare("Conv2D, channels_first", expected, as_numpy(keras_layer(x)))
# --8<-- [end:channels_first]

# --8<-- [start:batchnorm]
x = rng.normal(size=(4, 8, 5, 5)).astype("float32")
torch_bn = torch.nn.BatchNorm2d(8)  # momentum=0.1, eps=1e-05
print("PyTorch:", {"momentum": torch_bn.momentum, "eps": torch_bn.eps}, "-> Keras:", batchnorm_settings())
default = keras.layers.BatchNormalization()
print("Keras's defaults:", {"momentum": default.momentum, "epsilon": default.epsilon})
keras_bn = keras.layers.BatchNormalization(**batchnorm_settings())
keras_bn.build((None, 5, 5, 8))
keras_bn.set_weights(torch_to_keras("BatchNormalization", {k: v.numpy() for k, v in torch_bn.state_dict().items()}))
torch_bn.train()
keras_bn(np.moveaxis(x, 1, -1), training=True)  # one training step each: the moving statistics move
with torch.no_grad():
    torch_bn(torch.from_numpy(x))
mean_difference = np.max(np.abs(torch_bn.running_mean.numpy() - as_numpy(keras_bn.moving_mean)))
# Both start at variance 1 and move by (1 - Keras momentum) times the batch's variance, minus 1:
# PyTorch takes the unbiased variance of the n values per channel, Keras the biased one.
step = 1 - batchnorm_settings()["momentum"]
keras_variance = as_numpy(keras_bn.moving_variance)
ratio = (torch_bn.running_var.numpy() - (1 - step)) / (keras_variance - (1 - step))
n = x.size // x.shape[1]
assert np.allclose(ratio, n / (n - 1), rtol=1e-4)
print(f"moving mean, largest difference {mean_difference:.0e}")
print(f"moving variance update, PyTorch / Keras: {ratio.mean():.4f} = n / (n - 1) for n = {n}")
torch_bn.eval()  # inference: both normalise with the moving statistics and the same epsilon
keras_bn.set_weights(torch_to_keras("BatchNormalization", {k: v.numpy() for k, v in torch_bn.state_dict().items()}))
with torch.no_grad():
    expected = np.moveaxis(torch_bn(torch.from_numpy(x)).numpy(), 1, -1)
compare("BatchNormalization, inference", expected, as_numpy(keras_bn(np.moveaxis(x, 1, -1))))
# --8<-- [end:batchnorm]
