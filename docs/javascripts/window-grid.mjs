/**
 * One panel of the window view (window-view.mjs): a grid of cells drawn as one SVG path per kind of
 * cell, the highlighted cells as rects laid over it, and pointing found from the pointer's
 * coordinates.
 *
 * A rect per cell made a 32 × 32 input and its 28 × 28 output some 1,800 elements whose style
 * Chromium had to compute again whenever the output grid changed: most of an update's time. A path
 * per kind is one element whatever the grid's size; the handful of lit cells are the only rects.
 *
 *   const grid = drawGrid({panel, rows: [r0, r1], cols: [c0, c1], kindAt, labelAt});
 *   grid.svg                      the <svg>, with data-panel, data-rows, data-cols and data-cell
 *   grid.light([{r, c, pos, names}])  draws those cells highlighted (replacing the last ones)
 *   grid.cellAt(event)            the [r, c] under a pointer event, or null
 *
 * kindAt(r, c) names the kind of cell drawn there ("plain", "pad", "crop", "added", "tap", "hole"),
 * its class wv-<kind>; labelAt(r, c) is null or [class, text] for a number written in the cell.
 * A lit rect carries data-panel, data-pos (pos) and its kind's and highlight's classes.
 */
const SVG = "http://www.w3.org/2000/svg";
export const CELL = 22; // px of one cell at full size; the SVGs scale down to fit

const cellClass = (kind) => `wv-cell wv-${kind}`;

export function drawGrid({ panel, rows, cols, kindAt, labelAt = () => null }) {
  const nr = rows[1] - rows[0];
  const nc = cols[1] - cols[0];
  const svg = document.createElementNS(SVG, "svg");
  const attributes = {
    viewBox: `-1 -1 ${nc * CELL + 2} ${nr * CELL + 2}`,
    width: nc * CELL + 2,
    height: nr * CELL + 2,
    class: "wv-grid",
    "aria-hidden": "true",
    "data-panel": panel,
    "data-rows": rows.join(","),
    "data-cols": cols.join(","),
    "data-cell": CELL,
  };
  for (const [name, value] of Object.entries(attributes)) svg.setAttribute(name, value);
  const shapes = new Map(); // kind -> the path data of each of its cells
  const labels = [];
  for (let r = rows[0]; r < rows[1]; r += 1) {
    for (let c = cols[0]; c < cols[1]; c += 1) {
      const kind = kindAt(r, c);
      const x = (c - cols[0]) * CELL;
      const y = (r - rows[0]) * CELL;
      if (!shapes.has(kind)) shapes.set(kind, []);
      shapes.get(kind).push(`M${x} ${y}h${CELL}v${CELL}h-${CELL}z`);
      const label = labelAt(r, c);
      if (label) labels.push(`<text x="${x + CELL / 2}" y="${y + CELL / 2}" class="${label[0]}">${label[1]}</text>`);
    }
  }
  const paths = [...shapes].map(([kind, d]) => `<path class="${cellClass(kind)}" d="${d.join("")}"/>`);
  // The lit cells go between the cells and their numbers, which stay readable on top.
  svg.innerHTML = `${paths.join("")}<g class="wv-lit"></g><g class="wv-labels">${labels.join("")}</g>`;
  const lit = svg.querySelector(".wv-lit");
  let shown = ""; // the lit cells' markup, rewritten only when it changes

  const inside = (r, c) => r >= rows[0] && r < rows[1] && c >= cols[0] && c < cols[1];
  return {
    svg,
    light(cells) {
      const markup = [];
      for (const { r, c, pos, names } of cells) {
        if (!inside(r, c)) continue;
        const x = (c - cols[0]) * CELL;
        const y = (r - rows[0]) * CELL;
        const kind = cellClass(kindAt(r, c));
        markup.push(
          `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" class="${kind} ${names}" data-panel="${panel}" data-pos="${pos}"/>`,
        );
      }
      const html = markup.join("");
      if (html !== shown) lit.innerHTML = html;
      shown = html;
    },
    cellAt(event) {
      const matrix = svg.getScreenCTM();
      if (!matrix) return null;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      const r = rows[0] + Math.floor(point.y / CELL);
      const c = cols[0] + Math.floor(point.x / CELL);
      return inside(r, c) ? [r, c] : null;
    },
  };
}
