"""The tables and formulas that doctools/extensions/conv_tables.py writes into the pages, checked against Keras.

The extension computes every value with snippets/conv_arithmetic.py and never imports Keras. Here
each table is rendered, and each of its rows is compared with what Keras builds for the same layer:
parameter count, weight names and shapes, output shape, and lengths. The formula tables, and the
LaTeX parameter formulas, are checked by evaluating each formula for every example of its layers and
comparing with Keras. Then the markers: an unknown or malformed one must stop the build at its line.
"""

from __future__ import annotations

import subprocess
import sys
from math import prod

import keras
import markdown
import pytest

from doctools.extensions import conv_tables as tables
from doctools.paths import DOCS


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


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text``, as lists of cells."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


def length_of(example) -> int:
    return tuple(keras_layer(example).compute_output_shape(example.input_shape))[1]


EXAMPLE_TABLES = {f"{key}-examples": examples for key, examples in tables.FAMILY_EXAMPLES.items()}
EXAMPLE_TABLES["layer-summary"] = tables.SUMMARY_EXAMPLES
FORMULA_TABLES = {f"{key}-formulas": key for key in tables.FAMILIES}
INVERSE_TABLES = {"transposed-inverse-valid": "valid"}


def test_every_table_is_checked_here():
    checked = {*EXAMPLE_TABLES, *FORMULA_TABLES, *INVERSE_TABLES, "length-formulas"}
    assert checked == set(tables.TABLES)


@pytest.mark.parametrize("name", sorted(EXAMPLE_TABLES))
def test_example_rows_match_keras(name):
    rows = table_rows(tables.render(name))
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
    family = tables.FAMILIES[family_key]
    table = tables.render(name)
    for weight, shape in family.weights:
        assert f"`{shape}`" in table and f"`{weight}` shape" in table
    assert f"`{family.params}`" in table and f"`{family.macs}`" in table
    for example in tables.FAMILY_EXAMPLES[family_key]:
        facts = keras_facts(example)
        names = tables.formula_names(example)
        count = len(facts["weights"])  # the bias is left out with use_bias=False
        shapes = [tables._evaluate(shape, names) for _, shape in family.weights][:count]
        assert [shape for _, shape in facts["weights"]] == shapes, example.call
        assert [weight for weight, _ in facts["weights"]] == tables.weight_names(example.layer)[:count]
        assert tables._evaluate(family.params, names) == facts["params"] == sum(map(prod, shapes)), example.call
        channels = tables._evaluate(family.output_channels, names)
        lengths = names["out_lengths"]
        expected = (channels, *lengths) if names["channels_first"] else (*lengths, channels)
        assert facts["output_shape"] == (None, *expected), example.call


def test_length_formulas_match_keras():
    rows = table_rows(tables.render("length-formulas"))
    assert len(rows) == len(tables.LENGTH_ROWS)
    for row, (key, _, cases) in zip(rows, tables.LENGTH_ROWS, strict=True):
        assert row[2] == f"`{tables.LENGTHS[key]}`"
        cells = row[3].split("<br>")
        assert len(cells) == len(cases)
        for cell, case in zip(cells, cases, strict=True):
            example = tables._length_example(key, *case)
            length = length_of(example)
            assert tables.axis_length(key, *case) == length, f"{tables.LENGTHS[key]} for {example.call}"
            assert cell.startswith(f"`{example.call}`") and cell.endswith(f"= **{length}**"), cell


@pytest.mark.parametrize("name", sorted(INVERSE_TABLES))
def test_inverse_tables_match_keras(name):
    rows = table_rows(tables.render(name))
    pairs = tables.inverse_examples(INVERSE_TABLES[name])
    assert len(rows) == len(pairs)
    for row, (forward, backward) in zip(rows, pairs, strict=True):
        n, m = forward.input_shape[1], length_of(forward)
        back = [length_of(example._replace(input_shape=(None, m, 1))) for example in backward]
        assert row == [str(n), str(m), *(f"**{b}**" if b == n else str(b) for b in back)], row


@pytest.mark.parametrize("family_key", sorted(tables.FAMILIES))
def test_latex_parameter_formulas_match_keras(family_key):
    family = tables.FAMILIES[family_key]
    assert tables.render(f"{family_key}-params", "formula") == f"$$\n{family.latex_params}\n$$"
    expression = tables.latex_to_python(family.latex_params)
    checked = 0
    for example in tables.FAMILY_EXAMPLES[family_key]:
        if example.config.get("use_bias", True):
            names = tables.formula_names(example)
            assert tables._evaluate(expression, names) == keras_facts(example)["params"], example.call
            checked += 1
    assert checked


def test_the_dilated_span_formula_matches_keras():
    expression = tables.latex_to_python(tables.LATEX_SPAN)
    cases = [case for key, _, cases in tables.LENGTH_ROWS if key == ("window", "valid") for case in cases]
    for n, k, s, d, p in cases:
        if s == 1:
            example = tables._length_example(("window", "valid"), n, k, s, d, p)
            assert n - tables._evaluate(expression, {"k": k, "d": d}) + 1 == length_of(example), example.call


def test_a_wrong_latex_formula_stops_the_build(monkeypatch):
    family = tables.FAMILIES["separable"]
    wrong = family.latex_params.replace(r"\cdot F + F", r"\cdot F")
    monkeypatch.setitem(tables.FAMILIES, "separable", family._replace(latex_params=wrong))
    with pytest.raises(tables.GeneratedContentError, match="the LaTeX formula of separable gives"):
        tables.render("separable-params", "formula")


def test_unreadable_latex_is_an_error_not_a_guess():
    with pytest.raises(tables.GeneratedContentError, match="cannot read the LaTeX formula"):
        tables.latex_to_python(r"\text{params} = \sqrt{F}")


# ----------------------------------------------------------------------------------------------
# Markers


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["doctools.extensions.conv_tables", "tables", "pymdownx.superfences"])


def test_a_marker_becomes_its_table_also_when_indented():
    lines = ["# Title", "", '=== "Tab"', "", "    <!-- conv-table: depthwise-examples -->", "", "After."]
    table = tables.render("depthwise-examples")
    replaced = "\n".join(tables.replace_markers(lines))
    assert "\n".join("    " + line for line in table.splitlines()) in replaced
    assert "conv-table" not in replaced and replaced.endswith("After.")


def test_the_extension_renders_markers_into_html():
    html = convert("Before.\n\n<!-- conv-table: conv-formulas -->\n\nAfter.\n")
    assert "<table>" in html and "conv-table" not in html
    assert "prod(kernel_size) * (c_in // groups) * filters + filters * use_bias" in html


def test_a_marker_in_a_code_fence_is_left_alone():
    lines = ["Write:", "", "```markdown", "<!-- conv-table: nothing-like-this -->", "```"]
    assert tables.replace_markers(lines) == lines


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("<!-- conv-table: no-such-table -->", "unknown conv-table 'no-such-table'"),
        ("<!-- conv-formula: conv-examples -->", "unknown conv-formula 'conv-examples'"),
        ("<!-- conv-table no-such-table -->", "malformed marker"),
        ("Some text <!-- conv-table: conv-examples -->", "malformed marker"),
    ],
)
def test_a_bad_marker_stops_the_build_naming_file_and_line(tmp_path, line, problem):
    page = tmp_path / "x.md"
    page.write_text(f"---\ntitle: X\n---\n# Title\n\nText.\n\n{line}\n", "utf8")
    with pytest.raises(tables.GeneratedContentError) as error:
        tables.check_page(page)
    message = str(error.value)
    assert message.startswith(f"{page}:8: {problem}"), message
    assert "conv-table: conv-examples" in message  # the known names are listed
    with pytest.raises(tables.GeneratedContentError, match=f"line 5: {problem}"):
        convert(f"# Title\n\nText.\n\n{line}\n")


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_marker_of_every_page_renders(page):
    tables.check_page(page)


def test_a_formula_that_disagrees_stops_the_build(monkeypatch):
    family = tables.FAMILIES["conv"]
    monkeypatch.setitem(tables.FAMILIES, "conv", family._replace(params=family.params + " + 1"))
    with pytest.raises(tables.GeneratedContentError, match="does not add up its weight shapes"):
        tables.render("conv-formulas")


def test_the_extension_imports_no_deep_learning_framework():
    script = (
        "import sys\n"
        "from doctools.extensions import conv_tables\n"
        "for kind, names in conv_tables.GENERATED.items():\n"
        "    for name in names: conv_tables.render(name, kind)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'keras', 'tensorflow', 'jax', 'torch'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
