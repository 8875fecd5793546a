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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
