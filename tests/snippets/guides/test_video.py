"""The video guide: Conv3D learns the direction of motion; frame-by-frame kernels cannot."""

from __future__ import annotations

from tests.snippets.runs import snippet_group

pytestmark = snippet_group(__file__)


def test_video_conv3d_learns_the_direction(ns):
    assert ns["test_accuracy"] >= 0.95
    assert ns["flipped"] >= 0.95


def test_video_frame_by_frame_kernels_cannot(ns):
    assert ns["frame_accuracy"] < 0.6
