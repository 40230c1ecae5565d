/* Filtres de la liste des pôles : sans JavaScript, toutes les lignes restent affichées. */
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  var table = document.getElementById("liste-poles");
  var count = document.getElementById("compte");
  if (!form || !table || !count) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filtre]"));

  function matches(row, key, value) {
    if (!value) { return true; }
    if (key === "territoire") {
      return (" " + row.getAttribute("data-territoire") + " ").indexOf(" " + value + " ") !== -1;
    }
    if (key === "statut") {
      return row.getAttribute(value === "temoin" ? "data-temoin" : "data-laureat") === "oui";
    }
    return row.getAttribute("data-" + key) === value;
  }

  function pluriel(n, mot) { return n > 1 ? mot + "s" : mot; }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) { return matches(row, s.getAttribute("data-filtre"), s.value); });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " " + pluriel(shown, "pôle") + " " + pluriel(shown, "affiché") +
      " sur " + rows.length + "." + (shown === 0 ? " Aucun pôle ne correspond à ces critères." : "");
  }

  selects.forEach(function (s) { s.addEventListener("change", apply); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
