"""The digits guide: both classifiers reach its threshold, and the separable one is smaller."""

from __future__ import annotations

from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_images_both_digit_classifiers_reach_095(ns):
    assert ns["conv_accuracy"] >= 0.95
    assert ns["separable_accuracy"] >= 0.95


def test_images_separable_variant_is_smaller(ns):
    assert ns["separable"].count_params() < ns["model"].count_params()
    assert ns["separable"].layers[2].count_params() < ns["model"].layers[2].count_params()


def test_images_split_is_fixed_and_disjoint(ns):
    assert len(ns["x_train"]) + len(ns["x_test"]) == len(ns["digits"].images)
    assert ns["x_train"].shape[1:] == (8, 8, 1)
    assert 0.0 <= ns["x_train"].min() and ns["x_train"].max() <= 1.0
