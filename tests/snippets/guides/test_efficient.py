"""The efficient-convolutions guide: the stated accuracy, the MAC definitions, the block's weights."""

from __future__ import annotations

import math

from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_efficient_classifier_reaches_the_stated_accuracy(ns):
    assert ns["test_accuracy"] >= 0.95


def test_efficient_macs_agree_with_the_definitions(ns):
    (height, width, channels), filters, k = ns["shape"], ns["filters"], ns["k"]
    positions = height * width  # stride 1, padding "same"
    macs = {name: ns["macs"](model) for name, model in ns["one_layer"].items()}
    assert macs == {
        "Conv2D": positions * k * k * channels * filters,
        "SeparableConv2D": positions * (k * k * channels + channels * filters),
        "DepthwiseConv2D + 1x1": positions * (k * k * channels + channels * filters),
    }
    assert math.isclose(macs["SeparableConv2D"] / macs["Conv2D"], 1 / filters + 1 / k**2)
    assert ns["macs"](ns["mobilenet_block"]) == macs["DepthwiseConv2D + 1x1"]


def test_efficient_mobilenet_block_weights(ns):
    block, (_, _, channels), filters, k = ns["mobilenet_block"], ns["shape"], ns["filters"], ns["k"]
    # No conv biases; each BatchNormalization has gamma and beta (trained), moving mean and variance (not).
    assert block.count_params() == k * k * channels + channels * filters + 4 * (channels + filters)
    non_trainable = sum(math.prod(w.shape) for w in block.non_trainable_weights)
    assert non_trainable == 2 * (channels + filters)
