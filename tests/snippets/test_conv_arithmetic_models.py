"""``model_info`` of ``snippets/conv_arithmetic.py`` against Keras, on whole models.

Every ``keras.applications`` model (``weights=None``) is compared layer by layer, from the vectors
that ``python scripts/dev.py model-vectors`` wrote (``tests/calculator/model_vectors.json.gz``):
each layer's output shape and parameter count, and the model's ``count_params()``. Small models are
also built here, afresh, so that a change in Keras shows up even before the vectors are remade: a
MobileNet on a small input, nested Sequential and Functional models, and a model with branches that
uses every layer class that the vectors do not. The layer classes added for whole models are also
checked one by one against Keras, accepted or rejected alike.
"""

import gzip
import inspect
import json
from pathlib import Path

import keras
import pytest

from snippets import conv_arithmetic
from snippets.conv_arithmetic import MODEL_LAYERS, SUPPORTED_LAYERS, layer_info, model_info

VECTORS = Path(__file__).resolve().parent.parent / "calculator" / "model_vectors.json.gz"
DATA = json.loads(gzip.decompress(VECTORS.read_bytes()))
NEW_LAYERS = sorted(set(MODEL_LAYERS) - set(SUPPORTED_LAYERS))


def as_json(shape):
    """A shape as the vectors store it: a list, or a list of lists."""
    return [as_json(s) for s in shape] if isinstance(shape, list) else list(shape)


def classes(config):
    """Every class name in a model config, nested models included."""
    found = set()
    for entry in config["layers"]:
        found.add(entry["class_name"])
        if entry["class_name"] in ("Sequential", "Functional"):
            found |= classes(entry["config"])
    return found


# ----------------------------------------------------------------------------------------------
# Every keras.applications model, from the stored vectors


def test_the_vectors_come_from_this_keras():
    assert DATA["keras_version"] == keras.__version__ and DATA["backend"] == keras.backend.backend()
    assert sorted(DATA["models"]) == sorted(n for n in dir(keras.applications) if n[0].isupper())


@pytest.mark.parametrize("name", sorted(DATA["models"]))
def test_every_applications_model_layer_by_layer(name):
    vectors = DATA["models"][name]
    info = model_info(vectors["config"])
    rows = [[row["name"], row["class_name"], as_json(row["output_shape"]), row["params"]] for row in info["layers"]]
    for row, expected in zip(rows, vectors["layers"], strict=True):
        assert row == expected
    assert info["params"] == vectors["count_params"] == sum(row[3] for row in rows)
    macs = [row["macs"] for row in info["layers"]]
    assert info["macs"] == (None if None in macs else sum(macs))


def test_the_to_json_form_gives_the_same_answer():
    config = DATA["models"]["ResNet50"]["config"]
    wrapped = {"module": "keras.src.models.functional", "class_name": "Functional", "config": config}
    assert model_info(wrapped) == model_info(config) == model_info(json.dumps(wrapped))


def test_mobilenet_macs_are_the_papers_569_million():
    # Howard et al. 2017, table 8: "569 million mult-adds"; the module's convention reproduces it.
    assert model_info(DATA["models"]["MobileNet"]["config"])["macs"] == 568_740_352


def test_every_layer_class_is_covered_by_a_model_here():
    """The vectors and the models built below use every class that model_info knows."""
    used = set().union(*(classes(model["config"]) for model in DATA["models"].values()))
    used |= set().union(*(classes(build().get_config()) for build in FRESH_MODELS.values()))
    assert set(MODEL_LAYERS) <= used


# ----------------------------------------------------------------------------------------------
# Models built afresh, compared with Keras directly


def compare_with_keras(model):
    """Each row against the layer (or Keras operation) of the same name, and the totals."""
    info = model_info(model.get_config())
    operations = {operation.name: operation for operation in getattr(model, "operations", model.layers)}
    for row in info["layers"]:
        if row["name"] not in operations:  # a Sequential model's InputLayer is in its config, not in its layers
            assert row["class_name"] == "InputLayer" and row["output_shape"] == tuple(model.inputs[0].shape)
            continue
        operation = operations[row["name"]]
        outputs = operation.output if isinstance(operation.output, list) else [operation.output]
        shapes = [tuple(output.shape) for output in outputs]
        assert row["output_shape"] == (shapes[0] if len(shapes) == 1 else shapes), row["name"]
        params = operation.count_params() if isinstance(operation, keras.Layer) else 0
        assert row["params"] == params, row["name"]
        weights = operation.weights if isinstance(operation, keras.Layer) else []
        assert row["weight_shapes"] == [tuple(w.shape) for w in weights], row["name"]
    assert info["params"] == model.count_params()
    assert model_info(json.loads(model.to_json())) == info
    return info


def small_mobilenet():
    return keras.applications.MobileNet(input_shape=(64, 64, 3), weights=None, classes=10, alpha=0.25)


def nested():
    """A Sequential inside a Functional inside a Functional with two outputs, and ops between them."""
    block = keras.Sequential(
        [keras.layers.Conv2D(4, 3, padding="same"), keras.layers.BatchNormalization(), keras.layers.ReLU()],
        name="block",
    )
    inner_input = keras.Input((16, 16, 3))
    a = block(inner_input)
    b = keras.layers.MaxPooling2D()(a)
    inner = keras.Model(inner_input, [a, b], name="inner")
    inputs = keras.Input((16, 16, 3))
    full, half = inner(inputs)
    half = keras.layers.UpSampling2D(interpolation="bilinear")(half) * 0.5 + 1
    merged = keras.layers.Concatenate()([full, half])
    outputs = keras.layers.Dense(3)(keras.layers.GlobalMaxPooling2D()(merged))
    return keras.Model(inputs, outputs)


def every_other_class():
    """One functional model, three inputs, with each class that no keras.applications model uses."""
    layers = keras.layers
    seq = keras.Input((20, 6))
    x = layers.Conv1D(8, 3, padding="causal", dilation_rate=2)(seq)
    x = layers.Cropping1D((1, 2))(x)
    x = layers.SpatialDropout1D(0.1)(layers.UpSampling1D(3)(x))
    y = layers.Conv1DTranspose(8, 3, strides=2)(layers.AveragePooling1D(2)(x))
    y = layers.Cropping1D((0, y.shape[1] - x.shape[1]))(y)
    z = layers.Subtract()([x, y])
    z = layers.Average()([layers.Maximum()([x, z]), layers.Minimum()([y, z])])
    z = layers.LayerNormalization(axis=[-2, -1])(z)
    z = layers.GroupNormalization(groups=4)(layers.LeakyReLU()(z))
    z = layers.Permute((2, 1))(layers.ELU()(z))
    z = layers.Softmax(axis=1)(layers.Identity()(z))
    z = layers.GlobalMaxPooling1D()(layers.AdaptiveMaxPooling1D(4)(z))

    image = keras.Input((12, 10, 3))
    i = layers.Normalization(axis=-1, mean=[0.5, 0.5, 0.5], variance=[0.25, 0.25, 0.25])(image)
    i = layers.Rescaling(1 / 255)(layers.Normalization(axis=None)(i))
    i = layers.Conv2D(4, 3, data_format="channels_last")(i)
    i = layers.SpatialDropout2D(0.1)(layers.Cropping2D(((1, 0), (2, 1)))(i))
    i = layers.UpSampling2D((2, 1))(i)
    i = layers.AdaptiveAveragePooling2D((3, 2))(i)
    i = layers.Flatten()(layers.ZeroPadding2D(1)(i))

    volume = keras.Input((6, 8, 8, 2))
    v = layers.Conv3D(3, 2)(volume)
    v = layers.Cropping3D(((1, 1), (0, 2), (2, 0)))(layers.UpSampling3D((1, 2, 1))(v))
    v = layers.SpatialDropout3D(0.2)(v)
    v = layers.AdaptiveAveragePooling3D(1)(layers.MaxPooling3D(2, padding="same")(v))
    v = layers.GlobalAveragePooling3D()(v)

    outputs = layers.Concatenate()([layers.Dense(5)(z), layers.Dense(5)(i), layers.Dense(5)(v)])
    return keras.Model([seq, image, volume], outputs)


def remaining_classes():
    """The convolution, pooling and padding classes that neither the vectors nor the model above use."""
    layers = keras.layers
    seq = keras.Input((16, 4))
    s = layers.SeparableConv1D(4, 3)(layers.ZeroPadding1D(2)(seq))
    s = layers.MaxPooling1D()(layers.DepthwiseConv1D(3, strides=2)(s))
    s = layers.GlobalAveragePooling1D()(layers.AdaptiveAveragePooling1D(2)(s))
    image = keras.Input((8, 8, 3))
    i = layers.Flatten()(layers.AdaptiveMaxPooling2D(4)(layers.Conv2DTranspose(2, 3, strides=2)(image)))
    volume = keras.Input((4, 4, 4, 2))
    v = layers.Conv3DTranspose(2, 2)(layers.ZeroPadding3D(1)(volume))
    v = layers.AdaptiveMaxPooling3D(2)(layers.AveragePooling3D(2)(v))
    return keras.Model([seq, image, volume], layers.Concatenate()([s, i, layers.GlobalMaxPooling3D()(v)]))


def sequential_with_build_shape():
    model = keras.Sequential([keras.layers.Conv1D(4, 5, strides=2), keras.layers.Flatten(), keras.layers.Dense(2)])
    model.build((None, 32, 3))
    return model


FRESH_MODELS = {
    "small MobileNet": small_mobilenet,
    "nested": nested,
    "every other class": every_other_class,
    "remaining classes": remaining_classes,
    "Sequential with build shape": sequential_with_build_shape,
}


@pytest.mark.parametrize("build", FRESH_MODELS.values(), ids=FRESH_MODELS.keys())
def test_models_built_here_match_keras(build):
    compare_with_keras(build())


def test_a_nested_model_is_one_row_with_its_totals():
    model = nested()
    rows = {row["name"]: row for row in compare_with_keras(model)["layers"]}
    inner = model.get_layer("inner")
    assert rows["inner"]["class_name"] == "Functional"
    assert rows["inner"]["output_shape"] == [(None, 16, 16, 4), (None, 8, 8, 4)]
    assert rows["inner"]["params"] == inner.count_params()
    assert rows["inner"]["macs"] == 16 * 16 * 3 * 3 * 3 * 4  # the 3x3 convolution, the only MACs inside
    assert rows["inner"]["receptive_field"] is None  # several outputs


def test_a_sequential_model_with_an_input_layer_lists_it():
    model = keras.Sequential([keras.Input((8, 3)), keras.layers.Conv1D(2, 3)])
    info = compare_with_keras(model)
    assert [row["class_name"] for row in info["layers"]] == ["InputLayer", "Conv1D"]
    assert info["layers"][1]["receptive_field"] == [{"size": 3, "jump": 1, "start": 0}]


# ----------------------------------------------------------------------------------------------
# The layer classes added for whole models, one by one against Keras


def keras_answer(name, config, input_shape):
    """(params, weight shapes, output shape) of the layer built and called by Keras, or None if it rejects it."""
    try:
        layer = getattr(keras.layers, name)(**config)
        if isinstance(input_shape, list):
            output = layer([keras.KerasTensor(shape) for shape in input_shape])
        else:
            output = layer(keras.KerasTensor(input_shape))
    except Exception:  # ValueError mostly; TypeError for some odd values
        return None
    return layer.count_params(), [tuple(w.shape) for w in layer.weights], tuple(output.shape)


NEW_LAYER_CASES = [
    ("Concatenate", {}, [(None, 4, 3), (None, 4, 5)]),
    ("Concatenate", {"axis": 1}, [(None, 4, 3), (None, 2, 3)]),
    ("Concatenate", {"axis": 1}, [(None, None, 3), (None, 2, 3)]),
    ("Concatenate", {}, [(None, 4, 3), (None, 5, 3)]),
    ("Concatenate", {}, [(None, 4, 3), (None, 4, 3, 1)]),
    ("Concatenate", {"axis": 0}, [(None, 4, 3), (None, 4, 3)]),
    ("Concatenate", {}, (None, 4, 3)),
    ("Concatenate", {}, []),
    ("Concatenate", {"axis": 3}, [(None, 4, 3), (None, 4, 3)]),
    ("Subtract", {}, [(None, 4, 3), (None, 1, 3)]),
    ("Subtract", {}, [(None, 4, 3), (None, 4, 3), (None, 4, 3)]),
    ("Multiply", {}, [(None, 4, 3), (None, 4, 3), (2, 1, 3)]),
    ("Maximum", {}, [(None, 4, 3), (None, 5, 3)]),
    ("LayerNormalization", {"axis": [1, 2]}, (None, 4, 3)),
    ("LayerNormalization", {"center": False}, (None, 4, 3)),
    ("LayerNormalization", {"axis": 3}, (None, 4, 3)),
    ("LayerNormalization", {"axis": 1}, (None, None, 3)),
    ("LayerNormalization", {"axis": "last"}, (None, 4, 3)),
    ("GroupNormalization", {"groups": 2}, (None, 4, 6)),
    ("GroupNormalization", {"groups": -1, "scale": False}, (None, 4, 6)),
    ("GroupNormalization", {"groups": 4}, (None, 4, 6)),
    ("GroupNormalization", {"groups": 0}, (None, 4, 6)),
    ("GroupNormalization", {"groups": 8}, (None, 4, 6)),
    ("Normalization", {}, (None, 4, 3)),
    ("Normalization", {"axis": (1, 2)}, (None, 4, 3)),
    ("Normalization", {"axis": None}, (None, 4, 3)),
    ("Normalization", {"mean": 0.5, "variance": 2.0}, (None, 4, 3)),
    ("Normalization", {"mean": [1, 2, 3], "variance": [1, 2, 3]}, (None, 4, 3)),
    ("Normalization", {"mean": [1, 2], "variance": [1, 2]}, (None, 4, 3)),
    ("Normalization", {"mean": [1, 2, 3], "variance": [1, 2]}, (None, 4, 3)),
    ("Normalization", {"mean": [[1, 2, 3]], "variance": [[1, 2, 3]]}, (None, 4, 3)),
    ("Normalization", {"mean": 1.0}, (None, 4, 3)),
    ("Normalization", {"mean": [[1, 2], [3]], "variance": [[1, 2], [3]]}, (None, 4, 3)),
    ("Normalization", {"axis": 5}, (None, 4, 3)),
    ("Normalization", {"axis": 1}, (None, None, 3)),
    ("Rescaling", {"scale": 0.5, "offset": 1}, (None, 4, 3)),
    ("SpatialDropout1D", {"rate": 0.5}, (None, 4, 3)),
    ("SpatialDropout1D", {"rate": 0.5}, (None, 4, 4, 3)),
    ("SpatialDropout2D", {"rate": 0.5, "data_format": "channels_first"}, (None, 3, 4, 4)),
    ("SpatialDropout3D", {"rate": 2.0}, (None, 3, 4, 4, 2)),
    ("Permute", {"dims": (2, 1)}, (None, 4, 3)),
    ("Permute", {"dims": (3, 1, 2)}, (None, 4, 3, 2)),
    ("Permute", {"dims": (0, 1)}, (None, 4, 3)),
    ("Permute", {"dims": (2, 1)}, (None, 4, 3, 2)),
    ("Cropping1D", {}, (None, 4, 3)),
    ("Cropping1D", {"cropping": (2, 2)}, (None, 4, 3)),
    ("Cropping1D", {"cropping": 1}, (None, None, 3)),
    ("Cropping2D", {"cropping": 1}, (None, 4, 5, 3)),
    ("Cropping2D", {"cropping": (1, 2), "data_format": "channels_first"}, (None, 3, 4, 5)),
    ("Cropping2D", {"cropping": ((0, 1), (2, 2))}, (None, 4, 5, 3)),
    ("Cropping2D", {"cropping": ((0, 1), (2, 3))}, (None, 4, 5, 3)),
    ("Cropping2D", {"cropping": (1, 2, 3)}, (None, 4, 5, 3)),
    ("Cropping3D", {}, (None, 4, 5, 6, 2)),
    ("Cropping3D", {"cropping": (2, 0, 0)}, (None, 4, 5, 6, 2)),
    ("UpSampling1D", {"size": 3}, (None, 4, 3)),
    ("UpSampling1D", {"size": (3,)}, (None, 4, 3)),
    ("UpSampling1D", {"size": 0}, (None, 4, 3)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (None, 4, None, 3)),
    ("UpSampling2D", {"data_format": "channels_first"}, (None, 3, 4, 5)),
    ("UpSampling2D", {"interpolation": "cubic"}, (None, 4, 5, 3)),  # accepted until the layer runs
    ("UpSampling3D", {"size": 2}, (None, 2, 3, 4, 1)),
    ("AdaptiveAveragePooling1D", {"output_size": 3}, (None, 7, 2)),
    ("AdaptiveAveragePooling2D", {"output_size": 2}, (None, 7, 7, 2)),
    ("AdaptiveAveragePooling3D", {"output_size": (1, 2, 3), "data_format": "channels_first"}, (None, 2, 4, 4, 4)),
    ("AdaptiveMaxPooling1D", {"output_size": (2, 2)}, (None, 7, 2)),
    ("AdaptiveMaxPooling2D", {"output_size": (2, 3), "data_format": "channels_first"}, (None, 2, 7, 7)),
    ("AdaptiveMaxPooling3D", {"output_size": 2}, (None, 4, 4, 4, 1)),
    ("LeakyReLU", {"negative_slope": 0.1}, (None, 3)),
    ("LeakyReLU", {"negative_slope": -0.1}, (None, 3)),
    ("ELU", {"alpha": 0.5}, (None, 3)),
    ("ELU", {"alpha": -1.0}, (None, 3)),
    ("Softmax", {"axis": 1}, (None, 4, 3)),
    ("Softmax", {"axis": [1, 2]}, (None, 4, 3)),
    ("Identity", {}, (None, 4, 3)),
]


@pytest.mark.parametrize("case", NEW_LAYER_CASES, ids=lambda case: f"{case[0]}-{case[1]}-{case[2]}")
def test_the_new_layer_classes_match_keras(case):
    name, config, input_shape = case
    expected = keras_answer(name, config, input_shape)
    if expected is None:
        with pytest.raises(ValueError, match=r"^\w+: "):
            layer_info(name, config, input_shape)
    else:
        info = layer_info(name, config, input_shape)
        assert (info["params"], info["weight_shapes"], info["output_shape"]) == expected


def test_stricter_than_keras_an_empty_adaptive_pooling():
    """Keras's shape inference accepts output_size=0 (an empty output); the module refuses it."""
    assert keras_answer("AdaptiveAveragePooling2D", {"output_size": 0}, (None, 7, 7, 2))[2] == (None, 0, 0, 2)
    with pytest.raises(ValueError, match=r"^output_size: every value must be at least 1"):
        layer_info("AdaptiveAveragePooling2D", {"output_size": 0}, (None, 7, 7, 2))


def test_the_cases_cover_every_new_keras_layer_class():
    in_keras = [name for name in NEW_LAYERS if hasattr(keras.layers, name)]
    assert {case[0] for case in NEW_LAYER_CASES} | {"Add", "Average", "Minimum"} >= set(in_keras)
    assert sorted(set(NEW_LAYERS) - set(in_keras)) == ["CustomScaleLayer", "LayerScale"]


@pytest.mark.parametrize("name", [name for name in NEW_LAYERS if hasattr(keras.layers, name)])
def test_the_new_layer_classes_know_exactly_the_constructor_arguments(name):
    parameters = inspect.signature(getattr(keras.layers, name).__init__).parameters
    keras_arguments = {key for key in parameters if key not in ("self", "kwargs")}
    keras_required = {
        key for key, p in parameters.items() if p.default is p.empty and p.kind == p.POSITIONAL_OR_KEYWORD
    }
    _, _, arguments, value_only = conv_arithmetic._LAYERS[name]
    base = set(conv_arithmetic._BASE_ARGUMENTS)
    # LayerNormalization takes its deprecated rms_scaling through **kwargs and still writes it in its config.
    assert {*arguments, *value_only} - base - {"rms_scaling"} == keras_arguments - base
    assert {key for key, default in arguments.items() if default is conv_arithmetic.REQUIRED} == keras_required - {
        "self"
    }


@pytest.mark.parametrize(
    ("module", "name", "config", "input_shape"),
    [
        ("convnext", "LayerScale", {"init_values": 1e-6, "projection_dim": 4}, (None, 3, 3, 4)),
        ("convnext", "LayerScale", {"init_values": 1e-6, "projection_dim": 4}, (None, 3, 3, 1)),
        ("convnext", "LayerScale", {"init_values": 1e-6, "projection_dim": 4}, (None, 3, 3, 5)),
        ("inception_resnet_v2", "CustomScaleLayer", {"scale": 0.1}, [(None, 3, 3, 4), (None, 3, 3, 4)]),
        ("inception_resnet_v2", "CustomScaleLayer", {"scale": 0.1}, [(None, 3, 3, 4), (None, 1, 3, 4)]),
        ("inception_resnet_v2", "CustomScaleLayer", {"scale": 0.1}, [(None, 3, 3, 4)] * 3),
    ],
)
def test_the_custom_layers_of_keras_applications_match_keras(module, name, config, input_shape):
    cls = getattr(__import__(f"keras.src.applications.{module}", fromlist=[name]), name)
    try:
        layer = cls(**config)
        if isinstance(input_shape, list):
            output = layer([keras.KerasTensor(shape) for shape in input_shape])
            _ = keras.ops.add(output, 0)  # CustomScaleLayer reads inputs[0] and inputs[1] only
            assert len(input_shape) == 2, "Keras ignores a third input"
        else:
            output = layer(keras.KerasTensor(input_shape))
    except (ValueError, AssertionError):
        with pytest.raises(ValueError, match=r"^\w+: "):
            layer_info(name, config, input_shape)
        return
    info = layer_info(name, config, input_shape)
    assert (info["params"], info["weight_shapes"], info["output_shape"]) == (
        layer.count_params(),
        [tuple(w.shape) for w in layer.weights],
        tuple(output.shape),
    )


# ----------------------------------------------------------------------------------------------
# What model_info refuses, with a message naming the layer and its class


def conv_model():
    inputs = keras.Input((8, 8, 3), name="image")
    outputs = keras.layers.Conv2D(2, 3, name="conv")(inputs)
    return keras.Model(inputs, keras.layers.Flatten(name="flat")(outputs))


def test_an_unknown_layer_class_is_named():
    inputs = keras.Input((8, 3))
    model = keras.Model(inputs, keras.layers.LSTM(4, name="recurrent")(inputs))
    with pytest.raises(ValueError, match=r"^layer 'recurrent': class 'LSTM' .* is not supported by model_info"):
        model_info(model.get_config())


def test_a_custom_layer_is_named_even_under_a_known_class_name():
    class Conv2D(keras.layers.Layer):  # a user's layer that happens to share a Keras class name
        def call(self, x):
            return x

    inputs = keras.Input((8, 8, 3))
    model = keras.Model(inputs, Conv2D(name="mine")(inputs))
    with pytest.raises(ValueError, match=r"^layer 'mine': class 'Conv2D' from module '.*' is not supported"):
        model_info(model.get_config())


def test_a_layer_keras_would_reject_is_named_with_its_class():
    config = conv_model().get_config()
    config["layers"][1]["config"]["kernel_size"] = [9, 9]
    with pytest.raises(ValueError, match=r"^layer 'conv' \(Conv2D\): kernel_size: the window spans 9 positions"):
        model_info(config)


def test_an_error_inside_a_nested_model_names_both():
    config = nested().get_config()
    block = config["layers"][1]["config"]["layers"][1]["config"]  # the Sequential inside the inner model
    block["layers"][0]["config"]["filters"] = 0
    with pytest.raises(ValueError, match=r"^layer 'inner' \(Functional\) > layer 'block' \(Sequential\) > layer "):
        model_info(config)


@pytest.mark.parametrize(
    "value",
    [
        [],
        "not json",
        "[1, 2]",
        {"class_name": "Conv2D", "config": {"filters": 2}},
        {"class_name": "Sequential", "config": {"name": "x"}},
        {"class_name": "Sequential", "config": {"layers": [], "input_layers": []}},
        {"name": "x", "filters": 3},
        keras.layers.Conv2D(2, 3).get_config(),
    ],
)
def test_what_is_not_a_model_config(value):
    with pytest.raises(ValueError, match=r"^model_config: "):
        model_info(value)


def test_malformed_entries_and_graphs():
    config = conv_model().get_config()
    broken = json.loads(json.dumps(config))
    broken["layers"][1] = {"name": "conv"}
    with pytest.raises(ValueError, match=r"^model_config: a layer entry must have 'class_name' and 'config'"):
        model_info(broken)
    shared = json.loads(json.dumps(config))
    shared["layers"][1]["inbound_nodes"] *= 2
    with pytest.raises(ValueError, match=r"^layer 'conv': has 2 inbound nodes; .*shared layers are not supported"):
        model_info(shared)
    out_of_order = json.loads(json.dumps(config))
    out_of_order["layers"][1:] = out_of_order["layers"][:0:-1]
    with pytest.raises(ValueError, match=r"^layer 'flat': reads the output \['conv', 0, 0\] of a layer not computed"):
        model_info(out_of_order)
    keyword = json.loads(json.dumps(config))
    keyword["layers"][2]["inbound_nodes"][0]["kwargs"]["mask"] = keyword["layers"][2]["inbound_nodes"][0]["args"][0]
    with pytest.raises(ValueError, match=r"^layer 'flat': receives a tensor as a keyword argument"):
        model_info(keyword)
    extra = json.loads(json.dumps(config))
    extra["layers"][2]["inbound_nodes"][0]["args"].append(3)
    with pytest.raises(ValueError, match=r"^layer 'flat': Flatten is called with arguments that are not tensors"):
        model_info(extra)
    two = json.loads(json.dumps(config))
    two["layers"][2]["inbound_nodes"][0]["args"] *= 2
    with pytest.raises(ValueError, match=r"^layer 'flat': Flatten takes one input tensor, received 2"):
        model_info(two)
    no_output = json.loads(json.dumps(config))
    no_output["output_layers"] = [["nowhere", 0, 0]]
    with pytest.raises(ValueError, match=r"^model_config: the outputs \[\['nowhere', 0, 0\]\] are not produced"):
        model_info(no_output)
    bad_input = json.loads(json.dumps(config))
    bad_input["layers"][0]["config"]["batch_shape"] = [None, 0, 8, 3]
    with pytest.raises(ValueError, match=r"^layer 'image' \(InputLayer\): batch_shape: "):
        model_info(bad_input)


def test_operations_on_things_other_than_tensors_and_numbers():
    inputs = keras.Input((4, 3))
    config = json.loads(json.dumps(keras.Model(inputs, inputs + 1.0).get_config()))
    operation = config["layers"][1]
    assert operation["module"].startswith("keras.src.ops") and operation["class_name"] == "Add"
    operation["inbound_nodes"][0]["args"][1] = "one"
    with pytest.raises(ValueError, match=r"^layer 'add\w*': the operation Add must be applied to tensors and numbers"):
        model_info(config)
    operation["inbound_nodes"][0]["args"] = [operation["inbound_nodes"][0]["args"][0]] * 2
    config["layers"][0]["config"]["batch_shape"] = [None, 4, 3]
    assert model_info(config)["layers"][1]["output_shape"] == (None, 4, 3)
    mismatched = json.loads(json.dumps(config))
    mismatched["layers"].insert(1, {**config["layers"][0], "name": "other", "config": {"batch_shape": [None, 5, 3]}})
    mismatched["layers"][2]["inbound_nodes"][0]["args"][1]["config"]["keras_history"] = ["other", 0, 0]
    mismatched["input_layers"] = [["input_layer", 0, 0], ["other", 0, 0]]
    with pytest.raises(ValueError, match=r"^layer 'add\w*' \(Add\): input_shape: the inputs cannot be added"):
        model_info(mismatched)


def test_nested_models_get_the_inputs_they_declare():
    config = nested().get_config()
    inner = config["layers"][1]
    inner["config"]["layers"][0]["config"]["batch_shape"] = [None, 15, 16, 3]
    with pytest.raises(ValueError, match=r"^layer 'inner' \(Functional\) > layer '.*': the input declares shape"):
        model_info(config)
    config = nested().get_config()
    config["layers"][1]["config"]["layers"][0]["config"]["batch_shape"] = [None, 16, 16, 3, 1]
    with pytest.raises(ValueError, match=r"^layer 'inner' \(Functional\) > layer '.*': the input declares shape"):
        model_info(config)
    config = nested().get_config()
    config["layers"][1]["inbound_nodes"][0]["args"] *= 2
    with pytest.raises(ValueError, match=r"^layer 'inner' \(Functional\) > input_shape: the model takes 1 inputs"):
        model_info(config)
    sequential = keras.Sequential([keras.layers.Dense(2)], name="seq")
    inputs = keras.Input((3,))
    config = keras.Model(inputs, sequential(inputs)).get_config()
    config["layers"][1]["inbound_nodes"][0]["args"] *= 2
    with pytest.raises(ValueError, match=r"^layer 'seq' \(Sequential\) > input_shape: a Sequential model takes one"):
        model_info(config)


def test_a_sequential_model_needs_an_input_shape():
    config = keras.Sequential([keras.layers.Dense(2)]).get_config()
    with pytest.raises(
        ValueError, match=r"^model_config: a Sequential model needs an InputLayer or a build_input_shape"
    ):
        model_info(config)
