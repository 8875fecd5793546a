"""The check-yourself exercises at the end of the reference pages.

This is page content. A page writes ``<!-- exercises: NAME -->`` on a line of its own and
``doctools/extensions/prose_values.py`` renders ``EXERCISES[NAME]`` there: for each exercise, a
layer and an input shape, a question (predict the output shape, the parameter count or the MACs
per example), and the answer with its working in a collapsed ``??? question`` block. The answers
come from ``snippets.conv_arithmetic.layer_info``, the working from the formulas of
``doctools/content/tables.py``; ``tests/doctools/test_prose_values.py`` renders every answer again
from Keras's own answers and compares.
"""

from __future__ import annotations

from typing import NamedTuple

from doctools.content.tables import Example


class Exercise(NamedTuple):
    example: Example
    asks: str  # "output_shape", "params" or "macs"


def _ask(layer: str, config: dict, input_shape: tuple, *asks: str) -> list[Exercise]:
    return [Exercise(Example(layer, config, input_shape), ask) for ask in asks]


EXERCISES = {
    "overview": [
        *_ask("Conv1D", {"filters": 64, "kernel_size": 5}, (None, 200, 16), "output_shape"),
        *_ask("SeparableConv2D", {"filters": 32, "kernel_size": (3, 3)}, (None, 64, 64, 16), "params"),
        *_ask("Conv2DTranspose", {"filters": 8, "kernel_size": (2, 2), "strides": 2}, (None, 7, 7, 16), "output_shape"),
    ],
    "standard": [
        *_ask(
            "Conv2D", {"filters": 16, "kernel_size": (5, 5), "strides": 2}, (None, 32, 32, 3), "output_shape", "params"
        ),
        *_ask(
            "Conv1D", {"filters": 32, "kernel_size": 3, "padding": "causal", "dilation_rate": 4}, (None, 50, 8), "macs"
        ),
    ],
    "depthwise": [
        *_ask("DepthwiseConv2D", {"kernel_size": (3, 3), "depth_multiplier": 2}, (None, 56, 56, 32), "output_shape"),
        *_ask("DepthwiseConv2D", {"kernel_size": (3, 3), "depth_multiplier": 2}, (None, 56, 56, 32), "params", "macs"),
    ],
    "separable": [
        *_ask(
            "SeparableConv2D", {"filters": 128, "kernel_size": (3, 3), "padding": "same"}, (None, 28, 28, 64), "params"
        ),
        *_ask(
            "SeparableConv2D", {"filters": 128, "kernel_size": (3, 3), "padding": "same"}, (None, 28, 28, 64), "macs"
        ),
        *_ask("SeparableConv1D", {"filters": 16, "kernel_size": 5, "strides": 2}, (None, 40, 8), "output_shape"),
    ],
    "transposed": [
        *_ask(
            "Conv2DTranspose", {"filters": 32, "kernel_size": (3, 3), "strides": 2}, (None, 16, 16, 64), "output_shape"
        ),
        *_ask(
            "Conv2DTranspose",
            {"filters": 32, "kernel_size": (3, 3), "strides": 2, "padding": "same"},
            (None, 16, 16, 64),
            "output_shape",
            "macs",
        ),
    ],
    "shape-arithmetic": [
        *_ask(
            "Conv1D", {"filters": 8, "kernel_size": 4, "strides": 3, "padding": "same"}, (None, 50, 1), "output_shape"
        ),
        *_ask("Conv1D", {"filters": 8, "kernel_size": 3, "dilation_rate": 4}, (None, 50, 1), "output_shape"),
        *_ask("Conv1DTranspose", {"filters": 8, "kernel_size": 2, "strides": 3}, (None, 10, 1), "output_shape"),
    ],
    "receptive-field": [
        *_ask(
            "Conv1D",
            {"filters": 8, "kernel_size": 3, "dilation_rate": 2, "padding": "causal"},
            (None, 64, 1),
            "output_shape",
        ),
        *_ask(
            "Conv2D", {"filters": 16, "kernel_size": (7, 7), "strides": 2, "padding": "same"}, (None, 96, 96, 3), "macs"
        ),
    ],
    "formulas-as-code": [
        *_ask("Conv3D", {"filters": 16, "kernel_size": (3, 3, 3)}, (None, 8, 32, 32, 1), "params", "macs"),
    ],
    "from-pytorch": [
        # ResNet's stem: PyTorch's padding=3 and Keras's "same" give the same length here, not the same zeros.
        *_ask(
            "Conv2D",
            {"filters": 64, "kernel_size": (7, 7), "strides": 2, "padding": "same"},
            (None, 224, 224, 3),
            "output_shape",
            "params",
        ),
        *_ask(
            "Conv2DTranspose",
            {"filters": 16, "kernel_size": (4, 4), "strides": 2, "padding": "same"},
            (None, 14, 14, 32),
            "output_shape",
        ),
    ],
    "common-mistakes": [
        # A channels-first batch given to a channels-last layer: the 3 colour channels become the height.
        *_ask("Conv2D", {"filters": 32, "kernel_size": (3, 3)}, (None, 3, 64, 64), "output_shape", "params"),
    ],
}
