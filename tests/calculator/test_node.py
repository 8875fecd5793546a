"""The calculator's JavaScript (docs/javascripts/conv-calculator.mjs), tested from pytest.

Its own tests run under Node's test runner (``node --test tests/calculator/``) against the vectors
that Keras computed (scripts/make_calculator_vectors.py). Without ``node`` these tests skip, except
on CI (the ``CI`` environment variable set), where they fail.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess

import pytest

from doctools.literals import py
from doctools.paths import ROOT
from snippets.conv_arithmetic import CONVOLUTIONS, value_arguments

MODULE = ROOT / "docs" / "javascripts" / "conv-calculator.mjs"
VECTORS = ROOT / "tests" / "calculator" / "vectors.json"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        reason = "node (Node.js 20+) is not on PATH; it runs the calculator's tests: node --test tests/calculator/"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
        pytest.skip(reason)
    return found


def test_node_test_runner_passes(node):
    result = subprocess.run(
        [node, "--test", "tests/calculator/"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        pytest.fail(f"node --test tests/calculator/ failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


# Print kerasCode() of the named vectors and of every 50th valid one, as a JSON list.
SAMPLE_SCRIPT = """
import { readFileSync } from "node:fs";
import { kerasCode } from "%s";
const valid = JSON.parse(readFileSync(%s, "utf8")).vectors.filter((v) => v.expected);
const sample = valid.filter((v, i) => v.id || i %% 50 === 0);
console.log(JSON.stringify(sample.map((v) => kerasCode(v.layer, v.config, v.input_shape))));
"""


def test_keras_code_runs_and_prints_what_its_comments_say(node):
    script = SAMPLE_SCRIPT % (MODULE.as_uri(), json.dumps(str(VECTORS)))
    result = subprocess.run(
        [node, "--input-type=module", "-e", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    codes = json.loads(result.stdout)
    assert len(codes) > 30
    for code in codes:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(code, {})
        assert printed.getvalue().splitlines() == re.findall(r"^print\(.*\)  # (.*)$", code, re.M), code


# The rules written in both languages, run on the same inputs.
TWINS_SCRIPT = """
import { LAYERS, py, valueArgumentsFor } from "%s";
const values = %s;
console.log(JSON.stringify({
  py: values.map(py),
  valueArguments: Object.fromEntries(Object.keys(LAYERS).map((layer) => [layer, valueArgumentsFor(layer)])),
}));
"""
PY_VALUES = [None, True, False, 0, 32, "same", "channels_first", [3], [3, 5], [1, 2, 3], []]


def test_the_rules_written_in_both_languages_agree(node):
    """py() and the value-only arguments exist in Python and JavaScript; both give the same answers."""
    script = TWINS_SCRIPT % (MODULE.as_uri(), json.dumps(PY_VALUES))
    result = subprocess.run(
        [node, "--input-type=module", "-e", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers["py"] == [py(value) for value in PY_VALUES]
    assert answers["valueArguments"] == {layer: list(value_arguments(layer)) for layer in CONVOLUTIONS}
