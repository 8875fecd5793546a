"""What the marked quotations of the cost pages quote, and the site's own value of each figure.

This is page content. A quotation (``!!! quote`` with ``<!-- quotation: ID -->``, see
``doctools/quotations.py``) prints figures as a paper prints them; ``QUOTATIONS[ID]`` names the
cells that are figures and says how the site computes each: from ``snippets.conv_arithmetic`` on
example layers (``source="conv_arithmetic"``), or from the globals of a snippet that the page
runs (``source="snippets/cost/audits.py"``, which builds the ``keras.applications`` models). The
tests round the site's value to the precision the paper prints and compare; a figure that
disagrees must carry a footnote in its cell that says why.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import NamedTuple

from doctools.content.tables import Example

MILLION, BILLION = 10**6, 10**9


class Figure(NamedTuple):
    value: Callable[[dict], Fraction | int]  # the site's value, from the source's values
    scale: int = 1  # the unit the paper prints in
    step: str | None = None  # the paper's precision, where its trailing zeros are not significant


class Quoted(NamedTuple):
    page: str  # relative to the repository root
    source: str  # "conv_arithmetic", or the snippet whose globals give the values
    figures: dict[tuple[str, str], Figure]  # (row label, column header) -> figure


# MobileNet's Table 3: one 3x3 layer with 512 channels in and out on a 14x14 map, then the
# separable layer, the width multiplier 0.75 (384 channels) and the resolution multiplier 0.714
# (a 10x10 map). No biases: batch normalization follows each layer in MobileNet.
def _layer(name: str, channels: int, size: int) -> Example:
    config = {"kernel_size": (3, 3), "padding": "same", "use_bias": False, "filters": channels}
    return Example(name, config, (None, size, size, channels))


TABLE3_ROWS = {
    "Convolution": _layer("Conv2D", 512, 14),
    "Depthwise Separable Conv": _layer("SeparableConv2D", 512, 14),
    "α = 0.75": _layer("SeparableConv2D", 384, 14),  # noqa: RUF001 (the paper's row label)
    "ρ = 0.714": _layer("SeparableConv2D", 384, 10),  # noqa: RUF001
}


def table3_values() -> dict:
    return {row: example.info() for row, example in TABLE3_ROWS.items()}


def _info(row: str, key: str) -> Callable[[dict], int]:
    return lambda values: values[row][key]


def _share(kind: str, index: int) -> Callable[[dict], Fraction]:
    """Percent of MobileNet's mult-adds (index 0) or parameters (1) in one kind of layer (audits.py)."""

    def share(ns: dict) -> Fraction:
        totals = (ns["total_macs"], ns["total_weights"])
        return Fraction(100 * ns["shares"][kind][index], totals[index])

    return share


def _count(model: str, label: str) -> Callable[[dict], int]:
    """One of the counts that audits.py makes of a whole model."""
    return lambda ns: ns["all_counts"][model][label]


PARAMS, MACS = "Parameters", "Mult-adds"
QUOTATIONS: dict[str, Quoted] = {
    "mobilenet-table3": Quoted(
        "docs/cost/index.md",
        "conv_arithmetic",
        {
            (row, column): Figure(_info(row, key), MILLION)
            for row in TABLE3_ROWS
            for column, key in (("Million Mult-Adds", "macs"), ("Million Parameters", "params"))
        },
    ),
    "mobilenet-table2": Quoted(
        "docs/cost/architectures.md",
        "snippets/cost/audits.py",
        {
            (kind, column): Figure(_share(kind, index))
            for kind in ("Conv 1x1", "Conv DW 3x3", "Conv 3x3", "Fully Connected")
            for column, index in ((MACS, 0), (PARAMS, 1))
        },
    ),
    "published-totals": Quoted(
        "docs/cost/architectures.md",
        "snippets/cost/audits.py",
        {
            ("MobileNet", PARAMS): Figure(_count("MobileNet", "params, trainable"), MILLION),
            ("MobileNet", MACS): Figure(_count("MobileNet", "MACs, all layers"), MILLION),
            ("MobileNetV2", PARAMS): Figure(_count("MobileNetV2", "params, kernels and biases"), MILLION),
            ("MobileNetV2", MACS): Figure(_count("MobileNetV2", "MACs, all layers"), MILLION),
            ("Xception", PARAMS): Figure(_count("Xception", "params, trainable")),
            ("ResNet-50", MACS): Figure(_count("ResNet50", "MACs, all layers"), BILLION),
            ("ResNet-101", MACS): Figure(_count("ResNet101", "MACs, all layers"), BILLION),
            ("ResNet-152", MACS): Figure(_count("ResNet152", "MACs, all layers"), BILLION),
            ("VGG16", PARAMS): Figure(_count("VGG16", "params, all (count_params)"), MILLION),
            ("VGG16", MACS): Figure(_count("VGG16", "MACs, convolutions only"), MILLION, step="100"),
        },
    ),
}
