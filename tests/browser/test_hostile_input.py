"""Hostile values in the calculator's link (docs/javascripts/calculator-page.mjs, stateFromQuery).

The calculator reads its whole state from the address bar, so anyone can send a reader a link
with any text in any field. For every value below, in every field of the form, the page must:

- put a message under that field (the field's name first, as for any mistake) and show "Fix the
  highlighted setting" instead of results;
- run nothing: the script payloads set ``window.__hostile`` or open a dialog, neither of which may
  happen, and no markup may reach the page as HTML (the Content-Security-Policy would report it);
- log no console error, and show no NaN, Infinity or undefined that the reader did not type;
- stay responsive and no wider than the window.

Each value first goes into every field at once (one page load); a field that shows no message
then (its check comes after the others, as Keras's do) gets the value on its own. Parameters the
calculator does not know, ``__proto__`` and ``constructor`` among them, are ignored: the page
shows its starting example and the prototypes stay clean.

    .venv/bin/python -m pytest -p no:randomly -n 0 tests/browser/test_hostile_input.py
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.calculator.vectors import DATA

# The fields of Conv2D's form (the page's starting layer), in the URL's names.
SHAPE_FIELDS = {"height", "width", "channels"}
FIELDS = ["layer", "height", "width", "channels", *(entry[0] for entry in DATA["arguments"]["Conv2D"])]
FLAG = "window.__hostile=1"

HOSTILE = {
    # HTML and script fragments
    "script-tag": f"<script>{FLAG}</script>",
    "img-onerror": f'"><img src=x onerror="{FLAG}">',
    "svg-onload": f"<svg onload={FLAG}>",
    "close-and-open": "</code></p><script>alert(1)</script>",
    "attribute-break": f"' autofocus onfocus='{FLAG}",
    "template": "{{constructor.constructor('" + FLAG + "')()}}",
    "template-literal": "${" + FLAG + "}",
    "html-entities": "&lt;script&gt;alert(1)&lt;/script&gt;",
    # javascript: and other URLs
    "javascript-url": f"javascript:{FLAG}",
    "javascript-alert": "javascript:alert(document.domain)//",
    "data-url": "data:text/html,<script>alert(1)</script>",
    # huge and non-finite numbers
    "1e309": "1e309",
    "-1e309": "-1e309",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "NaN": "NaN",
    "-0": "-0",
    "36-digits": "9" * 36,
    "2**53+1": str(2**53 + 1),
    "400-digits": "9" * 400,
    "tuple-of-huge": f"({'9' * 36}, 1e309)",
    "tuple-of-nan": "(NaN, NaN)",
    "hex": "0x10",
    # 10,000 characters
    "10k-letters": "x" * 10_000,
    "10k-digits": "7" * 10_000,
    "10k-tuple": "(" + "3, " * 3333 + "3)",
    "10k-tags": "<b>" * 3333 + "x",
    # deeply nested JSON-ish text
    "nested-lists": "[" * 5000 + "3" + "]" * 5000,
    "nested-tuples": "(" * 5000 + ")" * 5000,
    "nested-objects": '{"a":' * 2000 + "1" + "}" * 2000,
    "json-proto": '{"__proto__": {"polluted": 1}}',
    # prototype keys as values
    "__proto__": "__proto__",
    "constructor": "constructor",
    "prototype": "prototype",
    "toString": "toString",
    "hasOwnProperty": "hasOwnProperty",
    # unusual Unicode
    "rtl-override": "\u202e3",
    "zero-width": "3\u200b",
    "zero-width-only": "\u200b",
    "combining": "3\u0301",
    "emoji": "3\U0001f600",
    "full-width-digit": "\uff13",
    "arabic-indic-digit": "\u0663",
    "nul": "\x00",
    "digit-nul": "3\x00",
}

# Query-string text that is not the encoding of any string: the page decodes it as URLSearchParams does.
RAW = {
    "bad-percent": "%",
    "invalid-utf8": "%FF%FE",
    "lone-surrogate-utf8": "%ED%A0%80",
}

READ_PAGE = """() => {
  const calculator = document.getElementById("conv-calculator");
  const errors = {};
  for (const e of calculator.querySelectorAll(".conv-calc__error")) if (!e.hidden) errors[e.id] = e.textContent;
  const invalid = {};
  for (const e of calculator.querySelectorAll("[aria-invalid=true]")) invalid[e.id] = true;
  // The spoken summary (a live region) is filled 500 ms after the last change: leave it out of the
  // text, so that two readings compare whatever its timer has done.
  const summary = document.getElementById("calc-summary");
  const spoken = summary.textContent;
  summary.textContent = "";
  const text = calculator.innerText + " " + [...calculator.querySelectorAll("option")].map((o) => o.text).join(" ");
  summary.textContent = spoken;
  return {
    errors,
    invalid,
    fixIt: !document.getElementById("calc-invalid").hidden,
    resultsShown: !document.querySelector(".conv-calc__values").hidden,
    text: text + " " + spoken,
    textWithoutSummary: text,
    flag: window.__hostile ?? null,
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  };
}"""


def error_id(field: str) -> str:
    return f"calc-in-{field}-error" if field in SHAPE_FIELDS else f"calc-{field}-error"


def control_id(field: str) -> str:
    return f"calc-in-{field}" if field in SHAPE_FIELDS else f"calc-{field}"


@pytest.fixture
def calculator(watched_page, site_url, built_site):
    """Open the calculator with a query string; return what the page shows, after the checks
    that hold for any link (nothing ran, nothing broke, the page still answers)."""
    page = watched_page.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # The calculator's own HTML file answers its links here, however long: a link with every field
    # 10,000 characters long is longer than the test server (or GitHub Pages) takes, but not than
    # a browser takes, and the page must cope with whatever reaches it.
    page.route(
        re.compile(re.escape(site_url) + r"calculator/\?"),
        lambda route: route.fulfill(path=built_site / "calculator" / "index.html"),
    )

    def open_with(query: str) -> dict:
        page.goto(f"{site_url}calculator/?{query}", wait_until="domcontentloaded", timeout=20_000)
        page.wait_for_selector("#calc-layer option", state="attached", timeout=20_000)
        # Responsive: the page still runs a script and reacts to the reader within seconds.
        assert page.locator("#conv-calculator").evaluate("(e) => 1 + 1", timeout=5_000) == 2
        shown = page.evaluate(READ_PAGE)
        assert shown["flag"] is None, f"?{query[:200]}: a payload ran (window.__hostile = {shown['flag']})"
        assert not dialogs, f"?{query[:200]}: a dialog opened: {dialogs}"
        problems = [p for p in watched_page.problems() if not p.startswith("failed request: net::ERR_ABORTED ")]
        assert not problems, f"?{query[:200]}:\n" + "\n".join(problems)
        assert shown["width"] <= shown["viewport"], f"?{query[:200]}: the page is {shown['width']}px wide"
        return shown

    return open_with


def query_of(fields: list[str], encoded: str) -> str:
    return "&".join(f"{field}={encoded}" for field in fields)


def without_echoes(text: str, value: str) -> str:
    """The page's text without the places where it quotes the reader's value (which may be 'NaN')."""
    for echo in sorted({value, value.strip(), value.replace("\x00", "\\u0000")}, key=len, reverse=True):
        if echo:
            text = text.replace(echo, "")
    return text


def check_messages(calculator, encoded: str, value: str) -> None:
    """Every field gets a message for the value: all at once, then one by one where needed."""
    together = calculator(query_of(FIELDS, encoded))
    missing = [field for field in FIELDS if error_id(field) not in together["errors"]]
    assert len(missing) < len(FIELDS), f"no field has a message for {value[:80]!r}: {together['errors']}"
    for field in FIELDS:
        shown = calculator(query_of([field], encoded)) if field in missing else together
        message = shown["errors"].get(error_id(field))
        assert message, f"{field}={value[:80]!r}: no message under the field; the page shows {shown['errors']}"
        assert message.startswith(field), f"{field}={value[:80]!r}: the message is not about {field}: {message[:200]}"
        assert shown["invalid"].get(control_id(field)), f"{field}={value[:80]!r}: the field is not marked invalid"
        assert shown["fixIt"] and not shown["resultsShown"], f"{field}={value[:80]!r}: results shown for it"
        broken = re.findall(r".{0,40}(?:NaN|Infinity|undefined).{0,40}", without_echoes(shown["text"], value))
        assert not broken, f"{field}={value[:80]!r}: the page shows {broken}"


@pytest.mark.parametrize("name", HOSTILE, ids=str)
def test_a_hostile_value_gets_a_message_in_every_field(name, calculator):
    value = HOSTILE[name]
    check_messages(calculator, quote(value, safe=""), value)


@pytest.mark.parametrize("name", RAW, ids=str)
def test_text_that_decodes_to_nothing_sensible_gets_a_message(name, calculator, watched_page):
    decoded = watched_page.page.evaluate("(raw) => new URLSearchParams('v=' + raw).get('v')", RAW[name])
    check_messages(calculator, RAW[name], decoded)


def test_unknown_and_prototype_parameters_are_ignored(calculator, watched_page):
    start = calculator("")
    assert not start["errors"] and start["resultsShown"], "the calculator's starting example is not valid"
    names = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"]
    params = [f"{quote(n)}={quote(v)}" for n in names for v in ("1", "<b>x</b>", "__proto__")]
    params += [
        "__proto__[polluted]=1",
        "constructor[prototype][polluted]=1",
        "__proto__.polluted=1",
        "__proto__[filters]=0",
        "args[__proto__][filters]=0",
        "state[args][filters]=0",
    ]
    shown = calculator("&".join(params))
    assert not shown["errors"] and shown["resultsShown"], f"unknown parameters changed the page: {shown['errors']}"
    assert shown["textWithoutSummary"] == start["textWithoutSummary"], "unknown parameters changed the calculator"
    polluted = watched_page.page.evaluate(
        "() => [({}).polluted, Object.prototype.filters, Object.prototype.polluted, [].polluted]"
    )
    assert polluted == [None, None, None, None], f"Object.prototype was changed: {polluted}"


# The window view's part of the link (calculator-state.mjs, viewFromLink): cell= (the cell in focus)
# and slice= (the input depth slice of a 3-D layer). Besides every hostile value above, numbers
# that parse but cannot be used. Each gets a message next to the figure that starts with its name,
# the figure is still drawn, and the page's own checks (nothing ran, no console error, no overflow)
# hold. "-0" is a fine depth: slice=-0 is slice 0.
VIEW_VALUES = {
    **HOSTILE,
    "huge-cell": "9" * 36 + ",1",
    "negative": "-1",
    "negative-pair": "-1,-1",
    "out-of-range": "1000,1000",
    "too-many-axes": "1,1,1,1",
    "input-out-of-range": "in:99,0",
}
VIEW_READ = """() => {
  const view = document.getElementById("conv-window-view");
  const note = view.querySelector(".wv-link-note");
  return {
    notes: note.hidden ? [] : [...note.querySelectorAll("li")].map((li) => li.textContent),
    drawn: view.querySelectorAll(".wv-panel--output svg.wv-grid path.wv-cell").length,
    focus: view.querySelector("rect.is-focus")?.dataset.pos ?? null,
    width: view.scrollWidth - view.clientWidth,
  };
}"""


@pytest.mark.parametrize("name", VIEW_VALUES, ids=str)
def test_a_hostile_cell_or_slice_gets_a_message_next_to_the_figure(name, calculator, watched_page):
    value = VIEW_VALUES[name]
    page = watched_page.page
    for param, layer in (("cell", "Conv2D"), ("slice", "Conv3D"), ("slice", "Conv2D")):
        calculator(f"layer={layer}&{param}={quote(value, safe='')}")
        shown = page.evaluate(VIEW_READ)
        where = f"{layer} {param}={value[:80]!r}"
        assert shown["drawn"] > 0, f"{where}: the figure is not drawn"
        assert shown["width"] <= 1, f"{where}: the figure is {shown['width']}px too wide"
        if (param, value) == ("slice", "-0") and layer == "Conv3D":
            assert shown["notes"] == [], f"{where}: {shown['notes']}"
            continue
        assert len(shown["notes"]) == 1, f"{where}: {shown['notes']}"
        assert shown["notes"][0].startswith(param), f"{where}: {shown['notes']}"
        assert len(shown["notes"][0]) < 300, f"{where}: the message quotes the whole value"
        assert shown["focus"] == ",".join(["0"] * (3 if layer == "Conv3D" else 2)), f"{where}: {shown['focus']}"
