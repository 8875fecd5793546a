// The checks of tests/browser/test_diagrams.py, run in the page by Playwright:
// inspectPage(minimum) for the diagrams of a page, inspectSvgFile([...]) for an .svg document.

const parse = (value) => {
  const match = /rgba?\(([^)]+)\)/.exec(value || "");
  if (!match) return null; // "none", or a gradient
  const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
};

// A colour with some opacity, painted over an opaque one.
const over = (top, bottom, alpha = 1) => {
  const a = (top.a ?? 1) * alpha;
  const mix = (channel) => top[channel] * a + bottom[channel] * (1 - a);
  return { r: mix("r"), g: mix("g"), b: mix("b"), a: 1 };
};

// WCAG's relative luminance and contrast ratio.
const luminance = ({ r, g, b }) => {
  const linear = [r, g, b].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
};
const contrast = (x, y) => {
  const [high, low] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (high + 0.05) / (low + 0.05);
};
const hex = ({ r, g, b }) => "#" + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

// The colour behind an element: the backgrounds of its ancestors, painted over white.
const backgroundOf = (element) => {
  const layers = [];
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const colour = parse(getComputedStyle(node).backgroundColor);
    if (colour && colour.a > 0) {
      layers.push(colour);
      if (colour.a >= 1) break;
    }
  }
  return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
};

const opacityOf = (element, root) => {
  let opacity = 1;
  for (let node = element; node && node !== root.parentElement; node = node.parentElement) {
    opacity *= Number(getComputedStyle(node).opacity);
  }
  return opacity;
};

const SHAPES = new Set(["rect", "circle", "ellipse", "path", "polygon", "polyline", "line", "use"]);
const NOT_DRAWN = "defs, marker, clipPath, mask, pattern, symbol, title, desc";

// The ink of a drawing (text, strokes, and the glyphs of matplotlib's text, which are paths in
// groups with ids "text_N" or "prefix-text_N") against what lies behind each mark: the page background, or the
// filled shapes under a label. Returns one line per colour pair under the minimum contrast.
// Text is always checked; a stroke only if it is at least half opaque (not a faint grid line).
const inkProblems = (svg, background, minimum, where) => {
  const problems = [];
  const seen = new Set();
  const report = (element, kind, ink, behind) => {
    const ratio = contrast(ink, behind);
    const pair = `${kind} ${hex(ink)} on ${hex(behind)}`;
    if (ratio < minimum && !seen.has(pair)) {
      seen.add(pair);
      const what = (element.textContent || element.getAttribute("class") || element.tagName).trim().slice(0, 40);
      problems.push(`${where}: ${pair} has contrast ${ratio.toFixed(2)} < ${minimum} ("${what}")`);
    }
  };
  const behind = (mark) => {
    mark.scrollIntoView({ block: "center", behavior: "instant" });
    const box = mark.getBoundingClientRect();
    const stack = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const below = stack.filter((e) => svg.contains(e) && e !== svg && SHAPES.has(e.tagName) && !mark.contains(e));
    let colour = background;
    for (const shape of below.reverse()) {
      const style = getComputedStyle(shape);
      const fill = parse(style.fill);
      if (fill) colour = over(fill, colour, Number(style.fillOpacity) * opacityOf(shape, svg));
    }
    return colour;
  };
  for (const element of svg.querySelectorAll("*")) {
    if (element.closest(NOT_DRAWN) || !element.getBBox) continue;
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const box = element.getBBox();
    const opacity = opacityOf(element, svg);
    if ((box.width === 0 && box.height === 0) || opacity === 0) continue;

    const glyph = SHAPES.has(element.tagName) && element.closest("g[id^='text_'], g[id*='-text_']");
    const fill = parse(style.fill);
    if ((element.tagName === "text" || glyph) && fill) {
      const under = behind(element);
      report(element, "text", over(fill, under, Number(style.fillOpacity) * opacity), under);
    }
    if (element.tagName === "text" || element.tagName === "tspan") continue;
    // Strokes drawn deliberately faint (under half opaque, such as grid lines) are left out.
    const stroke = parse(style.stroke);
    const strokeAlpha = stroke ? stroke.a * Number(style.strokeOpacity) * opacity : 0;
    if (strokeAlpha >= 0.5 && parseFloat(style.strokeWidth) > 0) {
      report(element, "stroke", over(stroke, background, Number(style.strokeOpacity) * opacity), background);
    }
  }
  return problems;
};

// Every diagram of the page: its size, its text alternative and (inline SVG) its ink.
function inspectPage(minimum) {
  const ICONS = ".md-content__button, .md-icon, .twemoji, .md-annotation, .md-clipboard, button, .headerlink";
  const problems = [];
  const article = document.querySelector("article");
  article.querySelectorAll("details").forEach((details) => (details.open = true));

  const inline = [...article.querySelectorAll("svg")].filter((svg) => !svg.closest(ICONS));
  const outermost = inline.filter((svg) => !inline.some((other) => other !== svg && other.contains(svg)));
  const drawn = outermost.filter((svg) => svg.parentElement.checkVisibility()); // not in an inactive tab
  for (const [index, svg] of drawn.entries()) {
    const name = svg.getAttribute("aria-label") || svg.querySelector("title")?.textContent || "";
    const where = `inline svg #${index + 1} (${name})`;
    const box = svg.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0)) problems.push(`${where} has no size`);
    const described = name || svg.getAttribute("aria-labelledby");
    if (!described && svg.getAttribute("aria-hidden") !== "true") {
      problems.push(`${where} has no text alternative (title or aria-label)`);
    }
    problems.push(...inkProblems(svg, backgroundOf(svg.parentElement), minimum, where));
  }

  const isSvg = (img) => /\.svg(\?|#|$)/.test(img.getAttribute("src") || "");
  const images = [...article.querySelectorAll("img")].filter(isSvg);
  for (const img of images.filter((image) => image.checkVisibility())) {
    const where = `<img src="${img.getAttribute("src")}">`;
    const box = img.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0 && img.naturalWidth > 0)) problems.push(`${where} is not drawn`);
    if (!(img.getAttribute("alt") || "").trim()) problems.push(`${where} has no alt text`);
  }
  return { inline: drawn.length, images: images.map((img) => img.src), background: backgroundOf(article), problems };
}

// The ink of a standalone .svg document against a given page background.
function inspectSvgFile([background, minimum, where]) {
  return inkProblems(document.documentElement, background, minimum, where);
}
