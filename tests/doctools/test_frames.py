"""doctools/site/frames.py: a keystroke's main-thread work, read from a Chromium trace.

The traces here are written by hand in Chromium's format (complete events: ph "X", ts and dur in
µs, tdur the thread's own time); the window view's benchmark (tests/browser/test_window_view.py)
reads real ones and checks that every keystroke is found.
"""

from __future__ import annotations

import json

import pytest

from doctools.site.frames import FRAME, TASK, TraceError, keystroke_work

MAIN = {"pid": 7, "tid": 7}


def event(name: str, ts: int, dur: int, tdur: int | None = None, **args) -> dict:
    found = {"ph": "X", "name": name, "ts": ts, "dur": dur, **MAIN, "args": args}
    if tdur is not None:
        found["tdur"] = tdur
    return found


def keydown(ts: int, dur: int) -> dict:
    return event("EventDispatch", ts, dur, data={"type": "keydown"})


def trace(*events: dict) -> bytes:
    return json.dumps({"traceEvents": list(events)}).encode()


def test_a_keystroke_is_its_task_and_the_frame_after_it():
    work = keystroke_work(
        trace(
            event(TASK, 1_000, 4_000, 3_000),
            keydown(1_100, 3_500),
            event(TASK, 1_500, 1_000, 900),  # nested in the keystroke's task: not counted twice
            event(TASK, 6_000, 500, 500),  # another task before the frame
            event(TASK, 9_000, 2_500, 2_000),
            event(FRAME, 9_100, 2_000, 1_900),
            event(TASK, 20_000, 1_000, 1_000),
            keydown(20_100, 800),
            event(TASK, 30_000, 3_000, 2_500),
            event(FRAME, 30_100, 2_000, 2_000),
        )
    )
    assert work == [{"wall": 6.5, "cpu": 5.0}, {"wall": 4.0, "cpu": 3.5}]


def test_other_threads_are_left_out():
    other = event(TASK, 1_000, 9_000, 9_000) | {"pid": 8, "tid": 8}
    work = keystroke_work(
        trace(
            other,
            event(TASK, 1_000, 1_000, 1_000),
            keydown(1_100, 500),
            event(TASK, 3_000, 1_000, 500),
            event(FRAME, 3_100, 500),
        )
    )
    assert work == [{"wall": 2.0, "cpu": 1.5}]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([event(TASK, 0, 10, 10)], "no keydown"),
        ([event(TASK, 0, 1_000, 1_000), keydown(100, 500)], "no frame was drawn after it"),
        ([keydown(100, 500), event(TASK, 2_000, 1_000, 1_000), event(FRAME, 2_100, 500)], f"no {TASK} holds it"),
        (
            [event(TASK, 0, 1_000), keydown(100, 500), event(TASK, 2_000, 1_000, 1_000), event(FRAME, 2_100, 500)],
            "tdur",
        ),
        ([keydown(100, 500), keydown(100, 500) | {"pid": 8, "tid": 8}], "on one renderer thread, found 2"),
    ],
    ids=["no-keydown", "no-frame", "no-task", "no-thread-time", "two-renderers"],
)
def test_a_trace_without_what_a_figure_needs_is_an_error(events, message):
    with pytest.raises(TraceError, match=message):
        keystroke_work(trace(*events))
