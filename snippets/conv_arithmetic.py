"""Shapes, weights and multiply-accumulates of Keras 3 layers, computed without Keras.

``layer_info(layer_name, config, input_shape)`` answers, for one layer, what Keras 3.15 (TensorFlow
backend) answers after ``layer = getattr(keras.layers, layer_name)(**config)`` and
``layer.build(input_shape)``::

    {"params": layer.count_params(),
     "weight_shapes": [tuple(w.shape) for w in layer.weights],    # in Keras's order
     "output_shape": tuple(layer.compute_output_shape(input_shape)),
     "macs": multiply-accumulates for one example (defined below)}

and it raises ``ValueError`` exactly where Keras rejects the layer: in the constructor, in
``build``, in ``compute_output_shape``, or when the layer is called (the input rank checks, and the
two settings under "Stricter than Keras's shape inference"). The message starts with the name of
the offending argument (``"strides: ..."``), or with ``input_shape``, ``config`` or ``layer_name``.
The module uses the standard library only.

Arguments
---------
``layer_name`` is a Keras class name, one of ``SUPPORTED_LAYERS`` (or ``MODEL_LAYERS``, which adds the
classes that ``model_info`` needs for whole models; see its docstring). ``config`` holds Keras's own
constructor keyword arguments, in the forms Keras accepts; missing ones take Keras's defaults, a
missing required one (``filters``, ``kernel_size``, ``units`` ...) is an error, and so is a key the
constructor does not name. ``layer.get_config()`` is a valid ``config``. Arguments that change
values but never shapes (activation, initializers, regularizers, constraints, name, dtype,
trainable, Dropout's ``noise_shape`` and ``seed``, BatchNormalization's ``momentum``, ``epsilon``
and ``renorm_*`` settings, InputLayer's ``sparse``/``ragged``/``optional``) are accepted unchecked.

Integer arguments are Python ints; ``kernel_size``, ``strides``, ``dilation_rate``,
``output_padding`` and ``pool_size`` are one int (used on every spatial axis) or a tuple/list of
one int per spatial axis. ``padding`` of the convolutions is case-insensitive; that of the pooling
layers must be lower case, as their ``compute_output_shape`` requires. ``data_format`` is
``"channels_last"``, ``"channels_first"`` (any case) or None, which means ``"channels_last"``
(Keras's default ``image_data_format``).

``input_shape`` is a tuple or list that includes the batch dimension. Every entry is a positive
int or None (unknown). The batch and spatial lengths may be None; the dimension that decides
weight shapes (the channels, Dense's last axis, BatchNormalization's ``axis``) must be known.
``Add`` takes a list of input shapes; ``InputLayer`` ignores ``input_shape`` (pass None) and reads
``shape``/``batch_size``/``batch_shape`` from ``config``.

Lengths along one spatial axis
------------------------------
With input length ``n``, kernel size ``k``, stride ``s``, dilation ``d`` and the dilated kernel
size ``K = d*(k - 1) + 1`` (integer division ``//`` rounds down):

* ``"valid"``: ``(n - K) // s + 1``. If ``n < K`` this is zero or negative and Keras raises.
* ``"same"`` and ``"causal"``: ``(n - 1) // s + 1``, which is ``ceil(n / s)``; never an error.
* Transposed, ``"valid"``: ``(n - 1)*s + K + p`` where ``p`` is ``output_padding``, or
  ``max(K, s) - K`` if ``output_padding`` is None.
* Transposed, ``"same"``: ``n*s`` if ``output_padding`` is None, else ``(n - 1)*s + K % 2 + p``
  (an error if ``K`` is even and ``p = 0``, see below).
* Pooling: as a convolution with ``k = pool_size``, ``d = 1``; ``strides`` None means ``pool_size``.
* ZeroPadding: ``n + left + right``.

An unknown length (None) gives an unknown length.

What Keras rejects
------------------
* ``filters``, ``units``, ``depth_multiplier``, ``groups``, and every value of ``kernel_size``,
  ``strides``, ``dilation_rate`` and ``pool_size`` must be >= 1 (so ``kernel_size=0`` is an error);
  ``output_padding`` and zero padding values must be >= 0. Tuples need one value per spatial axis.
* ``padding="causal"`` is accepted by ``Conv1D`` only: not by SeparableConv1D, DepthwiseConv1D,
  the transposed layers, nor the 2-D and 3-D layers. It pads ``K - 1`` zeros on the left.
* ``strides > 1`` together with ``dilation_rate > 1`` (on any axes, not necessarily the same one)
  is rejected by Conv1D/2D/3D and Conv1D/2D/3DTranspose, but accepted by the Depthwise and
  Separable layers.
* Conv1D/2D/3D: ``filters`` and the input channels must both be divisible by ``groups``.
* Transposed: every ``output_padding`` value must be smaller than the stride on its axis.
* ``"valid"`` convolutions and pooling raise when an output length would be < 1 (kernel or pool
  window longer than the input); transposed convolutions never do.
* The input must have exactly ``rank + 2`` dimensions for the convolution, pooling and padding
  layers (Dense: at least 2; Flatten: at least 1).

Stricter than Keras's shape inference
-------------------------------------
* Transposed with ``padding="same"``: an ``output_padding`` of 0 on an axis whose ``K`` is even
  asks for ``(n - 1)*s``, one stride less than TensorFlow's transposed convolution can produce.
  ``compute_output_shape`` reports it, but calling the layer fails (for ``n = 1`` oneDNN returns an
  empty tensor instead). This module raises, so it never returns a length of 0.
* ZeroPadding2D/3D: Keras's constructor lets a negative int ``padding`` through; the call fails.
* Input lengths must be >= 1; ints must be ints (not bools or floats).
* Dense accepts ``lora_rank``, ``lora_alpha`` and ``quantization_config`` only as None: LoRA and
  quantized weights are not modelled. InputLayer's ``input_tensor`` must be None for the same reason.

Multiply-accumulates (``macs``)
-------------------------------
MACs count the multiplications by kernel weights for one example; bias additions are not counted.
Every output position is charged the whole kernel, including taps that fall on padding zeros. In
every case that is (the positions where the kernel is applied) x (the number of kernel weights);
with ``P_out``/``P_in`` the number of output/input spatial positions, ``C`` the input channels:

* Conv: ``P_out * prod(kernel_size) * (C / groups) * filters``.
* Depthwise: ``P_out * prod(kernel_size) * C * depth_multiplier``.
* Separable: its depthwise part plus its pointwise part ``P_out * (C * depth_multiplier) * filters``.
* Transposed: ``P_in * prod(kernel_size) * C * filters`` (every input value meets every tap).
* Dense: ``input_units * units``, times the positions of any axes between batch and the last.
* All other layers (BatchNormalization, pooling, activations, padding, Add, Dropout, Reshape,
  Flatten, InputLayer): 0. This is the convention of the MobileNet paper's "mult-adds": the layers
  of ``keras.applications.MobileNet()`` add up to 568,740,352, the paper's "569 million".

``macs`` is None when a length it needs is unknown (None).
"""

from itertools import product
from math import prod

# Marks a constructor argument that has no default.
REQUIRED = "<required>"

# Keyword arguments that every Keras layer accepts; none of them changes a shape.
_BASE_ARGUMENTS = ("name", "dtype", "trainable", "autocast", "activity_regularizer")


# ----------------------------------------------------------------------------------------------
# Checking and normalising arguments


def _fail(argument, message):
    raise ValueError(f"{argument}: {message}")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(value, argument):
    if not _is_int(value) or value < 1:
        _fail(argument, f"must be a positive integer, received {value!r}")
    return value


def _int_tuple(value, rank, argument, minimum=1):
    """One int per spatial axis, from an int or a tuple/list (Keras's ``standardize_tuple``)."""
    values = (value,) * rank if _is_int(value) else value
    if not isinstance(values, (tuple, list)) or len(values) != rank or not all(map(_is_int, values)):
        _fail(argument, f"must be an integer or a tuple of {rank} integers, received {value!r}")
    if min(values) < minimum:
        _fail(argument, f"every value must be at least {minimum}, received {value!r}")
    return tuple(values)


def _padding(value, allowed, layer_name):
    """Conv padding: 'valid', 'same' or, for Conv1D only, 'causal'; case-insensitive."""
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        note = " (only Conv1D accepts 'causal')" if padding == "causal" else ""
        _fail("padding", f"must be one of {', '.join(map(repr, allowed))} for {layer_name}{note}, received {value!r}")
    return padding


def _data_format(value):
    data_format = "channels_last" if value is None else str(value).lower()
    if data_format not in ("channels_last", "channels_first"):
        _fail("data_format", f"must be 'channels_last', 'channels_first' or None, received {value!r}")
    return data_format


def _no_strided_dilation(strides, dilation, layer_name):
    if max(strides) > 1 and max(dilation) > 1:
        _fail(
            "strides",
            f"{layer_name} does not support strides > 1 together with dilation_rate > 1, "
            f"received strides={strides} and dilation_rate={dilation}",
        )


# ----------------------------------------------------------------------------------------------
# Input shapes


def _shape(value, min_rank=1, exact_rank=None, argument="input_shape"):
    """A shape as a tuple, checked: positive ints or None, and the right rank."""
    if not isinstance(value, (tuple, list)) or not all(d is None or (_is_int(d) and d > 0) for d in value):
        _fail(argument, f"must be a tuple of positive integers or None, received {value!r}")
    if len(value) < min_rank or exact_rank not in (None, len(value)):
        wanted = exact_rank if exact_rank is not None else f"at least {min_rank}"
        _fail(argument, f"expected {wanted} dimensions including the batch, received {value!r}")
    return tuple(value)


def _known(length, what):
    if length is None:
        _fail("input_shape", f"the {what} must be known (not None) because weight shapes depend on it")
    return length


def _split(input_shape, rank, data_format):
    """(batch, spatial lengths, channels) of an input with ``rank`` spatial axes."""
    shape = _shape(input_shape, exact_rank=rank + 2)
    if data_format == "channels_last":
        return shape[0], shape[1:-1], shape[-1]
    return shape[0], shape[2:], shape[1]


def _join(batch, spatial, channels, data_format):
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def _positions(lengths):
    """Number of positions of a grid, or None if a length is unknown."""
    return None if None in lengths else prod(lengths)


def _times(*factors):
    return None if None in factors else prod(factors)


# ----------------------------------------------------------------------------------------------
# The per-axis length formulas


def _dilated(k, d):
    """How many input positions a kernel of size ``k`` with dilation ``d`` spans: ``K``."""
    return d * (k - 1) + 1


def _window_length(n, k, s, d, padding):
    """Output length of a convolution or pooling window sliding over ``n`` positions."""
    if n is None:
        return None
    if padding == "valid":
        return (n - _dilated(k, d)) // s + 1
    return (n - 1) // s + 1  # 'same' and 'causal': ceil(n / s)


def _transposed_length(n, k, s, d, padding, output_padding):
    """Output length of a transposed convolution (Keras's ``compute_conv_transpose_output_shape``)."""
    if n is None:
        return None
    k = _dilated(k, d)
    if padding == "valid":
        extra = max(k, s) - k if output_padding is None else output_padding
        return (n - 1) * s + k + extra
    if output_padding is None:
        return n * s
    return (n - 1) * s + k % 2 + output_padding


def _window_lengths(spatial, kernel, strides, dilation, padding, argument):
    """All output lengths of a sliding window; an error where one would be < 1."""
    lengths = tuple(map(_window_length, spatial, kernel, strides, dilation, (padding,) * len(spatial)))
    for axis, (n, k, d, m) in enumerate(zip(spatial, kernel, dilation, lengths, strict=True)):
        if m is not None and m < 1:
            _fail(
                argument,
                f"the window spans {_dilated(k, d)} positions but spatial axis {axis} of the input "
                f"has only {n}, so padding='valid' leaves no output; use padding='same' or a smaller window",
            )
    return lengths


# ----------------------------------------------------------------------------------------------
# Convolution layers. Each family returns (weight shapes, output shape, MACs).


def _conv_arguments(args, rank, layer_name, allowed_padding=("valid", "same")):
    """The arguments that every convolution shares, checked in Keras's order."""
    kernel = _int_tuple(args["kernel_size"], rank, "kernel_size")
    strides = _int_tuple(args["strides"], rank, "strides")
    dilation = _int_tuple(args["dilation_rate"], rank, "dilation_rate")
    padding = _padding(args["padding"], allowed_padding, layer_name)
    return kernel, strides, dilation, padding, _data_format(args["data_format"])


def _bias(size, args):
    return [(size,)] if args["use_bias"] else []


def _conv(args, rank, input_shape, layer_name):
    filters = _positive_int(args["filters"], "filters")
    kernel, strides, dilation, padding, data_format = _conv_arguments(
        args, rank, layer_name, ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    )
    groups = _positive_int(args["groups"], "groups")
    if filters % groups:
        _fail("groups", f"filters ({filters}) must be divisible by groups ({groups})")
    _no_strided_dilation(strides, dilation, layer_name)
    batch, spatial, channels = _split(input_shape, rank, data_format)
    if _known(channels, "channel dimension") % groups:
        _fail("groups", f"the input channels ({channels}) must be divisible by groups ({groups})")
    lengths = _window_lengths(spatial, kernel, strides, dilation, padding, "kernel_size")
    weights = [(*kernel, channels // groups, filters), *_bias(filters, args)]
    macs = _times(_positions(lengths), prod(kernel), channels // groups, filters)
    return weights, _join(batch, lengths, filters, data_format), macs


def _depthwise(args, rank, input_shape, layer_name):
    multiplier = _positive_int(args["depth_multiplier"], "depth_multiplier")
    kernel, strides, dilation, padding, data_format = _conv_arguments(args, rank, layer_name)
    batch, spatial, channels = _split(input_shape, rank, data_format)
    outputs = _known(channels, "channel dimension") * multiplier
    lengths = _window_lengths(spatial, kernel, strides, dilation, padding, "kernel_size")
    weights = [(*kernel, channels, multiplier), *_bias(outputs, args)]
    macs = _times(_positions(lengths), prod(kernel), outputs)
    return weights, _join(batch, lengths, outputs, data_format), macs


def _separable(args, rank, input_shape, layer_name):
    multiplier = _positive_int(args["depth_multiplier"], "depth_multiplier")
    filters = _positive_int(args["filters"], "filters")
    kernel, strides, dilation, padding, data_format = _conv_arguments(args, rank, layer_name)
    batch, spatial, channels = _split(input_shape, rank, data_format)
    middle = _known(channels, "channel dimension") * multiplier  # channels between the two parts
    lengths = _window_lengths(spatial, kernel, strides, dilation, padding, "kernel_size")
    weights = [(*kernel, channels, multiplier), (*(1,) * rank, middle, filters), *_bias(filters, args)]
    macs = _times(_positions(lengths), middle, prod(kernel) + filters)  # depthwise + pointwise
    return weights, _join(batch, lengths, filters, data_format), macs


def _transposed(args, rank, input_shape, layer_name):
    filters = _positive_int(args["filters"], "filters")
    kernel, strides, dilation, padding, data_format = _conv_arguments(args, rank, layer_name)
    output_padding = args["output_padding"]
    if output_padding is not None:
        output_padding = _int_tuple(output_padding, rank, "output_padding", minimum=0)
        if any(p >= s for p, s in zip(output_padding, strides, strict=True)):
            _fail(
                "output_padding",
                f"every value must be smaller than the stride on its axis, "
                f"received output_padding={output_padding} and strides={strides}",
            )
    _no_strided_dilation(strides, dilation, layer_name)
    batch, spatial, channels = _split(input_shape, rank, data_format)
    _known(channels, "channel dimension")
    if padding == "same" and output_padding is not None:
        for axis, (k, d, p) in enumerate(zip(kernel, dilation, output_padding, strict=True)):
            if p == 0 and _dilated(k, d) % 2 == 0:
                _fail(
                    "output_padding",
                    f"0 on spatial axis {axis}, where the dilated kernel spans an even {_dilated(k, d)} positions, "
                    "asks for one stride less than the TensorFlow backend can produce with padding='same', so "
                    "calling the layer fails; use output_padding=None, or 1 with strides > 1",
                )
    paddings = (None,) * rank if output_padding is None else output_padding
    lengths = tuple(map(_transposed_length, spatial, kernel, strides, dilation, (padding,) * rank, paddings))
    weights = [(*kernel, filters, channels), *_bias(filters, args)]
    macs = _times(_positions(spatial), prod(kernel), channels, filters)
    return weights, _join(batch, lengths, filters, data_format), macs


# ----------------------------------------------------------------------------------------------
# Other layers of the keras.applications models, and their 1-D and 3-D siblings.


def _pooling(args, rank, input_shape, layer_name):
    pool = _int_tuple(args["pool_size"], rank, "pool_size")
    strides = pool if args["strides"] is None else _int_tuple(args["strides"], rank, "strides")
    if args["padding"] not in ("valid", "same"):  # case-sensitive, like Keras's compute_output_shape
        _fail("padding", f"{layer_name} accepts 'valid' or 'same' (lower case), received {args['padding']!r}")
    data_format = _data_format(args["data_format"])
    batch, spatial, channels = _split(input_shape, rank, data_format)
    lengths = _window_lengths(spatial, pool, strides, (1,) * rank, args["padding"], "pool_size")
    return [], _join(batch, lengths, channels, data_format), 0


def _global_pooling(args, rank, input_shape, layer_name):
    data_format = _data_format(args["data_format"])
    batch, _, channels = _split(input_shape, rank, data_format)
    if args["keepdims"]:
        return [], _join(batch, (1,) * rank, channels, data_format), 0
    return [], (batch, channels), 0


def _zero_padding(args, rank, input_shape, layer_name):
    value = args["padding"]
    # ZeroPadding1D: an int or one (left, right) pair. 2D/3D: an int, or one int or pair per axis.
    per_axis = [value] if rank == 1 else [value] * rank if _is_int(value) else value
    if not isinstance(per_axis, (tuple, list)) or len(per_axis) != rank:
        _fail("padding", f"must be an integer or a tuple of {rank} entries, received {value!r}")
    pairs = [_int_tuple(axis, 2, "padding", minimum=0) for axis in per_axis]
    data_format = _data_format(args["data_format"])
    batch, spatial, channels = _split(input_shape, rank, data_format)
    lengths = tuple(None if n is None else n + left + right for n, (left, right) in zip(spatial, pairs, strict=True))
    return [], _join(batch, lengths, channels, data_format), 0


def _batch_normalization(args, rank, input_shape, layer_name):
    shape = _shape(input_shape)
    axis = args["axis"]
    if not _is_int(axis) or not -len(shape) <= axis < len(shape):
        _fail("axis", f"must be an integer axis of the {len(shape)}-dimensional input, received {axis!r}")
    features = (_known(shape[axis], f"length of axis {axis}"),)
    # gamma, beta, moving_mean, moving_variance, then moving_stddev, renorm_mean, renorm_stddev with renorm
    count = bool(args["scale"]) + bool(args["center"]) + 2 + (3 if args["renorm"] else 0)
    return [features] * count, shape, 0


def _dense(args, rank, input_shape, layer_name):
    units = _positive_int(args["units"], "units")
    for argument in ("lora_rank", "lora_alpha", "quantization_config"):
        if args[argument] is not None:
            _fail(argument, "LoRA and quantized Dense layers are not modelled here; pass None")
    shape = _shape(input_shape, min_rank=2)
    inputs = _known(shape[-1], "last dimension")
    weights = [(inputs, units), *_bias(units, args)]
    return weights, (*shape[:-1], units), _times(_positions(shape[1:-1]), inputs, units)


def _same_shape(args, rank, input_shape, layer_name):
    """No weights, and the output has the input's shape (Activation)."""
    return [], _shape(input_shape), 0


def _relu(args, rank, input_shape, layer_name):
    if args["max_value"] is not None and args["max_value"] < 0:
        _fail("max_value", f"cannot be negative, received {args['max_value']!r}")
    for argument in ("negative_slope", "threshold"):
        if args[argument] is None or args[argument] < 0:
            _fail(argument, f"cannot be None or negative, received {args[argument]!r}")
    return _same_shape(args, rank, input_shape, layer_name)


def _dropout(args, rank, input_shape, layer_name):
    if not 0 <= args["rate"] <= 1:
        _fail("rate", f"must be between 0 and 1, received {args['rate']!r}")
    return _same_shape(args, rank, input_shape, layer_name)


def _flatten(args, rank, input_shape, layer_name):
    _data_format(args["data_format"])  # channels_first only changes the order of the values
    shape = _shape(input_shape)
    return [], (shape[0], _positions(shape[1:])), 0


def _reshape(args, rank, input_shape, layer_name):
    target = args["target_shape"]
    if not isinstance(target, (tuple, list)) or not all(d is None or (_is_int(d) and d >= -1) for d in target):
        _fail("target_shape", f"must be a tuple of non-negative integers and at most one -1, received {target!r}")
    if list(target).count(-1) > 1:
        _fail("target_shape", f"can contain at most one -1, received {target!r}")
    shape = _shape(input_shape)
    size = _positions(shape[1:])
    if size is None or None in target:  # then the -1 stays unknown
        return [], (shape[0], *(None if d == -1 else d for d in target)), 0
    known = prod(d for d in target if d != -1)
    fits = (known > 0 and size % known == 0) if -1 in target else size == known
    if not fits:
        _fail("target_shape", f"{target!r} cannot hold the {size} values of an input of shape {shape}")
    return [], (shape[0], *(size // known if d == -1 else d for d in target)), 0


def _broadcast(first, second):
    """Keras's merge-layer rule for two shapes without their batch dimension."""
    if len(first) < len(second):
        first, second = second, first
    head, tail = first[: len(first) - len(second)], first[len(first) - len(second) :]
    merged = []
    for a, b in zip(tail, second, strict=True):  # aligned on the right
        if a is not None and b is not None and 1 not in (a, b) and a != b:
            _fail("input_shape", f"the inputs cannot be added: lengths {a} and {b} differ and neither is 1")
        merged.append(None if None in (a, b) else max(a, b))  # a length of 1 stretches
    return (*head, *merged)


def _add(args, rank, input_shape, layer_name):
    if not isinstance(input_shape, (tuple, list)) or not input_shape:
        _fail("input_shape", f"{layer_name} takes a non-empty list of input shapes, received {input_shape!r}")
    shapes = [_shape(shape) for shape in input_shape]
    batches = {shape[0] for shape in shapes} - {None}
    if len(batches) > 1:
        _fail("input_shape", f"the inputs have different batch sizes: {input_shape!r}")
    output = shapes[0][1:]
    for shape in shapes[1:]:
        output = _broadcast(output, shape[1:])
    return [], (batches.pop() if batches else None, *output), 0


def _input_layer(args, rank, input_shape, layer_name):
    """InputLayer: the output shape comes from the config; ``input_shape`` is not used."""
    shape, batch_size, batch_shape = args["shape"], args["batch_size"], args["batch_shape"]
    if args["input_tensor"] is not None:
        _fail("input_tensor", "is not modelled here; pass shape or batch_shape instead")
    if batch_shape is not None:
        if shape is not None or batch_size is not None:
            _fail("batch_shape", "cannot be combined with shape or batch_size")
        return [], _shape(batch_shape, argument="batch_shape"), 0
    if shape is None:
        _fail("shape", "InputLayer needs shape or batch_shape")
    if batch_size is not None:
        _positive_int(batch_size, "batch_size")
    if not isinstance(shape, (tuple, list)):
        _fail("shape", f"must be a tuple of positive integers or None, received {shape!r}")
    return [], _shape((batch_size, *shape), argument="shape"), 0


# ----------------------------------------------------------------------------------------------
# Which layers exist. For each: the function of its family; the number of spatial axes, which is
# the digit in the class name (None for layers without one, which take inputs of any rank); the
# constructor arguments that shape the result, with Keras's defaults; and the arguments that only
# change values, which are accepted unchecked.

_LAYERS = {}


def _register(function, names, arguments, value_only=""):
    for name in names.split():
        rank = next((int(c) for c in name if c.isdigit()), None)
        _LAYERS[name] = (function, rank, arguments, tuple(value_only.split()))


_CONV_VALUES = "activation kernel_initializer bias_initializer kernel_regularizer bias_regularizer kernel_constraint "
_CONV_VALUES += "bias_constraint"
_DEPTHWISE_VALUES = _CONV_VALUES.replace("kernel", "depthwise")
_SEPARABLE_VALUES = _DEPTHWISE_VALUES + " pointwise_initializer pointwise_regularizer pointwise_constraint"
_BN_VALUES = "momentum epsilon beta_initializer gamma_initializer moving_mean_initializer moving_variance_initializer "
_BN_VALUES += "beta_regularizer gamma_regularizer beta_constraint gamma_constraint renorm_clipping renorm_momentum "
_BN_VALUES += "synchronized"
_WINDOW = {"kernel_size": REQUIRED, "strides": 1, "padding": "valid", "data_format": None, "dilation_rate": 1}
_CONV = {**_WINDOW, "use_bias": True}
_POOLING = {"pool_size": 2, "strides": None, "padding": "valid", "data_format": None}
_NO_LORA = {"lora_rank": None, "lora_alpha": None, "quantization_config": None}

_register(_conv, "Conv1D Conv2D Conv3D", {"filters": REQUIRED, **_CONV, "groups": 1}, _CONV_VALUES)
_register(
    _separable,
    "SeparableConv1D SeparableConv2D",
    {"filters": REQUIRED, **_CONV, "depth_multiplier": 1},
    _SEPARABLE_VALUES,
)
_register(_depthwise, "DepthwiseConv1D DepthwiseConv2D", {**_CONV, "depth_multiplier": 1}, _DEPTHWISE_VALUES)
_register(
    _transposed,
    "Conv1DTranspose Conv2DTranspose Conv3DTranspose",
    {"filters": REQUIRED, **_CONV, "output_padding": None},
    _CONV_VALUES,
)
_register(_pooling, "MaxPooling1D MaxPooling2D MaxPooling3D", _POOLING)
_register(_pooling, "AveragePooling1D AveragePooling2D AveragePooling3D", {**_POOLING, "pool_size": REQUIRED})
_register(
    _global_pooling,
    "GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D "
    "GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D",
    {"data_format": None, "keepdims": False},
)
_register(_zero_padding, "ZeroPadding1D ZeroPadding2D ZeroPadding3D", {"padding": 1, "data_format": None})
_register(
    _batch_normalization, "BatchNormalization", {"axis": -1, "center": True, "scale": True, "renorm": False}, _BN_VALUES
)
_register(_dense, "Dense", {"units": REQUIRED, "use_bias": True, **_NO_LORA}, _CONV_VALUES)
_register(_same_shape, "Activation", {"activation": REQUIRED})
_register(_relu, "ReLU", {"max_value": None, "negative_slope": 0.0, "threshold": 0.0})
_register(_dropout, "Dropout", {"rate": REQUIRED}, "noise_shape seed")
_register(_flatten, "Flatten", {"data_format": None})
_register(_reshape, "Reshape", {"target_shape": REQUIRED})
_register(_add, "Add", {})
_register(
    _input_layer,
    "InputLayer",
    {"shape": None, "batch_size": None, "batch_shape": None, "input_tensor": None},
    "sparse ragged optional",
)

SUPPORTED_LAYERS = tuple(sorted(_LAYERS))

# The ten convolution layers: their family and their number of spatial axes.
CONVOLUTIONS = {
    name: (family, _LAYERS[name][1])
    for family, names in (
        ("standard", "Conv1D Conv2D Conv3D"),
        ("separable", "SeparableConv1D SeparableConv2D"),
        ("depthwise", "DepthwiseConv1D DepthwiseConv2D"),
        ("transposed", "Conv1DTranspose Conv2DTranspose Conv3DTranspose"),
    )
    for name in names.split()
}


def layer_info(layer_name, config, input_shape):
    """Parameter count, weight shapes, output shape and MACs of one Keras layer (see the module doc)."""
    if layer_name not in _LAYERS:
        _fail("layer_name", f"{layer_name!r} is not one of the supported layers: {', '.join(sorted(_LAYERS))}")
    function, rank, defaults, value_only = _LAYERS[layer_name]
    if not isinstance(config, dict):
        _fail("config", f"must be a dict of keyword arguments, received {config!r}")
    for key in config:
        if key not in defaults and key not in value_only and key not in _BASE_ARGUMENTS:
            _fail(key, f"not an argument of {layer_name} that this module knows")
    for key, default in defaults.items():
        if default is REQUIRED and key not in config:
            _fail(key, f"{layer_name} requires this argument")
    args = {key: config.get(key, default) for key, default in defaults.items()}
    weight_shapes, output_shape, macs = function(args, rank, input_shape, layer_name)
    return {
        "params": sum(prod(shape) for shape in weight_shapes),
        "weight_shapes": weight_shapes,
        "output_shape": output_shape,
        "macs": macs,
    }


def value_arguments(layer_name):
    """The arguments of a layer that change its values, never its shapes: accepted and not checked."""
    if layer_name not in _LAYERS:
        _fail("layer_name", f"{layer_name!r} is not one of the supported layers: {', '.join(SUPPORTED_LAYERS)}")
    return _BASE_ARGUMENTS + _LAYERS[layer_name][3]


# ----------------------------------------------------------------------------------------------
# Which input position feeds which output position, and which channel feeds which channel: the
# same answers as windowMap and channelMap of docs/javascripts/conv-calculator.mjs, checked against
# Keras by tests/calculator/window-vectors.json (scripts/make_window_vectors.py).


def _window_geometry(layer_name, config, input_shape):
    """Output shape, and per spatial axis (n, m, k, s, d, K, before, after, transposed)."""
    if layer_name not in CONVOLUTIONS:
        _fail("layer_name", f"{layer_name!r} is not one of the convolution layers: {', '.join(CONVOLUTIONS)}")
    output_shape = layer_info(layer_name, config, input_shape)["output_shape"]  # every check Keras makes
    family, rank = CONVOLUTIONS[layer_name]
    args = {key: config.get(key, default) for key, default in _LAYERS[layer_name][2].items()}
    paddings = ("valid", "same", "causal")  # layer_info has checked that only Conv1D gets "causal"
    kernel, strides, dilation, padding, data_format = _conv_arguments(args, rank, layer_name, paddings)
    _, spatial, _ = _split(input_shape, rank, data_format)
    _, lengths, _ = _split(output_shape, rank, data_format)
    if None in spatial:
        _fail("input_shape", f"every spatial length must be known to map the window, received {input_shape!r}")
    axes = []
    for n, m, k, s, d in zip(spatial, lengths, kernel, strides, dilation, strict=True):
        span = _dilated(k, d)
        if family == "transposed":
            before = max((n - 1) * s + span - m, 0) // 2
            after = (n - 1) * s + span - before - m
        elif padding == "causal":
            before, after = span - 1, 0
        elif padding == "same":
            total = max((m - 1) * s + span - n, 0)
            before, after = total // 2, total - total // 2
        else:
            before, after = 0, 0
        axes.append((n, m, k, s, d, before, family == "transposed", after))
    return output_shape, axes


def _axis_links(n, m, k, s, d, before, transposed, after):
    """For each output position along one axis, its (input position, tap) pairs, by input position."""
    by_out = [[] for _ in range(m)]
    for first in range(n if transposed else m):
        for tap in range(k):
            second = first * s + tap * d - before
            if transposed and 0 <= second < m:
                by_out[second].append((first, tap))
            elif not transposed and 0 <= second < n:
                by_out[first].append((second, tap))
    return [sorted(pairs) for pairs in by_out]


def window_map(layer_name, config, input_shape):
    """Which input positions each kernel tap carries into each output position, as Keras computes.

    Same arguments as ``layer_info``, for the ten convolution layers. Returns a dict:

    * ``output_shape``: as ``layer_info`` returns it;
    * ``padding``: per spatial axis ``(before, after)``. Convolutions: the zeros Keras adds before and
      after the input (``"same"`` splits ``(m - 1)*s + K - n``, if positive, with the smaller half
      before, so an odd total puts its extra zero after the input; ``"causal"`` is ``(K - 1, 0)``).
      Transposed: the positions cropped from the start and the end of the full output of
      ``(n - 1)*s + K`` positions; a negative ``after`` is that many positions added at the end
      (by ``output_padding``, or a stride larger than ``K``), which no input reaches;
    * ``links``: every ``(out, in, tap)``, each a tuple of one int per spatial axis, such that input
      position ``in`` is multiplied by kernel tap ``tap`` (an index into the spatial axes of
      ``layer.kernel``, or of ``depthwise_kernel`` for the separable layers) into output position
      ``out``. Per axis, with ``b = before``: convolutions ``in = out*s + tap*d - b`` (taps on padding
      are left out); transposed ``out = in*s + tap*d - b`` (cropped outputs are left out). Sorted by
      ``out``, then ``in``.

    Raises ``ValueError`` wherever ``layer_info`` does, for the other layers, and when a spatial length
    is unknown (None). Channels play no part; see ``channel_map``.
    """
    output_shape, axes = _window_geometry(layer_name, config, input_shape)
    per_axis = [_axis_links(*axis) for axis in axes]
    links = []
    for out in product(*(range(axis[1]) for axis in axes)):
        for pairs in product(*(per_axis[i][o] for i, o in enumerate(out))):
            links.append((out, tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)))
    return {
        "output_shape": output_shape,
        "padding": tuple((axis[5], axis[7]) for axis in axes),
        "links": links,
    }


def channel_map(layer_name, config, input_shape):
    """Which input channels feed which output channels, through which weights.

    Same arguments as ``layer_info``, for the ten convolution layers. Returns a dict with
    ``in_channels``, ``out_channels`` and ``stages``: the kernels a value passes through, in order (two
    for the separable layers, one for the others). Each stage is a dict with ``kernel`` (the weight's
    name in ``layer.weights``: ``"kernel"``, or ``"depthwise_kernel"`` then ``"pointwise_kernel"``),
    ``in_channels``, ``out_channels`` and ``links``: every ``(out, in, a, b)`` such that weight
    ``[..., a, b]`` of that kernel carries channel ``in`` of the stage's input into channel ``out`` of
    its output, sorted. The rules: Conv, with ``C`` inputs, ``F`` filters and ``g`` groups, links ``in``
    and ``out`` of the same group (``in // (C/g) == out // (F/g)``) by ``[in % (C/g), out]``; depthwise,
    multiplier ``q``: ``in`` feeds ``in*q + j`` by ``[in, j]`` for ``j < q``; separable: that stage into
    ``C*q`` middle channels, then every middle channel feeds every filter by ``[middle, out]``;
    transposed: every ``in`` feeds every filter by ``[out, in]``.
    """
    if layer_name not in CONVOLUTIONS:
        _fail("layer_name", f"{layer_name!r} is not one of the convolution layers: {', '.join(CONVOLUTIONS)}")
    info = layer_info(layer_name, config, input_shape)
    family, _ = CONVOLUTIONS[layer_name]
    first = info["weight_shapes"][0]  # (*kernel_size, a, b): the two axes that wire the channels
    if family == "transposed":  # (..., filters, channels)
        stages = [("kernel", first[-1], first[-2], lambda o, i: (o, i))]
    elif family == "standard":  # (..., channels / groups, filters)
        per_in, filters = first[-2], first[-1]
        groups = config.get("groups", 1)
        per_out = filters // groups
        grouped = lambda o, i: (i % per_in, o) if i // per_in == o // per_out else None  # noqa: E731
        stages = [("kernel", per_in * groups, filters, grouped)]
    else:  # (..., channels, depth_multiplier)
        channels, multiplier = first[-2], first[-1]
        name = "kernel" if family == "depthwise" else "depthwise_kernel"
        depthwise = lambda o, i: (i, o % multiplier) if o // multiplier == i else None  # noqa: E731
        stages = [(name, channels, channels * multiplier, depthwise)]
        if family == "separable":
            filters = info["weight_shapes"][1][-1]
            stages.append(("pointwise_kernel", channels * multiplier, filters, lambda o, i: (i, o)))
    result = []
    for name, ins, outs, rule in stages:
        links = [(o, i, *rule(o, i)) for o in range(outs) for i in range(ins) if rule(o, i) is not None]
        result.append({"kernel": name, "in_channels": ins, "out_channels": outs, "links": links})
    return {"in_channels": stages[0][1], "out_channels": stages[-1][2], "stages": result}

# ----------------------------------------------------------------------------------------------
# More layers: merging, normalization, cropping, upsampling, permutation, adaptive pooling, a few
# activations, and the two custom layers of keras.applications. The same conventions as above: the
# weights in Keras's order, the output shape, and MACs (0: only convolutions and Dense multiply by
# kernel weights).


def _merge(args, rank, input_shape, layer_name):
    """Subtract, Multiply, Average, Maximum, Minimum: like Add; Subtract takes exactly two inputs."""
    if layer_name == "Subtract" and (not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2):
        _fail("input_shape", f"Subtract takes a list of exactly 2 input shapes, received {input_shape!r}")
    return _add(args, rank, input_shape, layer_name)


def _concatenate(args, rank, input_shape, layer_name):
    if not isinstance(input_shape, (tuple, list)) or not input_shape:
        _fail("input_shape", f"Concatenate takes a non-empty list of input shapes, received {input_shape!r}")
    shapes = [_shape(shape, min_rank=2) for shape in input_shape]
    axis = args["axis"]
    if len({len(shape) for shape in shapes}) > 1:
        _fail("input_shape", f"the inputs of Concatenate must have the same rank, received {input_shape!r}")
    if not _is_int(axis) or not -len(shapes[0]) <= axis < len(shapes[0]):
        _fail("axis", f"must be an axis of the {len(shapes[0])}-dimensional inputs, received {axis!r}")
    axis %= len(shapes[0])
    for position in range(len(shapes[0])):
        lengths = {shape[position] for shape in shapes} - {None}
        if position != axis and len(lengths) > 1:
            _fail("input_shape", f"the inputs' lengths must match except on axis {axis}, received {input_shape!r}")
    output = list(shapes[0])
    lengths = [shape[axis] for shape in shapes]
    output[axis] = None if None in lengths else sum(lengths)
    return [], tuple(output), 0


def _axes(value, ndim, argument):
    """One int or a list of ints, each an axis of an ``ndim``-dimensional input, as sorted positive axes."""
    values = [value] if _is_int(value) else value
    if not isinstance(values, (tuple, list)) or not values or not all(map(_is_int, values)):
        _fail(argument, f"must be an integer or a list of integers, received {value!r}")
    if not all(-ndim <= v < ndim for v in values):
        _fail(argument, f"every axis must be between {-ndim} and {ndim - 1} for this input, received {value!r}")
    return sorted({v % ndim for v in values})


def _layer_normalization(args, rank, input_shape, layer_name):
    shape = _shape(input_shape)
    axes = _axes(args["axis"], len(shape), "axis")
    features = tuple(_known(shape[axis], f"length of axis {axis}") for axis in axes)
    rms = bool(args["rms_scaling"])
    count = bool(args["scale"] or rms) + bool(args["center"] and not rms)  # gamma, then beta
    return [features] * count, shape, 0


def _group_normalization(args, rank, input_shape, layer_name):
    shape = _shape(input_shape)
    groups = args["groups"]
    if not _is_int(groups) or (groups < 1 and groups != -1):
        _fail("groups", f"must be a positive integer or -1, received {groups!r}")
    (axis,) = _axes(args["axis"], len(shape), "axis") if _is_int(args["axis"]) else _fail("axis", "must be an integer")
    channels = _known(shape[axis], f"length of axis {axis}")
    groups = channels if groups == -1 else groups
    if channels < groups or channels % groups:
        _fail("groups", f"must divide the {channels} channels of axis {axis}, received {groups}")
    return [(channels,)] * (bool(args["scale"]) + bool(args["center"])), shape, 0


def _nested_shape(value):
    """The shape of a number or of nested lists of numbers, as numpy would give it."""
    if isinstance(value, (tuple, list)):
        inner = {_nested_shape(item) for item in value}
        if len(inner) > 1:
            _fail("mean", f"must be a number or a regular nested list of numbers, received {value!r}")
        return (len(value), *(inner.pop() if inner else ()))
    return ()


def _normalization(args, rank, input_shape, layer_name):
    """Normalization: mean, variance and count are weights only when ``mean`` is not given."""
    shape = _shape(input_shape)
    kept = [] if args["axis"] in (None, (), []) else _axes(args["axis"], len(shape), "axis")
    if (args["mean"] is None) != (args["variance"] is None):
        _fail("mean", "mean and variance must be given together")
    if args["mean"] is not None:
        mean, variance = _nested_shape(args["mean"]), _nested_shape(args["variance"])
        dims = [shape[axis] for axis in kept]
        fits = len(mean) <= len(dims) and all(m in (1, d) for m, d in zip(mean[::-1], dims[::-1], strict=False))
        if mean != variance or not fits:
            _fail(
                "mean",
                f"mean and variance must have one shape that fits the axes {dims}, received {mean} and {variance}",
            )
        return [], shape, 0
    features = tuple(_known(shape[axis], f"length of axis {axis}") for axis in kept)
    return [features, features, ()], shape, 0


def _scale_layer(args, rank, input_shape, layer_name):
    """ConvNeXt's LayerScale: the input times a learned vector of ``projection_dim`` values on its last axis."""
    dim = _positive_int(args["projection_dim"], "projection_dim")
    shape = _shape(input_shape, min_rank=2)
    if shape[-1] not in (None, dim, 1):
        _fail("projection_dim", f"{dim} does not match the input's last axis ({shape[-1]})")
    return [(dim,)], (*shape[:-1], dim) if shape[-1] == 1 else shape, 0


def _custom_scale(args, rank, input_shape, layer_name):
    """Inception-ResNet's CustomScaleLayer: ``inputs[0] + inputs[1] * scale``."""
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2:
        _fail("input_shape", f"{layer_name} takes a list of exactly 2 input shapes, received {input_shape!r}")
    return _add(args, rank, input_shape, layer_name)


def _spatial_dropout(args, rank, input_shape, layer_name):
    _data_format(args.get("data_format"))
    _shape(input_shape, exact_rank=rank + 2)
    return _dropout(args, rank, input_shape, layer_name)


def _permute(args, rank, input_shape, layer_name):
    dims = args["dims"]
    if not isinstance(dims, (tuple, list)) or sorted(dims) != list(range(1, len(dims) + 1)):
        _fail("dims", f"must be a permutation of 1, ..., n, received {dims!r}")
    shape = _shape(input_shape, exact_rank=len(dims) + 1)
    return [], (shape[0], *(shape[d] for d in dims)), 0


def _pairs(value, rank, argument):
    """Cropping1D: an int or one (left, right) pair; 2D/3D: an int, or one int or pair per axis."""
    per_axis = [value] if rank == 1 else [value] * rank if _is_int(value) else value
    if not isinstance(per_axis, (tuple, list)) or len(per_axis) != rank:
        _fail(argument, f"must be an integer or a tuple of {rank} entries, received {value!r}")
    return [_int_tuple(axis, 2, argument, minimum=0) for axis in per_axis]


def _cropping(args, rank, input_shape, layer_name):
    pairs = _pairs(args["cropping"], rank, "cropping")
    data_format = _data_format(args.get("data_format"))
    batch, spatial, channels = _split(input_shape, rank, data_format)
    lengths = tuple(None if n is None else n - a - b for n, (a, b) in zip(spatial, pairs, strict=True))
    for axis, (n, m) in enumerate(zip(spatial, lengths, strict=True)):
        if m is not None and m < 1:
            _fail("cropping", f"removes all {n} positions of spatial axis {axis}, received {args['cropping']!r}")
    return [], _join(batch, lengths, channels, data_format), 0


def _upsampling(args, rank, input_shape, layer_name):
    if rank == 1 and not _is_int(args["size"]):
        _fail("size", f"must be an integer for UpSampling1D, received {args['size']!r}")
    size = _int_tuple(args["size"], rank, "size")
    data_format = _data_format(args.get("data_format"))
    batch, spatial, channels = _split(input_shape, rank, data_format)
    lengths = tuple(None if n is None else n * f for n, f in zip(spatial, size, strict=True))
    return [], _join(batch, lengths, channels, data_format), 0


def _adaptive_pooling(args, rank, input_shape, layer_name):
    size = _int_tuple(args["output_size"], rank, "output_size")
    data_format = _data_format(args["data_format"])
    batch, _, channels = _split(input_shape, rank, data_format)
    return [], _join(batch, size, channels, data_format), 0


def _softmax(args, rank, input_shape, layer_name):
    shape = _shape(input_shape)
    _axes(args["axis"], len(shape), "axis")
    return [], shape, 0


def _leaky_relu(args, rank, input_shape, layer_name):
    if args["negative_slope"] is None or args["negative_slope"] < 0:
        _fail("negative_slope", f"cannot be None or negative, received {args['negative_slope']!r}")
    return _same_shape(args, rank, input_shape, layer_name)


_NORM_VALUES = "epsilon beta_initializer gamma_initializer beta_regularizer gamma_regularizer beta_constraint "
_NORM_VALUES += "gamma_constraint"

_register(_merge, "Subtract Multiply Average Maximum Minimum", {})
_register(_concatenate, "Concatenate", {"axis": -1})
_register(
    _layer_normalization,
    "LayerNormalization",
    {"axis": -1, "center": True, "scale": True, "rms_scaling": False},
    _NORM_VALUES,
)
_register(
    _group_normalization, "GroupNormalization", {"groups": 32, "axis": -1, "center": True, "scale": True}, _NORM_VALUES
)
_register(_normalization, "Normalization", {"axis": -1, "mean": None, "variance": None}, "invert")
_register(_same_shape, "Rescaling", {"scale": REQUIRED}, "offset")
_register(_spatial_dropout, "SpatialDropout1D", {"rate": REQUIRED}, "seed")
_register(_spatial_dropout, "SpatialDropout2D SpatialDropout3D", {"rate": REQUIRED, "data_format": None}, "seed")
_register(_permute, "Permute", {"dims": REQUIRED})
_register(_cropping, "Cropping1D", {"cropping": (1, 1)})
_register(_cropping, "Cropping2D", {"cropping": 0, "data_format": None})
_register(_cropping, "Cropping3D", {"cropping": 1, "data_format": None})
_register(_upsampling, "UpSampling1D", {"size": 2})
_register(_upsampling, "UpSampling2D", {"size": 2, "data_format": None, "interpolation": "nearest"})
_register(_upsampling, "UpSampling3D", {"size": 2, "data_format": None})
_register(
    _adaptive_pooling,
    "AdaptiveAveragePooling1D AdaptiveAveragePooling2D AdaptiveAveragePooling3D "
    "AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D",
    {"output_size": REQUIRED, "data_format": None},
)
_register(_leaky_relu, "LeakyReLU", {"negative_slope": 0.3})
_register(_same_shape, "ELU", {"alpha": 1.0})
_register(_softmax, "Softmax", {"axis": -1})
_register(_same_shape, "Identity", {})
# The custom layers of keras.applications, under their registered names.
_register(_scale_layer, "LayerScale", {"init_values": REQUIRED, "projection_dim": REQUIRED})
_register(_custom_scale, "CustomScaleLayer", {"scale": REQUIRED})

# Every class that layer_info and model_info know: SUPPORTED_LAYERS (checked against Keras on generated
# configurations in tests/test_conv_arithmetic.py) and the classes of this section.
MODEL_LAYERS = tuple(sorted(_LAYERS))


# ----------------------------------------------------------------------------------------------
# Receptive fields. A tensor's state is None (some output position depends on input positions
# beyond any window: Flatten, global pooling, a Dense over a spatial axis ...), or (source, axes):
# ``source`` names the model input it is measured on and ``axes`` has one entry per non-batch axis,
# False for an axis of features (channels) or (size, jump, start) for a spatial axis: output
# position j reads input positions start + j*jump ... start + j*jump + size - 1 of that axis.


def _fresh_state(source, shape, channels_first):
    """The state of a model input: every axis but the channels (last, or first) is spatial."""
    axes = len(shape) - 1
    channel = 0 if channels_first else axes - 1
    return source, tuple(False if axis == channel else (1, 1, 0) for axis in range(axes))


def _spatial_positions(rank, data_format):
    """Positions, among the non-batch axes, of the ``rank`` spatial axes and of the channel axis."""
    if data_format == "channels_last":
        return list(range(rank)), rank
    return list(range(1, rank + 1)), 0


def _left_padding(n, m, k, s, padding):
    """Zeros added before the first position by a window of ``k`` positions, stride ``s``, output ``m``."""
    if padding == "valid":
        return 0
    if padding == "causal":
        return k - 1
    if n is None:  # TensorFlow's 'same' pads max((m - 1)*s + k - n, 0) // 2 before
        return (k - 1) // 2 if s == 1 else None
    return max((m - 1) * s + k - n, 0) // 2


def _window_state(state, windows, rank, data_format, input_shape, output_shape):
    """A sliding window on each spatial axis; ``windows`` holds (span, stride, padding) per axis."""
    source, axes = state
    spatial, channel = _spatial_positions(rank, data_format)
    if axes[channel] is not False or any(axes[axis] is False for axis in spatial):
        return None  # the layer's channels are spatial positions of the input: it mixes them all
    new = list(axes)
    for axis, (k, s, padding) in zip(spatial, windows, strict=True):
        size, jump, start = axes[axis]
        left = _left_padding(input_shape[axis + 1], output_shape[axis + 1], k, s, padding)
        if left is None:
            return None
        new[axis] = (size + (k - 1) * jump, jump * s, start - left * jump)
    return source, tuple(new)


def _shift_state(state, pairs, rank, data_format, sign):
    """ZeroPadding (sign -1) and Cropping (sign +1): the first position moves by the left amount."""
    source, axes = state
    spatial, channel = _spatial_positions(rank, data_format)
    if axes[channel] is not False or any(axes[axis] is False for axis in spatial):
        return None
    new = list(axes)
    for axis, (left, _) in zip(spatial, pairs, strict=True):
        size, jump, start = axes[axis]
        new[axis] = (size, jump, start + sign * left * jump)
    return source, tuple(new)


def _union_state(states, input_shapes, output_shape, skip_axis=None):
    """Where branches join: on each spatial axis the smallest window that holds every branch's."""
    states = [state for state in states if state != "constant"]
    # None: a branch without a window, branches measured on different model inputs, or of other ranks.
    if (
        None in states
        or len({state[0] for state in states}) > 1
        or {len(state[1]) for state in states} != {len(output_shape) - 1}
    ):
        return None
    merged = []
    for axis in range(len(output_shape) - 1):
        entries = [state[1][axis] for state in states]
        if all(entry is False for entry in entries):
            merged.append(False)
            continue
        same_length = all(shape[axis + 1] == output_shape[axis + 1] for shape in input_shapes)
        if axis == skip_axis or False in entries or not same_length or len({e[1] for e in entries}) > 1:
            return None  # a spatial axis that is concatenated, broadcast, or mixed with features
        start = min(e[2] for e in entries)
        end = max(e[2] + e[0] for e in entries)
        merged.append((end - start, entries[0][1], start))
    return states[0][0], tuple(merged)


def _feature_axes_only(state, axes):
    """For layers that mix the values along ``axes`` (Dense, LayerNormalization, softmax)."""
    if state is None or any(state[1][axis] is not False for axis in axes):
        return None
    return state


_NO_WINDOW = (_transposed, _upsampling, _adaptive_pooling, _global_pooling, _flatten, _reshape, _group_normalization)
_MERGES = (_add, _merge, _custom_scale)


def _next_state(layer_name, args, states, input_shapes, output_shape):
    """The receptive-field state of a layer's output (see above)."""
    function, rank, _, _ = _LAYERS[layer_name]
    if function in _NO_WINDOW:
        # Transposed convolutions and upsampling: a window that moves by a fraction of a position.
        return None
    if function in _MERGES:
        return _union_state(states, input_shapes, output_shape)
    if function is _concatenate:
        return _union_state(states, input_shapes, output_shape, skip_axis=args["axis"] % len(output_shape) - 1)
    state, input_shape = states[0], input_shapes[0]
    if state is None:
        return None
    if function in (_conv, _depthwise, _separable):
        kernel, strides, dilation, padding, data_format = _conv_arguments(args, rank, layer_name, _PADDINGS)
        windows = [(_dilated(k, d), s, padding) for k, s, d in zip(kernel, strides, dilation, strict=True)]
        state = _window_state(state, windows, rank, data_format, input_shape, output_shape)
    elif function is _pooling:
        pool = _int_tuple(args["pool_size"], rank, "pool_size")
        strides = pool if args["strides"] is None else _int_tuple(args["strides"], rank, "strides")
        windows = [(k, s, args["padding"]) for k, s in zip(pool, strides, strict=True)]
        state = _window_state(state, windows, rank, _data_format(args["data_format"]), input_shape, output_shape)
    elif function is _zero_padding:
        pairs = _pairs(args["padding"], rank, "padding")
        state = _shift_state(state, pairs, rank, _data_format(args["data_format"]), -1)
    elif function is _cropping:
        pairs = _pairs(args["cropping"], rank, "cropping")
        state = _shift_state(state, pairs, rank, _data_format(args.get("data_format")), 1)
    elif function is _dense:
        state = _feature_axes_only(state, [len(state[1]) - 1])
    elif function is _layer_normalization:
        state = _feature_axes_only(state, [a - 1 for a in _axes(args["axis"], len(output_shape), "axis")])
    elif function is _softmax:
        state = _feature_axes_only(state, [a - 1 for a in _axes(args["axis"], len(output_shape), "axis")])
    elif function is _permute:
        axes = [state[1][d - 1] for d in args["dims"]]
        order = [args["dims"][i] for i, entry in enumerate(axes) if entry is not False]
        state = (state[0], tuple(axes)) if order == sorted(order) else None
    # Every other layer works on each position alone (activations, BatchNormalization at inference,
    # Dropout, Rescaling, Normalization, LayerScale ...). A softmax activation mixes the last axis.
    if state is not None and args.get("activation") in ("softmax", "log_softmax"):
        state = _feature_axes_only(state, [len(state[1]) - 1])
    return state


_PADDINGS = ("valid", "same", "causal")


def _receptive_field(state):
    if state is None:
        return None
    return [{"size": e[0], "jump": e[1], "start": e[2]} for e in state[1] if e is not False]


# ----------------------------------------------------------------------------------------------
# Whole models: model_info(model_config)

# The custom layers of keras.applications: (module, registered name) -> the name they are registered here.
_CUSTOM_LAYERS = {
    ("keras.src.applications.convnext", "LayerScale"): "LayerScale",
    ("keras.src.applications.inception_resnet_v2", "CustomScaleLayer"): "CustomScaleLayer",
}
# Keras operations that a functional model records as nodes (``x + y``, ``x * 0.5`` ...): elementwise, broadcasting.
_OPERATIONS = ("Add", "Subtract", "Multiply", "Divide", "TrueDivide", "Maximum", "Minimum")


def _not_a_model(value):
    _fail(
        "model_config",
        "expected the dict of a Sequential or Functional model's get_config(), or the "
        f"{{'class_name': ..., 'config': ...}} that model.to_json() writes; received {str(value)[:200]}",
    )


def _model_kind(config):
    """'Sequential' or 'Functional' for a model config without its class name."""
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        _not_a_model(config)
    return "Functional" if "input_layers" in config else "Sequential"


def _entry_kind(entry):
    """How to compute a layer entry: ('layer', name), ('operation', name) or ('model', class name)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict) or "class_name" not in entry:
        _fail("model_config", f"a layer entry must have 'class_name' and 'config', received {str(entry)[:200]}")
    class_name, module, registered = entry["class_name"], entry.get("module"), entry.get("registered_name")
    name = entry.get("name", entry["config"].get("name"))
    if class_name in ("Sequential", "Functional") and (module is None or str(module).startswith("keras")):
        return name, "model", class_name
    if (module, registered) in _CUSTOM_LAYERS:
        return name, "layer", _CUSTOM_LAYERS[module, registered]
    if str(module).startswith("keras.src.ops") and class_name in _OPERATIONS:
        return name, "operation", class_name
    standard = module is None or module == "keras.layers" or str(module).startswith("keras.src.layers")
    if standard and registered in (None, class_name) and class_name in _LAYERS:
        if class_name not in ("LayerScale", "CustomScaleLayer"):
            return name, "layer", class_name
    where = f" from module {module!r}" if module else ""
    _fail(
        f"layer {name!r}",
        f"class {class_name!r}{where} is not supported by model_info, so the model cannot be explained "
        f"exactly; supported classes: {', '.join(MODEL_LAYERS)}, Sequential, Functional",
    )


def _tensor_refs(value):
    """The (layer, node, tensor) references of the Keras tensors in a node's arguments, in order, and the rest."""
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        return [tuple(value["config"]["keras_history"])], []
    if isinstance(value, (list, tuple)):
        refs, others = [], []
        for item in value:
            more, rest = _tensor_refs(item)
            refs += more
            others += rest
        return refs, others
    return [], [value]


def _compatible(declared, given):
    if len(declared) != len(given):
        return False
    return all(a is None or b is None or a == b for a, b in zip(declared, given, strict=True))


def _checked_input(name, declared, given):
    """The tensor a nested model's input receives, checked against the shape the input declares."""
    if not _compatible(declared, given[0]):
        _fail(f"layer {name!r}", f"the input declares shape {declared} but receives {given[0]}")
    return given


class _Walk:
    """One pass over a model config: rows, outputs, and the input layout for receptive fields."""

    def __init__(self, channels_first):
        self.channels_first = channels_first

    def model(self, kind, config, inputs):
        """(rows, outputs) of a Sequential or Functional config; ``inputs`` is None at the top level."""
        if kind == "Sequential":
            return self.sequential(config, inputs)
        return self.functional(config, inputs)

    def sequential(self, config, inputs):
        rows, current = [], None
        if inputs is not None:
            if len(inputs) != 1:
                _fail("input_shape", f"a Sequential model takes one input, received {len(inputs)}")
            current = inputs[0]
        entries = config["layers"]
        if entries and entries[0].get("class_name") == "InputLayer":
            row, (shape, state) = self.input_layer(entries[0], current)
            rows.append(row)
            current, entries = (shape, state), entries[1:]
        if current is None:
            shape = config.get("build_input_shape")
            if shape is None:
                _fail("model_config", "a Sequential model needs an InputLayer or a build_input_shape")
            shape = _shape(shape, argument="build_input_shape")
            current = shape, _fresh_state("input", shape, self.channels_first)
        for entry in entries:
            row, outputs = self.layer(entry, [current], [])
            rows.append(row)
            if len(outputs) != 1:
                _fail(f"layer {row['name']!r}", "a layer of a Sequential model must have one output")
            current = outputs[0]
        return rows, [current]

    def input_layer(self, entry, given):
        name = entry.get("name", entry["config"].get("name"))
        try:
            shape = layer_info("InputLayer", entry["config"], None)["output_shape"]
        except ValueError as error:
            raise ValueError(f"layer {name!r} (InputLayer): {error}") from None
        if given is not None:
            shape, state = _checked_input(name, shape, given)
        else:
            state = _fresh_state(name, shape, self.channels_first)
        row = {"name": name, "class_name": "InputLayer", "output_shape": shape, "params": 0, "macs": 0}
        return {**row, "receptive_field": _receptive_field(state), "weight_shapes": []}, (shape, state)

    def functional(self, config, inputs):
        def references(value):
            value = value or []
            return [tuple(value)] if value and isinstance(value[0], str) else [tuple(v) for v in value]

        input_refs, output_refs = references(config.get("input_layers")), references(config.get("output_layers"))
        if inputs is not None and len(inputs) != len(input_refs):
            _fail("input_shape", f"the model takes {len(input_refs)} inputs, received {len(inputs)}")
        given = {ref[0]: inputs[i] for i, ref in enumerate(input_refs)} if inputs is not None else {}
        tensors, rows = {}, []
        for entry in config["layers"]:
            name, _, class_name = _entry_kind(entry)
            if class_name == "InputLayer":
                row, output = self.input_layer(entry, given.get(name))
                rows.append(row)
                tensors[name, 0, 0] = output
                continue
            nodes = entry.get("inbound_nodes")
            if not isinstance(nodes, list) or len(nodes) != 1 or not isinstance(nodes[0], dict):
                count = len(nodes) if isinstance(nodes, list) else 0
                _fail(
                    f"layer {name!r}",
                    f"has {count} inbound nodes; model_info needs a Keras 3 functional config in which each "
                    "layer is called exactly once (shared layers are not supported)",
                )
            refs, others = _tensor_refs(nodes[0].get("args", []))
            kwarg_refs, _ = _tensor_refs(list(nodes[0].get("kwargs", {}).values()))
            if kwarg_refs:
                _fail(f"layer {name!r}", "receives a tensor as a keyword argument, which model_info does not support")
            for ref in refs:
                if ref not in tensors:
                    _fail(f"layer {name!r}", f"reads the output {list(ref)} of a layer not computed before it")
            row, outputs = self.layer(entry, [tensors[ref] for ref in refs], others)
            rows.append(row)
            for index, output in enumerate(outputs):
                tensors[row["name"], 0, index] = output
        missing = [list(ref) for ref in output_refs if ref not in tensors]
        if missing:
            _fail("model_config", f"the outputs {missing} are not produced by any layer")
        return rows, [tensors[ref] for ref in output_refs]

    def layer(self, entry, inputs, others):
        """The row of one layer entry and its outputs [(shape, state)], from its inputs [(shape, state)]."""
        name, kind, class_name = _entry_kind(entry)
        shapes, states = [shape for shape, _ in inputs], [state for _, state in inputs]
        if kind == "model":
            try:
                rows, outputs = self.model(class_name, entry["config"], inputs)
            except ValueError as error:
                raise ValueError(f"layer {name!r} ({class_name}) > {error}") from None
            macs = [row["macs"] for row in rows]
            row = {"name": name, "class_name": class_name, "params": sum(row["params"] for row in rows)}
            row["macs"] = None if None in macs else sum(macs)
            row["weight_shapes"] = [shape for inner in rows for shape in inner["weight_shapes"]]
        elif kind == "operation":
            scalars = [value for value in others if isinstance(value, (int, float)) and not isinstance(value, bool)]
            if not inputs or len(scalars) != len(others):
                _fail(f"layer {name!r}", f"the operation {class_name} must be applied to tensors and numbers")
            try:
                output = _shape(shapes[0])
                for shape in shapes[1:]:
                    output = _broadcast(output, shape)
            except ValueError as error:
                raise ValueError(f"layer {name!r} ({class_name}): {error}") from None
            state = _union_state(states + ["constant"] * len(scalars), shapes, output)
            row = {"name": name, "class_name": class_name, "params": 0, "macs": 0, "weight_shapes": []}
            outputs = [(output, state)]
        else:
            if others:
                _fail(f"layer {name!r}", f"{class_name} is called with arguments that are not tensors: {others!r}")
            function = _LAYERS[class_name][0]
            takes_list = function in (*_MERGES, _concatenate)
            if not takes_list and len(inputs) != 1:
                _fail(f"layer {name!r}", f"{class_name} takes one input tensor, received {len(inputs)}")
            try:
                info = layer_info(class_name, entry["config"], shapes if takes_list else shapes[0])
                config = entry["config"]
                defaults = _LAYERS[class_name][2]
                args = {**{key: config.get(key, default) for key, default in defaults.items()}}
                if "activation" in config:
                    args["activation"] = config["activation"]
                state = _next_state(class_name, args, states, shapes, info["output_shape"])
            except ValueError as error:
                raise ValueError(f"layer {name!r} ({class_name}): {error}") from None
            row = {"name": name, "class_name": class_name, "params": info["params"], "macs": info["macs"]}
            row["weight_shapes"] = info["weight_shapes"]
            outputs = [(info["output_shape"], state)]
        row["output_shape"] = outputs[0][0] if len(outputs) == 1 else [shape for shape, _ in outputs]
        row["receptive_field"] = _receptive_field(outputs[0][1]) if len(outputs) == 1 else None
        return row, outputs


def _uses_channels_first(config):
    """Whether any layer of the model (nested ones included) says data_format='channels_first'."""
    if isinstance(config, dict):
        if str(config.get("data_format")).lower() == "channels_first":
            return True
        return any(_uses_channels_first(value) for value in config.values())
    if isinstance(config, list):
        return any(_uses_channels_first(value) for value in config)
    return False


def model_info(model_config):
    """Output shape, parameters, MACs and receptive field of every layer of a Keras model, from its config.

    ``model_config`` is ``model.get_config()`` of a Sequential or Functional model as plain JSON data,
    the ``{"class_name": ..., "config": ...}`` dict of ``json.loads(model.to_json())``, or that JSON
    text. The result::

        {"params": int, "macs": int | None,
         "layers": [{"name", "class_name", "output_shape", "params", "macs", "receptive_field",
                     "weight_shapes"}, ...]}

    with the layers in the config's order (a Sequential model's InputLayer, when its config has one,
    included; a nested model is one row, with its layers' totals). ``output_shape`` is a tuple, or a
    list of tuples for a nested model with several outputs. ``params`` is what ``count_params()``
    gives and ``macs`` follows ``layer_info``'s convention; a model's totals add up its rows.
    ``weight_shapes`` are the shapes of the layer's weights in Keras's order, as ``layer_info`` gives
    them (a nested model's: its layers' in turn).

    ``receptive_field`` has one {"size", "jump", "start"} per spatial axis of the output, in the
    output's axis order: the model-input positions that can change output position ``j`` on that axis
    lie in ``[start + j*jump, start + j*jump + size - 1]`` (``start`` < 0 reaches into padding). As in
    the usual receptive-field arithmetic, positions added by padding count as if they held data: clipped
    to the input, the interval is exactly the positions an output reads (the first and the last; dilation
    and strides can skip some between), except near the borders of a model that crops and then pads
    again, or multiplies branches, where it is an upper bound.
    Model inputs are read channels last (spatial axes 1 ... n-2), or channels first if any layer of the
    model says ``data_format="channels_first"``. Where branches join, each axis holds the smallest
    window containing every branch's. It is None where no such window exists or is not tracked: after
    layers that mix all positions (Flatten, Reshape, global and adaptive pooling, GroupNormalization,
    a Dense or softmax over a spatial axis, an elementwise product with such a branch, as in
    squeeze-and-excitation blocks), after transposed convolutions and upsampling (whose window moves
    by a fraction of a position), after a strided 'same' window on an unknown length, where branches
    from different model inputs join, and for nested models with several outputs.

    Anything it cannot compute exactly raises ``ValueError`` naming the layer and its class: an
    unknown or custom class, a shared layer, a config that Keras would reject.
    """
    if isinstance(model_config, str):
        import json

        try:
            model_config = json.loads(model_config)
        except json.JSONDecodeError as error:
            _fail("model_config", f"is not valid JSON: {error}")
    if isinstance(model_config, dict) and "layers" not in model_config and "config" in model_config:
        kind = model_config.get("class_name")
        if kind not in ("Sequential", "Functional"):
            _fail("model_config", f"class_name must be 'Sequential' or 'Functional', received {kind!r}")
        model_config = model_config["config"]
        if _model_kind(model_config) != kind:
            _not_a_model(model_config)
    kind = _model_kind(model_config)
    rows, _ = _Walk(_uses_channels_first(model_config)).model(kind, model_config, None)
    macs = [row["macs"] for row in rows]
    return {"params": sum(row["params"] for row in rows), "macs": None if None in macs else sum(macs), "layers": rows}
