#!/usr/bin/env python3
"""Time Conv2D, SeparableConv2D and DepthwiseConv2D on this machine's CPU (docs/cost/speed.md).

    python scripts/dev.py benchmark                    measure every size (several minutes), then
                                                       write docs/assets/cost/benchmark.json and .svg
    python scripts/dev.py benchmark --plot-only        redraw benchmark.svg from benchmark.json
    python scripts/dev.py benchmark --smoke --out DIR  one tiny size in a second or two (the tests)

Every layer has a 3x3 kernel, padding="same", stride 1, and as many output channels as input
channels. Each one runs as a compiled TensorFlow graph (``tf.function``), the way ``model.predict``
runs it, on float32 inputs. A sample is as many calls in a row as take at least ``min_seconds``
(as ``timeit`` chooses); the three layers of a size take turns, ``repeats`` samples each, so that a
busy moment of the machine does not fall on one layer only. The timing shown is the fastest sample,
as ``timeit`` advises (slower ones measure whatever else the machine was doing); the JSON keeps the
median too. MACs and parameters come from snippets/conv_arithmetic.py. The plot shows the JSON and
nothing else: ``render_svg(json)`` is a pure function, and tests/test_benchmark.py checks that the
stored SVG is what it draws.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from doctools.paths import ROOT
from snippets.conv_arithmetic import layer_info

ASSETS = ROOT / "docs" / "assets" / "cost"

LAYERS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D")
KERNEL_SIZE = 3
FULL = {"sizes": [32, 64, 128], "channels": [32, 128, 512], "batches": [1, 8], "repeats": 5, "min_seconds": 0.2}
SMOKE = {"sizes": [8], "channels": [4], "batches": [1], "repeats": 2, "min_seconds": 0.0}

# Medium-luminance colours, readable on Material's light and dark backgrounds alike.
COLOURS = {"Conv2D": "#4e8ff0", "SeparableConv2D": "#e8710a", "DepthwiseConv2D": "#16a37b"}
MARKERS = {"Conv2D": "o", "SeparableConv2D": "s", "DepthwiseConv2D": "^"}
# Drawn in this colour, then replaced by currentColor: text and axes take the page's text colour.
NEUTRAL = "#010203"


def layer_config(layer: str, channels: int) -> dict:
    config = {"kernel_size": KERNEL_SIZE, "padding": "same"}
    return config if layer == "DepthwiseConv2D" else {"filters": channels, **config}


# ----------------------------------------------------------------------------------------------
# Measuring


def cpu_name() -> str:
    """The CPU model as the operating system reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        if found:
            return found.group(1).strip()
    return platform.processor() or platform.machine()


def machine() -> dict:
    import keras
    import numpy
    import tensorflow as tf

    return {
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "python": platform.python_version(),
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "numpy": numpy.__version__,
        "tensorflow_threads": tf.config.threading.get_intra_op_parallelism_threads() or "default (all cores)",
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on for x86-64 Linux)"),
    }


def calls_per_sample(call, x, min_seconds: float) -> int:
    """As timeit.Timer.autorange: 1, 2, 5, 10, 20, 50, ... calls, until they take ``min_seconds``."""
    number = 1
    while True:
        if sample(call, x, number) * number >= min_seconds:
            return number
        number = number * 5 // 2 if str(number).startswith("2") else number * 2


def sample(call, x, number: int) -> float:
    """Seconds per call, over ``number`` calls in a row."""
    start = time.perf_counter()
    for _ in range(number):
        call(x)
    return (time.perf_counter() - start) / number


def measure(plan: dict, log=print) -> dict:
    import keras
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    info = {**machine(), "load_average_before": [round(v, 2) for v in os.getloadavg()]}
    results = []
    for batch in plan["batches"]:
        for channels in plan["channels"]:
            for size in plan["sizes"]:
                shape = (batch, size, size, channels)
                x = tf.constant(rng.standard_normal(shape, dtype=np.float32))
                calls, samples = {}, {name: [] for name in LAYERS}
                for name in LAYERS:
                    layer = getattr(keras.layers, name)(**layer_config(name, channels))
                    layer.build(shape)
                    call = tf.function(layer)  # a compiled graph, as in model.predict
                    call(x)  # trace, and let oneDNN choose and cache its kernels
                    calls[name] = (call, calls_per_sample(call, x, plan["min_seconds"]))
                # The three layers take turns, so that a busy moment of the machine hits all of them.
                for _ in range(plan["repeats"]):
                    for name, (call, number) in calls.items():
                        samples[name].append(sample(call, x, number))
                for name in LAYERS:
                    formulas = layer_info(name, layer_config(name, channels), shape)
                    found = samples[name]
                    seconds = {"median": statistics.median(found), "min": min(found), "max": max(found)}
                    results.append(
                        {
                            "layer": name,
                            "batch": batch,
                            "size": size,
                            "channels": channels,
                            "params": formulas["params"],
                            "macs_per_example": formulas["macs"],
                            "seconds": {**seconds, "calls_per_sample": calls[name][1]},
                        }
                    )
                    where = f"batch {batch:>2} {size:>3}x{size:<3} {channels:>3} ch"
                    log(f"{where}  {name:<16} {seconds['min'] * 1e3:9.3f} ms")
    info["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    settings = {"kernel_size": KERNEL_SIZE, "padding": "same", "strides": 1, "dtype": "float32", **plan}
    return {"measured": date.today().isoformat(), "machine": info, "settings": settings, "results": results}


# ----------------------------------------------------------------------------------------------
# Plotting


def milliseconds(run: dict) -> float:
    return run["seconds"]["min"] * 1e3


def gmacs_per_second(run: dict) -> float:
    return run["batch"] * run["macs_per_example"] / run["seconds"]["min"] / 1e9


PANELS = ((milliseconds, "fastest time per call (ms)"), (gmacs_per_second, "throughput (GMAC/s)"))


def plot_title(data: dict) -> str:
    m = data["machine"]
    return f"{m['cpu']}, {m['cores']} cores · Keras {m['keras']} · TensorFlow {m['tensorflow']} · {data['measured']}"


def render_svg(data: dict) -> str:
    """The plot of ``data`` as an SVG for the page: transparent, themed text, no date or random ids."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    settings, results = data["settings"], data["results"]
    style = {
        "svg.fonttype": "none",
        "svg.hashsalt": "keras-conv-guide-benchmark",
        "font.family": "sans-serif",
        "font.size": 11,
        **{key: NEUTRAL for key in ("text.color", "axes.edgecolor", "axes.labelcolor", "xtick.color", "ytick.color")},
        "grid.color": NEUTRAL,
        "grid.alpha": 0.15,
        "legend.frameon": False,
    }
    groups = [(c, s) for c in settings["channels"] for s in settings["sizes"]]
    batches = settings["batches"]
    with plt.rc_context(style):
        figure, axes = plt.subplots(2, len(batches), figsize=(4.6 * len(batches) + 0.8, 7), squeeze=False)
        for column, batch in enumerate(batches):
            for name in LAYERS:
                timed = {(r["channels"], r["size"]): r for r in results if r["layer"] == name and r["batch"] == batch}
                for row, (value, _) in enumerate(PANELS):
                    # One line per channel count, broken between groups so that sizes connect only.
                    xs, ys = [], []
                    for index, key in enumerate(groups):
                        if index and key[0] != groups[index - 1][0]:
                            xs.append(index - 0.5)
                            ys.append(float("nan"))
                        xs.append(index)
                        ys.append(value(timed[key]))
                    axes[row][column].plot(
                        xs, ys, color=COLOURS[name], marker=MARKERS[name], markersize=5, linewidth=1.4, label=name
                    )
            for row, (_, label) in enumerate(PANELS):
                ax = axes[row][column]
                ax.set_yscale("log")
                ax.grid(True, which="major")
                ax.set_xticks(
                    range(len(groups)), [f"{s}\N{MULTIPLICATION SIGN}{s}\n{c} ch" for c, s in groups], fontsize=9
                )
                ax.spines[["top", "right"]].set_visible(False)
                if column == 0:
                    ax.set_ylabel(label)
            axes[0][column].set_title(f"batch {batch}")
        axes[0][0].legend(loc="upper left", fontsize=9)
        figure.suptitle(plot_title(data), fontsize=10)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
        plt.close(figure)
    return themed(buffer.getvalue(), data)


def themed(svg: str, data: dict) -> str:
    """Ready to inline in a page: text in the page's colour and font, unique ids, a title and a description."""
    svg = svg[svg.index("<svg") :]  # no XML declaration or doctype inside HTML
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)  # a '*' rule would reach the whole page
    svg = re.sub(r'(id="|url\(#|href="#)', r"\1benchmark-", svg)  # ids unique on the page that inlines the plot
    svg = svg.replace(NEUTRAL, "currentColor")
    font = "font-family: var(--md-text-font-family, sans-serif)"
    svg = re.sub(r"font-family: [^;\"]*", font, svg)
    svg = re.sub(r'<svg ([^>]*?) width="[\d.]+pt" height="[\d.]+pt"', r"<svg \1", svg, count=1)
    labels = (
        'class="benchmark-plot" role="img" aria-labelledby="benchmark-title benchmark-desc" '
        'style="width: 100%; height: auto; color: var(--md-default-fg-color, #333)"'
    )
    k = data["settings"]["kernel_size"]
    description = (
        f"Measured on {plot_title(data)}. Top row: fastest time per call of {', '.join(LAYERS)} with a {k}x{k} "
        "kernel, for each map size and channel count, on a logarithmic scale; one panel per batch size. Bottom row: "
        "the same runs as multiply-accumulates per second. The table below the plot lists every value."
    )
    head = '<title id="benchmark-title">CPU time of standard, separable and depthwise convolutions</title>\n'
    head += f'<desc id="benchmark-desc">{description}</desc>\n'
    svg = re.sub(r"<svg ([^>]*>)\n?", lambda m: f"<svg {labels} {m.group(1)}\n{head}", svg, count=1)
    # Markdown ends an HTML block at a blank line.
    return "\n".join(line for line in svg.splitlines() if line.strip()) + "\n"


# ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="one tiny size, for the tests")
    parser.add_argument("--plot-only", action="store_true", help="redraw the SVG from the stored JSON")
    parser.add_argument("--out", type=Path, default=ASSETS, help="folder for benchmark.json and benchmark.svg")
    args = parser.parse_args(argv)
    json_path, svg_path = args.out / "benchmark.json", args.out / "benchmark.svg"
    if args.plot_only:
        data = json.loads(json_path.read_text())
    else:
        data = measure(SMOKE if args.smoke else FULL)
        args.out.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(data, indent=1) + "\n")
    svg_path.write_text(render_svg(data))
    print(f"wrote {svg_path}" + ("" if args.plot_only else f" and {json_path}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
