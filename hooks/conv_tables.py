"""Tables of formulas and example values, generated at build time from snippets/conv_arithmetic.py.

A page asks for a table with a marker on a line of its own (indented inside a tab or admonition):

    <!-- conv-table: conv-examples -->

and ``on_page_markdown`` puts the Markdown table there. Nothing in a table is typed: the example
values (parameters, weight shapes, output shapes, MACs, lengths) come from ``layer_info``, and every
formula is a Python expression that is evaluated here for every example of its layers and compared
with ``layer_info``. A formula that disagrees, or a marker that names no table, stops the build with
the page and line. tests/test_conv_tables.py checks every example row against Keras itself.

The build never imports TensorFlow or Keras, and neither does this hook.
"""

from __future__ import annotations

import importlib.util
import re
from math import prod
from pathlib import Path
from typing import NamedTuple

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
ARITHMETIC = ROOT / "snippets" / "conv_arithmetic.py"

MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*conv-table:\s*(?P<name>[-\w]+)\s*-->[ \t]*$")
LOOSE_MARKER = re.compile(r"<!--\s*conv-table\b")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def load_arithmetic():
    """snippets/conv_arithmetic.py as a fresh module (it may change while the site is served)."""
    spec = importlib.util.spec_from_file_location("conv_arithmetic", ARITHMETIC)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------------------------
# Example layers


class Example(NamedTuple):
    layer: str
    config: dict
    input_shape: tuple

    @property
    def call(self) -> str:
        """The constructor call as a reader writes it: Conv2D(64, (3, 3), strides=2)."""
        leading = ("filters", "kernel_size")
        positional = [_py(self.config[key]) for key in leading if key in self.config]
        keywords = [f"{key}={_py(value)}" for key, value in self.config.items() if key not in leading]
        return f"{self.layer}({', '.join(positional + keywords)})"

    def info(self, arithmetic) -> dict:
        return arithmetic.layer_info(self.layer, self.config, self.input_shape)


def _py(value) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


SEQUENCE, IMAGE, SMALL_IMAGE = (None, 100, 64), (None, 128, 128, 3), (None, 64, 64, 3)

CONV_EXAMPLES = [
    Example("Conv1D", {"filters": 32, "kernel_size": 3}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "padding": "same"}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "strides": 2}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "groups": 4}, SEQUENCE),
    Example("Conv1D", {"filters": 32, "kernel_size": 3, "use_bias": False}, SEQUENCE),
    Example("Conv2D", {"filters": 64, "kernel_size": (3, 3)}, IMAGE),
    Example("Conv2D", {"filters": 64, "kernel_size": (3, 3), "strides": 2, "padding": "same"}, IMAGE),
    Example("Conv2D", {"filters": 64, "kernel_size": (5, 5), "dilation_rate": 2}, IMAGE),
    Example("Conv2D", {"filters": 64, "kernel_size": (3, 3), "data_format": "channels_first"}, (None, 3, 128, 128)),
    Example("Conv3D", {"filters": 32, "kernel_size": (3, 3, 3)}, (None, 64, 64, 64, 1)),
    Example("Conv3D", {"filters": 32, "kernel_size": (3, 3, 3)}, (None, 16, 128, 128, 3)),
]
DEPTHWISE_EXAMPLES = [
    Example("DepthwiseConv1D", {"kernel_size": 3}, SEQUENCE),
    Example("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, SEQUENCE),
    Example("DepthwiseConv1D", {"kernel_size": 3, "padding": "same", "use_bias": False}, SEQUENCE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3)}, IMAGE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3), "strides": 2, "padding": "same"}, IMAGE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3), "depth_multiplier": 4}, IMAGE),
    Example("DepthwiseConv2D", {"kernel_size": (3, 3), "strides": 2, "dilation_rate": 2}, IMAGE),
]
SEPARABLE_EXAMPLES = [
    Example("SeparableConv1D", {"filters": 32, "kernel_size": 3}, SEQUENCE),
    Example("SeparableConv1D", {"filters": 32, "kernel_size": 3, "depth_multiplier": 2}, SEQUENCE),
    Example("SeparableConv1D", {"filters": 32, "kernel_size": 3, "use_bias": False}, SEQUENCE),
    Example("SeparableConv2D", {"filters": 64, "kernel_size": (3, 3)}, IMAGE),
    Example("SeparableConv2D", {"filters": 64, "kernel_size": (3, 3), "strides": 2, "padding": "same"}, IMAGE),
    Example("SeparableConv2D", {"filters": 128, "kernel_size": (3, 3), "padding": "same"}, (None, 32, 32, 64)),
]
TRANSPOSED_EXAMPLES = [
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2, "output_padding": 0}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2, "output_padding": 1}, SEQUENCE),
    Example("Conv1DTranspose", {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"}, SEQUENCE),
    Example("Conv2DTranspose", {"filters": 64, "kernel_size": (3, 3)}, SMALL_IMAGE),
    Example("Conv2DTranspose", {"filters": 64, "kernel_size": (4, 4), "strides": 2, "padding": "same"}, SMALL_IMAGE),
    Example(
        "Conv2DTranspose",
        {"filters": 64, "kernel_size": (3, 3), "strides": 2, "padding": "same", "output_padding": 1},
        SMALL_IMAGE,
    ),
    Example("Conv3DTranspose", {"filters": 32, "kernel_size": (3, 3, 3)}, (None, 16, 64, 64, 3)),
]
FAMILY_EXAMPLES = {
    "conv": CONV_EXAMPLES,
    "depthwise": DEPTHWISE_EXAMPLES,
    "separable": SEPARABLE_EXAMPLES,
    "transposed": TRANSPOSED_EXAMPLES,
}
# The worked example of each of the ten layers, for the overview page.
SUMMARY_EXAMPLES = [
    *(CONV_EXAMPLES[i] for i in (0, 6, 10)),
    *(SEPARABLE_EXAMPLES[i] for i in (0, 3)),
    *(DEPTHWISE_EXAMPLES[i] for i in (0, 3)),
    *(TRANSPOSED_EXAMPLES[i] for i in (0, 5, 8)),
]


# ----------------------------------------------------------------------------------------------
# Formulas: Python expressions over the names of NAMES


class Family(NamedTuple):
    layers: tuple[str, ...]
    weights: tuple[tuple[str, str], ...]  # (weight name, shape), in Keras's order; the bias is last
    params: str
    output_channels: str
    macs: str


FAMILIES = {
    "conv": Family(
        ("Conv1D", "Conv2D", "Conv3D"),
        (("kernel", "(*kernel_size, c_in // groups, filters)"), ("bias", "(filters,)")),
        "prod(kernel_size) * (c_in // groups) * filters + filters * use_bias",
        "filters",
        "prod(out_lengths) * prod(kernel_size) * (c_in // groups) * filters",
    ),
    "depthwise": Family(
        ("DepthwiseConv1D", "DepthwiseConv2D"),
        (("kernel", "(*kernel_size, c_in, depth_multiplier)"), ("bias", "(c_in * depth_multiplier,)")),
        "prod(kernel_size) * c_in * depth_multiplier + c_in * depth_multiplier * use_bias",
        "c_in * depth_multiplier",
        "prod(out_lengths) * prod(kernel_size) * c_in * depth_multiplier",
    ),
    "separable": Family(
        ("SeparableConv1D", "SeparableConv2D"),
        (
            ("depthwise_kernel", "(*kernel_size, c_in, depth_multiplier)"),
            ("pointwise_kernel", "(*ones, c_in * depth_multiplier, filters)"),
            ("bias", "(filters,)"),
        ),
        "prod(kernel_size) * c_in * depth_multiplier + c_in * depth_multiplier * filters + filters * use_bias",
        "filters",
        "prod(out_lengths) * c_in * depth_multiplier * (prod(kernel_size) + filters)",
    ),
    "transposed": Family(
        ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"),
        (("kernel", "(*kernel_size, filters, c_in)"), ("bias", "(filters,)")),
        "prod(kernel_size) * filters * c_in + filters * use_bias",
        "filters",
        "prod(in_lengths) * prod(kernel_size) * c_in * filters",
    ),
}
FAMILY_OF = {layer: key for key, family in FAMILIES.items() for layer in family.layers}

# Keras's defaults for the arguments the formulas read; checked with the formulas against layer_info.
DEFAULTS = {
    "strides": 1,
    "padding": "valid",
    "dilation_rate": 1,
    "groups": 1,
    "depth_multiplier": 1,
    "use_bias": True,
    "output_padding": None,
    "data_format": "channels_last",
}

NAMES = {
    "kernel_size": "the kernel size as a tuple, one value per spatial axis",
    "c_in": "the number of input channels",
    "use_bias": "1 with `use_bias=True` (the default), 0 without",
    "ones": "a 1 per spatial axis, so the pointwise kernel is 1 by 1",
    "batch": "the batch size (`None` while unknown)",
    "in_lengths": "the input lengths of the spatial axes",
    "out_lengths": "the output lengths of the spatial axes, from the [length formulas](shape-arithmetic.md)",
    "prod": "the product of a tuple's entries (`math.prod`)",
}

# The output length along one spatial axis: n the input length, k the kernel size, s the stride,
# d the dilation rate, p the output padding, K = d * (k - 1) + 1 the span of the dilated kernel.
LENGTHS = {
    ("window", "valid"): "(n - K) // s + 1",
    ("window", "same"): "(n - 1) // s + 1",
    ("window", "causal"): "(n - 1) // s + 1",
    ("transposed", "valid", None): "(n - 1) * s + max(K, s)",
    ("transposed", "valid", "p"): "(n - 1) * s + K + p",
    ("transposed", "same", None): "n * s",
    ("transposed", "same", "p"): "(n - 1) * s + K % 2 + p",
}
LENGTH_NAMES = "n k s d p K".split()
LENGTH_ROWS = [  # (LENGTHS key, the layers it applies to, examples as (n, k, s, d, p))
    (("window", "valid"), "all but the transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 5, 1, 2, None)]),
    (("window", "same"), "all but the transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (101, 4, 3, 1, None)]),
    (("window", "causal"), "`Conv1D` only", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 3, 1, 4, None)]),
    (("transposed", "valid", None), "transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 2, 3, 1, None)]),
    (("transposed", "valid", "p"), "transposed", [(100, 3, 2, 1, 0), (100, 3, 2, 1, 1), (100, 2, 3, 1, 0)]),
    (("transposed", "same", None), "transposed", [(100, 3, 1, 1, None), (100, 3, 2, 1, None), (100, 4, 2, 1, None)]),
    (("transposed", "same", "p"), "transposed", [(100, 3, 2, 1, 0), (100, 3, 2, 1, 1), (100, 4, 2, 1, 1)]),
]
# Conv1D(1, k, strides=s, padding=...) over several lengths n, and Conv1DTranspose back.
INVERSE_LENGTHS = range(9, 15)
INVERSE_CONFIG = {"filters": 1, "kernel_size": 3, "strides": 2}


def _evaluate(formula: str, names: dict):
    return eval(formula, {"__builtins__": {}, "prod": prod, "max": max}, names)


def _length_key(family: str, padding: str, output_padding) -> tuple:
    if family == "transposed":
        return ("transposed", padding, None if output_padding is None else "p")
    return ("window", padding)


def axis_length(key: tuple, n, k, s, d, p):
    """The output length along one axis, from the LENGTHS formula ``key``."""
    if n is None:
        return None
    return _evaluate(LENGTHS[key], {"n": n, "k": k, "s": s, "d": d, "p": p, "K": d * (k - 1) + 1})


def _per_axis(value, rank) -> tuple:
    return (value,) * rank if isinstance(value, int) else tuple(value)


def formula_names(example: Example) -> dict:
    """The values of NAMES for one example: its arguments, and lengths from the length formulas."""
    args = {**DEFAULTS, **{key: value for key, value in example.config.items() if value is not None}}
    args["output_padding"] = example.config.get("output_padding")
    rank = len(example.input_shape) - 2
    channels_first = args["data_format"] == "channels_first"
    shape = example.input_shape
    in_lengths, c_in = (shape[2:], shape[1]) if channels_first else (shape[1:-1], shape[-1])
    per_axis = {key: _per_axis(args[key], rank) for key in ("kernel_size", "strides", "dilation_rate")}
    paddings = _per_axis(args["output_padding"], rank) if args["output_padding"] is not None else (None,) * rank
    key = _length_key(FAMILY_OF[example.layer], args["padding"].lower(), args["output_padding"])
    out_lengths = tuple(axis_length(key, *axis) for axis in zip(in_lengths, *per_axis.values(), paddings, strict=True))
    return {
        **args,
        **per_axis,
        "use_bias": int(bool(args["use_bias"])),
        "c_in": c_in,
        "batch": shape[0],
        "ones": (1,) * rank,
        "in_lengths": in_lengths,
        "out_lengths": out_lengths,
        "channels_first": channels_first,
    }


def check_formulas(example: Example, info: dict) -> None:
    """Compare each formula of the example's family with layer_info's answer; stop the build if one differs."""
    family = FAMILIES[FAMILY_OF[example.layer]]
    names = formula_names(example)
    shapes = [_evaluate(shape, names) for _, shape in family.weights][: len(family.weights) - 1 + names["use_bias"]]
    channels = _evaluate(family.output_channels, names)
    lengths = names["out_lengths"]
    found = {
        "weight_shapes": shapes,
        "params": _evaluate(family.params, names),
        "output_shape": (names["batch"], *((channels, *lengths) if names["channels_first"] else (*lengths, channels))),
        "macs": _evaluate(family.macs, names),
    }
    if found["params"] != sum(map(prod, shapes)):
        raise PluginError(f"conv_tables: the parameter formula of {example.layer} does not add up its weight shapes")
    for key, value in found.items():
        if value != info[key]:
            raise PluginError(
                f"conv_tables: the formulas give {key}={value!r} for {example.call} on {example.input_shape}, "
                f"but conv_arithmetic.layer_info gives {info[key]!r}"
            )


# ----------------------------------------------------------------------------------------------
# Tables


def _code(value) -> str:
    return f"`{value}`"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def weight_names(layer: str) -> list[str]:
    return [name for name, _ in FAMILIES[FAMILY_OF[layer]].weights]


def examples_table(examples: list[Example], arithmetic) -> list[str]:
    rows = []
    for example in examples:
        info = example.info(arithmetic)
        check_formulas(example, info)
        weights = zip(weight_names(example.layer), info["weight_shapes"], strict=False)
        rows.append(
            [
                _code(example.call),
                _code(example.input_shape),
                "<br>".join(f"`{name}` `{shape}`" for name, shape in weights),
                f"{info['params']:,}",
                _code(info["output_shape"]),
                f"{info['macs']:,}",
            ]
        )
    return _table(["Layer", "Input shape", "Weights", "Params", "Output shape", "MACs"], rows)


def formulas_table(family_key: str, arithmetic) -> list[str]:
    family = FAMILIES[family_key]
    for example in FAMILY_EXAMPLES[family_key]:  # the formulas shown must hold for every example
        check_formulas(example, example.info(arithmetic))
    rows = [[f"`{name}` shape", _code(shape)] for name, shape in family.weights]
    rows[-1][0] += ", only with `use_bias=True`"
    rows.append(["Parameters", _code(family.params)])
    rows.append(["Output shape, channels last", _code(f"(batch, *out_lengths, {family.output_channels})")])
    rows.append(["Output shape, channels first", _code(f"(batch, {family.output_channels}, *out_lengths)")])
    rows.append(["MACs per example", _code(family.macs)])
    text = " ".join([*(row[1] for row in rows), family.output_channels])
    legend = [f"`{name}` is {meaning}" for name, meaning in NAMES.items() if re.search(rf"\b{name}\b", text)]
    legend = "In these formulas, " + "; ".join(legend) + ". Every other name is an argument of the layer."
    return [*_table(["Quantity", "Formula (Python)"], rows), "", legend]


def _length_example(key: tuple, n, k, s, d, p) -> Example:
    """The 1-D layer whose output length answers one example of a length formula."""
    settings = {"strides": s, "dilation_rate": d, "padding": key[1], "output_padding": p}
    config = {"filters": 1, "kernel_size": k}
    config.update((name, value) for name, value in settings.items() if value != DEFAULTS[name])
    return Example("Conv1D" if key[0] == "window" else "Conv1DTranspose", config, (None, n, 1))


def _filled(formula: str, names: dict) -> str:
    return re.sub(r"\b[nksdpK]\b", lambda m: str(names[m[0]]), formula)


def lengths_table(arithmetic) -> list[str]:
    rows = []
    for key, layers, cases in LENGTH_ROWS:
        formula, examples = LENGTHS[key], []
        for case in cases:
            example = _length_example(key, *case)
            length = example.info(arithmetic)["output_shape"][1]
            if axis_length(key, *case) != length:
                raise PluginError(f"conv_tables: {formula} disagrees with layer_info for {example.call}")
            names = dict(zip(LENGTH_NAMES, (*case, case[3] * (case[1] - 1) + 1), strict=True))
            examples.append(f"`{example.call}`, `n={case[0]}`: `{_filled(formula, names)}` = **{length}**")
        padding = _code(_py(key[1]))
        if key[0] == "transposed":
            padding += f", `output_padding={'None' if key[2] is None else 'p'}`"
        rows.append([padding, layers, _code(formula), "<br>".join(examples)])
    return _table(["`padding`", "Layers", "Output length", "Examples"], rows)


def inverse_examples(padding: str, arithmetic) -> list[tuple[Example, list[Example]]]:
    """For each input length: the convolution, and the transposed layers that map its output back."""
    conv = {**INVERSE_CONFIG, "padding": padding}
    pairs = []
    for n in INVERSE_LENGTHS:
        forward = Example("Conv1D", conv, (None, n, 1))
        m = forward.info(arithmetic)["output_shape"][1]
        settings = [None, *range(conv["strides"])]
        pairs.append(
            (forward, [Example("Conv1DTranspose", {**conv, "output_padding": p}, (None, m, 1)) for p in settings])
        )
    return pairs


def inverse_table(padding: str, arithmetic) -> list[str]:
    pairs = inverse_examples(padding, arithmetic)
    forward, backward = pairs[0]
    header = ["`n`", _code(forward.call)]
    header += [_code(f"output_padding={_py(example.config['output_padding'])}") for example in backward]
    rows = []
    for forward, backward in pairs:
        n, m = forward.input_shape[1], forward.info(arithmetic)["output_shape"][1]
        back = [example.info(arithmetic)["output_shape"][1] for example in backward]
        rows.append([str(n), str(m), *(f"**{length}**" if length == n else str(length) for length in back)])
    return _table(header, rows)


TABLES = {
    **{f"{key}-examples": (lambda a, key=key: examples_table(FAMILY_EXAMPLES[key], a)) for key in FAMILIES},
    **{f"{key}-formulas": (lambda a, key=key: formulas_table(key, a)) for key in FAMILIES},
    "layer-summary": lambda a: examples_table(SUMMARY_EXAMPLES, a),
    "length-formulas": lengths_table,
    "transposed-inverse-valid": lambda a: inverse_table("valid", a),
    "transposed-inverse-same": lambda a: inverse_table("same", a),
}


def render(name: str, arithmetic=None) -> str:
    """The Markdown of the table ``name``."""
    return "\n".join(TABLES[name](arithmetic or load_arithmetic()))


# ----------------------------------------------------------------------------------------------
# The MkDocs hook


def replace_markers(markdown: str, where: str, arithmetic, first_line: int = 1) -> str:
    """Replace each marker line outside code fences with its table; errors name ``where`` and the line."""
    lines = markdown.split("\n")
    fence = None
    for index, line in enumerate(lines):
        opening = FENCE.match(line)
        if opening and fence is None:
            fence = opening[1]
        elif opening and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
            fence = None
        elif fence is None and LOOSE_MARKER.search(line):
            match = MARKER.match(line)
            if match is None or match["name"] not in TABLES:
                problem = "malformed conv-table marker" if match is None else f"unknown conv table '{match['name']}'"
                raise PluginError(
                    f"{where}:{first_line + index}: {problem}: write <!-- conv-table: NAME --> on a line of its own, "
                    f"with NAME one of: {', '.join(TABLES)}"
                )
            table = TABLES[match["name"]](arithmetic)
            lines[index] = "\n".join(match["indent"] + row if row else "" for row in ["", *table, ""])
    return "\n".join(lines)


def _first_line(page, markdown: str) -> int:
    """The file's line number of the markdown's first line (MkDocs strips a YAML front matter)."""
    source = page.file.content_string
    start = source.find(markdown)
    return source.count("\n", 0, start) + 1 if start > 0 else 1


_BUILD: dict = {}


def on_pre_build(config):
    _BUILD["arithmetic"] = load_arithmetic()


def on_page_markdown(markdown, page, config, files):
    if not LOOSE_MARKER.search(markdown):
        return markdown
    arithmetic = _BUILD.get("arithmetic") or load_arithmetic()
    return replace_markers(markdown, f"docs/{page.file.src_uri}", arithmetic, _first_line(page, markdown))
