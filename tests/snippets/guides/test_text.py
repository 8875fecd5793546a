"""The text guide: Conv1D spots the ordered motif that a bag of words cannot see."""

from __future__ import annotations

from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_text_conv1d_spots_the_motif(ns):
    assert ns["conv_accuracy"] >= 0.95
    assert ns["long_accuracy"] >= 0.95


def test_text_bag_of_words_stays_at_chance(ns):
    assert ns["bag_accuracy"] < 0.6


def test_text_classes_differ_only_in_order(ns):
    """Both classes hold the motif's tokens side by side; only positives hold them in order."""
    for tokens, label in zip(ns["train_sequences"], ns["y_train"], strict=True):
        assert ns["has_motif"](tokens) == bool(label)
        assert set(ns["MOTIF"]) <= set(tokens.tolist())
