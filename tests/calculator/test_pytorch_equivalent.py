"""The calculator's "PyTorch equivalent" line (docs/javascripts/pytorch-equivalent.mjs).

Torch-free: its padding and crop rules equal snippets/porting/convert.py's, which
tests/snippets/porting/ checks against Keras. Torch run: every printed line, for every calculator
vector Keras accepts, builds a PyTorch module with Keras's output shape and parameter count.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess

import pytest

from doctools.paths import ROOT
from snippets.porting.convert import same_padding, transpose_crop

MODULE = (ROOT / "docs" / "javascripts" / "pytorch-equivalent.mjs").as_uri()
VECTORS = ROOT / "tests" / "calculator" / "vectors.json"
SAME = list(itertools.product(range(1, 10), range(1, 6), range(1, 4), range(1, 3)))
TRANSPOSED = [
    (k, s, p, d, op)
    for k, s, p, d in itertools.product(range(1, 6), range(1, 4), ["valid", "same"], range(1, 3))
    for op in [None, *range(s)]
]


def node_json(script: str):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH (tests/calculator/test_node.py explains)")
    result = subprocess.run(
        [node, "--input-type=module"],
        input=f"import * as m from {json.dumps(MODULE)};\n{script}",
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_rules_equal_the_python_converter():
    got = node_json(
        f"console.log(JSON.stringify({{same: {json.dumps(SAME)}.map((a) => m.samePadding(...a)),"
        f" transposed: {json.dumps(TRANSPOSED)}.map((a) => m.transposeCrop(...a))}}))"
    )
    assert got["same"] == [list(same_padding(*a)) for a in SAME]
    assert got["transposed"] == [list(transpose_crop(*a)) for a in TRANSPOSED]


def equivalents():
    vectors = [v for v in json.loads(VECTORS.read_text())["vectors"] if (v.get("expected") or {}).get("output_shape")]
    lines = node_json(
        f"const vs = {json.dumps(vectors)};\n"
        "console.log(JSON.stringify(vs.map((v) => m.pytorchEquivalent(v.layer, v.config, v.input_shape))))"
    )
    return list(zip(vectors, lines, strict=True))


@pytest.mark.backends("torch")
# PyTorch's note that padding="same" with an even kernel pads a copy of the input: a cost, which the
# page's line accepts as Keras's "same" does; the shapes and counts are what this test checks.
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
def test_printed_lines_build_kerass_layer_in_pytorch():
    torch = pytest.importorskip("torch")
    checked = 0
    for vector, line in equivalents():
        if line["code"] is None:
            continue
        module = eval(line["code"], {"torch": torch})  # the line the page prints, as a reader pastes it
        shape = vector["input_shape"]
        first = str(vector["config"].get("data_format", "channels_last")).lower() == "channels_first"
        channels_first = shape if first else [shape[0], shape[-1], *shape[1:-1]]
        sizes = [n if n is not None else 9 for n in channels_first[2:]]
        if any(n is None for n in channels_first[2:]):
            continue  # Keras's output size is unknown there too
        with torch.no_grad():
            out = module(torch.zeros(1, channels_first[1], *sizes))
        if line["crop"]:
            out = out[
                (slice(None), slice(None), *[slice(a, out.shape[i + 2] - b) for i, (a, b) in enumerate(line["crop"])])
            ]
        expected = vector["expected"]["output_shape"]
        expected = expected[1:] if first else [expected[-1], *expected[1:-1]]
        assert list(out.shape[1:]) == expected, (vector["id"], line["code"])
        assert sum(p.numel() for p in module.parameters()) == vector["expected"]["params"], vector["id"]
        checked += 1
    assert checked > 1000
