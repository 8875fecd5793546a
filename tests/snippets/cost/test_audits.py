"""The whole-model audits of docs/cost/architectures.md, checked against Keras.

snippets/cost/audits.py builds the keras.applications models once per test session (the page
includes it, so the engine runs it once); these tests read the models and the per-layer tables,
which conv_arithmetic computed without Keras, from the snippet's namespace.
"""

from __future__ import annotations

import json
from math import prod

import pytest

from doctools.macs import macs_by_definition
from snippets.conv_arithmetic import SUPPORTED_LAYERS
from tests.snippets.runs import snippet_group

MODELS = ("MobileNet", "MobileNetV2", "Xception", "ResNet50", "VGG16")

pytestmark = snippet_group(__file__)


@pytest.fixture(scope="module")
def audits(ns) -> dict:
    return ns


@pytest.mark.parametrize("name", MODELS)
def test_every_layer_has_a_row_that_matches_keras(audits, name):
    model, rows = audits["models"][name], audits["tables"][name]
    assert [row["name"] for row in rows] == [layer.name for layer in model.layers]  # no layer skipped
    for row, layer in zip(rows, model.layers, strict=True):
        assert row["class_name"] == type(layer).__name__ and row["class_name"] in SUPPORTED_LAYERS
        assert row["params"] == layer.count_params(), layer.name
        assert row["weight_shapes"] == [tuple(w.shape) for w in layer.weights], layer.name
        assert row["output_shape"] == tuple(layer.output.shape), layer.name
        assert isinstance(row["macs"], int) and row["macs"] >= 0
    assert sum(row["params"] for row in rows) == model.count_params()


@pytest.mark.parametrize("name", MODELS)
def test_the_models_are_keras_defaults(audits, name):
    model = audits["models"][name]
    size = 299 if name == "Xception" else 224
    assert tuple(model.input.shape) == (None, size, size, 3)
    assert tuple(model.output.shape) == (None, 1000)


@pytest.mark.parametrize("name", MODELS)
def test_the_config_is_plain_data(audits, name):
    """The architecture survives a JSON round trip (model.to_json() too), and gives the same table."""
    config = json.loads(json.dumps(audits["configs"][name]))
    assert audits["audit"](config) == audits["tables"][name]
    assert audits["audit"](json.loads(audits["models"][name].to_json())) == audits["tables"][name]


def keras_input_shape(layer):
    inputs = layer.input if isinstance(layer.input, list) else [layer.input]
    return tuple(inputs[0].shape)


@pytest.mark.parametrize("name", MODELS)
def test_macs_are_the_definition_applied_to_kerass_shapes(audits, name):
    """Each row's MACs, and the total, equal the MAC definition applied to the layers Keras built."""
    model, rows = audits["models"][name], audits["tables"][name]
    by_definition = [
        0
        if type(layer).__name__ == "InputLayer"
        else macs_by_definition(layer, keras_input_shape(layer), tuple(layer.output.shape))
        for layer in model.layers
    ]
    assert [row["macs"] for row in rows] == by_definition
    assert sum(row["macs"] for row in rows) == sum(by_definition) > 0


@pytest.mark.parametrize("name", MODELS)
def test_non_trainable_parameters_are_the_batch_norm_moving_statistics(audits, name):
    model = audits["models"][name]
    moving = sum(prod(w.shape) for w in model.weights if w.name in ("moving_mean", "moving_variance"))
    assert sum(prod(w.shape) for w in model.non_trainable_weights) == moving
    assert sum(prod(w.shape) for w in model.trainable_weights) + moving == model.count_params()


def test_the_page_claims_about_published_figures(audits):
    """What docs/cost/architectures.md says in words about the published figures."""
    counts, to_step = audits["all_counts"], audits["to_step"]
    up, down = audits["ROUND_HALF_EVEN"], audits["ROUND_DOWN"]
    mobilenet = counts["MobileNet"]
    assert to_step(mobilenet["params, trainable"], "M", "0.1", up) == "4.2"
    assert to_step(mobilenet["params, all (count_params)"], "M", "0.1", up) == "4.3"  # BN statistics tip it over
    assert to_step(mobilenet["MACs, all layers"], "M", "1", up) == "569"
    assert to_step(mobilenet["MACs, without the classifier"], "M", "1", up) != "569"
    v2 = counts["MobileNetV2"]
    assert all(to_step(v2[label], "M", "0.1", up) == "3.5" for label in v2 if label.startswith("params"))
    assert to_step(v2["params, kernels only"], "M", "0.1", down) == "3.4"
    assert to_step(v2["MACs, all layers"], "M", "1", down) == "300" != to_step(v2["MACs, all layers"], "M", "1", up)
    xception = audits["models"]["Xception"]
    assert counts["Xception"]["params, trainable"] == sum(prod(w.shape) for w in xception.trainable_weights)
    resnet = {name: counts[name]["MACs, all layers"] for name in ("ResNet50", "ResNet101", "ResNet152")}
    assert [to_step(resnet[name], "G", "0.1", up) for name in resnet] == ["3.9", "7.6", "11.3"]
    assert [to_step(resnet[name], "G", "0.1", down) for name in resnet] == ["3.8", "7.5", "11.2"]
    assert audits["v15_macs"] > resnet["ResNet50"]  # the stride in the 3x3 convolutions costs more
    vgg = counts["VGG16"]
    assert to_step(vgg["MACs, convolutions only"], "M", "100", up) == "15,300"
    assert to_step(vgg["MACs, all layers"], "M", "100", up) != "15,300"


def test_weight_bytes_are_what_keras_allocates(audits):
    model = audits["models"]["MobileNet"]
    allocated = sum(w.numpy().nbytes for w in model.weights)
    assert allocated == 4 * sum(row["params"] for row in audits["tables"]["MobileNet"])


# ----------------------------------------------------------------------------------------------
# The quoted figures of docs/cost/architectures.md (marked quotations), against the audits


AUDITED_QUOTATIONS = ("mobilenet-table2", "published-totals")


@pytest.mark.parametrize("quotation_id", AUDITED_QUOTATIONS)
def test_quoted_figures_agree_with_the_audits_or_say_why(audits, quotation_id):
    from doctools.content.quotations import QUOTATIONS
    from doctools.paths import ROOT
    from doctools.quotations import compare, footnotes, read_quotations

    quoted = QUOTATIONS[quotation_id]
    assert quoted.source == "snippets/cost/audits.py"
    page = ROOT / quoted.page
    (quotation,) = [q for q in read_quotations(page) if q.id == quotation_id]
    assert compare(quotation, quoted, audits, footnotes(page.read_text("utf8"))) == []


def test_the_audits_compare_with_the_figures_the_page_quotes(audits):
    """The snippet's own copies of the published figures are the quoted ones."""
    from decimal import Decimal

    from doctools.content.quotations import MACS, PARAMS, QUOTATIONS
    from doctools.paths import ROOT
    from doctools.quotations import read_quotations

    page = ROOT / QUOTATIONS["published-totals"].page
    quotations = {q.id: q for q in read_quotations(page)}
    table2 = quotations["mobilenet-table2"]
    for kind, (macs, params) in audits["TABLE2"].items():
        assert table2.cell(kind, MACS).figure == Decimal(macs), kind
        assert table2.cell(kind, PARAMS).figure == Decimal(params), kind
    totals = quotations["published-totals"]
    quoted_rows = {cell.row.replace("-", "") for cell in totals.cells}
    for name, _, what, value, unit, _ in audits["PUBLISHED"]:
        assert name in quoted_rows, name
        row = next(cell.row for cell in totals.cells if cell.row.replace("-", "") == name)
        cell = totals.cell(row, PARAMS if what == "params" else MACS)
        assert cell.figure == Decimal(value.replace(",", "")) and cell.text.endswith(unit), (name, what)
