"""Conv3D learns which way a blob moves in generated clips (docs/guides/video-and-volumes.md)."""

# --8<-- [start:data]
import keras
import numpy as np

keras.utils.set_random_seed(42)
rng = np.random.default_rng(42)

FRAMES, SIZE = 8, 16  # clips of 8 frames of 16x16 pixels, one channel
LEFT, RIGHT = 0, 1
rows, columns = np.mgrid[0:SIZE, 0:SIZE]


def clip(direction):
    """A soft blob crossing part of the frame at a random height, speed and starting point."""
    speed = rng.uniform(0.7, 1.3)  # pixels per frame
    travel = speed * (FRAMES - 1)
    start = rng.uniform(2, SIZE - 3 - travel)
    steps = np.arange(FRAMES) * speed
    xs = start + steps if direction == RIGHT else start + travel - steps
    y = rng.uniform(3, SIZE - 4)
    frames = [np.exp(-((columns - x) ** 2 + (rows - y) ** 2) / (2 * 1.5**2)) for x in xs]
    noise = 0.1 * rng.normal(size=(FRAMES, SIZE, SIZE))
    return (np.stack(frames) + noise)[..., np.newaxis].astype("float32")  # (frames, height, width, channels)


def dataset(size):
    directions = rng.integers(0, 2, size=size)
    return np.stack([clip(direction) for direction in directions]), directions


x_train, y_train = dataset(600)
x_test, y_test = dataset(200)
print("x_train:", x_train.shape, " x_test:", x_test.shape, "(clips, frames, height, width, channels)")

for direction, name in [(RIGHT, "right"), (LEFT, "left")]:
    example = x_train[y_train == direction][0, ..., 0]
    brightest_column = example.sum(axis=1).argmax(axis=1)  # per frame: the column holding the most light
    print(f"moving {name:<5} brightest column in frames 1-{FRAMES}:", *brightest_column)
# --8<-- [end:data]


# --8<-- [start:model]
def direction_model(kernel_size, name):
    return keras.Sequential(
        [
            keras.Input(shape=(FRAMES, SIZE, SIZE, 1)),
            keras.layers.Conv3D(8, kernel_size, padding="same", activation="relu"),
            keras.layers.MaxPooling3D(pool_size=(1, 2, 2)),  # halve height and width, keep every frame
            keras.layers.Conv3D(16, kernel_size, padding="same", activation="relu"),
            keras.layers.GlobalAveragePooling3D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name=name,
    )


model = direction_model(kernel_size=(3, 3, 3), name="conv3d_direction")
model.summary()
# --8<-- [end:model]


# --8<-- [start:train]
def train_and_test(model):
    keras.utils.set_random_seed(42)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=32, verbose=0)
    return model.evaluate(x_test, y_test, verbose=0)[1]


test_accuracy = train_and_test(model)
print("test accuracy >= 0.95:", test_accuracy >= 0.95)
# --8<-- [end:train]

# --8<-- [start:reversed]
moving_right = model.predict(x_test, verbose=0)[:, 0] > 0.5
reversed_right = model.predict(x_test[:, ::-1], verbose=0)[:, 0] > 0.5  # the same clips played backwards
flipped = np.mean(moving_right != reversed_right)
print("played backwards, the predicted direction flips for >= 95% of the test clips:", flipped >= 0.95)
# --8<-- [end:reversed]

# --8<-- [start:frame_by_frame]
frame_by_frame = direction_model(kernel_size=(1, 3, 3), name="frame_by_frame")
frame_accuracy = train_and_test(frame_by_frame)
for trained, passed in [(model, test_accuracy >= 0.95), (frame_by_frame, frame_accuracy < 0.6)]:
    claim = "test accuracy >= 0.95:" if trained is model else "test accuracy < 0.6: "
    print(f"{trained.name:<17} kernel {trained.layers[0].kernel_size}  {claim}", passed)
# --8<-- [end:frame_by_frame]
