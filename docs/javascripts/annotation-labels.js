// Material draws each code annotation marker as a link whose number is painted by CSS, so
// screen readers find a link with no name. Name every marker after its number as Material
// mounts it (on page load and on any later redraw).
(function () {
  function label(root) {
    root.querySelectorAll("a.md-annotation__index:not([aria-label])").forEach(function (link) {
      var marker = link.querySelector("[data-md-annotation-id]");
      var number = marker ? marker.getAttribute("data-md-annotation-id") : "";
      link.setAttribute("aria-label", "Annotation " + number);
    });
  }
  new MutationObserver(function () {
    label(document);
  }).observe(document.body, { childList: true, subtree: true });
  label(document);
})();
