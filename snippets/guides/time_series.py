"""Forecasting the next step of a series with causal, dilated Conv1D layers (docs/guides/time-series.md)."""

# --8<-- [start:data]
import keras
import numpy as np

rng = np.random.default_rng(42)
STEPS = 3000
NOISE = 0.1  # standard deviation of the noise
t = np.arange(STEPS)
signal = np.sin(2 * np.pi * t / 20) + 0.5 * np.sin(2 * np.pi * t / 53 + 1.0)
series = signal + rng.normal(0.0, NOISE, STEPS)

# Split by time: the model trains on the past and is tested on the future.
split = int(0.8 * STEPS)
mean, std = series[:split].mean(), series[:split].std()  # training part only
scaled = ((series - mean) / std).astype("float32")

WINDOW = 64
# Each row holds WINDOW inputs followed by the value to forecast.
rows = np.lib.stride_tricks.sliding_window_view(scaled, WINDOW + 1)
x, y = rows[:, :-1, np.newaxis], rows[:, -1:]
n_train = split - WINDOW  # the last training row ends exactly at the split
x_train, y_train, x_test, y_test = x[:n_train], y[:n_train], x[n_train:], y[n_train:]
print("x_train:", x_train.shape, "y_train:", y_train.shape)
print("x_test: ", x_test.shape, "y_test: ", y_test.shape)
# --8<-- [end:data]

# --8<-- [start:model]
KERNEL_SIZE = 2
DILATIONS = (1, 2, 4, 8, 16)


def build_forecaster():
    inputs = keras.Input(shape=(WINDOW, 1))
    h = inputs
    for d in DILATIONS:
        h = keras.layers.Conv1D(
            filters=16,
            kernel_size=KERNEL_SIZE,
            padding="causal",
            dilation_rate=d,
            activation="relu",
            name=f"causal_d{d}",
        )(h)
    # One forecast per step: output step i only sees input steps up to i.
    per_step = keras.layers.Conv1D(1, 1, name="per_step")(h)
    # The forecast for the step after the window is the last one.
    last = keras.layers.Cropping1D((WINDOW - 1, 0), name="last_step")(per_step)
    outputs = keras.layers.Flatten(name="forecast")(last)
    return keras.Model(inputs, outputs, name="wavenet_style")


model = build_forecaster()
model.summary()
# --8<-- [end:model]

# --8<-- [start:receptive_field]
receptive_field = 1
for layer in model.layers:
    if isinstance(layer, keras.layers.Conv1D):
        (k,), (d,) = layer.kernel_size, layer.dilation_rate
        receptive_field += (k - 1) * d
        print(f"{layer.name:<10} kernel {k}, dilation {d:>2}: sees {receptive_field:>2} steps")
# --8<-- [end:receptive_field]

# --8<-- [start:influence]
per_step = keras.Model(model.input, model.get_layer("per_step").output)

probe = x_test[:8]  # a few real windows
# Copy number s of the probe has its input step s raised by 1.
nudged = np.repeat(probe[np.newaxis], WINDOW, axis=0)
for s in range(WINDOW):
    nudged[s, :, s, 0] += 1.0
batch = np.concatenate([probe, nudged.reshape(-1, WINDOW, 1)])
out = per_step.predict(batch, batch_size=len(batch), verbose=0)[..., 0]
before, after = out[: len(probe)], out[len(probe) :].reshape(WINDOW, len(probe), WINDOW)

# influence[i, s]: nudging input step s moved output step i (of any probe window).
influence = (np.abs(after - before) > 1e-4).any(axis=1).T
seen = np.flatnonzero(influence[-1])
print(f"the forecast depends on input steps {seen[0]} to {seen[-1]}: {len(seen)} steps")
print("no output depends on a later input step:", not np.triu(influence, k=1).any())
# Output step i should depend on input steps i - receptive_field + 1 to i, and on no others.
i, s = np.indices((WINDOW, WINDOW))
expected = (s <= i) & (i - s < receptive_field)
print("every output step sees its receptive field, no more:", np.array_equal(influence, expected))
# --8<-- [end:influence]


# --8<-- [start:train]
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
model.fit(x_train, y_train, epochs=10, batch_size=64, verbose=0)

model_mse = float(np.mean((model.predict(x_test, verbose=0) - y_test) ** 2))
naive_mse = float(np.mean((x_test[:, -1] - y_test) ** 2))  # "same as the last value"
print(f"last-value baseline, test MSE: {naive_mse:.3f}")
print(f"noise floor, the noise's variance: {(NOISE / std) ** 2:.3f}")
print("model test MSE below half the baseline's:", model_mse < 0.5 * naive_mse)
# --8<-- [end:train]

# --8<-- [start:stack_picture]
STEP_W, ROW_H, LEFT, TOP, RADIUS = 18, 44, 96, 16, 5


def dilated_stack_svg(dilations, kernel_size, steps):
    """The last ``steps`` steps of the input and of each causal layer, and the connections that the
    last output step depends on (filled), as SVG in the page's text colour (currentColor)."""
    rows = len(dilations) + 1  # the input, then one row per layer
    reached = [set() for _ in range(rows)]
    reached[-1] = {steps - 1}
    edges = []
    for row in range(rows - 1, 0, -1):  # from the output down to the input
        d = dilations[row - 1]
        for t in sorted(reached[row]):
            for tap in range(kernel_size):
                if t - tap * d >= 0:
                    reached[row - 1].add(t - tap * d)
                    edges.append((row, t, row - 1, t - tap * d))

    def xy(row, t):
        return LEFT + t * STEP_W + STEP_W / 2, TOP + (rows - 1 - row) * ROW_H + RADIUS

    width, height = LEFT + steps * STEP_W + 8, TOP + (rows - 1) * ROW_H + 2 * RADIUS + 8
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="stack-title stack-desc" '
        'font-family="sans-serif" font-size="12">',
        '<title id="stack-title">What the last output of the dilated causal stack depends on</title>',
        f'<desc id="stack-desc">The last {steps} steps of the input (bottom row) and of the outputs of '
        f"{len(dilations)} causal convolutions with kernel {kernel_size} and dilations "
        f"{', '.join(map(str, dilations))} (rows above). Lines connect each step to the steps it reads; "
        f"following them down from the last output reaches all {len(reached[0])} input steps, filled in, "
        "and no later step.</desc>",
    ]
    for row, t, below, s in edges:
        (x1, y1), (x2, y2) = xy(row, t), xy(below, s)
        lines.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="currentColor" stroke-width="1"/>')
    for row in range(rows):
        label = "input" if row == 0 else f"dilation {dilations[row - 1]}"
        y = xy(row, 0)[1]
        lines.append(f'<text class="label" x="4" y="{y + 4}" fill="currentColor">{label}</text>')
        for t in range(steps):
            x, y = xy(row, t)
            fill = "currentColor" if t in reached[row] else "none"
            lines.append(f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{fill}" stroke="currentColor"/>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n", reached[0]


dilations = [layer.dilation_rate[0] for layer in model.layers if layer.name.startswith("causal_")]
stack_picture, drawn_inputs = dilated_stack_svg(dilations, KERNEL_SIZE, receptive_field)
FIGURES = {"docs/assets/guides/time-series-dilated-stack.svg": stack_picture}
print(f"drawn: {len(dilations)} layers, dilations {dilations}; the last output reaches {len(drawn_inputs)} input steps")
# --8<-- [end:stack_picture]
