/** DOM helpers shared by the page scripts (calculator-page.mjs, window-view.mjs). */

/** An element with attributes ("text" sets its text; false/null/undefined are left out) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") element.textContent = value;
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

// Writing the same text or attribute again still makes Chromium lay the page out and shape the
// text again: the calculator redraws on every keystroke, so these write only what changed.

/** Sets an element's text, if it differs. */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/** Sets an attribute, if it differs. */
export function setAttribute(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

const built = new WeakMap();

/** Replaces an element's children with build()'s, unless they were last built for the same key. */
export function rebuild(element, key, build) {
  if (built.get(element) === key) return;
  built.set(element, key);
  element.replaceChildren(...build());
}
