"""Values in sentences: a Python-Markdown extension, so MkDocs and Zensical both run it.

A sentence that states a result names it instead of typing it:

    A `Conv2D(32, 3)` on a 28x28 grayscale image has {{ standard.mnist-params }} parameters.

and the preprocessor writes the value there. The values are page content, kept in
``doctools/content/prose_values.py`` and computed with ``snippets.conv_arithmetic`` (never Keras);
``tests/doctools/test_prose_values.py`` checks each against Keras. Two more forms mark a number
that is not a result, so that the prose lint (``doctools/prose.py``) lets it stand:

    {{ year 2017 }}        a year, in a citation
    {{ section 3.2 }}      a section (or table, figure) number of a cited work
    {{ keras 3.15 }}       the Keras version a statement holds for (the tests compare it with Keras)

Both render as the bare number. A placeholder that names nothing, or a malformed one, stops the
build with its line. Placeholders inside code fences and inline code are left alone.
"""

from __future__ import annotations

import re
from math import prod
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor

from doctools.content import prose_values as content
from doctools.extensions import reload_if_changed
from snippets import conv_arithmetic

PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[A-Za-z][-\w.]*)(?:\s+(?P<arg>[^\s{}]+))?\s*\}\}")
LOOSE = re.compile(r"\{\{")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
MARKS = {"year": re.compile(r"\d{4}"), "section": re.compile(r"\d+(?:\.\d+)*"), "keras": re.compile(r"\d+\.\d+")}


class ProseValueError(ValueError):
    """A placeholder the build cannot fill truthfully."""


def facts_of(example) -> dict:
    return example.info()


def value_text(name: str, facts=facts_of) -> str:
    """The text of the value ``name``, computed from ``facts(example)`` (layer_info's by default)."""
    if name not in content.VALUES:
        known = ", ".join(sorted(content.VALUES))
        raise ProseValueError(f"unknown prose value '{name}' (known: {known})")
    value = content.VALUES[name]
    inputs = [facts(example)[fact] for example, fact in value.facts]
    return value.format.format(value.compute(*inputs))


def render_placeholder(match: re.Match) -> str:
    name, arg = match["name"], match["arg"]
    if name in MARKS:
        if arg is None or not MARKS[name].fullmatch(arg):
            raise ProseValueError(f"write {{{{ {name} NUMBER }}}}: '{match[0]}' has no number of that form")
        return arg
    if arg is not None:
        raise ProseValueError(f"a prose value takes no argument (only year, section and keras do): '{match[0]}'")
    return value_text(name)


def _outside_inline_code(line: str, replace) -> str:
    """Apply ``replace`` to the parts of a line outside backtick code spans."""
    parts = re.split(r"(`+[^`]*`+)", line)
    return "".join(part if part.startswith("`") else replace(part) for part in parts)


def replace_placeholders(lines: list[str]) -> list[str]:
    """Each placeholder (and exercises marker) outside code fences replaced; errors name the line (from 1)."""
    out, fence = [], None
    for number, line in enumerate(lines, start=1):
        opening = FENCE.match(line)
        if opening and fence is None:
            fence = opening[1]
        elif opening and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
            fence = None
        elif fence is None and LOOSE_EXERCISES.search(line):
            out += replace_exercises([""] * (number - 1) + [line])[number - 1 :]
            continue
        elif fence is None and LOOSE.search(line):
            try:
                line = _outside_inline_code(line, lambda part: PLACEHOLDER.sub(render_placeholder, part))
            except ProseValueError as error:
                raise ProseValueError(f"line {number}: {error}") from None
            if LOOSE.search("".join(part for part in re.split(r"(`+[^`]*`+)", line) if not part.startswith("`"))):
                raise ProseValueError(
                    f"line {number}: malformed placeholder: write {{{{ name }}}}, {{{{ year 2017 }}}} "
                    "or {{ section 3.2 }}"
                )
        out.append(line)
    return out


def check_page(path: Path) -> None:
    """Fill every placeholder of a Markdown file; errors start with ``path:line``."""
    try:
        replace_placeholders(path.read_text("utf8").split("\n"))
    except ProseValueError as error:
        line, _, rest = str(error).partition(": ")
        raise ProseValueError(f"{path}:{line.removeprefix('line ')}: {rest}") from None


class ProseValuesPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any(LOOSE.search(line) or LOOSE_EXERCISES.search(line) for line in lines):
            return lines
        reload_if_changed(conv_arithmetic, content)
        return replace_placeholders(lines)


class ProseValuesExtension(Extension):
    def extendMarkdown(self, md):
        # After pymdownx.snippets (32) has inlined includes, before the HTML block preprocessor (20).
        md.preprocessors.register(ProseValuesPreprocessor(md), "prose_values", 26)


def makeExtension(**kwargs):
    return ProseValuesExtension(**kwargs)


# ----------------------------------------------------------------------------------------------
# Check-yourself exercises: <!-- exercises: NAME --> on a line of its own

EXERCISES_MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*exercises:\s*(?P<name>[-\w]+)\s*-->[ \t]*$")
LOOSE_EXERCISES = re.compile(r"<!--\s*exercises\b")
QUESTIONS = {
    "output_shape": "predict the output shape.",
    "params": "how many parameters does the layer hold?",
    "macs": "how many multiply-accumulates (MACs) does it do per example?",
}


def _working_shape(example, shape) -> str:
    from doctools.content.tables import FAMILIES, FAMILY_OF, LENGTHS
    from doctools.extensions import conv_tables

    names = conv_tables.formula_names(example)
    key = conv_tables._length_key(FAMILY_OF[example.layer], names["padding"].lower(), names["output_padding"])
    formula, parts = LENGTHS[key], []
    spatial = shape[2:] if names["channels_first"] else shape[1:-1]
    paddings = names["output_padding"]
    paddings = (paddings,) * len(spatial) if isinstance(paddings, int | None) else paddings
    per_axis = (names["in_lengths"], names["kernel_size"], names["strides"], names["dilation_rate"], paddings, spatial)
    axes = zip(*per_axis, strict=True)
    for n, k, s, d, p, length in axes:
        values = {"n": n, "k": k, "s": s, "d": d, "p": p, "K": d * (k - 1) + 1}
        if conv_tables.axis_length(key, n, k, s, d, p) != length:
            raise ProseValueError(f"the length formula {formula} disagrees with {length} for {example.call}")
        text = f"`{conv_tables._filled(formula, values)}` = {length}"
        if text not in parts:
            parts.append(text)
    family = FAMILIES[FAMILY_OF[example.layer]]
    channels = conv_tables._evaluate(family.output_channels, names)
    if channels != (shape[1] if names["channels_first"] else shape[-1]):
        raise ProseValueError(f"the channel formula {family.output_channels} disagrees with {shape} for {example.call}")
    return (
        f"`{shape}`. Along each spatial axis, with `{formula}`: " + "; ".join(parts) + ". "
        f"The channels: `{family.output_channels}` = {channels}."
    )


def _working_params(example, info) -> str:
    from doctools.extensions import conv_tables

    terms = [
        f"`{name}` `{shape}`: {prod(shape):,}"
        for name, shape in zip(conv_tables.weight_names(example.layer), info["weight_shapes"], strict=False)
    ]
    if sum(prod(shape) for shape in info["weight_shapes"]) != info["params"]:
        raise ProseValueError(f"the weights of {example.call} do not add up to its parameter count")
    return f"{info['params']:,}. " + ", ".join(terms) + "."


def _working_macs(example, info) -> str:
    from doctools.extensions import conv_tables

    transposed = example.layer.endswith("Transpose")
    shape = example.input_shape if transposed else info["output_shape"]
    spatial = shape[1:-1]
    kernels = [
        prod(shape_)
        for name, shape_ in zip(conv_tables.weight_names(example.layer), info["weight_shapes"], strict=False)
        if name.endswith("kernel")
    ]
    if prod(spatial) * sum(kernels) != info["macs"]:
        raise ProseValueError(f"positions times kernel weights is not the MAC count of {example.call}")
    where = "input" if transposed else "output"
    times = " \N{MULTIPLICATION SIGN} "
    positions = times.join(map(str, spatial)) + f" = {prod(spatial):,}" if len(spatial) > 1 else f"{prod(spatial):,}"
    weights = " + ".join(f"{k:,}" for k in kernels)
    return (
        f"{info['macs']:,}. Every {where} position ({positions} of them) is charged "
        f"every kernel weight ({weights}{' = ' + format(sum(kernels), ',') if len(kernels) > 1 else ''})."
    )


def render_exercises(name: str, facts=facts_of) -> list[str]:
    """The Markdown of the exercises ``name``, with answers from ``facts(example)``."""
    from doctools.content.exercises import EXERCISES

    if name not in EXERCISES:
        raise ProseValueError(f"unknown exercises '{name}' (known: {', '.join(sorted(EXERCISES))})")
    lines = []
    for number, exercise in enumerate(EXERCISES[name], start=1):
        example, info = exercise.example, facts(exercise.example)
        if exercise.asks == "output_shape":
            answer = _working_shape(example, info["output_shape"])
        elif exercise.asks == "params":
            answer = _working_params(example, info)
        else:
            answer = _working_macs(example, info)
        question = f"**Exercise {number}.** `{example.call}` on inputs of shape `{example.input_shape}`: "
        lines += [question + QUESTIONS[exercise.asks], "", f'??? question "Answer {number}"', "", f"    {answer}", ""]
    return lines


def replace_exercises(lines: list[str]) -> list[str]:
    out = []
    for number, line in enumerate(lines, start=1):
        if LOOSE_EXERCISES.search(line):
            match = EXERCISES_MARKER.match(line)
            if match is None:
                raise ProseValueError(
                    f"line {number}: malformed marker: write <!-- exercises: NAME --> on a line of its own"
                )
            try:
                rendered = render_exercises(match["name"])
            except ProseValueError as error:
                raise ProseValueError(f"line {number}: {error}") from None
            out += [match["indent"] + row if row else "" for row in ["", *rendered]]
            continue
        out.append(line)
    return out
