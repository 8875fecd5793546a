/**
 * The PyTorch line under the calculator's Keras code: the torch.nn module that computes the same
 * layer, or null where none does. The rules are snippets/porting/convert.py's (same_padding,
 * transpose_crop), checked against it and against real PyTorch modules in
 * tests/calculator/test_pytorch_equivalent.py.
 */
import { LAYERS, py } from "./conv-calculator.mjs";

const tuple = (value, rank) => (Array.isArray(value) ? value : Array(rank).fill(value ?? 1));

/** The zeros Keras's "same" adds [before, after] along one axis: the extra one goes after. */
export function samePadding(length, kernel, stride = 1, dilation = 1) {
  const reach = dilation * (kernel - 1) + 1;
  const total = Math.max((Math.ceil(length / stride) - 1) * stride + reach - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Keras's ConvTranspose as PyTorch's with padding=0, output_padding=extra, then [start, end] cut off. */
export function transposeCrop(kernel, stride, padding, dilation = 1, outputPadding = null) {
  const reach = dilation * (kernel - 1) + 1;
  if (padding === "valid") return [outputPadding ?? Math.max(reach, stride) - reach, 0, 0];
  const total = outputPadding === null ? reach - stride : 2 * Math.floor(reach / 2) - outputPadding;
  const cut = Math.max(total, 0);
  return [Math.max(-total, 0), Math.floor(cut / 2), cut - Math.floor(cut / 2)];
}

/**
 * {code, note} for a Keras layer (the calculator's layer, config and input shape): code is the
 * PyTorch module, or null; note says what a reader must add (a crop, a pad) or why there is none.
 */
export function pytorchEquivalent(layer, config, inputShape) {
  const { family, rank } = LAYERS[layer];
  const first = String(config.data_format ?? "channels_last").toLowerCase() === "channels_first";
  const channels = first ? inputShape[1] : inputShape[inputShape.length - 1];
  const spatial = first ? inputShape.slice(2) : inputShape.slice(1, -1);
  const k = tuple(config.kernel_size, rank);
  const s = tuple(config.strides, rank);
  const d = tuple(config.dilation_rate, rank);
  const bias = config.use_bias ?? true;
  const nn = (name, ...args) => `torch.nn.${name}(${args.join(", ")})`;
  const mode = String(config.padding ?? "valid").toLowerCase();
  const layout = first ? "" : " PyTorch takes the input channels first.";
  if (family === "transposed") {
    const op = config.output_padding === undefined || config.output_padding === null ? null : tuple(config.output_padding, rank);
    const crops = k.map((_, i) => transposeCrop(k[i], s[i], mode, d[i], op && op[i]));
    const symmetric = crops.every(([, start, end]) => start === end);
    const code = nn(
      `ConvTranspose${rank}d`,
      channels,
      config.filters,
      `kernel_size=${py(k)}`,
      `stride=${py(s)}`,
      `padding=${py(crops.map(([, start]) => (symmetric ? start : 0)))}`,
      `output_padding=${py(crops.map(([extra]) => extra))}`,
      `dilation=${py(d)}`,
      `bias=${py(bias)}`,
    );
    if (symmetric) return { code, crop: null, note: layout.trim() };
    const cut = crops.map(([, start, end]) => `${start}:-${end}`.replace(":-0", ":"));
    const crop = crops.map(([, start, end]) => [start, end]);
    return { code, crop, note: `Then crop the output: [..., ${cut.join(", ")}] on the spatial axes.${layout}` };
  }
  let padding = k.map(() => [0, 0]);
  if (mode === "causal") padding = [[d[0] * (k[0] - 1), 0]];
  if (mode === "same") {
    if (spatial.some((n) => n === null) && s.some((stride) => stride > 1)) {
      return { code: null, crop: null, note: 'No PyTorch equivalent: "same" with strides pads by the input size, which is unknown.' };
    }
    padding = k.map((_, i) => samePadding(spatial[i] ?? 1, k[i], s[i], d[i]));
  }
  const symmetric = padding.every(([before, after]) => before === after);
  const conv = (inChannels, outChannels, groups, withBias, pad) =>
    nn(
      `Conv${rank}d`,
      inChannels,
      outChannels,
      `kernel_size=${py(k)}`,
      `stride=${py(s)}`,
      `padding=${pad}`,
      `dilation=${py(d)}`,
      `groups=${groups}`,
      `bias=${py(withBias)}`,
    );
  let pad = py(padding.map(([before]) => before));
  let prefix = "";
  let note = layout.trim();
  if (!symmetric && s.every((stride) => stride === 1)) pad = '"same"';
  else if (!symmetric) {
    // ZeroPadNd takes (left, right) of the last axis first.
    const sides = [...padding].reverse().flat();
    prefix = `${nn(`ZeroPad${rank}d`, py(sides))}, `;
    pad = py(padding.map(() => 0));
    note =
      mode === "causal"
        ? `Causal: all the zeros go before the input.${layout}`
        : `Explicit padding for this input size only: Keras's "same" puts the extra zero after the input.${layout}`;
  }
  const m = config.depth_multiplier ?? 1;
  let body;
  if (family === "standard") body = conv(channels, config.filters, config.groups ?? 1, bias, pad);
  else if (family === "depthwise") body = conv(channels, channels * m, channels, bias, pad);
  else {
    const pointwise = nn(`Conv${rank}d`, channels * m, config.filters, `kernel_size=1`, `bias=${py(bias)}`);
    body = `${conv(channels, channels * m, channels, false, pad)}, ${pointwise}`;
  }
  const code = prefix || family === "separable" ? `torch.nn.Sequential(${prefix}${body})` : body;
  return { code, crop: null, note };
}
