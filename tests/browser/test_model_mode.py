"""The calculator's model mode (docs/calculator.md, "A whole model") driven in Chromium.

The numbers the table must show come from Keras: a pasted keras.applications config is compared
row by row with tests/calculator/model_vectors.json.gz (Keras's output shape and count_params()
per layer), and the built stack's code is run with Keras in tests/calculator/test_model_code.py.
Every test also checks that the page logged no console error and sent no request off localhost.

    python scripts/dev.py test tests/browser/test_model_mode.py
"""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import unquote, urlsplit

from playwright.sync_api import expect

from doctools.literals import py
from doctools.paths import ROOT
from doctools.site.check import describe_violations, run_axe, set_palette, watch
from tests.browser.test_calculator import assert_clean

MODELS = json.loads(gzip.decompress((ROOT / "tests" / "calculator" / "model_vectors.json.gz").read_bytes()))["models"]


def open_page(watched, site_url: str, fragment: str = ""):
    page = watched.page
    page.goto(f"{site_url}calculator/{fragment}", wait_until="domcontentloaded")
    page.wait_for_selector("#model-layers li")
    return page


def table(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#model-table tbody tr", "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))"
    )


def classes(page) -> list[str]:
    return page.eval_on_selector_all("#model-layers li", "els => els.map(e => e.dataset.class)")


def fragment(page) -> str:
    """The address bar's fragment (page.url lags behind history.replaceState)."""
    return unquote(page.evaluate("() => location.hash").removeprefix("#"))


def test_build_reorder_remove_and_reload(watched_page, site_url):
    page = open_page(watched_page, site_url)
    start = classes(page)
    assert start[0] == "Conv2D"
    expect(page.locator("#model-table")).to_be_visible()
    # Add a Dropout at the end, with the keyboard: select the class, Tab to the button, Enter.
    page.select_option("#model-add-class", "Dropout")
    page.focus("#model-add-class")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert classes(page) == [*start, "Dropout"]
    # Move it up twice with the keyboard (focus stays on the moved layer's button).
    page.get_by_role("button", name=f"Move layer {len(start) + 1} (Dropout) up").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert classes(page)[len(start) - 2] == "Dropout"
    # Remove the first layer.
    page.get_by_role("button", name="Remove layer 1 (Conv2D)").click()
    now = classes(page)
    assert now == [*start[1 : len(start) - 2], "Dropout", *start[len(start) - 2 :]]
    rows = table(page)
    assert [r[1] for r in rows] == ["InputLayer", *now]
    assert fragment(page).startswith("model=1;")
    assert ";Dropout,rate=0.5;" in fragment(page)
    # The link keeps the stack: reload, the same table.
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("#model-table tbody tr")
    assert classes(page) == now
    assert table(page) == rows
    # An argument typed in a layer's field changes the row and the link.
    page.fill("#model-0-pool_size", "(3, 3)")
    assert "pool_size=(3, 3)" in fragment(page)
    assert table(page) != rows
    # The single-layer calculator above still works, and its query string is kept beside the fragment.
    page.fill("#calc-filters", "7")
    page.wait_for_url(lambda url: "filters=7" in urlsplit(url).query)  # written once typing stops
    assert fragment(page).startswith("model=1;")
    assert_clean(watched_page)


def test_a_link_with_a_stack_and_the_keras_code(watched_page, site_url):
    link = "#model=1;in=16%2C3;Conv1D,filters=4,kernel_size=3;Flatten;Dense,units=2"
    page = open_page(watched_page, site_url, link)
    assert classes(page) == ["Conv1D", "Flatten", "Dense"]
    rows = table(page)
    assert [r[2] for r in rows] == ["(None, 16, 3)", "(None, 14, 4)", "(None, 56)", "(None, 2)"]
    code = page.inner_text("#model-code")
    assert "keras.Input(shape=(16, 3))" in code
    assert "keras.layers.Conv1D(filters=4, kernel_size=3)" in code
    # The 1-D receptive field is drawn for the selected row.
    page.get_by_role("button", name="conv1d", exact=True).click()
    svg = page.locator("#model-field svg")
    expect(svg).to_be_visible()
    assert svg.locator("title").text_content().startswith("Receptive field of conv1d")
    assert svg.locator("[data-window]").get_attribute("data-window") == "6:8"
    assert_clean(watched_page)


def test_a_pasted_keras_applications_model_row_by_row(watched_page, site_url):
    name = "MobileNetV3Small"
    vectors = MODELS[name]
    page = open_page(watched_page, site_url)
    page.fill("#model-paste", json.dumps({"class_name": "Functional", "config": vectors["config"]}))
    page.click("#model-explain")
    expect(page.locator("#model-paste-note")).to_contain_text("not store")
    shown = table(page)
    wanted = [[layer, cls, py(shape), f"{params:,}"] for layer, cls, shape, params in vectors["layers"]]
    assert [row[:4] for row in shown] == wanted
    assert page.inner_text("#model-total-params") == f"{vectors['count_params']:,}"
    expect(page.locator("#model-error")).to_be_hidden()
    assert_clean(watched_page)


def test_a_pasted_chain_becomes_the_stack_and_the_link(watched_page, site_url):
    """VGG16 is a Functional chain of builder layers: it becomes the stack (Keras's automatic names)."""
    vectors = MODELS["VGG16"]
    page = open_page(watched_page, site_url)
    page.fill("#model-paste", json.dumps(vectors["config"]))
    page.click("#model-explain")
    expect(page.locator("#model-paste-note")).to_contain_text("now the stack")
    wanted = [[cls, py(shape), f"{params:,}"] for _, cls, shape, params in vectors["layers"]]
    assert [row[1:4] for row in table(page)] == wanted
    assert classes(page) == [cls for _, cls, _, _ in vectors["layers"][1:]]
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("#model-table tbody tr")
    assert [row[1:4] for row in table(page)] == wanted
    assert page.inner_text("#model-total-params") == f"{vectors['count_params']:,}"
    assert_clean(watched_page)


def test_garbage_and_an_unknown_layer_get_a_message_and_no_table(watched_page, site_url):
    page = open_page(watched_page, site_url)
    expect(page.locator("#model-table")).to_be_visible()
    page.fill("#model-paste", "{not json")
    page.click("#model-explain")
    expect(page.locator("#model-error")).to_contain_text("not valid JSON")
    expect(page.locator("#model-table")).to_be_hidden()
    expect(page.locator("#model-total-params")).to_have_count(0)
    config = json.loads(json.dumps(MODELS["VGG16"]["config"]))
    config["layers"][3]["class_name"] = "MyFancyConv"
    page.fill("#model-paste", json.dumps(config))
    page.click("#model-explain")
    layer = config["layers"][3]["name"]
    expect(page.locator("#model-error")).to_contain_text(f'layer "{layer}": class "MyFancyConv"')
    expect(page.locator("#model-table")).to_be_hidden()
    assert page.get_attribute("#model-paste", "aria-invalid") == "true"
    # A setting Keras would refuse in the stack: the message names the layer; no table either.
    page.fill("#model-input", "2, 2, 1")
    expect(page.locator("#model-error")).to_contain_text('layer "conv2d" (Conv2D)')
    expect(page.locator("#model-0-refused")).to_contain_text('layer "conv2d" (Conv2D)')
    expect(page.locator("#model-table")).to_be_hidden()
    page.fill("#model-input", "28, 28, 1")
    expect(page.locator("#model-table")).to_be_visible()
    assert_clean(watched_page)


def test_hostile_links_get_messages_and_run_nothing(watched_page, site_url):
    huge = "9" * 10000
    layers = "__proto__,x=1;Conv1D,filters=%3Cimg%20src%3Dx%3E,__proto__=1;Lambda;Dense,units=%E2%80%AE7"
    link = f"#model=1;in={huge};{layers}"
    page = open_page(watched_page, site_url, link)
    assert classes(page) == ["Conv1D", "Dense"]
    expect(page.locator("#model-link-note")).to_contain_text('"Lambda"')
    expect(page.locator("#model-table")).to_be_hidden()
    expect(page.locator("#model-error")).to_contain_text("input shape")
    expect(page.locator("#model-input-error")).to_contain_text("input shape")
    assert page.locator("#model-calculator img").count() == 0
    assert not re.search(r"NaN|undefined|Infinity", page.inner_text("#model-calculator"))
    assert page.evaluate("() => ({}).x") is None
    assert_clean(watched_page)


def test_a_phone_both_palettes_and_axe(browser, site_url, artifacts, node_tools):
    """390 px wide: nothing wider than the screen; axe finds nothing serious with the table, with an
    error, and with a drawn receptive field, in the light and the dark palette."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        watched = watch(context.new_page())
        page = watched.page
        page.goto(f"{site_url}calculator/", wait_until="networkidle")
        page.wait_for_selector("#model-table tbody tr")
        box = page.locator("#model-calculator")
        found = []
        for scheme in ("default", "slate"):
            set_palette(page, scheme)
            box.scroll_into_view_if_needed()
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, width
            box.screenshot(path=str(artifacts / f"model-mode-390-{scheme}.png"))
            found += [f"[{scheme}, table] {line}" for line in describe_violations(run_axe(page))]
        page.fill("#model-0-filters", "(")
        expect(page.locator("#model-error")).to_be_visible()
        found += [f"[slate, error] {line}" for line in describe_violations(run_axe(page))]
        set_palette(page, "default")
        found += [f"[default, error] {line}" for line in describe_violations(run_axe(page))]
        assert not found, "\n".join(found)
        assert_clean(watched)
    finally:
        context.close()
