"""Embedding + Conv1D + pooling that spots a three-token motif in generated sequences (docs/guides/text.md)."""

# --8<-- [start:data]
import keras
import numpy as np

keras.utils.set_random_seed(42)
rng = np.random.default_rng(42)

VOCAB_SIZE = 50  # token ids 1..49 are words; 0 is reserved for padding
MAX_LEN = 40
MOTIF = [7, 3, 11]


def has_motif(tokens):
    return any(list(tokens[i : i + 3]) == MOTIF for i in range(len(tokens) - 2))


def sentence(label):
    """Random words with the three motif tokens side by side: in motif order only if label is 1."""
    while True:
        length = rng.integers(12, MAX_LEN + 1)
        tokens = rng.integers(1, VOCAB_SIZE, size=length)
        start = rng.integers(0, length - 2)
        tokens[start : start + 3] = MOTIF if label else rng.permutation(MOTIF)
        if has_motif(tokens) == label:  # a shuffle can land back on the motif: draw again
            return tokens


def dataset(size):
    labels = rng.integers(0, 2, size=size)
    sequences = [sentence(label) for label in labels]
    return sequences, labels


train_sequences, y_train = dataset(1500)
test_sequences, y_test = dataset(500)
for label in (1, 0):
    example = next(s for s, y in zip(train_sequences, y_train, strict=True) if y == label)
    print(f"label {label}, {len(example)} tokens:", *example)
# --8<-- [end:data]

# --8<-- [start:pad]
x_train = keras.utils.pad_sequences(train_sequences, maxlen=MAX_LEN, padding="post")
x_test = keras.utils.pad_sequences(test_sequences, maxlen=MAX_LEN, padding="post")
print("x_train:", x_train.shape, x_train.dtype, " x_test:", x_test.shape)
print("first row:", *x_train[0])
# --8<-- [end:pad]

# --8<-- [start:model]
model = keras.Sequential(
    [
        keras.Input(shape=(MAX_LEN,), dtype="int32"),
        keras.layers.Embedding(input_dim=VOCAB_SIZE, output_dim=16),
        keras.layers.Conv1D(filters=32, kernel_size=3, padding="same", activation="relu"),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ],
    name="motif_cnn",
)
model.summary()
# --8<-- [end:model]

# --8<-- [start:shapes]
batch = x_test[:4]
print(f"{'token ids':<42} {batch.shape}")
for layer in model.layers:
    batch = layer(batch)
    print(f"{layer.name + ' (' + type(layer).__name__ + ')':<42} {tuple(batch.shape)}")
# --8<-- [end:shapes]


# --8<-- [start:train]
def train_and_test(model):
    keras.utils.set_random_seed(42)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=32, verbose=0)
    return model.evaluate(x_test, y_test, verbose=0)[1]


conv_accuracy = train_and_test(model)
print("Conv1D test accuracy >= 0.95:", conv_accuracy >= 0.95)
# --8<-- [end:train]

# --8<-- [start:bag]
bag_of_words = keras.Sequential(
    [
        keras.Input(shape=(MAX_LEN,), dtype="int32"),
        keras.layers.Embedding(input_dim=VOCAB_SIZE, output_dim=16),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ],
    name="bag_of_words",
)
bag_accuracy = train_and_test(bag_of_words)
print("bag-of-words test accuracy < 0.6:", bag_accuracy < 0.6)
# --8<-- [end:bag]

# --8<-- [start:length]
kernel, bias = model.layers[1].weights
print("Conv1D kernel:", kernel.shape, "bias:", bias.shape)

any_length = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), *model.layers], name="any_length")
x_test_long = keras.utils.pad_sequences(test_sequences, maxlen=3 * MAX_LEN, padding="post")
any_length.compile(loss="binary_crossentropy", metrics=["accuracy"])
_, long_accuracy = any_length.evaluate(x_test_long, y_test, verbose=0)
print("test sequences padded to", x_test_long.shape[1], "tokens, accuracy >= 0.95:", long_accuracy >= 0.95)
# --8<-- [end:length]
