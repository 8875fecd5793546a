"""The video guide: Conv3D learns the direction of motion; frame-by-frame kernels cannot."""

from __future__ import annotations

from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_video_conv3d_learns_the_direction(ns):
    accuracy, flipped = ns["test_accuracy"], ns["flipped"]
    assert accuracy >= 0.95 and flipped >= 0.95, f"accuracy {accuracy}, flipped when reversed {flipped}"


def test_video_frame_by_frame_kernels_cannot(ns):
    assert ns["frame_accuracy"] < 0.6
