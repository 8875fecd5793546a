"""The claims of the time-series, upsampling and efficient-convolution guides, read from their snippet runs.

Each guide prints its thresholds as True/False lines; these tests assert the underlying values, so
a guide whose model stops meeting its stated threshold fails here with the numbers, not only with
a changed output line. The snippet runs are shared with the pages (one run per test session).
"""

from __future__ import annotations

import math

import numpy as np

from tests.snippet_runs import same_run_as, snippet_namespace

# Time series


@same_run_as("guides/time_series.py")
def test_time_series_model_beats_the_last_value_by_half(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/time_series.py")
    assert ns["model_mse"] < 0.5 * ns["naive_mse"], (ns["model_mse"], ns["naive_mse"])


@same_run_as("guides/time_series.py")
def test_time_series_receptive_field_formula_matches_the_experiment(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/time_series.py")
    formula = 1 + sum((ns["KERNEL_SIZE"] - 1) * d for d in ns["DILATIONS"])
    assert ns["receptive_field"] == formula
    window, influence = ns["WINDOW"], ns["influence"]
    assert window > formula, "the window must be longer than the receptive field to show its limit"
    # The forecast (last output step) depends on exactly the last `formula` input steps.
    assert list(ns["seen"]) == list(range(window - formula, window))
    # Causal: no output step depends on a later input step.
    assert not np.triu(influence, k=1).any()
    # Output step i depends on input steps i - formula + 1 ... i, clipped at the window's start.
    for i in range(window):
        assert list(np.flatnonzero(influence[i])) == list(range(max(0, i - formula + 1), i + 1))


# Upsampling


@same_run_as("guides/upsampling.py")
def test_upsampling_autoencoders_beat_the_threshold_and_the_mean_image(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/upsampling.py")
    assert set(ns["test_mse"]) == {"transposed_decoder", "resize_decoder"}
    for name, mse in ns["test_mse"].items():
        assert mse < 0.02, (name, mse)
        assert mse < ns["mean_image_mse"] / 4, (name, mse, ns["mean_image_mse"])


@same_run_as("guides/upsampling.py")
def test_upsampling_checkerboard_only_for_kernel_3_stride_2(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/upsampling.py")
    assert ns["even_inside"] == {
        "Conv2DTranspose, kernel 3, stride 2": False,
        "Conv2DTranspose, kernel 4, stride 2": True,
        "UpSampling2D(2), then Conv2D, kernel 3": True,
    }


@same_run_as("guides/upsampling.py")
def test_upsampling_stages_halve_then_double(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/upsampling.py")
    sizes = [layer.output.shape[1] for layer in ns["autoencoder"].layers]
    assert sizes == [8, 4, 2, 4, 8, 8]
    assert ns["autoencoder"].output.shape[1:] == ns["x_test"].shape[1:]


# Efficient convolutions


@same_run_as("guides/efficient.py")
def test_efficient_classifier_reaches_the_stated_accuracy(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/efficient.py")
    assert ns["test_accuracy"] >= 0.95


@same_run_as("guides/efficient.py")
def test_efficient_macs_agree_with_the_definitions(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/efficient.py")
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


@same_run_as("guides/efficient.py")
def test_efficient_mobilenet_block_weights(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/efficient.py")
    block, (_, _, channels), filters, k = ns["mobilenet_block"], ns["shape"], ns["filters"], ns["k"]
    # No conv biases; each BatchNormalization has gamma and beta (trained), moving mean and variance (not).
    assert block.count_params() == k * k * channels + channels * filters + 4 * (channels + filters)
    non_trainable = sum(math.prod(w.shape) for w in block.non_trainable_weights)
    assert non_trainable == 2 * (channels + filters)
