"""Generated tables and formulas: a Python-Markdown extension, so MkDocs and Zensical both run it.

A page asks for a table, or for a family's LaTeX formula, with a marker on a line of its own
(indented inside a tab or admonition):

    <!-- conv-table: conv-examples -->
    <!-- conv-formula: conv-params -->

and the extension's preprocessor puts the Markdown there. What a table shows is page content, kept in
``doctools/content/tables.py``; this module renders it. Nothing rendered is typed: example values
come from ``snippets.conv_arithmetic.layer_info``, and every formula (Python or LaTeX) is evaluated
for the examples of its layers and compared with ``layer_info``. A formula that disagrees, or a
marker that names nothing, stops the build with the line of the marker; ``check_page`` reports the
same errors at file:line for the tests. The build never imports TensorFlow or Keras.
"""

from __future__ import annotations

import re
from math import prod
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor

from doctools.content.tables import (
    DEFAULTS,
    FAMILIES,
    FAMILY_EXAMPLES,
    FAMILY_OF,
    INVERSE_CONFIG,
    INVERSE_LENGTHS,
    LATEX_SPAN,
    LATEX_SYMBOLS,
    LENGTH_NAMES,
    LENGTH_ROWS,
    LENGTHS,
    NAMES,
    SUMMARY_EXAMPLES,
    Example,
)
from doctools.extensions import reload_if_changed
from doctools.literals import py
from snippets import conv_arithmetic

MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*conv-(?P<kind>table|formula):\s*(?P<name>[-\w]+)\s*-->[ \t]*$")
LOOSE_MARKER = re.compile(r"<!--\s*conv-(?:table|formula)\b")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


class GeneratedContentError(ValueError):
    """A marker or a formula that the build cannot render truthfully."""


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
        raise GeneratedContentError(
            f"conv_tables: the parameter formula of {example.layer} does not add up its weight shapes"
        )
    for key, value in found.items():
        if value != info[key]:
            raise GeneratedContentError(
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


def examples_table(examples: list[Example]) -> list[str]:
    rows = []
    for example in examples:
        info = example.info()
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


def formulas_table(family_key: str) -> list[str]:
    family = FAMILIES[family_key]
    for example in FAMILY_EXAMPLES[family_key]:  # the formulas shown must hold for every example
        check_formulas(example, example.info())
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


def lengths_table() -> list[str]:
    rows = []
    for key, layers, cases in LENGTH_ROWS:
        formula, examples = LENGTHS[key], []
        for case in cases:
            example = _length_example(key, *case)
            length = example.info()["output_shape"][1]
            if axis_length(key, *case) != length:
                raise GeneratedContentError(f"conv_tables: {formula} disagrees with layer_info for {example.call}")
            names = dict(zip(LENGTH_NAMES, (*case, case[3] * (case[1] - 1) + 1), strict=True))
            examples.append(f"`{example.call}`, `n={case[0]}`: `{_filled(formula, names)}` = **{length}**")
        padding = _code(py(key[1]))
        if key[0] == "transposed":
            padding += f", `output_padding={'None' if key[2] is None else 'p'}`"
        rows.append([padding, layers, _code(formula), "<br>".join(examples)])
    return _table(["`padding`", "Layers", "Output length", "Examples"], rows)


def inverse_examples(padding: str) -> list[tuple[Example, list[Example]]]:
    """For each input length: the convolution, and the transposed layers that map its output back."""
    conv = {**INVERSE_CONFIG, "padding": padding}
    pairs = []
    for n in INVERSE_LENGTHS:
        forward = Example("Conv1D", conv, (None, n, 1))
        m = forward.info()["output_shape"][1]
        settings = [None, *range(conv["strides"])]
        pairs.append(
            (forward, [Example("Conv1DTranspose", {**conv, "output_padding": p}, (None, m, 1)) for p in settings])
        )
    return pairs


def inverse_table(padding: str) -> list[str]:
    pairs = inverse_examples(padding)
    forward, backward = pairs[0]
    header = ["`n`", _code(forward.call)]
    header += [_code(f"output_padding={py(example.config['output_padding'])}") for example in backward]
    rows = []
    for forward, backward in pairs:
        n, m = forward.input_shape[1], forward.info()["output_shape"][1]
        back = [example.info()["output_shape"][1] for example in backward]
        rows.append([str(n), str(m), *(f"**{length}**" if length == n else str(length) for length in back)])
    return _table(header, rows)


# ----------------------------------------------------------------------------------------------
# LaTeX formulas: shown as typed in doctools/content/tables.py, checked by translating them to Python


def latex_to_python(latex: str) -> str:
    """The right-hand side of a LaTeX formula as a Python expression over LATEX_SYMBOLS' names."""
    expression = latex.split("=", 1)[1]
    for symbol, name in sorted(LATEX_SYMBOLS.items(), key=lambda item: -len(item[0])):
        pattern = re.escape(symbol) if len(symbol) > 1 else rf"(?<![\\\w]){symbol}(?!\w)"
        expression = re.sub(pattern, name, expression)
    expression = re.sub(r"\\frac\{([^{}]+)\}\{([^{}]+)\}", r"((\1) // (\2))", expression)
    expression = expression.replace(r"\cdot", "*").replace(r"\,", " * ")
    if "\\" in expression or "{" in expression:
        raise GeneratedContentError(f"cannot read the LaTeX formula {latex!r} (left over: {expression!r})")
    return expression


def check_params_latex(family_key: str) -> str:
    """The family's LaTeX parameter formula, after checking it on every example that has a bias."""
    family = FAMILIES[family_key]
    expression = latex_to_python(family.latex_params)
    checked = 0
    for example in FAMILY_EXAMPLES[family_key]:
        names = formula_names(example)
        if not names["use_bias"]:
            continue  # the LaTeX shows the bias term, as the page's text says
        found, params = _evaluate(expression, names), example.info()["params"]
        if found != params:
            raise GeneratedContentError(
                f"the LaTeX formula of {family_key} gives {found} for {example.call} on {example.input_shape}, "
                f"but conv_arithmetic.layer_info gives {params}"
            )
        checked += 1
    if not checked:
        raise GeneratedContentError(f"no example of {family_key} checks its LaTeX formula")
    return family.latex_params


def check_span_latex() -> str:
    """LATEX_SPAN, after checking that n - K + 1 is the valid length of every valid, stride-1 example."""
    expression = latex_to_python(LATEX_SPAN)
    for key, _, cases in LENGTH_ROWS:
        for n, k, s, d, p in cases:
            if key != ("window", "valid") or s != 1:
                continue
            length = _length_example(key, n, k, s, d, p).info()["output_shape"][1]
            if n - _evaluate(expression, {"k": k, "d": d}) + 1 != length:
                raise GeneratedContentError(f"{LATEX_SPAN} disagrees with layer_info for n={n}, k={k}, d={d}")
    return LATEX_SPAN


def _display(latex: str) -> list[str]:
    return ["$$", latex, "$$"]


# ----------------------------------------------------------------------------------------------
# Markers

TABLES = {
    **{f"{key}-examples": (lambda key=key: examples_table(FAMILY_EXAMPLES[key])) for key in FAMILIES},
    **{f"{key}-formulas": (lambda key=key: formulas_table(key)) for key in FAMILIES},
    "layer-summary": lambda: examples_table(SUMMARY_EXAMPLES),
    "length-formulas": lengths_table,
    "transposed-inverse-valid": lambda: inverse_table("valid"),
}
FORMULAS = {
    **{f"{key}-params": (lambda key=key: _display(check_params_latex(key))) for key in FAMILIES},
    "dilated-span": lambda: _display(check_span_latex()),
}
GENERATED = {"table": TABLES, "formula": FORMULAS}


def render(name: str, kind: str = "table") -> str:
    """The Markdown of the table (or LaTeX formula) ``name``."""
    return "\n".join(GENERATED[kind][name]())


def replace_markers(lines: list[str]) -> list[str]:
    """Each marker line outside code fences replaced by its Markdown; errors name the line (from 1)."""
    out, fence = [], None
    for number, line in enumerate(lines, start=1):
        opening = FENCE.match(line)
        if opening and fence is None:
            fence = opening[1]
        elif opening and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
            fence = None
        elif fence is None and LOOSE_MARKER.search(line):
            match = MARKER.match(line)
            if match is None or match["name"] not in GENERATED[match["kind"]]:
                problem = "malformed marker" if match is None else f"unknown conv-{match['kind']} '{match['name']}'"
                known = ", ".join(f"conv-{kind}: {name}" for kind, names in GENERATED.items() for name in names)
                raise GeneratedContentError(
                    f"line {number}: {problem}: write <!-- conv-table: NAME --> or <!-- conv-formula: NAME --> "
                    f"on a line of its own; known: {known}"
                )
            try:
                generated = GENERATED[match["kind"]][match["name"]]()
            except GeneratedContentError as error:
                raise GeneratedContentError(f"line {number}: {error}") from None
            out.extend(match["indent"] + row if row else "" for row in ["", *generated, ""])
            continue
        out.append(line)
    return out


def check_page(path: Path) -> None:
    """Render every marker of a Markdown file; errors start with ``path:line``."""
    text = path.read_text("utf8")
    try:
        replace_markers(text.split("\n"))
    except GeneratedContentError as error:
        line, _, rest = str(error).partition(": ")
        raise GeneratedContentError(f"{path}:{line.removeprefix('line ')}: {rest}") from None


# ----------------------------------------------------------------------------------------------
# The Python-Markdown extension


class ConvTablesPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any(LOOSE_MARKER.search(line) for line in lines):
            return lines
        reload_if_changed(conv_arithmetic)
        return replace_markers(lines)


class ConvTablesExtension(Extension):
    def extendMarkdown(self, md):
        # Before the HTML block preprocessor (priority 20) stashes the markers as raw HTML.
        md.preprocessors.register(ConvTablesPreprocessor(md), "conv_tables", 25)


def makeExtension(**kwargs):
    return ConvTablesExtension(**kwargs)
