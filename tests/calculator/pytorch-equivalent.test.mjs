// The calculator's "PyTorch equivalent" line (docs/javascripts/pytorch-equivalent.mjs) in Node.
// Its rules are compared with snippets/porting/convert.py and with real PyTorch modules in
// tests/calculator/test_pytorch_equivalent.py; here: which configurations get a line, and its notes.
// Run: node --test tests/calculator/
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { pytorchEquivalent, samePadding } from "../../docs/javascripts/pytorch-equivalent.mjs";

const DATA = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
const VALID = DATA.vectors.filter((v) => v.expected && v.expected.output_shape);

test("every layer Keras accepts gets a line, unless 'same' with strides meets an unknown size", () => {
  for (const v of VALID) {
    const { code, note } = pytorchEquivalent(v.layer, v.config, v.input_shape);
    if (code === null) assert.match(note, /No PyTorch equivalent/, v.id);
    else assert.match(code, /^torch\.nn\./, v.id);
  }
});

test("stride 1 'same' with an odd kernel is PyTorch's symmetric padding=k//2", () => {
  const { code, note } = pytorchEquivalent("Conv2D", { filters: 8, kernel_size: 3, padding: "same" }, [null, 9, 9, 4]);
  assert.match(code, /padding=\(1, 1\)/);
  assert.doesNotMatch(code, /ZeroPad/);
  assert.doesNotMatch(note, /this input size/);
});

test("stride 2 'same' gets the explicit per-side padding and its note, never padding=k//2 alone", () => {
  const { code, note } = pytorchEquivalent("Conv2D", { filters: 8, kernel_size: 3, strides: 2, padding: "same" }, [null, 8, 8, 4]);
  assert.deepEqual(samePadding(8, 3, 2), [0, 1]);
  assert.match(code, /ZeroPad2d\(\(0, 1, 0, 1\)\)/);
  assert.match(note, /for this input size only/);
});

test("no line for stride 2 'same' when the input size is unknown", () => {
  const { code } = pytorchEquivalent("Conv1D", { filters: 8, kernel_size: 3, strides: 2, padding: "same" }, [null, null, 4]);
  assert.equal(code, null);
});

test("a transposed 'same' layer with stride 2 and kernel 3 needs a crop", () => {
  const result = pytorchEquivalent("Conv1DTranspose", { filters: 8, kernel_size: 3, strides: 2, padding: "same" }, [null, 5, 4]);
  assert.deepEqual(result.crop, [[0, 1]]);
  assert.match(result.note, /crop the output/);
});
