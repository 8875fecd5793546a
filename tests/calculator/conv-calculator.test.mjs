// The calculator module against the vectors Keras computed (tests/calculator/vectors.json).
// Run: node --test tests/calculator/   (pytest runs it too: tests/calculator/test_node.py)
// Remake the vectors: python scripts/dev.py calculator-vectors
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import {
  ARGUMENTS,
  ConvConfigError,
  LAYERS,
  argumentsFor,
  formatInt,
  kerasCode,
  layerInfo,
  paramFormula,
  py,
} from "../../docs/javascripts/conv-calculator.mjs";
import { checkAll } from "./check-all.mjs";

const DATA = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
const VECTORS = DATA.vectors;
const VALID = VECTORS.filter((v) => v.expected);
const INVALID = VECTORS.filter((v) => v.error);

function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}

describe("the vectors file", () => {
  test("covers every layer with thousands of valid and invalid configs", () => {
    assert.ok(VECTORS.length >= 2500, `${VECTORS.length} vectors`);
    for (const layer of Object.keys(LAYERS)) {
      assert.ok(VALID.filter((v) => v.layer === layer).length >= 100, `${layer} valid`);
      assert.ok(INVALID.filter((v) => v.layer === layer).length >= 40, `${layer} invalid`);
    }
    assert.deepEqual(Object.keys(DATA.arguments), Object.keys(LAYERS));
  });
});

describe("layerInfo agrees with Keras", () => {
  for (const layer of Object.keys(LAYERS)) {
    test(`${layer}: params, weight shapes, output shape and MACs of every valid vector`, () => {
      checkAll(
        VALID.filter((v) => v.layer === layer),
        (v) => {
          const info = layerInfo(v.layer, v.config, v.input_shape);
          assert.deepEqual(
            { params: info.params, weight_shapes: info.weightShapes, output_shape: info.outputShape, macs: info.macs },
            v.expected,
          );
          // Keras accepts these, but TensorFlow's kernel rejects them when the layer is called.
          const warned = info.warnings.map((w) => w.argument);
          if (v.backend_error) assert.ok(warned.includes(v.backend_arg), `expected a warning about ${v.backend_arg}`);
          else assert.deepEqual(warned, []);
        },
      );
    });

    test(`${layer}: every invalid vector throws, naming the argument Keras's message is about`, () => {
      checkAll(
        INVALID.filter((v) => v.layer === layer),
        (v) => {
          const error = thrown(() => layerInfo(v.layer, v.config, v.input_shape));
          assert.ok(error instanceof ConvConfigError, `Keras: ${v.error}; the module returned or threw ${error}`);
          if (v.arg) {
            assert.equal(error.argument, v.arg, `Keras: ${v.error}; the module: ${error.message}`);
            assert.ok(error.message.startsWith(v.arg), error.message);
          }
        },
      );
    });
  }
});

describe("hand-picked cases (expected values from the vectors file)", () => {
  const byId = Object.fromEntries(VECTORS.filter((v) => v.id).map((v) => [v.id, v]));
  const cases = [
    ["conv2d-mnist", "Conv2D", { filters: 32, kernel_size: 3 }, [null, 28, 28, 1]],
    ["conv2d-same-stride2", "Conv2D", { filters: 64, kernel_size: 3, strides: 2, padding: "same" }, [null, 32, 32, 3]],
    ["conv1d-causal-dilated", "Conv1D", { filters: 16, kernel_size: 3, padding: "causal", dilation_rate: 4 }, [null, 100, 8]],
    ["conv2d-groups", "Conv2D", { filters: 64, kernel_size: 3, groups: 4, use_bias: false }, [null, 16, 16, 32]],
    ["conv3d-channels-first", "Conv3D", { filters: 8, kernel_size: [3, 3, 1], data_format: "channels_first" }, [null, 4, 10, 10, 5]],
    ["separable2d", "SeparableConv2D", { filters: 32, kernel_size: 3, depth_multiplier: 2 }, [null, 20, 20, 16]],
    ["depthwise2d-stride-dilation", "DepthwiseConv2D", { kernel_size: 3, strides: 2, dilation_rate: 2 }, [null, 15, 15, 8]],
    ["conv2dtranspose-upsample", "Conv2DTranspose", { filters: 16, kernel_size: 3, strides: 2, padding: "same" }, [null, 7, 7, 32]],
    ["conv1dtranspose-output-padding", "Conv1DTranspose", { filters: 4, kernel_size: 3, strides: 3, output_padding: 1 }, [null, 10, 2]],
    ["conv2dtranspose-same-even-kernel", "Conv2DTranspose", { filters: 4, kernel_size: 2, padding: "same", output_padding: 0 }, [null, 3, 3, 2]],
    ["conv2d-kernel-too-big", "Conv2D", { filters: 4, kernel_size: 5 }, [null, 3, 3, 2]],
    ["conv2d-causal", "Conv2D", { filters: 4, kernel_size: 3, padding: "causal" }, [null, 8, 8, 2]],
    ["conv2dtranspose-groups", "Conv2DTranspose", { filters: 4, kernel_size: 3, groups: 2 }, [null, 8, 8, 2]],
  ];
  for (const [id, layer, config, inputShape] of cases) {
    test(id, () => {
      const v = byId[id];
      assert.deepEqual([v.layer, v.config, v.input_shape], [layer, config, inputShape]);
      if (v.expected) {
        const info = layerInfo(layer, config, inputShape);
        assert.equal(info.params, v.expected.params);
        assert.deepEqual(info.weightShapes, v.expected.weight_shapes);
        assert.deepEqual(info.outputShape, v.expected.output_shape);
        assert.equal(info.macs, v.expected.macs);
        assert.equal(info.warnings.length > 0, Boolean(v.backend_error));
      } else {
        assert.throws(() => layerInfo(layer, config, inputShape), { name: "ConvConfigError", argument: v.arg });
      }
    });
  }

  test("the numbers a reader can check by hand", () => {
    // Conv2D(32, 3) on 28×28×1: 32 × (3 × 3 × 1 + 1) = 320; 26 × 26 positions × 9 × 32 MACs.
    assert.equal(byId["conv2d-mnist"].expected.params, 320);
    assert.equal(byId["conv2d-mnist"].expected.macs, 26 * 26 * 9 * 32);
    assert.equal(paramFormula("Conv2D", { filters: 32, kernel_size: 3 }, [null, 28, 28, 1]), "32 × (3 × 3 × 1 + 1) = 320");
  });
});

describe("paramFormula", () => {
  const evaluate = (expression) => Function(`"use strict"; return (${expression.replaceAll("×", "*")});`)();

  test("its total is params, and its left side evaluates to params, for every valid vector", () => {
    checkAll(VALID, (v) => {
      const formula = paramFormula(v.layer, v.config, v.input_shape);
      const [left, total] = formula.split(" = ");
      assert.equal(Number(total.replaceAll(",", "")), v.expected.params);
      assert.equal(total, formatInt(v.expected.params));
      assert.match(left, /^[\d ×+/()]+$/);
      assert.equal(evaluate(left), v.expected.params);
    });
  });

  test("its symbolic form has the same shape as the numeric one", () => {
    checkAll(VALID, (v) => {
      const symbols = paramFormula(v.layer, v.config, v.input_shape, { symbols: true });
      const numbers = paramFormula(v.layer, v.config, v.input_shape).split(" = ")[0];
      assert.equal(symbols.replace(/[a-z_]+(\[\d\])?/g, "N").replace(/\d+/g, "N"), numbers.replace(/\d+/g, "N"));
    });
  });

  test("reads as the per-family formula", () => {
    assert.equal(paramFormula("Conv1D", { filters: 32, kernel_size: 3 }, [null, 100, 64]), "32 × (3 × 64 + 1) = 6,176");
    assert.equal(
      paramFormula("Conv2D", { filters: 32, kernel_size: 3, groups: 2 }, [null, 9, 9, 64], { symbols: true }),
      "filters × (kernel_size[0] × kernel_size[1] × in_channels / groups + 1)",
    );
    assert.equal(paramFormula("DepthwiseConv2D", { kernel_size: 3 }, [null, 9, 9, 64]), "64 × 1 × (3 × 3 + 1) = 640");
    assert.equal(
      paramFormula("SeparableConv1D", { filters: 32, kernel_size: 3, use_bias: false }, [null, 9, 64], { symbols: true }),
      "in_channels × depth_multiplier × kernel_size + in_channels × depth_multiplier × filters",
    );
  });
});

describe("kerasCode", () => {
  test("is Keras 3 code whose printed comments are Keras's values, for every valid vector", () => {
    checkAll(VALID, (v) => {
      const code = kerasCode(v.layer, v.config, v.input_shape);
      assert.ok(!code.includes("input_shape"), "never input_shape=");
      assert.ok(code.startsWith("import keras\n"));
      assert.ok(code.includes(`keras.Input(shape=${py(v.input_shape.slice(1))})`));
      assert.ok(code.includes(`layer = keras.layers.${v.layer}(`));
      assert.ok(code.includes(`print(outputs.shape)  # ${py(v.expected.output_shape)}\n`));
      assert.ok(code.includes(`print(layer.count_params())  # ${v.expected.params}\n`));
      assert.ok(code.includes(`# [${v.expected.weight_shapes.map(py).join(", ")}]\n`));
    });
  });

  test("passes only what differs from Keras's defaults", () => {
    const code = kerasCode("Conv2D", { filters: 8, kernel_size: [3, 3], strides: 1, padding: "SAME", use_bias: true }, [null, 5, 5, 2]);
    assert.match(code, /keras\.layers\.Conv2D\(filters=8, kernel_size=\(3, 3\), padding="same"\)/);
  });

  test("throws for invalid configs, like layerInfo", () => {
    assert.throws(() => kerasCode("Conv2D", { filters: 4, kernel_size: 5 }, [null, 3, 3, 2]), { argument: "kernel_size" });
  });
});

describe("ARGUMENTS", () => {
  test("lists each layer's arguments in Keras's order, with Keras's defaults", () => {
    for (const [layer, keras] of Object.entries(DATA.arguments)) {
      const mine = argumentsFor(layer);
      assert.equal(mine, ARGUMENTS[layer]);
      assert.deepEqual(
        mine.map((a) => (a.required ? [a.name] : [a.name, a.default])),
        keras,
        layer,
      );
    }
  });

  test("offers causal padding to Conv1D only", () => {
    for (const layer of Object.keys(LAYERS)) {
      const padding = argumentsFor(layer).find((a) => a.name === "padding");
      assert.equal(padding.choices.includes("causal"), layer === "Conv1D", layer);
    }
  });
});

describe("inputs Keras never sees", () => {
  const base = { filters: 4, kernel_size: 3 };
  const cases = [
    ["layer", () => layerInfo("Conv4D", base, [null, 8, 4])],
    ["kernel_size", () => layerInfo("Conv1D", { filters: 4, kernel_size: 2.5 }, [null, 8, 4])],
    ["kernel_size", () => layerInfo("Conv1D", { filters: 4, kernel_size: true }, [null, 8, 4])],
    ["filters", () => layerInfo("Conv1D", { filters: "4", kernel_size: 3 }, [null, 8, 4])],
    ["use_bias", () => layerInfo("Conv1D", { ...base, use_bias: "yes" }, [null, 8, 4])],
    ["input_shape", () => layerInfo("Conv1D", base, [null, 0, 4])],
    ["input_shape", () => layerInfo("Conv1D", base, [null, 8, 0])],
    ["input_shape", () => layerInfo("Conv1D", base, "8, 4")],
  ];
  for (const [argument, fn] of cases) {
    test(`throws about ${argument}: ${fn.toString().slice(6, 90)}`, () => {
      const error = thrown(fn);
      assert.ok(error instanceof ConvConfigError);
      assert.equal(error.argument, argument);
      assert.ok(error.message.startsWith(argument), error.message);
    });
  }

  test("unknown spatial sizes give unknown output sizes and MACs, never NaN", () => {
    const info = layerInfo("Conv2D", base, [null, null, 8, 4]);
    assert.deepEqual(info.outputShape, [null, null, 6, 4]);
    assert.equal(info.macs, null);
    assert.equal(info.params, 4 * (3 * 3 * 4 + 1));
  });
});
