/**
 * The live copies of the window view on the reference pages: every
 * <div class="window-view" data-layer="Conv1D" data-config='{"filters": 1, ...}' data-input='[null, 7, 1]'>
 * gets a view of that layer (docs/javascripts/window-view.mjs). Loaded on every page (mkdocs.yml,
 * extra_javascript); the view's modules are fetched only by pages that have such a div.
 */
if (document.querySelector(".window-view[data-layer]")) {
  import("./window-view.mjs").then(({ mountWindowViews }) => mountWindowViews(document));
}
