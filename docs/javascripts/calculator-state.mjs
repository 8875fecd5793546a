/**
 * The calculator page's state, without the page: what the reader typed (text, field by field),
 * parsed into Keras's value forms, evaluated with conv-calculator.mjs, and kept in the query
 * string. Pure functions, so tests/calculator/calculator-state.test.mjs runs them in Node;
 * calculator-page.mjs draws the page from them.
 */
import { ConvConfigError, LAYERS, argumentsFor, kerasCode, layerInfo, paramFormula, py } from "./conv-calculator.mjs";

/** What the page shows before the reader changes anything (and where a link is silent). */
export const START = Object.freeze({
  layer: "Conv2D",
  spatial: ["28", "28"],
  channels: "1",
  args: {
    filters: "32",
    kernel_size: "3",
    strides: "1",
    padding: "valid",
    data_format: "channels_last",
    dilation_rate: "1",
    groups: "1",
    depth_multiplier: "1",
    output_padding: "None",
    use_bias: "True",
  },
  // The window view's cell in focus ("2,3", "in:2,3") and 3-D input depth slice, as the link says.
  cell: "",
  slice: "",
});

export const AXES = { 1: ["length"], 2: ["height", "width"], 3: ["depth", "height", "width"] };
export const ARGUMENT_NAMES = Object.keys(START.args);
export const INTEGER_ARGUMENTS = new Set(["filters", "groups", "depth_multiplier"]);
export const TUPLE_ARGUMENTS = new Set(["kernel_size", "strides", "dilation_rate", "output_padding"]);
export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

// ---------------------------------------------------------------- small helpers

export const copyState = (state) => ({ ...state, spatial: [...state.spatial], args: { ...state.args } });
export const rankOf = (layer) => LAYERS[layer].rank;
export const isLayer = (layer) => Object.hasOwn(LAYERS, layer);

/** A list resized to `rank` entries: shrinking drops leading axes, growing repeats the first. */
export function resize(values, rank) {
  if (values.length >= rank) return values.slice(values.length - rank);
  return [...Array(rank - values.length).fill(values[0]), ...values];
}

// ---------------------------------------------------------------- parsing what the reader typed

export function parseNumber(name, text, what, whole = text) {
  if (!NUMBER.test(text)) throw new ConvConfigError(name, `${name} must be ${what}; received ${py(whole)}.`);
  const value = Number(text);
  // Over 308 digits, Number() gives Infinity, which is not an integer either: too large as well.
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    throw new ConvConfigError(name, `${name} is too large to compute with exactly; received ${whole}.`);
  }
  return value;
}

/** "3" -> 3, "(3, 5)" or "3, 5" or "3 5" -> [3, 5], "(3,)" -> [3]. */
export function parseTuple(name, text) {
  const bracketed = /^[([].*[)\]]$/s.test(text);
  const inner = bracketed ? text.slice(1, -1) : text;
  const parts = inner.split(/\s*,\s*|\s+/).filter((part) => part !== "");
  const what = `${name === "output_padding" ? "None, " : ""}an integer or a tuple of integers such as (3, 3)`;
  const values = parts.map((part) => parseNumber(name, part, what, text));
  return bracketed || inner.includes(",") || values.length !== 1 ? values : values[0];
}

/** The text of one argument's field in Keras's value form; undefined leaves it to Keras's default. */
export function parseArgument(name, raw) {
  const text = String(raw ?? "").trim();
  if (text === "") return undefined;
  if (name === "use_bias") {
    if (/^(true|1)$/i.test(text)) return true;
    if (/^(false|0)$/i.test(text)) return false;
    throw new ConvConfigError(name, `use_bias must be True or False; received ${py(text)}.`);
  }
  if (name === "padding") return text;
  if (name === "data_format") return text === "None" ? null : text;
  if (INTEGER_ARGUMENTS.has(name)) return parseNumber(name, text, "a positive integer");
  if (/^none$/i.test(text)) return null; // Keras accepts None only for output_padding; it says so
  return parseTuple(name, text);
}

/** One size of the input shape: a positive integer, or None where allowed (spatial axes). */
export function parseSize(key, label, raw, allowNone) {
  const text = String(raw ?? "").trim();
  const wanted = allowNone ? "a positive integer or None" : "a positive integer";
  if (allowNone && /^none$/i.test(text)) return null;
  if (text === "") throw new ConvConfigError(key, `${label} is empty: enter ${wanted}.`);
  const value = /^\+?\d+$/.test(text) ? Number(text) : NaN;
  if (!(value > 0)) throw new ConvConfigError(key, `${label} must be ${wanted}; received ${py(text)}.`);
  if (!Number.isSafeInteger(value)) throw new ConvConfigError(key, `${label} is too large to compute with exactly.`);
  return value;
}

/** The layer the form shows: the reader's choice, or the starting one while the choice is invalid. */
export const shownLayer = (state) => (isLayer(state.layer) ? state.layer : START.layer);
export const channelsFirst = (state) => String(state.args.data_format).trim().toLowerCase() === "channels_first";

/**
 * Everything the page shows for a state: {layer, errors: Map(field key -> message)} and, when
 * Keras would accept the layer, {config, inputShape, info, formula, symbols, code}.
 */
export function evaluate(state) {
  const errors = new Map();
  const keep = (fn) => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof ConvConfigError)) throw error;
      if (!errors.has(error.argument)) errors.set(error.argument, error.message);
      return undefined;
    }
  };
  if (!isLayer(state.layer)) {
    const names = Object.keys(LAYERS).join(", ");
    errors.set("layer", `layer must be one of ${names}; received ${py(state.layer)}.`);
  }
  const layer = shownLayer(state);
  const config = {};
  for (const { name } of argumentsFor(layer)) {
    const value = keep(() => parseArgument(name, state.args[name]));
    if (value !== undefined) config[name] = value;
  }
  const size = (axis, i) => keep(() => parseSize(`shape:${axis}`, axis, state.spatial[i], true));
  const spatial = AXES[rankOf(layer)].map(size);
  const channels = keep(() => parseSize("shape:channels", "channels", state.channels, false));
  if (errors.size) return { layer, errors };
  const inputShape = channelsFirst(state) ? [null, channels, ...spatial] : [null, ...spatial, channels];
  return keep(() => ({
    layer,
    errors,
    config,
    inputShape,
    channelsFirst: channelsFirst(state),
    info: layerInfo(layer, config, inputShape),
    formula: paramFormula(layer, config, inputShape),
    symbols: paramFormula(layer, config, inputShape, { symbols: true }),
    code: kerasCode(layer, config, inputShape),
  })) ?? { layer, errors };
}

// ---------------------------------------------------------------- the URL

/** The state a query string asks for; what it leaves out comes from START. */
export function stateFromQuery(search) {
  const params = new URLSearchParams(search);
  const state = copyState(START);
  if (params.has("layer")) state.layer = params.get("layer");
  const axes = AXES[rankOf(shownLayer(state))];
  state.spatial = resize(state.spatial, axes.length);
  axes.forEach((axis, i) => {
    if (params.has(axis)) state.spatial[i] = params.get(axis);
  });
  if (params.has("channels")) state.channels = params.get("channels");
  for (const name of VIEW_KEYS) if (params.has(name)) state[name] = params.get(name);
  for (const name of ARGUMENT_NAMES) {
    if (params.has(name)) state.args[name] = params.get(name);
  }
  return state;
}

export function queryFromState(state) {
  const layer = shownLayer(state);
  const params = new URLSearchParams({ layer: state.layer });
  AXES[rankOf(layer)].forEach((axis, i) => params.set(axis, state.spatial[i]));
  params.set("channels", state.channels);
  for (const { name } of argumentsFor(layer)) params.set(name, state.args[name]);
  for (const name of VIEW_KEYS) if (state[name]) params.set(name, state[name]);
  return `?${params}`;
}

/** Per-axis texts follow the layer to a new rank: "(3, 3)" becomes "3", "(3, 5)" to 3-D "(3, 3, 5)". */
export function retuple(text, rank) {
  let value;
  try {
    value = parseArgument("kernel_size", text);
  } catch {
    return text;
  }
  if (!Array.isArray(value) || value.length === rank || value.length === 0) return text;
  if (value.every((v) => v === value[0])) return String(value[0]);
  return py(resize(value, rank));
}

// ---------------------------------------------------------------- the window view's part of the URL

export const VIEW_KEYS = ["cell", "slice"];
const MAX_LINK_TEXT = 200;
const SIDES = { out: "output", in: "input" };
const quoted = (text) => py(text.length > 40 ? `${text.slice(0, 40)}…` : text);
const tupleText = (pos) => (pos.length === 1 ? String(pos[0]) : `(${pos.join(", ")})`);

/** "2,3" -> {side: "out", pos: [2, 3]}; "in:2,3" -> an input cell; "" -> null. */
export function parseCell(raw) {
  const text = String(raw ?? "").trim();
  if (text === "") return null;
  const match = text.length <= MAX_LINK_TEXT && /^(?:(in|out):)?(\d+(?:\s*,\s*\d+)*)$/.exec(text);
  if (!match) {
    throw new ConvConfigError(
      "cell",
      `cell must be an output cell's positions, counted from 0, such as 2,3 (or in:2,3 for an input cell); received ${quoted(text)}.`,
    );
  }
  const pos = match[2].split(",").map((part) => Number(part.trim()));
  if (!pos.every(Number.isSafeInteger)) throw new ConvConfigError("cell", `cell is too large to be a position; received ${quoted(text)}.`);
  return { side: match[1] ?? "out", pos };
}

/** "1" -> 1 (a depth of the 3-D input; negative ones are padding); "" -> null. */
export function parseSlice(raw) {
  const text = String(raw ?? "").trim();
  if (text === "") return null;
  if (text.length > MAX_LINK_TEXT || !/^[+-]?\d+$/.test(text)) {
    throw new ConvConfigError("slice", `slice must be a depth of the input, an integer such as 1; received ${quoted(text)}.`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new ConvConfigError("slice", `slice is too large to be a depth; received ${quoted(text)}.`);
  return value;
}

/** The link text of a focus: "2,3" for an output cell, "in:2,3" for an input cell. */
export const cellText = ({ side, pos }) => `${side === "in" ? "in:" : ""}${pos.join(",")}`;

/**
 * What the link's cell and slice give the window view of a layer:
 *   shape = {layer, rank, lengths: {in: [...], out: [...]}, depths: [lo, hi)} (the input depths
 *   drawn, padding included) -> {focus: {side, pos} | null, slice: int | null, messages: [...]}.
 * A value that cannot be used is left out, with a message that starts with its name.
 */
export function viewFromLink(state, shape) {
  const messages = [];
  const read = (parse, raw) => {
    try {
      return parse(raw);
    } catch (error) {
      if (!(error instanceof ConvConfigError)) throw error;
      messages.push(error.message);
      return null;
    }
  };
  let focus = read(parseCell, state.cell);
  if (focus) {
    const lengths = shape.lengths[focus.side];
    const side = SIDES[focus.side];
    const names = AXES[shape.rank].join(", ");
    if (focus.pos.length !== lengths.length) {
      messages.push(`cell must give ${lengths.length} position${lengths.length === 1 ? "" : "s"} (${names}) for ${shape.layer}; received ${quoted(String(state.cell).trim())}, so the view starts at its first cell.`);
      focus = null;
    } else if (focus.pos.some((p, i) => p >= lengths[i])) {
      messages.push(`cell ${tupleText(focus.pos)} is outside the ${side}, whose ${names} run up to ${tupleText(lengths.map((n) => n - 1))}, so the view starts at its first cell.`);
      focus = null;
    }
  }
  let slice = read(parseSlice, state.slice);
  if (slice !== null && shape.rank !== 3) {
    messages.push(`slice is a depth of a 3-D input; ${shape.layer} draws its whole input, so slice=${slice} is not used.`);
    slice = null;
  } else if (slice !== null && (slice < shape.depths[0] || slice >= shape.depths[1])) {
    const [lo, hi] = shape.depths;
    messages.push(`slice ${slice} is outside the input depths drawn, ${lo} to ${hi - 1}, so the view shows the depth of the cell in focus.`);
    slice = null;
  }
  return { focus, slice, messages };
}
