"""Multiply-accumulates of a built Keras layer, by their definition, read from Keras's own shapes.

Keras counts no MACs, so the vector generators and the tests apply the definition that
snippets/conv_arithmetic.py documents to the shapes Keras reports: the positions where the
kernels are applied (the output's spatial positions; the input's for a transposed convolution)
times the number of kernel weights. A layer without a kernel costs 0. Dense is the same rule: its
positions are the axes between the batch and the last. No Keras import is needed here.
"""

from __future__ import annotations

from math import prod


def kernel_weights(layer) -> int:
    """How many weights the layer's kernels hold (kernel, depthwise_kernel, pointwise_kernel)."""
    return sum(prod(w.shape) for w in layer.weights if w.path.rsplit("/", 1)[-1].endswith("kernel"))


def macs_by_definition(layer, input_shape, output_shape, channels_first: bool = False) -> int | None:
    """MACs for one example of ``layer`` between these shapes (batch axis included); None if unknown."""
    shape = input_shape if type(layer).__name__.endswith("Transpose") else output_shape
    spatial = shape[2:] if channels_first else shape[1:-1]
    if None in spatial:
        return None
    return prod(spatial) * kernel_weights(layer)
