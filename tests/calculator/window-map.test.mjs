// windowMap and channelMap against the links Keras computed (tests/calculator/window-vectors.json).
// Run: node --test tests/calculator/   (pytest runs it too: tests/test_calculator_node.py)
// Remake the vectors: python scripts/dev.py window-vectors
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { ConvConfigError, LAYERS, channelMap, layerInfo, windowAxes, windowLinks, windowMap } from "../../docs/javascripts/conv-calculator.mjs";
import { checkAll } from "./check-all.mjs";

const DATA = JSON.parse(readFileSync(new URL("./window-vectors.json", import.meta.url), "utf8"));
const flat = ([out, inp, tap]) => [...out, ...inp, ...tap];
const compare = (a, b) => {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

/** The config's strides and dilation along each axis (Keras's int-or-tuple forms). */
const perAxis = (value, rank) => (Array.isArray(value) ? value : Array(rank).fill(value ?? 1));

function checkLinks(v) {
  const map = windowMap(v.layer, v.config, v.input_shape);
  assert.deepEqual(map.outputShape, layerInfo(v.layer, v.config, v.input_shape).outputShape);
  assert.deepEqual(map.outputShape, v.output_shape);
  const got = map.links.map(flat);
  // The documented order: by output position, then input position.
  got.forEach((link, i) => i === 0 || assert.ok(compare(got[i - 1], link) < 0, "links out of order"));
  assert.deepEqual(got, v.links);
}

/**
 * windowAxes, the view's per-axis form: every output cell's links (windowLinks "out") and every
 * input cell's (windowLinks "in") are Keras's links for that cell, in windowMap's order.
 */
function checkAxes(v) {
  const rank = LAYERS[v.layer].rank;
  const map = windowMap(v.layer, v.config, v.input_shape);
  const { outputShape, padding, axes } = windowAxes(v.layer, v.config, v.input_shape);
  assert.deepEqual(outputShape, v.output_shape);
  assert.deepEqual(padding, map.padding);
  const cells = (lengths) => lengths.reduce((all, n) => all.flatMap((pos) => Array.from({ length: n }, (_, i) => [...pos, i])), [[]]);
  const outLengths = axes.map((a) => a.byOut.length);
  const inLengths = axes.map((a) => a.byIn.length);
  assert.deepEqual(outLengths, v.output_shape.slice(1, 1 + rank));
  assert.deepEqual(inLengths, v.input_shape.slice(1, 1 + rank));
  const fromOut = cells(outLengths).flatMap((out) => windowLinks(axes, "out", out).map(([inp, tap]) => [...out, ...inp, ...tap]));
  assert.deepEqual(fromOut, v.links);
  const byIn = new Map();
  for (const link of v.links) {
    const key = link.slice(rank, 2 * rank).join();
    byIn.set(key, [...(byIn.get(key) ?? []), [...link.slice(0, rank), ...link.slice(2 * rank)]]);
  }
  for (const inp of cells(inLengths)) {
    const got = windowLinks(axes, "in", inp).map(([out, tap]) => [...out, ...tap]);
    assert.deepEqual(got, byIn.get(inp.join()) ?? [], `input ${inp}`);
  }
}

function checkPadding(v) {
  const rank = LAYERS[v.layer].rank;
  const map = windowMap(v.layer, v.config, v.input_shape);
  const strides = perAxis(v.config.strides, rank);
  const dilation = perAxis(v.config.dilation_rate, rank);
  const kernel = perAxis(v.config.kernel_size, rank);
  const transposed = LAYERS[v.layer].family === "transposed";
  for (let axis = 0; axis < rank; axis += 1) {
    const [s, d] = [strides[axis], dilation[axis]];
    const implied = new Set(
      v.links.map((link) => {
        const [o, i, t] = [link[axis], link[rank + axis], link[2 * rank + axis]];
        return transposed ? i * s + t * d - o : o * s + t * d - i;
      }),
    );
    // A dilated kernel can miss every input position; then no link says where the padding is.
    if (v.links.length > 0) assert.deepEqual([...implied], [map.padding[axis][0]], `axis ${axis}: Keras's links imply ${[...implied]}`);
    const n = v.input_shape[1 + axis];
    const m = v.output_shape[1 + axis];
    const K = (kernel[axis] - 1) * d + 1;
    const [before, after] = map.padding[axis];
    if (transposed) {
      assert.equal(before + m + after, (n - 1) * s + K, "the cropping closes the full output");
    } else {
      const rest = before + n + after - ((m - 1) * s + K); // the padded input holds the last window
      assert.ok(rest >= 0 && rest < s, `padding ${before}, ${after} does not fit the windows`);
    }
  }
}

function checkChannels(v) {
  const map = channelMap(v.layer, v.config, v.input_shape);
  assert.equal(map.inChannels, v.input_shape.at(-1));
  assert.equal(map.outChannels, v.output_shape.at(-1));
  assert.deepEqual(
    map.stages.map((s) => ({ kernel: s.kernel, links: s.links })),
    v.stages,
  );
  map.stages.forEach((s, i) => {
    assert.equal(s.inChannels, i === 0 ? map.inChannels : map.stages[i - 1].outChannels);
    assert.ok(s.links.every(([o, c]) => o < s.outChannels && c < s.inChannels));
  });
}

describe("the window vectors file", () => {
  test("covers every layer, padding, stride, dilation, output_padding and depth multiplier", () => {
    const windows = DATA.windows;
    assert.ok(windows.length >= 400, `${windows.length} vectors`);
    const seen = new Set();
    for (const v of windows) {
      const rank = LAYERS[v.layer].rank;
      seen.add(`${v.layer} ${v.config.padding ?? "valid"}`);
      if (Math.max(...perAxis(v.config.strides, rank)) > 1) seen.add(`${v.layer} strides`);
      if (Math.max(...perAxis(v.config.dilation_rate, rank)) > 1) seen.add(`${v.layer} dilation`);
      if ((v.config.depth_multiplier ?? 1) > 1) seen.add(`${v.layer} depth_multiplier`);
      if ("output_padding" in v.config) seen.add(`${v.layer} output_padding ${v.config.output_padding === null ? "None" : "ints"}`);
    }
    for (const [layer, { family }] of Object.entries(LAYERS)) {
      const wanted = ["valid", "same", "strides"];
      if (family !== "transposed" || layer !== "Conv3DTranspose") wanted.push("dilation");
      if (layer === "Conv1D") wanted.push("causal");
      if (family === "depthwise" || family === "separable") wanted.push("depth_multiplier");
      if (family === "transposed") wanted.push("output_padding None", "output_padding ints");
      for (const what of wanted) assert.ok(seen.has(`${layer} ${what}`), `no vector of ${layer} with ${what}`);
    }
    assert.ok(DATA.channels.length >= 40);
  });
});

describe("windowMap agrees with Keras", () => {
  for (const layer of Object.keys(LAYERS)) {
    test(`${layer}: output shape and every link of every vector`, () => {
      checkAll(
        DATA.windows.filter((v) => v.layer === layer),
        checkLinks,
      );
    });

    test(`${layer}: windowAxes gives every cell's links, from its output and from its input`, () => {
      checkAll(
        DATA.windows.filter((v) => v.layer === layer),
        checkAxes,
      );
    });

    test(`${layer}: padding[axis][0] is what every Keras link implies, and [1] closes the extent`, () => {
      checkAll(
        DATA.windows.filter((v) => v.layer === layer),
        checkPadding,
      );
    });
  }

  test("each check can fail: a vector changed in one place is caught", () => {
    const vector = DATA.windows.find((v) => v.id === "conv1d-same-even");
    checkLinks(vector);
    checkPadding(vector);
    const changed = (edit) => {
      const copy = structuredClone(vector);
      edit(copy);
      return copy;
    };
    assert.throws(() => checkLinks(changed((v) => v.links.pop())));
    assert.throws(() => checkLinks(changed((v) => (v.output_shape[1] += 1))));
    checkAxes(vector);
    assert.throws(() => checkAxes(changed((v) => v.links.pop())));
    assert.throws(() => checkAxes(changed((v) => v.links.reverse())));
    // Shift every link's input by one: the padding that Keras's links imply moves with it.
    const shifted = changed((v) => v.links.forEach((link) => (link[1] += 1)));
    assert.throws(() => checkPadding(shifted));
    const wiring = DATA.channels.find((v) => v.layer === "SeparableConv2D");
    checkChannels(wiring);
    assert.throws(() => checkChannels({ ...wiring, stages: wiring.stages.slice(1) }));
  });

  test('"same" with an even kernel puts its extra zero after the input; "causal" all before', () => {
    assert.deepEqual(windowMap("Conv1D", { filters: 1, kernel_size: 4, padding: "same" }, [null, 7, 1]).padding, [[1, 2]]);
    assert.deepEqual(windowMap("Conv2D", { filters: 1, kernel_size: 2, padding: "same" }, [null, 5, 5, 1]).padding, [[0, 1], [0, 1]]);
    assert.deepEqual(windowMap("Conv1D", { filters: 1, kernel_size: 3, padding: "causal", dilation_rate: 2 }, [null, 8, 1]).padding, [[4, 0]]);
  });

  test("transposed: output_padding rows are added after the full output", () => {
    const map = windowMap("Conv1DTranspose", { filters: 1, kernel_size: 3, strides: 2, output_padding: 1 }, [null, 4, 1]);
    assert.deepEqual(map.padding, [[0, -1]]);
    assert.equal(map.outputShape[1], 10);
    assert.ok(!map.links.some(([out]) => out[0] === 9), "no input reaches the added row");
  });
});

describe("windowMap rejects what it cannot show", () => {
  const rejects = (layer, config, shape, argument) => {
    assert.throws(
      () => windowMap(layer, config, shape),
      (error) => error instanceof ConvConfigError && error.argument === argument && error.message.startsWith(argument),
    );
  };
  test("an unknown spatial length", () => {
    rejects("Conv2D", { filters: 1, kernel_size: 3 }, [null, null, 5, 1], "input_shape");
    rejects("Conv1DTranspose", { filters: 1, kernel_size: 3 }, [null, null, 1], "input_shape");
  });
  test("whatever layerInfo rejects, naming the same argument", () => {
    const cases = [
      ["Conv2D", { filters: 1, kernel_size: 5 }, [null, 3, 3, 1], "kernel_size"],
      ["Conv2D", { filters: 1, kernel_size: 3, padding: "causal" }, [null, 5, 5, 1], "padding"],
      ["Conv1DTranspose", { filters: 1, kernel_size: 3, strides: 2, output_padding: 2 }, [null, 4, 1], "output_padding"],
      ["Conv1D", { filters: 1, kernel_size: 3, strides: 2, dilation_rate: 2 }, [null, 9, 1], "strides"],
      ["DepthwiseConv1D", { kernel_size: 0 }, [null, 9, 1], "kernel_size"],
      ["Conv2D", { filters: 1, kernel_size: 3 }, [null, 5, 5], "input_shape"],
      ["Conv7D", { filters: 1, kernel_size: 3 }, [null, 5, 1], "layer"],
    ];
    for (const [layer, config, shape, argument] of cases) {
      assert.throws(() => layerInfo(layer, config, shape), (error) => error.argument === argument);
      rejects(layer, config, shape, argument);
    }
  });
  test("a transposed config that layerInfo only warns about: TensorFlow cannot run it", () => {
    const args = ["Conv2DTranspose", { filters: 1, kernel_size: [2, 3], padding: "same", output_padding: 0 }, [null, 3, 3, 1]];
    assert.deepEqual(layerInfo(...args).warnings.map((w) => w.argument), ["output_padding"]);
    rejects(...args, "output_padding");
  });
  test("channelMap rejects what layerInfo rejects", () => {
    assert.throws(() => channelMap("Conv2D", { filters: 4, kernel_size: 1, groups: 3 }, [null, 1, 1, 6]), (e) => e.argument === "groups");
  });
});

describe("channelMap agrees with Keras", () => {
  test("every stage of every channel vector", () => {
    checkAll(DATA.channels, checkChannels);
  });
  test("covers groups, depth multipliers and all four families", () => {
    const kinds = new Set(DATA.channels.map((v) => `${LAYERS[v.layer].family}`));
    assert.deepEqual([...kinds].sort(), ["depthwise", "separable", "standard", "transposed"]);
    assert.ok(DATA.channels.some((v) => (v.config.groups ?? 1) > 1));
    assert.ok(DATA.channels.some((v) => (v.config.depth_multiplier ?? 1) > 1 && LAYERS[v.layer].family === "separable"));
  });
});
