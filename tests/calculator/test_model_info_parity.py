"""modelInfo (JavaScript) against model_info (Python), row by row, receptive fields and MACs included.

The node tests (tests/calculator/model-info.test.mjs) hold modelInfo's shapes and parameters to
Keras's; here every field of every row must equal the Python module's, on every keras.applications
model and on the models that tests/snippets/test_conv_arithmetic_models.py builds to reach every
other layer class. Skipped without ``node``, except on CI.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from snippets.conv_arithmetic import MODEL_LAYERS, model_info
from tests.snippets.test_conv_arithmetic_models import DATA, FRESH_MODELS

ROOT = Path(__file__).resolve().parent.parent.parent
MODULE = ROOT / "docs" / "javascripts" / "conv-calculator.mjs"

SCRIPT = """
import { readFileSync } from "node:fs";
import { modelInfo, MODEL_LAYER_NAMES } from "%s";
const configs = JSON.parse(readFileSync(0, "utf8"));
const results = Object.fromEntries(Object.entries(configs).map(([name, config]) => [name, modelInfo(config)]));
console.log(JSON.stringify({ results, names: MODEL_LAYER_NAMES }));
"""


def node_or_skip():
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail("node (Node.js 20+) is not on PATH (CI is set, so this is an error, not a skip)", pytrace=False)
        pytest.skip("node (Node.js 20+) is not on PATH")
    return found


def as_js(info):
    """model_info's answer in modelInfo's form: camelCase keys, lists for tuples."""

    def shape(value):
        return [shape(v) for v in value] if isinstance(value, list) else list(value)

    return {
        "params": info["params"],
        "macs": info["macs"],
        "layers": [
            {
                "name": row["name"],
                "className": row["class_name"],
                "params": row["params"],
                "macs": row["macs"],
                "outputShape": shape(row["output_shape"]),
                "receptiveField": row["receptive_field"],
            }
            for row in info["layers"]
        ],
    }


def test_model_info_in_both_languages_agrees():
    node = node_or_skip()
    configs = {name: model["config"] for name, model in DATA["models"].items()}
    configs |= {name: build().get_config() for name, build in FRESH_MODELS.items()}
    result = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT % MODULE.as_uri()],
        input=json.dumps(configs),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["names"] == list(MODEL_LAYERS)
    for name, config in configs.items():
        python = as_js(model_info(json.loads(json.dumps(config))))
        javascript = answer["results"][name]
        for mine, theirs in zip(python["layers"], javascript["layers"], strict=True):
            assert mine == theirs, name
        assert python == javascript, name
