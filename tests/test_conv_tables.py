"""The tables that hooks/conv_tables.py writes into the pages, checked against Keras itself.

The hook computes every value with snippets/conv_arithmetic.py and never imports Keras. Here each
table is rendered, and each of its rows is compared with what Keras builds for the same layer:
parameter count, weight names and shapes, output shape, and lengths. The formula tables are checked
by evaluating each formula for every example of its layers and comparing with Keras. Then the hook's
markers: an unknown or malformed one must stop the build with the page and line.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from math import prod
from pathlib import Path
from types import SimpleNamespace

import keras
import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
HOOK_PATH = ROOT / "hooks" / "conv_tables.py"


def _load_hook():
    spec = importlib.util.spec_from_file_location("conv_tables_under_test", HOOK_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOK = _load_hook()
ARITHMETIC = HOOK.load_arithmetic()


def keras_layer(example):
    layer = getattr(keras.layers, example.layer)(**example.config)
    layer.build(example.input_shape)
    return layer


def keras_facts(example) -> dict:
    layer = keras_layer(example)
    return {
        "params": layer.count_params(),
        "weights": [(w.path.rsplit("/", 1)[-1], tuple(w.shape)) for w in layer.weights],
        "output_shape": tuple(layer.compute_output_shape(example.input_shape)),
    }


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``markdown``, as lists of cells."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


def length_of(example) -> int:
    return tuple(keras_layer(example).compute_output_shape(example.input_shape))[1]


EXAMPLE_TABLES = {f"{key}-examples": examples for key, examples in HOOK.FAMILY_EXAMPLES.items()}
EXAMPLE_TABLES["layer-summary"] = HOOK.SUMMARY_EXAMPLES
FORMULA_TABLES = {f"{key}-formulas": key for key in HOOK.FAMILIES}
INVERSE_TABLES = {"transposed-inverse-valid": "valid", "transposed-inverse-same": "same"}


def test_every_table_is_checked_here():
    checked = {*EXAMPLE_TABLES, *FORMULA_TABLES, *INVERSE_TABLES, "length-formulas"}
    assert checked == set(HOOK.TABLES)


@pytest.mark.parametrize("name", sorted(EXAMPLE_TABLES))
def test_example_rows_match_keras(name):
    rows = table_rows(HOOK.render(name, ARITHMETIC))
    examples = EXAMPLE_TABLES[name]
    assert len(rows) == len(examples)
    for row, example in zip(rows, examples, strict=True):
        facts = keras_facts(example)
        weights = "<br>".join(f"`{weight}` `{shape}`" for weight, shape in facts["weights"])
        expected = [
            f"`{example.call}`",
            f"`{example.input_shape}`",
            weights,
            f"{facts['params']:,}",
            f"`{facts['output_shape']}`",
        ]
        assert row[:5] == expected, f"{name}: the row of {example.call} on {example.input_shape}"


@pytest.mark.parametrize("name", sorted(FORMULA_TABLES))
def test_formulas_match_keras_for_every_example(name):
    family_key = FORMULA_TABLES[name]
    family = HOOK.FAMILIES[family_key]
    table = HOOK.render(name, ARITHMETIC)
    for weight, shape in family.weights:
        assert f"`{shape}`" in table and f"`{weight}` shape" in table
    assert f"`{family.params}`" in table and f"`{family.macs}`" in table
    for example in HOOK.FAMILY_EXAMPLES[family_key]:
        facts = keras_facts(example)
        names = HOOK.formula_names(example)
        count = len(facts["weights"])  # the bias is left out with use_bias=False
        shapes = [HOOK._evaluate(shape, names) for _, shape in family.weights][:count]
        assert [shape for _, shape in facts["weights"]] == shapes, example.call
        assert [weight for weight, _ in facts["weights"]] == HOOK.weight_names(example.layer)[:count]
        assert HOOK._evaluate(family.params, names) == facts["params"] == sum(map(prod, shapes)), example.call
        channels = HOOK._evaluate(family.output_channels, names)
        lengths = names["out_lengths"]
        expected = (channels, *lengths) if names["channels_first"] else (*lengths, channels)
        assert facts["output_shape"] == (None, *expected), example.call


def test_length_formulas_match_keras():
    rows = table_rows(HOOK.render("length-formulas", ARITHMETIC))
    assert len(rows) == len(HOOK.LENGTH_ROWS)
    for row, (key, _, cases) in zip(rows, HOOK.LENGTH_ROWS, strict=True):
        assert row[2] == f"`{HOOK.LENGTHS[key]}`"
        cells = row[3].split("<br>")
        assert len(cells) == len(cases)
        for cell, case in zip(cells, cases, strict=True):
            example = HOOK._length_example(key, *case)
            length = length_of(example)
            assert HOOK.axis_length(key, *case) == length, f"{HOOK.LENGTHS[key]} for {example.call}"
            assert cell.startswith(f"`{example.call}`") and cell.endswith(f"= **{length}**"), cell


@pytest.mark.parametrize("name", sorted(INVERSE_TABLES))
def test_inverse_tables_match_keras(name):
    rows = table_rows(HOOK.render(name, ARITHMETIC))
    pairs = HOOK.inverse_examples(INVERSE_TABLES[name], ARITHMETIC)
    assert len(rows) == len(pairs)
    for row, (forward, backward) in zip(rows, pairs, strict=True):
        n, m = forward.input_shape[1], length_of(forward)
        back = [length_of(example._replace(input_shape=(None, m, 1))) for example in backward]
        assert row == [str(n), str(m), *(f"**{b}**" if b == n else str(b) for b in back)], row


# ----------------------------------------------------------------------------------------------
# Markers


def _page(markdown: str, front_matter: str = "") -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri="reference/x.md", content_string=front_matter + markdown))


def test_a_marker_becomes_its_table_also_when_indented():
    markdown = '# Title\n\n=== "Tab"\n\n    <!-- conv-table: depthwise-examples -->\n\nAfter.\n'
    html = HOOK.on_page_markdown(markdown, _page(markdown), config={}, files=None)
    table = HOOK.render("depthwise-examples", ARITHMETIC)
    assert "\n".join("    " + line for line in table.splitlines()) in html
    assert "conv-table" not in html and html.endswith("After.\n")


def test_a_marker_in_a_code_fence_is_left_alone():
    markdown = "Write:\n\n```markdown\n<!-- conv-table: nothing-like-this -->\n```\n"
    assert HOOK.replace_markers(markdown, "docs/x.md", ARITHMETIC) == markdown


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("<!-- conv-table: no-such-table -->", "unknown conv table 'no-such-table'"),
        ("<!-- conv-table no-such-table -->", "malformed conv-table marker"),
        ("Some text <!-- conv-table: conv-examples -->", "malformed conv-table marker"),
    ],
)
def test_a_bad_marker_stops_the_build_naming_page_and_line(line, problem):
    front_matter = "---\ntitle: X\n---\n"
    markdown = f"# Title\n\nText.\n\n{line}\n"
    with pytest.raises(PluginError) as error:
        HOOK.on_page_markdown(markdown, _page(markdown, front_matter), config={}, files=None)
    message = str(error.value)
    assert message.startswith(f"docs/reference/x.md:8: {problem}"), message
    assert "conv-examples" in message  # the known names are listed


def test_a_formula_that_disagrees_stops_the_build(monkeypatch):
    family = HOOK.FAMILIES["conv"]
    monkeypatch.setitem(HOOK.FAMILIES, "conv", family._replace(params=family.params + " + 1"))
    with pytest.raises(PluginError, match="does not add up its weight shapes"):
        HOOK.render("conv-formulas", ARITHMETIC)


def test_the_hook_imports_no_deep_learning_framework():
    script = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('conv_tables', {str(HOOK_PATH)!r})\n"
        "hook = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(hook)\n"
        "for name in hook.TABLES: hook.render(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'keras', 'tensorflow', 'jax', 'torch'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
