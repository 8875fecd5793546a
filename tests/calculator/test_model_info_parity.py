"""modelInfo (JavaScript) against model_info (Python), row by row, receptive fields and MACs included.

The node tests (tests/calculator/model-info.test.mjs) hold modelInfo's shapes and parameters to
Keras's; here every field of every row must equal the Python module's, on every keras.applications
model and on the models that tests/snippets/test_conv_arithmetic_models.py builds to reach every
other layer class. Skipped without ``node``, except on CI.
"""

import copy
import json
import os
import re
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
const attempt = (config) => {
  try {
    return modelInfo(config);
  } catch (error) {
    return { error: error.message };
  }
};
const results = Object.fromEntries(Object.entries(configs).map(([name, config]) => [name, attempt(config)]));
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
                "weightShapes": [list(shape) for shape in row["weight_shapes"]],
            }
            for row in info["layers"]
        ],
    }


def run_node(node, configs):
    result = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT % MODULE.as_uri()],
        input=json.dumps(configs),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_model_info_in_both_languages_agrees():
    node = node_or_skip()
    configs = {name: model["config"] for name, model in DATA["models"].items()}
    configs |= {name: build().get_config() for name, build in FRESH_MODELS.items()}
    answer = run_node(node, configs)
    assert answer["names"] == list(MODEL_LAYERS)
    for name, config in configs.items():
        python = as_js(model_info(json.loads(json.dumps(config))))
        javascript = answer["results"][name]
        for mine, theirs in zip(python["layers"], javascript["layers"], strict=True):
            assert mine == theirs, name
        assert python == javascript, name


def broken(path, key, value):
    """The every-other-class model's config with one layer's setting changed (``path``: indices into layers)."""
    config = copy.deepcopy(BROKEN_BASE)
    entry = config["layers"][path]
    if key == "class_name":
        entry["class_name"] = value
    else:
        entry["config"][key] = value
    return config


BROKEN_BASE = json.loads(json.dumps(FRESH_MODELS["every other class"]().get_config()))
LAYER_INDEX = {entry["class_name"]: i for i, entry in enumerate(BROKEN_BASE["layers"])}
BROKEN = {
    "unknown class": ("Conv1D", "class_name", "GRU"),
    "window too long": ("AveragePooling1D", "pool_size", [99]),
    "cropping everything": ("Cropping2D", "cropping", [[9, 9], [0, 0]]),
    "groups": ("GroupNormalization", "groups", 3),
    "permutation": ("Permute", "dims", [1, 1]),
    "dropout rate": ("SpatialDropout1D", "rate", 1.5),
    "leaky slope": ("LeakyReLU", "negative_slope", -1),
    "normalization mean": ("Normalization", "mean", [1, 2]),
    "adaptive size": ("AdaptiveMaxPooling1D", "output_size", 0),
    "unknown argument": ("Dense", "bias_size", 3),
    "missing argument": ("Rescaling", "scale", None),
}


def test_both_languages_refuse_the_same_configs_naming_the_same_layer():
    node = node_or_skip()
    configs = {name: broken(LAYER_INDEX[cls], key, value) for name, (cls, key, value) in BROKEN.items()}
    configs["missing argument"]["layers"][LAYER_INDEX["Rescaling"]]["config"].pop("scale")
    configs["not a model"] = {"name": "x", "filters": 3}
    answer = run_node(node, configs)["results"]
    for name, config in configs.items():
        with pytest.raises(ValueError) as raised:
            model_info(config)
        python, javascript = str(raised.value), answer[name].get("error", "")
        if name == "not a model":
            assert python.startswith("model_config: ") and javascript.startswith("model_config: ")
        else:
            assert re.match(r"layer '([^']+)'", python)[1] == re.match(r'layer "([^"]+)"', javascript)[1], name
