// modelInfo (docs/javascripts/conv-calculator.mjs) against Keras, on every keras.applications model.
// The vectors: tests/calculator/model_vectors.json.gz, made by `python scripts/dev.py model-vectors`
// (each model's get_config(), and Keras's output shape and count_params() per layer). The Python
// model_info is checked against the same file (tests/snippets/test_conv_arithmetic_models.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { gunzipSync } from "node:zlib";

import { ConvConfigError, MODEL_LAYER_NAMES, modelInfo } from "../../docs/javascripts/conv-calculator.mjs";

const DATA = JSON.parse(gunzipSync(readFileSync(new URL("./model_vectors.json.gz", import.meta.url))).toString("utf8"));

describe("every keras.applications model, layer by layer", () => {
  for (const [name, vectors] of Object.entries(DATA.models)) {
    test(name, () => {
      const info = modelInfo(vectors.config);
      const rows = info.layers.map((row) => [row.name, row.className, row.outputShape, row.params]);
      assert.deepEqual(rows, vectors.layers);
      assert.equal(info.params, vectors.count_params);
      const macs = info.layers.map((row) => row.macs);
      assert.equal(info.macs, macs.includes(null) ? null : macs.reduce((a, b) => a + b, 0));
    });
  }
  test("there are 40 of them", () => assert.equal(Object.keys(DATA.models).length, 40));
});

describe("receptive fields and MACs, as the Python module computes them", () => {
  const last = (name) => {
    const fields = modelInfo(DATA.models[name].config).layers.filter((row) => row.receptiveField !== null);
    return fields[fields.length - 1].receptiveField[0];
  };
  test("VGG16 and ResNet50", () => {
    assert.deepEqual(last("VGG16"), { size: 212, jump: 32, start: -90 });
    assert.deepEqual(last("ResNet50"), { size: 483, jump: 32, start: -241 });
  });
  test("MobileNet's 569 million mult-adds", () => assert.equal(modelInfo(DATA.models.MobileNet.config).macs, 568740352));
  test("the to_json form and JSON text give the same answer", () => {
    const config = DATA.models.Xception.config;
    const wrapped = { class_name: "Functional", config };
    assert.deepEqual(modelInfo(wrapped), modelInfo(config));
    assert.deepEqual(modelInfo(JSON.stringify(wrapped)), modelInfo(config));
  });
});

describe("errors name the layer and its class", () => {
  const config = () => structuredClone(DATA.models.VGG16.config);
  const failsWith = (value, pattern) =>
    assert.throws(() => modelInfo(value), (e) => e instanceof ConvConfigError && e.argument === "model_config" && pattern.test(e.message));
  test("an unknown class", () => {
    const c = config();
    c.layers[2].class_name = "LSTM";
    failsWith(c, /^layer "block1_conv2": class "LSTM" from module "keras.layers" is not supported by modelInfo/);
  });
  test("a config Keras would reject", () => {
    const c = config();
    c.layers[1].config.kernel_size = [300, 3];
    c.layers[1].config.padding = "valid";
    failsWith(c, /^layer "block1_conv1" \(Conv2D\): kernel_size\[0\] = 300/);
    c.layers[1].config.filters = 0;
    failsWith(c, /^layer "block1_conv1" \(Conv2D\): filters must be a positive integer/);
  });
  test("not a model config", () => {
    for (const value of [[], "not json", { class_name: "Conv2D", config: {} }, { name: "x" }, null]) {
      failsWith(value, /^model_config: /);
    }
  });
  test("every supported class is one the Python module knows", () => {
    assert.ok(MODEL_LAYER_NAMES.includes("LayerScale") && MODEL_LAYER_NAMES.includes("Concatenate"));
  });
});
