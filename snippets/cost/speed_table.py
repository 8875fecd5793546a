"""The stored benchmark results as tables (docs/cost/speed.md); scripts/benchmark.py measures them."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "cost" / "benchmark.json"

# --8<-- [start:machine]
data = json.loads(RESULTS.read_text())  # docs/assets/cost/benchmark.json, written by scripts/benchmark.py
machine, settings = data["machine"], data["settings"]
print(f"measured {data['measured']} on {machine['cpu']}, {machine['cores']} cores, {machine['platform']}")
print(f"Python {machine['python']}, Keras {machine['keras']}, TensorFlow {machine['tensorflow']}")
print(f"TensorFlow threads: {machine['tensorflow_threads']}; oneDNN: {machine['onednn']}")
print("load average (1, 5, 15 min) before:", *machine["load_average_before"], " after:", *machine["load_average_after"])
print(f"{settings['repeats']} samples of at least {settings['min_seconds']} s per run; the fastest is shown")
# --8<-- [end:machine]

# --8<-- [start:spread]
SPREAD = 0.20  # flag a run whose median sample is this much slower than its fastest
cores = machine["cores"]
loads = [*machine["load_average_before"], *machine["load_average_after"]]
print(f"load average {min(loads)} to {max(loads)} on {cores} cores: {max(loads) / cores:.1f} x the cores at worst")
flagged = [r for r in data["results"] if r["seconds"]["median"] > (1 + SPREAD) * r["seconds"]["min"]]
total = len(data["results"])
print(f"runs whose median sample is more than {SPREAD:.0%} slower than the fastest: {len(flagged)} of {total}")
for r in flagged:
    spread = r["seconds"]["median"] / r["seconds"]["min"] - 1
    size = f"{r['size']}x{r['size']}"
    print(f"  batch {r['batch']}  {size:>7} {r['channels']:>4} channels  {r['layer']:<16} +{spread:.0%}")
# --8<-- [end:spread]

# --8<-- [start:times]
LAYERS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D")
runs = {(r["batch"], r["channels"], r["size"], r["layer"]): r for r in data["results"]}


def seconds(batch, channels, size, layer):
    return runs[batch, channels, size, layer]["seconds"]["min"]


def unsteady(batch, channels, size):
    """Whether, for a layer of this row, the median sample took over 20 % longer than the fastest."""
    rows = [runs[batch, channels, size, layer]["seconds"] for layer in LAYERS]
    return any(run["median"] > 1.2 * run["min"] for run in rows)


def macs(batch, channels, size, layer):
    """Multiply-accumulates of one call: the whole batch."""
    return batch * runs[batch, channels, size, layer]["macs_per_example"]


for batch in settings["batches"]:
    print(f"batch {batch:<3}          fastest time per call (ms)        separable / Conv2D")
    print(f"{'map':>7} {'channels':>8}  {'Conv2D':>9} {'Separable':>9} {'Depthwise':>9}   {'MACs':>7} {'time':>7}")
    for channels in settings["channels"]:
        for size in settings["sizes"]:
            key = (batch, channels, size)
            times = [seconds(*key, layer) * 1e3 for layer in LAYERS]
            mac_ratio = macs(*key, "SeparableConv2D") / macs(*key, "Conv2D")
            time_ratio = seconds(*key, "SeparableConv2D") / seconds(*key, "Conv2D")
            print(
                f"{f'{size}x{size}':>7} {channels:>8}  {times[0]:>9.3f} {times[1]:>9.3f} {times[2]:>9.3f}   "
                f"{mac_ratio:>7.3f} {time_ratio:>7.3f}" + ("  *" if unsteady(*key) else "")
            )
    print()
print("*: a layer of this row ran its median sample over 20 % slower than its fastest; read its times with care")
# --8<-- [end:times]


# --8<-- [start:throughput]
def moved_bytes(batch, channels, size, layer):
    """float32 bytes a layer must at least read and write once: input, output and weights."""
    run = runs[batch, channels, size, layer]
    values = 2 * batch * size * size * channels  # input and output have the same shape here
    return 4 * (values + run["params"])


print("GMAC/s: multiply-accumulates per second; MAC/B: MACs per byte of input, output and weights")
print(f"{'batch':>5} {'map':>7} {'channels':>8}  {'Conv2D':>14} {'Separable':>14} {'Depthwise':>14}")
for batch in settings["batches"]:
    for channels in settings["channels"]:
        for size in settings["sizes"]:
            key = (batch, channels, size)
            cells = []
            for layer in LAYERS:
                rate = macs(*key, layer) / seconds(*key, layer) / 1e9
                intensity = macs(*key, layer) / moved_bytes(*key, layer)
                cells.append(f"{rate:>6.1f} {intensity:>5.1f}B")
            print(f"{batch:>5} {f'{size}x{size}':>7} {channels:>8}  " + " ".join(f"{c:>14}" for c in cells))
# --8<-- [end:throughput]

# --8<-- [start:findings]
keys = [(b, c, s) for b in settings["batches"] for c in settings["channels"] for s in settings["sizes"]]


def rate(key, layer):
    return macs(*key, layer) / seconds(*key, layer)


slowest = sum(rate(key, "DepthwiseConv2D") < min(rate(key, "Conv2D"), rate(key, "SeparableConv2D")) for key in keys)
faster = sum(seconds(*key, "SeparableConv2D") < seconds(*key, "Conv2D") for key in keys)
full_saving = sum(
    seconds(*key, "Conv2D") / seconds(*key, "SeparableConv2D") >= macs(*key, "Conv2D") / macs(*key, "SeparableConv2D")
    for key in keys
)
print(f"runs: {len(keys)} sizes x {len(LAYERS)} layers")
print(f"DepthwiseConv2D has the lowest GMAC/s of the three in {slowest} of {len(keys)} sizes")
print(f"SeparableConv2D is faster than Conv2D in {faster} of {len(keys)} sizes")
print(f"... and faster by at least its MAC saving in {full_saving} of {len(keys)} sizes")
pairs = [(c, s, layer) for c in settings["channels"] for s in settings["sizes"] for layer in LAYERS]
small, big = min(settings["batches"]), max(settings["batches"])
higher = sum(rate((big, c, s), layer) > rate((small, c, s), layer) for c, s, layer in pairs)
print(f"batch {big} has a higher GMAC/s than batch {small} in {higher} of {len(pairs)} layers and sizes")
smallest = min(keys, key=lambda key: macs(*key, "Conv2D"))
times = {layer: seconds(*smallest, layer) for layer in LAYERS}
spread = max(times.values()) / min(times.values())
mac_spread = max(macs(*smallest, layer) for layer in LAYERS) / min(macs(*smallest, layer) for layer in LAYERS)
print(f"smallest size (batch {smallest[0]}, {smallest[2]}x{smallest[2]}, {smallest[1]} channels):")
print(f"    MACs differ up to {mac_spread:.0f} x between the layers, times up to {spread:.1f} x")
# --8<-- [end:findings]
