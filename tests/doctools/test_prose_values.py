"""The values that doctools/extensions/prose_values.py writes into sentences, checked against Keras.

The extension computes each value from snippets/conv_arithmetic.py and never imports Keras. Here
every example layer a value is computed from is built in Keras, the value is computed again from
Keras's answers (parameter count, weight shapes, output shape, and MACs by their definition from
Keras's shapes), and the two texts must be equal. Then the placeholders: each on every page must
render, and an unknown or malformed one must stop the build at its line.
"""

from __future__ import annotations

import re
import subprocess
import sys

import keras
import markdown
import pytest

from doctools.content import prose_values as content
from doctools.content.exercises import EXERCISES
from doctools.extensions import prose_values
from doctools.macs import macs_by_definition
from doctools.paths import DOCS
from snippets import conv_arithmetic

PAGES = sorted(DOCS.rglob("*.md"))


_FACTS: dict[str, dict] = {}


def keras_facts(example) -> dict:
    if repr(example) not in _FACTS:
        _FACTS[repr(example)] = _keras_facts(example)
    return _FACTS[repr(example)]


def _keras_facts(example) -> dict:
    layer = getattr(keras.layers, example.layer)(**example.config)
    layer.build(example.input_shape)
    output_shape = tuple(layer.compute_output_shape(example.input_shape))
    channels_first = example.config.get("data_format") == "channels_first"
    return {
        "params": layer.count_params(),
        "weight_shapes": [tuple(w.shape) for w in layer.weights],
        "output_shape": output_shape,
        "macs": macs_by_definition(layer, example.input_shape, output_shape, channels_first),
    }


@pytest.mark.parametrize("name", sorted(content.VALUES))
def test_every_value_matches_keras(name):
    assert prose_values.value_text(name, facts=keras_facts) == prose_values.value_text(name)


def test_a_formula_module_that_disagrees_with_keras_is_caught(monkeypatch):
    """If conv_arithmetic miscounted, the comparison above would see it."""
    right = conv_arithmetic.layer_info

    def wrong(*args, **kwargs):
        info = right(*args, **kwargs)
        return {**info, "params": info["params"] + 1}

    monkeypatch.setattr(conv_arithmetic, "layer_info", wrong)
    name = "standard.conv1d-params"
    assert prose_values.value_text(name, facts=keras_facts) != prose_values.value_text(name)


def test_every_value_is_used_on_some_page():
    used = {m["name"] for page in PAGES for m in prose_values.PLACEHOLDER.finditer(page.read_text("utf8"))}
    assert set(content.VALUES) <= used, sorted(set(content.VALUES) - used)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_placeholder_of_every_page_renders(page):
    prose_values.check_page(page)


def convert(text: str, extra: list[str] | None = None) -> str:
    extensions = ["doctools.extensions.prose_values", "pymdownx.superfences", *(extra or [])]
    return markdown.markdown(text, extensions=extensions)


def test_the_extension_writes_values_and_marks_into_html():
    html = convert("It has {{ standard.conv1d-params }} parameters ({{ year 2017 }}, {{ section 3.2 }}).\n")
    assert f"It has {prose_values.value_text('standard.conv1d-params')} parameters (2017, 3.2)." in html


def test_a_shape_value_is_inline_code():
    assert "<code>(None, 98, 32)</code>" in convert("Out: {{ standard.conv1d-shape }}.\n")


def test_placeholders_in_code_are_left_alone():
    lines = ["Write:", "", "```text", "{{ no-such-value }}", "```", "", "Or `{{ no-such-value }}` inline."]
    assert prose_values.replace_placeholders(lines) == lines


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{ no-such-value }}", "unknown prose value 'no-such-value'"),
        ("{{ year 17 }}", "write {{ year NUMBER }}"),
        ("{{ keras }}", "write {{ keras NUMBER }}"),
        ("{{ standard.conv1d-params 3 }}", "a prose value takes no argument"),
        ("{{ standard.conv1d-params", "malformed placeholder"),
    ],
)
def test_a_bad_placeholder_stops_the_build_naming_file_and_line(tmp_path, text, problem):
    page = tmp_path / "x.md"
    page.write_text(f"---\ntitle: X\n---\n# Title\n\nText {text} here.\n", "utf8")
    with pytest.raises(prose_values.ProseValueError) as error:
        prose_values.check_page(page)
    assert str(error.value).startswith(f"{page}:6: {problem}"), str(error.value)
    with pytest.raises(prose_values.ProseValueError, match=f"line 3: {re.escape(problem)}"):
        convert(f"# Title\n\nText {text} here.\n")


def test_the_extension_imports_no_deep_learning_framework():
    script = (
        "import sys\n"
        "from doctools.extensions import prose_values\n"
        "from doctools.content.prose_values import VALUES\n"
        "for name in VALUES: prose_values.value_text(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'keras', 'tensorflow', 'jax', 'torch'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ----------------------------------------------------------------------------------------------
# Check-yourself exercises


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_exercise_answer_matches_keras(name):
    assert prose_values.render_exercises(name, facts=keras_facts) == prose_values.render_exercises(name)


def test_every_reference_page_ends_with_its_exercises():
    used = set()
    for page in sorted((DOCS / "reference").glob("*.md")):
        lines = page.read_text("utf8").rstrip("\n").split("\n")
        match = prose_values.EXERCISES_MARKER.match(lines[-1])
        assert match, f"{page}: the last line should be <!-- exercises: NAME -->"
        assert lines[lines.index("## Check yourself")] and 2 <= len(EXERCISES[match["name"]]) <= 3, page
        used.add(match["name"])
    assert used == set(EXERCISES)


def test_exercises_render_as_collapsed_answers():
    html = convert("# T\n\n<!-- exercises: standard -->\n\nAfter.\n", extra=["pymdownx.details"])
    assert html.count('<details class="question">') == len(EXERCISES["standard"])
    assert "<summary>Answer 1</summary>" in html and "<code>(None, 14, 14, 16)</code>" in html


def test_a_wrong_answer_in_the_working_stops_the_build(monkeypatch):
    from doctools.content import tables

    monkeypatch.setitem(tables.LENGTHS, ("window", "valid"), "(n - K) // s + 2")
    with pytest.raises(prose_values.ProseValueError, match=r"the length formula .* disagrees"):
        prose_values.render_exercises("standard")


def test_an_unknown_or_malformed_exercises_marker_stops_the_build():
    with pytest.raises(prose_values.ProseValueError, match="line 3: unknown exercises 'nothing'"):
        prose_values.replace_placeholders(["# T", "", "<!-- exercises: nothing -->"])
    with pytest.raises(prose_values.ProseValueError, match="line 1: malformed marker"):
        prose_values.replace_placeholders(["Text <!-- exercises: standard -->"])
