"""The audio guide: the classifier's accuracy and the shapes of its three architectures."""

from __future__ import annotations

import keras
import numpy as np

from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_audio_classifier_reaches_095(ns):
    assert ns["test_accuracy"] >= 0.95


def test_audio_waveform_model_matches_feature_model(ns):
    assert ns["same"]


def test_audio_separator_keeps_time_and_sources(ns):
    frames = ns["x_mix"].shape[1]
    assert ns["separator"].output_shape == (None, frames, len(ns["SOURCES"]))
    assert ns["predicted"].shape == ns["y_mix"].shape
    np.testing.assert_allclose(ns["predicted"].sum(axis=-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(ns["y_mix"].sum(axis=-1), 1.0, rtol=1e-5)


def test_audio_architectures_run_on_real_shapes(ns):
    classes = len(ns["CLASSES"])
    assert ns["spectrogram_classifier"].input_shape[1:] == ns["x_stft"].shape[1:]
    assert ns["mfcc_lstm"].input_shape[1:] == ns["x_mfcc"].shape[1:]
    assert ns["spectrogram_classifier"].output_shape == (None, classes)
    assert ns["mfcc_lstm"].output_shape == (None, classes)


def test_audio_raw_waveform_classifier_reaches_09(ns):
    assert ns["raw_train"].shape[1:] == (16_000, 1)  # one second at 16 kHz, one channel
    assert ns["raw_classifier"].input_shape == (None, 16_000, 1)
    assert ns["raw_accuracy"] >= 0.9


def test_audio_spectrogram_image_classifier_reaches_09(ns):
    assert ns["images_train"].shape[-1] == 1  # the spectrogram as a one-channel image
    assert any(type(layer).__name__ == "Conv2D" for layer in ns["image_classifier"].layers)
    assert ns["image_accuracy"] >= 0.9


def test_audio_spectrogram_picture_is_the_stored_one(ns):
    from doctools.paths import ROOT

    ((name, picture),) = ns["FIGURES"].items()
    assert (ROOT / name).read_text("utf8") == picture, f"{name} is stale: run python scripts/dev.py update"
    assert '<title id="spectrograms-title">' in picture and "<desc " in picture  # alt text
    assert 'fill="currentColor"' in picture and "#" not in picture  # the palette's ink, no fixed colour
    assert all(f">{name}</text>" in picture for name in ns["CLASSES"])
    assert len(picture.encode()) < 50_000  # the audio page stays within its weight


def test_audio_spectrogram_picture_shows_the_classes(ns):
    """The drawn data: the tone's loudest band stays put, the chirps' bands climb and descend."""
    bands = [image[:, : ns["BANDS"] * (image.shape[1] // ns["BANDS"])] for image in ns["spectrograms"]]
    loudest = [b.reshape(b.shape[0], -1, ns["BANDS"]).max(axis=-1).argmax(axis=-1) for b in bands]
    tone, rising, falling = (loudest[ns["CLASSES"].index(name)] for name in ("tone", "rising chirp", "falling chirp"))
    assert len(set(tone.tolist())) == 1
    assert rising[-1] > rising[0] and falling[-1] < falling[0]


def test_audio_mfccs_are_tensorflows(ns):
    """The snippet's backend-neutral DCT gives what tf.signal.mfccs_from_log_mel_spectrograms gives."""
    import tensorflow as tf

    log_mel = keras.ops.convert_to_numpy(ns["log_mel_power"])
    expected = tf.signal.mfccs_from_log_mel_spectrograms(log_mel)[..., :13].numpy()
    np.testing.assert_allclose(ns["x_mfcc"], expected, rtol=1e-4, atol=1e-4)
