"""Whole-model audits of keras.applications models: every layer's shape, params and MACs (docs/cost/architectures.md).

The models are built once here; tests/snippets/cost/test_audits.py reads them from this snippet's namespace.
"""

# --8<-- [start:audit]
import copy
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from math import prod

import keras

from snippets.conv_arithmetic import model_info


def audit(config):
    """One row per layer, from the config alone: model_info carries its own shapes from layer to layer."""
    return model_info(config)["layers"]


def check(rows, model):
    """Row by row against Keras: layer names, parameters, weight shapes and output shapes must match exactly."""
    for row, layer in zip(rows, model.layers, strict=True):
        assert row["name"] == layer.name
        assert row["params"] == layer.count_params(), layer.name
        assert row["weight_shapes"] == [tuple(w.shape) for w in layer.weights], layer.name
        assert row["output_shape"] == tuple(layer.output.shape), layer.name
    assert sum(row["params"] for row in rows) == model.count_params()
    return len(rows)


# weights=None: no download, randomly initialised weights. Default input sizes, 1000 classes.
models = {name: getattr(keras.applications, name)(weights=None) for name in ("MobileNet", "MobileNetV2", "Xception")}
models |= {name: getattr(keras.applications, name)(weights=None) for name in ("ResNet50", "VGG16")}
configs = {name: model.get_config() for name, model in models.items()}
tables = {name: audit(config) for name, config in configs.items()}

print(f"{'model':<12} {'input':<10} {'layers':>6} {'rows = Keras':>12} {'params':>12} {'count_params()':>14}", end="")
print(f" {'MACs':>15}")
for name, model in models.items():
    rows, size = tables[name], "x".join(map(str, model.input.shape[1:]))
    matched = check(rows, model)
    params, macs = sum(row["params"] for row in rows), sum(row["macs"] for row in rows)
    print(f"{name:<12} {size:<10} {len(rows):>6} {matched:>12} {params:>12,} {model.count_params():>14,} {macs:>15,}")
# --8<-- [end:audit]


def print_table(rows):
    """The per-layer table of one model, and its totals."""
    print(f"{'layer':<28} {'type':<22} {'output shape':<22} {'params':>11} {'MACs':>14}")
    for row in rows:
        shape = str(row["output_shape"])
        print(f"{row['name']:<28} {row['class_name']:<22} {shape:<22} {row['params']:>11,} {row['macs']:>14,}")
    params, macs = sum(row["params"] for row in rows), sum(row["macs"] for row in rows)
    print(f"{'total':<28} {'':<22} {'':<22} {params:>11,} {macs:>14,}")


# --8<-- [start:table_mobilenet]
print_table(tables["MobileNet"])
# --8<-- [end:table_mobilenet]

# --8<-- [start:table_mobilenetv2]
print_table(tables["MobileNetV2"])
# --8<-- [end:table_mobilenetv2]

# --8<-- [start:table_xception]
print_table(tables["Xception"])
# --8<-- [end:table_xception]

# --8<-- [start:table_resnet50]
print_table(tables["ResNet50"])
# --8<-- [end:table_resnet50]

# --8<-- [start:table_vgg16]
print_table(tables["VGG16"])
# --8<-- [end:table_vgg16]

# --8<-- [start:mobilenet_table2]
# MobileNet's Table 2, "Resource per layer type", as published: percent of mult-adds, of parameters.
TABLE2 = {"Conv 1x1": ("94.86", "74.59"), "Conv DW 3x3": ("3.06", "1.06"), "Conv 3x3": ("1.19", "0.02")}
TABLE2["Fully Connected"] = ("0.18", "24.33")

convolutions = [row for row in tables["MobileNet"] if row["macs"]]  # no other layer has MACs
shares = {}
for row in convolutions:
    height, width = row["weight_shapes"][0][:2]  # the kernel comes first; biases are not counted
    kind = "Conv DW" if row["class_name"] == "DepthwiseConv2D" else "Conv"
    kind = "Fully Connected" if row is convolutions[-1] else f"{kind} {height}x{width}"  # a 1x1 Conv2D in Keras
    macs, weights = shares.get(kind, (0, 0))
    shares[kind] = (macs + row["macs"], weights + prod(row["weight_shapes"][0]))

total_macs, total_weights = (sum(column) for column in zip(*shares.values(), strict=True))
print(f"{'type':<16} {'mult-adds':>9} {'params':>7}   published: {'mult-adds':>9} {'params':>7}")
for kind, (macs, weights) in shares.items():
    computed = (f"{100 * macs / total_macs:.2f}", f"{100 * weights / total_weights:.2f}")
    mark = "" if computed == TABLE2[kind] else "  <- differs"
    print(f"{kind:<16} {computed[0]:>8}% {computed[1]:>6}%   {'':<11}{TABLE2[kind][0]:>8}% {TABLE2[kind][1]:>6}%{mark}")
published_sum = sum(Decimal(macs) for macs, _ in TABLE2.values())
computed_sum = sum(Decimal(f"{100 * macs / total_macs:.2f}") for macs, _ in shares.values())
print(f"{'sum':<16} {computed_sum:>8}% {'':>7}   {'':<11}{published_sum:>8}%")
# --8<-- [end:mobilenet_table2]

# --8<-- [start:trainable]
print(f"{'model':<12} {'trainable':>11} {'non-trainable':>13}   {'BN layers':>9} {'BN moving stats':>15}")
for name, model in models.items():
    trainable = sum(prod(w.shape) for w in model.trainable_weights)
    frozen = sum(prod(w.shape) for w in model.non_trainable_weights)
    # BatchNormalization's weights, in Keras's order: gamma, beta, moving_mean, moving_variance.
    norms = [row for row in tables[name] if row["class_name"] == "BatchNormalization"]
    moving = sum(prod(shape) for row in norms for shape in row["weight_shapes"][2:])
    assert trainable + frozen == model.count_params() and frozen == moving
    print(f"{name:<12} {trainable:>11,} {frozen:>13,}   {len(norms):>9} {moving:>15,}")
# --8<-- [end:trainable]


# --8<-- [start:counts]
def counts(model, rows):
    """Keras's parameters counted a few ways, and the MACs with and without the final classifier."""
    kinds = {}
    for w in model.weights:  # kernel, depthwise_kernel, pointwise_kernel, bias, gamma, beta, moving_...
        kind = "kernels" if w.name.endswith("kernel") else w.name
        kinds[kind] = kinds.get(kind, 0) + prod(w.shape)
    macs = sum(row["macs"] for row in rows)
    classifier = next(row for row in reversed(rows) if row["macs"])  # the last layer with MACs
    return {
        "params, all (count_params)": model.count_params(),
        "params, trainable": sum(prod(w.shape) for w in model.trainable_weights),
        "params, kernels and biases": kinds["kernels"] + kinds.get("bias", 0),
        "params, kernels only": kinds["kernels"],
        "MACs, all layers": macs,
        "MACs, without the classifier": macs - classifier["macs"],
        "MACs, convolutions only": sum(row["macs"] for row in rows if "Conv" in row["class_name"]),
    }


# ResNet-50's siblings, for its FLOPs: built, audited and checked like the others, then let go.
siblings = {}
for name in ("ResNet101", "ResNet152"):
    model = getattr(keras.applications, name)(weights=None)
    rows = audit(model.get_config())
    check(rows, model)
    siblings[name] = counts(model, rows)
    del model
all_counts = {name: counts(model, tables[name]) for name, model in models.items()} | siblings
# --8<-- [end:counts]


# --8<-- [start:resnet_v15]
def stride_in_3x3(config):
    """ResNet "v1.5": each stage's downsampling stride moves from its first 1x1 convolution to its 3x3 one."""
    moved = copy.deepcopy(config)
    by_name = {layer["name"]: layer for layer in moved["layers"]}
    for layer in moved["layers"]:
        if layer["name"].endswith("_block1_1_conv") and tuple(layer["config"]["strides"]) == (2, 2):
            layer["config"]["strides"] = (1, 1)
            by_name[layer["name"].replace("_1_conv", "_2_conv")]["config"]["strides"] = (2, 2)
    return moved


v15 = audit(stride_in_3x3(configs["ResNet50"]))
# Only the layers between the 1x1 and the 3x3 convolution see a larger map; every block's output is the same.
keras_layout = {row["name"]: row["output_shape"] for row in tables["ResNet50"]}
assert all(row["output_shape"] == keras_layout[row["name"]] for row in v15 if row["class_name"] == "Add")
v15_macs = sum(row["macs"] for row in v15)
print(f"ResNet50, stride in the first 1x1 convolution (Keras):  {all_counts['ResNet50']['MACs, all layers']:,} MACs")
print(f"ResNet50, stride in the 3x3 convolution (v1.5):         {v15_macs:,} MACs")
# --8<-- [end:resnet_v15]

# --8<-- [start:published]
# The published figures as the papers print them: model, source, what, value, unit, and the step of
# its last digit (4.2 M is given to 0.1 M; "15,300" million to the hundred million).
PUBLISHED = [
    ("MobileNet", "Howard et al. 2017, Table 8", "params", "4.2", "M", "0.1"),
    ("MobileNet", "Howard et al. 2017, Table 8", "MACs", "569", "M", "1"),
    ("MobileNetV2", "Sandler et al. 2018, Table 4", "params", "3.4", "M", "0.1"),
    ("MobileNetV2", "Sandler et al. 2018, Table 4", "MACs", "300", "M", "1"),
    ("Xception", "Chollet 2017, Table 3", "params", "22,855,952", "", "1"),
    ("ResNet50", "He et al. 2016, Table 1", "MACs", "3.8", "G", "0.1"),
    ("ResNet101", "He et al. 2016, Table 1", "MACs", "7.6", "G", "0.1"),
    ("ResNet152", "He et al. 2016, Table 1", "MACs", "11.3", "G", "0.1"),
    ("VGG16", "Simonyan and Zisserman 2015, Table 2", "params", "138", "M", "1"),
    ("VGG16", "Howard et al. 2017, Table 8", "MACs", "15,300", "M", "100"),
]
SCALE = {"": 1, "M": 10**6, "G": 10**9}


def to_step(count, unit, step, rounding):
    """``count`` in ``unit``, rounded (or cut off) to a multiple of ``step``, written like the paper."""
    step = Decimal(step)
    return f"{(Decimal(count) / SCALE[unit] / step).quantize(1, rounding) * step:,}"


for name, source, what, value, unit, step in PUBLISHED:
    print(f"{name}: {value} {unit} {what}, {source}".replace("  ", " "))
    print(f"    {'Keras':<29} {'count':>15} {'rounded':>11} {'cut off':>11}")
    for label, count in all_counts[name].items():
        if label.startswith(what):
            rounded, cut = to_step(count, unit, step, ROUND_HALF_EVEN), to_step(count, unit, step, ROUND_DOWN)
            matches = [how for how, shown in (("rounded", rounded), ("cut off", cut)) if shown == value]
            mark = f"= published ({' and '.join(matches)})" if matches else ""
            print(f"    {label:<29} {count:>15,} {rounded:>11} {cut:>11}  {mark}".rstrip())
# --8<-- [end:published]

# --8<-- [start:memory]
print(f"{'model':<12} {'weights: float32':>16} {'float16':>9} {'int8':>9}   activations per example (float32)")
print(f"{'':<12} {'MB':>16} {'MB':>9} {'MB':>9}   {'all outputs, MB':>15} {'largest, MB':>11} largest layer")
for name, rows in tables.items():
    params = sum(row["params"] for row in rows)
    values = [prod(row["output_shape"][1:]) for row in rows]  # one example: drop the batch axis
    largest = max(range(len(rows)), key=values.__getitem__)
    print(
        f"{name:<12} {4 * params / 1e6:>16.1f} {2 * params / 1e6:>9.1f} {params / 1e6:>9.1f}   "
        f"{4 * sum(values) / 1e6:>15.1f} {4 * values[largest] / 1e6:>11.1f} {rows[largest]['name']}"
    )
# --8<-- [end:memory]
