"""The layer calculator page (docs/calculator.md) driven in Chromium as a reader would drive it.

Every number the tests expect comes from tests/calculator/vectors.json, where Keras computed it
(scripts/make_calculator_vectors.py); none is typed here. The tests wait with ``expect``, never
``page.wait_for_function``, whose string predicates the page's Content-Security-Policy refuses
(they would need 'unsafe-eval'). Every test also checks that the page
logged no console error, had no failed request and sent no request off localhost.

    python scripts/dev.py test tests/browser/test_calculator.py
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from doctools.literals import py
from tests.calculator.vectors import DATA, VECTORS, check_all

BY_ID = {v["id"]: v for v in VECTORS if "id" in v}
ARGUMENTS = {layer: [entry[0] for entry in entries] for layer, entries in DATA["arguments"].items()}
RANK = {layer: int(re.search(r"\d", layer)[0]) for layer in ARGUMENTS}
AXES = {1: ["length"], 2: ["height", "width"], 3: ["depth", "height", "width"]}
VALID = [v for v in VECTORS if "expected" in v]


# ----------------------------------------------------------------------------------------------
# Values as the page writes them, and the vectors as the page's fields and links


def field(value) -> str:
    """A config value as the page's fields take it: as Python writes it, strings without quotes."""
    return value if isinstance(value, str) else py(value)


def count(n: int | None) -> str:
    return "unknown" if n is None else f"{n:,}"


def channels_first(v: dict) -> bool:
    return str(v["config"].get("data_format")).lower() == "channels_first"


def sizes(v: dict) -> tuple[list, object]:
    """(spatial sizes, channels) of the vector's input shape."""
    shape = v["input_shape"]
    return (shape[2:], shape[1]) if channels_first(v) else (shape[1:-1], shape[-1])


def query(v: dict) -> str:
    """The link to the vector's view: layer, input sizes by axis name, then every argument."""
    spatial, channels = sizes(v)
    params = {"layer": v["layer"], **dict(zip(AXES[RANK[v["layer"]]], map(py, spatial), strict=True))}
    params["channels"] = field(channels)
    for name in ARGUMENTS[v["layer"]]:
        params[name] = field(v["config"][name]) if name in v["config"] else ""
    return "?" + urlencode(params)


def expressible(v: dict) -> bool:
    """The page's fields can hold the vector: known keywords, the layer's rank, plain values."""
    layer = v["layer"]
    return set(v["config"]) <= set(ARGUMENTS[layer]) and len(v["input_shape"]) == RANK[layer] + 2


def sample(vectors: list[dict], per_layer: int) -> list[dict]:
    """Evenly spread vectors of every layer, the same on every run."""
    chosen = []
    for layer in ARGUMENTS:
        mine = [v for v in vectors if v["layer"] == layer and expressible(v)]
        step = max(1, len(mine) // per_layer)
        chosen += mine[::step][:per_layer]
    return chosen


# ----------------------------------------------------------------------------------------------
# Driving the page


def open_calculator(watched, site_url: str, search: str = ""):
    page = watched.page
    page.goto(f"{site_url}calculator/{search}", wait_until="domcontentloaded")
    page.wait_for_selector("#calc-layer")
    return page


def fill_form(page, v: dict) -> None:
    """Enter the vector through the form: layer, data_format (it orders the input), sizes, arguments."""
    layer, config = v["layer"], v["config"]
    page.select_option("#calc-layer", layer)
    page.select_option("#calc-data_format", "channels_first" if channels_first(v) else "channels_last")
    spatial, channels = sizes(v)
    for axis, size in zip(AXES[RANK[layer]], spatial, strict=True):
        page.fill(f"#calc-in-{axis}", field(size))
    page.fill("#calc-in-channels", field(channels))
    for name in ARGUMENTS[layer]:
        if name == "data_format":
            continue
        if name == "padding":
            page.select_option("#calc-padding", str(config.get("padding", "valid")).lower())
        elif name == "use_bias":
            page.set_checked("#calc-use_bias", config.get("use_bias", True))
        else:
            page.fill(f"#calc-{name}", field(config[name]) if name in config else "")


RESULTS = """() => {
  const text = (id) => document.getElementById(id).textContent;
  if (!document.getElementById("calc-invalid").hidden) return { invalid: text("calc-problems") };
  return {
    output_shape: text("calc-output-shape"),
    params: text("calc-params").split(" = ").pop(),
    weight_shapes: [...document.querySelectorAll("#calc-weights [data-shape]")].map((e) => e.textContent),
    macs: text("calc-macs"),
  };
}"""


def results(page) -> dict:
    """What the page shows, in the vectors' terms (as text), or {"invalid": its messages}."""
    return page.evaluate(RESULTS)


def expected(v: dict) -> dict:
    e = v["expected"]
    return {
        "output_shape": field(e["output_shape"]),
        "params": count(e["params"]),
        "weight_shapes": [field(shape) for shape in e["weight_shapes"]],
        "macs": count(e["macs"]),
    }


def visible_fields(page) -> list[str]:
    return page.eval_on_selector_all(
        ".conv-calc__arguments [data-field]", "els => els.filter(e => !e.hidden).map(e => e.dataset.field)"
    )


def field_state(page) -> dict:
    """Every visible control's value, by id."""
    return page.eval_on_selector_all(
        "#conv-calculator input, #conv-calculator select",
        """els => Object.fromEntries(els.filter(e => e.offsetParent !== null)
             .map(e => [e.id, e.type === "checkbox" ? e.checked : e.value]))""",
    )


def assert_clean(watched) -> None:
    """No console error, failed request or request off localhost. The tests open page after page
    without waiting for late requests (Material's search index), which the next navigation aborts:
    those aborts are the tests' doing, not the page's."""
    problems = [p for p in watched.problems() if not p.startswith("failed request: net::ERR_ABORTED ")]
    assert not problems, "\n".join(problems)


def assert_no_broken_numbers(page) -> None:
    """No NaN, undefined or negative size anywhere; the messages may quote what the reader typed."""
    text = page.inner_text("#conv-calculator")
    assert not re.search(r"NaN|undefined|Infinity", text), text
    values = page.inner_text(".conv-calc__values") if page.is_visible(".conv-calc__values") else ""
    assert not re.search(r"-\d", values), values


# ----------------------------------------------------------------------------------------------
# The tests


def test_each_layer_offers_exactly_its_keras_arguments(watched_page, site_url):
    page = open_calculator(watched_page, site_url)
    for layer, names in ARGUMENTS.items():
        page.select_option("#calc-layer", layer)
        assert visible_fields(page) == names, layer
        assert page.inner_text("#calc-arguments-legend") == f"Arguments of {layer}"
        axes = page.eval_on_selector_all(".conv-calc__axes label", "els => els.map(e => e.textContent)")
        assert axes == [*AXES[RANK[layer]], "channels"], layer
    assert_clean(watched_page)


def test_typed_settings_give_kerass_numbers(watched_page, site_url):
    """The named vectors and some of every layer, typed into one page one after the other."""
    page = open_calculator(watched_page, site_url)
    typed = [v for v in BY_ID.values() if "expected" in v] + sample(VALID, per_layer=1)

    def check(v):
        fill_form(page, v)
        shown = {**results(page), "input_shape": page.inner_text("#calc-input-shape")}
        shown["warned"] = page.is_visible("#calc-output_padding-warning")
        want = {**expected(v), "input_shape": field(v["input_shape"]), "warned": "backend_error" in v}
        assert_no_broken_numbers(page)
        return None if shown == want else f"{shown} instead of {want}"

    check_all(typed, check)
    assert len(typed) >= 20
    assert_clean(watched_page)


def test_links_to_many_vectors_show_kerass_numbers(watched_page, site_url):
    def check(v):
        page = open_calculator(watched_page, site_url, query(v))
        shown = results(page)
        return None if shown == expected(v) else f"{query(v)} shows {shown} instead of {expected(v)}"

    chosen = sample(VALID, per_layer=3)
    check_all(chosen, check)
    assert len(chosen) >= 30
    assert_clean(watched_page)


def test_an_invalid_value_gets_its_reason_next_to_the_field(watched_page, site_url):
    page = open_calculator(watched_page, site_url)
    page.fill("#calc-filters", "0")
    error = page.locator("#calc-filters-error")
    assert error.is_visible()
    assert error.inner_text().startswith("filters must be a positive integer")
    # Right under the input, inside the same field, and announced with it.
    assert page.eval_on_selector("#calc-filters", "e => e.nextElementSibling.id") == "calc-filters-error"
    assert page.get_attribute("#calc-filters", "aria-invalid") == "true"
    assert "calc-filters-error" in page.get_attribute("#calc-filters", "aria-describedby").split()
    # The results say what to fix instead of showing stale or broken numbers.
    assert page.is_visible("#calc-invalid")
    assert "Fix the highlighted setting" in page.inner_text("#calc-invalid")
    assert page.is_hidden("#calc-output-shape") and page.is_hidden("#calc-code")
    assert_no_broken_numbers(page)
    # The message in the results leads to the field.
    page.click("#calc-problems a")
    assert page.evaluate("document.activeElement.id") == "calc-filters"
    # Fixed, everything is back.
    page.fill("#calc-filters", "32")
    assert page.is_hidden("#calc-filters-error")
    assert page.get_attribute("#calc-filters", "aria-invalid") is None
    assert results(page) == expected(BY_ID["conv2d-mnist"])
    page.fill("#calc-in-height", "-3")
    assert page.inner_text("#calc-in-height-error").startswith("height must be a positive integer or None")
    assert_no_broken_numbers(page)
    assert_clean(watched_page)


def test_what_keras_rejects_is_marked_at_the_argument_keras_names(watched_page, site_url):
    invalid = [v for v in VECTORS if "error" in v and expressible(v)]
    unknown_channels = next(v for v in invalid if v["arg"] == "input_shape")
    rejected = [BY_ID["conv2d-kernel-too-big"], BY_ID["conv2d-causal"], unknown_channels, *sample(invalid, per_layer=2)]

    def check(v):
        page = open_calculator(watched_page, site_url, query(v))
        assert_no_broken_numbers(page)
        if not page.is_visible("#calc-invalid"):
            return f"the page accepts it; Keras: {v['error']}"
        if v["arg"] == "input_shape":
            marked = page.locator(".conv-calc__shape .conv-calc__error:visible").count() > 0
        else:
            error = page.locator(f"#calc-{v['arg']}-error")
            marked = error.is_visible() and error.inner_text().startswith(v["arg"])
            marked = marked and page.get_attribute(f"#calc-{v['arg']}", "aria-invalid") == "true"
        shown = page.inner_text("#calc-problems")
        return None if marked else f"no message at {v['arg']} (the page says {shown!r}); Keras: {v['error']}"

    check_all(rejected, check)
    assert {v["arg"] for v in rejected} >= {"kernel_size", "padding", "groups", "output_padding", "input_shape"}
    assert_clean(watched_page)


@pytest.mark.parametrize("name", ["conv1dtranspose-output-padding", "conv3d-channels-first"])
def test_the_link_keeps_the_view(watched_page, site_url, name):
    v = BY_ID[name]
    page = open_calculator(watched_page, site_url)
    fill_form(page, v)
    state, shown = field_state(page), results(page)
    assert shown == expected(v)
    # The page writes the link once typing stops (history.replaceState costs more than an update).
    wanted = field(v["config"]["kernel_size"])
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("kernel_size") == [wanted])
    params = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    assert params["layer"] == [v["layer"]]
    assert params["kernel_size"] == [field(v["config"]["kernel_size"])]
    link = page.url
    page.reload(wait_until="domcontentloaded")
    assert (field_state(page), results(page)) == (state, shown)
    # The link, opened after visiting another page.
    page.goto(site_url, wait_until="domcontentloaded")
    page.goto(link, wait_until="domcontentloaded")
    assert (field_state(page), results(page)) == (state, shown)
    assert_clean(watched_page)


def test_invalid_values_in_a_link_get_messages_not_a_crash(watched_page, site_url):
    search = "?" + urlencode(
        {
            "layer": "Conv2D",
            "filters": "many",
            "kernel_size": "(3, x)",
            "height": "-4",
            "channels": "None",
            "padding": "full",
            "use_bias": "maybe",
        }
    )
    page = open_calculator(watched_page, site_url, search)
    for field in ("filters", "kernel_size", "use_bias"):
        assert page.inner_text(f"#calc-{field}-error").startswith(field), field
    assert page.inner_text("#calc-in-height-error").startswith("height")
    assert page.inner_text("#calc-in-channels-error").startswith("channels")
    assert page.input_value("#calc-filters") == "many"  # what the link said, shown to be fixed
    assert page.is_visible("#calc-invalid")
    assert_no_broken_numbers(page)

    page = open_calculator(watched_page, site_url, "?layer=Conv9D")
    assert page.inner_text("#calc-layer-error").startswith("layer must be one of")
    assert page.is_visible("#calc-invalid")
    page.select_option("#calc-layer", "Conv2D")
    assert page.is_hidden("#calc-layer-error")
    assert results(page) == expected(BY_ID["conv2d-mnist"])
    assert_clean(watched_page)


STEPS_TO_OPTION = """(wanted) => {
  const select = document.activeElement;
  return [...select.options].findIndex((o) => o.value === wanted) - select.selectedIndex;
}"""


def type_into_focused(page, v: dict) -> str:
    """Set the focused control to the vector's value with keys alone; returns the control's id."""
    focused = page.evaluate("({id: document.activeElement.id, tag: document.activeElement.tagName})")
    name = focused["id"].removeprefix("calc-").removeprefix("in-")
    spatial, channels = sizes(v)
    values = {**dict(zip(AXES[RANK[v["layer"]]], spatial, strict=True)), "channels": channels, **v["config"]}
    if focused["tag"] == "SELECT":
        defaults = {"padding": "valid", "data_format": "channels_last"}
        wanted = v["layer"] if name == "layer" else str(values.get(name) or defaults[name]).lower()
        # Arrow keys walk the options, as a keyboard user does.
        steps = page.evaluate(STEPS_TO_OPTION, wanted)
        for _ in range(abs(steps)):
            page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        assert page.evaluate("document.activeElement.value") == wanted, name
    elif name == "use_bias":
        if page.evaluate("document.activeElement.checked") != values.get("use_bias", True):
            page.keyboard.press("Space")
    elif name in values:
        page.keyboard.press("Control+A")
        page.keyboard.type(field(values[name]))
    return focused["id"]


def test_keyboard_alone(watched_page, site_url, context):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    v = BY_ID["conv1d-causal-dilated"]
    page = open_calculator(watched_page, site_url)
    for _ in range(200):  # Tab from the top of the page to the calculator
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "calc-layer":
            break
    visited = [type_into_focused(page, v)]
    for _ in range(len(ARGUMENTS[v["layer"]]) + 2):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"no visible focus on {page.evaluate('document.activeElement.id')}"
        visited.append(type_into_focused(page, v))
    # The order of the form: layer, the input sizes, then the arguments in Keras's order.
    fields = ["calc-in-length", "calc-in-channels", *(f"calc-{name}" for name in ARGUMENTS[v["layer"]])]
    assert visited == ["calc-layer", *fields], visited
    assert results(page) == expected(v)
    # The copy button is reached and pressed from the keyboard too.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('conv-calc__copy')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('conv-calc__copy')")
    page.keyboard.press("Enter")
    expect(page.locator(".conv-calc__copy-status")).not_to_have_text("")
    assert page.evaluate("navigator.clipboard.readText()") == page.eval_on_selector("#calc-code", "e => e.textContent")
    assert_clean(watched_page)


def test_the_copy_button_copies_the_keras_code(watched_page, site_url, context):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    v = BY_ID["separable2d"]
    page = open_calculator(watched_page, site_url, query(v))
    code = page.inner_text("#calc-code")
    assert code.startswith("import keras\n") and f"keras.layers.{v['layer']}(" in code
    assert f"# {v['expected']['params']}" in code
    # One copy button: Material adds none of its own to this generated code.
    assert page.locator("#conv-calculator button[title='Copy to clipboard']").count() == 1
    page.click(".conv-calc__copy")
    expect(page.locator(".conv-calc__copy-status")).not_to_have_text("")
    assert page.inner_text(".conv-calc__copy-status") == "Copied to clipboard"
    assert page.evaluate("navigator.clipboard.readText()") == page.eval_on_selector("#calc-code", "e => e.textContent")
    assert_clean(watched_page)


def test_the_results_are_announced_politely(watched_page, site_url):
    page = open_calculator(watched_page, site_url)
    live = page.locator("[aria-live='polite']#calc-summary")
    assert live.get_attribute("role") == "status"
    page.fill("#calc-filters", "0")
    expect(page.locator("#calc-summary")).to_have_text(re.compile(r"^Not valid"))
    page.fill("#calc-filters", "32")
    mnist = BY_ID["conv2d-mnist"]["expected"]
    expect(page.locator("#calc-summary")).to_contain_text(f"{mnist['params']:,}")
    # Every control has a label; the groups have legends.
    unlabeled = page.eval_on_selector_all(
        "#conv-calculator input, #conv-calculator select", "els => els.filter(e => !e.labels.length).map(e => e.id)"
    )
    assert unlabeled == []
    assert page.locator("#conv-calculator fieldset > legend").count() >= 2
    assert_clean(watched_page)


CONTRAST = """() => {
  const rgba = (text) => text.match(/[\\d.]+/g).map(Number).concat(1).slice(0, 4);
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const color = rgba(getComputedStyle(e).backgroundColor);
      if (color[3] > 0) return color;
    }
    return [255, 255, 255, 1];
  };
  const luminance = ([r, g, b]) => {
    const channel = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const selectors = ["label", ".conv-calc__help", ".conv-calc__error", "input[type=text]", "select", "#calc-problems"];
  return selectors.map((selector) => {
    const element = [...document.querySelectorAll("#conv-calculator " + selector)].find((e) => e.offsetParent);
    const [r, g, b, a] = rgba(getComputedStyle(element).color);
    const bg = background(element);
    const fg = [r, g, b].map((c, i) => c * a + bg[i] * (1 - a));
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return [selector, (hi + 0.05) / (lo + 0.05)];
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_in_both_themes(watched_page, site_url, scheme):
    watched_page.page.emulate_media(color_scheme=scheme)  # Material follows it on a first visit
    page = open_calculator(watched_page, site_url, "?layer=Conv2D&filters=0")
    assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")
    for selector, ratio in page.evaluate(CONTRAST):
        assert ratio >= 4.5, f"{selector}: contrast {ratio:.2f} in the {scheme} scheme"
    assert_clean(watched_page)


def test_the_pytorch_line_appears_only_where_pytorch_has_one(watched_page, site_url):
    """Under the Keras code: a PyTorch module where one computes the layer (the padding from
    snippets/porting/convert.py's rule), and for "same" with strides never a line without its
    per-side padding and the note that it holds for this input size only."""
    from snippets.porting.convert import same_padding

    settings = {"layer": "Conv2D", "height": "8", "width": "8", "channels": "4", "filters": "6", "kernel_size": "3"}
    page = open_calculator(watched_page, site_url, "?" + urlencode({**settings, "padding": "same"}))
    line = page.locator("#calc-pytorch")
    expect(line).to_contain_text("PyTorch equivalent: torch.nn.Conv2d(4, 6, kernel_size=(3, 3)")
    expect(line).to_contain_text(f"padding={py(tuple(same_padding(8, 3)[:1] * 2))}")
    page.fill("#calc-strides", "2")
    before, after = same_padding(8, 3, 2)
    expect(line).to_contain_text(f"torch.nn.ZeroPad2d({py((before, after, before, after))})")
    expect(line).to_contain_text("for this input size only")
    page.fill("#calc-in-height", "None")
    expect(line).not_to_contain_text("torch.nn")
    expect(line).to_contain_text("No PyTorch equivalent")
    assert_clean(watched_page)
