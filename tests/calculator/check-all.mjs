// One way for the node tests to check a list of vectors: run every check, fail once, listing failures.
import assert from "node:assert/strict";

export const describeVector = (v) => v.id ?? `${v.layer}(${JSON.stringify(v.config)}) on ${JSON.stringify(v.input_shape)}`;

/** Run check on every vector; fail once, listing the first failures (one line each). */
export function checkAll(vectors, check) {
  const failures = [];
  for (const v of vectors) {
    try {
      check(v);
    } catch (error) {
      failures.push(`${describeVector(v)}: ${error.message.replace(/\s+/g, " ").slice(0, 300)}`);
    }
  }
  assert.ok(vectors.length > 0, "no vectors to check");
  assert.equal(failures.length, 0, `${failures.length} of ${vectors.length} vectors fail:\n${failures.slice(0, 10).join("\n")}`);
}
