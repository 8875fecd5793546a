"""Build the window view's connectivity vectors from Keras: tests/calculator/window-vectors.json.

Rerun it (about a minute on one CPU core) after changing it or upgrading Keras:

    python scripts/dev.py window-vectors

The output is deterministic: a fixed seed drives ``random.Random``, and Keras decides every link.

Spatial vectors (``"windows"``). Each is a layer name, a config (Keras's constructor keywords) and
an input shape (batch ``None``, one channel, channels last). Keras builds the layer without a bias;
the batch holds one one-hot input per input position, and the layer runs once per kernel tap, with
that tap set to 1 and every other tap to 0 (for the separable layers: the depthwise kernel one-hot,
the pointwise kernel all ones; the channel entries of a tap are all 1). Every non-zero output value
is a link ``(output position, input position, tap)``: that input position is multiplied by that
tap into that output position. Configs that Keras rejects, whose call fails, or whose output is
empty are skipped (another random config takes their place). A vector may have no links at all: a
dilated kernel can step over every input position (1 position, kernel 2, dilation 2, "same").
A vector stores the output shape (``compute_output_shape``) and its links, each flattened into
``[*out, *in, *tap]`` (one int per spatial axis each), sorted.

Channel vectors (``"channels"``). The same idea across channels, on a 1-position input with
``kernel_size=1``: one-hot inputs per input channel, and one weight of the last two axes of a kernel
set to 1 at a time. A stage is one kernel, named as in ``layer.weights``: ``kernel`` (standard,
depthwise, transposed) or ``depthwise_kernel`` then ``pointwise_kernel`` (separable). Each stage stores
``[out channel, in channel, a, b]``: weight ``[..., a, b]`` of that kernel carries in channel into
out channel. For the depthwise stage of a separable layer the out channel is the middle channel the
pointwise kernel reads (found by making the pointwise kernel one-hot on it); for its pointwise stage
the in channel is that middle channel.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from random import Random

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras
import numpy as np

from doctools.paths import TESTS

SEED = 20261203
PER_LAYER = 60
OUT = TESTS / "calculator" / "window-vectors.json"

# layer name -> (family, number of spatial axes)
LAYERS = {
    "Conv1D": ("standard", 1),
    "Conv2D": ("standard", 2),
    "Conv3D": ("standard", 3),
    "SeparableConv1D": ("separable", 1),
    "SeparableConv2D": ("separable", 2),
    "DepthwiseConv1D": ("depthwise", 1),
    "DepthwiseConv2D": ("depthwise", 2),
    "Conv1DTranspose": ("transposed", 1),
    "Conv2DTranspose": ("transposed", 2),
    "Conv3DTranspose": ("transposed", 3),
}

# Readable cases, the examples of the pages that show the view; Keras computes them like all others.
EXAMPLES = [
    ("conv1d-same-even", "Conv1D", {"filters": 1, "kernel_size": 4, "padding": "same"}, [None, 7, 1]),
    (
        "conv1d-causal-dilated",
        "Conv1D",
        {"filters": 1, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        [None, 8, 1],
    ),
    ("conv2d-valid-stride2", "Conv2D", {"filters": 1, "kernel_size": 3, "strides": 2}, [None, 7, 7, 1]),
    ("conv2d-same-even", "Conv2D", {"filters": 1, "kernel_size": 2, "padding": "same"}, [None, 5, 5, 1]),
    (
        "conv2d-same-stride2",
        "Conv2D",
        {"filters": 1, "kernel_size": 3, "strides": 2, "padding": "same"},
        [None, 6, 6, 1],
    ),
    ("conv2d-dilated", "Conv2D", {"filters": 1, "kernel_size": 3, "dilation_rate": 2}, [None, 7, 7, 1]),
    ("conv3d-small", "Conv3D", {"filters": 1, "kernel_size": 2, "padding": "same"}, [None, 3, 3, 3, 1]),
    (
        "depthwise2d-multiplier",
        "DepthwiseConv2D",
        {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
        [None, 5, 5, 1],
    ),
    (
        "separable2d-stride-dilation",
        "SeparableConv2D",
        {"filters": 1, "kernel_size": 3, "strides": 2, "dilation_rate": 2, "padding": "same"},
        [None, 8, 8, 1],
    ),
    (
        "conv1dtranspose-output-padding",
        "Conv1DTranspose",
        {"filters": 1, "kernel_size": 3, "strides": 2, "output_padding": 1},
        [None, 4, 1],
    ),
    (
        "conv2dtranspose-same",
        "Conv2DTranspose",
        {"filters": 1, "kernel_size": 3, "strides": 2, "padding": "same"},
        [None, 3, 3, 1],
    ),
    (
        "conv2dtranspose-output-padding",
        "Conv2DTranspose",
        {"filters": 1, "kernel_size": 3, "strides": 2, "output_padding": 1},
        [None, 3, 3, 1],
    ),
    (
        "conv2dtranspose-stride-gt-kernel",
        "Conv2DTranspose",
        {"filters": 1, "kernel_size": 2, "strides": 3},
        [None, 3, 3, 1],
    ),
    (
        "conv3dtranspose-small",
        "Conv3DTranspose",
        {"filters": 1, "kernel_size": 2, "strides": 2, "padding": "same"},
        [None, 2, 2, 2, 1],
    ),
]


def random_config(rng: Random, layer: str) -> tuple[dict, list]:
    """A small config that Keras may accept (judge() asks it)."""
    family, rank = LAYERS[layer]
    square = rng.random() < 0.5
    kmax = {1: 5, 2: 4, 3: 3}[rank]
    pick = lambda options: [rng.choice(options)] * rank if square else [rng.choice(options) for _ in range(rank)]  # noqa: E731
    kernel = pick(list(range(1, kmax + 1)))
    strides, dilation = [1] * rank, [1] * rank
    roll = rng.random()
    if roll < 0.4:
        strides = pick([1, 2, 2, 3])
    elif roll < 0.7:
        dilation = pick([1, 2, 2, 3])
    elif roll < 0.85 and family in ("separable", "depthwise"):
        strides, dilation = pick([2, 3]), pick([2, 3])
    paddings = ["valid", "same"] + (["causal"] if layer == "Conv1D" else [])
    cfg: dict = {}
    if family != "depthwise":
        cfg["filters"] = 1
    cfg["kernel_size"] = kernel[0] if len(set(kernel)) == 1 and rng.random() < 0.5 else kernel
    if strides != [1] * rank:
        cfg["strides"] = strides if not square or rng.random() < 0.5 else strides[0]
    cfg["padding"] = rng.choice(paddings)
    if dilation != [1] * rank:
        cfg["dilation_rate"] = dilation if not square or rng.random() < 0.5 else dilation[0]
    if family in ("separable", "depthwise") and rng.random() < 0.4:
        cfg["depth_multiplier"] = rng.choice([2, 3])
    if family == "transposed":
        roll = rng.random()
        if roll < 0.35:
            cfg["output_padding"] = None
        elif roll < 0.85:
            cfg["output_padding"] = [rng.randrange(s) for s in strides]
    cfg["use_bias"] = False
    spans = [(k - 1) * d + 1 for k, d in zip(kernel, dilation, strict=True)]
    if family == "transposed":
        top = {1: 6, 2: 4, 3: 2}[rank]
        spatial = [rng.randint(1, top) for _ in range(rank)]
    else:
        top = {1: 9, 2: 7, 3: 4}[rank]
        low = [span if cfg["padding"] == "valid" else 1 for span in spans]
        spatial = [rng.randint(min(lo, top), top) for lo in low]
    return cfg, [None, *spatial, 1]


def build(layer: str, cfg: dict, shape: list):
    obj = getattr(keras.layers, layer)(**cfg, name="layer")
    obj.build(tuple(shape))
    return obj


def windows(layer: str, cfg: dict, shape: list) -> dict:
    """The links Keras computes for one spatial config (see the module's docstring)."""
    family, rank = LAYERS[layer]
    cfg = {**cfg, "use_bias": False}
    obj = build(layer, cfg, shape)
    out_shape = [int(d) for d in obj.compute_output_shape(tuple(shape))[1:-1]]
    if 0 in out_shape:  # Keras's shape inference accepts it, but there is no output to connect
        raise ValueError(f"empty output {out_shape}")
    spatial = shape[1:-1]
    positions = list(itertools.product(*map(range, spatial)))
    x = np.zeros((len(positions), *spatial, 1), "float32")
    for b, position in enumerate(positions):
        x[(b, *position, 0)] = 1.0
    kernel = obj.weights[0].numpy()  # kernel, or depthwise_kernel
    links = []
    for tap in itertools.product(*map(range, kernel.shape[:rank])):
        one_hot = np.zeros_like(kernel)
        one_hot[tap] = 1.0  # every channel entry of this tap
        obj.weights[0].assign(one_hot)
        if family == "separable":
            obj.weights[1].assign(np.ones_like(obj.weights[1].numpy()))
        y = np.asarray(obj(x))
        assert list(y.shape[1:-1]) == out_shape, (layer, cfg, shape, y.shape, out_shape)
        for b, *out in np.argwhere(np.abs(y).sum(axis=-1) > 0).tolist():
            links.append([*out, *positions[b], *tap])
    links.sort()
    output_shape = list(obj.compute_output_shape(tuple(shape)))
    return {"layer": layer, "config": cfg, "input_shape": shape, "output_shape": output_shape, "links": links}


def judge(layer: str, cfg: dict, shape: list) -> dict | None:
    """Keras's links, or None where Keras (or TensorFlow, when called) rejects the config."""
    try:
        return windows(layer, cfg, shape)
    except AssertionError:
        raise
    except Exception:  # Keras raises ValueError, TensorFlow an OpError
        return None


def channel_config(rng: Random, layer: str) -> tuple[dict, list]:
    family, rank = LAYERS[layer]
    cfg: dict = {"kernel_size": 1}
    channels = rng.choice([1, 2, 3, 4])
    if family == "standard":
        groups = rng.choice([1, 1, 2, 3, 4])
        channels = groups * rng.choice([1, 2])
        cfg = {"filters": groups * rng.choice([1, 2]), **cfg, "groups": groups}
    elif family == "transposed":
        cfg = {"filters": rng.choice([1, 2, 3]), **cfg}
    elif family == "depthwise":
        cfg["depth_multiplier"] = rng.choice([1, 2, 3])
    else:
        cfg = {"filters": rng.choice([1, 2, 3]), **cfg, "depth_multiplier": rng.choice([1, 2, 3])}
    cfg["use_bias"] = False
    return cfg, [None, *[1] * rank, channels]


def stage_links(obj, x: np.ndarray, index: int, fixed: dict) -> list:
    """[out, in, a, b] for each weight [..., a, b] of weights[index] (the others as in ``fixed``)."""
    weight = obj.weights[index]
    shape = weight.shape
    links = []
    for other, value in fixed.items():
        obj.weights[other].assign(value)
    for a, b in itertools.product(range(shape[-2]), range(shape[-1])):
        one_hot = np.zeros(shape, "float32")
        one_hot[..., a, b] = 1.0
        weight.assign(one_hot)
        y = np.asarray(obj(x)).reshape(x.shape[0], -1)
        links += [[o, c, a, b] for c, o in np.argwhere(np.abs(y) > 0).tolist()]
    return sorted(links)


def channels(layer: str, cfg: dict, shape: list) -> dict:
    """The channel wiring Keras computes (see the module's docstring)."""
    family, rank = LAYERS[layer]
    obj = build(layer, cfg, shape)
    cin = shape[-1]
    x = np.eye(cin, dtype="float32").reshape(cin, *[1] * rank, cin)
    names = [w.path.split("/")[-1] for w in obj.weights]
    if family != "separable":
        stages = [{"kernel": names[0], "links": stage_links(obj, x, 0, {})}]
    else:
        depthwise, pointwise = obj.weights[0].shape, obj.weights[1].shape
        middle = []  # which middle channel each depthwise weight [..., a, b] writes, read by the pointwise kernel
        for mid in range(pointwise[-2]):
            one_hot = np.zeros(pointwise, "float32")
            one_hot[..., mid, 0] = 1.0
            middle += [[mid, c, a, b] for _, c, a, b in stage_links(obj, x, 0, {1: one_hot}) if _ == 0]
        stages = [
            {"kernel": names[0], "links": sorted(middle)},
            {
                "kernel": names[1],
                "links": [[o, a, a, b] for o, _, a, b in stage_links(obj, x, 1, {0: np.ones(depthwise, "float32")})],
            },
        ]
        stages[1]["links"] = sorted({tuple(link) for link in stages[1]["links"]})
        stages[1]["links"] = [list(link) for link in stages[1]["links"]]
    return {
        "layer": layer,
        "config": cfg,
        "input_shape": shape,
        "output_shape": list(obj.compute_output_shape(tuple(shape))),
        "stages": stages,
    }


def generate(per_layer: int = PER_LAYER, seed: int = SEED) -> dict:
    rng = Random(seed)
    found = [{"id": name, **windows(layer, cfg, shape)} for name, layer, cfg, shape in EXAMPLES]
    for layer in LAYERS:
        count = 0
        while count < per_layer:
            vector = judge(layer, *random_config(rng, layer))
            if vector is not None:
                found.append(vector)
                count += 1
    wiring = [channels(layer, *channel_config(rng, layer)) for layer in LAYERS for _ in range(6)]
    return {"windows": found, "channels": wiring}


def main() -> None:
    start = time.perf_counter()
    data = generate()
    meta = {
        "generator": "scripts/make_window_vectors.py",
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "seed": SEED,
    }
    lines = ["{", f'"meta": {json.dumps(meta)},', '"windows": [']
    lines += [json.dumps(v, separators=(",", ":")) + "," for v in data["windows"]]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["],", '"channels": [']
    lines += [json.dumps(v, separators=(",", ":")) + "," for v in data["channels"]]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["]", "}", ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines))
    links = sum(len(v["links"]) for v in data["windows"])
    print(f"Wrote {len(data['windows'])} window vectors ({links} links) and {len(data['channels'])} channel vectors")
    print(f"{OUT.stat().st_size / 1e6:.2f} MB; {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
