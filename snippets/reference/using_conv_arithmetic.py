"""layer_info next to Keras's own answers (docs/reference/formulas-as-code.md)."""

# In this repository the module is snippets/conv_arithmetic.py; saved next to your own script, import it
# as `from conv_arithmetic import layer_info`.
# --8<-- [start:calls]
import keras

from snippets.conv_arithmetic import layer_info

for name, config, input_shape in [
    ("Conv2D", {"filters": 64, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 128, 128, 3)),
    ("SeparableConv1D", {"filters": 32, "kernel_size": 3, "depth_multiplier": 2}, (None, 100, 64)),
    ("Conv3DTranspose", {"filters": 8, "kernel_size": 4, "strides": 2, "output_padding": 1}, (None, 8, 16, 16, 3)),
]:
    info = layer_info(name, config, input_shape)
    layer = getattr(keras.layers, name)(**config)
    layer.build(input_shape)
    print(name, config)
    print("  layer_info:", info["params"], info["weight_shapes"], info["output_shape"])
    print(
        "  Keras:     ",
        layer.count_params(),
        [tuple(w.shape) for w in layer.weights],
        tuple(layer.compute_output_shape(input_shape)),
    )
    print("  MACs per example:", f"{info['macs']:,}")
# --8<-- [end:calls]

# --8<-- [start:model]
layers = [
    ("Conv2D", {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"}),
    ("DepthwiseConv2D", {"kernel_size": 3, "padding": "same", "use_bias": False}),
    ("BatchNormalization", {}),
    ("Conv2D", {"filters": 64, "kernel_size": 1}),
    ("GlobalAveragePooling2D", {}),
    ("Dense", {"units": 10}),
]

shape, params, macs = (None, 96, 96, 3), 0, 0
for name, config in layers:
    info = layer_info(name, config, shape)
    shape, params, macs = info["output_shape"], params + info["params"], macs + info["macs"]

model = keras.Sequential(
    [keras.Input(shape=(96, 96, 3))] + [getattr(keras.layers, name)(**config) for name, config in layers]
)
print("layer_info:", shape, f"{params:,} params", f"{macs:,} MACs")
print("Keras:     ", model.output_shape, f"{model.count_params():,} params")
# --8<-- [end:model]

# --8<-- [start:rejects]
for name, config, input_shape in [
    ("Conv2D", {"filters": 8, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 32, 32, 3)),
    ("SeparableConv1D", {"filters": 8, "kernel_size": 3, "padding": "causal"}, (None, 100, 8)),
    ("Conv1D", {"filters": 8, "kernel_size": 5}, (None, 4, 8)),
    (
        "Conv1DTranspose",
        {"filters": 8, "kernel_size": 4, "strides": 2, "padding": "same", "output_padding": 0},
        (None, 10, 8),
    ),
]:
    try:
        layer_info(name, config, input_shape)
    except ValueError as error:
        print(f"{name}: {error}")
# --8<-- [end:rejects]

# --8<-- [start:keras_shape]
layer = keras.layers.Conv1DTranspose(filters=8, kernel_size=4, strides=2, padding="same", output_padding=0)
print("Keras's compute_output_shape:", layer.compute_output_shape((None, 10, 8)))
# --8<-- [end:keras_shape]
