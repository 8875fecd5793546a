"""Depthwise convolution, channel by channel (docs/reference/depthwise.md)."""

# --8<-- [start:per_channel]
import keras
import numpy as np

# Three channels of six steps; only channel 1 carries a signal.
x = np.zeros((1, 6, 3), dtype="float32")
x[0, :, 1] = 1.0

layer = keras.layers.DepthwiseConv1D(kernel_size=3, depth_multiplier=2, use_bias=False)
layer.build(x.shape)
layer.set_weights([np.ones((3, 3, 2), dtype="float32")])  # every kernel all ones
y = keras.ops.convert_to_numpy(layer(x))

print("output shape:", y.shape)
for channel in range(y.shape[-1]):
    print(f"output channel {channel} (input channel {channel // 2}):", y[0, :, channel])
# --8<-- [end:per_channel]

# --8<-- [start:grouped]
rng = np.random.default_rng(0)
images = rng.normal(size=(2, 16, 16, 8)).astype("float32")

depthwise = keras.layers.DepthwiseConv2D(kernel_size=3)
grouped = keras.layers.Conv2D(filters=8, kernel_size=3, groups=8)
depthwise.build(images.shape)
grouped.build(images.shape)
print("depthwise kernel:", depthwise.kernel.shape, "grouped kernel:", grouped.kernel.shape)

# The same numbers, laid out for the grouped convolution: (3, 3, 8, 1) -> (3, 3, 1, 8).
kernel, bias = depthwise.get_weights()
grouped.set_weights([kernel.reshape(3, 3, 1, 8), bias])
outputs = [keras.ops.convert_to_numpy(layer(images)) for layer in (depthwise, grouped)]
same = np.allclose(*outputs, atol=1e-5)
print("same outputs:", same, "| params:", depthwise.count_params(), "and", grouped.count_params())
# --8<-- [end:grouped]
