"""Build the calculator's test vectors from Keras: tests/calculator/vectors.json.

Rerun it (about 25 seconds on one CPU core) after changing it or upgrading Keras:

    python scripts/dev.py calculator-vectors

The output is deterministic: a fixed seed drives ``random.Random``, and Keras decides every verdict.
Each vector is a layer name, a config (Keras's constructor keywords; a missing key means Keras's
default) and an input shape (batch ``None``). Keras judges it in the order a program meets it:

1. construct the layer, ``build(input_shape)``, ``compute_output_shape(input_shape)``;
2. call it on zeros (``None`` spatial sizes replaced by a size large enough for the kernel).
   The TensorFlow CPU backend cannot run ``channels_first`` convolutions, so a ``channels_first``
   layer is checked by shape inference, and its ``channels_last`` twin (same config, input shape
   permuted) is the one called; the twin's output, permuted back, must equal Keras's shape.

A vector that passes every step holds ``expected``: ``params`` (``count_params()``),
``weight_shapes`` (``[w.shape for w in layer.weights]``), ``output_shape`` (``compute_output_shape``)
and ``macs``. Keras does not count MACs, so they come from the definition applied to Keras's shapes:
positions * the size of each kernel, where positions are the output positions, except for
transposed convolutions, whose kernel is applied at each input position. No bias adds are counted.
This is the same as: standard = out positions * kernel size * C_in/groups * filters; depthwise = out
positions * kernel size * C_in * depth_multiplier; separable = the depthwise part + out positions *
C_in*depth_multiplier * filters; transposed = in positions * kernel size * C_in * filters. ``macs``
is ``null`` when a spatial size is ``None``.

A vector that fails a step holds ``error`` (Keras's message, shortened), ``stage`` (construct,
build, compute_output_shape, call, or empty_output: Keras accepts the layer but its output has a
zero size) and ``arg``: the argument the calculator's message must name, read from Keras's message
by the patterns in ``ARG_PATTERNS`` (``null`` if none matches).

A vector whose layer Keras accepts, but whose call TensorFlow's kernel rejects (a
``tf.errors.OpError``, not a Keras check), keeps ``expected`` and adds ``backend_error`` and
``backend_arg``: the calculator returns Keras's numbers with a warning about that argument.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from random import Random

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras
import numpy as np
import tensorflow as tf

from doctools.macs import macs_by_definition
from doctools.paths import TESTS
from snippets.conv_arithmetic import CONVOLUTIONS  # only the list of layers

SEED = 20240611
PER_LAYER = {"random": 205, "mutated": 95}
OUT = TESTS / "calculator" / "vectors.json"

# layer name -> (family, number of spatial axes)
LAYERS = CONVOLUTIONS
# The constructor keywords the calculator supports (activation, initializers etc. change no number).
SUPPORTED = {
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "groups",
    "depth_multiplier",
    "output_padding",
    "use_bias",
}

REQUIRED = object()  # the default of an argument without one

# Keras message -> the argument it is about. First match wins.
ARG_PATTERNS = [
    (r"Unrecognized keyword arguments passed to \w+: \{'(\w+)'", None),
    (r"missing 1 required positional argument: '(\w+)'", None),
    (r"The `(\w+)` argument must be", None),
    (r"Invalid value for argument `(\w+)`", None),
    (r"number of groups must be a positive integer", "groups"),
    (r"number of filters must be evenly divisible by the number of groups", "groups"),
    (r"number of input channels must be evenly divisible by the number of groups", "groups"),
    (r"`output_padding` must be strictly less than `strides`", "output_padding"),
    (r"`strides > 1` not supported in conjunction with `dilation_rate > 1`", "strides"),
    (r"Computed output size would be zero or negative", "kernel_size"),
    (r"Kernel shape must have the same length as input", "input_shape"),
    (r"expected min_ndim=|tuple index out of range", "input_shape"),
    (r"must be fully-defined|unsupported operand type\(s\) for [%*]: .*'NoneType'", "input_shape"),
    # The TensorFlow kernel of a transposed convolution rejects the output length that Keras
    # computes for padding="same" with an explicit output_padding (see the calculator's module).
    (r"BackpropInput|out_backprop", "output_padding"),
]


def arg_of(message: str) -> str | None:
    for pattern, name in ARG_PATTERNS:
        found = re.search(pattern, message)
        if found:
            return name or found.group(1)
    return None


def short(error: Exception) -> str:
    """Keras's message without terminal colours, TensorFlow's op dump or the call's argument list."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    text = text.split("\n\nArguments received by")[0]
    text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", text)
    text = re.sub(r"Run workload with environment variable ONEDNN_VERBOSE.*?(?=\[Op:)", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text).strip()
    # Python prints a set of strings in an order that changes from run to run: sort it.
    sort_set = lambda found: "{" + ", ".join(sorted(found[0][1:-1].split(", "))) + "}"  # noqa: E731
    text = re.sub(r"\{'[^'{}:]*'(?:, '[^'{}:]*')+\}", sort_set, text)
    return f"{type(error).__name__}: {text}"[:400]


def tuple_value(rng: Random, values: list[int]):
    """Keras accepts an int (same on every axis) or a tuple; vectors use both forms (JSON lists)."""
    if len(set(values)) == 1 and rng.random() < 0.6:
        return values[0]
    return list(values)


def per_axis(value, rank: int) -> list:
    if value is None:
        return [None] * rank
    return list(value) if isinstance(value, list) else [value] * rank


def random_config(rng: Random, layer: str) -> tuple[dict, list]:
    """A plausible config and input shape: mostly valid, sometimes not (Keras decides)."""
    family, rank = LAYERS[layer]
    cfg: dict = {}
    square = rng.random() < 0.6
    pick_k = lambda: rng.choice([1, 1, 2, 3, 3, 3, 3, 4, 5, 5, 7, 9])  # noqa: E731
    kernel = [pick_k()] * rank if square else [pick_k() for _ in range(rank)]
    strides = [1] * rank
    if rng.random() < 0.45:
        strides = [rng.choice([1, 2, 2, 2, 3, 4])] * rank if square else [rng.choice([1, 2, 3]) for _ in range(rank)]
    dilation = [1] * rank
    if rng.random() < 0.3:
        dilation = [rng.choice([2, 2, 3, 4])] * rank if square else [rng.choice([1, 2, 3]) for _ in range(rank)]
    if family in ("standard", "transposed") and max(strides) > 1 and max(dilation) > 1 and rng.random() < 0.85:
        dilation = [1] * rank
    paddings = ["valid", "same"] + (["causal"] if layer == "Conv1D" else [])
    padding = rng.choice(paddings)
    if rng.random() < 0.05:
        padding = padding.upper() if rng.random() < 0.5 else padding.capitalize()

    if family != "depthwise":
        cfg["filters"] = rng.choice([1, 2, 3, 4, 6, 8, 8, 12, 16, 16, 32, 64])
    cfg["kernel_size"] = tuple_value(rng, kernel)
    if strides != [1] * rank or rng.random() < 0.2:
        cfg["strides"] = tuple_value(rng, strides)
    if padding != "valid" or rng.random() < 0.3:
        cfg["padding"] = padding
    if dilation != [1] * rank or rng.random() < 0.15:
        cfg["dilation_rate"] = tuple_value(rng, dilation)
    channels = rng.choice([1, 2, 3, 3, 4, 5, 8, 16, 32])
    if family == "standard" and rng.random() < 0.35:
        groups = rng.choice([1, 2, 2, 3, 4, 8])
        channels = groups * rng.choice([1, 2, 3, 4])
        cfg["filters"] = groups * rng.choice([1, 2, 3, 4])
        cfg["groups"] = groups
    if family in ("depthwise", "separable") and rng.random() < 0.5:
        cfg["depth_multiplier"] = rng.choice([1, 2, 3, 4])
    if family == "transposed":
        roll = rng.random()
        if roll < 0.15:
            cfg["output_padding"] = None
        elif roll < 0.6:
            ops = [rng.randrange(s) for s in strides]
            cfg["output_padding"] = ops[0] if (len(set(ops)) == 1 and rng.random() < 0.6) else ops
    fmt = rng.choices([None, "omit", "channels_last", "channels_first"], [0.05, 0.6, 0.1, 0.25])[0]
    if fmt != "omit":
        cfg["data_format"] = fmt
    if rng.random() < 0.4:
        cfg["use_bias"] = rng.random() < 0.4

    # Spatial sizes: usually large enough for a valid convolution, sometimes (on purpose) not.
    top = {1: 40, 2: 20, 3: 8}[rank]
    spatial = []
    for k, d in zip(kernel, dilation, strict=True):
        span = (k - 1) * d + 1
        if family == "transposed":
            size = rng.randint(1, {1: 16, 2: 10, 3: 5}[rank])
        elif padding.lower() == "valid" and rng.random() < 0.93:
            size = span + rng.randint(0, top // 2)
        else:
            size = rng.randint(1, top)
        spatial.append(None if rng.random() < 0.04 else size)
    shape = [None, *spatial, channels] if cfg.get("data_format") != "channels_first" else [None, channels, *spatial]
    order = [k for k in keras_arguments(layer) if k in cfg]
    return {k: cfg[k] for k in order}, shape


def mutate(rng: Random, layer: str, cfg: dict, shape: list) -> tuple[dict, list]:
    """Introduce one fault (Keras decides whether it really is one)."""
    family, rank = LAYERS[layer]
    cfg = dict(cfg)
    shape = list(shape)
    channels_first = cfg.get("data_format") == "channels_first"
    channel_axis = 1 if channels_first else -1
    spatial_axes = list(range(2, 2 + rank)) if channels_first else list(range(1, 1 + rank))
    faults = ["nonpositive_tuple", "tuple_length", "foreign_arg", "typo_arg", "padding", "data_format"]
    faults += ["input_rank", "unknown_channels", "missing_required", "stride_with_dilation"]
    if family != "depthwise":
        faults += ["nonpositive_filters"]
    if family != "transposed":
        faults += ["kernel_too_big", "kernel_too_big", "kernel_too_big"]
    if family == "standard":
        faults += ["nonpositive_groups", "groups_filters", "groups_channels", "groups_channels"]
    if family in ("depthwise", "separable"):
        faults += ["nonpositive_depth_multiplier", "stride_with_dilation"]
    if family == "transposed":
        faults += ["output_padding_too_big"] * 2 + ["output_padding_negative", "output_padding_length"]
        faults += ["same_even_kernel"] * 4
    fault = rng.choice(faults)

    if fault == "nonpositive_tuple":
        name = rng.choice(["kernel_size", "strides", "dilation_rate"])
        bad = rng.choice([0, -1, -3])
        if rng.random() < 0.5:
            cfg[name] = bad
        else:
            values = per_axis(cfg.get(name, 1), rank)
            values[rng.randrange(rank)] = bad
            cfg[name] = values
    elif fault == "tuple_length":
        name = rng.choice(
            ["kernel_size", "strides", "dilation_rate"] + (["output_padding"] if family == "transposed" else [])
        )
        length = rng.choice([n for n in (1, 2, 3, 4) if n != rank])
        cfg[name] = [rng.choice([1, 2])] * length if name != "output_padding" else [0] * length
    elif fault == "foreign_arg":
        others = {"groups": 2, "depth_multiplier": 2, "output_padding": 1, "filters": 8}
        name = rng.choice([n for n in others if n not in keras_arguments(layer)])
        cfg[name] = others[name]
    elif fault == "typo_arg":
        cfg[rng.choice(["stride", "kernel", "dilation", "bias", "filter"])] = 1
    elif fault == "padding":
        cfg["padding"] = rng.choice(["causal", "causal", "full", "reflect"])
    elif fault == "data_format":
        cfg["data_format"] = rng.choice(["NHWC", "channels_middle"])
    elif fault == "input_rank":
        if rng.random() < 0.5 or rank == 1:
            shape.insert(spatial_axes[0], rng.randint(4, 9))
        else:
            del shape[spatial_axes[0]]
    elif fault == "unknown_channels":
        shape[channel_axis] = None
    elif fault == "missing_required":
        cfg.pop(rng.choice([n for n in ("filters", "kernel_size") if n in cfg]))
    elif fault == "stride_with_dilation":
        strides, dilation = [1] * rank, [1] * rank
        strides[rng.randrange(rank)] = rng.choice([2, 3])
        dilation[rng.randrange(rank)] = rng.choice([2, 3])
        cfg["strides"], cfg["dilation_rate"] = strides, dilation
        cfg.pop("output_padding", None)
        for axis in spatial_axes:
            if shape[axis] is not None:
                shape[axis] += 7
    elif fault == "nonpositive_filters":
        cfg["filters"] = rng.choice([0, -1, -8])
    elif fault == "kernel_too_big":
        cfg["padding"] = "valid"
        axis = rng.randrange(rank)
        kernel = per_axis(cfg["kernel_size"], rank)
        dilation = per_axis(cfg.get("dilation_rate", 1), rank)
        span = (kernel[axis] - 1) * dilation[axis] + 1
        if span == 1:
            kernel[axis] = rng.choice([2, 3, 5])
            cfg["kernel_size"] = kernel
            span = (kernel[axis] - 1) * dilation[axis] + 1
        shape[spatial_axes[axis]] = rng.randint(max(1, span - 3), span - 1)
    elif fault == "nonpositive_groups":
        cfg["groups"] = rng.choice([0, -1, -2])
    elif fault == "groups_filters":
        cfg["groups"] = rng.choice([2, 3, 4, 5])
        cfg["filters"] = cfg["groups"] * rng.randint(1, 4) + rng.randint(1, cfg["groups"] - 1)
        shape[channel_axis] = cfg["groups"] * rng.randint(1, 3)
    elif fault == "groups_channels":
        cfg["groups"] = rng.choice([2, 3, 4, 5])
        cfg["filters"] = cfg["groups"] * rng.randint(1, 4)
        shape[channel_axis] = cfg["groups"] * rng.randint(1, 3) + rng.randint(1, cfg["groups"] - 1)
    elif fault == "nonpositive_depth_multiplier":
        cfg["depth_multiplier"] = rng.choice([0, -1])
    elif fault == "output_padding_too_big":
        strides = per_axis(cfg.get("strides", 1), rank)
        ops = [rng.randrange(s) for s in strides]
        axis = rng.randrange(rank)
        ops[axis] = strides[axis] + rng.choice([0, 0, 1])
        cfg["output_padding"] = ops if rng.random() < 0.7 or len(set(ops)) > 1 else ops[0]
    elif fault == "output_padding_negative":
        cfg["output_padding"] = -1
    elif fault == "same_even_kernel":
        cfg["padding"] = "same"
        axis = rng.randrange(rank)
        kernel = per_axis(cfg["kernel_size"], rank)
        kernel[axis] = rng.choice([2, 4, 6])
        dilation = per_axis(cfg.get("dilation_rate", 1), rank)
        dilation[axis] = rng.choice([1, 1, 3]) if max(per_axis(cfg.get("strides", 1), rank)) == 1 else 1
        cfg["kernel_size"], cfg["dilation_rate"] = kernel, dilation
        strides = per_axis(cfg.get("strides", 1), rank)
        ops = [rng.randrange(s) for s in strides]
        ops[axis] = 0
        cfg["output_padding"] = ops if len(set(ops)) > 1 or rng.random() < 0.5 else 0
        if rng.random() < 0.3 and shape[spatial_axes[axis]] is not None:
            shape[spatial_axes[axis]] = 1  # Keras's output length is then 0
    order = [k for k in keras_arguments(layer) if k in cfg] + [k for k in cfg if k not in keras_arguments(layer)]
    return {k: cfg[k] for k in order}, shape


def keras_arguments(layer: str) -> dict:
    """The supported constructor keywords of the layer, in Keras's order, with Keras's defaults."""
    parameters = inspect.signature(getattr(keras.layers, layer).__init__).parameters.values()
    return {
        p.name: (REQUIRED if p.default is inspect.Parameter.empty else p.default)
        for p in parameters
        if p.name in SUPPORTED
    }


def jsonable(value):
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {key: jsonable(v) for key, v in value.items()}
    return value


def concrete(shape: list, cfg: dict, rank: int, channels_first: bool) -> tuple:
    """A batch-1 input for a real call: None spatial sizes become one large enough for the kernel."""
    spans = [
        (k - 1) * d + 1 + s
        for k, d, s in zip(
            per_axis(cfg["kernel_size"], rank),
            per_axis(cfg.get("dilation_rate", 1), rank),
            per_axis(cfg.get("strides", 1), rank),
            strict=False,
        )
    ]
    spatial_axes = range(2, len(shape)) if channels_first else range(1, len(shape) - 1)
    out = [1, *shape[1:]]
    for i, axis in enumerate(spatial_axes):
        if out[axis] is None:
            out[axis] = spans[i] if i < len(spans) else 8
    return tuple(out)


def judge(layer: str, cfg: dict, shape: list, stats: Counter) -> dict:
    """Ask Keras about one config: the vector's expected values, or its error."""
    family, rank = LAYERS[layer]
    vector = {"layer": layer, "config": cfg, "input_shape": shape}
    stage = "construct"
    try:
        obj = getattr(keras.layers, layer)(**{"name": "layer", **cfg})
        stage = "build"
        obj.build(tuple(shape))
        stage = "compute_output_shape"
        out = jsonable(obj.compute_output_shape(tuple(shape)))
        channels_first = obj.data_format == "channels_first"
        if 0 in out:
            stage = "empty_output"
            raise ValueError(f"Keras accepts the layer, but its output shape {tuple(out)} is empty")
        stage = "call"
        try:
            if channels_first:  # call the channels_last twin on the permuted input instead
                twin = getattr(keras.layers, layer)(**{**cfg, "data_format": "channels_last", "name": "twin"})
                x = concrete(shape, cfg, rank, True)
                y = twin(np.zeros((x[0], *x[2:], x[1]), "float32"))
                called = [y.shape[0], y.shape[-1], *y.shape[1:-1]]
            else:
                called = list(obj(np.zeros(concrete(shape, cfg, rank, False), "float32")).shape)
            stats["calls"] += 1
            want = [c if o is None else o for o, c in zip(out, called, strict=False)]
            if called[1:] != want[1:] or len(called) != len(out):
                raise AssertionError(f"Keras's call disagrees with compute_output_shape: {vector} {called} {out}")
        except tf.errors.OpError as error:  # Keras accepted it; TensorFlow's kernel did not
            vector.update(backend_error=short(error), backend_arg=arg_of(short(error)))
    except AssertionError:
        raise
    except Exception as error:  # Keras raises ValueError, TypeError or IndexError
        message = short(error)
        vector.update(error=message, stage=stage, arg=arg_of(message))
        if stage == "empty_output" and family == "transposed":
            vector["arg"] = "output_padding"
        return vector
    vector["expected"] = {
        "params": obj.count_params(),
        "weight_shapes": [list(w.shape) for w in obj.weights],
        "output_shape": out,
        "macs": macs_by_definition(obj, shape, out, channels_first),
    }
    return vector


# Readable cases that the JS tests name; their expected values come from Keras like all others.
EXAMPLES = [
    ("conv2d-mnist", "Conv2D", dict(filters=32, kernel_size=3), [None, 28, 28, 1]),
    ("conv2d-same-stride2", "Conv2D", dict(filters=64, kernel_size=3, strides=2, padding="same"), [None, 32, 32, 3]),
    (
        "conv1d-causal-dilated",
        "Conv1D",
        dict(filters=16, kernel_size=3, padding="causal", dilation_rate=4),
        [None, 100, 8],
    ),
    ("conv2d-groups", "Conv2D", dict(filters=64, kernel_size=3, groups=4, use_bias=False), [None, 16, 16, 32]),
    (
        "conv3d-channels-first",
        "Conv3D",
        dict(filters=8, kernel_size=[3, 3, 1], data_format="channels_first"),
        [None, 4, 10, 10, 5],
    ),
    ("separable2d", "SeparableConv2D", dict(filters=32, kernel_size=3, depth_multiplier=2), [None, 20, 20, 16]),
    (
        "depthwise2d-stride-dilation",
        "DepthwiseConv2D",
        dict(kernel_size=3, strides=2, dilation_rate=2),
        [None, 15, 15, 8],
    ),
    (
        "conv2dtranspose-upsample",
        "Conv2DTranspose",
        dict(filters=16, kernel_size=3, strides=2, padding="same"),
        [None, 7, 7, 32],
    ),
    (
        "conv1dtranspose-output-padding",
        "Conv1DTranspose",
        dict(filters=4, kernel_size=3, strides=3, output_padding=1),
        [None, 10, 2],
    ),
    (
        "conv2dtranspose-same-even-kernel",
        "Conv2DTranspose",
        dict(filters=4, kernel_size=2, padding="same", output_padding=0),
        [None, 3, 3, 2],
    ),
    ("conv2d-kernel-too-big", "Conv2D", dict(filters=4, kernel_size=5), [None, 3, 3, 2]),
    ("conv2d-causal", "Conv2D", dict(filters=4, kernel_size=3, padding="causal"), [None, 8, 8, 2]),
    ("conv2dtranspose-groups", "Conv2DTranspose", dict(filters=4, kernel_size=3, groups=2), [None, 8, 8, 2]),
]


def value_only_arguments(layer: str) -> dict:
    """Arguments that change a layer's values, never its shapes: both modules must accept them."""
    kernel = "depthwise" if LAYERS[layer][0] in ("depthwise", "separable") else "kernel"
    values = {"activation": "relu", f"{kernel}_initializer": "he_normal", "bias_regularizer": "l2"}
    if LAYERS[layer][0] == "separable":
        values["pointwise_constraint"] = "non_neg"
    return {**values, "name": f"{layer.lower()}_from_get_config", "trainable": False, "dtype": "float32"}


def get_config_vectors(stats: Counter) -> list[dict]:
    """For every layer, a config as ``layer.get_config()`` writes it (every argument, value-only ones too)."""
    vectors = []
    for layer in LAYERS:
        rank = LAYERS[layer][1]
        required = {} if LAYERS[layer][0] == "depthwise" else {"filters": 4}
        built = getattr(keras.layers, layer)(kernel_size=3, **required, **value_only_arguments(layer))
        shape = [None, *([7] * rank), 4]
        vectors.append(
            {"id": f"get-config-{layer.lower()}", **judge(layer, jsonable(built.get_config()), shape, stats)}
        )
    return vectors


def main() -> None:
    start = time.perf_counter()
    rng = Random(SEED)
    stats: Counter = Counter()
    vectors = [{"id": name, **judge(layer, cfg, shape, stats)} for name, layer, cfg, shape in EXAMPLES]
    vectors += get_config_vectors(stats)
    for layer in LAYERS:
        for _ in range(PER_LAYER["random"]):
            vectors.append(judge(layer, *random_config(rng, layer), stats))
        for _ in range(PER_LAYER["mutated"]):
            vectors.append(judge(layer, *mutate(rng, layer, *random_config(rng, layer)), stats))

    meta = {
        "generator": "scripts/make_calculator_vectors.py",
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "seed": SEED,
        "count": len(vectors),
    }
    # [name, default], or [name] for a required argument: what the calculator's ARGUMENTS must list.
    arguments = {
        layer: [[k] if v is REQUIRED else [k, jsonable(v)] for k, v in keras_arguments(layer).items()]
        for layer in LAYERS
    }
    lines = ["{", f'"meta": {json.dumps(meta)},', '"arguments": {']
    lines += [f"{json.dumps(layer)}: {json.dumps(args)}," for layer, args in arguments.items()]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["},", '"vectors": [']
    lines += [json.dumps(v, separators=(",", ":")) + "," for v in vectors]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["]", "}", ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines))

    print(f"Wrote {len(vectors)} vectors to {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
    print(f"{'layer':<18}{'valid':>7}{'invalid':>9}")
    for layer in LAYERS:
        mine = [v for v in vectors if v["layer"] == layer]
        bad = sum("error" in v for v in mine)
        print(f"{layer:<18}{len(mine) - bad:>7}{bad:>9}")
    stages = Counter(v["stage"] for v in vectors if "error" in v)
    args = Counter(v["arg"] for v in vectors if "error" in v)
    print("errors by stage:", dict(sorted(stages.items())))
    print("errors by argument:", dict(sorted(args.items(), key=lambda kv: str(kv[0]))))
    print("accepted by Keras but rejected by TensorFlow's kernel:", sum("backend_error" in v for v in vectors))
    print(f"real calls: {stats['calls']}; {OUT.stat().st_size / 1e6:.2f} MB; {time.perf_counter() - start:.0f} s")
    if None in args:
        print("warning: some errors name no argument (see ARG_PATTERNS)", file=sys.stderr)


if __name__ == "__main__":
    main()
