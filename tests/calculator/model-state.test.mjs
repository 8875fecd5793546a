// The model mode's pure functions (docs/javascripts/model-state.mjs): the stack in the URL fragment,
// the config it makes for modelInfo, and a pasted config turned back into a stack. The numbers the
// page shows come from modelInfo, whose answers model-info.test.mjs checks against Keras; here the
// stack's config is checked against the pasted Keras config of the same model (model_vectors.json.gz).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { gunzipSync } from "node:zlib";

import { ConvConfigError, modelInfo } from "../../docs/javascripts/conv-calculator.mjs";
import {
  MAX_LAYERS,
  MODEL_CLASSES,
  MODEL_FIELDS,
  configFromStack,
  evaluateStack,
  fragmentFromStack,
  kerasCodeFromStack,
  newLayer,
  parseInputShape,
  parseValue,
  snakeCase,
  stackFromConfig,
  stackFromFragment,
  startStack,
  windowOf,
} from "../../docs/javascripts/model-state.mjs";

const DATA = JSON.parse(gunzipSync(readFileSync(new URL("./model_vectors.json.gz", import.meta.url))).toString("utf8"));

const odd = {
  input: "(None, 16)",
  layers: [
    { className: "Conv1D", args: { filters: "4", kernel_size: "(3,)", padding: "same", activation: "relu" } },
    { className: "ZeroPadding1D", args: { padding: "(1, 2)" } },
    { className: "Dense", args: { units: "7", use_bias: "False" } },
  ],
};

describe("the fragment", () => {
  test("round-trips the start stack, an odd one and every class with its required arguments", () => {
    const every = { input: "8, 8, 8, 2", layers: MODEL_CLASSES.map(newLayer) };
    for (const stack of [startStack(), odd, every]) {
      const fragment = fragmentFromStack(stack);
      assert.match(fragment, /^#model=1;in=/);
      assert.deepEqual(stackFromFragment(fragment), { stack, problems: [] });
      assert.equal(fragmentFromStack(stackFromFragment(fragment).stack), fragment);
    }
  });
  test("round-trips values with the separators and odd Unicode in them", () => {
    const stack = { input: "1;2,3=4", layers: [{ className: "Activation", args: { activation: "a;b,c=d%e#f 🧪 \u202e ﷽" } }] };
    assert.deepEqual(stackFromFragment(fragmentFromStack(stack)).stack, stack);
  });
  test("is not a model link without model=1", () => {
    for (const hash of ["", "#", "#a-whole-model", "#model=2;Conv2D"]) assert.equal(stackFromFragment(hash), null);
  });
  test("drops unknown layers and arguments, __proto__ included, with a message", () => {
    const { stack, problems } = stackFromFragment("#model=1;in=4;__proto__,x=1;Conv1D,__proto__=3,filters=2,constructor=1;Lambda;%E0%A4%A");
    assert.deepEqual(stack.layers, [{ className: "Conv1D", args: { filters: "2" } }]);
    assert.equal(problems.length, 5);
    assert.match(problems[0], /"__proto__"/);
    assert.equal(Object.getPrototypeOf(stack.layers[0].args), Object.prototype);
    assert.equal({}.x, undefined);
  });
  test("keeps at most MAX_LAYERS layers", () => {
    const { stack, problems } = stackFromFragment(`#model=1;in=4,1${";Flatten".repeat(MAX_LAYERS + 5)}`);
    assert.equal(stack.layers.length, MAX_LAYERS);
    assert.equal(problems.length, 1);
  });
  test("hostile values become messages, not numbers", () => {
    const huge = "9".repeat(400);
    const long = "7".repeat(10000);
    for (const [value, pattern] of [
      [huge, /cannot read|too large/],
      [long, /cannot read/],
      ["99999999999999999999", /too large/],
      ["<script>alert(1)</script>", /cannot read/],
      ["((((((1))))))", /cannot read/],
      ["(1,,2)", /cannot read/],
    ]) {
      const stack = stackFromFragment(fragmentFromStack({ input: "8, 1", layers: [{ className: "Conv1D", args: { filters: value, kernel_size: "3" } }] })).stack;
      const result = evaluateStack(stack);
      assert.equal(result.info, undefined, value.slice(0, 20));
      assert.match(result.error, pattern);
      assert.ok(result.error.length < 400);
    }
    for (const input of [huge, long, "0", "-1", "1.5", "", "1, 2, 3, 4, 5", "__proto__"]) {
      assert.throws(() => parseInputShape(input), ConvConfigError, input.slice(0, 20));
      assert.ok(evaluateStack({ input, layers: [] }).error.startsWith("input shape"));
    }
  });
});

describe("values as Python writes them", () => {
  test("read", () => {
    assert.equal(parseValue("x", ""), undefined);
    assert.equal(parseValue("x", "None"), null);
    assert.equal(parseValue("x", "True"), true);
    assert.equal(parseValue("x", "false"), false);
    assert.equal(parseValue("x", "0.5"), 0.5);
    assert.equal(parseValue("x", "'same'"), "same");
    assert.equal(parseValue("x", "same"), "same");
    assert.deepEqual(parseValue("x", "(3,)"), [3]);
    assert.deepEqual(parseValue("x", "3, 5"), [3, 5]);
    assert.deepEqual(parseValue("x", "((1, 1), [2, 2])"), [[1, 1], [2, 2]]);
    assert.deepEqual(parseInputShape("None, 64"), [null, 64]);
    assert.deepEqual(parseInputShape("7"), [7]);
  });
  test("Keras's automatic names", () => {
    assert.deepEqual(["Conv2D", "ReLU", "MaxPooling2D", "BatchNormalization", "Conv2DTranspose"].map(snakeCase), [
      "conv2d",
      "re_lu",
      "max_pooling2d",
      "batch_normalization",
      "conv2d_transpose",
    ]);
  });
});

describe("the stack as a model", () => {
  test("names repeat as Keras numbers them, and errors name the layer and argument", () => {
    const built = configFromStack({ input: "8, 1", layers: [newLayer("Conv1D"), { className: "Conv1D", args: { filters: "(" } }] });
    assert.deepEqual(built.layers.map((l) => l.name), ["conv1d", "conv1d_1"]);
    assert.match(built.errors.get("1:filters"), /^conv1d_1: filters: cannot read/);
  });
  test("a layer Keras would refuse: modelInfo's message names it, and there is no table", () => {
    const result = evaluateStack({ input: "4, 1", layers: [{ className: "Conv1D", args: { filters: "2", kernel_size: "9" } }] });
    assert.equal(result.info, undefined);
    assert.match(result.error, /layer "conv1d" \(Conv1D\)/);
  });
  test("every class added with its required arguments builds on a fitting input", () => {
    for (const className of MODEL_CLASSES) {
      const rank = Number(className.match(/\d/)?.[0] ?? 2);
      const input = [...Array(rank).fill("12"), "4"].join(", ");
      const result = evaluateStack({ input, layers: [newLayer(className)] });
      assert.equal(result.error, undefined, `${className}: ${result.error}`);
      assert.equal(result.info.layers[1].className, className);
    }
  });
  test("the Keras code holds every argument and the input shape", () => {
    const code = kerasCodeFromStack(odd);
    assert.match(code, /keras\.Input\(shape=\(None, 16\)\)/);
    assert.match(code, /keras\.layers\.Conv1D\(filters=4, kernel_size=\(3,\), padding="same", activation="relu"\)/);
    assert.match(code, /keras\.layers\.Dense\(units=7, use_bias=False\)/);
    assert.doesNotMatch(code, /input_shape=/);
  });
  test("windowOf", () => {
    assert.deepEqual(windowOf({ size: 5, jump: 2, start: -2 }, 3), [4, 8]);
  });
});

describe("pasted configs", () => {
  const chains = Object.entries(DATA.models).filter(([, v]) => stackFromConfig(v.config) !== null);
  test("a Sequential chain becomes a stack whose table equals the pasted one", () => {
    const config = {
      name: "sequential",
      layers: [
        { class_name: "InputLayer", config: { batch_shape: [null, 20, 3], name: "inp" } },
        { class_name: "Conv1D", module: "keras.layers", config: { name: "c", filters: 4, kernel_size: [3], strides: [2], padding: "valid", activation: "relu", kernel_initializer: { class_name: "GlorotUniform", config: {} } } },
        { class_name: "GlobalMaxPooling1D", config: { name: "g", keepdims: false, data_format: "channels_last" } },
        { class_name: "Dense", config: { name: "d", units: 5, use_bias: true } },
      ],
    };
    for (const form of [config, { class_name: "Sequential", config }, JSON.stringify({ class_name: "Sequential", config })]) {
      const stack = stackFromConfig(form);
      assert.ok(stack);
      const strip = (rows) => rows.slice(1).map(({ name, ...rest }) => rest);
      assert.deepEqual(strip(evaluateStack(stack).info.layers), strip(modelInfo(config).layers));
      assert.deepEqual(stackFromFragment(fragmentFromStack(stack)).stack, stack);
    }
  });
  test("the keras.applications models that are chains (VGG) become stacks with Keras's table", () => {
    assert.deepEqual(chains.map(([name]) => name).sort(), ["VGG16", "VGG19"]);
    for (const [, vectors] of chains) {
      const stack = stackFromConfig({ class_name: "Functional", config: vectors.config });
      const rows = evaluateStack(stack).info.layers.map((row) => [row.className, row.outputShape, row.params]);
      assert.deepEqual(rows, vectors.layers.map(([, className, shape, params]) => [className, shape, params]));
    }
  });
  test("a Functional model with a branch is no chain", () => {
    const config = structuredClone(DATA.models.VGG16.config);
    config.layers[3].inbound_nodes[0].args[0].config.keras_history = [config.layers[1].name, 0, 0];
    assert.equal(stackFromConfig(config), null);
    assert.equal(stackFromConfig({ ...DATA.models.VGG16.config, output_layers: [[config.layers[5].name, 0, 0]] }), null);
  });
  test("anything else is not a chain", () => {
    for (const value of [null, "", "{", "[]", { layers: [] }, { layers: [{ class_name: "Conv2D", config: {} }] }, { class_name: "Functional", config: { layers: [], input_layers: [] } }]) {
      assert.equal(stackFromConfig(value), null);
    }
    const custom = { layers: [{ class_name: "InputLayer", config: { shape: [3] } }, { class_name: "Dense", module: "mylib", config: { units: 2 } }] };
    assert.equal(stackFromConfig(custom), null);
  });
  test("every builder field is a name the class takes", () => {
    for (const [className, fields] of Object.entries(MODEL_FIELDS)) {
      const args = Object.fromEntries(fields.map((f) => [f, ""]));
      assert.equal(evaluateStack({ input: "9, 9, 9, 2", layers: [{ className, args }] }).errors.size, 0);
    }
  });
});
