"""Worked examples for the standard convolution layers (docs/reference/standard.md)."""

# --8<-- [start:conv1d]
import keras

model = keras.Sequential(
    [
        keras.Input(shape=(100, 64)),  # 100 steps, 64 channels
        keras.layers.Conv1D(filters=32, kernel_size=3),
    ]
)
model.summary()

kernel, bias = model.layers[0].weights
print("kernel:", kernel.shape, "bias:", bias.shape)
k, c_in, filters = kernel.shape
print(f"{k} * {c_in} * {filters} + {filters} =", k * c_in * filters + filters)
# --8<-- [end:conv1d]

# --8<-- [start:conv2d]
model = keras.Sequential(
    [
        keras.Input(shape=(128, 128, 3)),  # an RGB image
        keras.layers.Conv2D(filters=64, kernel_size=(3, 3)),
    ]
)
model.summary()

kernel, bias = model.layers[0].weights
print("kernel:", kernel.shape, "bias:", bias.shape)
kh, kw, c_in, filters = kernel.shape
print(f"{kh} * {kw} * {c_in} * {filters} + {filters} =", kh * kw * c_in * filters + filters)
# --8<-- [end:conv2d]

# --8<-- [start:conv3d_volume]
volume = keras.Sequential(
    [
        keras.Input(shape=(64, 64, 64, 1)),  # depth, height, width, 1 channel
        keras.layers.Conv3D(filters=32, kernel_size=(3, 3, 3)),
    ]
)
volume.summary()
# --8<-- [end:conv3d_volume]

# --8<-- [start:conv3d_video]
video = keras.Sequential(
    [
        keras.Input(shape=(16, 128, 128, 3)),  # 16 RGB frames
        keras.layers.Conv3D(filters=32, kernel_size=(3, 3, 3)),
    ]
)
video.summary()
# --8<-- [end:conv3d_video]

# --8<-- [start:text]
text = keras.Sequential(
    [
        keras.Input(shape=(100,), dtype="int32"),  # 100 token ids per sequence
        keras.layers.Embedding(input_dim=10000, output_dim=64),
        keras.layers.Conv1D(filters=32, kernel_size=3, activation="relu"),
    ]
)
text.summary()
# --8<-- [end:text]
