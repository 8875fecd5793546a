"""The model mode's Keras code box (docs/javascripts/model-state.mjs), run with Keras.

For several stacks, Node gives what the page shows: the code (kerasCodeFromStack) and the table
(modelInfo on the stack's config, through evaluateStack). The code is executed; the model it
builds must have the table's layer names, classes, output shapes and parameter counts, row by
row, and the table's total must be model.count_params(). Skipped without ``node``, except on CI.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess

import keras
import pytest

from doctools.paths import ROOT
from tests.calculator.test_model_info_parity import node_or_skip

MODULE = ROOT / "docs" / "javascripts" / "model-state.mjs"

SCRIPT = """
import { readFileSync } from "node:fs";
import { evaluateStack, kerasCodeFromStack } from "%s";
const stacks = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(stacks.map((stack) => {
  const { info, error } = evaluateStack(stack);
  return { code: kerasCodeFromStack(stack), info: info ?? null, error: error ?? null };
})));
"""


def layer(class_name: str, **args: str) -> dict:
    return {"className": class_name, "args": args}


STACKS = [
    {  # the page's starting stack
        "input": "28, 28, 1",
        "layers": [
            layer("Conv2D", filters="16", kernel_size="3"),
            layer("MaxPooling2D"),
            layer("Conv2D", filters="32", kernel_size="3"),
            layer("GlobalAveragePooling2D"),
            layer("Dense", units="10"),
        ],
    },
    {
        "input": "None, 8",
        "layers": [
            layer("Conv1D", filters="6", kernel_size="(5,)", padding="same", activation="relu"),
            layer("SeparableConv1D", filters="4", kernel_size="3", depth_multiplier="2", dilation_rate="2"),
            layer("DepthwiseConv1D", kernel_size="3", strides="2", use_bias="False"),
            layer("ZeroPadding1D", padding="(1, 2)"),
            layer("Cropping1D", cropping="(2, 1)"),
            layer("UpSampling1D", size="3"),
            layer("Conv1DTranspose", filters="3", kernel_size="4", strides="2", padding="same"),
            layer("AveragePooling1D", pool_size="2", padding="same"),
            layer("GlobalMaxPooling1D", keepdims="True"),
        ],
    },
    {
        "input": "20, 18, 3",
        "layers": [
            layer("ZeroPadding2D", padding="((1, 0), (2, 1))"),
            layer("Conv2D", filters="12", kernel_size="(3, 5)", strides="(2, 1)", groups="3"),
            layer("BatchNormalization"),
            layer("ReLU", max_value="6"),
            layer("DepthwiseConv2D", kernel_size="3", depth_multiplier="2", padding="same"),
            layer("SeparableConv2D", filters="8", kernel_size="3"),
            layer("Conv2DTranspose", filters="4", kernel_size="3", strides="2", output_padding="1"),
            layer("Cropping2D", cropping="((1, 2), (0, 3))"),
            layer("UpSampling2D", size="(1, 2)"),
            layer("MaxPooling2D", pool_size="3", strides="2"),
            layer("Dropout", rate="0.25"),
            layer("Flatten"),
            layer("Dense", units="5", use_bias="False", activation="softmax"),
        ],
    },
    {
        "input": "6, 8, 8, 2",
        "layers": [
            layer("Conv3D", filters="4", kernel_size="3", padding="same"),
            layer("Conv3DTranspose", filters="2", kernel_size="(2, 3, 3)", strides="2"),
            layer("ZeroPadding3D", padding="1"),
            layer("Cropping3D", cropping="2"),
            layer("UpSampling3D", size="(1, 2, 1)"),
            layer("AveragePooling3D", pool_size="2"),
            layer("MaxPooling3D", pool_size="(1, 2, 2)"),
            layer("GlobalAveragePooling3D"),
            layer("Activation", activation="tanh"),
            layer("Dense", units="3"),
        ],
    },
]


@pytest.fixture(scope="module")
def shown() -> list[dict]:
    node = node_or_skip()
    script = SCRIPT % MODULE.as_uri()
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(STACKS),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("index", range(len(STACKS)))
def test_the_code_builds_the_model_the_table_describes(shown, index):
    page = shown[index]
    assert page["error"] is None, page["error"]
    keras.backend.clear_session(free_memory=False)  # Keras's automatic names start afresh, as in a new session
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(page["code"], namespace)
    model = namespace["model"]
    rows = page["info"]["layers"]
    assert rows[0]["className"] == "InputLayer"
    assert rows[0]["outputShape"] == list(model.inputs[0].shape)
    kept = [[row["name"], row["className"], row["outputShape"], row["params"]] for row in rows[1:]]
    built = [[lay.name, type(lay).__name__, list(lay.output.shape), lay.count_params()] for lay in model.layers]
    assert kept == built
    assert page["info"]["params"] == model.count_params()
    lines = printed.getvalue().splitlines()
    assert lines[-1] == str(model.count_params())
    assert len(lines) == len(model.layers) + 1


def test_every_builder_class_is_in_a_stack():
    node = node_or_skip()
    script = f'import {{ MODEL_CLASSES }} from "{MODULE.as_uri()}"; console.log(JSON.stringify(MODEL_CLASSES));'
    result = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    used = {entry["className"] for stack in STACKS for entry in stack["layers"]}
    missing = set(json.loads(result.stdout)) - used
    # The 1-D/2-D/3-D twins of a class share its code path; each class name is covered in some rank.
    assert {name.rstrip("123D") for name in missing} <= {name.rstrip("123D") for name in used}
