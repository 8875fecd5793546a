"""Keras's answers for every keras.applications model: the data that model_info is checked against.

    python scripts/dev.py model-vectors

builds each model of ``keras.applications`` with ``weights=None`` (no download; default input size, 1000
classes) and writes, per model, its ``model.get_config()`` and, for every layer in the config's order, the
layer's name, class, output shape and ``count_params()``, and the model's ``count_params()``, to
``tests/calculator/model_vectors.json.gz`` (gzip, written byte for byte the same on every run). Both
``tests/snippets/test_conv_arithmetic_models.py`` (Python) and ``tests/calculator/model-info.test.mjs``
(JavaScript) read it, so the suite does not build 40 models on every run.
"""

from __future__ import annotations

import gc
import gzip
import json
import sys
from pathlib import Path

import keras

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "calculator" / "model_vectors.json.gz"

MODELS = sorted(name for name in dir(keras.applications) if name[0].isupper())


def shape_of(tensor_or_tensors):
    """An output shape as JSON: a list, or a list of lists for a layer with several outputs."""
    if isinstance(tensor_or_tensors, (list, tuple)):
        return [list(t.shape) for t in tensor_or_tensors]
    return list(tensor_or_tensors.shape)


def vectors(name: str) -> dict:
    keras.backend.clear_session()  # fresh automatic names (input_layer, add, ...) for every model
    model = getattr(keras.applications, name)(weights=None)
    config = json.loads(json.dumps(model.get_config()))  # plain JSON data, as a reader would paste it
    # model.operations holds the layers and the Keras ops recorded in the graph (ConvNeXt's ``x + y``).
    by_name = {operation.name: operation for operation in model.operations}
    layers = []
    for entry in config["layers"]:
        operation = by_name[entry["name"]]
        params = operation.count_params() if isinstance(operation, keras.Layer) else 0
        layers.append([entry["name"], entry["class_name"], shape_of(operation.output), params])
    return {"config": config, "layers": layers, "count_params": model.count_params()}


def main(names: list[str]) -> None:
    data = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
    for name in names or MODELS:
        print(f"building {name}", flush=True)
        data["models"][name] = vectors(name)
        gc.collect()
    text = json.dumps(data, separators=(",", ":")).encode()
    OUTPUT.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(data['models'])} models, {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
