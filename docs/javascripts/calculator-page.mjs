/**
 * The layer calculator page (docs/calculator.md): a form for one Keras convolution layer and what
 * conv-calculator.mjs computes for it, redrawn on every keystroke.
 *
 * The state is what the reader typed, as text, field by field. It is parsed into Keras's value
 * forms (an int, a tuple as an array, None as null), handed to the calculator module, and written
 * to the query string, so that a link reproduces the view. A value the page cannot parse, or a
 * layer Keras would reject, gets its reason under the field it is about (ConvConfigError.argument
 * says which), and the results switch to a "fix the highlighted setting" state.
 */
import { LAYERS, argumentsFor, formatInt, py } from "./conv-calculator.mjs";
import {
  ARGUMENT_NAMES,
  AXES,
  INTEGER_ARGUMENTS,
  START,
  TUPLE_ARGUMENTS,
  channelsFirst,
  copyState,
  evaluate,
  isLayer,
  parseArgument,
  queryFromState,
  rankOf,
  resize,
  retuple,
  shownLayer,
  stateFromQuery,
  viewFromLink,
} from "./calculator-state.mjs";
import { mountWindowView } from "./window-view.mjs";
import { h, rebuild, setAttribute, setText } from "./dom.mjs";
import { pytorchEquivalent } from "./pytorch-equivalent.mjs";

const FAMILIES = { standard: "Standard", depthwise: "Depthwise", separable: "Separable", transposed: "Transposed" };
const SUMMARY_DELAY_MS = 500;
const URL_DELAY_MS = 300;

// ---------------------------------------------------------------- small helpers

// ---------------------------------------------------------------- the page

const EXAMPLES = { 1: "3 or (3,)", 2: "3 or (3, 5)", 3: "3 or (3, 3, 1)" };

class CalculatorPage {
  constructor(root) {
    this.root = root;
    this.state = stateFromQuery(window.location.search);
    this.fields = new Map(); // field key -> {wrapper, controls, error, warning, help}
    this.shapeKey = null;
    this.summaryTimer = null;
    this.build();
    const windowBox = document.getElementById("conv-window-view"); // the window view shares the state
    this.windowView = windowBox ? mountWindowView(windowBox, { onView: (view) => this.viewChanged(view) }) : null;
    this.linkPending = Boolean(this.windowView); // the link's cell and slice, applied once the view draws
    this.update({ writeUrl: false });
    window.addEventListener("pagehide", () => this.urlTimer && this.writeUrl());
  }

  // ---- building the form and the results, once

  build() {
    const form = h("form", { class: "conv-calc__form", novalidate: true, "aria-label": "Layer settings" });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.append(this.buildLayerField(), this.buildShapeFieldset(), this.buildArgumentsFieldset());
    const reset = h("button", { type: "button", class: "conv-calc__reset md-button", text: "Reset to the example" });
    reset.addEventListener("click", () => this.reset());
    form.append(reset);
    const results = this.buildResults();
    this.root.replaceChildren(h("div", { class: "conv-calc__layout" }, form, results), this.codeBox);
  }

  buildLayerField() {
    const select = h("select", { id: "calc-layer", name: "layer", "aria-describedby": "calc-layer-help" });
    select.addEventListener("change", () => this.changeLayer(select.value));
    const help = h("p", {
      class: "conv-calc__help",
      id: "calc-layer-help",
      text: "Each layer offers only the arguments it takes.",
    });
    const error = h("p", { class: "conv-calc__error", id: "calc-layer-error", hidden: true });
    const label = h("label", { for: "calc-layer", text: "Layer" });
    const wrapper = h("div", { class: "conv-calc__field conv-calc__field--layer" }, label, select, error, help);
    this.layerSelect = select;
    this.fields.set("layer", { wrapper, controls: [select], error, help });
    return wrapper;
  }

  buildShapeFieldset() {
    this.axesBox = h("div", { class: "conv-calc__axes" });
    this.axisErrors = h("div", { class: "conv-calc__axis-errors" });
    const help = h("p", {
      class: "conv-calc__help",
      id: "calc-shape-help",
      text:
        "keras.Input(shape=...) takes the sizes after the batch, whose size stays None. A spatial size " +
        "may be None too (known only when the model runs); the channels must be known.",
    });
    const error = h("p", { class: "conv-calc__error", id: "calc-input_shape-error", hidden: true });
    const fieldset = h("fieldset", { class: "conv-calc__shape", "aria-describedby": "calc-shape-help" });
    fieldset.append(h("legend", { text: "Input shape" }), this.axesBox, this.axisErrors, error, help);
    this.fields.set("input_shape", { wrapper: fieldset, controls: [], error, help });
    return fieldset;
  }

  /** The axes of the input in the order of data_format; rebuilt when the rank or the order changes. */
  renderShapeFields() {
    const layer = shownLayer(this.state);
    const first = channelsFirst(this.state);
    const key = `${rankOf(layer)}:${first}`;
    if (key === this.shapeKey) return;
    this.shapeKey = key;
    for (const name of [...this.fields.keys()].filter((name) => name.startsWith("shape:"))) this.fields.delete(name);
    const axis = (name, label, value, onInput) => {
      const id = `calc-in-${name}`;
      const input = h("input", {
        id,
        name,
        type: "text",
        inputmode: name === "channels" ? "numeric" : "text",
        autocomplete: "off",
        spellcheck: "false",
        class: "conv-calc__size",
      });
      input.value = value;
      input.addEventListener("input", () => {
        onInput(input.value);
        this.update();
      });
      // Its message goes under the row of boxes, which are too narrow for it.
      const error = h("p", { class: "conv-calc__error", id: `${id}-error`, hidden: true });
      const wrapper = h("div", { class: "conv-calc__axis" }, h("label", { for: id, text: label }), input);
      const { help } = this.fields.get("input_shape");
      this.fields.set(`shape:${name}`, { wrapper, controls: [input], error, help });
      return wrapper;
    };
    const batch = h(
      "div",
      { class: "conv-calc__axis" },
      h("span", { class: "conv-calc__label", text: "batch" }),
      h("span", { class: "conv-calc__fixed", text: "None" }),
    );
    const spatial = AXES[rankOf(layer)].map((name, i) =>
      axis(name, name, this.state.spatial[i], (value) => {
        this.state.spatial[i] = value;
      }),
    );
    const channels = axis("channels", "channels", this.state.channels, (value) => {
      this.state.channels = value;
    });
    const boxes = first ? [channels, ...spatial] : [...spatial, channels];
    this.axesBox.replaceChildren(batch, ...boxes);
    const order = boxes.map((box) => box.querySelector("input").name);
    this.axisErrors.replaceChildren(...order.map((name) => this.fields.get(`shape:${name}`).error));
  }

  buildArgumentsFieldset() {
    this.argumentsBox = h("div", { class: "conv-calc__arguments" });
    for (const name of ARGUMENT_NAMES) this.argumentsBox.append(this.buildArgumentField(name));
    this.layerName = h("code", { text: START.layer });
    const legend = h("legend", { id: "calc-arguments-legend" }, "Arguments of ", this.layerName);
    return h("fieldset", {}, legend, this.argumentsBox);
  }

  buildArgumentField(name) {
    const id = `calc-${name}`;
    const help = h("p", { class: "conv-calc__help", id: `${id}-help` });
    const error = h("p", { class: "conv-calc__error", id: `${id}-error`, hidden: true });
    const warning = h("p", { class: "conv-calc__warning", id: `${id}-warning`, hidden: true });
    const label = h("label", { for: id }, h("code", { text: name }));
    let control;
    if (name === "use_bias") {
      control = h("input", { id, name, type: "checkbox" });
      control.addEventListener("change", () => {
        this.state.args.use_bias = control.checked ? "True" : "False";
        this.update();
      });
    } else if (name === "padding" || name === "data_format") {
      control = h("select", { id, name });
      control.addEventListener("change", () => {
        this.state.args[name] = control.value;
        this.update();
      });
    } else {
      control = h("input", {
        id,
        name,
        type: "text",
        inputmode: INTEGER_ARGUMENTS.has(name) ? "numeric" : "text",
        autocomplete: "off",
        spellcheck: "false",
      });
      control.addEventListener("input", () => {
        this.state.args[name] = control.value;
        this.update();
      });
    }
    const check = name === "use_bias"; // a checkbox comes before its label
    const kind = check ? "conv-calc__field conv-calc__field--check" : "conv-calc__field";
    const top = check ? [control, label] : [label, control];
    const wrapper = h("div", { class: kind, "data-field": name }, ...top, error, warning, help);
    this.fields.set(name, { wrapper, controls: [control], error, warning, help });
    return wrapper;
  }

  buildResults() {
    const value = (id) => h("code", { id, class: "conv-calc__value" });
    this.out = {
      inputShape: value("calc-input-shape"),
      outputShape: value("calc-output-shape"),
      params: value("calc-params"),
      symbols: h("span", { id: "calc-params-symbols", class: "conv-calc__note" }),
      weights: h("ul", { id: "calc-weights", class: "conv-calc__weights" }),
      macs: value("calc-macs"),
      macsNote: h("span", { id: "calc-macs-note", class: "conv-calc__note" }),
      warnings: h("ul", { id: "calc-warnings", class: "conv-calc__warnings" }),
      code: h("code", { id: "calc-code" }),
      copyStatus: h("span", { class: "conv-calc__copy-status", role: "status", "aria-live": "polite" }),
      summary: h("p", {
        id: "calc-summary",
        class: "conv-calc__summary",
        role: "status",
        "aria-live": "polite",
        "aria-atomic": "true",
      }),
      problems: h("ul", { id: "calc-problems" }),
    };
    const o = this.out;
    const row = (term, ...details) => [h("dt", { text: term }), h("dd", {}, ...details)];
    this.values = h(
      "dl",
      { class: "conv-calc__values" },
      ...row("Input shape", o.inputShape),
      ...row("Output shape", o.outputShape),
      ...row("Parameters", o.params, o.symbols),
      ...row("Weights", o.weights),
      ...row("MACs per example", o.macs, o.macsNote),
    );
    this.warningBox = h(
      "div",
      { class: "conv-calc__warning-box", hidden: true },
      h("p", { class: "conv-calc__box-title", text: "Keras accepts this layer, but TensorFlow cannot run it" }),
      o.warnings,
    );
    this.invalidBox = h(
      "div",
      { id: "calc-invalid", class: "conv-calc__invalid", hidden: true },
      h("p", { class: "conv-calc__box-title", text: "Fix the highlighted setting" }),
      h("p", { text: "Keras would reject this layer, so there is nothing to compute yet:" }),
      o.problems,
    );
    const copy = h("button", {
      type: "button",
      class: "conv-calc__copy",
      title: "Copy to clipboard",
      "aria-label": "Copy the Keras code to the clipboard",
    });
    copy.addEventListener("click", () => this.copyCode());
    this.codeBox = h(
      "section",
      { class: "conv-calc__code", "aria-labelledby": "calc-code-title" },
      h("p", { class: "conv-calc__code-title", id: "calc-code-title", text: "Keras code that builds this layer" }),
      // no-copy: Material would add its own copy button to this pre > code; the page has one.
      h("div", { class: "conv-calc__pre no-copy" }, h("pre", { "aria-labelledby": "calc-code-title" }, o.code), copy),
      o.copyStatus,
      (this.pytorchLine = h("p", { id: "calc-pytorch", class: "conv-calc__note" })),
    );
    this.copyButton = copy;
    return h(
      "section",
      { class: "conv-calc__results", "aria-labelledby": "calc-results-title" },
      h("p", { class: "conv-calc__results-title", id: "calc-results-title", text: "Results" }),
      o.summary,
      this.invalidBox,
      this.values,
      this.warningBox,
    );
  }

  // ---- reacting to the reader

  changeLayer(layer) {
    const before = rankOf(shownLayer(this.state));
    this.state.layer = layer;
    const rank = rankOf(shownLayer(this.state));
    if (rank !== before) {
      this.state.spatial = resize(this.state.spatial, rank);
      for (const name of TUPLE_ARGUMENTS) this.state.args[name] = retuple(this.state.args[name], rank);
      for (const name of TUPLE_ARGUMENTS) this.fields.get(name).controls[0].value = this.state.args[name];
    }
    this.update();
  }

  reset() {
    this.state = copyState(START);
    this.shapeKey = null;
    this.update();
    this.layerSelect.focus();
  }

  update({ writeUrl = true } = {}) {
    const start = performance.now();
    const result = evaluate(this.state);
    this.renderForm(result.layer);
    this.renderMessages(result);
    this.renderResults(result);
    this.windowView?.update(result.info ? { layer: result.layer, config: result.config, inputShape: result.inputShape } : null);
    if (this.linkPending && this.windowView.m) {
      this.linkPending = false;
      this.windowView.applyLink(viewFromLink(this.state, this.windowView.linkShape()));
    }
    if (writeUrl) this.writeUrlSoon();
    this.root.dataset.updateMs = (performance.now() - start).toFixed(2); // the benchmark reads it
  }

  /** The window view's focus and depth slice, kept in the link (not before the link's own are applied). */
  viewChanged({ cell, slice }) {
    if (this.linkPending || (cell === this.state.cell && slice === this.state.slice)) return;
    this.state.cell = cell;
    this.state.slice = slice;
    this.writeUrlSoon();
  }

  /**
   * The link in the address bar, once the reader pauses: history.replaceState costs Chromium several
   * ms, more than the rest of an update, so it waits for typing to stop (and runs before the page
   * is left, so a reload keeps the view).
   */
  writeUrlSoon() {
    window.clearTimeout(this.urlTimer);
    this.urlTimer = window.setTimeout(() => this.writeUrl(), URL_DELAY_MS);
  }

  writeUrl() {
    window.clearTimeout(this.urlTimer);
    this.urlTimer = null;
    const url = `${queryFromState(this.state)}${window.location.hash}`;
    if (url !== `${window.location.search}${window.location.hash}`) window.history.replaceState(window.history.state, "", url);
  }

  // ---- drawing

  /** A select's options: the choices, plus the state's value as a marked extra one if it is none of them. */
  syncSelect(select, choices, value) {
    const wanted = String(value ?? "");
    const match = choices.find(([choice]) => choice === wanted) ?? choices.find(([c]) => c === wanted.toLowerCase());
    const options = match ? choices : [...choices, [wanted, `${wanted || "(empty)"}: not accepted`]];
    const signature = JSON.stringify(options);
    if (select.dataset.options !== signature) {
      select.dataset.options = signature;
      select.replaceChildren(...options.map(([v, label]) => h("option", { value: v, text: label })));
    }
    select.value = match ? match[0] : wanted;
  }

  /** The ten layers by family; a value from a link that is none of them shows as a marked extra option. */
  syncLayerSelect() {
    const select = this.layerSelect;
    const wanted = this.state.layer;
    const extra = isLayer(wanted) ? [] : [h("option", { value: wanted, text: `${wanted || "(empty)"}: not accepted` })];
    const signature = JSON.stringify(isLayer(wanted) ? [] : [wanted]);
    if (select.dataset.extra !== signature) {
      select.dataset.extra = signature;
      const groups = Object.entries(FAMILIES).map(([family, label]) => {
        const names = Object.keys(LAYERS).filter((name) => LAYERS[name].family === family);
        return h("optgroup", { label }, ...names.map((name) => h("option", { value: name, text: name })));
      });
      select.replaceChildren(...groups, ...extra);
    }
    select.value = wanted;
  }

  renderForm(layer) {
    this.syncLayerSelect();
    setText(this.layerName, layer);
    this.renderShapeFields();
    const specs = argumentsFor(layer);
    const rank = rankOf(layer);
    const offered = new Set(specs.map((spec) => spec.name));
    for (const name of ARGUMENT_NAMES) this.fields.get(name).wrapper.hidden = !offered.has(name);
    // Keras's order for this layer. Moving a field blurs it, so only on a change of order.
    const order = specs.map((spec) => this.fields.get(spec.name).wrapper);
    const shown = [...this.argumentsBox.children].filter((wrapper) => !wrapper.hidden);
    if (order.some((wrapper, i) => shown[i] !== wrapper)) this.argumentsBox.append(...order);
    for (const spec of specs) {
      const field = this.fields.get(spec.name);
      const control = field.controls[0];
      const raw = this.state.args[spec.name];
      if (spec.name === "padding") this.syncSelect(control, spec.choices.map((c) => [c, c]), raw);
      else if (spec.name === "data_format") {
        const formats = [["channels_last", "channels_last (None)"], ["channels_first", "channels_first"]];
        this.syncSelect(control, formats, raw === "None" ? "channels_last" : raw);
      } else if (spec.name === "use_bias") control.checked = parseArgumentOr(spec.name, raw, spec.default) === true;
      else if (control.value !== raw && document.activeElement !== control) control.value = raw;
      const defaults = spec.required ? "Required." : `Keras's default: ${py(spec.default)}.`;
      const hint = TUPLE_ARGUMENTS.has(spec.name) ? ` For example ${EXAMPLES[rank]}.` : "";
      setText(field.help, `${spec.help}${hint} ${defaults}`);
    }
  }

  renderMessages(result) {
    const warnings = new Map();
    for (const { argument, message } of result.info?.warnings ?? []) {
      warnings.set(argument, warnings.has(argument) ? `${warnings.get(argument)} ${message}` : message);
    }
    const shapeError = result.errors.get("input_shape");
    for (const [key, field] of this.fields) {
      const message = result.errors.get(key);
      setText(field.error, message ?? "");
      field.error.hidden = !message;
      if (field.warning) {
        setText(field.warning, warnings.get(key) ?? "");
        field.warning.hidden = !warnings.has(key);
      }
      field.wrapper.classList.toggle("conv-calc__field--invalid", Boolean(message));
      const invalid = Boolean(message) || (key.startsWith("shape:") && Boolean(shapeError));
      for (const control of field.controls) {
        if (invalid) setAttribute(control, "aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
        const described = [
          message && field.error.id,
          key.startsWith("shape:") && shapeError && "calc-input_shape-error",
          warnings.has(key) && field.warning.id,
          field.help.id,
        ];
        setAttribute(control, "aria-describedby", described.filter(Boolean).join(" "));
      }
    }
  }

  renderResults(result) {
    const o = this.out;
    const valid = Boolean(result.info);
    this.invalidBox.hidden = valid;
    this.values.hidden = !valid;
    this.codeBox.hidden = !valid;
    this.copyButton.disabled = !valid;
    if (!valid) {
      const problems = [...result.errors];
      rebuild(o.problems, JSON.stringify([this.shapeKey, problems]), () => problems.map(([key, message]) => this.problemItem(key, message)));
      this.announce(`Not valid. ${[...result.errors.values()][0]}`);
      return;
    }
    const { info, inputShape, layer } = result;
    setText(o.inputShape, py(inputShape));
    setText(o.outputShape, py(info.outputShape));
    setText(o.params, result.formula);
    setText(o.symbols, result.symbols);
    const separable = LAYERS[layer].family === "separable";
    const names = separable ? ["depthwise_kernel", "pointwise_kernel", "bias"] : ["kernel", "bias"];
    rebuild(o.weights, JSON.stringify([names, info.weightShapes]), () =>
      info.weightShapes.map((shape, i) =>
        h(
          "li",
          {},
          h("code", { text: names[i] }),
          " ",
          h("code", { "data-shape": "", text: py(shape) }),
          h("span", { class: "conv-calc__note", text: ` ${formatInt(shape.reduce((a, b) => a * b, 1))} values` }),
        ),
      ),
    );
    setText(o.macs, formatInt(info.macs));
    setText(o.macsNote, macsNote(result));
    rebuild(o.warnings, JSON.stringify([this.shapeKey, info.warnings]), () => info.warnings.map((w) => this.problemItem(w.argument, w.message)));
    this.warningBox.hidden = info.warnings.length === 0;
    setText(o.code, result.code);
    const torch = pytorchEquivalent(layer, result.config, inputShape);
    rebuild(this.pytorchLine, JSON.stringify(torch), () => [
      ...(torch.code ? ["PyTorch equivalent: ", h("code", { text: torch.code }), " "] : []),
      torch.note,
    ]);
    const warned = info.warnings.length ? " Warning: TensorFlow cannot run this layer." : "";
    this.announce(
      `${layer}: output shape ${py(info.outputShape)}, ${formatInt(info.params)} parameters, ` +
        `${formatInt(info.macs)} MACs.${warned}`,
    );
  }

  /** A message in the results, linked to the field it is about. */
  problemItem(key, message) {
    const field = this.fields.get(key);
    const control = field?.controls[0] ?? field?.wrapper.querySelector("input, select");
    if (!control) return h("li", { text: message });
    const link = h("a", { href: `#${control.id}`, text: message });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      control.focus();
    });
    return h("li", {}, link);
  }

  /** The live region's text, once the reader pauses, so that a screen reader is not flooded. */
  announce(text) {
    window.clearTimeout(this.summaryTimer);
    this.summaryTimer = window.setTimeout(() => {
      this.out.summary.textContent = text;
    }, SUMMARY_DELAY_MS);
  }

  async copyCode() {
    const status = this.out.copyStatus;
    try {
      await navigator.clipboard.writeText(this.out.code.textContent);
      status.textContent = "Copied to clipboard";
    } catch {
      window.getSelection().selectAllChildren(this.out.code);
      status.textContent = "The browser did not allow copying: the code is selected, press Ctrl+C (⌘C) to copy it.";
    }
    window.clearTimeout(this.copyTimer);
    this.copyTimer = window.setTimeout(() => {
      status.textContent = "";
    }, 4000);
  }
}

function parseArgumentOr(name, raw, fallback) {
  try {
    return parseArgument(name, raw) ?? fallback;
  } catch {
    return fallback;
  }
}

/** "26 × 26 output positions × 288 multiply-accumulates each", or why the count is unknown. */
function macsNote(result) {
  const { layer, inputShape, info, channelsFirst: first } = result;
  const transposed = LAYERS[layer].family === "transposed";
  const shape = transposed ? inputShape : info.outputShape;
  const spatial = first ? shape.slice(2) : shape.slice(1, -1);
  const where = transposed ? "input" : "output";
  if (info.macs === null) return `Unknown: a spatial size is None, so the number of ${where} positions is unknown.`;
  const positions = spatial.reduce((a, b) => a * b, 1);
  const noun = positions === 1 ? "position" : "positions";
  const each = formatInt(info.macs / positions);
  return `${spatial.map(formatInt).join(" × ")} ${where} ${noun} × ${each} multiply-accumulates each.`;
}

const root = document.getElementById("conv-calculator");
if (root) new CalculatorPage(root);
