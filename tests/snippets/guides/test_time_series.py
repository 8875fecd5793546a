"""The time-series guide: the forecast beats the last value, within the stated receptive field."""

from __future__ import annotations

import numpy as np

from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_time_series_model_beats_the_last_value_by_half(ns):
    assert ns["model_mse"] < 0.5 * ns["naive_mse"], (ns["model_mse"], ns["naive_mse"])


def test_time_series_receptive_field_formula_matches_the_experiment(ns):
    formula = 1 + sum((ns["KERNEL_SIZE"] - 1) * d for d in ns["DILATIONS"])
    assert ns["receptive_field"] == formula
    window, influence = ns["WINDOW"], ns["influence"]
    assert window > formula, "the window must be longer than the receptive field to show its limit"
    # The forecast (last output step) depends on exactly the last `formula` input steps.
    assert list(ns["seen"]) == list(range(window - formula, window))
    # Causal: no output step depends on a later input step.
    assert not np.triu(influence, k=1).any()
    # Output step i depends on input steps i - formula + 1 ... i, clipped at the window's start.
    for i in range(window):
        assert list(np.flatnonzero(influence[i])) == list(range(max(0, i - formula + 1), i + 1))


def test_time_series_stack_picture_is_the_stored_one_and_shows_the_receptive_field(ns):
    from doctools.paths import ROOT

    ((name, picture),) = ns["FIGURES"].items()
    assert (ROOT / name).read_text("utf8") == picture, f"{name} is stale: run python scripts/dev.py update"
    assert "<title " in picture and "<desc " in picture and "#" not in picture
    # The drawn data: the last output reaches exactly the receptive field, as the experiment found.
    assert ns["drawn_inputs"] == set(range(ns["receptive_field"]))
    assert len(ns["drawn_inputs"]) == int(ns["influence"][-1].sum())
