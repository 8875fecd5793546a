"""A Conv2D classifier for scikit-learn's handwritten digits, and a SeparableConv2D variant (docs/guides/images.md)."""

# --8<-- [start:data]
import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(42)

digits = load_digits()
print("images:", digits.images.shape, digits.images.dtype, "values", digits.images.min(), "to", digits.images.max())
print("labels:", digits.target.shape, "classes", np.unique(digits.target))

# Scale to [0, 1] and add the channel axis: (samples, height, width, channels).
x = (digits.images / 16.0).astype("float32")[..., np.newaxis]
y = digits.target
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)
print("train:", x_train.shape, "test:", x_test.shape)
# --8<-- [end:data]

# --8<-- [start:look]
shades = " .:-=+*#%@"
print("label:", y_train[0])
for row in x_train[0, :, :, 0]:
    print("".join(shades[round(value * 9)] * 2 for value in row).rstrip())
# --8<-- [end:look]


# --8<-- [start:model]
def digit_classifier(second_conv, name):
    """Two convolution blocks, then a softmax over the 10 digits."""
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            second_conv(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name=name,
    )


model = digit_classifier(keras.layers.Conv2D, name="conv2d_digits")
model.summary()
# --8<-- [end:model]


# --8<-- [start:train]
def train_and_test(model):
    """Train with a fixed seed and return the accuracy on the held-out test images."""
    keras.utils.set_random_seed(42)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=20, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return accuracy


conv_accuracy = train_and_test(model)
print("test accuracy >= 0.95:", conv_accuracy >= 0.95)
# --8<-- [end:train]

# --8<-- [start:separable]
separable = digit_classifier(keras.layers.SeparableConv2D, name="separable_digits")
separable.summary()
for weight in separable.layers[2].weights:
    print(f"{weight.path:<40} {weight.shape}")
separable_accuracy = train_and_test(separable)
# --8<-- [end:separable]

# --8<-- [start:compare]
print(f"{'model':<18} {'second conv':>11} {'total':>6}  test accuracy >= 0.95")
for trained, accuracy in [(model, conv_accuracy), (separable, separable_accuracy)]:
    second_conv = trained.layers[2]
    print(f"{trained.name:<18} {second_conv.count_params():>11,} {trained.count_params():>6,}  {accuracy >= 0.95}")
# --8<-- [end:compare]

# --8<-- [start:picture]
PIXELS, GAP, LABEL_H, SHADES = (8, 12, 5), 10, 22, 8  # px per pixel (digits, filters, maps), gaps, titles, inks


def ink_levels(values, high):
    """Values as signed ink levels: 0 is no ink, +-(SHADES - 1) full ink at |value| = high."""
    return np.rint(np.clip(values / high, -1, 1) * (SHADES - 1)).astype(int)


# Each backend draws its own random numbers, so each trains other filters and has its own picture.
SUFFIX = "" if keras.backend.backend() == "tensorflow" else f"-{keras.backend.backend()}"


def draw(rows):
    """Rows of (title, [level images]) as SVG, with PIXELS px per pixel in each row. Positive levels
    are drawn in the page's text colour, negative ones in the primary colour (class "hit"), so the
    picture follows both palettes."""
    paths, labels, top, width = {}, [], 0, 0
    for (title, images), pixel in zip(rows, PIXELS, strict=True):
        labels.append(f'<text class="label" x="0" y="{top + LABEL_H - 8}" fill="currentColor">{title}</text>')
        top, x = top + LABEL_H, 0
        for image in images:
            for row, col in zip(*np.nonzero(image), strict=True):
                px, py = x + col * pixel, top + row * pixel
                paths.setdefault(int(image[row, col]), []).append(f"M{px} {py}h{pixel}v{pixel}h-{pixel}z")
            x += image.shape[1] * pixel + GAP
        width, top = max(width, x - GAP), top + max(image.shape[0] for image in images) * pixel + GAP
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {top}" width="{width}" height="{top}" '
        f'role="img" aria-labelledby="digits{SUFFIX}-title digits{SUFFIX}-desc" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="digits{SUFFIX}-title">Digits, learned filters and feature maps</title>',
        f'<desc id="digits{SUFFIX}-desc">Top row: the first test image of each digit, darker where there is more ink. '
        "Middle row: the learned filters of the classifier's first convolution, darker for larger weights, "
        "negative weights in the second colour. Bottom row: the feature maps those filters produce for the "
        "first digit: each responds to a different part of its strokes, such as edges of one direction.</desc>",
        *labels,
    ]
    for level, cells in sorted(paths.items()):
        ink = 'class="hit"' if level < 0 else 'fill="currentColor"'
        svg.append(f'<path {ink} fill-opacity="{abs(level) / (SHADES - 1):.2f}" d="{"".join(cells)}"/>')
    return "\n".join([*svg, "</svg>"]) + "\n"


# The first test image of each digit; the learned 3x3 filters of the first Conv2D; their feature
# maps (after the ReLU) for the first of those images.
firsts = [x_test[np.flatnonzero(y_test == digit)[0], :, :, 0] for digit in range(10)]
kernels = model.layers[0].get_weights()[0][:, :, 0, :]  # (height, width, filters)
maps = keras.ops.convert_to_numpy(model.layers[0](firsts[0][np.newaxis, :, :, np.newaxis]))[0]
titles = [
    "the first test image of each digit",
    f"the {kernels.shape[-1]} learned {kernels.shape[0]}x{kernels.shape[1]} filters of the first Conv2D",
    f"their feature maps for the digit {y_test[np.flatnonzero(y_test == 0)[0]]}, after the ReLU",
]
digit_levels = [ink_levels(image, 1.0) for image in firsts]
filter_levels = [ink_levels(kernels[:, :, f], np.abs(kernels).max()) for f in range(kernels.shape[-1])]
map_levels = [ink_levels(maps[:, :, f], maps.max()) for f in range(maps.shape[-1])]


def same_picture(stored):
    """Whether a stored picture shows this run's data. The learned filters and maps differ a little
    between machines: the stored one may differ by one ink level in up to 2 % of their cells, and must
    be exactly the drawing of its own levels with this run's digits."""
    learned = np.array([int(v) for level in filter_levels + map_levels for v in level.ravel()])
    _, marker, rest = stored.partition("<!-- learned levels: ")
    cells = np.array([int(v) for v in (rest.partition(" -->")[0] if marker else "").split()])
    close = cells.shape == learned.shape and np.abs(cells - learned).max() <= 1 and np.mean(cells != learned) <= 0.02
    return bool(close) and stored == redraw(cells)


def redraw(cells):
    """The picture of these learned levels (filters, then maps, flattened) with this run's digits."""
    shapes = [level.shape for level in filter_levels + map_levels]
    offsets = np.cumsum([0] + [int(np.prod(shape)) for shape in shapes])
    levels = [cells[a:b].reshape(shape) for a, b, shape in zip(offsets, offsets[1:], shapes, strict=False)]
    split = len(filter_levels)
    rows = list(zip(titles, [digit_levels, levels[:split], levels[split:]], strict=True))
    return with_levels(draw(rows), cells)


def with_levels(picture, cells):
    """The picture with its learned levels written into it, so that a later run can compare data."""
    return picture.replace("</svg>", f"<!-- learned levels: {' '.join(map(str, cells))} -->\n</svg>")


digits_picture = redraw(np.concatenate([level.ravel() for level in filter_levels + map_levels]))
FIGURES = {f"docs/assets/guides/images-digits-filters{SUFFIX}.svg": (digits_picture, same_picture)}
print(f"drawn: {len(firsts)} digits, {len(filter_levels)} filters, {len(map_levels)} feature maps")
print("the picture reads back as the data it shows:", same_picture(digits_picture))
# --8<-- [end:picture]
