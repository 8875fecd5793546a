"""Where the padding goes, and output lengths checked on Keras (docs/reference/shape-arithmetic.md)."""

# --8<-- [start:ones]
import keras
import numpy as np


def ones_conv(kernel_size, padding, strides=1):
    """A Conv1D whose output counts the real (not padded) inputs under each window."""
    layer = keras.layers.Conv1D(1, kernel_size, strides=strides, padding=padding, use_bias=False)
    layer.build((None, None, 1))
    layer.set_weights([np.ones((kernel_size, 1, 1), dtype="float32")])
    return layer


x = np.ones((1, 7, 1), dtype="float32")
for kernel_size in (3, 4, 5):
    y = keras.ops.convert_to_numpy(ones_conv(kernel_size, "same")(x))
    print(f"kernel_size={kernel_size}, 'same':  ", y[0, :, 0])
print("kernel_size=4, 'causal':", keras.ops.convert_to_numpy(ones_conv(4, "causal")(x))[0, :, 0])
# --8<-- [end:ones]


# --8<-- [start:split]
def same_padding(n, kernel_size, strides=1, dilation_rate=1):
    """(left, right) zeros that padding='same' adds to an axis of length n."""
    span = dilation_rate * (kernel_size - 1) + 1
    out = -(-n // strides)  # ceil(n / strides)
    total = max((out - 1) * strides + span - n, 0)
    return total // 2, total - total // 2


rng = np.random.default_rng(0)
print(" n  k  s  d   left right  same as ZeroPadding1D + 'valid'")
for n, k, s, d in [(7, 3, 1, 1), (7, 4, 1, 1), (10, 3, 2, 1), (11, 3, 2, 1), (10, 4, 3, 1), (9, 3, 1, 3)]:
    left, right = same_padding(n, k, s, d)
    same = keras.layers.Conv1D(2, k, strides=s, dilation_rate=d, padding="same")
    valid = keras.layers.Conv1D(2, k, strides=s, dilation_rate=d, padding="valid")
    same.build((None, n, 3))
    valid.build((None, n + left + right, 3))
    valid.set_weights(same.get_weights())
    x = rng.normal(size=(1, n, 3)).astype("float32")
    padded = keras.layers.ZeroPadding1D((left, right))(x)
    agree = np.allclose(keras.ops.convert_to_numpy(same(x)), keras.ops.convert_to_numpy(valid(padded)), atol=1e-5)
    print(f"{n:2} {k:2} {s:2} {d:2}   {left:4} {right:5}  {agree}")
# --8<-- [end:split]

# --8<-- [start:causal]
causal = keras.layers.Conv1D(2, 3, dilation_rate=2, padding="causal")
valid = keras.layers.Conv1D(2, 3, dilation_rate=2, padding="valid")
causal.build((None, 10, 3))
valid.build((None, 14, 3))
valid.set_weights(causal.get_weights())

x = rng.normal(size=(1, 10, 3)).astype("float32")
span = 2 * (3 - 1) + 1
padded = keras.layers.ZeroPadding1D((span - 1, 0))(x)  # all the zeros on the left
agree = np.allclose(keras.ops.convert_to_numpy(causal(x)), keras.ops.convert_to_numpy(valid(padded)), atol=1e-5)
print("causal == ZeroPadding1D((span - 1, 0)) + 'valid':", agree)
# --8<-- [end:causal]


# --8<-- [start:lengths]
def conv_length(n, kernel_size, strides=1, dilation_rate=1, padding="valid"):
    """Output length of the Conv, DepthwiseConv and SeparableConv layers along one axis."""
    if padding == "valid":
        return (n - dilation_rate * (kernel_size - 1) - 1) // strides + 1
    return -(-n // strides)  # 'same' and 'causal': ceil(n / strides)


def transposed_length(n, kernel_size, strides=1, dilation_rate=1, padding="valid", output_padding=None):
    """Output length of the ConvTranspose layers along one axis."""
    span = dilation_rate * (kernel_size - 1) + 1
    if output_padding is None:
        return (n - 1) * strides + max(span, strides) if padding == "valid" else n * strides
    return (n - 1) * strides + (span if padding == "valid" else span % 2) + output_padding


cases = [
    (keras.layers.Conv1D, dict(kernel_size=3)),
    (keras.layers.Conv1D, dict(kernel_size=3, strides=2, padding="same")),
    (keras.layers.Conv1D, dict(kernel_size=3, dilation_rate=3)),
    (keras.layers.Conv1D, dict(kernel_size=5, strides=4, padding="causal")),
    (keras.layers.DepthwiseConv1D, dict(kernel_size=4, strides=3)),
    (keras.layers.SeparableConv1D, dict(kernel_size=2, strides=2, padding="same")),
    (keras.layers.Conv1DTranspose, dict(kernel_size=3, strides=2)),
    (keras.layers.Conv1DTranspose, dict(kernel_size=2, strides=3)),
    (keras.layers.Conv1DTranspose, dict(kernel_size=2, strides=3, output_padding=0)),
    (keras.layers.Conv1DTranspose, dict(kernel_size=4, strides=2, padding="same")),
    (keras.layers.Conv1DTranspose, dict(kernel_size=3, strides=2, padding="same", output_padding=0)),
]
print(f"{'layer':<16} {'arguments':<58} n=17  n=20")
for layer_class, settings in cases:
    transposed = layer_class.__name__.endswith("Transpose")
    formula = transposed_length if transposed else conv_length
    filters = {} if layer_class is keras.layers.DepthwiseConv1D else {"filters": 1}
    lengths = []
    for n in (17, 20):
        length = layer_class(**filters, **settings).compute_output_shape((None, n, 1))[1]
        assert length == formula(n, **settings), (layer_class.__name__, settings, n)
        lengths.append(length)
    arguments = ", ".join(f"{key}={value!r}" for key, value in settings.items())
    print(f"{layer_class.__name__:<16} {arguments:<58} {lengths[0]:>4} {lengths[1]:>5}")
# --8<-- [end:lengths]

# --8<-- [start:inverse]
down = dict(kernel_size=3, strides=2, padding="same")
print("n  Conv1D  back with output_padding=None, 0, 1  with (n - 1) % 2")
for n in range(9, 15):
    m = keras.layers.Conv1D(1, **down).compute_output_shape((None, n, 1))[1]
    back = [
        keras.layers.Conv1DTranspose(1, **down, output_padding=p).compute_output_shape((None, m, 1))[1]
        for p in (None, 0, 1, (n - 1) % 2)
    ]
    print(f"{n:<2} {m:>6}  {back[:3]!s:<37}{back[3]}")

# With padding="valid", output_padding=(n - K) % s brings every length back.
valid = dict(kernel_size=3, strides=2, padding="valid")
returned = []
for n in range(9, 15):
    m = keras.layers.Conv1D(1, **valid).compute_output_shape((None, n, 1))[1]
    back = keras.layers.Conv1DTranspose(1, **valid, output_padding=(n - 3) % 2)
    returned.append(back.compute_output_shape((None, m, 1))[1] == n)
print("'valid' with output_padding=(n - K) % s returns every n:", all(returned))
# --8<-- [end:inverse]
