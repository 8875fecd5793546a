"""Worked examples for the separable convolution layers (docs/reference/separable.md)."""

# --8<-- [start:conv1d]
from math import prod

import keras

model = keras.Sequential(
    [
        keras.Input(shape=(100, 64)),  # 100 steps, 64 channels
        keras.layers.SeparableConv1D(filters=32, kernel_size=3),
    ]
)
model.summary()

for weight in model.layers[0].weights:
    print(f"{weight.name:<17} {weight.shape!s:<14} {prod(weight.shape):>6,} values")
# --8<-- [end:conv1d]

# --8<-- [start:conv2d]
model = keras.Sequential(
    [
        keras.Input(shape=(128, 128, 3)),  # an RGB image
        keras.layers.SeparableConv2D(filters=64, kernel_size=(3, 3)),
    ]
)
model.summary()

for weight in model.layers[0].weights:
    print(f"{weight.name:<17} {weight.shape!s:<14} {prod(weight.shape):>6,} values")
# --8<-- [end:conv2d]

# --8<-- [start:versus_conv]
inputs = keras.Input(shape=(32, 32, 64))
for layer in [
    keras.layers.Conv2D(filters=128, kernel_size=3, padding="same"),
    keras.layers.SeparableConv2D(filters=128, kernel_size=3, padding="same"),
]:
    outputs = layer(inputs)
    print(f"{type(layer).__name__:<16} output {outputs.shape}  params {layer.count_params():>6,}")
# --8<-- [end:versus_conv]
