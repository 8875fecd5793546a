"""Conv2DTranspose, the checkerboard effect, and UpSampling2D + Conv2D (docs/guides/upsampling.md)."""

# --8<-- [start:data]
import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits = load_digits()  # grey images of 8x8 pixels, values 0 to 16
images = (digits.images / 16.0).astype("float32")[..., np.newaxis]  # (n, 8, 8, 1), in [0, 1]
x_train, x_test = train_test_split(images, test_size=0.2, random_state=0)
print("x_train:", x_train.shape, "x_test:", x_test.shape)
print("value range:", x_train.min(), "to", x_train.max())
# --8<-- [end:data]

# --8<-- [start:model]
same = {"padding": "same", "activation": "relu"}


def transposed_decoder(code):
    # Each strided transposed convolution doubles height and width.
    h = keras.layers.Conv2DTranspose(16, 4, strides=2, name="up1", **same)(code)
    return keras.layers.Conv2DTranspose(16, 4, strides=2, name="up2", **same)(h)


def build_autoencoder(decoder):
    inputs = keras.Input(shape=(8, 8, 1))
    # Encoder: each strided convolution halves height and width.
    h = keras.layers.Conv2D(16, 3, strides=2, name="down1", **same)(inputs)
    code = keras.layers.Conv2D(8, 3, strides=2, name="code", **same)(h)
    h = decoder(code)
    outputs = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid", name="pixels")(h)
    return keras.Model(inputs, outputs, name=decoder.__name__)


autoencoder = build_autoencoder(transposed_decoder)
autoencoder.summary()
# --8<-- [end:model]

# --8<-- [start:stages]
h = x_test[:4]  # a real batch of four digits
print(f"{'input':<7} {h.shape}")
for layer in autoencoder.layers[1:]:
    h = layer(h)
    print(f"{layer.name:<7} {tuple(h.shape)}")
# --8<-- [end:stages]


# --8<-- [start:checkerboard]
ones = np.ones((1, 4, 4, 1), dtype="float32")  # a constant 4x4 image
# One filter whose weights are all 1, no bias: each output is a plain sum of inputs.
constant = {"filters": 1, "padding": "same", "use_bias": False, "kernel_initializer": "ones"}

transposed_3 = keras.layers.Conv2DTranspose(kernel_size=3, strides=2, **constant)
transposed_4 = keras.layers.Conv2DTranspose(kernel_size=4, strides=2, **constant)
resize_conv = keras.Sequential([keras.layers.UpSampling2D(2), keras.layers.Conv2D(kernel_size=3, **constant)])
upsamplers = {
    "Conv2DTranspose, kernel 3, stride 2": transposed_3,
    "Conv2DTranspose, kernel 4, stride 2": transposed_4,
    "UpSampling2D(2), then Conv2D, kernel 3": resize_conv,
}
even_inside = {}
for name, upsampler in upsamplers.items():
    image = keras.ops.convert_to_numpy(upsampler(ones))[0, :, :, 0].astype(int)
    inside = np.unique(image[1:-1, 1:-1])  # away from the border, where padding zeros enter
    even_inside[name] = len(inside) == 1
    print(f"{name}: values inside the border {inside}")
    print(image)
# --8<-- [end:checkerboard]


# --8<-- [start:alternative]
def resize_decoder(code):
    # Repeat each pixel 2x2, then let a normal convolution smooth and transform.
    h = keras.layers.UpSampling2D(2, name="resize1")(code)
    h = keras.layers.Conv2D(16, 3, name="conv1", **same)(h)
    h = keras.layers.UpSampling2D(2, name="resize2")(h)
    return keras.layers.Conv2D(16, 3, name="conv2", **same)(h)


build_autoencoder(resize_decoder).summary()
# --8<-- [end:alternative]

# --8<-- [start:train]
mean_image_mse = float(np.mean((x_train.mean(axis=0) - x_test) ** 2))  # same guess for all
print(f"mean-image baseline, test MSE: {mean_image_mse:.4f}")

threshold = min(0.02, mean_image_mse / 4)
test_mse = {}
for decoder in (transposed_decoder, resize_decoder):
    keras.utils.set_random_seed(0)
    model = build_autoencoder(decoder)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    model.fit(x_train, x_train, epochs=10, batch_size=32, verbose=0)
    mse = float(np.mean((model.predict(x_test, verbose=0) - x_test) ** 2))
    test_mse[decoder.__name__] = mse
    print(f"{decoder.__name__:<18} test MSE < 0.02 and < baseline / 4:", mse < threshold)
# --8<-- [end:train]

# --8<-- [start:checkerboard_picture]
CELL, GAP, TOP = 22, 24, 30


def heatmaps_svg(images, titles):
    """Integer maps side by side as SVG: each cell inked in proportion to its value (its panel's
    largest value is full ink), in the page's text colour (currentColor), so both palettes work."""
    height, width = next(iter(images)).shape
    panel = width * CELL
    total_w, total_h = len(images) * panel + (len(images) - 1) * GAP + 2, TOP + height * CELL + 2
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w} {total_h}" width="{total_w}" '
        f'height="{total_h}" role="img" aria-labelledby="checkerboard-title checkerboard-desc" '
        'font-family="sans-serif" font-size="12">',
        '<title id="checkerboard-title">How many kernel weights reach each output pixel</title>',
        f'<desc id="checkerboard-desc">Three {height} by {width} outputs, darker where more kernel weights add up. '
        "The transposed convolution with kernel 3 and stride 2 shows a regular grid of dark and light "
        "pixels, the checkerboard; with kernel 4, and for the resize followed by a convolution, every "
        "pixel inside the border is equally dark.</desc>",
    ]
    for index, (image, title) in enumerate(zip(images, titles, strict=True)):
        x0 = 1 + index * (panel + GAP)
        lines.append(
            f'<text class="label" x="{x0 + panel / 2}" y="{TOP - 12}" text-anchor="middle" '
            f'fill="currentColor">{title}</text>'
        )
        for row, col in np.ndindex(image.shape):
            opacity = image[row, col] / image.max()
            lines.append(
                f'<rect x="{x0 + col * CELL}" y="{TOP + row * CELL}" width="{CELL}" height="{CELL}" '
                f'fill="currentColor" fill-opacity="{opacity:.2f}"/>'
            )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


counts = [keras.ops.convert_to_numpy(upsampler(ones))[0, :, :, 0].astype(int) for upsampler in upsamplers.values()]
titles = ["Conv2DTranspose, kernel 3", "Conv2DTranspose, kernel 4", "UpSampling2D + Conv2D"]
FIGURES = {"docs/assets/guides/upsampling-checkerboard.svg": heatmaps_svg(counts, titles)}
for title, image in zip(titles, counts, strict=True):
    print(f"{title}: {image.shape[0]}x{image.shape[1]} cells, {image.min()} to {image.max()} kernel weights")
# --8<-- [end:checkerboard_picture]
