/* Filtres de la liste du recensement 2011 : sans JavaScript, toutes les lignes restent affichées. */
(function () {
  "use strict";
  var form = document.getElementById("filtres-recensement");
  var table = document.getElementById("liste-recensement");
  var count = document.getElementById("compte-recensement");
  if (!form || !table || !count) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var fields = Array.prototype.slice.call(form.querySelectorAll("[data-filtre]"));

  function matches(row, key, value) {
    if (!value) { return true; }
    if (key === "texte") {
      return row.getAttribute("data-texte").indexOf(value.trim().toLowerCase()) !== -1;
    }
    return row.getAttribute("data-" + key) === value;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = fields.every(function (f) { return matches(row, f.getAttribute("data-filtre"), f.value); });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var mot = shown > 1 ? "initiatives affichées" : "initiative affichée";
    count.textContent = shown + " " + mot + " sur " + rows.length + "." +
      (shown === 0 ? " Aucune initiative ne correspond à ces critères." : "");
  }

  fields.forEach(function (f) { f.addEventListener(f.tagName === "INPUT" ? "input" : "change", apply); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
