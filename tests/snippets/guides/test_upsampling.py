"""The upsampling guide: both decoders beat their thresholds; which upsamplers leave a checkerboard."""

from __future__ import annotations

from itertools import pairwise

import keras

from snippets.conv_arithmetic import layer_info
from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_upsampling_autoencoders_beat_the_threshold_and_the_mean_image(ns):
    assert set(ns["test_mse"]) == {"transposed_decoder", "resize_decoder"}
    for name, mse in ns["test_mse"].items():
        assert mse < 0.02, (name, mse)
        assert mse < ns["mean_image_mse"] / 4, (name, mse, ns["mean_image_mse"])


def test_upsampling_checkerboard_exactly_where_the_kernel_is_no_multiple_of_the_stride(ns):
    """A transposed kernel overlaps evenly iff its size is a multiple of the stride; resize-conv always does."""
    expected = {}
    for name, upsampler in ns["upsamplers"].items():
        first = upsampler.layers[0] if isinstance(upsampler, keras.Sequential) else upsampler
        if isinstance(first, keras.layers.Conv2DTranspose):
            expected[name] = first.kernel_size[0] % first.strides[0] == 0
        else:
            assert isinstance(first, keras.layers.UpSampling2D)
            expected[name] = True
    assert ns["even_inside"] == expected
    assert set(expected.values()) == {True, False}


def test_upsampling_stages_halve_then_double(ns):
    """Keras's sizes, which the formula module predicts layer by layer, go down to the code and back."""
    model = ns["autoencoder"]
    shape, predicted = tuple(model.input.shape), []
    for layer in model.layers[1:]:
        shape = layer_info(type(layer).__name__, layer.get_config(), shape)["output_shape"]
        predicted.append(shape[1])
    sizes = [layer.output.shape[1] for layer in model.layers[1:]]
    assert sizes == predicted
    code = sizes.index(min(sizes))
    assert all(a > b for a, b in pairwise(sizes[: code + 1]))
    assert all(a <= b for a, b in pairwise(sizes[code:]))
    assert model.output.shape[1:] == ns["x_test"].shape[1:]


def test_upsampling_checkerboard_picture_is_the_stored_one(ns):
    from doctools.paths import ROOT

    ((name, picture),) = ns["FIGURES"].items()
    assert (ROOT / name).read_text("utf8") == picture, f"{name} is stale: run python scripts/dev.py update"
    assert "<title " in picture and "<desc " in picture and "#" not in picture
    # The drawn data are the counts the page prints: one cell per output pixel, full ink at each maximum.
    for image in ns["counts"]:
        assert picture.count('fill-opacity="1.00"') >= (image == image.max()).sum()
    assert picture.count("<rect ") == sum(image.size for image in ns["counts"])
