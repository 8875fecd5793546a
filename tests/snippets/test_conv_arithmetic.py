"""``snippets/conv_arithmetic.py`` against Keras itself, on thousands of generated layers.

For every generated configuration, either Keras rejects the layer (in the constructor, in
``build``, in ``compute_output_shape`` or on a symbolic call) and ``layer_info`` raises
``ValueError``, or both accept it and agree on the parameter count, the weight shapes in order and
the output shape. A smaller set of convolutions also runs on real tensors; there the MACs are
checked as well: with all-ones inputs and kernels, a zero bias and ``padding="valid"``, every
output value counts the multiplications that produced it, so the outputs sum to the MACs.
"""

import inspect
import math
from collections import Counter

import keras
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doctools.macs import macs_by_definition
from snippets import conv_arithmetic
from snippets.conv_arithmetic import REQUIRED, SUPPORTED_LAYERS, layer_info

SETTINGS = {"derandomize": True, "deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}

CONV_LAYERS = conv_arithmetic.CONVOLUTIONS


# ----------------------------------------------------------------------------------------------
# Asking Keras and the module the same question


def keras_answer(name, config, input_shape):
    """(built layer, output shape), or (the exception with which Keras rejects the layer, None)."""
    try:
        layer = getattr(keras.layers, name)(**config)
        if name == "InputLayer":
            return layer, tuple(layer.output.shape)
        layer.build(input_shape)
        output_shape = tuple(layer.compute_output_shape(input_shape))
        if name == "Add":
            symbolic = layer([keras.KerasTensor(shape) for shape in input_shape])
        else:
            symbolic = layer(keras.KerasTensor(input_shape))  # the input checks of a real call
    except Exception as error:  # mostly ValueError; odd values give TypeError and the like
        return error, None
    assert tuple(symbolic.shape) == output_shape
    return layer, output_shape


# The two settings that pass Keras's shape inference but fail when the layer runs; the module
# rejects them, and the test runs the layer to confirm: padding="same" transposed convolutions with
# an output_padding of 0 where the dilated kernel size is even, and a negative int ZeroPadding2D/3D.
FAIL_WHEN_RUN = ("output_padding: 0 on spatial axis", "padding: every value must be at least 0")


def real_call(layer, input_shape):
    """The layer, or the exception with which calling it on zeros fails (unknown lengths become 6).

    An empty output counts as a failure: oneDNN returns one where plain TensorFlow raises.
    """

    def zeros(shape):
        return keras.ops.zeros([6 if d is None else d for d in shape])

    try:
        output = layer([zeros(s) for s in input_shape] if isinstance(input_shape, list) else zeros(input_shape))
    except Exception as error:
        return error
    return ValueError(f"empty output {output.shape}") if 0 in output.shape else layer


def module_answer(name, config, input_shape):
    """layer_info's dict, or its ValueError, whose message must start with an argument's name."""
    try:
        return layer_info(name, config, input_shape)
    except ValueError as error:
        _, _, arguments, value_only = conv_arithmetic._LAYERS[name]
        assert str(error).split(":")[0] in {*arguments, *value_only, *config, "input_shape"}, str(error)
        return error


def assert_same_as_keras(name, config, input_shape):
    """Both reject the layer, or both accept it and agree. Returns the Keras layer if accepted."""
    layer, output_shape = keras_answer(name, config, input_shape)
    info = module_answer(name, config, input_shape)
    if isinstance(info, Exception) and not isinstance(layer, Exception) and str(info).startswith(FAIL_WHEN_RUN):
        layer = real_call(layer, input_shape)
    if isinstance(layer, Exception) or isinstance(info, Exception):
        assert isinstance(layer, Exception) and isinstance(info, Exception), f"Keras: {layer!r}; module: {info!r}"
        return None
    assert info["params"] == layer.count_params()
    assert info["weight_shapes"] == [tuple(w.shape) for w in layer.weights]
    assert info["output_shape"] == output_shape
    return layer


# ----------------------------------------------------------------------------------------------
# Generating convolutions: mostly valid values, and now and then one that Keras rejects.


def sometimes(draw, good, bad, one_in=20):
    """A draw from ``good``, or one time in ``one_in`` from ``bad``."""
    return draw(bad) if draw(st.integers(1, one_in)) == one_in else draw(good)


def per_axis(draw, rank, values, bad=None):
    """One int for all axes, or a tuple or list of one per axis; now and then a wrong value."""
    one_each = st.lists(values, min_size=rank, max_size=rank)
    good = st.one_of(values, one_each.map(tuple), one_each)
    wrong_length = st.lists(st.integers(1, 3), min_size=1, max_size=4).filter(lambda v: len(v) != rank).map(tuple)
    return sometimes(draw, good, wrong_length if bad is None else st.one_of(bad, wrong_length))


def maybe_set(draw, config, key, make):
    """Set the key, or leave it out one time in four so that the defaults are compared too."""
    if draw(st.integers(0, 3)):
        config[key] = make()


@st.composite
def conv_cases(draw, run=False):
    """(layer name, config, input shape). ``run``: a concrete batch, no unknown lengths, wrong ranks or arguments."""
    name = draw(st.sampled_from(list(CONV_LAYERS)))
    family, rank = CONV_LAYERS[name]
    small = st.integers(1, 2 if rank == 3 else 4)
    config = {"kernel_size": per_axis(draw, rank, small, st.sampled_from([0, -1]))}
    # Strides and dilation are drawn independently, so strides > 1 often meets dilation_rate > 1.
    maybe_set(draw, config, "strides", lambda: per_axis(draw, rank, st.sampled_from([1, 1, 2, 3]), st.just(0)))
    maybe_set(draw, config, "dilation_rate", lambda: per_axis(draw, rank, st.sampled_from([1, 1, 2, 3]), st.just(0)))
    paddings = st.sampled_from(["valid", "same", "causal", "SAME", "Valid"])
    maybe_set(draw, config, "padding", lambda: sometimes(draw, paddings, st.just("full")))
    formats = st.sampled_from(["channels_last", "channels_first", None])
    maybe_set(draw, config, "data_format", lambda: sometimes(draw, formats, st.just("channels_middle")))
    maybe_set(draw, config, "use_bias", lambda: draw(st.booleans()))
    groups = 1
    if family == "standard":
        groups = sometimes(draw, st.sampled_from([1, 1, 2, 3]), st.just(0))
        maybe_set(draw, config, "groups", lambda: groups)
    if family in ("separable", "depthwise"):
        maybe_set(draw, config, "depth_multiplier", lambda: sometimes(draw, small, st.just(0)))
    if family != "depthwise":  # mostly a multiple of groups; now and then anything, zero or negative
        config["filters"] = sometimes(draw, st.integers(1, 3).map(lambda k: k * max(groups, 1)), st.integers(-1, 5), 8)
    if family == "transposed":
        config["output_padding"] = draw(st.none()) if draw(st.booleans()) else per_axis(draw, rank, st.integers(0, 1))
    if not run and draw(st.integers(1, 20)) == 20:  # an argument this layer does not have
        config[draw(st.sampled_from(["groups", "output_padding", "depth_multiplier", "bogus"]))] = 1

    spatial = [draw(st.integers(1, 5 if rank == 3 else 12)) for _ in range(rank)]
    if not run and draw(st.integers(1, 8)) == 8:
        spatial[draw(st.integers(0, rank - 1))] = None  # an unknown length
    channels = max(groups, 1) * draw(st.integers(1, 3))
    if draw(st.integers(1, 10)) == 10:
        channels = draw(st.integers(1, 6))  # not necessarily divisible by groups
    batch = draw(st.sampled_from([1, 2] if run else [None, 1, 3]))
    if str(config.get("data_format")).lower() == "channels_first":
        shape = (batch, channels, *spatial)
    else:
        shape = (batch, *spatial, channels)
    if not run and draw(st.integers(1, 40)) == 40:
        shape = shape[:-1] if draw(st.booleans()) else (*shape, 2)  # a wrong input rank
    return name, config, shape


def features(name, config, shape, rejected):
    """What a case exercises, to check that the generated set covers every kind of setting."""

    def largest(value):
        return max(value) if isinstance(value, (tuple, list)) and value else value

    found = {name, *config, f"padding={str(config.get('padding')).lower()}", f"data_format={config.get('data_format')}"}
    if largest(config.get("strides", 1)) > 1 and largest(config.get("dilation_rate", 1)) > 1:
        found.add("strides with dilation")
    if "output_padding" in config:
        found.add("output_padding=None" if config["output_padding"] is None else "output_padding=int")
    found.add("rejected" if rejected else "accepted")
    return found


WANTED_FEATURES = {
    *CONV_LAYERS,
    *("strides with dilation", "padding=causal", "output_padding=None", "output_padding=int"),
    *("data_format=channels_first", "groups", "depth_multiplier", "use_bias", "bogus", "rejected", "accepted"),
}


# ----------------------------------------------------------------------------------------------
# Convolutions


def test_convolutions_match_keras():
    seen = Counter()

    @settings(max_examples=3000, **SETTINGS)
    @given(conv_cases())
    def check(case):
        name, config, input_shape = case
        layer = assert_same_as_keras(name, config, input_shape)
        seen.update(features(name, config, input_shape, layer is None))
        if layer is None:
            return
        # MACs = (positions where the kernel is applied) x (its weights), from Keras's own numbers.
        info = layer_info(name, config, input_shape)
        where = input_shape if CONV_LAYERS[name][0] == "transposed" else info["output_shape"]
        first = str(config.get("data_format")).lower() == "channels_first"
        positions = where[2:] if first else where[1:-1]
        kernel_weights = sum(math.prod(w.shape) for w in layer.weights if "kernel" in w.path)
        assert info["macs"] == (None if None in positions else math.prod(positions) * kernel_weights)

    check()
    assert WANTED_FEATURES <= set(seen), WANTED_FEATURES - set(seen)
    assert seen["accepted"] > 1000 and seen["rejected"] > 500, seen


def test_convolutions_run_with_the_computed_shapes():
    """Real calls (channels_first too), and MACs as the sum of an all-ones output."""
    seen = Counter()

    @settings(max_examples=400, **SETTINGS)
    @given(conv_cases(run=True))
    def check(case):
        name, config, input_shape = case
        family, _ = CONV_LAYERS[name]
        kernels = {"standard": ["kernel"], "transposed": ["kernel"], "depthwise": ["depthwise"]}
        ones = {f"{kind}_initializer": "ones" for kind in kernels.get(family, ["depthwise", "pointwise"])}
        layer = assert_same_as_keras(name, {**config, **ones}, input_shape)
        if layer is None:
            return
        info = layer_info(name, config, input_shape)
        output = layer(keras.ops.ones(input_shape))
        assert tuple(output.shape) == info["output_shape"]
        seen.update(["ran", f"data_format={config.get('data_format')}"])
        if str(config.get("padding", "valid")).lower() == "valid" and family != "separable":
            assert float(keras.ops.sum(output)) == info["macs"] * input_shape[0]  # the bias starts at zero
            seen[f"macs of {family}"] += 1

    check()
    assert seen["ran"] >= 100 and seen["data_format=channels_first"] >= 20, seen
    assert min(seen[f"macs of {family}"] for family in ("standard", "depthwise", "transposed")) >= 10, seen


# ----------------------------------------------------------------------------------------------
# The other layers of keras.applications, and their siblings


@st.composite
def other_cases(draw):
    name = draw(st.sampled_from([n for n in SUPPORTED_LAYERS if n not in CONV_LAYERS]))
    rank = conv_arithmetic._LAYERS[name][1]
    length = st.one_of(st.integers(1, 6), st.none())
    config = {}
    input_rank = rank + 2 if rank else draw(st.integers(1 if name == "Flatten" else 2, 4))
    if draw(st.integers(1, 30)) == 30:
        input_rank += draw(st.sampled_from([-1, 1]))  # a wrong input rank
    shape = (draw(st.sampled_from([None, 2])), *(draw(length) for _ in range(input_rank - 1)))
    if "Pooling" in name and "Global" not in name:
        maybe_set(draw, config, "pool_size", lambda: per_axis(draw, rank, st.integers(1, 3), st.just(0)))
        maybe_set(draw, config, "strides", lambda: draw(st.none()) or per_axis(draw, rank, st.integers(1, 3)))
        maybe_set(draw, config, "padding", lambda: draw(st.sampled_from(["valid", "same", "SAME", "full"])))
    if "Global" in name:
        maybe_set(draw, config, "keepdims", lambda: draw(st.booleans()))
    if "ZeroPadding" in name:
        pair = st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)))
        entries = st.lists(pair, min_size=rank, max_size=rank).map(tuple)
        good = pair if rank == 1 else st.one_of(st.integers(0, 2), entries)
        maybe_set(draw, config, "padding", lambda: sometimes(draw, good, st.sampled_from([-1, (1,) * (rank + 1)])))
    if rank or name == "Flatten":
        maybe_set(draw, config, "data_format", lambda: draw(st.sampled_from(["channels_last", "channels_first", None])))
    if name == "BatchNormalization":
        maybe_set(draw, config, "axis", lambda: draw(st.integers(-input_rank - 1, input_rank)))
        for key in ("center", "scale", "renorm"):
            maybe_set(draw, config, key, lambda: draw(st.booleans()))
    if name == "Dense":
        config["units"] = draw(st.integers(-1, 4))
        maybe_set(draw, config, "use_bias", lambda: draw(st.booleans()))
    if name == "ReLU":
        maybe_set(draw, config, "max_value", lambda: draw(st.sampled_from([None, 6.0, 0.0, -1.0])))
        maybe_set(draw, config, "negative_slope", lambda: draw(st.sampled_from([0.0, 0.1, -0.1])))
        maybe_set(draw, config, "threshold", lambda: draw(st.sampled_from([0.0, 0.5, -0.5])))
    if name == "Dropout":
        config["rate"] = draw(st.sampled_from([0, 0.25, 1, 1.5, -0.1]))
    if name == "Activation":
        config["activation"] = draw(st.sampled_from(["relu", "softmax"]))
    if name == "Reshape":
        sizes = [d for d in shape[1:] if d is not None]
        target = draw(st.permutations([*sizes, 1]))
        if target and draw(st.booleans()):
            target[draw(st.integers(0, len(target) - 1))] = -1
        if draw(st.integers(1, 6)) == 6:
            target.append(draw(st.sampled_from([2, -1, -2, 0])))  # usually the wrong size
        config["target_shape"] = tuple(target)
    if name == "Add":
        shape = [shape]
        for _ in range(draw(st.integers(0, 2))):
            other = [draw(st.sampled_from([d, d, 1, 3])) for d in shape[0][1:]]
            shape.append((draw(st.sampled_from([None, 2, 3])), *other[draw(st.integers(0, len(other))) :]))
    if name == "InputLayer":
        if draw(st.booleans()):
            config["batch_shape"] = shape
            maybe_set(draw, config, "shape", lambda: shape[1:])  # not allowed with batch_shape
        else:
            config["shape"] = shape[1:]
            maybe_set(draw, config, "batch_size", lambda: draw(st.sampled_from([None, 4])))
        shape = None
    return name, config, shape


@settings(max_examples=1200, **SETTINGS)
@given(other_cases())
def test_other_layers_match_keras(case):
    assert_same_as_keras(*case)


CHOSEN_CASES = [
    # Settings that the generated cases reach only rarely, each compared with Keras as well.
    ("Conv2D", {"filters": 4, "kernel_size": 3, "groups": 2}, (None, 8, 8, 3)),  # channels not divisible
    ("Conv1D", {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 5, 3)),
    ("SeparableConv1D", {"filters": 2, "kernel_size": 3, "padding": "causal"}, (2, 5, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "dilation_rate": 2}, (2, 9, 9, 3)),
    # padding="same" with an output_padding of 0 is fine where the dilated kernel size is odd.
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": (2, 3), "strides": 2, "padding": "same", "output_padding": (1, 0)},
        (1, 4, 4, 3),
    ),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "padding": "same", "output_padding": 0}, (1, 4, 4, 3)),
    (
        "Conv1DTranspose",
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "padding": "same", "output_padding": 0},
        (1, 4, 3),
    ),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 1, "strides": 3}, (1, 4, 3)),  # max(K, s) - K = 2
    ("ZeroPadding2D", {"padding": (1, 2, 3)}, (1, 4, 4, 3)),
    ("ZeroPadding2D", {"padding": -1}, (1, 4, 4, 3)),  # Keras's constructor lets a negative int through
    ("ZeroPadding1D", {"padding": (1, 2)}, (1, 4, 3)),
    ("Reshape", {"target_shape": (-1, -1)}, (1, 4, 3)),
    ("Reshape", {"target_shape": (5, -1)}, (1, 4, 3)),
    ("Reshape", {"target_shape": (5, 2)}, (1, 4, 3)),
    ("Reshape", {"target_shape": (0, -1)}, (1, 4, 3)),
    ("Reshape", {"target_shape": (None, 3)}, (1, 4, 3)),
    ("Reshape", {"target_shape": (-1, 3)}, (1, None, 3)),
    ("Add", {}, [(None, 3), (2, 4, 1, 3), (2, 1, 5, 1)]),  # a later input with more dimensions
    ("Add", {}, [(None, 4, 3), (None, 5, 3)]),
    ("MaxPooling2D", {"padding": "SAME"}, (1, 4, 4, 3)),  # pooling padding is case-sensitive
    ("MaxPooling2D", {"pool_size": 3}, (1, 2, 4, 3)),
    ("AveragePooling1D", {"pool_size": 2, "strides": 0}, (1, 4, 3)),
    ("BatchNormalization", {"axis": 1}, (None, None, 3)),
    ("Dense", {"units": 2}, (None, 4, None)),
    ("Flatten", {}, (None,)),
]


@pytest.mark.parametrize("case", CHOSEN_CASES, ids=lambda case: f"{case[0]}-{case[1]}")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # Keras's pooling shape divides by strides=0
def test_chosen_cases_match_keras(case):
    assert_same_as_keras(*case)


@pytest.mark.parametrize("model", ["MobileNet", "Xception"])
def test_keras_applications_models(model):
    """Every layer of two reference models, as keras.applications builds them, MACs included."""
    built = getattr(keras.applications, model)(weights=None)
    total, params = 0, 0
    for layer in built.layers:
        if isinstance(layer, keras.layers.InputLayer):
            input_shape = None
        elif isinstance(layer.input, list):
            input_shape = [tuple(x.shape) for x in layer.input]
        else:
            input_shape = tuple(layer.input.shape)
        info = layer_info(type(layer).__name__, layer.get_config(), input_shape)
        assert info["params"] == layer.count_params(), layer.name
        assert info["weight_shapes"] == [tuple(w.shape) for w in layer.weights], layer.name
        assert info["output_shape"] == tuple(layer.output.shape), layer.name
        if input_shape is not None:
            first_input = input_shape[0] if isinstance(input_shape, list) else input_shape
            assert info["macs"] == macs_by_definition(layer, first_input, tuple(layer.output.shape)), layer.name
        total += info["macs"]
        params += info["params"]
    assert params == built.count_params()
    assert total > 0


# ----------------------------------------------------------------------------------------------
# The module's own rules


@pytest.mark.parametrize("name", SUPPORTED_LAYERS)
def test_the_module_knows_exactly_the_constructor_arguments(name):
    """Every argument of the Keras constructor, no other, and the same required ones."""
    parameters = inspect.signature(getattr(keras.layers, name).__init__).parameters
    keras_arguments = {key for key in parameters if key not in ("self", "kwargs")}
    keras_required = {
        key for key, p in parameters.items() if p.default is p.empty and p.kind == p.POSITIONAL_OR_KEYWORD
    }
    _, _, arguments, value_only = conv_arithmetic._LAYERS[name]
    base = set(conv_arithmetic._BASE_ARGUMENTS)
    assert {*arguments, *value_only} - base == keras_arguments - base
    assert {key for key, default in arguments.items() if default is REQUIRED} == keras_required - {"self"}


def test_the_supported_layers_include_the_five_applications_models():
    # Found by building MobileNet, MobileNetV2, Xception, ResNet50 and VGG16 (weights=None).
    in_models = "InputLayer Conv2D DepthwiseConv2D SeparableConv2D BatchNormalization ReLU Activation Add Dense"
    in_models += " ZeroPadding2D MaxPooling2D GlobalAveragePooling2D Dropout Reshape Flatten"
    assert set(in_models.split()) <= set(SUPPORTED_LAYERS)
    assert {"AveragePooling2D", "GlobalMaxPooling2D", *CONV_LAYERS} <= set(SUPPORTED_LAYERS)


@pytest.mark.parametrize(
    ("name", "config", "input_shape", "argument"),
    [
        ("Conv9D", {}, (1, 2, 3), "layer_name"),
        ("Conv2D", [("filters", 2)], (1, 5, 5, 3), "config"),
        ("Conv2D", {"filters": 2}, (1, 5, 5, 3), "kernel_size"),
        ("Conv2D", {"filters": 2, "kernel_size": 3}, (1, 0, 5, 3), "input_shape"),
        ("Conv2D", {"filters": 2, "kernel_size": 3}, "1x5x5x3", "input_shape"),
        ("Conv2D", {"filters": 2, "kernel_size": 3}, (1, 5, 5, None), "input_shape"),
        ("Conv2D", {"filters": True, "kernel_size": 3}, (1, 5, 5, 3), "filters"),
        ("Conv2D", {"filters": 2, "kernel_size": 3.0}, (1, 5, 5, 3), "kernel_size"),
        ("Conv2D", {"filters": 2, "kernel_size": 3, "padding": 1}, (1, 5, 5, 3), "padding"),
        ("Dense", {"units": 2, "lora_rank": 4}, (1, 5), "lora_rank"),
        ("InputLayer", {"shape": (3,), "input_tensor": "x"}, None, "input_tensor"),
        ("InputLayer", {"batch_shape": (None, 3), "batch_size": 2}, None, "batch_shape"),
        ("InputLayer", {}, None, "shape"),
        ("InputLayer", {"shape": 3}, None, "shape"),
        ("InputLayer", {"shape": (3,), "batch_size": 0}, None, "batch_size"),
        ("Reshape", {"target_shape": 6}, (1, 2, 3), "target_shape"),
        ("Add", {}, [], "input_shape"),
        ("Add", {}, [(1, 3), (2, 3)], "input_shape"),
    ],
)
def test_rejections_that_name_the_argument(name, config, input_shape, argument):
    """Including the few things that the module rejects and Keras would not."""
    with pytest.raises(ValueError, match=f"^{argument}: "):
        layer_info(name, config, input_shape)


def test_unknown_lengths_give_unknown_macs():
    info = layer_info("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2}, (None, 8, None, 3))
    assert info["output_shape"] == (None, 17, None, 4)
    assert info["macs"] is None
    assert layer_info("Dense", {"units": 2}, (None, None, 5))["macs"] is None


def test_value_arguments_are_the_ones_keras_emits_but_no_shape_reads():
    """Every key of a convolution's get_config() is either a shape argument or a value-only one."""
    for name in conv_arithmetic.CONVOLUTIONS:
        required = {} if "Depthwise" in name else {"filters": 4}
        config = getattr(keras.layers, name)(kernel_size=3, **required).get_config()
        known = set(inspect.signature(getattr(keras.layers, name)).parameters)
        assert set(conv_arithmetic.value_arguments(name)) <= known | {"name", "dtype", "trainable", "autocast"}
        shape_arguments = set(config) - set(conv_arithmetic.value_arguments(name))
        assert shape_arguments <= known, name
    with pytest.raises(ValueError, match="layer_name"):
        conv_arithmetic.value_arguments("Conv4D")
