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
  evaluate,
  parseArgument,
  parseSize,
  queryFromState,
  retuple,
  stateFromQuery,
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
