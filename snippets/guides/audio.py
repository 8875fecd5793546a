"""Waveforms to spectrograms to a Conv1D classifier, and three audio architectures (docs/guides/audio.md)."""

# --8<-- [start:signals]
import keras
import numpy as np

keras.utils.set_random_seed(42)
rng = np.random.default_rng(42)

SAMPLE_RATE = 8000  # Hz
NUM_SAMPLES = 4000  # half a second
CLASSES = ["tone", "rising chirp", "falling chirp", "noise"]
t = np.arange(NUM_SAMPLES) / SAMPLE_RATE


def tone(frequency):
    return np.sin(2 * np.pi * frequency * t + rng.uniform(0, 2 * np.pi))


def chirp(start, end):
    """A sine whose frequency moves linearly from start to end (Hz) over the clip."""
    phase = 2 * np.pi * (start * t + (end - start) * t**2 / (2 * t[-1]))
    return np.sin(phase + rng.uniform(0, 2 * np.pi))


def clip(label):
    """Half a second of one class at a random loudness, over faint background noise."""
    low, high = rng.uniform(200, 1000), rng.uniform(1500, 3500)
    if CLASSES[label] == "tone":
        signal = tone(rng.uniform(200, 3500))
    elif CLASSES[label] == "rising chirp":
        signal = chirp(low, high)
    elif CLASSES[label] == "falling chirp":
        signal = chirp(high, low)
    else:
        signal = rng.uniform(-1, 1, NUM_SAMPLES)  # white noise
    background = 0.05 * rng.normal(size=NUM_SAMPLES)
    return (rng.uniform(0.3, 1.0) * signal + background).astype("float32")


def dataset(size):
    labels = rng.integers(0, len(CLASSES), size=size)
    return np.stack([clip(label) for label in labels]), labels


waves_train, y_train = dataset(1200)
waves_test, y_test = dataset(400)
print("waves_train:", waves_train.shape, waves_train.dtype, " waves_test:", waves_test.shape)
print("clips per class (train):", dict(zip(CLASSES, np.bincount(y_train).tolist(), strict=True)))
# --8<-- [end:signals]

# --8<-- [start:stft]
FRAME_LENGTH, HOP = 256, 128  # 32 ms windows every 16 ms

stft = keras.layers.STFTSpectrogram(mode="log", frame_length=FRAME_LENGTH, frame_step=HOP, trainable=False)
examples = np.stack([waves_train[y_train == label][0] for label in range(len(CLASSES))])
spectrograms = keras.ops.convert_to_numpy(stft(examples[..., np.newaxis]))  # the layer wants (batch, samples, 1)
print("waveforms:", examples.shape, "-> spectrograms:", spectrograms.shape, "(batch, frames, frequency bins)")
print(f"frames: 1 + ({NUM_SAMPLES} - {FRAME_LENGTH}) // {HOP} =", 1 + (NUM_SAMPLES - FRAME_LENGTH) // HOP)
print(f"frequency bins: {FRAME_LENGTH} // 2 + 1 =", FRAME_LENGTH // 2 + 1)
print(f"weights held by the layer: {stft.count_params():,}")
print("trainable by default:", keras.layers.STFTSpectrogram().trainable)

hz_per_bin = SAMPLE_RATE / FRAME_LENGTH
for name, spectrogram in zip(CLASSES, spectrograms, strict=True):
    first, last = spectrogram[0].argmax() * hz_per_bin, spectrogram[-1].argmax() * hz_per_bin
    print(f"{name:<14} loudest frequency in the first frame {first:6.0f} Hz, in the last frame {last:6.0f} Hz")
# --8<-- [end:stft]

# --8<-- [start:mel]
mel = keras.layers.MelSpectrogram(
    fft_length=FRAME_LENGTH, sequence_stride=HOP, sampling_rate=SAMPLE_RATE, num_mel_bins=40
)
print("MelSpectrogram output:", tuple(mel(examples).shape), "(batch, mel bins, frames)")
print(f"frames: 1 + {NUM_SAMPLES} // {HOP} =", 1 + NUM_SAMPLES // HOP)


def log_mel(waves):
    """(batch, samples) -> (batch, frames, mel bins): time first, the mel bins as channels."""
    return np.transpose(keras.ops.convert_to_numpy(mel(waves)), (0, 2, 1))


x_train, x_test = log_mel(waves_train), log_mel(waves_test)
print("x_train:", x_train.shape, " x_test:", x_test.shape, "(batch, frames, mel bins)")
# --8<-- [end:mel]

# --8<-- [start:model]
normalize = keras.layers.Normalization(axis=-1)  # one mean and variance per mel bin
normalize.adapt(x_train)

classifier = keras.Sequential(
    [
        keras.Input(shape=x_train.shape[1:]),
        normalize,
        keras.layers.Conv1D(32, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Conv1D(32, 3, padding="same", activation="relu"),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(len(CLASSES), activation="softmax"),
    ],
    name="log_mel_classifier",
)
classifier.summary()
# --8<-- [end:model]

# --8<-- [start:train]
keras.utils.set_random_seed(42)
classifier.compile(
    optimizer=keras.optimizers.Adam(learning_rate=3e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
classifier.fit(x_train, y_train, epochs=5, batch_size=32, verbose=0)
_, test_accuracy = classifier.evaluate(x_test, y_test, verbose=0)
print("test accuracy >= 0.95:", test_accuracy >= 0.95)
# --8<-- [end:train]

# --8<-- [start:end_to_end]
waves = keras.Input(shape=(NUM_SAMPLES,))
features = keras.layers.Permute((2, 1))(mel(waves))  # (mel bins, frames) -> (frames, mel bins)
from_waveforms = keras.Model(waves, classifier(features), name="from_waveforms")

same = np.allclose(from_waveforms.predict(waves_test, verbose=0), classifier.predict(x_test, verbose=0), atol=1e-5)
print("raw waveforms in, same predictions:", same)
# --8<-- [end:end_to_end]

# --8<-- [start:spectrogram_classifier]
x_stft = keras.ops.convert_to_numpy(stft(waves_train[:8, :, np.newaxis]))

spectrogram_classifier = keras.Sequential(
    [
        keras.Input(shape=x_stft.shape[1:]),  # (frames, frequency bins) of the data itself
        keras.layers.Conv1D(32, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Conv1D(64, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(len(CLASSES), activation="softmax"),
    ],
    name="spectrogram_classifier",
)
spectrogram_classifier.summary()
probabilities = keras.ops.convert_to_numpy(spectrogram_classifier(x_stft))
print(
    "input:", x_stft.shape, "-> output:", probabilities.shape, "rows sum to 1:", np.allclose(probabilities.sum(-1), 1)
)
# --8<-- [end:spectrogram_classifier]

# --8<-- [start:mfcc]
linear_mel = keras.layers.MelSpectrogram(
    fft_length=FRAME_LENGTH, sequence_stride=HOP, sampling_rate=SAMPLE_RATE, num_mel_bins=40, power_to_db=False
)
log_mel_power = keras.ops.log(keras.ops.transpose(linear_mel(waves_train[:8]), (0, 2, 1)) + 1e-6)
# MFCCs: an orthonormal DCT-II over the mel bins, the same as tf.signal.mfccs_from_log_mel_spectrograms,
# written as a matrix product so that it runs on every Keras backend.
mel_bins = np.arange(40) + 0.5
dct_basis = np.cos(np.pi * np.outer(mel_bins, np.arange(40)) / 40) * np.sqrt(2 / 40)  # (mel bin, coefficient)
x_mfcc = keras.ops.convert_to_numpy(keras.ops.matmul(log_mel_power, dct_basis[:, :13].astype("float32")))
print("MFCCs:", x_mfcc.shape, "(batch, frames, coefficients)")

mfcc_lstm = keras.Sequential(
    [
        keras.Input(shape=x_mfcc.shape[1:]),
        keras.layers.Conv1D(64, 5, padding="same", activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Conv1D(128, 5, padding="same", activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dropout(0.2),
        keras.layers.LSTM(64),
        keras.layers.Dense(len(CLASSES), activation="softmax"),
    ],
    name="mfcc_lstm",
)
mfcc_lstm.summary()
probabilities = keras.ops.convert_to_numpy(mfcc_lstm(x_mfcc))
print(
    "input:", x_mfcc.shape, "-> output:", probabilities.shape, "rows sum to 1:", np.allclose(probabilities.sum(-1), 1)
)
# --8<-- [end:mfcc]

# --8<-- [start:mixtures]
SOURCES = ["tone", "noise burst"]


def mixture():
    """A steady tone plus a burst of noise that starts and stops somewhere in the clip."""
    steady = rng.uniform(0.3, 1.0) * tone(rng.uniform(200, 3500))
    start = rng.integers(0, NUM_SAMPLES // 2)
    stop = rng.integers(start + NUM_SAMPLES // 8, NUM_SAMPLES)
    burst = np.zeros(NUM_SAMPLES)
    burst[start:stop] = rng.uniform(-1, 1, stop - start)
    return np.stack([steady, burst], axis=-1).astype("float32")  # (samples, sources)


sources = np.stack([mixture() for _ in range(8)])
mixed = sources.sum(axis=-1)
x_mix = log_mel(mixed)

# Target: at each frame, the share of each source in the energy, on the same frames as the input.
energy = np.stack([keras.ops.convert_to_numpy(linear_mel(sources[..., k])).sum(axis=1) for k in range(2)], axis=-1)
y_mix = energy / energy.sum(axis=-1, keepdims=True)
print("sources:", sources.shape, "mixture:", mixed.shape, "-> input:", x_mix.shape, "target:", y_mix.shape)
# --8<-- [end:mixtures]

# --8<-- [start:valid_branches]
frames = keras.Input(shape=x_mix.shape[1:])
wide = keras.layers.Conv1D(32, 9, activation="relu")(frames)
narrow = keras.layers.Conv1D(32, 3, activation="relu")(frames)
print("padding='valid': wide branch", wide.shape, "narrow branch", narrow.shape)
try:
    keras.layers.Concatenate()([wide, narrow])
except ValueError as error:
    print("Concatenate refuses them:", type(error).__name__)
# --8<-- [end:valid_branches]

# --8<-- [start:two_branch]
frames = keras.Input(shape=x_mix.shape[1:], name="log_mel")
wide = keras.layers.Conv1D(32, 9, padding="same", activation="relu", name="wide")(frames)
narrow = keras.layers.Conv1D(32, 3, padding="same", activation="relu", name="narrow")(frames)
merged = keras.layers.Concatenate(name="merge")([wide, narrow])
hidden = keras.layers.Conv1D(32, 3, padding="same", activation="relu", name="mix")(merged)
shares = keras.layers.Conv1D(len(SOURCES), 1, activation="softmax", name="shares")(hidden)
separator = keras.Model(frames, shares, name="two_branch_separator")
separator.summary()

predicted = keras.ops.convert_to_numpy(separator(x_mix))
print("prediction:", predicted.shape, "target:", y_mix.shape, "same shape:", predicted.shape == y_mix.shape)
separator.compile(optimizer="adam", loss="mse")
separator.train_on_batch(x_mix, y_mix)  # one step on real targets: the shapes fit the loss
# --8<-- [end:two_branch]

# --8<-- [start:raw_waveform]
RAW_RATE = 16_000  # Hz
RAW_SAMPLES = RAW_RATE  # one second, one channel
raw_t = np.arange(RAW_SAMPLES) / RAW_RATE


def raw_clip(label):
    """One second of one of the four classes at 16 kHz, with the frequencies of the clips above."""
    low, high, pitch = rng.uniform(200, 1000), rng.uniform(1500, 3500), rng.uniform(200, 3500)
    if CLASSES[label] == "noise":
        signal = rng.uniform(-1, 1, RAW_SAMPLES)
    else:
        start, end = {"tone": (pitch, pitch), "rising chirp": (low, high), "falling chirp": (high, low)}[CLASSES[label]]
        phase = 2 * np.pi * (start * raw_t + (end - start) * raw_t**2 / (2 * raw_t[-1]))
        signal = np.sin(phase + rng.uniform(0, 2 * np.pi))
    background = 0.05 * rng.normal(size=RAW_SAMPLES)
    return (rng.uniform(0.3, 1.0) * signal + background).astype("float32")


def raw_dataset(size):
    labels = rng.integers(0, len(CLASSES), size=size)
    return np.stack([raw_clip(label) for label in labels])[..., np.newaxis], labels  # (batch, samples, 1)


raw_train, raw_y_train = raw_dataset(800)
raw_test, raw_y_test = raw_dataset(200)
print("raw_train:", raw_train.shape, " raw_test:", raw_test.shape, "(batch, samples, channels)")

keras.utils.set_random_seed(42)
raw_classifier = keras.Sequential(
    [
        keras.Input(shape=(RAW_SAMPLES, 1)),
        # A learned filter bank: 16 filters of 64 samples (4 ms), every 8 samples (0.5 ms).
        keras.layers.Conv1D(16, 64, strides=8, activation="relu"),
        keras.layers.MaxPooling1D(4),
        keras.layers.Conv1D(32, 8, activation="relu"),
        keras.layers.MaxPooling1D(4),
        keras.layers.Conv1D(32, 8, activation="relu"),
        keras.layers.MaxPooling1D(4),
        keras.layers.Flatten(),  # keeps the order of the frames: rising and falling chirps differ in it
        keras.layers.Dense(len(CLASSES), activation="softmax"),
    ],
    name="raw_waveform_classifier",
)
raw_classifier.summary()
raw_classifier.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
raw_classifier.fit(raw_train, raw_y_train, epochs=10, batch_size=32, verbose=0)
_, raw_accuracy = raw_classifier.evaluate(raw_test, raw_y_test, verbose=0)
print("raw waveform, test accuracy >= 0.9:", raw_accuracy >= 0.9)
# --8<-- [end:raw_waveform]

# --8<-- [start:spectrogram_image]
image_stft = keras.layers.STFTSpectrogram(
    mode="log", frame_length=FRAME_LENGTH, frame_step=HOP, expand_dims=True, trainable=False
)
images_train = keras.ops.convert_to_numpy(image_stft(waves_train[..., np.newaxis]))
images_test = keras.ops.convert_to_numpy(image_stft(waves_test[..., np.newaxis]))
print("images_train:", images_train.shape, "(batch, frames, frequency bins, 1)")

keras.utils.set_random_seed(42)
scale = keras.layers.Normalization(axis=None)  # one mean and variance for the whole image
scale.adapt(images_train)
image_classifier = keras.Sequential(
    [
        keras.Input(shape=images_train.shape[1:]),
        scale,
        # 3x3 windows over (time, frequency): a chirp is a slanted line, a tone a level one.
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(len(CLASSES), activation="softmax"),
    ],
    name="spectrogram_image_classifier",
)
image_classifier.summary()
image_classifier.compile(
    optimizer=keras.optimizers.Adam(learning_rate=3e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
image_classifier.fit(images_train, y_train, epochs=5, batch_size=32, verbose=0)
_, image_accuracy = image_classifier.evaluate(images_test, y_test, verbose=0)
print("spectrogram image, test accuracy >= 0.9:", image_accuracy >= 0.9)
# --8<-- [end:spectrogram_image]

# --8<-- [start:picture]
BANDS = 4  # neighbouring frequency bins drawn as one row
LEVELS = 8  # shades of ink, from none to full
CELL_W, CELL_H, GAP, LEFT, TOP = 5, 4, 24, 28, 30


def spectrogram_svg(images, titles):
    """Log spectrograms (frames, bins) side by side as SVG: time to the right, frequency up.

    The ink is the page's text colour (``currentColor``) at one of LEVELS opacities, so the picture
    follows the site's light and dark palettes; cells of the lowest level are left blank.
    """
    frames, bins = images[0].shape
    rows = bins // BANDS
    banded = [image[:, : rows * BANDS].reshape(frames, rows, BANDS).max(axis=-1) for image in images]
    # The faint background noise, below the median of all cells, stays blank.
    low, high = np.median(np.stack(banded)), max(b.max() for b in banded)
    levels = [np.rint(np.clip((b - low) / (high - low), 0, 1) * (LEVELS - 1)).astype(int) for b in banded]
    panel_w, panel_h = frames * CELL_W, rows * CELL_H
    width, height = LEFT + len(images) * (panel_w + GAP), TOP + panel_h + 24
    paths = {level: [] for level in range(1, LEVELS)}
    for index, level in enumerate(levels):
        x0 = LEFT + index * (panel_w + GAP)
        for frame, row in zip(*np.nonzero(level), strict=True):
            x, y = x0 + frame * CELL_W, TOP + panel_h - (row + 1) * CELL_H
            paths[level[frame, row]].append(f"M{x} {y}h{CELL_W}v{CELL_H}h-{CELL_W}z")
    description = (
        "Log spectrograms of one clip of each class, time from left to right and frequency from bottom "
        "to top, darker where the energy is higher: the tone is a level line, the rising chirp a line "
        "that climbs, the falling chirp a line that descends, and the noise covers every frequency."
    )
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="spectrograms-title spectrograms-desc" '
        'font-family="sans-serif" font-size="12">',
        '<title id="spectrograms-title">Spectrograms of the four classes</title>',
        f'<desc id="spectrograms-desc">{description}</desc>',
    ]
    for level, cells in paths.items():
        if cells:
            lines.append(f'<path fill="currentColor" fill-opacity="{level / (LEVELS - 1):.2f}" d="{"".join(cells)}"/>')
    for index, title in enumerate(titles):
        x0 = LEFT + index * (panel_w + GAP)
        lines.append(
            f'<text class="label" x="{x0 + panel_w / 2}" y="{TOP - 10}" text-anchor="middle" '
            f'fill="currentColor">{title}</text>'
        )
        lines.append(
            f'<rect x="{x0}" y="{TOP}" width="{panel_w}" height="{panel_h}" fill="none" '
            'stroke="currentColor" stroke-opacity="0.4"/>'
        )
    lines.append(f'<text class="label" x="{LEFT}" y="{height - 6}" fill="currentColor">time →</text>')
    lines.append(
        f'<text class="label" x="{LEFT - 10}" y="{TOP + panel_h}" fill="currentColor" '
        f'transform="rotate(-90 {LEFT - 10} {TOP + panel_h})">'
        "frequency →</text>"
    )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


picture = spectrogram_svg(spectrograms, CLASSES)
# Written by `python scripts/dev.py update`, compared with this fresh render by the tests.
FIGURES = {"docs/assets/guides/audio-spectrograms.svg": picture}
print(f"{len(spectrograms)} spectrograms of {spectrograms.shape[1]} frames x {spectrograms.shape[2]} bins,")
print(f"drawn as {spectrograms.shape[2] // BANDS} rows of {BANDS} bins each, in {LEVELS - 1} shades of ink")
# --8<-- [end:picture]
