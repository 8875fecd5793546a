/**
 * The window view: which input cells and kernel taps make each output cell of a Keras convolution,
 * drawn as plain SVG from windowAxes (conv-calculator.mjs: windowMap per axis), which tests check
 * against Keras.
 *
 *   mountWindowView(container) -> view; view.update({layer, config, inputShape}) redraws it,
 *   view.update(null) shows that there is nothing valid to draw.
 *   mountWindowViews(document) mounts every <div class="window-view" data-layer data-config
 *   data-input> of a page (the reference pages' live copies) on that element's example.
 *
 * Pointing at (or moving the keyboard focus to) an output cell highlights the input cells and taps
 * that feed it; pointing at an input cell highlights every output cell it reaches. Step, Play and
 * the arrow keys move the window; nothing moves on its own, and Play is off with reduced motion.
 * Each panel's grid is drawn by window-grid.mjs: its <svg> carries data-panel ("input", "kernel",
 * "output"), data-rows and data-cols (the drawn range of positions) and data-cell (a cell's size),
 * and each highlighted cell is a rect with data-panel, data-pos (its position along every spatial
 * axis, "2,3"; padding and cropped cells have positions outside the array) and the class is-focus,
 * is-fed (input), is-tap (kernel) or is-reached (output).
 */
import { LAYERS, channelMap, windowAxes, windowLinks } from "./conv-calculator.mjs";
import { h, rebuild, setText } from "./dom.mjs";
import { drawGrid } from "./window-grid.mjs";

const SVG = "http://www.w3.org/2000/svg";
const MAX_CELLS = { 1: 40, 2: 32, 3: 16 }; // per drawn axis; longer axes show a labelled window
const AXIS_NAMES = { 1: ["positions"], 2: ["rows", "columns"], 3: ["depths", "rows", "columns"] };
const PLAY_MS = 700;
const MAX_CHANNELS = 16;

function s(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

const product = (values) => values.reduce((a, b) => a * b, 1);
const tuple = (pos) => (pos.length === 1 ? String(pos[0]) : `(${pos.join(", ")})`);
const reducedMotion = () => window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;

/** Row-major flat index of pos in an array of the given lengths. */
function flatIndex(pos, lengths) {
  let index = 0;
  for (let i = 0; i < lengths.length; i += 1) index = index * lengths[i] + pos[i];
  return index;
}
function unflat(index, lengths) {
  const pos = Array(lengths.length);
  for (let i = lengths.length - 1; i >= 0; i -= 1) {
    pos[i] = index % lengths[i];
    index = Math.floor(index / lengths[i]);
  }
  return pos;
}

/** "3–5", "3–7, every 2nd", "4" for a set of positions along one axis. */
function rangeText(values) {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  if (sorted.length === 1) return String(sorted[0]);
  const step = sorted[1] - sorted[0];
  const even = sorted.every((v, i) => i === 0 || v - sorted[i - 1] === step);
  const span = `${sorted[0]}–${sorted.at(-1)}`;
  if (even && step === 1) return span;
  if (even) return `${span}, every ${step === 2 ? "2nd" : step === 3 ? "3rd" : `${step}th`}`;
  return sorted.join(", ");
}

/** "rows 3–5, columns 5–7" for a list of positions (one array per cell). */
function describeCells(cells, rank) {
  return AXIS_NAMES[rank].map((name, axis) => `${name} ${rangeText(cells.map((c) => c[axis]))}`).join(", ");
}

// ---------------------------------------------------------------- the model behind one drawing

/**
 * Everything a drawing needs, computed once per setting. The links stay per axis (windowAxes):
 * a cell's window is the product of its axes' lists, so an update never lists every link.
 */
function model({ layer, config, inputShape }) {
  const { geometry, outputShape, padding, axes } = windowAxes(layer, config, inputShape);
  const rank = geometry.length;
  const inLengths = geometry.map((g) => g.length);
  const outLengths = geometry.map((g) => g.outLength);
  const transposed = LAYERS[layer].family === "transposed";
  return { layer, config, inputShape, outputShape, geometry, axes, padding, rank, inLengths, outLengths, transposed };
}

/**
 * The drawn extent along each axis, in array coordinates: input [-before, n + after) for a
 * convolution (its padding), [0, n) for a transposed layer; output [0, m) for a convolution,
 * [-before, max(m, full - before)) for a transposed layer (its cropped and added positions).
 */
function extents(m) {
  return m.geometry.map((g) => {
    if (!m.transposed) return { input: [-g.before, g.length + g.after], output: [0, g.outLength] };
    const full = (g.length - 1) * g.strides + g.span;
    return { input: [0, g.length], output: [-g.before, Math.max(g.outLength, full - g.before)] };
  });
}

// ---------------------------------------------------------------- the view

class WindowView {
  constructor(container, { compact = false, onView = null } = {}) {
    this.container = container;
    this.compact = compact;
    this.onView = onView; // called with {cell, slice}, the link's text of the focus and depth slice
    this.m = null;
    this.focus = null; // {side: "in" | "out", pos: [...]}
    this.pointer = null; // the same, while the mouse points at a cell
    this.slices = { in: 0, out: 0 }; // the depth slice drawn of a 3-D input and output
    this.timer = null;
    this.lastUpdateMs = null;
    this.build();
  }

  build() {
    const id = `wv-${Math.random().toString(36).slice(2, 8)}`;
    this.id = id;
    this.caption = h("p", { class: "wv-caption" });
    this.stepBack = h("button", { type: "button", class: "md-button wv-button", text: "◀ Step back" });
    this.play = h("button", { type: "button", class: "md-button wv-button", "aria-pressed": "false", text: "▶ Play" });
    this.stepForward = h("button", { type: "button", class: "md-button wv-button", text: "Step ▶" });
    this.stepBack.addEventListener("click", () => this.step(-1));
    this.stepForward.addEventListener("click", () => this.step(1));
    this.play.addEventListener("click", () => this.togglePlay());
    this.motionNote = h("span", { class: "wv-note", hidden: true, text: "Play is off: your system asks for reduced motion." });
    const controls = h("div", { class: "wv-controls" }, this.stepBack, this.play, this.stepForward, this.motionNote);
    this.sliceBox = h("div", { class: "wv-slices", hidden: true });
    this.panels = h("div", { class: "wv-panels" });
    this.status = h("p", { class: "wv-status", "aria-live": "polite", id: `${id}-status` });
    this.legend = h("ul", { class: "wv-legend", "aria-hidden": "true" });
    this.channels = h("details", { class: "wv-channels" });
    this.message = h("p", { class: "wv-message", hidden: true });
    this.linkNote = h("ul", { class: "wv-link-note", id: `${id}-link`, hidden: true });
    this.body = h("div", { class: "wv-body" }, this.caption, this.linkNote, controls, this.sliceBox, this.status, this.panels, this.legend, this.channels);
    this.container.classList.add("wv");
    this.container.replaceChildren(this.message, this.body);
    this.container.addEventListener("keydown", (event) => this.onKey(event));
  }

  /** Redraw for a new setting ({layer, config, inputShape}), or show why there is none (null). */
  update(setting) {
    const start = performance.now();
    this.stop();
    if (!setting) {
      this.showMessage("The window view appears when the settings above are valid.");
      return;
    }
    let m;
    try {
      m = model(setting);
    } catch (error) {
      this.showMessage(`No window to show: ${error.message}`);
      return;
    }
    const sameShape = this.m && this.m.rank === m.rank && this.m.transposed === m.transposed;
    this.m = m;
    this.ext = extents(m);
    const side = m.transposed ? "in" : "out";
    const lengths = side === "in" ? m.inLengths : m.outLengths;
    const keep = sameShape && this.focus?.side === side && this.focus.pos.every((p, i) => p < lengths[i]);
    if (!keep) this.focus = { side, pos: Array(m.rank).fill(0) };
    this.pointer = null;
    this.message.hidden = true;
    this.body.hidden = false;
    this.render();
    this.lastUpdateMs = performance.now() - start;
    this.container.dataset.updateMs = this.lastUpdateMs.toFixed(2);
  }

  showMessage(text) {
    this.m = null;
    this.message.textContent = text;
    this.message.hidden = false;
    this.body.hidden = true;
  }

  // ---- drawing

  render() {
    const m = this.m;
    this.renderCaption();
    this.renderSlices();
    this.visible = this.windowRanges();
    const input = this.cachedPanel("input", m.transposed ? "Input: each cell spreads a window into the output" : "Input");
    const kernel = this.kernelPanel();
    const output = this.cachedPanel("output", m.transposed ? "Output (full extent)" : "Output");
    // Only the panels that changed leave the document: moving a reused one would lay it out again.
    const boxes = [input.box, kernel.box, output.box];
    const current = [...this.panels.children];
    if (current.length !== 3) this.panels.replaceChildren(...boxes);
    else boxes.forEach((box, i) => current[i] !== box && current[i].replaceWith(box));
    this.panels.classList.toggle("wv-panels--1d", m.rank === 1);
    this.grids = { input: input.grid, output: output.grid, kernel: kernel.grid };
    this.renderLegend();
    this.renderChannels();
    this.highlight();
    const reduced = reducedMotion();
    this.play.disabled = reduced;
    this.motionNote.hidden = !reduced;
  }

  renderCaption() {
    const m = this.m;
    const axes = m.geometry;
    const list = (key) => (axes.length === 1 ? String(axes[0][key]) : tuple(axes.map((g) => g[key])));
    const parts = [`${m.layer}: input ${list("length")}, kernel ${list("kernel")}, strides ${list("strides")}`];
    if (axes.some((g) => g.dilation > 1)) parts.push(`dilation ${list("dilation")} (the kernel spans ${list("span")})`);
    const padding = String(m.config.padding ?? "valid").toLowerCase();
    const names = AXIS_NAMES[m.rank];
    /** "1 zero before and 2 after" once if every axis agrees, else per axis ("rows: ..., columns: ..."). */
    const perAxis = (text) => {
      const texts = axes.map(text);
      if (texts.every((t) => t === texts[0])) return `${texts[0]}${m.rank > 1 ? " on every axis" : ""}`;
      return texts.map((t, i) => `${names[i]}: ${t}`).join("; ");
    };
    parts.push(`output ${list("outLength")}`);
    if (m.transposed) {
      if (axes.some((g) => g.before > 0 || g.after > 0)) {
        parts.push(`padding="${padding}" crops ${perAxis((g) => `${g.before} at the start and ${Math.max(g.after, 0)} at the end`)} of the full output`);
      }
      if (axes.some((g) => g.after < 0)) {
        parts.push(`${perAxis((g) => `${Math.max(-g.after, 0)} added at the end`)}, which no input reaches (output_padding, or a stride longer than the kernel)`);
      }
    } else if (axes.some((g) => g.before + g.after > 0)) {
      const zeros = (n) => `${n} zero${n === 1 ? "" : "s"}`;
      parts.push(`padding="${padding}" adds ${perAxis((g) => `${zeros(g.before)} before and ${zeros(g.after)} after the input`)}`);
    }
    const dm = m.config.depth_multiplier ?? 1;
    if (dm > 1) parts.push(`depth_multiplier ${dm}: each input channel makes ${dm} output channels (see the channel wiring)`);
    setText(this.caption, `${parts.join("; ")}.`);
  }

  renderSlices() {
    const m = this.m;
    this.sliceBox.hidden = m.rank !== 3;
    if (m.rank !== 3) return;
    const make = (side, label, [lo, hi]) => {
      const id = `${this.id}-slice-${side}`;
      this.slices[side] = Math.min(Math.max(this.slices[side], lo), hi - 1);
      const input = h("input", { type: "range", id, min: lo, max: hi - 1, step: 1, value: this.slices[side] });
      const value = h("output", { for: id, text: String(this.slices[side]) });
      input.addEventListener("input", () => {
        this.clearLinkNote();
        this.slices[side] = Number(input.value);
        value.textContent = input.value;
        this.render();
      });
      return h("div", { class: "wv-slice" }, h("label", { for: id, text: label }), input, value);
    };
    const ext = this.ext[0];
    this.sliceBox.replaceChildren(make("in", "Input depth slice", ext.input), make("out", "Output depth slice", ext.output));
  }

  /** The drawn axes: [rows, columns] (a 1-D layer draws one row; a 3-D one its last two axes). */
  drawnAxes() {
    return this.m.rank === 1 ? [null, 0] : this.m.rank === 2 ? [0, 1] : [1, 2];
  }

  /** Per side and drawn axis, the range of positions drawn: all of them, or a window around the focus. */
  windowRanges() {
    const m = this.m;
    const max = MAX_CELLS[m.rank];
    const focusRange = (side, axis) => {
      const [lo, hi] = this.ext[axis][side];
      if (hi - lo <= max) return [lo, hi];
      // Centre on the cells the focus touches on that side.
      const touched = this.related(this.focus).filter((c) => c.side === side).map((c) => c.pos[axis]);
      const own = this.focus.side === (side === "input" ? "in" : "out") ? [this.focus.pos[axis]] : [];
      const all = [...own, ...touched];
      const centre = all.length ? Math.round((Math.min(...all) + Math.max(...all)) / 2) : lo;
      const start = Math.min(Math.max(centre - Math.floor(max / 2), lo), hi - max);
      return [start, start + max];
    };
    return Object.fromEntries(
      ["input", "output"].map((side) => [side, this.drawnAxes().map((axis) => (axis === null ? [0, 1] : focusRange(side, axis)))]),
    );
  }

  /**
   * A panel, reused from the last drawing when nothing it shows has changed (its cells do not depend
   * on the kernel or the strides, except a transposed layer's output, which counts overlaps).
   */
  cachedPanel(side, title) {
    const m = this.m;
    const lengths = side === "input" ? m.inLengths : m.outLengths;
    const reusable = !(m.transposed && side === "output");
    const key = JSON.stringify([title, m.rank, lengths, this.ext.map((e) => e[side]), this.visible[side], this.slices]);
    this.panelCache ??= {};
    const cached = this.panelCache[side];
    if (reusable && cached?.key === key) return cached.panel;
    const panel = this.panel(side, title, this.visible[side]);
    this.panelCache[side] = { key, panel };
    return panel;
  }

  /** The array position drawn at row r, column c: [c] (1-D), [r, c] (2-D) or [slice, r, c] (3-D). */
  arrayPos(r, c, slice) {
    return this.m.rank === 1 ? [c] : this.m.rank === 2 ? [r, c] : [slice, r, c];
  }

  /** Where an array position is drawn: [row, column] (a 1-D array is row 0). */
  drawnAt(pos) {
    return this.m.rank === 1 ? [0, pos[0]] : pos.slice(-2);
  }

  /** Where a kernel tap is drawn: [row, column], spaced by the dilation. */
  tapAt(tap) {
    const g = this.m.geometry;
    const at = tap.map((t, i) => t * g[i].dilation);
    return this.drawnAt(at);
  }

  /** One grid of cells: {box, grid} (window-grid.mjs). */
  panel(side, title, [rows, cols]) {
    const m = this.m;
    const lengths = side === "input" ? m.inLengths : m.outLengths;
    const slice = side === "input" ? this.slices.in : this.slices.out;
    const sliceOutside = m.rank === 3 && (slice < 0 || slice >= lengths[0]);
    const added = m.transposed ? m.geometry.map((g) => (g.length - 1) * g.strides + g.span - g.before) : null;
    // Input: padding zeros outside the array. Transposed output: cropped positions outside, and
    // inside, the positions past the full extent of the windows (added by output_padding or the stride).
    const kindAt = (r, c) => {
      const full = this.arrayPos(r, c, slice);
      if (sliceOutside || full.some((p, i) => p < 0 || p >= lengths[i])) return side === "input" ? "pad" : "crop";
      if (added && side === "output" && full.some((p, i) => p >= added[i])) return "added";
      return "plain";
    };
    const showText = (rows[1] - rows[0]) * (cols[1] - cols[0]) <= 400; // numbers only while legible
    const labelAt = (r, c) => {
      const kind = kindAt(r, c);
      if (kind === "pad") return ["wv-zero", "0"];
      if (!m.transposed || side !== "output" || kind === "crop") return null;
      return ["wv-count", product(this.arrayPos(r, c, slice).map((p, i) => m.axes[i].byOut[p].length))];
    };
    const grid = drawGrid({ panel: side, rows, cols, kindAt, labelAt: showText ? labelAt : undefined });
    const point = (event) => {
      const at = grid.cellAt(event);
      if (at) this.onPoint(side, this.arrayPos(at[0], at[1], slice));
    };
    grid.svg.addEventListener("pointermove", point);
    grid.svg.addEventListener("pointerdown", point);
    grid.svg.addEventListener("pointerleave", () => this.setPointer(null));
    const shapeNote = this.windowNote(side, rows, cols);
    const heading = h("p", { class: "wv-panel-title", id: `${this.id}-${side}-title`, text: title });
    const label = `${title}, ${tuple(lengths)}. Arrow keys move the ${side === "output" ? "output" : "input"} cell in focus.`;
    const box = h(
      "div",
      {
        class: `wv-panel wv-panel--${side}`,
        tabindex: "0",
        role: "group",
        "aria-label": label,
        "aria-describedby": `${this.id}-status`,
        "data-side": side,
      },
      heading,
      shapeNote,
      h("div", { class: "wv-scroll" }, grid.svg),
    );
    box.addEventListener("focus", () => {
      const wanted = side === "input" ? "in" : "out";
      if (this.focus.side !== wanted) this.setFocus({ side: wanted, pos: Array(m.rank).fill(0) });
    });
    return { box, grid };
  }

  windowNote(side, rows, cols) {
    const m = this.m;
    const axes = this.drawnAxes();
    const parts = [];
    axes.forEach((axis, i) => {
      if (axis === null) return;
      const [lo, hi] = this.ext[axis][side];
      const [a, b] = i === 0 ? rows : cols;
      const length = side === "input" ? m.inLengths[axis] : m.outLengths[axis];
      const extra = lo < 0 || hi > length ? `, of ${lo}–${hi - 1} drawn with ${side === "input" ? "padding" : "cropped and added cells"}` : "";
      if (b - a < hi - lo) parts.push(`${AXIS_NAMES[m.rank][axis]} ${a}–${b - 1} of the ${length}${extra}`);
    });
    if (parts.length === 0) return null;
    return h("p", { class: "wv-window-note", text: `Too large to draw in full: showing ${side} ${parts.join("; ")}.` });
  }

  /** The kernel's taps, spaced by the dilation (the gaps drawn as holes); reused while they stay. */
  kernelPanel() {
    const m = this.m;
    const axes = this.drawnAxes();
    const dims = axes.map((a) => (a === null ? { kernel: 1, dilation: 1, span: 1 } : m.geometry[a]));
    const [rows, cols] = dims.map((g) => g.span);
    const key = JSON.stringify([m.rank, dims.map((g) => [g.span, g.dilation])]);
    this.panelCache ??= {};
    if (this.panelCache.kernel?.key === key) return this.panelCache.kernel.panel;
    const kindAt = (r, c) => (r % dims[0].dilation === 0 && c % dims[1].dilation === 0 ? "tap" : "hole");
    const grid = drawGrid({ panel: "kernel", rows: [0, rows], cols: [0, cols], kindAt });
    const dilated = dims.some((g) => g.dilation > 1) ? " (holes: the gaps of dilation)" : "";
    const depth = m.rank === 3 ? ", the taps of one depth" : "";
    const heading = h("p", { class: "wv-panel-title", text: `Kernel${depth}${dilated}` });
    const panel = { box: h("div", { class: "wv-panel wv-panel--kernel" }, heading, h("div", { class: "wv-scroll" }, grid.svg)), grid };
    this.panelCache.kernel = { key, panel };
    return panel;
  }

  renderLegend() {
    const items = [
      ["wv-cell", "input or output cell"],
      ["wv-fed", "cells and taps of the window in focus"],
      ["wv-focus", "cell in focus"],
    ];
    if (this.m.transposed && this.m.geometry.some((g) => g.before > 0 || g.after > 0)) items.push(["wv-crop", 'cropped by padding="same"']);
    if (this.m.transposed && this.m.geometry.some((g) => g.after < 0)) items.push(["wv-added", "added by output_padding or the stride: no input reaches it"]);
    else if (this.m.geometry.some((g) => g.before + g.after > 0)) items.push(["wv-pad", "padding zero"]);
    if (this.m.geometry.some((g) => g.dilation > 1)) items.push(["wv-hole", "gap of dilation"]);
    rebuild(this.legend, JSON.stringify(items), () =>
      items.map(([kind, text]) => h("li", {}, h("span", { class: `wv-swatch ${kind}` }), text)),
    );
  }

  // ---- which cells belong together

  /** The cells related to a focus: [{side: "input"|"output"|"kernel", pos}], from windowAxes's links. */
  related(focus) {
    const m = this.m;
    if (!focus) return [];
    const found = [];
    if (focus.side === "out") {
      for (const [inPos, tap] of windowLinks(m.axes, "out", focus.pos)) {
        found.push({ side: "input", pos: inPos, real: true }, { side: "kernel", pos: tap, at: inPos });
      }
      if (!m.transposed) found.push(...this.paddingTaps(focus.pos));
    } else {
      for (const [outPos, tap] of windowLinks(m.axes, "in", focus.pos)) {
        found.push({ side: "output", pos: outPos, real: true }, { side: "kernel", pos: tap, at: focus.pos });
      }
      if (m.transposed) found.push(...this.croppedTaps(focus.pos));
    }
    return found;
  }

  /** The taps of an output's window that fall on padding zeros, with where they fall. */
  paddingTaps(outPos) {
    const m = this.m;
    const found = [];
    const kernel = m.geometry.map((g) => g.kernel);
    for (let k = 0; k < product(kernel); k += 1) {
      const tap = unflat(k, kernel);
      const at = tap.map((t, i) => outPos[i] * m.geometry[i].strides + t * m.geometry[i].dilation - m.geometry[i].before);
      if (at.some((p, i) => p < 0 || p >= m.inLengths[i])) {
        found.push({ side: "input", pos: at, real: false }, { side: "kernel", pos: tap, at, padding: true });
      }
    }
    return found;
  }

  /** The taps of a transposed layer's input cell that land on cropped output positions. */
  croppedTaps(inPos) {
    const m = this.m;
    const found = [];
    const kernel = m.geometry.map((g) => g.kernel);
    for (let k = 0; k < product(kernel); k += 1) {
      const tap = unflat(k, kernel);
      const at = tap.map((t, i) => inPos[i] * m.geometry[i].strides + t * m.geometry[i].dilation - m.geometry[i].before);
      if (at.some((p, i) => p < 0 || p >= m.outLengths[i])) {
        found.push({ side: "output", pos: at, real: false }, { side: "kernel", pos: tap, at, cropped: true });
      }
    }
    return found;
  }

  // ---- highlighting and the text line

  highlight() {
    const m = this.m;
    const focus = this.pointer ?? this.focus;
    const sliceOf = (side) => (side === "input" ? this.slices.in : this.slices.out);
    const inSlice = (side, pos) => m.rank !== 3 || pos[0] === sliceOf(side);
    // In 3-D, a window spans several depths: follow the focus to a depth it touches.
    const related = this.related(focus);
    if (m.rank === 3) this.followSlices(focus, related);
    const lit = { input: new Map(), kernel: new Map(), output: new Map() };
    const light = (panel, pos, [r, c], name) => {
      const key = pos.join(",");
      if (!lit[panel].has(key)) lit[panel].set(key, { r, c, pos: key, names: new Set() });
      lit[panel].get(key).names.add(name);
    };
    const ownSide = focus.side === "out" ? "output" : "input";
    if (inSlice(ownSide, focus.pos)) light(ownSide, focus.pos, this.drawnAt(focus.pos), "is-focus");
    for (const cell of related) {
      if (cell.side === "kernel") {
        const shown = m.rank !== 3 || inSlice(focus.side === "out" ? "input" : "output", cell.at);
        if (!shown) continue;
        const pos = m.rank === 3 ? cell.pos.slice(1) : cell.pos;
        light("kernel", pos, this.tapAt(cell.pos), cell.padding ? "is-pad-tap" : "is-tap");
      } else if (inSlice(cell.side, cell.pos)) {
        const name = cell.side === "input" ? (cell.real ? "is-fed" : "is-pad-fed") : cell.real ? "is-reached" : "is-crop-reached";
        light(cell.side, cell.pos, this.drawnAt(cell.pos), name);
      }
    }
    for (const [panel, cells] of Object.entries(lit)) {
      this.grids[panel].light([...cells.values()].map((cell) => ({ ...cell, names: [...cell.names].join(" ") })));
    }
    setText(this.status, this.describe(focus, related));
    this.tellView();
  }

  /** The focus and the input depth slice as a link gives them (cell "2,3" or "in:2,3", slice "1"). */
  tellView() {
    if (!this.onView) return;
    const m = this.m;
    const first = this.focus.side === (m.transposed ? "in" : "out") && this.focus.pos.every((p) => p === 0);
    const cell = first ? "" : `${this.focus.side === "in" ? "in:" : ""}${this.focus.pos.join(",")}`;
    this.onView({ cell, slice: m.rank === 3 ? String(this.slices.in) : "" });
  }

  /** What viewFromLink (calculator-state.mjs) needs to know of the layer drawn. */
  linkShape() {
    const m = this.m;
    return { layer: m.layer, rank: m.rank, lengths: { in: m.inLengths, out: m.outLengths }, depths: this.ext[0].input };
  }

  /**
   * A link's cell and slice, read by viewFromLink: {focus, slice, messages}. The messages (a value
   * that cannot be used, and why) show next to the figure until the reader moves the focus.
   */
  applyLink({ focus, slice, messages }) {
    if (!this.m) return;
    const notes = [...messages];
    if (focus) this.focus = focus;
    if (slice !== null) this.slices.in = slice;
    this.render();
    if (slice !== null && this.slices.in !== slice) {
      notes.push(`slice ${slice} holds none of the window of the cell in focus, so input depth ${this.slices.in} is shown.`);
    }
    this.linkNote.replaceChildren(...notes.map((text) => h("li", { text })));
    this.linkNote.hidden = notes.length === 0;
  }

  clearLinkNote() {
    if (this.linkNote.hidden) return;
    this.linkNote.hidden = true;
    this.linkNote.replaceChildren();
  }

  /** In 3-D, show the depth slice of the related cells (the first one the focus touches). */
  followSlices(focus, related) {
    const otherSide = focus.side === "out" ? "input" : "output";
    const own = focus.side === "out" ? "out" : "in";
    const other = own === "out" ? "in" : "out";
    let changed = false;
    if (this.slices[own] !== focus.pos[0]) {
      this.slices[own] = focus.pos[0];
      changed = true;
    }
    const depths = related.filter((c) => c.side === otherSide && c.real).map((c) => c.pos[0]);
    if (depths.length && !depths.includes(this.slices[other])) {
      this.slices[other] = Math.min(...depths);
      changed = true;
    }
    if (changed && !this.following) {
      this.following = true;
      this.renderSlices();
      this.visible = this.windowRanges();
      const [input, output] = [
        this.panel("input", this.panels.children[0].querySelector(".wv-panel-title").textContent, this.visible.input),
        this.panel("output", this.panels.children[2].querySelector(".wv-panel-title").textContent, this.visible.output),
      ];
      const focused = document.activeElement;
      const refocus = focused === this.panels.children[0] ? input.box : focused === this.panels.children[2] ? output.box : null;
      this.panels.children[0].replaceWith(input.box);
      this.panels.children[2].replaceWith(output.box);
      this.grids.input = input.grid;
      this.grids.output = output.grid;
      refocus?.focus({ preventScroll: true });
      this.following = false;
    }
  }

  describe(focus, related) {
    const m = this.m;
    const real = (side) => related.filter((c) => c.side === side && c.real).map((c) => c.pos);
    const taps = product(m.geometry.map((g) => g.kernel));
    if (focus.side === "out") {
      const inputs = real("input");
      const where = `output ${tuple(focus.pos)}`;
      if (m.transposed) {
        if (inputs.length === 0) {
          const added = focus.pos.some((p, i) => p >= (m.inLengths[i] - 1) * m.geometry[i].strides + m.geometry[i].span - m.geometry[i].before);
          return `${where} receives no input: ${added ? "it is a position added at the end (output_padding, or a stride longer than the kernel)" : "the dilated kernel steps over it"}; it holds only the bias.`;
        }
        return `${where} adds up ${inputs.length} product${inputs.length === 1 ? "" : "s"}: input ${describeCells(inputs, m.rank)}, each through a different tap (the windows of ${inputs.length} input cell${inputs.length === 1 ? "" : "s"} overlap here).`;
      }
      const onPadding = taps - inputs.length;
      const pad =
        onPadding === 0 ? "none of its taps fall on padding" : `${onPadding} of its ${taps} taps ${onPadding === 1 ? "falls" : "fall"} on padding`;
      if (inputs.length === 0) return `${where} reads only padding zeros: all ${taps} taps fall on padding or between the input cells.`;
      return `${where} reads input ${describeCells(inputs, m.rank)}; ${pad}.`;
    }
    const outputs = real("output");
    const where = `input ${tuple(focus.pos)}`;
    if (outputs.length === 0) {
      return m.transposed
        ? `${where} spreads its window only onto positions that padding="same" crops.`
        : `${where} reaches no output: the stride steps over it.`;
    }
    if (m.transposed) {
      const cropped = related.filter((c) => c.side === "output" && !c.real).length;
      const crop = cropped ? `; ${cropped} of its ${taps} taps land on cropped positions` : "";
      return `${where} spreads into output ${describeCells(outputs, m.rank)} (${outputs.length} cells)${crop}.`;
    }
    return `${where} reaches ${outputs.length} output cell${outputs.length === 1 ? "" : "s"}: ${describeCells(outputs, m.rank)}.`;
  }

  // ---- moving the focus

  setFocus(focus) {
    this.clearLinkNote();
    this.focus = focus;
    this.refreshWindow();
    this.highlight();
  }

  setPointer(pointer) {
    if (!this.m) return;
    const same = pointer && this.pointer && pointer.side === this.pointer.side && pointer.pos.join() === this.pointer.pos.join();
    if (same || (!pointer && !this.pointer)) return;
    this.pointer = pointer;
    this.highlight();
  }

  /** Redraw the panels when the focus leaves the drawn window of a large input. */
  refreshWindow() {
    const next = this.windowRanges();
    if (JSON.stringify(next) !== JSON.stringify(this.visible)) this.render();
  }

  /** The pointer is on the cell at pos of an input or output grid (padding and cropped cells aside). */
  onPoint(panel, pos) {
    const lengths = panel === "input" ? this.m.inLengths : this.m.outLengths;
    if (pos.some((p, i) => p < 0 || p >= lengths[i])) return;
    this.setPointer({ side: panel === "input" ? "in" : "out", pos });
  }

  step(delta) {
    if (!this.m) return;
    const lengths = this.focus.side === "in" ? this.m.inLengths : this.m.outLengths;
    const total = product(lengths);
    const next = (flatIndex(this.focus.pos, lengths) + delta + total) % total;
    this.pointer = null;
    this.setFocus({ side: this.focus.side, pos: unflat(next, lengths) });
  }

  togglePlay() {
    if (this.timer) this.stop();
    else if (!reducedMotion()) {
      this.timer = window.setInterval(() => this.step(1), PLAY_MS);
      this.play.textContent = "❚❚ Pause";
      this.play.setAttribute("aria-pressed", "true");
    }
  }

  stop() {
    if (!this.timer) return;
    window.clearInterval(this.timer);
    this.timer = null;
    this.play.textContent = "▶ Play";
    this.play.setAttribute("aria-pressed", "false");
  }

  onKey(event) {
    if (!this.m) return;
    const panel = event.target.closest?.(".wv-panel[data-side]");
    if (event.key === " " && panel) {
      event.preventDefault();
      this.togglePlay();
      return;
    }
    if (!panel) return;
    const side = panel.dataset.side === "input" ? "in" : "out";
    const lengths = side === "in" ? this.m.inLengths : this.m.outLengths;
    const pos = this.focus.side === side ? [...this.focus.pos] : Array(this.m.rank).fill(0);
    const last = this.m.rank - 1;
    const row = this.m.rank === 1 ? null : last - 1;
    const moves = {
      ArrowRight: [last, 1],
      ArrowLeft: [last, -1],
      ArrowDown: row === null ? null : [row, 1],
      ArrowUp: row === null ? null : [row, -1],
      PageDown: this.m.rank === 3 ? [0, 1] : null,
      PageUp: this.m.rank === 3 ? [0, -1] : null,
    };
    if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      this.pointer = null;
      this.setFocus({ side, pos: event.key === "Home" ? Array(this.m.rank).fill(0) : lengths.map((n) => n - 1) });
      return;
    }
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [axis, delta] = move;
    pos[axis] = Math.min(Math.max(pos[axis] + delta, 0), lengths[axis] - 1);
    this.pointer = null;
    this.stop();
    this.setFocus({ side, pos });
  }

  // ---- the channels

  renderChannels() {
    const m = this.m;
    let wiring;
    try {
      wiring = channelMap(m.layer, m.config, m.inputShape);
    } catch {
      this.channels.hidden = true;
      return;
    }
    this.channels.hidden = false;
    const family = LAYERS[m.layer].family;
    const interesting = family !== "transposed" && (family !== "standard" || (m.config.groups ?? 1) > 1);
    if (!this.channels.dataset.touched) this.channels.open = interesting;
    if (!this.channels.dataset.listening) {
      this.channels.dataset.listening = "1";
      this.channels.addEventListener("toggle", () => {
        this.channels.dataset.touched = "1";
      });
    }
    const columns = [wiring.stages[0].inChannels, ...wiring.stages.map((st) => st.outChannels)];
    const description = this.channelText(wiring, family);
    rebuild(this.channels, JSON.stringify([description, columns]), () => {
      const names = family === "separable" ? ["input channels", "middle (depthwise) channels", "output channels"] : ["input channels", "output channels"];
      const shown = columns.map((n) => Math.min(n, MAX_CHANNELS));
      const rowGap = 18;
      const colGap = 150;
      const height = Math.max(...shown) * rowGap + 30;
      const width = (columns.length - 1) * colGap + 40;
      const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "wv-wiring", "aria-hidden": "true" });
      const y = (col, i) => 24 + i * rowGap + ((Math.max(...shown) - shown[col]) * rowGap) / 2;
      const x = (col) => 20 + col * colGap;
      wiring.stages.forEach((stage, k) => {
        for (const [o, i] of stage.links) {
          if (o >= MAX_CHANNELS || i >= MAX_CHANNELS) continue;
          svg.append(s("line", { x1: x(k), y1: y(k, i), x2: x(k + 1), y2: y(k + 1, o), class: "wv-wire" }));
        }
      });
      columns.forEach((n, col) => {
        for (let i = 0; i < shown[col]; i += 1) svg.append(s("circle", { cx: x(col), cy: y(col, i), r: 5, class: "wv-channel" }));
        if (n > shown[col]) {
          const more = s("text", { x: x(col), y: height - 4, class: "wv-more" });
          more.textContent = `+${n - shown[col]} more`;
          svg.append(more);
        }
      });
      const summary = h("summary", { text: "Channel wiring" });
      const text = h("p", { class: "wv-channel-text", text: description });
      const heads = h("p", { class: "wv-note", text: `Columns, left to right: ${names.join(", ")}. Each line is a weight (the spatial taps aside).` });
      return [summary, text, heads, h("div", { class: "wv-scroll" }, svg)];
    });
  }

  channelText(wiring, family) {
    const { inChannels: cin, outChannels: cout } = wiring;
    const dm = this.m.config.depth_multiplier ?? 1;
    if (family === "depthwise") {
      return `Depthwise: each of the ${cin} input channels is filtered on its own, into ${dm} output channel${dm === 1 ? "" : "s"} (depth_multiplier=${dm}): ${cout} in all; channel c feeds channels c × ${dm} to c × ${dm} + ${dm - 1}.`;
    }
    if (family === "separable") {
      return `Separable: a depthwise step makes ${cin * dm} middle channels (${dm} per input channel, depth_multiplier=${dm}), then a 1 × 1 pointwise step mixes all of them into each of the ${cout} output channels.`;
    }
    if (family === "transposed") return `Every one of the ${cin} input channels feeds every one of the ${cout} output channels.`;
    const groups = this.m.config.groups ?? 1;
    if (groups === 1) return `Every one of the ${cin} input channels feeds every one of the ${cout} output channels (groups=1).`;
    return `groups=${groups}: the ${cin} input channels split into ${groups} groups of ${cin / groups}, and each group feeds only its own ${cout / groups} of the ${cout} output channels.`;
  }
}

export function mountWindowView(container, options) {
  return new WindowView(container, options);
}

/** Mount every <div class="window-view" data-layer=... data-config='{...}' data-input='[...]'>. */
export function mountWindowViews(root = document) {
  const views = [];
  for (const element of root.querySelectorAll(".window-view[data-layer]")) {
    if (element.dataset.mounted) continue;
    element.dataset.mounted = "1";
    const view = mountWindowView(element, { compact: true });
    try {
      view.update({
        layer: element.dataset.layer,
        config: JSON.parse(element.dataset.config ?? "{}"),
        inputShape: JSON.parse(element.dataset.input),
      });
    } catch (error) {
      view.showMessage(`This example cannot be drawn: ${error.message}`);
    }
    views.push(view);
  }
  return views;
}

