// The calculator page's state (docs/javascripts/calculator-state.mjs) in Node: parsing what the
// reader types, the query string, and evaluation against the vectors Keras computed.
// Run: node --test tests/calculator/   (pytest runs it too: tests/calculator/test_node.py)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { ConvConfigError, argumentsFor, py } from "../../docs/javascripts/conv-calculator.mjs";
import {
  ARGUMENT_NAMES,
  AXES,
  START,
  cellText,
  evaluate,
  parseArgument,
  parseCell,
  parseSlice,
  parseSize,
  queryFromState,
  retuple,
  stateFromQuery,
  viewFromLink,
} from "../../docs/javascripts/calculator-state.mjs";

const DATA = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));

/** A config value as the page's fields take it: Python's spelling, strings without quotes. */
const field = (value) => (typeof value === "string" ? value : py(value));

/** The state a reader reaches by typing a vector into the form. */
function stateOf(v) {
  const rank = AXES[String(v.layer.match(/\d/)[0])].length;
  const first = String(v.config.data_format).toLowerCase() === "channels_first";
  const shape = v.input_shape;
  const spatial = first ? shape.slice(2) : shape.slice(1, 1 + rank);
  const args = Object.fromEntries(ARGUMENT_NAMES.map((name) => [name, name in v.config ? field(v.config[name]) : ""]));
  return { layer: v.layer, spatial: spatial.map(field), channels: field(first ? shape[1] : shape.at(-1)), args };
}

/** A vector the form can express: every key of its config is a field of its layer. */
const fieldsOf = (layer) => argumentsFor(layer).map((a) => a.name);
const channelsOf = (v) => (String(v.config.data_format).toLowerCase() === "channels_first" ? v.input_shape[1] : v.input_shape.at(-1));
const typeable = (v) => channelsOf(v) !== null && Object.keys(v.config).every((name) => fieldsOf(v.layer).includes(name));

describe("parsing a field", () => {
  test("tuples, ints, None and booleans in the forms readers type", () => {
    assert.equal(parseArgument("kernel_size", "3"), 3);
    assert.deepEqual(parseArgument("kernel_size", "(3, 5)"), [3, 5]);
    assert.deepEqual(parseArgument("kernel_size", "3, 5"), [3, 5]);
    assert.deepEqual(parseArgument("kernel_size", "[3 5]"), [3, 5]);
    assert.deepEqual(parseArgument("strides", "(2,)"), [2]);
    assert.equal(parseArgument("output_padding", "None"), null);
    assert.equal(parseArgument("use_bias", "false"), false);
    assert.equal(parseArgument("data_format", "None"), null);
    assert.equal(parseArgument("filters", "  "), undefined);
  });

  test("what cannot be parsed names its field", () => {
    for (const [name, text] of [["filters", "abc"], ["kernel_size", "(3, x)"], ["use_bias", "maybe"], ["filters", "1e400"]]) {
      assert.throws(() => parseArgument(name, text), (error) => error instanceof ConvConfigError && error.argument === name);
    }
    assert.throws(() => parseArgument("filters", "9".repeat(36)), /too large/);
  });

  test("input sizes: positive integers, None where allowed", () => {
    assert.equal(parseSize("shape:width", "width", "28", true), 28);
    assert.equal(parseSize("shape:width", "width", "None", true), null);
    for (const text of ["0", "-3", "2.5", "", "None"]) {
      assert.throws(() => parseSize("shape:channels", "channels", text, false), ConvConfigError);
    }
  });
});

describe("the query string", () => {
  test("a link without parameters shows the starting state", () => {
    assert.deepEqual(stateFromQuery(""), START);
  });

  test("a state survives the round trip through its link", () => {
    for (const v of DATA.vectors.filter(typeable).slice(0, 200)) {
      const state = stateOf(v);
      for (const name of ARGUMENT_NAMES) if (state.args[name] === "") state.args[name] = START.args[name];
      const again = stateFromQuery(queryFromState(state));
      assert.equal(again.layer, state.layer);
      assert.deepEqual(again.spatial, state.spatial);
      assert.equal(again.channels, state.channels);
    }
  });

  test("unknown parameters are ignored, an unknown layer is reported", () => {
    const state = stateFromQuery("?layer=Conv9D&__proto__=1&constructor=2");
    assert.equal(Object.getPrototypeOf(state), Object.prototype);
    assert.equal(evaluate(state).errors.get("layer").startsWith("layer must be one of"), true);
  });

  test("per-axis values follow the layer's rank", () => {
    assert.equal(retuple("(3, 3)", 1), "3");
    assert.equal(retuple("(3, 5)", 3), "(3, 3, 5)");
    assert.equal(retuple("not a tuple", 2), "not a tuple");
  });
});

describe("evaluating a state", () => {
  test("every typeable valid vector gives Keras's numbers", () => {
    const valid = DATA.vectors.filter((v) => v.expected && !v.backend_error && typeable(v));
    assert.ok(valid.length > 1000);
    for (const v of valid) {
      const result = evaluate(stateOf(v));
      assert.equal(result.errors.size, 0, `${JSON.stringify(v)}: ${[...result.errors.values()]}`);
      assert.equal(result.info.params, v.expected.params);
      assert.deepEqual(result.info.outputShape, v.expected.output_shape);
    }
  });

  test("every typeable invalid vector puts Keras's argument in the errors", () => {
    const invalid = DATA.vectors.filter((v) => v.error && v.arg && typeable(v) && fieldsOf(v.layer).includes(v.arg));
    assert.ok(invalid.length > 100);
    for (const v of invalid) {
      const { errors } = evaluate(stateOf(v));
      assert.ok(errors.has(v.arg), `${JSON.stringify(v)}: ${[...errors.keys()]}`);
    }
  });
});

describe("the window view's cell and slice in the link", () => {
  const conv2d = { layer: "Conv2D", rank: 2, lengths: { in: [7, 7], out: [5, 5] }, depths: [0, 1] };
  const conv3d = { layer: "Conv3D", rank: 3, lengths: { in: [4, 6, 6], out: [4, 6, 6] }, depths: [-1, 5] };
  const link = (cell, slice = "") => ({ ...START, cell, slice });

  test("parsed from and written to the query string, round trip", () => {
    const state = stateFromQuery("?layer=Conv3D&cell=1%2C2%2C3&slice=-1");
    assert.equal(state.cell, "1,2,3");
    assert.equal(state.slice, "-1");
    assert.deepEqual(parseCell(state.cell), { side: "out", pos: [1, 2, 3] });
    assert.deepEqual(parseCell(" in:0, 4 "), { side: "in", pos: [0, 4] });
    assert.equal(parseSlice(state.slice), -1);
    assert.equal(cellText(parseCell("in:2,3")), "in:2,3");
    assert.deepEqual(stateFromQuery(queryFromState(state)), state);
    assert.ok(!queryFromState(START).includes("cell") && !queryFromState(START).includes("slice"), "silent when unset");
    assert.deepEqual(viewFromLink(state, conv3d), { focus: { side: "out", pos: [1, 2, 3] }, slice: -1, messages: [] });
    assert.deepEqual(viewFromLink(link(""), conv2d), { focus: null, slice: null, messages: [] });
  });

  test("malformed, hostile or out-of-range values get a message that names them, never a throw", () => {
    const cases = [
      ["cell", link("abc"), conv2d, /^cell must be an output cell's positions/],
      ["cell", link("-1,2"), conv2d, /^cell must be/],
      ["cell", link("9".repeat(40)), conv2d, /^cell is too large/],
      ["cell", link("7".repeat(10000)), conv2d, /^cell must be/],
      ["cell", link("__proto__"), conv2d, /^cell must be/],
      ["cell", link("\uff13,\u0663"), conv2d, /^cell must be/],
      ["cell", link("1,2,3"), conv2d, /^cell must give 2 positions \(height, width\) for Conv2D/],
      ["cell", link("5,0"), conv2d, /^cell \(5, 0\) is outside the output, whose height, width run up to \(4, 4\)/],
      ["cell", link("in:0,7"), conv2d, /^cell \(0, 7\) is outside the input/],
      ["slice", link("", "1"), conv2d, /^slice is a depth of a 3-D input; Conv2D/],
      ["slice", link("", "x"), conv3d, /^slice must be a depth/],
      ["slice", link("", "1e3"), conv3d, /^slice must be a depth/],
      ["slice", link("", "-9".repeat(5000)), conv3d, /^slice must be a depth/],
      ["slice", link("", "9".repeat(30)), conv3d, /^slice is too large/],
      ["slice", link("", "5"), conv3d, /^slice 5 is outside the input depths drawn, -1 to 4/],
      ["slice", link("", "-2"), conv3d, /^slice -2 is outside/],
    ];
    for (const [name, state, shape, message] of cases) {
      const view = viewFromLink(state, shape);
      assert.equal(view.messages.length, 1, `${name}=${String(state[name]).slice(0, 40)}`);
      assert.match(view.messages[0], message);
      assert.ok(view.messages[0].length < 300, "a long value is quoted short");
      assert.equal(view[name === "cell" ? "focus" : "slice"], null);
    }
  });
});
