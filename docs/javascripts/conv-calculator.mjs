/**
 * What a Keras 3 convolution layer computes for a given config and input shape: parameter count,
 * weight shapes, output shape and multiply-accumulates, or the reason Keras rejects the config.
 *
 * No dependencies; runs in browsers and in Node. Every rule here was found by experiment with
 * Keras 3.15.1 (TensorFlow backend) and is checked against vectors that Keras computed:
 * tests/calculator/vectors.json, made by scripts/make_calculator_vectors.py.
 *
 *   layerInfo(layer, config, inputShape) -> {params, weightShapes, outputShape, macs, warnings}
 *   paramFormula(layer, config, inputShape) -> "32 × (3 × 3 × 64 + 1) = 18,464"
 *   kerasCode(layer, config, inputShape) -> Python code that builds the layer
 *   argumentsFor(layer) / ARGUMENTS -> the arguments each layer takes, in Keras's order
 *
 * `config` uses Keras's keyword names and value forms (an int or an array for kernel_size, ...);
 * a missing key takes Keras's default. `inputShape` starts with the batch size (null). Whatever
 * Keras rejects throws a ConvConfigError whose message starts with the argument's name.
 */

/** A layer's family decides its weights; rank is its number of spatial axes. */
export const LAYERS = Object.freeze({
  Conv1D: { family: "standard", rank: 1 },
  Conv2D: { family: "standard", rank: 2 },
  Conv3D: { family: "standard", rank: 3 },
  SeparableConv1D: { family: "separable", rank: 1 },
  SeparableConv2D: { family: "separable", rank: 2 },
  DepthwiseConv1D: { family: "depthwise", rank: 1 },
  DepthwiseConv2D: { family: "depthwise", rank: 2 },
  Conv1DTranspose: { family: "transposed", rank: 1 },
  Conv2DTranspose: { family: "transposed", rank: 2 },
  Conv3DTranspose: { family: "transposed", rank: 3 },
});

// The supported keywords of each family, in the order of Keras's constructors.
const FAMILY_ARGUMENTS = {
  standard: ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "use_bias"],
  separable: ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier", "use_bias"],
  depthwise: ["kernel_size", "strides", "padding", "depth_multiplier", "data_format", "dilation_rate", "use_bias"],
  transposed: ["filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate", "use_bias"],
};
// Arguments that change a layer's values but never its shapes: accepted and not checked, as
// snippets/conv_arithmetic.py accepts them, so a config from layer.get_config() works here too.
const BASE_VALUE_ARGUMENTS = ["name", "dtype", "trainable", "autocast", "activity_regularizer"];
const CONV_VALUES = ["activation", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"];
const DEPTHWISE_VALUES = CONV_VALUES.map((name) => name.replace("kernel", "depthwise"));
const FAMILY_VALUE_ARGUMENTS = {
  standard: CONV_VALUES,
  transposed: CONV_VALUES,
  depthwise: DEPTHWISE_VALUES,
  separable: [...DEPTHWISE_VALUES, "pointwise_initializer", "pointwise_regularizer", "pointwise_constraint"],
};

/** The value-only arguments a layer accepts (see above). */
export function valueArgumentsFor(layerName) {
  return [...BASE_VALUE_ARGUMENTS, ...FAMILY_VALUE_ARGUMENTS[layerOf(layerName).family]];
}

// Conv3DTranspose alone takes data_format before output_padding.
const CONV3D_TRANSPOSE = ["filters", "kernel_size", "strides", "padding", "data_format", "output_padding", "dilation_rate", "use_bias"];

const HELP = {
  filters: "Number of output channels (kernels).",
  kernel_size: "Size of the window: one integer for every spatial axis, or a tuple with one per axis.",
  strides: "Step of the window: an integer or a tuple with one per spatial axis.",
  padding: '"valid": no padding; "same": pad so that output = ceil(input / strides); "causal" (Conv1D only): pad on the left only.',
  output_padding: "Extra rows added at the end of each axis of the output (None: Keras infers it); each must be < strides.",
  data_format: '"channels_last" (batch, ..., channels) or "channels_first" (batch, channels, ...); None means channels_last.',
  dilation_rate: "Spacing between the kernel's taps: an integer or a tuple with one per spatial axis.",
  groups: "Number of groups the input channels are split into; must divide filters and the input channels.",
  depth_multiplier: "Number of depthwise output channels per input channel.",
  use_bias: "Whether the layer adds a bias vector.",
};

function defaultValue(name, rank) {
  if (name === "strides" || name === "dilation_rate") return rank === 1 ? 1 : Array(rank).fill(1);
  return { padding: "valid", output_padding: null, data_format: null, groups: 1, depth_multiplier: 1, use_bias: true }[name];
}

function argumentSpec(layerName, name) {
  const { rank } = LAYERS[layerName];
  const required = name === "filters" || name === "kernel_size";
  const spec = { name, required, default: required ? undefined : defaultValue(name, rank), help: HELP[name] };
  if (name === "padding") spec.choices = layerName === "Conv1D" ? ["valid", "same", "causal"] : ["valid", "same"];
  if (name === "data_format") spec.choices = [null, "channels_last", "channels_first"];
  return Object.freeze(spec);
}

/** layer name -> [{name, required, default, help, choices?}] in the order of Keras's constructor. */
export const ARGUMENTS = Object.freeze(
  Object.fromEntries(
    Object.entries(LAYERS).map(([layerName, { family }]) => {
      const names = layerName === "Conv3DTranspose" ? CONV3D_TRANSPOSE : FAMILY_ARGUMENTS[family];
      return [layerName, Object.freeze(names.map((name) => argumentSpec(layerName, name)))];
    }),
  ),
);

export function argumentsFor(layerName) {
  return layerOf(layerName).arguments;
}

/** What Keras rejects. `argument` is the offending keyword ("input_shape" for the input). */
export class ConvConfigError extends Error {
  constructor(argument, message) {
    super(message);
    this.name = "ConvConfigError";
    this.argument = argument;
  }
}

// ---------------------------------------------------------------- formatting

/** A value as Python writes it: None, True, "same", (3, 3), (2,). */
export function py(value) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 1 ? `(${py(value[0])},)` : `(${value.map(py).join(", ")})`;
  return String(value);
}

/** 18464 -> "18,464" (the same in every locale). */
export function formatInt(n) {
  return n === null ? "unknown" : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// ---------------------------------------------------------------- validation

const isInt = (v) => typeof v === "number" && Number.isInteger(v);
const product = (values) => values.reduce((a, b) => a * b, 1);

function layerOf(layerName) {
  if (!Object.hasOwn(LAYERS, layerName)) {
    throw new ConvConfigError("layer", `layer must be one of ${Object.keys(LAYERS).join(", ")}; received ${py(layerName)}.`);
  }
  return { name: layerName, ...LAYERS[layerName], arguments: ARGUMENTS[layerName] };
}

function positiveInt(name, value) {
  if (!isInt(value) || value <= 0) throw new ConvConfigError(name, `${name} must be a positive integer; received ${py(value)}.`);
  return value;
}

/** An int or an array of `rank` ints (>= min) -> an array of `rank` ints, as Keras's standardize_tuple. */
function perAxis(name, value, rank, min) {
  const values = Array.isArray(value) ? value : [value];
  if ((Array.isArray(value) && value.length !== rank) || !values.every((v) => isInt(v) && v >= min)) {
    const kind = min === 0 ? "non-negative" : "positive";
    const tuple = rank === 1 ? "a tuple of one" : `a tuple of ${rank}`;
    throw new ConvConfigError(name, `${name} must be a ${kind} integer or ${tuple}; received ${py(value)}.`);
  }
  return Array.isArray(value) ? [...value] : Array(rank).fill(value);
}

function choice(name, value, allowed, layerName) {
  const lower = typeof value === "string" ? value.toLowerCase() : value; // Keras lowercases both
  if (!allowed.includes(lower)) {
    const causal = name === "padding" && lower === "causal" ? ' ("causal" is accepted by Conv1D only)' : "";
    const options = allowed.map(py).join(" or ");
    throw new ConvConfigError(name, `${name} must be ${options} for ${layerName}${causal}; received ${py(value)}.`);
  }
  return lower;
}

/** The config with defaults filled in and every value checked, in the order Keras checks them. */
export function normalizeConfig(layerName, config = {}) {
  const layer = layerOf(layerName);
  const names = layer.arguments.map((a) => a.name);
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ConvConfigError("config", `config must be an object of keyword arguments; received ${py(config)}.`);
  }
  for (const a of layer.arguments) {
    if (a.required && config[a.name] === undefined) throw new ConvConfigError(a.name, `${a.name} is required by ${layerName}.`);
  }
  const valueOnly = valueArgumentsFor(layerName);
  for (const key of Object.keys(config)) {
    if (!names.includes(key) && !valueOnly.includes(key)) {
      throw new ConvConfigError(key, `${key} is not an argument of ${layerName}; its arguments are ${names.join(", ")}.`);
    }
  }
  const raw = (name) => (config[name] === undefined ? defaultValue(name, layer.rank) : config[name]);
  const has = (name) => names.includes(name);
  const { rank } = layer;
  const c = {
    kernel_size: perAxis("kernel_size", raw("kernel_size"), rank, 1),
    strides: perAxis("strides", raw("strides"), rank, 1),
    dilation_rate: perAxis("dilation_rate", raw("dilation_rate"), rank, 1),
  };
  c.padding = choice("padding", raw("padding"), argumentSpec(layerName, "padding").choices, layerName);
  if (has("output_padding")) {
    c.output_padding = raw("output_padding") === null ? null : perAxis("output_padding", raw("output_padding"), rank, 0);
  }
  c.data_format = choice("data_format", raw("data_format") ?? "channels_last", ["channels_last", "channels_first"], layerName);
  if (has("depth_multiplier")) c.depth_multiplier = positiveInt("depth_multiplier", raw("depth_multiplier"));
  if (has("filters")) c.filters = positiveInt("filters", raw("filters"));
  if (has("groups")) {
    c.groups = positiveInt("groups", raw("groups"));
    if (c.filters % c.groups !== 0) {
      throw new ConvConfigError("groups", `groups must divide filters: ${c.filters} filters cannot be split into ${c.groups} equal groups.`);
    }
  }
  c.output_padding?.forEach((op, i) => {
    if (op >= c.strides[i]) {
      throw new ConvConfigError(
        "output_padding",
        `output_padding must be smaller than strides on every axis; output_padding[${i}] is ${op} but strides[${i}] is ${c.strides[i]}.`,
      );
    }
  });
  const strided = Math.max(...c.strides) > 1;
  const dilated = Math.max(...c.dilation_rate) > 1;
  if (strided && dilated && (layer.family === "standard" || layer.family === "transposed")) {
    throw new ConvConfigError(
      "strides",
      `strides > 1 cannot be combined with dilation_rate > 1 in ${layerName}; received strides=${py(c.strides)} ` +
        `and dilation_rate=${py(c.dilation_rate)}. (SeparableConv and DepthwiseConv layers accept both.)`,
    );
  }
  c.use_bias = raw("use_bias");
  if (typeof c.use_bias !== "boolean") throw new ConvConfigError("use_bias", `use_bias must be True or False; received ${py(c.use_bias)}.`);
  return c;
}

/** [batch, ...spatial, channels] (or channels first) -> {batch, spatial, channels}, checked. */
function splitInput(layer, inputShape, dataFormat) {
  const { rank, name } = layer;
  const where = dataFormat === "channels_first" ? "(batch, channels, " : "(batch, ";
  const axes = rank === 1 ? "length" : rank === 2 ? "height, width" : "depth, height, width";
  const layout = `${where}${axes}${dataFormat === "channels_first" ? ")" : ", channels)"}`;
  if (!Array.isArray(inputShape) || inputShape.length !== rank + 2) {
    throw new ConvConfigError("input_shape", `input_shape must have ${rank + 2} entries for ${name}: ${layout}; received ${py(inputShape)}.`);
  }
  const first = dataFormat === "channels_first";
  const channels = first ? inputShape[1] : inputShape[rank + 1];
  const spatial = first ? inputShape.slice(2) : inputShape.slice(1, rank + 1);
  const batch = inputShape[0];
  const okSize = (v) => v === null || (isInt(v) && v > 0);
  if (!okSize(batch) || !spatial.every(okSize)) {
    throw new ConvConfigError("input_shape", `input_shape sizes must be positive integers or None; received ${py(inputShape)}.`);
  }
  if (!isInt(channels) || channels <= 0) {
    throw new ConvConfigError("input_shape", `input_shape must give the number of channels (a positive integer); received ${py(inputShape)}.`);
  }
  return { batch, spatial, channels };
}

// ---------------------------------------------------------------- per-axis arithmetic

/** How many input positions the dilated kernel spans. */
const span = (k, d) => (k - 1) * d + 1;

/** Output length of a convolution along one axis (null stays null). */
function convLength(n, k, s, d, padding) {
  if (n === null) return null;
  return padding === "valid" ? Math.floor((n - span(k, d)) / s) + 1 : Math.floor((n - 1) / s) + 1;
}

/** Output length of a transposed convolution along one axis; op is output_padding (null: inferred). */
function transposeLength(n, k, s, d, padding, op) {
  if (n === null) return null;
  const K = span(k, d);
  if (padding === "valid") return (n - 1) * s + K + (op ?? Math.max(K, s) - K);
  return op === null ? n * s : (n - 1) * s + (K % 2) + op;
}

// ---------------------------------------------------------------- the layer

function analyze(layerName, config, inputShape) {
  const layer = layerOf(layerName);
  const c = normalizeConfig(layerName, config);
  const { batch, spatial, channels: cin } = splitInput(layer, inputShape, c.data_format);
  const { family, rank } = layer;
  const k = c.kernel_size;
  const warnings = [];

  if (family === "standard" && cin % c.groups !== 0) {
    throw new ConvConfigError("groups", `groups must divide the input channels: ${cin} channels cannot be split into ${c.groups} equal groups.`);
  }
  const op = (i) => (c.output_padding ? c.output_padding[i] : null);
  const outSpatial = spatial.map((n, i) =>
    family === "transposed"
      ? transposeLength(n, k[i], c.strides[i], c.dilation_rate[i], c.padding, op(i))
      : convLength(n, k[i], c.strides[i], c.dilation_rate[i], c.padding),
  );
  outSpatial.forEach((m, i) => {
    const K = span(k[i], c.dilation_rate[i]);
    if (m !== null && m <= 0 && family !== "transposed") {
      const dilated = K === k[i] ? "" : ` (with dilation_rate[${i}] = ${c.dilation_rate[i]} it spans ${K})`;
      throw new ConvConfigError(
        "kernel_size",
        `kernel_size[${i}] = ${k[i]}${dilated} is larger than the input (${spatial[i]}) on that axis, so padding="valid" ` +
          'leaves no output (Keras: "Computed output size would be zero or negative"). Use padding="same", a smaller ' +
          "kernel or a larger input.",
      );
    }
    // padding="same" with an explicit output_padding gives (n - 1) * strides + K % 2 + output_padding.
    if (family === "transposed" && c.padding === "same" && op(i) === 0 && K % 2 === 0) {
      const what = `output_padding[${i}] = 0 with padding="same" and an even kernel extent (${K})`;
      if (m === 0) {
        throw new ConvConfigError(
          "output_padding",
          `${what} on an axis of length 1 gives an empty output (length 0). Use output_padding=None or an odd kernel size.`,
        );
      }
      warnings.push({
        argument: "output_padding",
        message:
          `${what} makes Keras compute an output length of (${spatial[i] ?? "n"} - 1) × ${c.strides[i]}` +
          `${m === null ? "" : ` = ${m}`}, which TensorFlow rejects when the layer is called. ` +
          "output_padding=None gives input × strides.",
      });
    }
  });

  const kernel = product(k);
  const inPositions = spatial.includes(null) ? null : product(spatial);
  const outPositions = outSpatial.includes(null) ? null : product(outSpatial);
  const times = (n, m) => (n === null ? null : n * m);
  let weights;
  let outChannels;
  let macs;
  if (family === "standard") {
    outChannels = c.filters;
    weights = [[...k, cin / c.groups, c.filters]];
    macs = times(outPositions, kernel * (cin / c.groups) * c.filters);
  } else if (family === "depthwise") {
    outChannels = cin * c.depth_multiplier;
    weights = [[...k, cin, c.depth_multiplier]];
    macs = times(outPositions, kernel * cin * c.depth_multiplier);
  } else if (family === "separable") {
    outChannels = c.filters;
    weights = [
      [...k, cin, c.depth_multiplier],
      [...Array(rank).fill(1), cin * c.depth_multiplier, c.filters],
    ];
    macs = times(outPositions, kernel * cin * c.depth_multiplier + cin * c.depth_multiplier * c.filters);
  } else {
    outChannels = c.filters;
    weights = [[...k, c.filters, cin]];
    macs = times(inPositions, kernel * cin * c.filters);
  }
  if (c.use_bias) weights.push([outChannels]);
  const params = weights.reduce((sum, shape) => sum + product(shape), 0);
  if (!Number.isSafeInteger(params) || !(macs === null || Number.isSafeInteger(macs))) {
    throw new ConvConfigError("input_shape", "input_shape and arguments give counts too large to compute exactly (over 2^53).");
  }
  const outputShape =
    c.data_format === "channels_first" ? [batch, outChannels, ...outSpatial] : [batch, ...outSpatial, outChannels];
  return { layer, c, cin, params, weightShapes: weights, outputShape, macs, warnings };
}

/**
 * {params, weightShapes, outputShape, macs, warnings} of the layer built on inputShape.
 * macs: multiply-accumulates for one example, kernel multiplications only (null if a size is None).
 * warnings: [{argument, message}] for configs Keras accepts but its TensorFlow backend cannot run.
 */
export function layerInfo(layerName, config, inputShape) {
  const { params, weightShapes, outputShape, macs, warnings } = analyze(layerName, config, inputShape);
  return { params, weightShapes, outputShape, macs, warnings };
}

/**
 * The parameter count as a formula: with the reader's numbers, "32 × (3 × 3 × 64 + 1) = 18,464",
 * or with {symbols: true} in words, "filters × (kernel_size[0] × kernel_size[1] × in_channels + 1)".
 */
export function paramFormula(layerName, config, inputShape, { symbols = false } = {}) {
  const { layer, c, cin, params } = analyze(layerName, config, inputShape);
  const k = symbols
    ? c.kernel_size.map((_, i) => (layer.rank === 1 ? "kernel_size" : `kernel_size[${i}]`))
    : c.kernel_size.map(String);
  const name = (symbol, value) => (symbols ? symbol : String(value));
  const filters = name("filters", c.filters);
  const channels = name("in_channels", cin);
  const dm = name("depth_multiplier", c.depth_multiplier);
  const kernel = k.join(" × ");
  const withBias = (product, bias) => (c.use_bias ? `${product}${bias}` : product);
  let formula;
  if (layer.family === "depthwise") {
    formula = c.use_bias ? `${channels} × ${dm} × (${kernel} + 1)` : `${channels} × ${dm} × ${kernel}`;
  } else if (layer.family === "separable") {
    formula = withBias(`${channels} × ${dm} × ${kernel} + ${channels} × ${dm} × ${filters}`, ` + ${filters}`);
  } else {
    const perFilter = c.groups > 1 ? `${kernel} × ${channels} / ${name("groups", c.groups)}` : `${kernel} × ${channels}`;
    formula = c.use_bias ? `${filters} × (${perFilter} + 1)` : `${filters} × ${perFilter}`;
  }
  return symbols ? formula : `${formula} = ${formatInt(params)}`;
}

/** Python code, in Keras 3 style, that builds the layer on the input and prints what layerInfo gives. */
export function kerasCode(layerName, config, inputShape) {
  const { layer, c, params, weightShapes, outputShape } = analyze(layerName, config, inputShape);
  const expand = (v) => (isInt(v) ? Array(layer.rank).fill(v) : v); // strides=1 is strides=(1, 1)
  const given = [];
  for (const a of layer.arguments) {
    if (config[a.name] === undefined) continue;
    const value = { padding: c.padding, data_format: c.data_format }[a.name] ?? config[a.name];
    const isDefault = a.name === "data_format" ? value === "channels_last" : py(expand(value)) === py(expand(a.default));
    if (a.required || !isDefault) given.push(`${a.name}=${py(value)}`);
  }
  return [
    "import keras",
    "",
    `inputs = keras.Input(shape=${py(inputShape.slice(1))})`,
    `layer = keras.layers.${layerName}(${given.join(", ")})`,
    "outputs = layer(inputs)",
    `print(outputs.shape)  # ${py(outputShape)}`,
    `print(layer.count_params())  # ${params}`,
    `print([tuple(w.shape) for w in layer.weights])  # [${weightShapes.map(py).join(", ")}]`,
    "",
  ].join("\n");
}

// ---------------------------------------------------------------- which input feeds which output

/**
 * Where the window goes: the spatial connectivity of the layer built on inputShape (same arguments
 * as layerInfo), as Keras's TensorFlow backend computes it. Checked against Keras by
 * tests/calculator/window-vectors.json (scripts/make_window_vectors.py).
 *
 *   windowMap(layer, config, inputShape) -> {outputShape, padding, links}
 *
 * outputShape: as layerInfo returns it.
 * padding: per spatial axis [before, after].
 *   - Convolutions: the zeros Keras adds before and after the input. "valid": [0, 0]. "same": the
 *     total (outLength - 1) * strides + K - length (at least 0), where K = (kernel_size - 1) *
 *     dilation_rate + 1, is split with the smaller half before: an odd total puts its extra zero
 *     AFTER the input. "causal": [K - 1, 0].
 *   - Transposed layers: the positions cropped from the start and from the end of the full output
 *     (the (length - 1) * strides + K positions that the kernel windows cover). A negative `after`
 *     is the number of positions added after the full output, that no input reaches (what
 *     output_padding, or a stride larger than K, adds).
 * links: every [outPos, inPos, tap] such that input position inPos is multiplied by kernel tap `tap`
 *   into output position outPos; each is an array of one int per spatial axis, `tap` indexing the
 *   spatial axes of layer.kernel (of depthwise_kernel for the separable layers).
 *   Along each axis, with s = strides, d = dilation_rate, before = padding[axis][0]:
 *   convolutions: in = out * s + tap * d - before (links whose input falls on padding are left
 *   out); transposed: out = in * s + tap * d - before (links whose output is cropped are left out).
 *   Sorted by outPos, then inPos (row-major); an input position appears at most once per output.
 *
 * Channels play no part (see channelMap). Throws a ConvConfigError for whatever layerInfo rejects,
 * when a spatial length is unknown (null), and for the configs layerInfo accepts with a warning
 * (TensorFlow cannot run them, so they have no connectivity).
 */
export function windowMap(layerName, config, inputShape) {
  const { geometry, outputShape } = windowGeometry(layerName, config, inputShape);
  const perAxis = geometry.map(axisLinks);
  const links = [];
  const rank = geometry.length;
  const outIndex = Array(rank).fill(0);
  const outLengths = geometry.map((g) => g.outLength);
  const pick = Array(rank).fill(null);
  const visit = (axis) => {
    if (axis === rank) {
      const inPos = Array(rank);
      const tap = Array(rank);
      for (let i = 0; i < rank; i += 1) [inPos[i], tap[i]] = pick[i];
      links.push([outIndex.slice(), inPos, tap]);
      return;
    }
    for (const pair of perAxis[axis][outIndex[axis]]) {
      pick[axis] = pair;
      visit(axis + 1);
    }
  };
  const total = product(outLengths);
  for (let flat = 0; flat < total; flat += 1) {
    let rest = flat;
    for (let axis = rank - 1; axis >= 0; axis -= 1) {
      outIndex[axis] = rest % outLengths[axis];
      rest = Math.floor(rest / outLengths[axis]);
    }
    visit(0);
  }
  return { outputShape, padding: geometry.map((g) => [g.before, g.after]), links };
}

/**
 * The per-axis numbers behind windowMap, for drawing: [{length, outLength, kernel, strides,
 * dilation, span, before, after, transposed}] (span is K), with the layer's outputShape.
 */
export function windowGeometry(layerName, config, inputShape) {
  const { layer, c, outputShape, warnings } = analyze(layerName, config, inputShape);
  if (warnings.length > 0) {
    const [{ argument, message }] = warnings;
    throw new ConvConfigError(argument, `${message} So it has no connectivity to show.`);
  }
  const { spatial } = splitInput(layer, inputShape, c.data_format);
  const first = c.data_format === "channels_first";
  const outSpatial = first ? outputShape.slice(2) : outputShape.slice(1, layer.rank + 1);
  spatial.forEach((n, i) => {
    if (n === null) {
      throw new ConvConfigError(
        "input_shape",
        `input_shape must give every spatial length to show the window; spatial axis ${i} is None in ${py(inputShape)}.`,
      );
    }
  });
  const transposed = layer.family === "transposed";
  const geometry = spatial.map((n, i) => {
    const [k, s, d, m] = [c.kernel_size[i], c.strides[i], c.dilation_rate[i], outSpatial[i]];
    const K = span(k, d);
    let before;
    let after;
    if (transposed) {
      before = Math.floor(Math.max((n - 1) * s + K - m, 0) / 2);
      after = (n - 1) * s + K - before - m;
    } else if (c.padding === "causal") {
      [before, after] = [K - 1, 0];
    } else if (c.padding === "same") {
      const totalPad = Math.max((m - 1) * s + K - n, 0);
      before = Math.floor(totalPad / 2);
      after = totalPad - before;
    } else {
      [before, after] = [0, 0];
    }
    return { length: n, outLength: m, kernel: k, strides: s, dilation: d, span: K, before, after, transposed };
  });
  return { geometry, outputShape };
}

/** Along one axis: for each output position, its [inPos, tap] pairs, sorted by inPos. */
function axisLinks({ length, outLength, kernel, strides, dilation, before, transposed }) {
  const byOut = Array.from({ length: outLength }, () => []);
  if (transposed) {
    for (let i = 0; i < length; i += 1) {
      for (let t = 0; t < kernel; t += 1) {
        const o = i * strides + t * dilation - before;
        if (o >= 0 && o < outLength) byOut[o].push([i, t]);
      }
    }
    byOut.forEach((pairs) => pairs.sort((a, b) => a[0] - b[0]));
  } else {
    for (let o = 0; o < outLength; o += 1) {
      for (let t = 0; t < kernel; t += 1) {
        const i = o * strides + t * dilation - before;
        if (i >= 0 && i < length) byOut[o].push([i, t]);
      }
    }
  }
  return byOut;
}

/**
 * windowMap's links kept per spatial axis, for the window view, which draws one output cell's
 * window at a time and need not list every link (same arguments as windowMap):
 *
 *   windowAxes(layer, config, inputShape) -> {outputShape, padding, geometry, axes}
 *
 * axes[axis] = {byOut, byIn}: byOut[o] lists the [inPos, tap] pairs of output position o along
 * that axis, sorted by inPos; byIn[i] lists the [outPos, tap] pairs of input position i, sorted by
 * outPos. The links of an output cell are the product of its axes' byOut lists, in row-major order
 * (windowLinks below): exactly windowMap's links for that cell, in windowMap's order, which
 * tests/calculator/window-map.test.mjs checks on every vector of window-vectors.json.
 */
export function windowAxes(layerName, config, inputShape) {
  const { geometry, outputShape } = windowGeometry(layerName, config, inputShape);
  const axes = geometry.map((g) => {
    const byOut = axisLinks(g);
    const byIn = Array.from({ length: g.length }, () => []);
    byOut.forEach((pairs, o) => pairs.forEach(([i, t]) => byIn[i].push([o, t])));
    return { byOut, byIn };
  });
  return { outputShape, padding: geometry.map((g) => [g.before, g.after]), geometry, axes };
}

/**
 * The links of one cell from windowAxes's axes: side "out" gives [[inPos, tap], ...] of output
 * cell pos (windowMap's links for it, in its order), side "in" gives [[outPos, tap], ...] of
 * input cell pos, sorted by outPos.
 */
export function windowLinks(axes, side, pos) {
  const lists = axes.map((axis, i) => (side === "out" ? axis.byOut : axis.byIn)[pos[i]] ?? []);
  let found = [[[], []]];
  for (const list of lists) {
    const next = [];
    for (const [other, tap] of found) for (const [p, t] of list) next.push([[...other, p], [...tap, t]]);
    found = next;
  }
  return found;
}

/**
 * Which input channels feed which output channels (same arguments as layerInfo):
 *
 *   channelMap(layer, config, inputShape) -> {inChannels, outChannels, stages}
 *
 * stages: the kernels a value passes through, in order; one for standard, depthwise and transposed
 * layers, two for separable ones. Each is {kernel, inChannels, outChannels, links}:
 *   kernel: the weight's name in Keras: "kernel" (standard, depthwise, transposed), or
 *     "depthwise_kernel" then "pointwise_kernel" (separable);
 *   links: every [outChannel, inChannel, a, b] such that weight [..., a, b] of that kernel (its last
 *   two axes) carries channel inChannel of the stage's input into channel outChannel of its output,
 *   sorted by outChannel, then inChannel.
 * The rules (checked against Keras by the same vectors file):
 *   standard, groups g, C inputs, F filters: in channel i feeds out channel o when both lie in the
 *     same group (i / (C / g) and o / (F / g), rounded down, are equal), by weight [i mod C/g, o];
 *   depthwise, multiplier m: in channel i feeds out channels i * m + j (j < m), by weight [i, j];
 *   separable: that depthwise stage into C * m middle channels, then a pointwise stage in which
 *     every middle channel feeds every filter o, by pointwise weight [middle, o];
 *   transposed: every in channel i feeds every filter o, by weight [o, i] (kernel is (..., filters, in)).
 */
export function channelMap(layerName, config, inputShape) {
  const { layer, c, cin } = analyze(layerName, config, inputShape);
  const links = (outs, ins, rule) => {
    const found = [];
    for (let o = 0; o < outs; o += 1) {
      for (let i = 0; i < ins; i += 1) {
        const weight = rule(o, i);
        if (weight) found.push([o, i, ...weight]);
      }
    }
    return found;
  };
  const stage = (kernel, ins, outs, rule) => ({ kernel, inChannels: ins, outChannels: outs, links: links(outs, ins, rule) });
  const dm = c.depth_multiplier;
  const depthwise = (name, outs) =>
    stage(name, cin, outs, (o, i) => (Math.floor(o / dm) === i ? [i, o % dm] : null));
  let stages;
  if (layer.family === "standard") {
    const [perIn, perOut] = [cin / c.groups, c.filters / c.groups];
    stages = [
      stage("kernel", cin, c.filters, (o, i) =>
        Math.floor(i / perIn) === Math.floor(o / perOut) ? [i % perIn, o] : null,
      ),
    ];
  } else if (layer.family === "depthwise") {
    stages = [depthwise("kernel", cin * dm)];
  } else if (layer.family === "separable") {
    stages = [depthwise("depthwise_kernel", cin * dm), stage("pointwise_kernel", cin * dm, c.filters, (o, i) => [i, o])];
  } else {
    stages = [stage("kernel", cin, c.filters, (o, i) => [o, i])];
  }
  return { inChannels: cin, outChannels: stages.at(-1).outChannels, stages };
}

// ---------------------------------------------------------------- whole models: modelInfo
//
// modelInfo(modelConfig) -> {params, macs, layers: [{name, className, outputShape, params, macs, receptiveField, weightShapes}]}
// The port of model_info in snippets/conv_arithmetic.py, with the same rules (see its docstring):
// modelConfig is model.get_config() of a Sequential or Functional model, the {class_name, config}
// object of model.to_json(), or that JSON text. Checked against every keras.applications model:
// tests/calculator/model-info.test.mjs reads tests/calculator/model_vectors.json.gz.

const modelError = (message) => new ConvConfigError("model_config", message);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const sumOrNull = (values) => (values.includes(null) ? null : values.reduce((a, b) => a + b, 0));

function checkShape(shape, what = "input_shape") {
  if (!Array.isArray(shape) || !shape.every((d) => d === null || (isInt(d) && d > 0))) {
    throw new ConvConfigError(what, `${what} must be a list of positive integers or None; received ${py(shape)}.`);
  }
  return shape;
}
function knownLength(n, what) {
  if (n === null) throw new ConvConfigError("input_shape", `the ${what} must be known (not None) because weight shapes depend on it.`);
  return n;
}
function exactRank(shape, rank) {
  if (!Array.isArray(shape) || shape.length !== rank + 2) {
    throw new ConvConfigError("input_shape", `expected ${rank + 2} dimensions including the batch; received ${py(shape)}.`);
  }
  return checkShape(shape);
}
function dataFormatOf(value) {
  const format = value === null || value === undefined ? "channels_last" : String(value).toLowerCase();
  if (format !== "channels_last" && format !== "channels_first") {
    throw new ConvConfigError("data_format", `data_format must be "channels_last", "channels_first" or None; received ${py(value)}.`);
  }
  return format;
}
/** {batch, spatial, channels} of a shape with `rank` spatial axes, and back. */
function splitShape(shape, rank, format) {
  exactRank(shape, rank);
  return format === "channels_last"
    ? { batch: shape[0], spatial: shape.slice(1, -1), channels: shape[shape.length - 1] }
    : { batch: shape[0], spatial: shape.slice(2), channels: shape[1] };
}
const joinShape = (batch, spatial, channels, format) =>
  format === "channels_last" ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
function axesOf(value, ndim, name = "axis") {
  const values = isInt(value) ? [value] : value;
  if (!Array.isArray(values) || values.length === 0 || !values.every(isInt) || !values.every((v) => v >= -ndim && v < ndim)) {
    throw new ConvConfigError(name, `${name} must be an integer or a list of integers between ${-ndim} and ${ndim - 1}; received ${py(value)}.`);
  }
  return [...new Set(values.map((v) => (v + ndim) % ndim))].sort((a, b) => a - b);
}
/** Keras's merge-layer rule for two shapes without the batch: aligned on the right, 1 stretches. */
function broadcastShapes(first, second) {
  if (first.length < second.length) [first, second] = [second, first];
  const head = first.slice(0, first.length - second.length);
  const tail = first.slice(first.length - second.length);
  return [
    ...head,
    ...tail.map((a, i) => {
      const b = second[i];
      if (a !== null && b !== null && a !== 1 && b !== 1 && a !== b) {
        throw new ConvConfigError("input_shape", `the inputs cannot be added: lengths ${a} and ${b} differ and neither is 1.`);
      }
      return a === null || b === null ? null : Math.max(a, b);
    }),
  ];
}
function mergeShapes(shapes, className) {
  if (!Array.isArray(shapes) || shapes.length === 0 || !shapes.every(Array.isArray)) {
    throw new ConvConfigError("input_shape", `${className} takes a non-empty list of input shapes; received ${py(shapes)}.`);
  }
  shapes.forEach((s) => checkShape(s));
  const batches = new Set(shapes.map((s) => s[0]).filter((b) => b !== null));
  if (batches.size > 1) throw new ConvConfigError("input_shape", `the inputs have different batch sizes: ${py(shapes)}.`);
  let output = shapes[0].slice(1);
  for (const s of shapes.slice(1)) output = broadcastShapes(output, s.slice(1));
  return [batches.size ? [...batches][0] : null, ...output];
}
function pairsOf(value, rank, name) {
  const perAxis = rank === 1 ? [value] : isInt(value) ? Array(rank).fill(value) : value;
  if (!Array.isArray(perAxis) || perAxis.length !== rank) {
    throw new ConvConfigError(name, `${name} must be an integer or a list of ${rank} entries; received ${py(value)}.`);
  }
  return perAxis.map((axis) => perAxis1(name, axis));
}
const perAxis1 = (name, value) => perAxis(name, value, 2, 0);
const windowLength = (n, k, s, padding) => (n === null ? null : padding === "valid" ? Math.floor((n - k) / s) + 1 : Math.floor((n - 1) / s) + 1);

const RANK_OF = (name) => {
  const digit = name.match(/\d/);
  return digit ? Number(digit[0]) : null;
};

// Each entry: [shape function, {argument: default ("<required>" if none)}, "value-only arguments"].
// A shape function returns {weights: [shapes], outputShape, macs}.
const REQUIRED_ARGUMENT = "<required>";
const MODEL_LAYERS = {};
function registerModel(names, fn, args = {}, valueOnly = "") {
  for (const name of names.split(" ")) MODEL_LAYERS[name] = { fn, args, valueOnly: valueOnly.split(" ").filter(Boolean), rank: RANK_OF(name) };
}
const BASE_ARGUMENTS = ["name", "dtype", "trainable", "autocast", "activity_regularizer"];
const MODEL_CONV_VALUES = "activation kernel_initializer bias_initializer kernel_regularizer bias_regularizer kernel_constraint bias_constraint";
const MODEL_DEPTHWISE_VALUES = MODEL_CONV_VALUES.replaceAll("kernel", "depthwise");
const MODEL_SEPARABLE_VALUES = `${MODEL_DEPTHWISE_VALUES} pointwise_initializer pointwise_regularizer pointwise_constraint`;
const NORM_VALUES = "epsilon beta_initializer gamma_initializer beta_regularizer gamma_regularizer beta_constraint gamma_constraint";
const BN_VALUES = `${NORM_VALUES} momentum moving_mean_initializer moving_variance_initializer renorm_clipping renorm_momentum synchronized`;
const sameShape = (_a, _r, shape) => ({ weights: [], outputShape: checkShape(shape), macs: 0 });

function convolution(className) {
  return (a, rank, shape) => {
    const picked = Object.fromEntries(ARGUMENTS[className].map((s) => [s.name, a[s.name]]).filter(([, v]) => v !== undefined));
    const info = layerInfo(className, picked, shape);
    return { weights: info.weightShapes, outputShape: info.outputShape, macs: info.macs };
  };
}
for (const name of Object.keys(LAYERS)) {
  const family = LAYERS[name].family;
  const values = family === "separable" ? MODEL_SEPARABLE_VALUES : family === "depthwise" ? MODEL_DEPTHWISE_VALUES : MODEL_CONV_VALUES;
  const args = Object.fromEntries(ARGUMENTS[name].map((s) => [s.name, s.required ? REQUIRED_ARGUMENT : s.default]));
  registerModel(name, convolution(name), args, values);
}
function pooling(a, rank, shape) {
  const pool = perAxis("pool_size", a.pool_size, rank, 1);
  const strides = a.strides === null ? pool : perAxis("strides", a.strides, rank, 1);
  if (a.padding !== "valid" && a.padding !== "same") {
    throw new ConvConfigError("padding", `padding of a pooling layer must be "valid" or "same" (lower case); received ${py(a.padding)}.`);
  }
  const format = dataFormatOf(a.data_format);
  const { batch, spatial, channels } = splitShape(shape, rank, format);
  const lengths = spatial.map((n, i) => windowLength(n, pool[i], strides[i], a.padding));
  if (lengths.some((m) => m !== null && m < 1)) {
    throw new ConvConfigError("pool_size", `pool_size ${py(pool)} is larger than the input ${py(spatial)} with padding="valid".`);
  }
  return { weights: [], outputShape: joinShape(batch, lengths, channels, format), macs: 0 };
}
const POOLING_ARGS = { pool_size: 2, strides: null, padding: "valid", data_format: null };
registerModel("MaxPooling1D MaxPooling2D MaxPooling3D", pooling, POOLING_ARGS);
registerModel("AveragePooling1D AveragePooling2D AveragePooling3D", pooling, { ...POOLING_ARGS, pool_size: REQUIRED_ARGUMENT });
registerModel(
  "GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D",
  (a, rank, shape) => {
    const format = dataFormatOf(a.data_format);
    const { batch, channels } = splitShape(shape, rank, format);
    const outputShape = a.keepdims ? joinShape(batch, Array(rank).fill(1), channels, format) : [batch, channels];
    return { weights: [], outputShape, macs: 0 };
  },
  { data_format: null, keepdims: false },
);
function padOrCrop(sign, name) {
  return (a, rank, shape) => {
    const pairs = pairsOf(a[name], rank, name);
    const format = dataFormatOf(a.data_format);
    const { batch, spatial, channels } = splitShape(shape, rank, format);
    const lengths = spatial.map((n, i) => (n === null ? null : n + sign * (pairs[i][0] + pairs[i][1])));
    if (lengths.some((m) => m !== null && m < 1)) {
      throw new ConvConfigError(name, `${name} ${py(a[name])} removes every position of an axis of ${py(spatial)}.`);
    }
    return { weights: [], outputShape: joinShape(batch, lengths, channels, format), macs: 0 };
  };
}
registerModel("ZeroPadding1D ZeroPadding2D ZeroPadding3D", padOrCrop(1, "padding"), { padding: 1, data_format: null });
registerModel("Cropping1D", padOrCrop(-1, "cropping"), { cropping: [1, 1] });
registerModel("Cropping2D", padOrCrop(-1, "cropping"), { cropping: 0, data_format: null });
registerModel("Cropping3D", padOrCrop(-1, "cropping"), { cropping: 1, data_format: null });
function upsampling(a, rank, shape) {
  const size = perAxis("size", a.size, rank, 1);
  const format = dataFormatOf(a.data_format);
  const { batch, spatial, channels } = splitShape(shape, rank, format);
  return { weights: [], outputShape: joinShape(batch, spatial.map((n, i) => (n === null ? null : n * size[i])), channels, format), macs: 0 };
}
registerModel("UpSampling1D", upsampling, { size: 2 });
registerModel("UpSampling2D", upsampling, { size: 2, data_format: null, interpolation: "nearest" });
registerModel("UpSampling3D", upsampling, { size: 2, data_format: null });
registerModel(
  "AdaptiveAveragePooling1D AdaptiveAveragePooling2D AdaptiveAveragePooling3D AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D",
  (a, rank, shape) => {
    const size = perAxis("output_size", a.output_size, rank, 1);
    const format = dataFormatOf(a.data_format);
    const { batch, channels } = splitShape(shape, rank, format);
    return { weights: [], outputShape: joinShape(batch, size, channels, format), macs: 0 };
  },
  { output_size: REQUIRED_ARGUMENT, data_format: null },
);
registerModel(
  "BatchNormalization",
  (a, _r, shape) => {
    checkShape(shape);
    if (!isInt(a.axis) || a.axis < -shape.length || a.axis >= shape.length) {
      throw new ConvConfigError("axis", `axis must be an axis of the ${shape.length}-dimensional input; received ${py(a.axis)}.`);
    }
    const features = [knownLength(shape[(a.axis + shape.length) % shape.length], `length of axis ${a.axis}`)];
    const count = Number(Boolean(a.scale)) + Number(Boolean(a.center)) + 2 + (a.renorm ? 3 : 0);
    return { weights: Array(count).fill(features), outputShape: shape, macs: 0 };
  },
  { axis: -1, center: true, scale: true, renorm: false },
  BN_VALUES,
);
registerModel(
  "Dense",
  (a, _r, shape) => {
    const units = positiveInt("units", a.units);
    for (const key of ["lora_rank", "lora_alpha", "quantization_config"]) {
      if (a[key] !== null) throw new ConvConfigError(key, `${key}: LoRA and quantized Dense layers are not modelled here.`);
    }
    if (!Array.isArray(shape) || shape.length < 2) throw new ConvConfigError("input_shape", `Dense needs at least 2 dimensions; received ${py(shape)}.`);
    checkShape(shape);
    const inputs = knownLength(shape[shape.length - 1], "last dimension");
    const positions = shape.slice(1, -1);
    const macs = positions.includes(null) ? null : product(positions) * inputs * units;
    return { weights: [[inputs, units], ...(a.use_bias ? [[units]] : [])], outputShape: [...shape.slice(0, -1), units], macs };
  },
  { units: REQUIRED_ARGUMENT, use_bias: true, lora_rank: null, lora_alpha: null, quantization_config: null },
  MODEL_CONV_VALUES,
);
registerModel("Activation", sameShape, { activation: REQUIRED_ARGUMENT });
function nonNegative(...names) {
  return (a, rank, shape) => {
    for (const name of names) {
      if (a[name] === null || a[name] < 0) throw new ConvConfigError(name, `${name} cannot be None or negative; received ${py(a[name])}.`);
    }
    return sameShape(a, rank, shape);
  };
}
registerModel(
  "ReLU",
  (a, rank, shape) => {
    if (a.max_value !== null && a.max_value < 0) throw new ConvConfigError("max_value", `max_value cannot be negative; received ${py(a.max_value)}.`);
    return nonNegative("negative_slope", "threshold")(a, rank, shape);
  },
  { max_value: null, negative_slope: 0, threshold: 0 },
);
registerModel("LeakyReLU", nonNegative("negative_slope"), { negative_slope: 0.3 });
registerModel("ELU", sameShape, { alpha: 1 });
registerModel("Identity", sameShape, {});
registerModel("Softmax", (a, r, shape) => (axesOf(a.axis, checkShape(shape).length), sameShape(a, r, shape)), { axis: -1 });
function dropout(a, rank, shape) {
  if (typeof a.rate !== "number" || a.rate < 0 || a.rate > 1) throw new ConvConfigError("rate", `rate must be between 0 and 1; received ${py(a.rate)}.`);
  return sameShape(a, rank, shape);
}
registerModel("Dropout", dropout, { rate: REQUIRED_ARGUMENT }, "noise_shape seed");
const spatialDropout = (a, rank, shape) => (dataFormatOf(a.data_format), dropout(a, rank, exactRank(shape, rank)));
registerModel("SpatialDropout1D", spatialDropout, { rate: REQUIRED_ARGUMENT }, "seed");
registerModel(
  "SpatialDropout2D SpatialDropout3D",
  spatialDropout,
  { rate: REQUIRED_ARGUMENT, data_format: null },
  "seed",
);
registerModel("Rescaling", sameShape, { scale: REQUIRED_ARGUMENT }, "offset");
registerModel(
  "Flatten",
  (_a, _r, shape) => {
    checkShape(shape);
    const rest = shape.slice(1);
    return { weights: [], outputShape: [shape[0], rest.includes(null) ? null : product(rest)], macs: 0 };
  },
  { data_format: null },
);
registerModel(
  "Reshape",
  (a, _r, shape) => {
    checkShape(shape);
    const target = a.target_shape;
    if (!Array.isArray(target) || !target.every((d) => d === null || (isInt(d) && d >= -1)) || target.filter((d) => d === -1).length > 1) {
      throw new ConvConfigError("target_shape", `target_shape must hold non-negative integers and at most one -1; received ${py(target)}.`);
    }
    const rest = shape.slice(1);
    const size = rest.includes(null) ? null : product(rest);
    if (size === null || target.includes(null)) return { weights: [], outputShape: [shape[0], ...target.map((d) => (d === -1 ? null : d))], macs: 0 };
    const known = product(target.filter((d) => d !== -1));
    const fits = target.includes(-1) ? known > 0 && size % known === 0 : size === known;
    if (!fits) throw new ConvConfigError("target_shape", `target_shape ${py(target)} cannot hold the ${size} values of ${py(shape)}.`);
    return { weights: [], outputShape: [shape[0], ...target.map((d) => (d === -1 ? size / known : d))], macs: 0 };
  },
  { target_shape: REQUIRED_ARGUMENT },
);
const merge = (_a, _r, shapes, className) => ({ weights: [], outputShape: mergeShapes(shapes, className), macs: 0 });
registerModel("Add Multiply Average Maximum Minimum", merge, {});
function exactlyTwo(_a, _r, shapes, className) {
  if (!Array.isArray(shapes) || shapes.length !== 2) throw new ConvConfigError("input_shape", `${className} takes exactly 2 inputs.`);
  return merge(_a, _r, shapes, className);
}
registerModel("Subtract", exactlyTwo, {});
registerModel("CustomScaleLayer", exactlyTwo, { scale: REQUIRED_ARGUMENT });
registerModel(
  "Concatenate",
  (a, _r, shapes) => {
    if (!Array.isArray(shapes) || shapes.length === 0 || !shapes.every(Array.isArray)) {
      throw new ConvConfigError("input_shape", `Concatenate takes a non-empty list of input shapes; received ${py(shapes)}.`);
    }
    shapes.forEach((s) => checkShape(s));
    const ndim = shapes[0].length;
    if (shapes.some((s) => s.length !== ndim)) throw new ConvConfigError("input_shape", `the inputs of Concatenate must have the same rank.`);
    const [axis] = axesOf(a.axis, ndim);
    for (let i = 0; i < ndim; i++) {
      const lengths = new Set(shapes.map((s) => s[i]).filter((d) => d !== null));
      if (i !== axis && lengths.size > 1) throw new ConvConfigError("input_shape", `the inputs' lengths must match except on axis ${axis}.`);
    }
    const output = [...shapes[0]];
    const lengths = shapes.map((s) => s[axis]);
    output[axis] = lengths.includes(null) ? null : lengths.reduce((x, y) => x + y, 0);
    return { weights: [], outputShape: output, macs: 0 };
  },
  { axis: -1 },
);
registerModel(
  "LayerNormalization",
  (a, _r, shape) => {
    checkShape(shape);
    const features = axesOf(a.axis, shape.length).map((axis) => knownLength(shape[axis], `length of axis ${axis}`));
    const count = Number(Boolean(a.scale || a.rms_scaling)) + Number(Boolean(a.center && !a.rms_scaling));
    return { weights: Array(count).fill(features), outputShape: shape, macs: 0 };
  },
  { axis: -1, center: true, scale: true, rms_scaling: false },
  NORM_VALUES,
);
registerModel(
  "GroupNormalization",
  (a, _r, shape) => {
    checkShape(shape);
    const [axis] = axesOf(a.axis, shape.length);
    const channels = knownLength(shape[axis], `length of axis ${axis}`);
    const groups = a.groups === -1 ? channels : positiveInt("groups", a.groups);
    if (channels % groups) throw new ConvConfigError("groups", `groups (${groups}) must divide the ${channels} channels.`);
    return { weights: Array(Number(Boolean(a.scale)) + Number(Boolean(a.center))).fill([channels]), outputShape: shape, macs: 0 };
  },
  { groups: 32, axis: -1, center: true, scale: true },
  NORM_VALUES,
);
registerModel(
  "Normalization",
  (a, _r, shape) => {
    checkShape(shape);
    const empty = a.axis === null || (Array.isArray(a.axis) && a.axis.length === 0);
    const kept = empty ? [] : axesOf(a.axis, shape.length);
    if ((a.mean === null) !== (a.variance === null)) throw new ConvConfigError("mean", "mean and variance must be given together.");
    if (a.mean !== null) {
      const nested = (v) => (Array.isArray(v) ? [v.length, ...(v.length ? nested(v[0]) : [])] : []);
      const [mean, variance] = [nested(a.mean), nested(a.variance)];
      const dims = kept.map((axis) => shape[axis]);
      const fits = mean.length <= dims.length && mean.every((m, i) => m === 1 || m === dims[dims.length - mean.length + i]);
      if (py(mean) !== py(variance) || !fits) {
        throw new ConvConfigError("mean", `mean and variance must have one shape that fits the axes ${py(dims)}; received ${py(mean)} and ${py(variance)}.`);
      }
      return { weights: [], outputShape: shape, macs: 0 };
    }
    const features = kept.map((axis) => knownLength(shape[axis], `length of axis ${axis}`));
    return { weights: [features, features, []], outputShape: shape, macs: 0 };
  },
  { axis: -1, mean: null, variance: null },
  "invert",
);
registerModel(
  "Permute",
  (a, _r, shape) => {
    const dims = a.dims;
    if (!Array.isArray(dims) || [...dims].sort((x, y) => x - y).some((d, i) => d !== i + 1)) {
      throw new ConvConfigError("dims", `dims must be a permutation of 1, ..., n; received ${py(dims)}.`);
    }
    if (!Array.isArray(shape) || shape.length !== dims.length + 1) throw new ConvConfigError("input_shape", `Permute expects ${dims.length + 1} dimensions.`);
    checkShape(shape);
    return { weights: [], outputShape: [shape[0], ...dims.map((d) => shape[d])], macs: 0 };
  },
  { dims: REQUIRED_ARGUMENT },
);
registerModel(
  "LayerScale",
  (a, _r, shape) => {
    const dim = positiveInt("projection_dim", a.projection_dim);
    checkShape(shape);
    const last = shape[shape.length - 1];
    if (last !== null && last !== dim && last !== 1) throw new ConvConfigError("projection_dim", `${dim} does not match the input's last axis (${last}).`);
    return { weights: [[dim]], outputShape: last === 1 ? [...shape.slice(0, -1), dim] : shape, macs: 0 };
  },
  { init_values: REQUIRED_ARGUMENT, projection_dim: REQUIRED_ARGUMENT },
);
registerModel(
  "InputLayer",
  (a) => {
    if (a.input_tensor !== null) throw new ConvConfigError("input_tensor", "input_tensor is not modelled here.");
    if (a.batch_shape !== null) {
      if (a.shape !== null || a.batch_size !== null) throw new ConvConfigError("batch_shape", "batch_shape cannot be combined with shape or batch_size.");
      return { weights: [], outputShape: checkShape(a.batch_shape, "batch_shape"), macs: 0 };
    }
    if (a.shape === null) throw new ConvConfigError("shape", "InputLayer needs shape or batch_shape.");
    if (a.batch_size !== null) positiveInt("batch_size", a.batch_size);
    return { weights: [], outputShape: checkShape([a.batch_size, ...a.shape], "shape"), macs: 0 };
  },
  { shape: null, batch_size: null, batch_shape: null, input_tensor: null },
  "sparse ragged optional",
);
const TAKES_LIST = new Set(["Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract", "CustomScaleLayer", "Concatenate"]);

/** The layer classes modelInfo knows (besides nested Sequential and Functional models). */
export const MODEL_LAYER_NAMES = Object.freeze(Object.keys(MODEL_LAYERS).sort());

function modelLayerInfo(className, config, inputShape) {
  const { fn, args, valueOnly, rank } = MODEL_LAYERS[className];
  for (const key of Object.keys(config)) {
    if (!(key in args) && !valueOnly.includes(key) && !BASE_ARGUMENTS.includes(key)) {
      throw new ConvConfigError(key, `${key} is not an argument of ${className} that this module knows.`);
    }
  }
  const a = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === REQUIRED_ARGUMENT && config[key] === undefined) throw new ConvConfigError(key, `${key} is required by ${className}.`);
    a[key] = config[key] === undefined ? value : config[key];
  }
  const { weights, outputShape, macs } = fn(a, rank, inputShape, className);
  const params = weights.reduce((sum, shape) => sum + product(shape), 0);
  return { params, weightShapes: weights, outputShape, macs, args: a };
}

// ---------------------------------------------------------------- receptive fields (see model_info)
// A state is null, or {source, axes}: per non-batch axis false (features) or [size, jump, start].

function freshState(source, shape, channelsFirst) {
  const n = shape.length - 1;
  const channel = channelsFirst ? 0 : n - 1;
  return { source, axes: Array.from({ length: n }, (_, i) => (i === channel ? false : [1, 1, 0])) };
}
function spatialAxes(rank, format) {
  return format === "channels_last"
    ? { spatial: Array.from({ length: rank }, (_, i) => i), channel: rank }
    : { spatial: Array.from({ length: rank }, (_, i) => i + 1), channel: 0 };
}
function leftPadding(n, m, k, s, padding) {
  if (padding === "valid") return 0;
  if (padding === "causal") return k - 1;
  if (n === null) return s === 1 ? Math.floor((k - 1) / 2) : null;
  return Math.floor(Math.max((m - 1) * s + k - n, 0) / 2);
}
function windowState(state, windows, rank, format, inShape, outShape) {
  const { spatial, channel } = spatialAxes(rank, format);
  if (state.axes[channel] !== false || spatial.some((a) => state.axes[a] === false)) return null;
  const axes = [...state.axes];
  for (let i = 0; i < rank; i++) {
    const axis = spatial[i];
    const [k, s, padding] = windows[i];
    const [size, jump, start] = state.axes[axis];
    const left = leftPadding(inShape[axis + 1], outShape[axis + 1], k, s, padding);
    if (left === null) return null;
    axes[axis] = [size + (k - 1) * jump, jump * s, start - left * jump];
  }
  return { source: state.source, axes };
}
function shiftState(state, pairs, rank, format, sign) {
  const { spatial, channel } = spatialAxes(rank, format);
  if (state.axes[channel] !== false || spatial.some((a) => state.axes[a] === false)) return null;
  const axes = [...state.axes];
  spatial.forEach((axis, i) => {
    const [size, jump, start] = state.axes[axis];
    axes[axis] = [size, jump, start + sign * pairs[i][0] * jump];
  });
  return { source: state.source, axes };
}
function unionState(states, inShapes, outShape, skipAxis = null) {
  states = states.filter((s) => s !== "constant");
  if (states.includes(null) || new Set(states.map((s) => s.source)).size > 1 || states.some((s) => s.axes.length !== outShape.length - 1)) {
    return null;
  }
  const axes = [];
  for (let axis = 0; axis < outShape.length - 1; axis++) {
    const entries = states.map((s) => s.axes[axis]);
    if (entries.every((e) => e === false)) {
      axes.push(false);
      continue;
    }
    const sameLength = inShapes.every((s) => s[axis + 1] === outShape[axis + 1]);
    if (axis === skipAxis || entries.includes(false) || !sameLength || new Set(entries.map((e) => e[1])).size > 1) return null;
    const start = Math.min(...entries.map((e) => e[2]));
    const end = Math.max(...entries.map((e) => e[2] + e[0]));
    axes.push([end - start, entries[0][1], start]);
  }
  return { source: states[0].source, axes };
}
const featureAxesOnly = (state, axes) => (state === null || axes.some((a) => state.axes[a] !== false) ? null : state);
const NO_WINDOW = /^(Conv\dDTranspose|UpSampling\dD|Adaptive\w+Pooling\dD|Global\w+Pooling\dD|Flatten|Reshape|GroupNormalization)$/;

function nextState(className, a, states, inShapes, outShape) {
  const rank = RANK_OF(className);
  if (NO_WINDOW.test(className)) return null;
  if (TAKES_LIST.has(className)) {
    const skip = className === "Concatenate" ? ((a.axis % outShape.length) + outShape.length) % outShape.length - 1 : null;
    return unionState(states, inShapes, outShape, skip);
  }
  let state = states[0];
  const inShape = inShapes[0];
  if (state === null) return null;
  if (Object.hasOwn(LAYERS, className)) {
    const c = normalizeConfig(
      className,
      Object.fromEntries(ARGUMENTS[className].map((s) => [s.name, a[s.name]]).filter(([, v]) => v !== undefined)),
    );
    const windows = c.kernel_size.map((k, i) => [span(k, c.dilation_rate[i]), c.strides[i], c.padding]);
    state = windowState(state, windows, rank, c.data_format, inShape, outShape);
  } else if (/Pooling\dD$/.test(className)) {
    const pool = perAxis("pool_size", a.pool_size, rank, 1);
    const strides = a.strides === null ? pool : perAxis("strides", a.strides, rank, 1);
    state = windowState(state, pool.map((k, i) => [k, strides[i], a.padding]), rank, dataFormatOf(a.data_format), inShape, outShape);
  } else if (/^ZeroPadding/.test(className)) {
    state = shiftState(state, pairsOf(a.padding, rank, "padding"), rank, dataFormatOf(a.data_format), -1);
  } else if (/^Cropping/.test(className)) {
    state = shiftState(state, pairsOf(a.cropping, rank, "cropping"), rank, dataFormatOf(a.data_format), 1);
  } else if (className === "Dense") {
    state = featureAxesOnly(state, [state.axes.length - 1]);
  } else if (className === "LayerNormalization" || className === "Softmax") {
    state = featureAxesOnly(state, axesOf(a.axis, outShape.length).map((x) => x - 1));
  } else if (className === "Permute") {
    const axes = a.dims.map((d) => state.axes[d - 1]);
    const order = a.dims.filter((_, i) => axes[i] !== false);
    state = order.every((d, i) => i === 0 || order[i - 1] < d) ? { source: state.source, axes } : null;
  }
  if (state !== null && (a.activation === "softmax" || a.activation === "log_softmax")) state = featureAxesOnly(state, [state.axes.length - 1]);
  return state;
}
const receptiveFieldOf = (state) => (state === null ? null : state.axes.filter((e) => e !== false).map(([size, jump, start]) => ({ size, jump, start })));

// ---------------------------------------------------------------- walking a model config

const CUSTOM_LAYERS = {
  "keras.src.applications.convnext>LayerScale": "LayerScale",
  "keras.src.applications.inception_resnet_v2>CustomScaleLayer": "CustomScaleLayer",
};
const OPERATIONS = new Set(["Add", "Subtract", "Multiply", "Divide", "TrueDivide", "Maximum", "Minimum"]);

function notAModel(value) {
  return modelError(
    "model_config: expected the object of a Sequential or Functional model's get_config(), or the " +
      `{"class_name": ..., "config": ...} that model.to_json() writes; received ${JSON.stringify(value)?.slice(0, 200)}.`,
  );
}
function modelKind(config) {
  if (!isObject(config) || !Array.isArray(config.layers)) throw notAModel(config);
  return "input_layers" in config ? "Functional" : "Sequential";
}
function entryKind(entry) {
  if (!isObject(entry) || !isObject(entry.config) || !("class_name" in entry)) {
    throw modelError(`model_config: a layer entry must have "class_name" and "config"; received ${JSON.stringify(entry)?.slice(0, 200)}.`);
  }
  const { class_name: className, module = null, registered_name: registered = null } = entry;
  const name = entry.name ?? entry.config.name ?? null;
  if ((className === "Sequential" || className === "Functional") && (module === null || String(module).startsWith("keras"))) {
    return { name, kind: "model", className };
  }
  const custom = CUSTOM_LAYERS[`${module}>${registered}`];
  if (custom) return { name, kind: "layer", className: custom };
  if (String(module).startsWith("keras.src.ops") && OPERATIONS.has(className)) return { name, kind: "operation", className };
  const standard = module === null || module === "keras.layers" || String(module).startsWith("keras.src.layers");
  if (standard && (registered === null || registered === className) && Object.hasOwn(MODEL_LAYERS, className) && !Object.values(CUSTOM_LAYERS).includes(className)) {
    return { name, kind: "layer", className };
  }
  const where = module ? ` from module "${module}"` : "";
  throw modelError(
    `layer "${name}": class "${className}"${where} is not supported by modelInfo, so the model cannot be explained exactly; ` +
      `supported classes: ${MODEL_LAYER_NAMES.join(", ")}, Sequential, Functional.`,
  );
}
function tensorRefs(value, refs = [], others = []) {
  if (isObject(value) && value.class_name === "__keras_tensor__") refs.push(value.config.keras_history.join("/"));
  else if (Array.isArray(value)) value.forEach((v) => tensorRefs(v, refs, others));
  else others.push(value);
  return { refs, others };
}
const withPrefix = (prefix, error) => {
  const message = error.message.startsWith("model_config: ") ? error.message.slice(14) : error.message;
  return modelError(`${prefix}${message}`);
};

class ModelWalk {
  constructor(channelsFirst) {
    this.channelsFirst = channelsFirst;
  }
  model(kind, config, inputs) {
    return kind === "Sequential" ? this.sequential(config, inputs) : this.functional(config, inputs);
  }
  inputLayer(entry, given) {
    const name = entry.name ?? entry.config.name;
    let shape;
    try {
      shape = modelLayerInfo("InputLayer", entry.config, null).outputShape;
    } catch (error) {
      throw withPrefix(`layer "${name}" (InputLayer): `, error);
    }
    let state;
    if (given) {
      const [givenShape] = given;
      if (shape.length !== givenShape.length || shape.some((d, i) => d !== null && givenShape[i] !== null && d !== givenShape[i])) {
        throw modelError(`layer "${name}": the input declares shape ${py(shape)} but receives ${py(givenShape)}.`);
      }
      [shape, state] = given;
    } else {
      state = freshState(name, shape, this.channelsFirst);
    }
    const row = { name, className: "InputLayer", outputShape: shape, params: 0, macs: 0, receptiveField: receptiveFieldOf(state), weightShapes: [] };
    return { row, output: [shape, state] };
  }
  sequential(config, inputs) {
    const rows = [];
    let current = null;
    if (inputs) {
      if (inputs.length !== 1) throw modelError(`input_shape: a Sequential model takes one input, received ${inputs.length}.`);
      [current] = inputs;
    }
    let entries = config.layers;
    if (entries.length && entries[0]?.class_name === "InputLayer") {
      const { row, output } = this.inputLayer(entries[0], current);
      rows.push(row);
      current = output;
      entries = entries.slice(1);
    }
    if (current === null) {
      if (!config.build_input_shape) throw modelError("model_config: a Sequential model needs an InputLayer or a build_input_shape.");
      const shape = checkShape(config.build_input_shape, "build_input_shape");
      current = [shape, freshState("input", shape, this.channelsFirst)];
    }
    for (const entry of entries) {
      const { row, outputs } = this.layer(entry, [current], []);
      rows.push(row);
      if (outputs.length !== 1) throw modelError(`layer "${row.name}": a layer of a Sequential model must have one output.`);
      [current] = outputs;
    }
    return { rows, outputs: [current] };
  }
  functional(config, inputs) {
    const references = (value) => (!value || !value.length ? [] : typeof value[0] === "string" ? [value] : value);
    const inputRefs = references(config.input_layers);
    const outputRefs = references(config.output_layers);
    if (inputs && inputs.length !== inputRefs.length) {
      throw modelError(`input_shape: the model takes ${inputRefs.length} inputs, received ${inputs.length}.`);
    }
    const given = new Map(inputs ? inputRefs.map((ref, i) => [ref[0], inputs[i]]) : []);
    const tensors = new Map();
    const rows = [];
    for (const entry of config.layers) {
      const { name, className } = entryKind(entry);
      if (className === "InputLayer") {
        const { row, output } = this.inputLayer(entry, given.get(name));
        rows.push(row);
        tensors.set(`${name}/0/0`, output);
        continue;
      }
      const nodes = entry.inbound_nodes;
      if (!Array.isArray(nodes) || nodes.length !== 1 || !isObject(nodes[0])) {
        throw modelError(
          `layer "${name}": has ${Array.isArray(nodes) ? nodes.length : 0} inbound nodes; modelInfo needs a Keras 3 functional config ` +
            "in which each layer is called exactly once (shared layers are not supported).",
        );
      }
      const { refs, others } = tensorRefs(nodes[0].args ?? []);
      if (tensorRefs(Object.values(nodes[0].kwargs ?? {})).refs.length) {
        throw modelError(`layer "${name}": receives a tensor as a keyword argument, which modelInfo does not support.`);
      }
      for (const ref of refs) {
        if (!tensors.has(ref)) throw modelError(`layer "${name}": reads the output ${ref} of a layer not computed before it.`);
      }
      const { row, outputs } = this.layer(entry, refs.map((ref) => tensors.get(ref)), others);
      rows.push(row);
      outputs.forEach((output, index) => tensors.set(`${name}/0/${index}`, output));
    }
    const missing = outputRefs.map((ref) => ref.join("/")).filter((ref) => !tensors.has(ref));
    if (missing.length) throw modelError(`model_config: the outputs ${missing.join(", ")} are not produced by any layer.`);
    return { rows, outputs: outputRefs.map((ref) => tensors.get(ref.join("/"))) };
  }
  layer(entry, inputs, others) {
    const { name, kind, className } = entryKind(entry);
    const shapes = inputs.map(([shape]) => shape);
    const states = inputs.map(([, state]) => state);
    let row;
    let outputs;
    if (kind === "model") {
      let inner;
      try {
        inner = this.model(className, entry.config, inputs);
      } catch (error) {
        throw withPrefix(`layer "${name}" (${className}) > `, error);
      }
      row = { name, className, params: inner.rows.reduce((s, r) => s + r.params, 0), macs: sumOrNull(inner.rows.map((r) => r.macs)) };
      row.weightShapes = inner.rows.flatMap((r) => r.weightShapes);
      outputs = inner.outputs;
    } else if (kind === "operation") {
      const scalars = others.filter((v) => typeof v === "number");
      if (!inputs.length || scalars.length !== others.length) {
        throw modelError(`layer "${name}": the operation ${className} must be applied to tensors and numbers.`);
      }
      let output;
      try {
        output = shapes.slice(1).reduce((out, shape) => broadcastShapes(out, checkShape(shape)), checkShape(shapes[0]));
      } catch (error) {
        throw withPrefix(`layer "${name}" (${className}): `, error);
      }
      row = { name, className, params: 0, macs: 0, weightShapes: [] };
      outputs = [[output, unionState([...states, ...scalars.map(() => "constant")], shapes, output)]];
    } else {
      if (others.length) throw modelError(`layer "${name}": ${className} is called with arguments that are not tensors: ${py(others)}.`);
      const takesList = TAKES_LIST.has(className);
      if (!takesList && inputs.length !== 1) throw modelError(`layer "${name}": ${className} takes one input tensor, received ${inputs.length}.`);
      let info;
      let state;
      try {
        info = modelLayerInfo(className, entry.config, takesList ? shapes : shapes[0]);
        const args = { ...info.args, activation: entry.config.activation };
        state = nextState(className, args, states, shapes, info.outputShape);
      } catch (error) {
        throw withPrefix(`layer "${name}" (${className}): `, error);
      }
      if (!Number.isSafeInteger(info.params) || !(info.macs === null || Number.isSafeInteger(info.macs))) {
        throw modelError(`layer "${name}" (${className}): counts too large to compute exactly (over 2^53).`);
      }
      row = { name, className, params: info.params, macs: info.macs, weightShapes: info.weightShapes };
      outputs = [[info.outputShape, state]];
    }
    row.outputShape = outputs.length === 1 ? outputs[0][0] : outputs.map(([shape]) => shape);
    row.receptiveField = outputs.length === 1 ? receptiveFieldOf(outputs[0][1]) : null;
    return { row, outputs };
  }
}

function usesChannelsFirst(value) {
  if (Array.isArray(value)) return value.some(usesChannelsFirst);
  if (!isObject(value)) return false;
  if (String(value.data_format).toLowerCase() === "channels_first") return true;
  return Object.values(value).some(usesChannelsFirst);
}

/**
 * Output shape, parameters, MACs and receptive field of every layer of a Keras model, from its config
 * (model.get_config(), the object of model.to_json(), or that JSON text). Throws a ConvConfigError
 * (argument "model_config") naming the layer and its class for anything it cannot compute exactly.
 */
export function modelInfo(modelConfig) {
  let config = modelConfig;
  if (typeof config === "string") {
    try {
      config = JSON.parse(config);
    } catch (error) {
      throw modelError(`model_config: is not valid JSON: ${error.message}`);
    }
  }
  if (isObject(config) && !("layers" in config) && "config" in config) {
    const kind = config.class_name;
    if (kind !== "Sequential" && kind !== "Functional") throw modelError(`model_config: class_name must be "Sequential" or "Functional"; received ${py(kind)}.`);
    config = config.config;
    if (modelKind(config) !== kind) throw notAModel(config);
  }
  const kind = modelKind(config);
  const { rows } = new ModelWalk(usesChannelsFirst(config)).model(kind, config, null);
  return { params: rows.reduce((s, r) => s + r.params, 0), macs: sumOrNull(rows.map((r) => r.macs)), layers: rows };
}
