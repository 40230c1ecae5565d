/* Recherche Pagefind : interface par défaut, adresses relatives (le site peut vivre dans un
   sous-dossier du serveur). Hors serveur web (file://), un message remplace la recherche. */
(function () {
  "use strict";
  var box = document.getElementById("recherche");
  var notice = document.getElementById("recherche-indisponible");
  if (!box) { return; }
  if (window.location.protocol === "file:" || typeof PagefindUI === "undefined") {
    if (notice) { notice.hidden = false; }
    return;
  }
  var base = window.location.pathname.replace(/[^\/]*$/, "");
  new PagefindUI({
    element: "#recherche",
    baseUrl: base,
    // one result per page, with the narrative passage around the words found: the list of
    // the page's headings (sub-results) read like a table of contents, not an answer
    showSubResults: false,
    excerptLength: 40,
    showImages: false,
    resetStyles: false
  });
  var params = new URLSearchParams(window.location.search);
  var input = box.querySelector("input");
  if (input) {
    input.setAttribute("aria-label", "Rechercher dans le site");
    if (params.get("q")) {
      input.value = params.get("q");
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
})();
