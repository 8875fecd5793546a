"""Multiply-accumulates, the separable saving, MobileNet's Table 3 and memory of one layer (docs/cost/index.md)."""

# --8<-- [start:four_layers]
from fractions import Fraction
from math import prod

import keras

from snippets.conv_arithmetic import layer_info

C, N, k = 64, 128, 3  # input channels, filters (output channels), kernel size
shape = (None, 28, 28, C)  # batch, height, width, channels
configs = {
    "Conv2D": {"filters": N, "kernel_size": k, "padding": "same"},
    "DepthwiseConv2D": {"kernel_size": k, "padding": "same"},
    "SeparableConv2D": {"filters": N, "kernel_size": k, "padding": "same"},
    "Conv2DTranspose": {"filters": N, "kernel_size": k, "strides": 2, "padding": "same"},
}
infos = {name: layer_info(name, config, shape) for name, config in configs.items()}

# The formulas written out: P positions, each charged the whole kernel. The stride-1 'same'
# layers have P = 28 * 28 output positions; the transposed layer visits its 28 * 28 input positions.
P = 28 * 28
by_formula = {
    "Conv2D": P * k * k * C * N,
    "DepthwiseConv2D": P * k * k * C,
    "SeparableConv2D": P * k * k * C + P * C * N,  # depthwise step + pointwise (1x1) step
    "Conv2DTranspose": P * k * k * C * N,
}

print(f"{'layer':<16} {'output shape':<20} {'params':>7} {'MACs':>11}  = formula")
for name, info in infos.items():
    layer = getattr(keras.layers, name)(**configs[name])
    layer.build(shape)  # Keras agrees on the weights and the output shape
    assert info["params"] == layer.count_params()
    assert info["output_shape"] == tuple(layer.compute_output_shape(shape))
    print(
        f"{name:<16} {info['output_shape']!s:<20} {info['params']:>7,} {info['macs']:>11,}  "
        f"{info['macs'] == by_formula[name]}"
    )
# --8<-- [end:four_layers]

# --8<-- [start:transposed]
upsampled = infos["Conv2DTranspose"]["output_shape"]
conv_at_output = layer_info("Conv2D", configs["Conv2D"], (*upsampled[:3], C))
print(f"Conv2D computing each of the {upsampled[1]} x {upsampled[2]} outputs: {conv_at_output['macs']:,} MACs")
print("Conv2DTranspose / that Conv2D:", Fraction(infos["Conv2DTranspose"]["macs"], conv_at_output["macs"]))
# --8<-- [end:transposed]


# --8<-- [start:ratio]
def mac_ratio(filters, kernel_size, shape=(None, 28, 28, 64), depth_multiplier=1, **options):
    """MACs of a SeparableConv2D over those of a Conv2D with the same settings, as an exact fraction."""
    config = {"filters": filters, "kernel_size": kernel_size, "padding": "same", **options}
    separable = layer_info("SeparableConv2D", {**config, "depth_multiplier": depth_multiplier}, shape)["macs"]
    standard = layer_info("Conv2D", config, shape)["macs"]
    return Fraction(separable, standard)


print(f"{'N':>5} {'k':>2}  {'MACs ratio':>10}  {'1/N + 1/k^2':>11}  equal  standard / separable")
for N in (32, 128, 512, 1024):
    for k in (3, 5, 7):
        ratio, formula = mac_ratio(N, k), Fraction(1, N) + Fraction(1, k * k)
        print(f"{N:>5} {k:>2}  {ratio!s:>10}  {formula!s:>11}  {ratio == formula!s:<5}  {float(1 / ratio):.2f} x")
# --8<-- [end:ratio]

# --8<-- [start:ratio_settings]
# Neither the map size, the input channels, the stride nor the padding enters the ratio.
settings = [
    {"shape": (None, 7, 7, 3)},
    {"shape": (None, 112, 112, 256), "strides": 2},
    {"shape": (None, 30, 20, 48), "padding": "valid"},
]
print("same ratio for other inputs and settings:", all(mac_ratio(512, 3, **s) == mac_ratio(512, 3) for s in settings))
# With depth_multiplier m, both steps of the separable layer work on m times more channels.
m = 2
print(f"depth_multiplier={m}:", mac_ratio(512, 3, depth_multiplier=m) == Fraction(m, 512) + Fraction(m, 9))
# --8<-- [end:ratio_settings]

# --8<-- [start:table3]
# The internal MobileNet layer of the paper's Table 3: D_K = 3, M = N = 512, D_F = 14. Each row adds
# to the one before: separable instead of standard, then width multiplier 0.75 (512 -> 384
# channels), then resolution multiplier 0.714 (input 224 -> 160, so the 14x14 map becomes 10x10).
channels, size = 512, 14
narrow = int(channels * 0.75)
smaller = size * 160 // 224
rows = [
    ("Convolution", "Conv2D", channels, size),
    ("Depthwise Separable Conv", "SeparableConv2D", channels, size),
    ("alpha = 0.75", "SeparableConv2D", narrow, size),
    ("rho = 0.714", "SeparableConv2D", narrow, smaller),
]
# The paper's Table 3 (million mult-adds, million parameters), quoted for comparison.
published = {"Convolution": ("462", "2.36"), "Depthwise Separable Conv": ("52.3", "0.27")}
published |= {"alpha = 0.75": ("29.6", "0.15"), "rho = 0.714": ("15.1", "0.15")}

print(f"{'':<25} {'shape in':<16} {'MACs':>11} {'params':>9}   {'M mult-adds':>11} {'M params':>8}  as published")
for label, name, width, length in rows:
    shape = (None, length, length, width)
    config = {"filters": width, "kernel_size": 3, "padding": "same", "use_bias": False}  # BN follows: no bias
    info = layer_info(name, config, shape)
    layer = getattr(keras.layers, name)(**config)
    layer.build(shape)
    assert layer.count_params() == info["params"]  # Keras's own count
    # Rounded as the paper rounds: three significant digits, and two decimals of a million.
    as_paper = (f"{info['macs'] / 1e6:.3g}", f"{info['params'] / 1e6:.2f}")
    print(
        f"{label:<25} {'x'.join(map(str, shape[1:])):<16} {info['macs']:>11,} {layer.count_params():>9,}   "
        f"{as_paper[0]:>11} {as_paper[1]:>8}  {as_paper == published[label]}"
    )
# --8<-- [end:table3]


# --8<-- [start:memory]
def weight_bytes(params):
    """Bytes to store the weights: 4 per value in float32, 2 in float16, 1 in int8 (scales not counted)."""
    return {"float32": 4 * params, "float16": 2 * params, "int8": params}


shape = (None, 14, 14, 512)
config = {"filters": 512, "kernel_size": 3, "padding": "same", "use_bias": False}
print(f"{'':<16} {'params':>9}  {'float32':>10} {'float16':>10} {'int8':>10}   per example: in, out (float32)")
for name in ("Conv2D", "SeparableConv2D"):
    info = layer_info(name, config, shape)
    sizes = weight_bytes(info["params"])
    # Keras agrees on the bytes it allocates, in float32 and in float16.
    for dtype in ("float32", "float16"):
        layer = getattr(keras.layers, name)(**config, dtype=dtype)
        layer.build(shape)
        assert sum(w.numpy().nbytes for w in layer.weights) == sizes[dtype]
    values_in, values_out = prod(shape[1:]), prod(info["output_shape"][1:])
    print(
        f"{name:<16} {info['params']:>9,}  {sizes['float32']:>10,} {sizes['float16']:>10,} {sizes['int8']:>10,}   "
        f"{4 * values_in:,} B, {4 * values_out:,} B"
    )
# --8<-- [end:memory]
