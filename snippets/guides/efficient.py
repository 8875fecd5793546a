"""Standard, separable and depthwise convolutions: parameters, MACs and CPU time (docs/guides/efficient.md)."""

# --8<-- [start:one_layer]
import math
import time

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from snippets.conv_arithmetic import layer_info


def macs(model):
    """Multiply-accumulates for one example: the sum over the model's layers."""
    return sum(info(layer, layer.input.shape)["macs"] for layer in model.layers)


def info(layer, input_shape):
    """conv_arithmetic's params, weight shapes, output shape and MACs of a Keras layer."""
    return layer_info(type(layer).__name__, layer.get_config(), tuple(input_shape))


shape, filters, k = (56, 56, 64), 128, 3
stacks = {
    "Conv2D": [keras.layers.Conv2D(filters, k, padding="same")],
    "SeparableConv2D": [keras.layers.SeparableConv2D(filters, k, padding="same")],
    "DepthwiseConv2D + 1x1": [
        keras.layers.DepthwiseConv2D(k, padding="same"),
        keras.layers.Conv2D(filters, 1),
    ],
}
one_layer = {name: keras.Sequential([keras.Input(shape), *stack]) for name, stack in stacks.items()}
layer_macs = {name: macs(model) for name, model in one_layer.items()}

print(f"{'':<22} {'output':<20} {'params':>7} {'MACs':>12}")
for name, model in one_layer.items():
    output = str(model.layers[-1].output.shape)
    print(f"{name:<22} {output:<20} {model.count_params():>7,} {layer_macs[name]:>12,}")

# Check: every kernel weight is used once per output position (stride 1; biases not counted).
positions = shape[0] * shape[1]  # "same" padding keeps height and width
by_definition = {
    name: positions * sum(math.prod(w.shape) for w in model.weights if "kernel" in w.name)
    for name, model in one_layer.items()
}
print("MACs = output positions x kernel weights:", by_definition == layer_macs)
ratio = layer_macs["SeparableConv2D"] / layer_macs["Conv2D"]
print(f"separable / standard MACs: {ratio:.4f}; 1/filters + 1/k^2 = {1 / filters + 1 / k**2:.4f}")
# --8<-- [end:one_layer]


# --8<-- [start:block]
mobilenet_block = keras.Sequential(
    [
        keras.Input(shape),
        keras.layers.DepthwiseConv2D(k, padding="same", use_bias=False),
        keras.layers.BatchNormalization(),
        keras.layers.ReLU(),
        keras.layers.Conv2D(filters, 1, use_bias=False),  # pointwise: mixes the channels
        keras.layers.BatchNormalization(),
        keras.layers.ReLU(),
    ],
    name="mobilenet_block",
)
mobilenet_block.summary()
print(f"MACs: {macs(mobilenet_block):,}")
# --8<-- [end:block]


# --8<-- [start:model]
def conv_block(kind, filters, strides=1):
    """One 3x3 convolution of the given kind, as a list of layers."""
    if kind == "standard":
        return [keras.layers.Conv2D(filters, 3, strides=strides, padding="same", activation="relu")]
    if kind == "separable":
        return [
            keras.layers.SeparableConv2D(filters, 3, strides=strides, padding="same", activation="relu"),
        ]
    return [  # "mobilenet"
        keras.layers.DepthwiseConv2D(3, strides=strides, padding="same", use_bias=False),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.ReLU(),
        keras.layers.Conv2D(filters, 1, use_bias=False),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.ReLU(),
    ]


def build_classifier(kind, input_shape):
    return keras.Sequential(
        [
            keras.Input(input_shape),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),  # a standard stem
            *conv_block(kind, 64),
            *conv_block(kind, 128, strides=2),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name=kind,
    )


KINDS = ("standard", "separable", "mobilenet")
digits_models = {kind: build_classifier(kind, (8, 8, 1)) for kind in KINDS}
digits_models["mobilenet"].summary()

print(f"{'':<10} {'params':>7} {'MACs per 8x8 image':>19}")
for kind, model in digits_models.items():
    print(f"{kind:<10} {model.count_params():>7,} {macs(model):>19,}")
# --8<-- [end:model]

# --8<-- [start:train]
digits = load_digits()
images = (digits.images / 16.0).astype("float32")[..., np.newaxis]  # (n, 8, 8, 1), in [0, 1]
x_train, x_test, y_train, y_test = train_test_split(
    images, digits.target, test_size=0.2, random_state=0, stratify=digits.target
)

model = digits_models["mobilenet"]
model.compile(
    optimizer=keras.optimizers.Adam(0.003),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(x_train, y_train, epochs=5, batch_size=32, verbose=0)
_, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print("mobilenet-style model, test accuracy >= 0.95:", test_accuracy >= 0.95)
# --8<-- [end:train]


# --8<-- [start:timing]
def best_times(functions, x, repeats=9):
    """Shortest wall time of each function on x, in seconds; the functions take turns."""
    for f in functions.values():
        f(x)  # warm-up: the first call traces and allocates
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, f in functions.items():
            start = time.perf_counter()
            f(x)
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


rng = np.random.default_rng(0)

# The standard and separable classifiers on larger images: 64x64, a batch of 16.
large = {kind: build_classifier(kind, (64, 64, 1)) for kind in ("standard", "separable")}
batch = rng.random((16, 64, 64, 1), "float32")
model_time = best_times({kind: m.predict_on_batch for kind, m in large.items()}, batch)
model_macs = {kind: macs(m) for kind, m in large.items()}
print(f"MACs, standard / separable: {model_macs['standard'] / model_macs['separable']:.1f}")
for kind, seconds in model_time.items():
    print(f"time, {kind} model: {seconds * 1e3:.2f} ms")

# The layers of the MobileNet block on their own, on a batch of 8 feature maps.
feature_shape = (*shape[:2], filters)
parts = {
    "depthwise 3x3": keras.layers.DepthwiseConv2D(k, padding="same"),
    "pointwise 1x1": keras.layers.Conv2D(filters, 1),
    "batch norm": keras.layers.BatchNormalization(),
}
features = keras.ops.convert_to_tensor(rng.random((8, *feature_shape), "float32"))
part_time = best_times(parts, features)
part_macs = {name: info(layer, features.shape)["macs"] for name, layer in parts.items()}
print(f"MACs, pointwise / depthwise: {part_macs['pointwise 1x1'] / part_macs['depthwise 3x3']:.1f}")
for name, seconds in part_time.items():
    per_mac = f", {seconds / part_macs[name] * 1e9:.3f} ns per MAC" if part_macs[name] else ", no MACs"
    print(f"time, {name}: {seconds * 1e3:.3f} ms{per_mac}")
# --8<-- [end:timing]
