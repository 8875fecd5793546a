/**
 * The calculator's model mode (docs/calculator.md, "A whole model"): a stack of layers the reader
 * builds, or a pasted model config, explained layer by layer by modelInfo (conv-calculator.mjs).
 * The state and every number come from model-state.mjs and modelInfo; this file only draws them.
 */
import { formatInt, modelInfo, py } from "./conv-calculator.mjs";
import {
  MODEL_CLASSES,
  MODEL_FIELDS,
  evaluateStack,
  fragmentFromStack,
  kerasCodeFromStack,
  newLayer,
  stackFromConfig,
  stackFromFragment,
  startStack,
  windowOf,
} from "./model-state.mjs";
import { h } from "./dom.mjs";

const SVG = "http://www.w3.org/2000/svg";
function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

const fieldText = (rf) => (rf === null ? "—" : rf.length === 0 ? "—" : rf.map((a) => `${a.size}/${a.jump}/${a.start}`).join(" × "));

class ModelPage {
  constructor(root) {
    this.root = root;
    const linked = stackFromFragment(window.location.hash);
    this.stack = linked?.stack ?? startStack();
    this.linkProblems = linked?.problems ?? [];
    this.pasted = null; // a pasted config that is not a chain: {text, info}
    this.selected = null;
    this.build();
    this.update({ writeUrl: false });
  }

  build() {
    const inputId = "model-input";
    this.input = h("input", { id: inputId, type: "text", autocomplete: "off", spellcheck: "false", "aria-describedby": "model-input-help" });
    this.input.value = this.stack.input;
    this.input.addEventListener("input", () => {
      this.stack.input = this.input.value;
      this.update();
    });
    this.inputError = h("p", { class: "conv-calc__error", id: "model-input-error", hidden: true });
    this.list = h("ol", { class: "model-calc__layers", id: "model-layers", "aria-label": "Layers, in order" });
    this.addSelect = h("select", { id: "model-add-class" }, ...MODEL_CLASSES.map((name) => h("option", { value: name, text: name })));
    const add = h("button", { type: "button", class: "md-button", id: "model-add", text: "Add layer" });
    add.addEventListener("click", () => {
      this.stack.layers.push(newLayer(this.addSelect.value));
      this.pasted = null;
      this.update();
      this.list.lastElementChild?.querySelector("input, button")?.focus();
    });
    this.linkNote = h("p", { class: "conv-calc__warning", id: "model-link-note", hidden: true });
    const builder = h(
      "form",
      { class: "model-calc__builder", novalidate: true, "aria-label": "Model layers" },
      h("div", { class: "conv-calc__field" }, h("label", { for: inputId, text: "Input shape (after the batch)" }), this.input, this.inputError,
        h("p", { class: "conv-calc__help", id: "model-input-help", text: "keras.Input(shape=...), e.g. 28, 28, 1 or None, 64." })),
      this.list,
      h("div", { class: "model-calc__add" }, h("label", { for: "model-add-class", text: "New layer" }), this.addSelect, add),
      this.linkNote,
    );
    builder.addEventListener("submit", (event) => event.preventDefault());

    this.paste = h("textarea", { id: "model-paste", rows: "4", spellcheck: "false", "aria-describedby": "model-paste-help" });
    const explain = h("button", { type: "button", class: "md-button", id: "model-explain", text: "Explain the pasted model" });
    explain.addEventListener("click", () => this.explainPasted());
    this.pasteNote = h("p", { class: "conv-calc__help", id: "model-paste-note", hidden: true });
    const pasteBox = h(
      "div",
      { class: "conv-calc__field model-calc__paste" },
      h("label", { for: "model-paste", text: "Or paste model.to_json() or model.get_config() (JSON)" }),
      this.paste,
      h("p", { class: "conv-calc__help", id: "model-paste-help", text: "Sequential or Functional. A simple chain becomes the stack above." }),
      explain,
      this.pasteNote,
    );
    this.error = h("p", { class: "conv-calc__error", id: "model-error", role: "alert", hidden: true });
    this.status = h("p", { class: "conv-calc__summary", id: "model-status", role: "status", "aria-live": "polite" });
    this.tbody = h("tbody");
    this.tfoot = h("tfoot");
    const head = ["Layer", "Class", "Output shape", "Parameters", "MACs", "Receptive field"].map((t) => h("th", { scope: "col", text: t }));
    this.table = h(
      "table",
      { id: "model-table", class: "model-calc__table" },
      h("caption", { text: "Per layer; receptive field: size/jump/start per spatial axis. Select a layer to draw it." }),
      h("thead", {}, h("tr", {}, ...head)),
      this.tbody,
      this.tfoot,
    );
    this.tableBox = h("div", { class: "model-calc__scroll", tabindex: "0", role: "region", "aria-label": "Model table" }, this.table);
    this.figure = h("div", { id: "model-field", class: "model-calc__field-figure" });
    this.code = h("code", { id: "model-code" });
    this.codeBox = h(
      "section",
      { class: "conv-calc__code", "aria-labelledby": "model-code-title" },
      h("p", { class: "conv-calc__code-title", id: "model-code-title", text: "Keras code that builds this stack" }),
      h("div", { class: "conv-calc__pre" }, h("pre", { "aria-labelledby": "model-code-title" }, this.code)),
    );
    this.root.replaceChildren(builder, pasteBox, this.error, this.status, this.tableBox, this.figure, this.codeBox);
  }

  // ---- the stack

  renderStack(errors) {
    const items = this.stack.layers.map((layer, index) => {
      const title = h("span", { class: "model-calc__class", text: `${index + 1}. ${layer.className}` });
      const button = (text, label, fn, disabled) => {
        const b = h("button", { type: "button", class: "model-calc__move", "aria-label": label, text, disabled });
        b.addEventListener("click", () => fn(b));
        return b;
      };
      const move = (to) => () => {
        const [taken] = this.stack.layers.splice(index, 1);
        this.stack.layers.splice(to, 0, taken);
        this.update();
        const buttons = this.list.children[to]?.querySelectorAll("button");
        buttons?.[to < index ? 0 : 1]?.focus();
      };
      const controls = h(
        "span",
        { class: "model-calc__buttons" },
        button("↑", `Move layer ${index + 1} (${layer.className}) up`, move(index - 1), index === 0),
        button("↓", `Move layer ${index + 1} (${layer.className}) down`, move(index + 1), index === this.stack.layers.length - 1),
        button("Remove", `Remove layer ${index + 1} (${layer.className})`, () => {
          this.stack.layers.splice(index, 1);
          this.update();
          (this.list.children[Math.min(index, this.list.children.length - 1)]?.querySelector("button") ?? this.addSelect).focus();
        }),
      );
      const fields = MODEL_FIELDS[layer.className].map((name) => {
        const id = `model-${index}-${name}`;
        const control = h("input", { id, type: "text", autocomplete: "off", spellcheck: "false", class: "model-calc__arg" });
        control.value = layer.args[name] ?? "";
        control.addEventListener("input", () => {
          layer.args[name] = control.value;
          this.update({ keepStack: true });
        });
        const message = errors.get(`${index}:${name}`);
        const error = h("span", { class: "conv-calc__error", id: `${id}-error`, text: message ?? "", hidden: !message });
        if (message) {
          control.setAttribute("aria-invalid", "true");
          control.setAttribute("aria-describedby", error.id);
        }
        return h("span", { class: "model-calc__argfield" }, h("label", { for: id }, h("code", { text: name })), control, error);
      });
      const head = h("div", { class: "model-calc__head" }, title, controls);
      const refused = h("p", { class: "conv-calc__error model-calc__refused", id: `model-${index}-refused`, hidden: true });
      return h("li", { class: "model-calc__layer", "data-class": layer.className }, head, h("div", { class: "model-calc__args" }, ...fields), refused);
    });
    this.list.replaceChildren(...items);
  }

  update({ writeUrl = true, keepStack = false } = {}) {
    this.pasted = null;
    const result = evaluateStack(this.stack);
    if (!keepStack) this.renderStack(result.errors);
    else this.refreshErrors(result.errors);
    if (document.activeElement !== this.input) this.input.value = this.stack.input;
    const inputError = result.errors.get("input");
    this.inputError.hidden = !inputError;
    this.inputError.textContent = inputError ?? "";
    this.input.setAttribute("aria-describedby", inputError ? "model-input-error model-input-help" : "model-input-help");
    if (inputError) this.input.setAttribute("aria-invalid", "true");
    else this.input.removeAttribute("aria-invalid");
    this.linkNote.hidden = this.linkProblems.length === 0;
    this.linkNote.textContent = this.linkProblems.join(" ");
    this.show(result.info ?? null, result.error ?? null);
    // modelInfo's message names the layer it refuses: it is repeated in that layer's box.
    result.layers.forEach(({ name }, index) => {
      const box = document.getElementById(`model-${index}-refused`);
      const mine = Boolean(result.error && !result.errors.size && result.error.startsWith(`layer "${name}"`));
      box.hidden = !mine;
      box.textContent = mine ? result.error : "";
    });
    this.code.textContent = result.info ? kerasCodeFromStack(this.stack) : "";
    this.codeBox.hidden = !result.info;
    if (writeUrl) {
      const url = `${window.location.pathname}${window.location.search}${fragmentFromStack(this.stack)}`;
      window.history.replaceState(window.history.state, "", url);
    }
  }

  refreshErrors(errors) {
    for (const error of this.list.querySelectorAll(".model-calc__argfield .conv-calc__error")) {
      const key = error.id.replace(/^model-/, "").replace(/-error$/, "").replace("-", ":");
      const message = errors.get(key);
      error.textContent = message ?? "";
      error.hidden = !message;
      const control = document.getElementById(error.id.replace(/-error$/, ""));
      if (message) {
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", error.id);
      } else {
        control.removeAttribute("aria-invalid");
        control.removeAttribute("aria-describedby");
      }
    }
  }

  // ---- a pasted config

  explainPasted() {
    const text = this.paste.value;
    let info;
    try {
      info = modelInfo(text);
    } catch (error) {
      if (!error.argument) throw error;
      this.paste.setAttribute("aria-invalid", "true");
      this.pasted = null;
      this.pasteNote.hidden = true;
      this.show(null, error.message);
      this.codeBox.hidden = true;
      return;
    }
    this.paste.removeAttribute("aria-invalid");
    const stack = stackFromConfig(text);
    if (stack) {
      this.stack = stack;
      this.linkProblems = [];
      this.update();
      this.pasteNote.hidden = false;
      this.pasteNote.textContent = "The pasted model is a simple chain: it is now the stack above (with Keras's automatic layer names), and in the link.";
      return;
    }
    this.pasteNote.hidden = false;
    this.pasteNote.textContent =
      "This pasted model is not a simple chain of the builder's layers, so the table shows it but the link does not store it.";
    this.codeBox.hidden = true;
    this.show(info, null);
  }

  // ---- the table and the figure

  show(info, message) {
    this.error.hidden = !message;
    this.error.textContent = message ?? "";
    this.tableBox.hidden = !info;
    this.rows = info?.layers ?? [];
    if (!info) {
      this.tbody.replaceChildren();
      this.tfoot.replaceChildren();
      this.figure.replaceChildren();
      this.status.textContent = message ? "Not valid; no table." : "";
      return;
    }
    this.tbody.replaceChildren(
      ...info.layers.map((row, i) => {
        const select = h("button", { type: "button", class: "model-calc__pick", "aria-pressed": String(i === this.selected), text: row.name });
        select.addEventListener("click", () => {
          this.selected = i;
          for (const [j, b] of [...this.tbody.querySelectorAll(".model-calc__pick")].entries()) b.setAttribute("aria-pressed", String(j === i));
          this.draw();
        });
        return h(
          "tr",
          {},
          h("th", { scope: "row" }, select),
          h("td", { text: row.className }),
          h("td", {}, h("code", { text: py(row.outputShape) })),
          h("td", { class: "model-calc__num", text: formatInt(row.params) }),
          h("td", { class: "model-calc__num", text: formatInt(row.macs) }),
          h("td", { text: fieldText(row.receptiveField) }),
        );
      }),
    );
    this.tfoot.replaceChildren(
      h(
        "tr",
        {},
        h("th", { scope: "row", colspan: "3", text: "Total" }),
        h("td", { class: "model-calc__num", id: "model-total-params", text: formatInt(info.params) }),
        h("td", { class: "model-calc__num", id: "model-total-macs", text: formatInt(info.macs) }),
        h("td"),
      ),
    );
    if (this.selected === null || this.selected >= this.rows.length) this.selected = Math.max(0, this.rows.findLastIndex((r) => r.receptiveField?.length));
    this.tbody.querySelectorAll(".model-calc__pick")[this.selected]?.setAttribute("aria-pressed", "true");
    this.draw();
    this.status.textContent = `${info.layers.length} layers, ${formatInt(info.params)} parameters, ${formatInt(info.macs)} MACs.`;
  }

  /** The input positions that the middle output position of the selected layer sees. */
  draw() {
    const row = this.rows[this.selected];
    const input = this.rows[0]?.outputShape;
    const field = row?.receptiveField;
    if (!row || !field || field.length === 0 || field.length > 2 || !Array.isArray(input)) {
      this.figure.replaceChildren(h("p", { class: "conv-calc__help", text: row ? `${row.name}: no receptive field to draw (1-D and 2-D layers with one).` : "" }));
      return;
    }
    const spatial = input.length - 2 === field.length ? input.slice(1, -1) : input.slice(2);
    const out = Array.isArray(row.outputShape[0]) ? [] : row.outputShape.length - 2 === field.length ? row.outputShape.slice(1, -1) : row.outputShape.slice(2);
    const lengths = spatial.map((n) => n ?? 32);
    const windows = field.map((f, a) => windowOf(f, Math.floor(((out[a] ?? 1) - 1) / 2)));
    const dims = field.length === 1 ? [1, lengths[0]] : lengths;
    const cell = Math.max(2, Math.min(12, Math.floor(320 / Math.max(...dims))));
    const [rows, cols] = dims;
    const [rw, cw] = field.length === 1 ? [[0, 0], windows[0]] : windows;
    const clip = ([a, b], n) => [Math.max(a, 0), Math.min(b, n - 1)];
    const [r0, r1] = clip(rw, rows);
    const [c0, c1] = clip(cw, cols);
    const where = windows.map(([a, b]) => `${a} to ${b}`).join(" by ");
    const desc = `The input, ${lengths.join(" by ")} positions; marked: positions ${where}, which one output position in the middle of ${row.name} sees.`;
    const svg = s(
      "svg",
      { viewBox: `-2 -2 ${cols * cell + 4} ${rows * cell + 4}`, width: cols * cell + 4, height: rows * cell + 4, role: "img", "aria-labelledby": "model-field-title model-field-desc" },
      s("title", { id: "model-field-title" }, `Receptive field of ${row.name} on the input`),
      s("desc", { id: "model-field-desc" }, desc),
      s("rect", { x: 0, y: 0, width: cols * cell, height: rows * cell, fill: "none", stroke: "currentColor", "stroke-opacity": "0.5" }),
      s("rect", {
        x: c0 * cell,
        y: r0 * cell,
        width: Math.max(0, c1 - c0 + 1) * cell,
        height: Math.max(0, r1 - r0 + 1) * cell,
        fill: "currentColor",
        "fill-opacity": "0.35",
        stroke: "currentColor",
        "data-window": windows.map((w) => w.join(":")).join(","),
      }),
    );
    this.figure.replaceChildren(svg, h("p", { class: "conv-calc__help", text: desc }));
  }
}

const root = document.getElementById("model-calculator");
if (root) new ModelPage(root);
