"""What the generated tables and formulas of the reference pages show.

This is page content: the example layers of each table, the formulas of each family (as Python
expressions over ``NAMES``, and the parameter formula as LaTeX), and the length formulas. Edit it
to change what a table shows; ``doctools/extensions/conv_tables.py`` renders it and stops the build
if any formula here disagrees with ``snippets/conv_arithmetic.py`` on the examples, and
``tests/doctools/test_conv_tables.py`` compares every row with Keras.
"""

from __future__ import annotations

from typing import NamedTuple

from doctools.literals import py
from snippets import conv_arithmetic


class Example(NamedTuple):
    layer: str
    config: dict
    input_shape: tuple

    @property
    def call(self) -> str:
        """The constructor call as a reader writes it: Conv2D(64, (3, 3), strides=2)."""
        leading = ("filters", "kernel_size")
        positional = [py(self.config[key]) for key in leading if key in self.config]
        keywords = [f"{key}={py(value)}" for key, value in self.config.items() if key not in leading]
        return f"{self.layer}({', '.join(positional + keywords)})"

    def info(self) -> dict:
        return conv_arithmetic.layer_info(self.layer, self.config, self.input_shape)


SEQUENCE, IMAGE, SMALL_IMAGE = (None, 100, 64), (None, 128, 128, 3), (None, 64, 64, 3)

CONV_EXAMPLES = [
    Example("Conv1D", {"filters": 32, "kernel_size": 3}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "padding": "same"}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "strides": 2}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "groups": 4}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "use_bias": False}, SEQUENCE),
    Example("Conv2D", {"filters": 64, "kernel_size": (3, 3)}, IMAGE),
    Example("Conv2D", {"filters": 64, "kernel_size": (3, 3), "strides": 2, "padding": "same"}, IMAGE),
    Example("Conv2D", {"filters": 64, "kernel_size": (5, 5), "dilation_rate": 2}, IMAGE),
    Example("Conv2D", {"filters": 64, "kernel_size": (3, 3), "data_format": "channels_first"}, (None, 3, 128, 128)),
    Example("Conv3D", {"filters": 32, "kernel_size": (3, 3, 3)}, (None, 64, 64, 64, 1)),
    Example("Conv3D", {"filters": 32, "kernel_size": (3, 3, 3)}, (None, 16, 128, 128, 3)),
]
DEPTHWISE_EXAMPLES = [
    Example("DepthwiseConv1D", {"kernel_size": 3}, SEQUENCE),
    Example("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, SEQUENCE),
    Example("DepthwiseConv1D", {"kernel_size": 3, "padding": "same", "use_bias": False}, SEQUENCE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3)}, IMAGE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3), "strides": 2, "padding": "same"}, IMAGE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3), "depth_multiplier": 4}, IMAGE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3), "strides": 2, "dilation_rate": 2}, IMAGE),
]
SEPARABLE_EXAMPLES = [
    Example("SeparableConv1D", {"filters": 32, "kernel_size": 3}, SEQUENCE),
    Example("SeparableConv1D", {"filters": 32, "kernel_size": 3, "depth_multiplier": 2}, SEQUENCE),
    Example("SeparableConv1D", {"filters": 32, "kernel_size": 3, "use_bias": False}, SEQUENCE),
    Example("SeparableConv2D", {"filters": 64, "kernel_size": (3, 3)}, IMAGE),
    Example("SeparableConv2D", {"filters": 64, "kernel_size": (3, 3), "strides": 2, "padding": "same"}, IMAGE),
    Example("SeparableConv2D", {"filters": 128, "kernel_size": (3, 3), "padding": "same"}, (None, 32, 32, 64)),
]
TRANSPOSED_EXAMPLES = [
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2, "output_padding": 0}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2, "output_padding": 1}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"}, SEQUENCE),
    Example("Conv2DTranspose", {"filters": 64, "kernel_size": (3, 3)}, SMALL_IMAGE),
    Example("Conv2DTranspose", {"filters": 64, "kernel_size": (4, 4), "strides": 2, "padding": "same"}, SMALL_IMAGE),
    Example(
        "Conv2DTranspose",
        {"filters": 64, "kernel_size": (3, 3), "strides": 2, "padding": "same", "output_padding": 1},
        SMALL_IMAGE,
    ),
    Example("Conv3DTranspose", {"filters": 32, "kernel_size": (3, 3, 3)}, (None, 16, 64, 64, 3)),
]
FAMILY_EXAMPLES = {
    "conv": CONV_EXAMPLES,
    "depthwise": DEPTHWISE_EXAMPLES,
    "separable": SEPARABLE_EXAMPLES,
    "transposed": TRANSPOSED_EXAMPLES,
}
# The worked example of each of the ten layers, for the overview page.
SUMMARY_EXAMPLES = [
    *(CONV_EXAMPLES[i] for i in (0, 6, 10)),
    *(SEPARABLE_EXAMPLES[i] for i in (0, 3)),
    *(DEPTHWISE_EXAMPLES[i] for i in (0, 3)),
    *(TRANSPOSED_EXAMPLES[i] for i in (0, 5, 8)),
]


# ----------------------------------------------------------------------------------------------
# Formulas: Python expressions over the names of NAMES


class Family(NamedTuple):
    layers: tuple[str, ...]
    weights: tuple[tuple[str, str], ...]  # (weight name, shape), in Keras's order; the bias is last
    params: str
    output_channels: str
    macs: str
    latex_params: str  # shown on the family's page; checked against layer_info with LATEX_SYMBOLS


FAMILIES = {
    "conv": Family(
        ("Conv1D", "Conv2D", "Conv3D"),
        (("kernel", "(*kernel_size, c_in // groups, filters)"), ("bias", "(filters,)")),
        "prod(kernel_size) * (c_in // groups) * filters + filters * use_bias",
        "filters",
        "prod(out_lengths) * prod(kernel_size) * (c_in // groups) * filters",
        r"\text{params} = k_1 \cdots k_n \cdot \frac{C_{in}}{g} \cdot F + F",
    ),
    "depthwise": Family(
        ("DepthwiseConv1D", "DepthwiseConv2D"),
        (("kernel", "(*kernel_size, c_in, depth_multiplier)"), ("bias", "(c_in * depth_multiplier,)")),
        "prod(kernel_size) * c_in * depth_multiplier + c_in * depth_multiplier * use_bias",
        "c_in * depth_multiplier",
        "prod(out_lengths) * prod(kernel_size) * c_in * depth_multiplier",
        r"\text{params} = k_1 \cdots k_n \cdot C_{in} \cdot m + C_{in} \cdot m",
    ),
    "separable": Family(
        ("SeparableConv1D", "SeparableConv2D"),
        (
            ("depthwise_kernel", "(*kernel_size, c_in, depth_multiplier)"),
            ("pointwise_kernel", "(*ones, c_in * depth_multiplier, filters)"),
            ("bias", "(filters,)"),
        ),
        "prod(kernel_size) * c_in * depth_multiplier + c_in * depth_multiplier * filters + filters * use_bias",
        "filters",
        "prod(out_lengths) * c_in * depth_multiplier * (prod(kernel_size) + filters)",
        r"\text{params} = k_1 \cdots k_n \cdot C_{in} \cdot m + C_{in} \cdot m \cdot F + F",
    ),
    "transposed": Family(
        ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"),
        (("kernel", "(*kernel_size, filters, c_in)"), ("bias", "(filters,)")),
        "prod(kernel_size) * filters * c_in + filters * use_bias",
        "filters",
        "prod(in_lengths) * prod(kernel_size) * c_in * filters",
        r"\text{params} = k_1 \cdots k_n \cdot F \cdot C_{in} + F",
    ),
}
FAMILY_OF = {layer: key for key, family in FAMILIES.items() for layer in family.layers}

# Keras's defaults for the arguments the formulas read; checked with the formulas against layer_info.
DEFAULTS = {
    "strides": 1,
    "padding": "valid",
    "dilation_rate": 1,
    "groups": 1,
    "depth_multiplier": 1,
    "use_bias": True,
    "output_padding": None,
    "data_format": "channels_last",
}

NAMES = {
    "kernel_size": "the kernel size as a tuple, one value per spatial axis",
    "c_in": "the number of input channels",
    "use_bias": "1 with `use_bias=True` (the default), 0 without",
    "ones": "a 1 per spatial axis, so the pointwise kernel is 1 by 1",
    "batch": "the batch size (`None` while unknown)",
    "in_lengths": "the input lengths of the spatial axes",
    "out_lengths": "the output lengths of the spatial axes, from the [length formulas](shape-arithmetic.md)",
    "prod": "the product of a tuple's entries (`math.prod`)",
}

# The output length along one spatial axis: n the input length, k the kernel size, s the stride,
# d the dilation rate, p the output padding, K = d * (k - 1) + 1 the span of the dilated kernel.
LENGTHS = {
    ("window", "valid"): "(n - K) // s + 1",
    ("window", "same"): "(n - 1) // s + 1",
    ("window", "causal"): "(n - 1) // s + 1",
    ("transposed", "valid", None): "(n - 1) * s + max(K, s)",
    ("transposed", "valid", "p"): "(n - 1) * s + K + p",
    ("transposed", "same", None): "n * s",
    ("transposed", "same", "p"): "(n - 1) * s + K % 2 + p",
}
LENGTH_NAMES = "n k s d p K".split()
LENGTH_ROWS = [  # (LENGTHS key, the layers it applies to, examples as (n, k, s, d, p))
    (("window", "valid"), "all but the transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 5, 1, 2, None)]),
    (("window", "same"), "all but the transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (101, 4, 3, 1, None)]),
    (("window", "causal"), "`Conv1D` only", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 3, 1, 4, None)]),
    (("transposed", "valid", None), "transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 2, 3, 1, None)]),
    (("transposed", "valid", "p"), "transposed", [(100, 3, 2, 1, 0), (100, 3, 2, 1, 1), (100, 2, 3, 1, 0)]),
    (("transposed", "same", None), "transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 4, 2, 1, None)]),
    (("transposed", "same", "p"), "transposed", [(100, 3, 2, 1, 0), (100, 3, 2, 1, 1), (100, 4, 2, 1, 1)]),
]
# Conv1D(1, k, strides=s, padding=...) over several lengths n, and Conv1DTranspose back.
# The span of the dilated kernel, as shape-arithmetic.md writes it; checked on LENGTH_ROWS' examples.
LATEX_SPAN = r"K = d\,(k - 1) + 1"
# What each symbol of the LaTeX formulas stands for, as a Python name of NAMES (longest first).
LATEX_SYMBOLS = {
    r"k_1 \cdots k_n": "prod(kernel_size)",
    r"C_{in}": "c_in",
    "F": "filters",
    "g": "groups",
    "m": "depth_multiplier",
    "d": "d",
    "k": "k",
}

INVERSE_LENGTHS = range(9, 15)
INVERSE_CONFIG = {"filters": 1, "kernel_size": 3, "strides": 2}
