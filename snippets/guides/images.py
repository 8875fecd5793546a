"""A Conv2D classifier for scikit-learn's handwritten digits, and a SeparableConv2D variant (docs/guides/images.md)."""

# --8<-- [start:data]
import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(42)

digits = load_digits()
print("images:", digits.images.shape, digits.images.dtype, "values", digits.images.min(), "to", digits.images.max())
print("labels:", digits.target.shape, "classes", np.unique(digits.target))

# Scale to [0, 1] and add the channel axis: (samples, height, width, channels).
x = (digits.images / 16.0).astype("float32")[..., np.newaxis]
y = digits.target
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)
print("train:", x_train.shape, "test:", x_test.shape)
# --8<-- [end:data]

# --8<-- [start:look]
shades = " .:-=+*#%@"
print("label:", y_train[0])
for row in x_train[0, :, :, 0]:
    print("".join(shades[round(value * 9)] * 2 for value in row).rstrip())
# --8<-- [end:look]


# --8<-- [start:model]
def digit_classifier(second_conv, name):
    """Two convolution blocks, then a softmax over the 10 digits."""
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            second_conv(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name=name,
    )


model = digit_classifier(keras.layers.Conv2D, name="conv2d_digits")
model.summary()
# --8<-- [end:model]


# --8<-- [start:train]
def train_and_test(model):
    """Train with a fixed seed and return the accuracy on the held-out test images."""
    keras.utils.set_random_seed(42)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=20, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return accuracy


conv_accuracy = train_and_test(model)
print("test accuracy >= 0.95:", conv_accuracy >= 0.95)
# --8<-- [end:train]

# --8<-- [start:separable]
separable = digit_classifier(keras.layers.SeparableConv2D, name="separable_digits")
separable.summary()
for weight in separable.layers[2].weights:
    print(f"{weight.path:<40} {weight.shape}")
separable_accuracy = train_and_test(separable)
# --8<-- [end:separable]

# --8<-- [start:compare]
print(f"{'model':<18} {'second conv':>11} {'total':>6}  test accuracy >= 0.95")
for trained, accuracy in [(model, conv_accuracy), (separable, separable_accuracy)]:
    second_conv = trained.layers[2]
    print(f"{trained.name:<18} {second_conv.count_params():>11,} {trained.count_params():>6,}  {accuracy >= 0.95}")
# --8<-- [end:compare]
