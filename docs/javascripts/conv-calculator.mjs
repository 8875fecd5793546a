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
