"""The window view (docs/javascripts/window-view.mjs) in Chromium, on the calculator and reference pages.

Every cell the tests expect comes from tests/calculator/window-vectors.json, where Keras computed
which input cell and tap feed which output cell (scripts/make_window_vectors.py); none is typed
here. Every test also checks that the page logged no console error and sent no request off
localhost. A benchmark prints how long one update takes after a keystroke (a figure, not asserted).

    python scripts/dev.py test tests/browser/test_window_view.py
"""

from __future__ import annotations

import json
import math
import statistics
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from doctools.paths import TESTS
from doctools.site.frames import TRACE_CATEGORIES, keystroke_work

DATA = json.loads((TESTS / "calculator" / "window-vectors.json").read_text("utf8"))
BY_ID = {v["id"]: v for v in DATA["windows"] if "id" in v}
AXES = {1: ["length"], 2: ["height", "width"], 3: ["depth", "height", "width"]}
REFERENCE_PAGES = [
    "reference/standard/",
    "reference/depthwise/",
    "reference/separable/",
    "reference/transposed/",
    "reference/shape-arithmetic/",
]


def rank(v: dict) -> int:
    return len(v["input_shape"]) - 2


def py(value) -> str:
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, list):
        return repr(tuple(value))
    return str(value)


def query(v: dict) -> str:
    """The calculator's link to the vector's layer (its fields are Keras's keywords, as Python text)."""
    params = {"layer": v["layer"], **dict(zip(AXES[rank(v)], map(py, v["input_shape"][1:-1]), strict=True))}
    params["channels"] = py(v["input_shape"][-1])
    params.update({name: py(value) for name, value in v["config"].items()})
    return "?" + urlencode(params)


def open_view(watched, site_url: str, v: dict):
    page = watched.page
    page.goto(f"{site_url}calculator/{query(v)}", wait_until="domcontentloaded")
    page.wait_for_selector("#conv-window-view rect.is-focus")
    return page


def links(v: dict) -> list[tuple[tuple, tuple, tuple]]:
    r = rank(v)
    return [(tuple(link[:r]), tuple(link[r : 2 * r]), tuple(link[2 * r :])) for link in v["links"]]


def key(pos) -> str:
    return ",".join(map(str, pos))


# Point at each drawn cell of a panel, as a mouse does (a pointermove at the cell's centre, found
# from the grid's data-rows, data-cols and data-cell), and read what lights up. A 3-D panel is one
# depth slice: the position pointed at takes that panel's slice.
POINT_ALL = """([side, rank]) => {
  const view = document.getElementById("conv-window-view");
  const grid = () => view.querySelector(`svg.wv-grid[data-panel="${side}"]`);
  const range = (name) => grid().dataset[name].split(",").map(Number);
  const [[r0, r1], [c0, c1], size] = [range("rows"), range("cols"), Number(grid().dataset.cell)];
  const slices = () => [...view.querySelectorAll('.wv-slices input[type="range"]')].map((e) => Number(e.value));
  const lit = (panel, name) =>
    [...view.querySelectorAll(`rect[data-panel="${panel}"].${name}`)].map((e) => e.dataset.pos).sort();
  const found = {};
  for (let r = r0; r < r1; r += 1) {
    for (let c = c0; c < c1; c += 1) {
      const svg = grid(); // a 3-D view redraws its panels when the focus moves to another depth
      const own = slices()[side === "input" ? 0 : 1];
      const at = new DOMPoint((c - c0 + 0.5) * size, (r - r0 + 0.5) * size).matrixTransform(svg.getScreenCTM());
      svg.dispatchEvent(new PointerEvent("pointermove", { bubbles: true, clientX: at.x, clientY: at.y }));
      const pos = rank === 1 ? [c] : rank === 2 ? [r, c] : [own, r, c];
      found[pos.join(",")] = {
        focus: lit(side, "is-focus"),
        inputs: lit("input", "is-fed"),
        outputs: lit("output", "is-reached"),
        taps: lit("kernel", "is-tap"),
        slice: slices(),
      };
    }
  }
  return found;
}"""

# The client coordinates of the centre of a drawn cell (row r, column c of the panel's grid),
# scrolled into view, for the mouse.
CELL_CENTRE = """([side, r, c]) => {
  const svg = document.querySelector(`#conv-window-view svg.wv-grid[data-panel="${side}"]`);
  svg.scrollIntoView({ block: "center" });
  const [r0, c0, size] = [svg.dataset.rows, svg.dataset.cols, svg.dataset.cell].map((v) => Number(v.split(",")[0]));
  const at = new DOMPoint((c - c0 + 0.5) * size, (r - r0 + 0.5) * size).matrixTransform(svg.getScreenCTM());
  return [at.x, at.y];
}"""

# The positions of the cells of one kind (class wv-<kind>) as the grid draws them: one subpath
# "Mx yh..." per cell of that kind's path.
CELLS_OF_KIND = r"""([side, kind, rank]) => {
  const svg = document.querySelector(`#conv-window-view svg.wv-grid[data-panel="${side}"]`);
  const [r0, c0, size] = [svg.dataset.rows, svg.dataset.cols, svg.dataset.cell].map((v) => Number(v.split(",")[0]));
  const path = svg.querySelector(`path.wv-${kind}`);
  const corners = path ? [...path.getAttribute("d").matchAll(/M(-?[\d.]+) (-?[\d.]+)h/g)] : [];
  return corners.map(([, x, y]) => {
    const [r, c] = [r0 + Number(y) / size, c0 + Number(x) / size];
    return rank === 1 ? [c] : [r, c];
  });
}"""

CHECKED = [
    "conv1d-same-even",
    "conv1d-causal-dilated",
    "conv2d-valid-stride2",
    "conv2d-same-even",
    "conv2d-same-stride2",
    "conv2d-dilated",
    "conv3d-small",
    "depthwise2d-multiplier",
    "separable2d-stride-dilation",
    "conv1dtranspose-output-padding",
    "conv2dtranspose-same",
    "conv2dtranspose-stride-gt-kernel",
]


@pytest.mark.parametrize("name", CHECKED)
def test_highlighted_cells_are_the_cells_keras_connects(watched_page, site_url, name):
    v = BY_ID[name]
    page = open_view(watched_page, site_url, v)
    r = rank(v)
    all_links = links(v)
    # Pointing at an output cell lights the input cells (and, in 2-D, the taps) that Keras links to it.
    outputs = page.evaluate(POINT_ALL, ["output", r])
    checked = 0
    for pos, seen in outputs.items():
        out = tuple(map(int, pos.split(",")))
        if any(p < 0 or p >= n for p, n in zip(out, v["output_shape"][1:-1], strict=True)):
            continue  # a cropped cell of a transposed layer: nothing to point at
        assert seen["focus"] == [pos], f"pointing at output {pos} lit {seen['focus']}"
        mine = [(i, t) for o, i, t in all_links if o == out]
        if r == 3:  # one depth slice of the input is drawn
            mine = [(i, t) for i, t in mine if i[0] == seen["slice"][0]]
        assert seen["inputs"] == sorted(key(i) for i, _ in mine), f"output {pos}"
        if r < 3:
            assert seen["taps"] == sorted({key(t) for _, t in mine}), f"taps of output {pos}"
        checked += 1
    # Every output cell is drawn, and pointed at, unless a 3-D view draws one depth slice.
    assert checked == math.prod(v["output_shape"][1:-1]) if r < 3 else checked > 0
    # Pointing at an input cell lights every output cell Keras links it to.
    inputs = page.evaluate(POINT_ALL, ["input", r])
    for pos, seen in inputs.items():
        inp = tuple(map(int, pos.split(",")))
        if any(p < 0 or p >= n for p, n in zip(inp, v["input_shape"][1:-1], strict=True)):
            continue  # a padding cell
        assert seen["focus"] == [pos], f"pointing at input {pos} lit {seen['focus']}"
        mine = [o for o, i, _ in all_links if i == inp]
        if r == 3:
            mine = [o for o in mine if o[0] == seen["slice"][1]]
        assert seen["outputs"] == sorted(key(o) for o in mine), f"input {pos}"
    assert not watched_page.problems()


def padding_cells(page, side: str, kind: str, r: int) -> list[list[int]]:
    return page.evaluate(CELLS_OF_KIND, [side, kind, r])


@pytest.mark.parametrize("name", ["conv1d-same-even", "conv2d-same-even"])
def test_same_with_an_even_kernel_shows_its_extra_zero_at_the_end(watched_page, site_url, name):
    v = BY_ID[name]
    page = open_view(watched_page, site_url, v)
    r = rank(v)
    pads = padding_cells(page, "input", "pad", r)
    for axis in range(r):
        n = v["input_shape"][1 + axis]
        # Where Keras's links say the padding starts: input = out * strides + tap - before (strides 1 here).
        before = {o[axis] + t[axis] - i[axis] for o, i, t in links(v)}
        assert len(before) == 1
        drawn_before = len({p[axis] for p in pads if p[axis] < 0})
        drawn_after = len({p[axis] for p in pads if p[axis] >= n})
        assert drawn_before == before.pop()
        assert drawn_after == drawn_before + 1, "the odd zero goes after the input"
    assert "after" in page.locator("#conv-window-view .wv-caption").text_content()
    assert not watched_page.problems()


@pytest.mark.parametrize("name", ["conv1dtranspose-output-padding", "conv2dtranspose-stride-gt-kernel"])
def test_a_transposed_layer_shows_the_positions_output_padding_adds(watched_page, site_url, name):
    v = BY_ID[name]
    page = open_view(watched_page, site_url, v)
    r = rank(v)
    lengths = v["output_shape"][1:-1]
    added = padding_cells(page, "output", "added", r)
    assert added, "no added cell drawn"
    reached = {o for o, _, _ in links(v)}
    for axis in range(r):
        m = lengths[axis]
        last_reached = max(o[axis] for o in reached)
        # Keras reaches no output position after last_reached on this axis: those are the added rows.
        rows = sorted({p[axis] for p in added if p[axis] > last_reached})
        assert rows == list(range(last_reached + 1, m)), f"axis {axis}"
        assert rows, f"axis {axis}: output_padding adds a row at the end"
    # Pointing the mouse at an added cell (the last one) says that no input reaches it.
    last = [m - 1 for m in lengths]
    page.mouse.move(*page.evaluate(CELL_CENTRE, ["output", *([0, *last] if r == 1 else last)]))
    expect(page.locator("#conv-window-view rect.is-focus")).to_have_attribute("data-pos", key(last))
    assert "receives no input" in page.locator("#conv-window-view .wv-status").text_content()
    assert not watched_page.problems()


def test_the_keyboard_moves_the_window_and_play_pauses(watched_page, site_url):
    v = BY_ID["conv2d-valid-stride2"]
    page = open_view(watched_page, site_url, v)
    status = page.locator("#conv-window-view .wv-status")
    panel = page.locator("#conv-window-view .wv-panel--output")
    panel.focus()
    page.keyboard.press("ArrowRight")
    assert status.text_content().startswith("output (0, 1) reads input")
    page.keyboard.press("ArrowDown")
    assert page.locator("#conv-window-view rect.is-focus").get_attribute("data-pos") == "1,1"
    fed = sorted(key(i) for o, i, _ in links(v) if o == (1, 1))
    lit = page.locator("#conv-window-view rect[data-panel='input'].is-fed")
    assert sorted(lit.evaluate_all("(cells) => cells.map((c) => c.dataset.pos)")) == fed
    page.keyboard.press("End")
    last = key([n - 1 for n in v["output_shape"][1:-1]])
    assert page.locator("#conv-window-view rect.is-focus").get_attribute("data-pos") == last
    page.keyboard.press("Home")
    page.get_by_role("button", name="Step ▶").click()
    assert page.locator("#conv-window-view rect.is-focus").get_attribute("data-pos") == "0,1"
    page.get_by_role("button", name="◀ Step back").click()
    assert page.locator("#conv-window-view rect.is-focus").get_attribute("data-pos") == "0,0"
    # Space plays and pauses.
    panel.focus()
    play = page.locator("#conv-window-view .wv-controls button[aria-pressed]")
    page.keyboard.press(" ")
    assert play.get_attribute("aria-pressed") == "true"
    # expect(), not wait_for_function: the page's Content-Security-Policy refuses string predicates.
    expect(page.locator("#conv-window-view rect.is-focus")).not_to_have_attribute("data-pos", "0,0")
    page.keyboard.press(" ")
    assert play.get_attribute("aria-pressed") == "false"
    assert not watched_page.problems()


def test_with_reduced_motion_nothing_moves_on_its_own(browser, site_url):
    context = browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{site_url}calculator/{query(BY_ID['conv2d-valid-stride2'])}")
        page.wait_for_selector("#conv-window-view rect.is-focus")
        play = page.locator("#conv-window-view .wv-controls button[aria-pressed]")
        assert play.is_disabled()
        page.locator("#conv-window-view .wv-panel--output").focus()
        page.keyboard.press(" ")
        page.wait_for_timeout(1500)
        assert page.locator("#conv-window-view rect.is-focus").get_attribute("data-pos") == "0,0"
        assert not errors
    finally:
        context.close()


def test_an_invalid_setting_hides_the_view_with_a_reason(watched_page, site_url):
    page = open_view(watched_page, site_url, BY_ID["conv2d-dilated"])
    page.fill("#calc-in-height", "None")
    message = page.locator("#conv-window-view .wv-message")
    assert message.is_visible()
    assert "spatial" in message.text_content()
    page.fill("#calc-in-height", "7")
    assert page.locator("#conv-window-view .wv-panel--output").is_visible()
    assert not watched_page.problems()


@pytest.mark.parametrize("path", REFERENCE_PAGES)
def test_each_reference_page_mounts_its_live_copy(watched_page, site_url, path):
    page = watched_page.page
    page.goto(f"{site_url}{path}", wait_until="domcontentloaded")
    view = page.locator(".window-view.wv").first
    view.locator(".wv-status").wait_for()
    view.scroll_into_view_if_needed()
    assert view.locator(".wv-status").text_content().strip()
    assert view.locator("svg.wv-grid[data-panel='output'] path.wv-cell").count() > 0
    setting = view.evaluate("(e) => [e.dataset.layer, JSON.parse(e.dataset.config), JSON.parse(e.dataset.input)]")
    assert view.locator(".wv-caption").text_content().startswith(f"{setting[0]}:")
    assert not watched_page.problems()


def test_the_view_fits_a_phone_in_both_palettes(browser, site_url, artifacts):
    from doctools.site.check import set_palette

    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{site_url}calculator/{query(BY_ID['conv2d-same-stride2'])}")
        page.wait_for_selector("#conv-window-view rect.is-focus")
        for scheme in ("default", "slate"):
            set_palette(page, scheme)
            view = page.locator("#conv-window-view")
            sizes = view.evaluate("(e) => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]")
            assert sizes[0] <= sizes[1] + 1 and sizes[2] <= 390, sizes
            colours = view.evaluate(
                """(e) => {
                  const fill = (sel) => getComputedStyle(e.querySelector(sel)).fill;
                  return [fill("rect.is-focus"), fill("rect.is-fed"), fill("path.wv-plain"),
                          getComputedStyle(e.querySelector(".wv-status")).color,
                          getComputedStyle(document.body).backgroundColor];
                }"""
            )
            focus, fed, plain, text, background = colours
            assert len({focus, fed, plain}) == 3, colours
            assert text != background
            view.screenshot(path=str(artifacts / f"window-view-390-{scheme}.png"))
    finally:
        context.close()


# Times every keystroke from its keydown to the end of the next frame that paints its result: the
# keydown listener (capturing, so it runs first) asks for an animation frame, and the frame's
# requestAnimationFrame callback posts a message, which runs once that frame's style, layout and
# paint are done. That time includes the wait for the display's next frame. Also kept: the
# calculator's update() (script) and the view's redraw within it, as data-update-ms says. The
# update's own work, without the wait, comes from Chromium's trace (traced() below).
MEASURE = """() => {
  const marks = (window.__marks = []);
  const root = document.getElementById("conv-calculator");
  const view = document.getElementById("conv-window-view");
  document.addEventListener("keydown", () => {
    const start = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        marks.push({ painted: performance.now() - start,
                     page: Number(root.dataset.updateMs), view: Number(view.dataset.updateMs) });
      };
      channel.port2.postMessage(0);
    });
  }, { capture: true });
}"""
# Wait (in the page: its Content-Security-Policy refuses wait_for_function's string predicates)
# until n keystrokes have been painted.
PAINTED = """async (n) => {
  while (window.__marks.length < n) await new Promise((resolve) => setTimeout(resolve, 2));
  return window.__marks;
}"""
KEYSTROKES = 40
# Strides 1 -> (empty: Keras's default) -> 2 -> (empty) -> 1 ...: each key changes the output
# (28 x 28 or 14 x 14), so the calculator and the whole view redraw.
STRIDES_KEYS = (["Backspace", "2", "Backspace", "1"] * KEYSTROKES)[:KEYSTROKES]
ARROW_KEYS = ["ArrowRight", "ArrowLeft"] * (KEYSTROKES // 2)


def type_and_time(page, keys: list[str]) -> list[dict]:
    page.evaluate("() => { window.__marks.length = 0; }")
    for i, key in enumerate(keys, start=1):
        page.keyboard.press(key)
        page.evaluate(PAINTED, i)
    return page.evaluate(PAINTED, len(keys))


def figures(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} ms, min {min(values):.1f} ms"


FRAME_MS = 1000 / 60


def within_a_frame(values: list[float]) -> str:
    """Work per keystroke: whether it fits in one frame, whatever the wait for the display."""
    fits = sum(value <= FRAME_MS for value in values)
    spread = f"median {statistics.median(values):.1f} ms, max {max(values):.1f} ms"
    return f"{spread}, within one frame: {fits} of {len(values)}"


def traced(browser, page, keys: list[str]) -> list[dict]:
    """The keystrokes again, under Chromium's trace: each one's main-thread work (doctools/site/frames.py)."""
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    try:
        type_and_time(page, keys)
    finally:
        trace = browser.stop_tracing()
    work = keystroke_work(trace)
    assert len(work) == len(keys), f"{len(work)} keydowns traced for {len(keys)} keys"
    return work


def test_benchmark_one_update_after_a_keystroke(watched_page, site_url, browser, record_property):
    """2-D input of 32 x 32 with a 5 x 5 kernel: typing in the strides field, and stepping by arrow key."""
    page = watched_page.page
    params = {"layer": "Conv2D", "height": "32", "width": "32", "channels": "1", "filters": "1", "kernel_size": "5"}
    page.goto(f"{site_url}calculator/?{urlencode(params)}", wait_until="domcontentloaded")
    page.wait_for_selector("#conv-window-view rect.is-focus")
    page.evaluate(MEASURE)
    page.focus("#calc-strides")
    page.keyboard.press("End")
    page.evaluate(PAINTED, 1)  # the End key's frame, before type_and_time counts
    typed = type_and_time(page, STRIDES_KEYS)
    typed_work = traced(browser, page, STRIDES_KEYS)
    assert page.input_value("#calc-strides") == "1"
    expect(page.locator("#calc-output-shape")).to_have_text("(None, 28, 28, 1)")
    page.locator("#conv-window-view .wv-panel--output").focus()
    stepped = type_and_time(page, ARROW_KEYS)
    stepped_work = traced(browser, page, ARROW_KEYS)
    expect(page.locator("#conv-window-view rect.is-focus")).to_have_attribute("data-pos", "0,0")
    line = (
        f"window view, Conv2D 32x32 input, 5x5 kernel, {KEYSTROKES} keystrokes each (one frame is 16.7 ms). "
        f"Keystroke in the strides field (the output grid redrawn on every other key, 28x28 or 14x14): "
        f"the update's own work, from Chromium's trace (the keystroke's task on the page's main thread, "
        f"then the frame that paints it): {within_a_frame([w['wall'] for w in typed_work])}; "
        f"of it on a core (CPU time) {within_a_frame([w['cpu'] for w in typed_work])}. "
        f"From the keystroke to the painted frame, the wait for the display's next frame included: "
        f"{figures([m['painted'] for m in typed])}; the page's update (script) {figures([m['page'] for m in typed])}, "
        f"the view's redraw within it {figures([m['view'] for m in typed])}. "
        f"Arrow key in the output grid: own work {within_a_frame([w['wall'] for w in stepped_work])}; "
        f"CPU time {within_a_frame([w['cpu'] for w in stepped_work])}; "
        f"to the painted frame {figures([m['painted'] for m in stepped])}"
    )
    print(line)
    record_property("report: Window view benchmark", line)
    assert not watched_page.problems()


def test_the_link_keeps_the_cell_in_focus_and_the_depth_slice(watched_page, site_url):
    """cell= and slice= in the calculator's link: written as the reader moves, restored on load."""
    v = BY_ID["conv2d-valid-stride2"]
    page = open_view(watched_page, site_url, v)
    page.locator("#conv-window-view .wv-panel--output").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("cell") == ["1,1"])
    page.reload(wait_until="domcontentloaded")
    focus = page.locator("#conv-window-view rect.is-focus")
    expect(focus).to_have_attribute("data-pos", "1,1")
    fed = sorted(key(i) for o, i, _ in links(v) if o == (1, 1))
    lit = page.locator("#conv-window-view rect[data-panel='input'].is-fed")
    assert sorted(lit.evaluate_all("(cells) => cells.map((c) => c.dataset.pos)")) == fed
    assert page.locator("#conv-window-view .wv-link-note").is_hidden()
    # 3-D: an output cell and an input depth its window reads.
    v3 = BY_ID["conv3d-small"]
    out = (1, 1, 1)
    depths = sorted({i[0] for o, i, _ in links(v3) if o == out})
    assert len(depths) > 1  # so the link's slice, the deeper one, is not what the view shows unasked
    page.goto(f"{site_url}calculator/{query(v3)}&cell={key(out)}&slice={depths[-1]}", wait_until="domcontentloaded")
    expect(focus).to_have_attribute("data-pos", key(out))
    slices = page.locator("#conv-window-view .wv-slices input[type='range']")
    assert slices.first.input_value() == str(depths[-1])
    assert page.locator("#conv-window-view .wv-link-note").is_hidden()
    # A value the view cannot use: a message next to the figure, and the view from its first cell.
    outside = v["output_shape"][1:-1]
    page.goto(f"{site_url}calculator/{query(v)}&cell={key(outside)}&slice=2", wait_until="domcontentloaded")
    note = page.locator("#conv-window-view .wv-link-note")
    expect(note).to_contain_text(f"cell ({', '.join(map(str, outside))}) is outside the output")
    expect(note).to_contain_text("slice is a depth of a 3-D input; Conv2D draws its whole input")
    expect(focus).to_have_attribute("data-pos", "0,0")
    # Moving the focus answers the message.
    page.locator("#conv-window-view .wv-panel--output").focus()
    page.keyboard.press("ArrowRight")
    expect(note).to_be_hidden()
    # Leaving a page before it has loaded aborts its favicon's request; nothing else may fail.
    assert not [p for p in watched_page.problems() if not p.startswith("failed request: net::ERR_ABORTED ")]
