"""The thresholds that the text, images, video and audio guides state, checked on the snippet runs.

Each guide prints a thresholded fact ("test accuracy >= 0.95: True") and its snippet asserts
it; these tests read the values themselves from the snippet's namespace, so a guide cannot
keep claiming a threshold its model no longer reaches. The snippet run is the one the page's
include blocks use (same xdist group), so each snippet trains once per test session.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "snippets" / "guides"


def run_of(docs_engine, name: str) -> dict:
    run = docs_engine.snippet(GUIDES / name)
    assert run.failure is None, str(run.failure)
    return run.namespace


def group(name: str):
    return pytest.mark.xdist_group(f"snippets/guides/{name}")


@group("images.py")
def test_images_both_digit_classifiers_reach_095(docs_engine):
    ns = run_of(docs_engine, "images.py")
    assert ns["conv_accuracy"] >= 0.95
    assert ns["separable_accuracy"] >= 0.95


@group("images.py")
def test_images_separable_variant_is_smaller(docs_engine):
    ns = run_of(docs_engine, "images.py")
    assert ns["separable"].count_params() < ns["model"].count_params()
    assert ns["separable"].layers[2].count_params() < ns["model"].layers[2].count_params()


@group("images.py")
def test_images_split_is_fixed_and_disjoint(docs_engine):
    ns = run_of(docs_engine, "images.py")
    assert len(ns["x_train"]) + len(ns["x_test"]) == len(ns["digits"].images)
    assert ns["x_train"].shape[1:] == (8, 8, 1)
    assert 0.0 <= ns["x_train"].min() and ns["x_train"].max() <= 1.0


@group("text.py")
def test_text_conv1d_spots_the_motif(docs_engine):
    ns = run_of(docs_engine, "text.py")
    assert ns["conv_accuracy"] >= 0.95
    assert ns["long_accuracy"] >= 0.95


@group("text.py")
def test_text_bag_of_words_stays_at_chance(docs_engine):
    ns = run_of(docs_engine, "text.py")
    assert ns["bag_accuracy"] < 0.6


@group("text.py")
def test_text_classes_differ_only_in_order(docs_engine):
    """Both classes hold the motif's tokens side by side; only positives hold them in order."""
    ns = run_of(docs_engine, "text.py")
    for tokens, label in zip(ns["train_sequences"], ns["y_train"], strict=True):
        assert ns["has_motif"](tokens) == bool(label)
        assert set(ns["MOTIF"]) <= set(tokens.tolist())


@group("audio.py")
def test_audio_classifier_reaches_095(docs_engine):
    ns = run_of(docs_engine, "audio.py")
    assert ns["test_accuracy"] >= 0.95


@group("audio.py")
def test_audio_waveform_model_matches_feature_model(docs_engine):
    ns = run_of(docs_engine, "audio.py")
    assert ns["same"]


@group("audio.py")
def test_audio_separator_keeps_time_and_sources(docs_engine):
    ns = run_of(docs_engine, "audio.py")
    frames = ns["x_mix"].shape[1]
    assert ns["separator"].output_shape == (None, frames, len(ns["SOURCES"]))
    assert ns["predicted"].shape == ns["y_mix"].shape
    np.testing.assert_allclose(ns["predicted"].sum(axis=-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(ns["y_mix"].sum(axis=-1), 1.0, rtol=1e-5)


@group("audio.py")
def test_audio_architectures_run_on_real_shapes(docs_engine):
    ns = run_of(docs_engine, "audio.py")
    classes = len(ns["CLASSES"])
    assert ns["spectrogram_classifier"].input_shape[1:] == ns["x_stft"].shape[1:]
    assert ns["mfcc_lstm"].input_shape[1:] == ns["x_mfcc"].shape[1:]
    assert ns["spectrogram_classifier"].output_shape == (None, classes)
    assert ns["mfcc_lstm"].output_shape == (None, classes)


@group("video.py")
def test_video_conv3d_learns_the_direction(docs_engine):
    ns = run_of(docs_engine, "video.py")
    assert ns["test_accuracy"] >= 0.95
    assert ns["flipped"] >= 0.95


@group("video.py")
def test_video_frame_by_frame_kernels_cannot(docs_engine):
    ns = run_of(docs_engine, "video.py")
    assert ns["frame_accuracy"] < 0.6
