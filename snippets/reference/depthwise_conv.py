"""Worked examples for the depthwise convolution layers (docs/reference/depthwise.md)."""

# --8<-- [start:conv1d]
from math import prod

import keras

model = keras.Sequential(
    [
        keras.Input(shape=(100, 64)),  # 100 steps, 64 channels
        keras.layers.DepthwiseConv1D(kernel_size=3),
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
        keras.Input(shape=(128, 128, 3)),  # an RGB image
        keras.layers.DepthwiseConv2D(kernel_size=(3, 3)),
    ]
)
model.summary()

kernel, bias = model.layers[0].weights
print("kernel:", kernel.shape, "bias:", bias.shape)
print("kernel + bias:", prod(kernel.shape), "+", prod(bias.shape), "=", model.count_params())
# --8<-- [end:conv2d]
