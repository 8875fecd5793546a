"""PyTorch conv weights to Keras weights, with numpy only (docs/reference/from-pytorch.md).

``torch_to_keras(layer, entry, config)`` takes the Keras layer's class name, one module's entries
of a PyTorch state dict as numpy arrays (``{"weight": ..., "bias": ...}``) and the few PyTorch
settings the shapes do not tell (``groups``), and returns the list ``layer.set_weights`` takes.
"""

# --8<-- [start:convert]
import numpy as np


def _channels_last(kernel):
    """(out, in, *k) -> (*k, in, out): the layout of Conv and of ConvTranspose alike."""
    return np.moveaxis(kernel, (0, 1), (-1, -2))


def _depthwise(kernel, groups):
    """(C*m, 1, *k) -> (*k, C, m): output channel c*m + j is multiplier j of channel c."""
    channels_m, one, *k = kernel.shape
    if one != 1 or channels_m % groups:
        raise ValueError(f"not a depthwise kernel: shape {kernel.shape} with groups={groups}")
    return np.moveaxis(kernel.reshape(groups, channels_m // groups, *k), (0, 1), (-2, -1))


def torch_to_keras(layer, entry, config=None):
    config = config or {}
    bias = [entry["bias"]] if entry.get("bias") is not None else []
    if layer.startswith("Conv") and layer.endswith("Transpose"):
        if config.get("groups", 1) != 1:
            raise ValueError(f"{layer} has no groups; PyTorch's groups={config['groups']} has no Keras equivalent")
        return [_channels_last(entry["weight"]), *bias]
    if layer.startswith("Conv"):
        return [_channels_last(entry["weight"]), *bias]
    if layer.startswith("DepthwiseConv"):
        return [_depthwise(entry["weight"], config["groups"]), *bias]
    if layer.startswith("SeparableConv"):
        pointwise_bias = [entry["pointwise.bias"]] if entry.get("pointwise.bias") is not None else []
        return [
            _depthwise(entry["depthwise.weight"], config["groups"]),
            _channels_last(entry["pointwise.weight"]),
            *pointwise_bias,
        ]
    if layer == "BatchNormalization":
        return [entry["weight"], entry["bias"], entry["running_mean"], entry["running_var"]]
    raise ValueError(f"no conversion for {layer!r}")


def same_padding(length, kernel_size, strides=1, dilation=1):
    """The zeros Keras's "same" adds (before, after) along one axis: the extra one goes after."""
    reach = dilation * (kernel_size - 1) + 1
    total = max((-(-length // strides) - 1) * strides + reach - length, 0)
    return total // 2, total - total // 2


def transpose_crop(kernel_size, strides, padding, dilation=1, output_padding=None):
    """Keras's ConvTranspose as PyTorch's with padding=0 and output_padding=extra, then (start, end) cut off."""
    reach = dilation * (kernel_size - 1) + 1
    if padding == "valid":
        extra = max(reach, strides) - reach if output_padding is None else output_padding
        return extra, 0, 0
    total = reach - strides if output_padding is None else 2 * (reach // 2) - output_padding
    return max(-total, 0), max(total, 0) // 2, max(total, 0) - max(total, 0) // 2


def batchnorm_settings(torch_momentum=0.1, torch_eps=1e-5):
    """Keras BatchNormalization arguments for a PyTorch BatchNorm's momentum and eps."""
    return {"momentum": 1 - torch_momentum, "epsilon": torch_eps}


# --8<-- [end:convert]
