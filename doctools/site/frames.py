"""The main thread's work per keystroke, read from a Chromium trace (Playwright's ``start_tracing``).

A keystroke's work is the renderer task that dispatched its keydown (its handlers, the page's
update, and the style and layout the browser does for a text field), plus the first frame after
it: the task that ran the frame's style, layout, paint and commit. Chromium records, for each,
the wall time (``dur``) and the time its thread ran (``tdur``): the difference is time the
thread waited for a core, which on a busy machine is not the page's work.

    keystroke_work(trace_bytes) -> [{"wall": ms, "cpu": ms}, ...]  (one per keydown, in order)

Record with the categories in ``TRACE_CATEGORIES``.
"""

from __future__ import annotations

import json

TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
TASK = "RunTask"
FRAME = "PrePaint"  # a step of every frame that paints something new


class TraceError(ValueError):
    """The trace lacks what a keystroke's figure needs."""


def _main_thread(events: list[dict]) -> tuple[int, int]:
    """The renderer's main thread that dispatched the keydowns."""
    threads = {(e["pid"], e["tid"]) for e in events if _is_keydown(e)}
    if not threads:
        raise TraceError("the trace holds no keydown")
    if len(threads) != 1:
        raise TraceError(f"expected the keydowns on one renderer thread, found {len(threads)}")
    return threads.pop()


def _is_keydown(event: dict) -> bool:
    data = event.get("args", {}).get("data")
    return event.get("name") == "EventDispatch" and isinstance(data, dict) and data.get("type") == "keydown"


def _outermost(tasks: list[dict]) -> list[dict]:
    """Tasks not nested in another (a task can run a nested one), by start."""
    found: list[dict] = []
    for task in sorted(tasks, key=lambda e: (e["ts"], -e["dur"])):
        if found and task["ts"] < found[-1]["ts"] + found[-1]["dur"]:
            continue
        found.append(task)
    return found


def _containing(tasks: list[dict], event: dict) -> dict | None:
    return next((t for t in tasks if t["ts"] <= event["ts"] and event["ts"] + event["dur"] <= t["ts"] + t["dur"]), None)


def keystroke_work(trace: bytes) -> list[dict]:
    """Per keydown, in order: the wall and thread (CPU) milliseconds of its task and its frame."""
    document = json.loads(trace)
    events = [e for e in document.get("traceEvents", document) if e.get("ph") == "X" and "dur" in e]
    thread = _main_thread(events)
    mine = [e for e in events if (e["pid"], e["tid"]) == thread]
    tasks = _outermost([e for e in mine if e["name"] == TASK])
    frames = [e for e in mine if e["name"] == FRAME]
    work = []
    for keydown in sorted((e for e in mine if _is_keydown(e)), key=lambda e: e["ts"]):
        task = _containing(tasks, keydown)
        if task is None:
            raise TraceError(f"keydown at {keydown['ts']} µs: no {TASK} holds it (record {TRACE_CATEGORIES})")
        end = task["ts"] + task["dur"]
        frame = next((f for f in frames if f["ts"] >= end), None)
        frame_task = frame and _containing(tasks, frame)
        if frame_task is None:
            raise TraceError(f"keydown at {keydown['ts']} µs: no frame was drawn after it")
        both = (task, frame_task)
        if any("tdur" not in t for t in both):
            raise TraceError(f"keydown at {keydown['ts']} µs: its tasks lack the thread time (tdur)")
        work.append({"wall": sum(t["dur"] for t in both) / 1000, "cpu": sum(t["tdur"] for t in both) / 1000})
    return work
