"""What a transposed convolution computes, shown on one channel (docs/reference/transposed.md)."""

# --8<-- [start:scatter]
import keras
import numpy as np

layer = keras.layers.Conv1DTranspose(filters=1, kernel_size=3, strides=2, use_bias=False)
layer.build((None, 4, 1))
layer.set_weights([np.array([1.0, 2.0, 3.0], dtype="float32").reshape(3, 1, 1)])

# One input position at a time: each one writes a copy of the kernel, two steps further along.
for position in range(4):
    x = np.zeros((1, 4, 1), dtype="float32")
    x[0, position, 0] = 1.0
    print(f"input 1 at {position}:", keras.ops.convert_to_numpy(layer(x))[0, :, 0])

# All four at once: the copies add up where they overlap.
print("all inputs 1:", keras.ops.convert_to_numpy(layer(np.ones((1, 4, 1), dtype="float32")))[0, :, 0])
# --8<-- [end:scatter]

# --8<-- [start:adjoint]
rng = np.random.default_rng(0)
conv = keras.layers.Conv1D(filters=4, kernel_size=3, strides=2, use_bias=False)
transposed = keras.layers.Conv1DTranspose(filters=3, kernel_size=3, strides=2, use_bias=False)
conv.build((None, 9, 3))
transposed.build((None, 4, 4))
print("kernels:", conv.kernel.shape, transposed.kernel.shape)
transposed.set_weights(conv.get_weights())  # the very same array

x = rng.normal(size=(1, 9, 3)).astype("float32")  # what the convolution reads
y = rng.normal(size=(1, 4, 4)).astype("float32")  # what it writes, and the transposed layer reads
forward = keras.ops.convert_to_numpy(conv(x))
backward = keras.ops.convert_to_numpy(transposed(y))
print("shapes:", x.shape, "->", forward.shape, "and", y.shape, "->", backward.shape)
print("<conv(x), y> equals <x, transposed(y)>:", np.isclose(np.sum(forward * y), np.sum(x * backward), rtol=1e-4))
# --8<-- [end:adjoint]
