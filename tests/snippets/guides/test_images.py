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


def test_images_picture_shows_this_runs_data(ns):
    from doctools.paths import ROOT

    ((name, (picture, same)),) = ns["FIGURES"].items()
    assert same((ROOT / name).read_text("utf8")), f"{name} is stale: run python scripts/dev.py update"
    assert "<title " in picture and "<desc " in picture and "#" not in picture
    # The comparison is not blind: a picture two shades off in one learned cell, or with other digits, fails.
    cells = [int(v) for v in picture.split("<!-- learned levels: ")[1].split(" -->")[0].split()]
    shifted = [cells[0] + 2, *cells[1:]]
    assert not same(picture.replace(" ".join(map(str, cells)), " ".join(map(str, shifted))))
    assert not same(picture.replace('<path fill="currentColor"', '<path fill="currentColor" ', 1))
    assert len(ns["filter_levels"]) == ns["model"].layers[0].filters
