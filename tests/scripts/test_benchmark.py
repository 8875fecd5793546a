"""scripts/benchmark.py and its stored results (docs/cost/speed.md).

The measured timings are not reproducible, so they are not compared with a fresh run. What is
checked: the stored JSON is complete and consistent with the formulas, the stored plot is exactly
what the script draws from that JSON, and the script itself runs (on one tiny size).
"""

from __future__ import annotations

import json
import time

import pytest

from doctools.paths import ROOT
from snippets.conv_arithmetic import layer_info

RESULTS = ROOT / "docs" / "assets" / "cost" / "benchmark.json"
PLOT = ROOT / "docs" / "assets" / "cost" / "benchmark.svg"


@pytest.fixture(scope="module")
def benchmark():
    from scripts import benchmark

    return benchmark


@pytest.fixture(scope="module")
def data():
    return json.loads(RESULTS.read_text())


def test_results_cover_every_planned_run_once(benchmark, data):
    settings = data["settings"]
    for key in ("sizes", "channels", "batches", "repeats", "min_seconds"):
        assert settings[key] == benchmark.FULL[key]
    assert settings["kernel_size"] == benchmark.KERNEL_SIZE
    planned = {
        (layer, batch, size, channels)
        for layer in benchmark.LAYERS
        for batch in settings["batches"]
        for size in settings["sizes"]
        for channels in settings["channels"]
    }
    runs = [(r["layer"], r["batch"], r["size"], r["channels"]) for r in data["results"]]
    assert sorted(runs) == sorted(planned)


def test_results_agree_with_the_formulas(benchmark, data):
    for run in data["results"]:
        config = benchmark.layer_config(run["layer"], run["channels"])
        info = layer_info(run["layer"], config, (run["batch"], run["size"], run["size"], run["channels"]))
        assert (run["params"], run["macs_per_example"]) == (info["params"], info["macs"])


def test_timings_are_well_formed(data):
    for run in data["results"]:
        seconds = run["seconds"]
        assert 0 < seconds["min"] <= seconds["median"] <= seconds["max"]
        assert isinstance(seconds["calls_per_sample"], int) and seconds["calls_per_sample"] >= 1


def test_machine_is_named(data):
    machine = data["machine"]
    for key in ("cpu", "platform", "python", "keras", "tensorflow", "numpy", "onednn", "tensorflow_threads"):
        assert isinstance(machine[key], (str, int)) and str(machine[key]).strip(), key
    assert isinstance(machine["cores"], int) and machine["cores"] >= 1
    assert len(machine["load_average_before"]) == len(machine["load_average_after"]) == 3
    assert time.strptime(data["measured"], "%Y-%m-%d")


def test_stored_plot_is_drawn_from_the_stored_results(benchmark, data):
    """The SVG is a pure function of the JSON: redraw it and compare byte for byte."""
    assert PLOT.read_text() == benchmark.render_svg(data), (
        "docs/assets/cost/benchmark.svg is not what benchmark.json draws: "
        "run python scripts/dev.py benchmark --plot-only"
    )


def test_plot_is_themed_and_labelled(data):
    svg = PLOT.read_text()
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert 'role="img"' in svg and '<title id="benchmark-title">' in svg and '<desc id="benchmark-desc">' in svg
    assert "currentColor" in svg and "<style" not in svg and "\n\n" not in svg
    assert data["machine"]["cpu"] in svg and data["machine"]["keras"] in svg and data["machine"]["tensorflow"] in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )


@pytest.mark.xdist_group("benchmark-smoke")
def test_smoke_run_writes_results_and_plot(benchmark, tmp_path):
    start = time.perf_counter()
    assert benchmark.main(["--smoke", "--out", str(tmp_path)]) == 0
    elapsed = time.perf_counter() - start
    data = json.loads((tmp_path / "benchmark.json").read_text())
    assert len(data["results"]) == len(benchmark.LAYERS)
    assert (tmp_path / "benchmark.svg").read_text() == benchmark.render_svg(data)
    assert benchmark.main(["--plot-only", "--out", str(tmp_path)]) == 0
    assert elapsed < 30, f"the smoke run took {elapsed:.1f} s"
