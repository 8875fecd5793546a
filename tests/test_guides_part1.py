"""The thresholds that the text, images, video and audio guides state, checked on the snippet runs.

Each guide prints a thresholded fact ("test accuracy >= 0.95: True") and its snippet asserts
it; these tests read the values themselves from the snippet's namespace, so a guide cannot
keep claiming a threshold its model no longer reaches. The snippet run is the one the page's
include blocks use (same xdist group), so each snippet trains once per test session.
"""

from __future__ import annotations

import numpy as np

from tests.snippet_runs import same_run_as, snippet_namespace


@same_run_as("guides/images.py")
def test_images_both_digit_classifiers_reach_095(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/images.py")
    assert ns["conv_accuracy"] >= 0.95
    assert ns["separable_accuracy"] >= 0.95


@same_run_as("guides/images.py")
def test_images_separable_variant_is_smaller(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/images.py")
    assert ns["separable"].count_params() < ns["model"].count_params()
    assert ns["separable"].layers[2].count_params() < ns["model"].layers[2].count_params()


@same_run_as("guides/images.py")
def test_images_split_is_fixed_and_disjoint(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/images.py")
    assert len(ns["x_train"]) + len(ns["x_test"]) == len(ns["digits"].images)
    assert ns["x_train"].shape[1:] == (8, 8, 1)
    assert 0.0 <= ns["x_train"].min() and ns["x_train"].max() <= 1.0


@same_run_as("guides/text.py")
def test_text_conv1d_spots_the_motif(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/text.py")
    assert ns["conv_accuracy"] >= 0.95
    assert ns["long_accuracy"] >= 0.95


@same_run_as("guides/text.py")
def test_text_bag_of_words_stays_at_chance(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/text.py")
    assert ns["bag_accuracy"] < 0.6


@same_run_as("guides/text.py")
def test_text_classes_differ_only_in_order(docs_engine):
    """Both classes hold the motif's tokens side by side; only positives hold them in order."""
    ns = snippet_namespace(docs_engine, "guides/text.py")
    for tokens, label in zip(ns["train_sequences"], ns["y_train"], strict=True):
        assert ns["has_motif"](tokens) == bool(label)
        assert set(ns["MOTIF"]) <= set(tokens.tolist())


@same_run_as("guides/audio.py")
def test_audio_classifier_reaches_095(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/audio.py")
    assert ns["test_accuracy"] >= 0.95


@same_run_as("guides/audio.py")
def test_audio_waveform_model_matches_feature_model(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/audio.py")
    assert ns["same"]


@same_run_as("guides/audio.py")
def test_audio_separator_keeps_time_and_sources(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/audio.py")
    frames = ns["x_mix"].shape[1]
    assert ns["separator"].output_shape == (None, frames, len(ns["SOURCES"]))
    assert ns["predicted"].shape == ns["y_mix"].shape
    np.testing.assert_allclose(ns["predicted"].sum(axis=-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(ns["y_mix"].sum(axis=-1), 1.0, rtol=1e-5)


@same_run_as("guides/audio.py")
def test_audio_architectures_run_on_real_shapes(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/audio.py")
    classes = len(ns["CLASSES"])
    assert ns["spectrogram_classifier"].input_shape[1:] == ns["x_stft"].shape[1:]
    assert ns["mfcc_lstm"].input_shape[1:] == ns["x_mfcc"].shape[1:]
    assert ns["spectrogram_classifier"].output_shape == (None, classes)
    assert ns["mfcc_lstm"].output_shape == (None, classes)


@same_run_as("guides/video.py")
def test_video_conv3d_learns_the_direction(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/video.py")
    assert ns["test_accuracy"] >= 0.95
    assert ns["flipped"] >= 0.95


@same_run_as("guides/video.py")
def test_video_frame_by_frame_kernels_cannot(docs_engine):
    ns = snippet_namespace(docs_engine, "guides/video.py")
    assert ns["frame_accuracy"] < 0.6
