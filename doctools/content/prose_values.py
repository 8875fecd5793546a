"""The values that sentences of the pages state: counts, shapes, sizes and ratios.

This is page content. A page writes ``{{ name }}`` where a sentence states a result, and
``doctools/extensions/prose_values.py`` puts the value there when the site is built. Each value
is computed from facts of example layers (``Example``, as in the generated tables) that
``snippets.conv_arithmetic.layer_info`` answers without Keras; ``tests/doctools/test_prose_values.py``
builds every one of those layers in Keras, computes the value again from Keras's answers, and
compares the text.

A value is ``Value(facts, compute, format)``: ``facts`` is a tuple of ``(Example, fact)`` pairs,
where ``fact`` is a key of ``layer_info``'s answer (``params``, ``macs``, ``output_shape``,
``weight_shapes``); ``compute`` turns the facts, in order, into the value (the single fact itself
by default); ``format`` is a ``str.format`` pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from math import prod
from typing import NamedTuple

from doctools.content.tables import Example


def _same(value):
    return value


class Value(NamedTuple):
    facts: tuple[tuple[Example, str], ...]
    compute: Callable = _same
    format: str = "{:,}"


def count(example: Example, fact: str = "params") -> Value:
    """A parameter or MAC count, written with thousands separators."""
    return Value(((example, fact),))


def shape(example: Example, fact: str = "output_shape") -> Value:
    """A shape, as inline code."""
    return Value(((example, fact),), format="`{}`")


def ratio(first: tuple[Example, str], second: tuple[Example, str], pattern: str = "{:.1f}") -> Value:
    """How many times the first fact is the second one."""
    return Value((first, second), lambda a, b: a / b, pattern)


VALUES: dict[str, Value] = {}


def _kernel_values(weight_shapes) -> int:
    """Weights of one filter of a standard convolution: the kernel's size without its last axis."""
    return prod(weight_shapes[0][:-1])


def _weight(index: int):
    return lambda weight_shapes: prod(weight_shapes[index])


SEQUENCE, IMAGE = (None, 100, 64), (None, 128, 128, 3)
CONV1D = Example("Conv1D", {"filters": 32, "kernel_size": 3}, SEQUENCE)
CONV2D = Example("Conv2D", {"filters": 64, "kernel_size": (3, 3)}, IMAGE)
DEPTHWISE1D = Example("DepthwiseConv1D", {"kernel_size": 3}, SEQUENCE)
DEPTHWISE2D = Example("DepthwiseConv2D", {"kernel_size": (3, 3)}, IMAGE)
SEPARABLE2D = Example("SeparableConv2D", {"filters": 64, "kernel_size": (3, 3)}, IMAGE)
TRANSPOSED1D = Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3}, SEQUENCE)

# The four layers of the compute cost page: a 28x28 map with 64 channels, 3x3 kernels, 128 filters.
MAP = (None, 28, 28, 64)
COST_CONV = Example("Conv2D", {"filters": 128, "kernel_size": (3, 3), "padding": "same"}, MAP)
COST_SEPARABLE = Example("SeparableConv2D", {"filters": 128, "kernel_size": (3, 3), "padding": "same"}, MAP)
COST_TRANSPOSED = Example(
    "Conv2DTranspose", {"filters": 128, "kernel_size": (3, 3), "strides": 2, "padding": "same"}, MAP
)
# The layer of MobileNet's Table 3: 512 channels in and out on a 14x14 map, no bias.
TABLE3 = (None, 14, 14, 512)
TABLE3_CONV = Example("Conv2D", {"filters": 512, "kernel_size": (3, 3), "padding": "same", "use_bias": False}, TABLE3)
TABLE3_SEPARABLE = Example(
    "SeparableConv2D", {"filters": 512, "kernel_size": (3, 3), "padding": "same", "use_bias": False}, TABLE3
)

VALUES.update(
    {
        # reference/standard.md
        "standard.conv1d-shape": shape(CONV1D),
        "standard.conv1d-params": count(CONV1D),
        "standard.conv2d-filter-weights": Value(((CONV2D, "weight_shapes"),), _kernel_values),
        "standard.conv2d-params": count(CONV2D),
        "standard.conv2d-shape": shape(CONV2D),
        # reference/depthwise.md
        "depthwise.conv1d-shape": shape(DEPTHWISE1D),
        "depthwise.conv1d-params": count(DEPTHWISE1D),
        "depthwise.conv2d-params": count(DEPTHWISE2D),
        "depthwise.conv2d-shape": shape(DEPTHWISE2D),
        # reference/separable.md
        "separable.conv2d-params": count(SEPARABLE2D),
        "separable.conv2d-pointwise-weights": Value(((SEPARABLE2D, "weight_shapes"),), _weight(1)),
        # reference/transposed.md
        "transposed.conv1d-shape": shape(TRANSPOSED1D),
        "transposed.conv1d-params": count(TRANSPOSED1D),
        # cost/index.md
        "cost.conv2d-params": count(COST_CONV),
        "cost.conv2d-macs": count(COST_CONV, "macs"),
        "cost.transposed-shape": shape(COST_TRANSPOSED),
        "cost.separable-saving": ratio((COST_CONV, "macs"), (COST_SEPARABLE, "macs")),
        "cost.table3-share": ratio((TABLE3_SEPARABLE, "macs"), (TABLE3_CONV, "macs"), "{:.1%}"),
        "cost.table3-saving": ratio((TABLE3_CONV, "macs"), (TABLE3_SEPARABLE, "macs")),
    }
)
