/**
 * The calculator's model mode without the page: a stack of layers as the reader typed it (text,
 * field by field), its place in the URL fragment (#model=1;in=32,32,3;Conv2D,filters=16;...), the
 * Sequential config that modelInfo (conv-calculator.mjs) explains, the Keras code that builds it,
 * and the way back from a pasted config to a stack. Pure functions, so
 * tests/calculator/model-state.test.mjs runs them in Node; model-page.mjs draws the page.
 */
import { ConvConfigError, LAYERS, argumentsFor, modelInfo, py } from "./conv-calculator.mjs";
import { NUMBER, parseNumber } from "./calculator-state.mjs";

const POOL = ["pool_size", "strides", "padding", "data_format"];
const GLOBAL = ["data_format", "keepdims"];
const WITH_FORMAT = (name) => [name, "data_format"];

/** The fields of each layer class the builder offers: the calculator's own for the ten convolutions. */
export const MODEL_FIELDS = Object.freeze(
  Object.fromEntries([
    ...Object.keys(LAYERS).map((name) => [name, [...argumentsFor(name).map((spec) => spec.name), "activation"]]),
    ...[1, 2, 3].flatMap((r) => [
      [`MaxPooling${r}D`, POOL],
      [`AveragePooling${r}D`, POOL],
      [`GlobalAveragePooling${r}D`, GLOBAL],
      [`GlobalMaxPooling${r}D`, GLOBAL],
      [`ZeroPadding${r}D`, r === 1 ? ["padding"] : WITH_FORMAT("padding")],
      [`Cropping${r}D`, r === 1 ? ["cropping"] : WITH_FORMAT("cropping")],
      [`UpSampling${r}D`, r === 1 ? ["size"] : WITH_FORMAT("size")],
    ]),
    ["BatchNormalization", ["axis", "center", "scale"]],
    ["ReLU", ["max_value"]],
    ["Activation", ["activation"]],
    ["Dropout", ["rate"]],
    ["Flatten", []],
    ["Dense", ["units", "use_bias", "activation"]],
  ]),
);
export const MODEL_CLASSES = Object.freeze(Object.keys(MODEL_FIELDS));
/** Arguments without which Keras refuses the layer: the builder fills them in when a layer is added. */
export const REQUIRED = Object.freeze({ filters: "8", kernel_size: "3", pool_size: "2", units: "10", rate: "0.5", activation: "relu" });
export const MAX_LAYERS = 100;
export const MAX_TEXT = 200;

export const isModelClass = (name) => Object.hasOwn(MODEL_FIELDS, name);

/** The stack a page shows before the reader changes anything. */
export function startStack() {
  return {
    input: "28, 28, 1",
    layers: [
      { className: "Conv2D", args: { filters: "16", kernel_size: "3" } },
      { className: "MaxPooling2D", args: {} },
      { className: "Conv2D", args: { filters: "32", kernel_size: "3" } },
      { className: "GlobalAveragePooling2D", args: {} },
      { className: "Dense", args: { units: "10" } },
    ],
  };
}

/** A new layer of a class, with the arguments it needs set. */
export function newLayer(className) {
  const args = {};
  for (const name of MODEL_FIELDS[className] ?? []) {
    if (name in REQUIRED && (name !== "activation" || className === "Activation")) args[name] = REQUIRED[name];
  }
  return { className, args };
}

// ---------------------------------------------------------------- values as Python writes them

const short = (text) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** Split at the commas outside brackets. */
function splitTop(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0) return null;
  parts.push(text.slice(start));
  return parts;
}

/**
 * A field's text in Python's value form: None, True, False, a number, a string ("same", 'relu' or
 * bare relu), or a tuple such as (3, 5) or ((1, 1), (2, 2)). Empty text: undefined (Keras's default).
 */
export function parseValue(name, raw, depth = 0) {
  const text = String(raw ?? "").trim();
  if (text === "") return undefined;
  const fail = () => new ConvConfigError(name, `${name}: cannot read ${py(short(text))}; write it as in Python, e.g. 3, (3, 5), "same", None or True.`);
  if (text.length > MAX_TEXT || depth > 3) throw fail();
  if (text === "None") return null;
  if (/^(True|true)$/.test(text)) return true;
  if (/^(False|false)$/.test(text)) return false;
  if (NUMBER.test(text)) return parseNumber(name, text, "a number");
  const quoted = text.match(/^(["'])([\w-]*)\1$/);
  if (quoted) return quoted[2];
  if (/^[A-Za-z_][\w-]*$/.test(text)) return text;
  const bracketed = /^[([].*[)\]]$/s.test(text);
  const parts = splitTop(bracketed ? text.slice(1, -1) : text);
  if (parts === null || (!bracketed && parts.length < 2)) throw fail();
  if (parts.length > 1 && parts[parts.length - 1].trim() === "") parts.pop(); // (3,)
  if (parts.length === 1 && parts[0].trim() === "") return [];
  return parts.map((part) => {
    if (part.trim() === "") throw fail();
    return parseValue(name, part, depth + 1);
  });
}

/** The input shape's text, "32, 32, 3" or "(None, 3)", as the sizes after the batch. */
export function parseInputShape(raw) {
  const text = String(raw ?? "").trim();
  let value;
  try {
    value = parseValue("input_shape", text);
  } catch {
    value = undefined;
  }
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (list.length < 1 || list.length > 4 || !list.every((d) => d === null || (Number.isSafeInteger(d) && d > 0))) {
    throw new ConvConfigError(
      "input_shape",
      `input shape: enter the sizes after the batch, 1 to 4 positive integers or None, such as 28, 28, 1; received ${py(short(text))}.`,
    );
  }
  return list;
}

// ---------------------------------------------------------------- the URL fragment

const enc = (text) => encodeURIComponent(text);
function dec(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** "#model=1;in=28%2C28%2C1;Conv2D,filters=16,kernel_size=3;..." */
export function fragmentFromStack(stack) {
  const parts = ["model=1", `in=${enc(stack.input)}`];
  for (const layer of stack.layers) {
    const args = (MODEL_FIELDS[layer.className] ?? [])
      .filter((name) => Object.hasOwn(layer.args, name) && String(layer.args[name]).trim() !== "")
      .map((name) => `${name}=${enc(layer.args[name])}`);
    parts.push([enc(layer.className), ...args].join(","));
  }
  return `#${parts.join(";")}`;
}

/**
 * The stack a fragment asks for, or null if the fragment is not a model link. Whatever it holds that
 * is no layer the builder knows, or no argument of its layer, is dropped with a message in `problems`.
 */
export function stackFromFragment(hash) {
  const text = String(hash ?? "").replace(/^#/, "");
  if (!text.startsWith("model=1")) return null;
  const [, ...parts] = text.split(";");
  const stack = { input: startStack().input, layers: [] };
  const problems = [];
  for (const part of parts) {
    if (part.startsWith("in=")) {
      stack.input = dec(part.slice(3)).slice(0, MAX_TEXT * 2);
      continue;
    }
    const [head, ...pairs] = part.split(",");
    const className = dec(head);
    if (!isModelClass(className)) {
      if (part) problems.push(`The link names a layer the builder does not know, ${py(short(className))}; it was left out.`);
      continue;
    }
    if (stack.layers.length >= MAX_LAYERS) {
      problems.push(`The link holds more than ${MAX_LAYERS} layers; the rest were left out.`);
      break;
    }
    const args = {};
    for (const pair of pairs) {
      const at = pair.indexOf("=");
      const name = dec(at < 0 ? pair : pair.slice(0, at));
      if (!MODEL_FIELDS[className].includes(name)) {
        problems.push(`${className} has no argument ${py(short(name))} here; it was left out.`);
        continue;
      }
      args[name] = at < 0 ? "" : dec(pair.slice(at + 1));
    }
    stack.layers.push({ className, args });
  }
  return { stack, problems };
}

// ---------------------------------------------------------------- evaluating

/** Keras's automatic name of a layer class: Conv2D -> conv2d, ReLU -> re_lu. */
export function snakeCase(className) {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/**
 * The stack as a Sequential model's config and its layers' arguments in value form:
 * {config, layers: [{className, name, config}], errors: Map("input" or "<index>:<argument>" -> message)}.
 */
export function configFromStack(stack) {
  const errors = new Map();
  let shape = null;
  try {
    shape = parseInputShape(stack.input);
  } catch (error) {
    errors.set("input", error.message);
  }
  const counts = new Map();
  const layers = stack.layers.map((layer, index) => {
    const seen = counts.get(layer.className) ?? 0;
    counts.set(layer.className, seen + 1);
    const name = seen ? `${snakeCase(layer.className)}_${seen}` : snakeCase(layer.className);
    const config = {};
    for (const argument of MODEL_FIELDS[layer.className]) {
      if (!Object.hasOwn(layer.args, argument)) continue;
      try {
        const value = parseValue(argument, layer.args[argument]);
        if (value !== undefined) config[argument] = value;
      } catch (error) {
        errors.set(`${index}:${argument}`, `${name}: ${error.message}`);
      }
    }
    return { className: layer.className, name, config };
  });
  const input = { class_name: "InputLayer", name: "input_layer", config: { batch_shape: [null, ...(shape ?? [])], name: "input_layer" } };
  const entries = layers.map(({ className, name, config }) => ({ class_name: className, config: { name, ...config } }));
  return { config: { name: "sequential", layers: [input, ...entries] }, layers, shape, errors };
}

/** What the page shows: {rows, params, macs} from modelInfo, or {error} (and never a partial table). */
export function evaluateStack(stack) {
  const built = configFromStack(stack);
  if (built.errors.size) return { ...built, error: [...built.errors.values()][0] };
  try {
    return { ...built, info: modelInfo(built.config) };
  } catch (error) {
    if (!(error instanceof ConvConfigError)) throw error;
    return { ...built, error: error.message };
  }
}

/** Keras 3 code that builds the stack and prints what the table shows. */
export function kerasCodeFromStack(stack) {
  const { layers, shape } = configFromStack(stack);
  const lines = ["import keras", "", "model = keras.Sequential(", "    ["];
  lines.push(`        keras.Input(shape=${py(shape)}),`);
  for (const { className, config } of layers) {
    const args = Object.entries(config).map(([k, v]) => `${k}=${py(v)}`);
    lines.push(`        keras.layers.${className}(${args.join(", ")}),`);
  }
  lines.push("    ]", ")", "for layer in model.layers:", "    print(layer.name, layer.output.shape, layer.count_params())");
  lines.push("print(model.count_params())");
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------- from a pasted config

function textOf(value) {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.length === 1 ? `(${textOf(value[0])},)` : `(${value.map(textOf).join(", ")})`;
  return py(value);
}

/**
 * A pasted config as a stack, when it is a simple chain the builder can hold: a Sequential model, or a
 * Functional one in which each layer reads the one before, whose input is an InputLayer and whose layers
 * are all builder classes. Arguments outside the builder's
 * fields (initializers, regularizers, names, dtypes) do not change the table and are left out.
 * Returns null for anything else (a Functional model, a nested model, an unknown class).
 */
export function stackFromConfig(modelConfig) {
  let config = typeof modelConfig === "string" ? safeParse(modelConfig) : modelConfig;
  if (config && typeof config === "object" && !("layers" in config) && ["Sequential", "Functional"].includes(config.class_name)) config = config.config;
  if (!config || typeof config !== "object" || !Array.isArray(config.layers)) return null;
  if ("input_layers" in config && !isFunctionalChain(config)) return null;
  const [first, ...rest] = config.layers;
  if (first?.class_name !== "InputLayer" || !first.config) return null;
  const shape = first.config.batch_shape ? first.config.batch_shape.slice(1) : first.config.shape;
  if (!Array.isArray(shape) || rest.length > MAX_LAYERS) return null;
  const layers = [];
  for (const entry of rest) {
    if (!isModelClass(entry?.class_name) || !entry.config || typeof entry.config !== "object") return null;
    if (entry.module && !String(entry.module).startsWith("keras")) return null;
    const args = {};
    for (const name of MODEL_FIELDS[entry.class_name]) {
      if (!Object.hasOwn(entry.config, name)) continue;
      const value = entry.config[name];
      if (value !== null && typeof value === "object" && !Array.isArray(value)) return null; // e.g. a serialized activation
      args[name] = textOf(value);
    }
    layers.push({ className: entry.class_name, args });
  }
  return { input: shape.map((d) => textOf(d)).join(", "), layers };
}

/** A Functional config in which each layer reads the output of the one before it, and the last is the output. */
function isFunctionalChain(config) {
  const ref = (value) => (Array.isArray(value) && typeof value[0] === "string" ? value : Array.isArray(value) && value.length === 1 ? value[0] : null);
  const names = config.layers.map((entry) => entry?.name ?? entry?.config?.name);
  if (ref(config.input_layers)?.[0] !== names[0] || ref(config.output_layers)?.[0] !== names[names.length - 1]) return false;
  return config.layers.slice(1).every((entry, i) => {
    const nodes = entry?.inbound_nodes;
    if (!Array.isArray(nodes) || nodes.length !== 1) return false;
    const args = nodes[0]?.args;
    const kwargs = nodes[0]?.kwargs ?? {};
    const tensor = Array.isArray(args) && args.length === 1 ? args[0] : null;
    const history = tensor?.class_name === "__keras_tensor__" ? tensor.config?.keras_history : null;
    const plain = Object.values(kwargs).every((v) => v === null || typeof v !== "object");
    return plain && Array.isArray(history) && history[0] === names[i] && history[1] === 0 && history[2] === 0;
  });
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The input positions that output position `index` of a layer sees, per axis: [first, last]. */
export function windowOf(field, index) {
  const first = field.start + index * field.jump;
  return [first, first + field.size - 1];
}
