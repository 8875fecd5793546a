"""The receptive fields of ``model_info`` checked by experiment.

A linearised copy of a model (identity activations, average instead of max pooling, positive
weights) has a gradient that is positive at every input position an output position depends on and
zero elsewhere: no activation cuts a path and no negative weight cancels one. For chosen output
positions, the input positions with a non-zero gradient must span exactly the receptive field that
``model_info`` reports, clipped to the input: on each spatial axis the first and the last of them are
``start + j*jump`` and ``start + j*jump + size - 1`` (or the input's ends). Dilation and strides can
leave gaps inside, so the test compares the ends, and checks that nothing lies outside.

The models: random stacks of 1-D and 2-D convolutions (standard, depthwise, separable), pooling,
padding and cropping, with strides, dilation and branches that join (Add, Concatenate),
and VGG16 and ResNet50 on small inputs.
"""

import copy
import random

import keras
import numpy as np
import pytest

from snippets.conv_arithmetic import model_info


def linearised(model):
    """A copy with identity activations, average pooling instead of max, and positive weights."""

    def rewrite(config):
        for entry in config["layers"]:
            layer = entry["config"]
            if entry["class_name"].startswith("MaxPooling"):
                entry["class_name"] = entry["class_name"].replace("Max", "Average")
            elif entry["class_name"] == "ReLU":
                entry["class_name"] = "Activation"
                entry["config"] = {"name": layer["name"], "activation": "linear"}
            elif "activation" in layer:
                layer["activation"] = "linear"
        return config

    copied = keras.Model.from_config(rewrite(copy.deepcopy(model.get_config())))
    generator = np.random.default_rng(0)
    for weight in copied.weights:
        shape = tuple(weight.shape)
        if weight.name in ("kernel", "pointwise_kernel"):
            fan_in = int(np.prod(shape[:-1]))  # keeps every layer's outputs about as large as its inputs
        elif weight.name == "depthwise_kernel":
            fan_in = int(np.prod(shape[:-2]))
        else:
            if weight.name == "bias":
                weight.assign(np.zeros(shape))
            continue  # BatchNormalization's gamma=1, beta=0, mean=0, variance=1: a positive scale
        weight.assign(generator.uniform(0.5, 1.5, shape) / fan_in)
    return copied


def responses(model, layer_name):
    """For each spatial axis: the layer's response to an input that is 1 on one slice across that axis.

    ``result[axis][i]`` holds, for every output position, the sum over channels of the output when the
    input is 1 where its coordinate on ``axis`` is ``i`` and 0 elsewhere. The copy is linear with zero
    biases and positive weights, so it is positive exactly where some input position of that slice
    reaches the output position: the projection, on that axis, of the positions the output depends on.
    (This is the Jacobian, column slice by column slice, from forward passes. TensorFlow 2.21's oneDNN
    gradient of a 1x1 stride-2 convolution on an even length crashes the process, so no GradientTape.)
    """
    sub = keras.Model(model.input, model.get_layer(layer_name).output)
    shape = tuple(model.input.shape[1:])
    result = []
    for axis in range(len(shape) - 1):
        slices = np.zeros((shape[axis], *shape), "float32")
        for i in range(shape[axis]):
            index = [i, *(slice(None),) * len(shape)]
            index[axis + 1] = i
            slices[tuple(index)] = 1
        result.append(keras.ops.convert_to_numpy(sub(slices)).sum(axis=-1))
    return result


def reach(model, layer_name, positions):
    """For output positions of a layer, the (first, last) input position it depends on, per spatial axis.

    None for a position that depends on no input position (it reads padding only).
    """
    per_axis = responses(model, layer_name)
    found = []
    for position in positions:
        pairs = []
        for response in per_axis:
            touched = np.flatnonzero(response[(slice(None), *position)] > 0)
            pairs.append((int(touched[0]), int(touched[-1])) if touched.size else None)
        found.append(None if None in pairs else pairs)
    return found


def window(field, position):
    """The receptive field of one output position, as (first, last) per axis, not clipped."""
    return [
        (f["start"] + j * f["jump"], f["start"] + j * f["jump"] + f["size"] - 1)
        for f, j in zip(field, position, strict=True)
    ]


def check(model, layer_names, exact=True, most=12):
    """Compare the gradient's reach with model_info at up to ``most`` output positions of each named layer.

    Every reach lies in the window clipped to the input. Where the window lies inside the input, the
    reach is the window exactly (with ``exact``). Returns the number of positions compared exactly.
    """
    rows = {row["name"]: row for row in model_info(model.get_config())["layers"]}
    lengths = model.input.shape[1:-1]
    exactly = 0
    for name in layer_names:
        field, shape = rows[name]["receptive_field"], rows[name]["output_shape"][1:-1]
        assert field is not None and len(field) == len(shape), name
        grid = np.stack(np.meshgrid(*(np.arange(n) for n in shape), indexing="ij"), -1).reshape(-1, len(shape))
        positions = [
            tuple(int(v) for v in p) for p in grid[np.linspace(0, len(grid) - 1, min(most, len(grid))).astype(int)]
        ]
        for position, reached in zip(positions, reach(model, name, positions), strict=True):
            bounds = window(field, position)
            clipped = [(max(0, first), min(n - 1, last)) for (first, last), n in zip(bounds, lengths, strict=True)]
            inside = all(0 <= first and last < n for (first, last), n in zip(bounds, lengths, strict=True))
            if exact and inside:
                assert reached == bounds, (name, position, reached, bounds)
                exactly += 1
            elif reached is not None:
                assert all(lo <= a and b <= hi for (a, b), (lo, hi) in zip(reached, clipped, strict=True)), (
                    name,
                    position,
                    reached,
                    clipped,
                )
    return exactly


# ----------------------------------------------------------------------------------------------
# Random stacks


def random_layer(rng, rank, crop):
    """One windowed, padding or cropping layer with random settings (some combinations Keras rejects)."""
    kind = rng.choice(["conv", "conv", "depthwise", "separable", "pool", "pool", "pad"] + (["crop"] * crop))
    layers, suffix = keras.layers, f"{rank}D"
    kernel, stride, dilation = rng.randint(1, 4), rng.randint(1, 3), rng.choice([1, 1, 2, 3])
    padding = rng.choice(["valid", "same"] + (["causal"] if rank == 1 and kind == "conv" else []))
    if stride > 1 and kind == "conv":
        dilation = 1  # Conv rejects strides > 1 with dilation > 1 (the other two layers accept it)
    if kind == "conv":
        return getattr(layers, f"Conv{suffix}")(rng.randint(2, 3), kernel, stride, padding, dilation_rate=dilation)
    if kind == "depthwise":
        return getattr(layers, f"DepthwiseConv{suffix}")(kernel, stride, padding, dilation_rate=dilation)
    if kind == "separable":
        return getattr(layers, f"SeparableConv{suffix}")(2, kernel, stride, padding, dilation_rate=dilation)
    if kind == "pool":
        pool = rng.choice(["MaxPooling", "AveragePooling"])
        return getattr(layers, f"{pool}{suffix}")(rng.randint(1, 3), rng.randint(1, 3), rng.choice(["valid", "same"]))
    pairs = tuple((rng.randint(0, 2), rng.randint(0, 2)) for _ in range(rank))
    if kind == "pad":
        return getattr(layers, f"ZeroPadding{suffix}")(pairs[0] if rank == 1 else pairs)
    return getattr(layers, f"Cropping{suffix}")(pairs[0] if rank == 1 else pairs)


def stack(rng, x, rank, depth, crop):
    """``depth`` random layers on ``x``; a layer Keras rejects for this shape is skipped."""
    for _ in range(depth):
        layer = random_layer(rng, rank, crop)
        try:
            x = layer(x)
        except ValueError:
            continue
    return x


def branch_pair(rng, x, rank):
    """Two branches with the same output shape, joined by Add, Multiply or Concatenate."""
    layers = keras.layers
    channels = x.shape[-1]
    same = f"Conv{rank}D"
    a = getattr(layers, same)(channels, rng.randint(1, 4), padding="same", dilation_rate=rng.randint(1, 3))(x)
    # The other branch moves the map: pad on one side, then a valid window as long as the padding.
    pads = [(rng.randint(0, 2), rng.randint(0, 2)) for _ in range(rank)]
    b = getattr(layers, f"ZeroPadding{rank}D")(pads[0] if rank == 1 else pads)(x)
    kernel = [left + right + 1 for left, right in pads]
    b = getattr(layers, f"DepthwiseConv{rank}D")(kernel)(b)
    join = rng.choice(["Add", "Concatenate"])  # a product can be zero where one branch reads only padding
    return getattr(layers, join)()([a, b])


def random_model(seed):
    """A random stack on a random 1-D or 2-D input; odd seeds also crop."""
    rng = random.Random(seed)
    rank, crop = rng.choice([1, 2]), seed % 2
    lengths = [rng.randint(16, 40)] if rank == 1 else [rng.randint(12, 24), rng.randint(12, 24)]
    inputs = keras.Input((*lengths, 2))
    x = stack(rng, inputs, rank, rng.randint(1, 4), crop)
    if rng.random() < 0.7:
        x = branch_pair(rng, x, rank)
    x = stack(rng, x, rank, rng.randint(1, 4), crop)
    return keras.Model(inputs, x)


SEEDS = range(32)


def test_random_stacks():
    """The last layer and one in the middle of each stack, at up to 12 positions each.

    After cropping, a later padding (ZeroPadding, or a 'same' window) puts zeros where the cropped data
    was; their window counts input positions that nothing reads, so stacks that crop (odd seeds) are
    held to the bound only. So are joins by Multiply, left out here: a product with a branch that is
    zero there (it reads only padding) does not depend on the other branch.
    """
    exactly = 0
    for seed in SEEDS:
        model = linearised(random_model(seed))
        rows = model_info(model.get_config())["layers"]
        names = [row["name"] for row in rows[1:] if row["receptive_field"] is not None]
        assert len(names) == len(rows) - 1  # no layer here mixes all positions
        exactly += check(model, sorted({names[-1], names[len(names) // 2]}), exact=seed % 2 == 0, most=12)
    assert exactly >= 80


def test_the_random_stacks_reach_every_kind_of_layer_and_join():
    classes = set()
    for seed in SEEDS:
        classes |= {row["class_name"] for row in model_info(random_model(seed).get_config())["layers"]}
    for rank in (1, 2):
        for kind in (
            "Conv",
            "DepthwiseConv",
            "SeparableConv",
            "MaxPooling",
            "AveragePooling",
            "ZeroPadding",
            "Cropping",
        ):
            assert f"{kind}{rank}D" in classes
    assert {"Add", "Concatenate"} <= classes


# ----------------------------------------------------------------------------------------------
# VGG16 and ResNet50


def test_vgg16():
    model = linearised(keras.applications.VGG16(weights=None, include_top=False, input_shape=(48, 48, 3)))
    assert check(model, ["block1_conv2", "block2_pool", "block3_conv3", "block4_pool"]) >= 12


def test_resnet50():
    model = linearised(keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3)))
    layers = ["conv1_conv", "pool1_pool", "conv2_block1_out", "conv2_block3_out", "conv3_block1_out"]
    assert check(model, layers, most=6) >= 8


# ----------------------------------------------------------------------------------------------
# Where the receptive field is None or follows the layout, by rule


def fields(model):
    return {row["name"]: row["receptive_field"] for row in model_info(model.get_config())["layers"]}


def test_layers_that_mix_all_positions_have_none():
    layers = keras.layers
    inputs = keras.Input((16, 16, 3))
    x = layers.Conv2D(4, 3, name="conv")(inputs)
    pooled = layers.GlobalAveragePooling2D(keepdims=True, name="gap")(x)
    se = layers.Multiply(name="se")([x, layers.Conv2D(4, 1, name="excite")(pooled)])
    up = layers.UpSampling2D(name="up")(x)
    transposed = layers.Conv2DTranspose(4, 3, strides=2, name="transposed")(x)
    group = layers.GroupNormalization(2, name="group")(x)
    layer_norm = layers.LayerNormalization(axis=[1, 2, 3], name="layer_norm")(x)
    channel_norm = layers.LayerNormalization(name="channel_norm")(x)
    dense_over_width = layers.Dense(3, name="dense_over_width")(layers.Permute((1, 3, 2), name="permute")(x))
    dense_over_channels = layers.Dense(3, name="dense_over_channels")(x)
    softmax = layers.Softmax(axis=1, name="softmax")(x)
    channel_softmax = layers.Conv2D(2, 1, activation="softmax", name="channel_softmax")(x)
    outputs = [se, up, transposed, group, layer_norm, channel_norm, dense_over_width, dense_over_channels]
    model = keras.Model(inputs, [*outputs, softmax, channel_softmax])
    result = fields(model)
    nine = [{"size": 3, "jump": 1, "start": 0}] * 2
    assert result["conv"] == nine
    for name in ("gap", "excite", "se", "up", "transposed", "group", "layer_norm", "dense_over_width", "softmax"):
        assert result[name] is None, name
    assert result["channel_norm"] == result["dense_over_channels"] == result["channel_softmax"] == nine
    assert result["permute"] == nine  # the channels moved; the spatial axes kept their order


def test_permuting_the_spatial_axes_loses_the_field():
    inputs = keras.Input((16, 12, 3))
    x = keras.layers.Permute((2, 1, 3), name="swap")(keras.layers.Conv2D(2, (3, 1), name="conv")(inputs))
    result = fields(keras.Model(inputs, x))
    assert result["conv"] == [{"size": 3, "jump": 1, "start": 0}, {"size": 1, "jump": 1, "start": 0}]
    assert result["swap"] is None


def test_unknown_lengths_and_strided_same_windows():
    inputs = keras.Input((None, 3))
    same = keras.layers.Conv1D(2, 4, padding="same", name="same")(inputs)
    strided = keras.layers.Conv1D(2, 3, strides=2, padding="same", name="strided")(same)
    result = fields(keras.Model(inputs, strided))
    assert result["same"] == [{"size": 4, "jump": 1, "start": -1}]  # TensorFlow pads 1 before, 2 after
    assert result["strided"] is None  # the padding before depends on the unknown length


def test_joins_that_are_not_one_window():
    layers = keras.layers
    inputs = keras.Input((16, 3))
    other = keras.Input((16, 3))
    strided = layers.Conv1D(3, 2, strides=2, name="strided")(inputs)
    pooled = layers.AveragePooling1D(2, name="pooled")(layers.Conv1D(3, 1, name="pointwise")(inputs))
    joined = layers.Add(name="joined")([strided, pooled])  # the same jump: one window
    along = layers.Concatenate(axis=1, name="along")([strided, pooled])  # joined along space
    broadcast = layers.Add(name="broadcast")([strided, layers.Cropping1D((0, 7), name="one")(pooled)])
    jumps = layers.Add(name="jumps")([layers.Conv1D(3, 9, name="wide")(inputs), strided])
    two_inputs = layers.Add(name="two_inputs")([inputs, other])
    model = keras.Model([inputs, other], [joined, along, broadcast, jumps, two_inputs])
    result = fields(model)
    assert result["joined"] == [{"size": 2, "jump": 2, "start": 0}]
    assert result["along"] is result["broadcast"] is result["jumps"] is result["two_inputs"] is None


def test_channels_first_models_and_flat_inputs():
    inputs = keras.Input((3, 10, 12))
    x = keras.layers.Conv2D(2, 3, data_format="channels_first", name="conv")(inputs)
    assert fields(keras.Model(inputs, x))["conv"] == [{"size": 3, "jump": 1, "start": 0}] * 2
    # A channels-last layer on a channels-first input reads the spatial axis as channels: no window.
    y = keras.layers.Conv2D(2, 3, name="mismatch")(inputs)
    z = keras.layers.ZeroPadding2D(1, data_format="channels_last", name="padding_mismatch")(inputs)
    result = fields(keras.Model(inputs, [x, y, z]))
    assert result["mismatch"] is result["padding_mismatch"] is None
    flat = keras.Input((5,))
    assert fields(keras.Model(flat, keras.layers.Dense(2, name="dense")(flat)))["dense"] == []


def test_a_sequential_config_without_an_input_layer_uses_its_build_shape():
    model = keras.Sequential([keras.layers.Conv1D(2, 3, strides=2, name="conv")])
    model.build((None, 9, 3))
    config = model.get_config()
    config["layers"] = [entry for entry in config["layers"] if entry["class_name"] != "InputLayer"]
    config["build_input_shape"] = [None, 9, 3]
    rows = model_info(config)["layers"]
    assert [(row["name"], row["output_shape"], row["receptive_field"]) for row in rows] == [
        ("conv", (None, 4, 2), [{"size": 3, "jump": 2, "start": 0}])
    ]


def test_a_sequential_model_cannot_hold_a_model_with_two_outputs():
    inputs = keras.Input((4,))
    two = keras.Model(inputs, [keras.layers.Dense(2)(inputs), keras.layers.Dense(3)(inputs)], name="two")
    config = {"name": "seq"}
    config["layers"] = [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 4], "name": "in"}},
        {"module": "keras", "class_name": "Functional", "config": two.get_config()},
    ]
    with pytest.raises(ValueError, match=r"^layer 'two': a layer of a Sequential model must have one output"):
        model_info(config)
