"""Worked examples for the transposed convolution layers (docs/reference/transposed.md)."""

# --8<-- [start:conv1d]
from math import prod

import keras

model = keras.Sequential(
    [
        keras.Input(shape=(100, 64)),  # 100 steps, 64 channels
        keras.layers.Conv1DTranspose(filters=32, kernel_size=3),
    ]
)
model.summary()

kernel, bias = model.layers[0].weights
print("kernel:", kernel.shape, "bias:", bias.shape)
print("kernel + bias:", prod(kernel.shape), "+", prod(bias.shape), "=", model.count_params())
# --8<-- [end:conv1d]

# --8<-- [start:conv2d]
model = keras.Sequential(
    [
        keras.Input(shape=(64, 64, 3)),  # a small RGB image
        keras.layers.Conv2DTranspose(filters=64, kernel_size=(3, 3)),
    ]
)
model.summary()

kernel, bias = model.layers[0].weights
print("kernel:", kernel.shape, "bias:", bias.shape)
print("kernel + bias:", prod(kernel.shape), "+", prod(bias.shape), "=", model.count_params())
# --8<-- [end:conv2d]

# --8<-- [start:conv3d]
model = keras.Sequential(
    [
        keras.Input(shape=(16, 64, 64, 3)),  # 16 RGB frames of 64x64
        keras.layers.Conv3DTranspose(filters=32, kernel_size=(3, 3, 3)),
    ]
)
model.summary()

kernel, bias = model.layers[0].weights
print("kernel:", kernel.shape, "bias:", bias.shape)
print("kernel + bias:", prod(kernel.shape), "+", prod(bias.shape), "=", model.count_params())
# --8<-- [end:conv3d]

# --8<-- [start:upsample]
inputs = keras.Input(shape=(32, 32, 64))
for settings in [
    dict(kernel_size=3, strides=2),
    dict(kernel_size=3, strides=2, output_padding=1),
    dict(kernel_size=3, strides=2, padding="same"),
    dict(kernel_size=4, strides=2, padding="same"),
]:
    layer = keras.layers.Conv2DTranspose(filters=16, **settings)
    arguments = ", ".join(f"{key}={value!r}" for key, value in settings.items())
    print(f"{arguments:<45} -> {layer(inputs).shape}")
# --8<-- [end:upsample]
